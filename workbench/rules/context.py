"""What one evaluation knows: the case, the date and posture, the data, and what is found so far.

Checks read facts through the helpers here (item levels, party headquarters, group
membership, rule lifecycles) and report through ``add``/``open_item``, so ordering,
UNCONFIRMED marking and date notes are handled in one place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.determination import Finding, Outcome, Posture
from workbench.rules.classify import Suggestion, ac_level, in_ac_family, paragraph_for, stricter, suggest_eccn
from workbench.rules.data import RuleData, RuleRecord, consulted_now
from workbench.rules.groups import GroupTable, Membership
from workbench.rules.listing import PartyListing
from workbench.rules.ownership import OwnershipEvaluation


@dataclass(frozen=True, slots=True)
class ItemInfo:
    """An item with the classification facts every check needs."""

    index: int
    """1-based position in the case."""
    item: Item
    eccn: str | None
    """The ECCN the checks use: the given one, else the assistant's proposal."""
    proposed: bool
    level: str | None
    """Advanced-computing level: ``a``, ``b``, ``hbm``, ``unknown`` (3A090-type, paragraph unknown) or None."""
    ac_eccn: str | None
    """The 3A090-type ECCN matching ``level`` (may differ from ``eccn`` when figures contradict it)."""
    suggestion: Suggestion | None

    @property
    def subject(self) -> str:
        return f"item {self.index}"

    @property
    def label(self) -> str:
        name = self.item.model or self.item.description
        cls = self.eccn or "unclassified"
        return f"item {self.index} ({name}, {cls}{' proposed' if self.proposed else ''})"

    @property
    def advanced(self) -> bool:
        return self.level in ("a", "b", "unknown")


def item_info(index: int, item: Item) -> ItemInfo:
    suggestion = (
        suggest_eccn(item.tpp, item.performance_density, item.datacenter, description=item.description)
        if item.tpp is not None
        else None
    )
    given = item.eccn
    given_level = ac_level(given)
    if given_level == "hbm":
        return ItemInfo(index, item, given, False, "hbm", given, suggestion)
    figure_level = suggestion.paragraph if suggestion else None
    level = stricter(given_level, figure_level)
    if level is None and in_ac_family(given) and given_level is None:
        level = "unknown"
    ac_eccn = given if level == given_level else (suggestion.eccn if suggestion else None)
    if given is None and suggestion and suggestion.eccn:
        return ItemInfo(index, item, suggestion.eccn, True, level, ac_eccn, suggestion)
    return ItemInfo(index, item, given, False, level, ac_eccn, suggestion)


@dataclass
class Context:
    case: Case
    as_of: date
    posture: Posture
    data: RuleData
    groups: GroupTable
    listings: Mapping[int, Sequence[PartyListing]]
    items: tuple[ItemInfo, ...]
    """The items the checks judge: those subject to the EAR (or not yet shown not to be, see checks.foreign)."""
    not_subject: list[ItemInfo] = field(default_factory=list)
    """Foreign-made items shown not to be subject to the EAR; the other checks do not see them."""
    _findings: list[tuple[tuple[object, ...], Finding]] = field(default_factory=list)
    _open: list[str] = field(default_factory=list)
    _hq_memo: dict[tuple[object, ...], list[tuple[int, Party, Membership]]] = field(default_factory=dict)
    ownership_memo: list[tuple[int, str, OwnershipEvaluation]] | None = None
    """The register parties' ownership evaluations (``checks.ownership``), made once per check for its
    findings and for the bars on licence exceptions the Affiliates Rule passes on."""

    # --- reporting ---------------------------------------------------------------------------

    def add(
        self,
        rule: str,
        outcome: Outcome,
        citation: str,
        subject: str,
        explanation: str,
        *,
        order: tuple[int, int],
        notes: Iterable[str] = (),
        unconfirmed: bool = False,
        review: bool = False,
        exception: str | None = None,
        provisional: str | None = None,
    ) -> None:
        text = explanation.strip()
        notes = [*notes, *self._amendment_notes()]
        extra = [n for n in dict.fromkeys(notes) if n]
        if extra:
            text += " Note: " + " ".join(n.rstrip(".") + "." for n in extra)
        unconfirmed = unconfirmed or "UNCONFIRMED" in text
        if unconfirmed and "UNCONFIRMED" not in text:
            text += " (Relies on facts marked UNCONFIRMED in the rule data.)"
        finding = Finding(
            rule, outcome, citation, subject, text, unconfirmed, review, exception, provisional=provisional
        )
        key = (-outcome.severity, order, rule, citation, text)
        self._findings.append((key, finding))

    def _amendment_notes(self) -> list[str]:
        """The local amendments behind what the running check has read so far."""
        if not self.data.amendments:
            return []
        seen = consulted_now()
        if seen is None:
            return [a.text for a in self.data.amendments]
        notes = []
        for amendment in self.data.amendments:
            if amendment.kind in {"lifecycle", "rule"}:
                used = amendment.target in seen.rules
            elif amendment.kind == "group_change":
                used = amendment.target in seen.countries
            else:
                used = seen.advanced
            if used:
                notes.append(amendment.text)
        return notes

    def open_item(self, text: str) -> None:
        if text not in self._open:
            self._open.append(text)

    def drop_open_items(self, marker: str) -> None:
        """Withdraw open items a later rule has answered (e.g. "check the EI requirement" once 742.15 is applied)."""
        self._open = [text for text in self._open if marker not in text]

    def findings(self) -> list[Finding]:
        return [f for _, f in sorted(self._findings, key=lambda kv: kv[0])]

    def replace_findings(self, findings: list[tuple[tuple[object, ...], Finding]]) -> None:
        self._findings = findings

    def raw_findings(self) -> list[tuple[tuple[object, ...], Finding]]:
        return list(self._findings)

    @property
    def open_items(self) -> list[str]:
        return list(self._open)

    # --- facts -------------------------------------------------------------------------------

    def member(self, code: str) -> Membership:
        return self.groups.lookup(code, self.as_of)

    def party_label(self, index: int) -> str:
        party = self.case.parties[index]
        return f"party {index + 1} ({party.name})"

    def parties_in_roles(self, roles: Iterable[str]) -> list[tuple[int, Party]]:
        wanted = {PartyRole(r) for r in roles}
        return [(i, p) for i, p in enumerate(self.case.parties) if p.role in wanted]

    def hq_parties(
        self, groups: Iterable[str], countries: Iterable[str], roles: Iterable[str] | None = None
    ) -> list[tuple[int, Party, Membership]]:
        """Parties headquartered (or whose ultimate parent is) in the given groups/countries."""
        wanted_groups, wanted_countries = tuple(groups), tuple(countries)
        wanted_roles = None if roles is None else tuple(roles)
        key = (wanted_groups, wanted_countries, wanted_roles)
        if key not in self._hq_memo:
            pool = (
                self.parties_in_roles(wanted_roles) if wanted_roles is not None else list(enumerate(self.case.parties))
            )
            out = []
            for index, _own in pool:
                party = self.headquartered(index)
                inside, member = self.groups.in_scope(
                    party.effective_headquarters, self.as_of, groups=wanted_groups, countries=wanted_countries
                )
                if inside:
                    out.append((index, party, member))
            self._hq_memo[key] = out
        return list(self._hq_memo[key])

    def headquartered(self, index: int) -> Party:
        """The party with the headquarters the rules use: its ultimate parent's, when the register
        records a chain of majority owners above it (the ownership facts), else its own."""
        party = self.case.parties[index]
        facts = self.case.ownership
        if facts is None or party.register_id is None:
            return party
        chain = facts.controlling_chain(party.register_id)
        parent = facts.party(chain[-1].owner_id) if chain else None
        if parent is None or parent.effective_headquarters == party.effective_headquarters:
            return party
        return replace(party, headquarters_country=parent.effective_headquarters)

    def rule(self, rule_id: str) -> RuleRecord:
        return self.data.rulebook.rule(rule_id)

    def diffusion_applied(self) -> bool:
        """Whether the AI Diffusion rule's codified requirements bind on ``as_of`` under the posture."""
        record = self.rule(self.data.advanced.diffusion.rulebook)
        if self.as_of < record.binding_from():
            return False
        if self.posture is Posture.CODIFIED:
            return True
        status = record.status_on(self.as_of)
        return status is not None and status.status == "enforced"

    def destination_name(self) -> str:
        return country_name(self.case.destination)

    def figures(self, info: ItemInfo) -> str:
        item = info.item
        parts = []
        if item.tpp is not None:
            parts.append(f"TPP {item.tpp:,.0f}")
        if item.performance_density is not None:
            parts.append(f"PD {item.performance_density:g}")
        if item.datacenter:
            parts.append("designed or marketed for datacenters")
        return "; ".join(parts)


def level_for(info: ItemInfo) -> str | None:
    """The paragraph the figures alone give (used to explain contradictions)."""
    item = info.item
    if item.tpp is None:
        return None
    return paragraph_for(item.tpp, item.performance_density, item.datacenter).paragraph
