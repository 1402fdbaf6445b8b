"""Ownership rules for one register party: the Affiliates Rule, OFAC's 50 % rule, red flag 29 (pure).

Takes plain values (the party's id, the ownership graph, who is listed on which list, the date)
and returns findings; it reads nothing but the rule data. The aggregation method and its sources
are in resources/rules/README.md ("Ownership"). The Affiliates Rule's lifecycle comes from the
rulebook entry ``affiliates-2025``: enforced findings require a licence, findings while the rule
is suspended report the same facts as not enforced, and a period the data marks unconfirmed
says UNCONFIRMED.

While the rule is enforced, a covered party also carries its listed owners' bars on licence exceptions
(``OwnershipEvaluation.bars``, applied by ``rules.checks.bars``): Supp. No. 8 to part 744 (b) requires a
licence "to the same degree as if" the transaction were with the listed owner, so an Entity List owner's
bar holds for the items its entry reaches, an MEU owner's for all but GOV, an SDN owner's for every
exception. The data (part744.json ``affiliates_bar``) marks that reading UNCONFIRMED: the stored primary
text stops before it says so.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from workbench.domain.case import ListFlag
from workbench.domain.determination import Finding, Outcome
from workbench.domain.ownership import Aggregate, Contribution, OwnershipGraph, OwnershipPath, aggregate
from workbench.rules.data import AffiliatesBar, EnforcementPeriod, ListRule, RuleRecord, rule_data
from workbench.rules.listing import PartyListing

AFFILIATES_RULE = "affiliates-2025"
AFFILIATES_LISTS = frozenset({ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER, ListFlag.SDN})
OFAC_LISTS = frozenset({ListFlag.SDN})
AFFILIATES_CITATION = "15 CFR 744.16; 744.21; Supp. No. 8 to part 744 (FR Doc 2025-19001, 90 FR 47201)"
OFAC_CITATION = (
    "31 CFR chapter V; OFAC, Revised Guidance on Entities Owned by Persons Whose Property and Interests in "
    "Property Are Blocked (2014-08-13, 79 FR 47726)"
)
RED_FLAG_CITATION = "Supp. 3 to part 732, red flag 29; Supp. No. 8 to part 744"

_LIST_NAMES = {
    ListFlag.ENTITY_LIST: "Entity List",
    ListFlag.MILITARY_END_USER: "MEU List",
    ListFlag.SDN: "SDN List",
}
# Most restrictive first, for "where several owners' requirements apply, the most restrictive".
_SEVERITY = (ListFlag.SDN, ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER)


@dataclass(frozen=True, slots=True)
class OwnerBar:
    """A listed owner's bar on licence exceptions that the Affiliates Rule passes to the evaluated party."""

    flag: ListFlag
    owners: tuple[int, ...]
    """The listed owners whose listing on ``flag`` passes on (register party ids)."""
    why: str
    """Who owns how much of the party and that the Affiliates Rule extends the owners' restrictions to it,
    completed by the bar's own clause ("whose entry's licence requirement ...", "and that list bars ...")."""
    requirement: str = ""
    """For an Entity List owner: its entry's licence-requirement column ('' when the data has none)."""
    unconfirmed: bool = False


@dataclass(frozen=True, slots=True)
class OwnershipEvaluation:
    """Findings and open items for one party, with the aggregates they rest on."""

    findings: tuple[Finding, ...]
    open_items: tuple[str, ...]
    affiliates: Aggregate | None
    """Aggregate over Entity List, MEU and SDN owners (None: no listed owner at all)."""
    ofac: Aggregate | None
    """Aggregate over SDN owners only."""
    warnings: tuple[str, ...] = ()
    bars: tuple[OwnerBar, ...] = ()
    """The owners' bars on licence exceptions the party carries on the date (none unless enforced)."""


def evaluate_ownership(
    party_id: int,
    graph: OwnershipGraph,
    listed: Mapping[int, Collection[ListFlag]],
    as_of: date,
    *,
    subject: str | None = None,
    entries: Mapping[int, Sequence[PartyListing]] | None = None,
    rule: RuleRecord | None = None,
    lists: Mapping[str, ListRule] | None = None,
    bar_rule: AffiliatesBar | None = None,
) -> OwnershipEvaluation:
    """Evaluate the ownership rules for ``party_id`` on ``as_of``.

    ``listed`` maps register party ids to the lists they are on (confirmed hits or declared
    listings); ``entries`` optionally gives the Entity List entries of listed owners, whose
    licence requirement and review policy the finding quotes and whose column scopes the owner's
    bar on licence exceptions. ``rule``, ``lists`` and ``bar_rule`` default to the rule data in use
    (the rulebook's ``affiliates-2025``, part744.json's lists and its ``affiliates_bar``).
    """
    data = rule_data() if rule is None or lists is None else None
    record = rule or (data.rulebook.rule(AFFILIATES_RULE) if data else None)
    part744 = lists or (data.part744.lists if data else None)
    assert record is not None and part744 is not None
    label = subject or graph.label(party_id)
    affiliates = aggregate(graph, listed, AFFILIATES_LISTS, party_id=party_id).get(party_id)
    ofac = aggregate(graph, listed, OFAC_LISTS, party_id=party_id).get(party_id)
    findings: list[Finding] = []
    open_items: list[str] = []
    bars: tuple[OwnerBar, ...] = ()
    if affiliates is not None and affiliates.contributions:
        finding = _affiliates(label, affiliates, graph, record, part744, as_of, entries or {})
        if finding is not None:
            findings.append(_with_amendments(finding, record.id))
        passing = bar_rule or rule_data().part744.affiliates_bar
        period = record.status_on(as_of)
        if passing is not None and period is not None and period.status == "enforced" and affiliates.covered:
            bars = _owner_bars(label, affiliates, graph, passing, period, entries or {})
    if ofac is not None and ofac.covered:
        findings.append(
            Finding(
                "ownership.ofac-50",
                Outcome.PROHIBITED,
                OFAC_CITATION,
                label,
                f"{label} is blocked under OFAC's 50 % rule: it is owned {ofac.total} % in aggregate, directly "
                f"or indirectly, by blocked persons (50 % or more). {_figures(ofac, graph)} Any dealing is "
                "prohibited without OFAC authorization, although the entity is not itself on the SDN List.",
            )
        )
    for contribution in _unknown(affiliates, ofac):
        owner = graph.label(contribution.stake.owner_id)
        why = _why_counts(contribution)
        findings.append(
            Finding(
                "ownership.red-flag-29",
                Outcome.NLR,
                RED_FLAG_CITATION,
                label,
                f"{owner} ({why}) holds a stake in {label} of unknown percentage (known as of "
                f"{contribution.stake.as_of.isoformat()}); whether {label} is 50 % or more owned by listed "
                "parties cannot be decided until the percentage is known (red flag 29).",
                review=True,
            )
        )
        open_items.append(f"{label}: find out the percentage {owner} holds ({why}; red flag 29, {RED_FLAG_CITATION})")
    return OwnershipEvaluation(
        tuple(findings), tuple(open_items), affiliates, ofac, tuple(graph.warnings(graph.ancestors(party_id))), bars
    )


def _with_amendments(finding: Finding, rule_id: str) -> Finding:
    """Name the local amendments to the rule's lifecycle the finding relied on."""
    notes = [a.text for a in rule_data().amendments if a.kind in {"lifecycle", "rule"} and a.target == rule_id]
    if not notes:
        return finding
    return replace(finding, explanation=finding.explanation.rstrip() + " Note: " + " ".join(notes))


def _affiliates(
    label: str,
    result: Aggregate,
    graph: OwnershipGraph,
    record: RuleRecord,
    lists: Mapping[str, ListRule],
    as_of: date,
    entries: Mapping[int, Sequence[PartyListing]],
) -> Finding | None:
    period = record.status_on(as_of)
    if period is None:
        return None  # before the rule took effect: ownership did not pass restrictions on
    figures = _figures(result, graph)
    if not result.covered:
        return Finding(
            "ownership.affiliates",
            Outcome.NLR,
            AFFILIATES_CITATION,
            label,
            f"{label} is owned {result.total} % in aggregate by listed parties, below 50 %, so the Affiliates "
            f"Rule does not pass their restrictions on. {figures} Significant minority ownership by a listed "
            "party is still a red flag to resolve (Supp. No. 8 to part 744).",
        )
    restrictions = _restrictions(result, graph, lists, entries)
    unconfirmed = record.unconfirmed or period.unconfirmed
    sdn_note = (
        " An SDN owner counts only if designated under a programme listed in §744.8(a)(1); the register does not "
        "record the programme, so confirm it."
        if ListFlag.SDN in result.lists
        else ""
    )
    head = (
        f"{label} is owned {result.total} % in aggregate, directly or indirectly, by listed parties (50 % or "
        f"more), so under the Affiliates Rule ({record.title}, {record.citation}, effective "
        f"{record.effective.isoformat()}) it takes on their restrictions. {figures}"
    )
    if period.status == "enforced":
        flag = (
            f" The rule data marks the period from {period.since.isoformat()} UNCONFIRMED: {period.note}"
            if period.unconfirmed and period.note
            else ""
        )
        return Finding(
            "ownership.affiliates",
            Outcome.LICENSE_REQUIRED,
            AFFILIATES_CITATION,
            label,
            f"{head} {restrictions}{sdn_note}{flag}",
            unconfirmed=unconfirmed,
            review=ListFlag.SDN in result.lists or ListFlag.MILITARY_END_USER in result.lists,
        )
    until = _period_end(record, period)
    span = f"from {period.since.isoformat()}" + (f" through {until.isoformat()}" if until else "")
    source = f" ({period.source})" if period.source else ""
    return Finding(
        "ownership.affiliates",
        Outcome.NLR,
        AFFILIATES_CITATION,
        label,
        f"Not enforced on {as_of.isoformat()}: BIS suspended the Affiliates Rule {span}{source}. {head} Were it "
        f"enforced: {restrictions}{sdn_note}",
        unconfirmed=unconfirmed,
    )


def _restrictions(
    result: Aggregate,
    graph: OwnershipGraph,
    lists: Mapping[str, ListRule],
    entries: Mapping[int, Sequence[PartyListing]],
) -> str:
    parts = []
    roots = {p.root_id: p.root_lists for p in result.paths}
    for flag in _SEVERITY:
        if flag not in result.lists:
            continue
        rule = lists[flag.value]
        text = f"{rule.name} ({rule.citation}): {rule.text}"
        if flag is ListFlag.ENTITY_LIST:
            quoted = []
            for root, root_lists in sorted(roots.items()):
                if flag not in root_lists:
                    continue
                for listing in entries.get(root, ()):
                    if listing.list_flag is flag and (listing.license_requirement or listing.license_policy):
                        quoted.append(
                            f"{graph.label(root)}: licence requirement {listing.license_requirement or 'not stated'}, "
                            f"review policy {listing.license_policy or 'not stated'}"
                        )
            text += "; " + (
                "; ".join(quoted)
                if quoted
                else f"licence requirement: {rule.default_requirement}; review policy: {rule.default_policy}"
            )
        parts.append(text)
    several = "Owners on several lists contribute: the most restrictive requirement applies. " if len(parts) > 1 else ""
    return several + " ".join(f"{p}." for p in parts)


def _owner_bars(
    label: str,
    result: Aggregate,
    graph: OwnershipGraph,
    passing: AffiliatesBar,
    period: EnforcementPeriod,
    entries: Mapping[int, Sequence[PartyListing]],
) -> tuple[OwnerBar, ...]:
    """One bar per Entity List owner and entry (each entry reaches its own items), one per other list."""
    roots: dict[int, frozenset[ListFlag]] = {}
    for path in result.paths:
        roots[path.root_id] = roots.get(path.root_id, frozenset()) | path.root_lists
    roster = " and ".join(
        f"{_register_label(graph, r)} [{', '.join(_LIST_NAMES[f] for f in _SEVERITY if f in lists)}]"
        for r, lists in sorted(roots.items())
    ) + (" and others (further paths left out)" if result.paths_truncated else "")
    flags = "; that it carries the owners' bars on licence exceptions is UNCONFIRMED" if passing.unconfirmed else ""
    if period.unconfirmed:
        flags += f"; its enforcement from {period.since.isoformat()} is UNCONFIRMED"
    head = (
        f"{label} is owned {result.total} % in aggregate by {roster}, and the Affiliates Rule "
        f"({passing.citation}{flags}) extends to it the"
    )
    unconfirmed = passing.unconfirmed or period.unconfirmed
    bars: list[OwnerBar] = []
    for flag in _SEVERITY:
        if flag not in result.lists:
            continue
        owners = tuple(r for r, lists in sorted(roots.items()) if flag in lists)
        through = "" if owners else " (carried down from the listed owners above)"
        # Paths end at the first listed owner: a list carried only above it is named by the direct owners.
        owners = owners or tuple(c.stake.owner_id for c in result.contributions if flag in c.owner_lists)
        names = " and ".join(_register_label(graph, o) for o in owners) + through
        if flag is not ListFlag.ENTITY_LIST:
            programme = " (if designated under a programme listed in §744.8(a)(1))" if flag is ListFlag.SDN else ""
            why = f"{head} {_LIST_NAMES[flag]} restrictions of {names}{programme}"
            bars.append(OwnerBar(flag, owners, why, unconfirmed=unconfirmed))
            continue
        for owner in owners:
            columns = [x.license_requirement for x in entries.get(owner, ()) if x.list_flag is flag and x.resolved]
            why = f"{head} Entity List restrictions of {_register_label(graph, owner)}{through}"
            bars.extend(OwnerBar(flag, (owner,), why, column, unconfirmed) for column in dict.fromkeys(columns or [""]))
    return tuple(bars)


def _register_label(graph: OwnershipGraph, party_id: int) -> str:
    """ "Red Star (register party 1)": a case's findings number case parties, so register ids say so."""
    name = graph.names.get(party_id)
    return f"{name} (register party {party_id})" if name else f"register party {party_id}"


def _figures(result: Aggregate, graph: OwnershipGraph) -> str:
    """The paths, each stake and the sum, as the findings print them."""
    paths = "; ".join(_path(p, graph) for p in result.paths)
    more = " (further paths left out)" if result.paths_truncated else ""
    terms = " + ".join(f"{c.stake.percent} % ({graph.label(c.stake.owner_id)})" for c in result.contributions)
    return f"Paths: {paths}{more}. Sum of the direct stakes of owners that count: {terms} = {result.total} %."


def _path(path: OwnershipPath, graph: OwnershipGraph) -> str:
    listed = ", ".join(_LIST_NAMES[f] for f in _SEVERITY if f in path.root_lists)
    text = f"{graph.label(path.root_id)} [{listed}]"
    for i, stake in enumerate(path.stakes):
        text += (" holds " if i == 0 else ", which holds ") + (
            f"{stake.percent_text} (as of {stake.as_of.isoformat()}) of {graph.label(stake.owned_id)}"
        )
    return text


def _why_counts(contribution: Contribution) -> str:
    if contribution.owner_listed:
        return "on the " + ", ".join(_LIST_NAMES[f] for f in _SEVERITY if f in contribution.owner_listed)
    return "itself 50 % or more owned by listed parties"


def _unknown(*results: Aggregate | None) -> list[Contribution]:
    seen: set[int] = set()
    out = []
    for result in results:
        for contribution in result.unknown if result else ():
            if contribution.stake.owner_id not in seen:
                seen.add(contribution.stake.owner_id)
                out.append(contribution)
    return out


def _period_end(record: RuleRecord, period: EnforcementPeriod) -> date | None:
    later = sorted(p.since for p in record.enforcement if p.since > period.since)
    return later[0] - timedelta(days=1) if later else None
