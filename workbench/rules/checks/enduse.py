"""Part 744 end uses and end users beyond ``parties``: §744.2-744.4 told apart, §744.23, §744.6, §744.21's
destinations, and each Entity List entry read for its own scope (its "License Requirement" column).

``run`` is a check (findings per recorded end use); ``entity_scope`` runs after the checks and
rewrites each Entity List finding to say which of the case's items the entry reaches ("all
items subject to the EAR", "items on the CCL", named ECCNs, a project-limited entry; read by
``elscope``, which the exception bar shares) and what its footnotes imply, so one outcome is no
longer given for every entry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from workbench.domain.case import ListFlag
from workbench.domain.countries import country_name
from workbench.domain.determination import Finding, Outcome
from workbench.domain.eccn import EAR99
from workbench.rules.checks import elscope
from workbench.rules.checks.common import CASE
from workbench.rules.checks.elscope import ENTITY_LIST_RULES
from workbench.rules.checks.parties import UNRESOLVED_RULE, listed, provisional_condition
from workbench.rules.context import Context
from workbench.rules.extdata import EndUseControl

__all__ = ["ENTITY_LIST_RULES", "entity_scope", "run"]


def _items_text(ctx: Context, control: EndUseControl) -> tuple[str, list[str]]:
    """Which items a control reaches, and the subjects of the unclassified ones (to confirm)."""
    if control.items == "all":
        return "all items subject to the EAR (every item of the case)", []
    if control.items == "activity":
        return "the U.S. person's activity, whatever the items", []
    on_ccl = [i.subject for i in ctx.items if i.eccn and i.eccn != EAR99]
    ear99 = [i.subject for i in ctx.items if i.eccn == EAR99]
    unknown = [i.subject for i in ctx.items if not i.eccn]
    parts = [f"items on the CCL: {', '.join(on_ccl) or 'none'}"]
    if ear99:
        parts.append(f"not the EAR99 {', '.join(ear99)}")
    if unknown:
        parts.append(f"unclassified {', '.join(unknown)} (covered unless EAR99)")
    return "; ".join(parts), unknown


def run(ctx: Context) -> None:
    rules = ctx.data.end_use_rules
    end_use = ctx.case.end_use
    for key, control in rules.end_uses.items():
        if not getattr(end_use, key, False):
            continue
        _end_use(ctx, key, control)
    if end_use.wmd and not (end_use.nuclear or end_use.missile or end_use.chem_bio):
        ctx.open_item(f"case: {rules.legacy_wmd}")
    if end_use.military:
        _meu_destinations(ctx)


def _end_use(ctx: Context, key: str, control: EndUseControl) -> None:
    label = key.replace("_", " ")
    if control.since is not None and ctx.as_of < control.since:
        ctx.add(
            control.rule,
            Outcome.NLR,
            control.citation,
            "case",
            f"End use ({label}): the control was not in force on {ctx.as_of.isoformat()} (in force from "
            f"{control.since.isoformat()}); {control.text}.",
            order=CASE,
            unconfirmed=control.unconfirmed,
        )
        return
    inside, member = ctx.groups.in_scope(
        ctx.case.destination,
        ctx.as_of,
        groups=control.groups,
        countries=control.countries,
        worldwide=control.worldwide,
    )
    scope, unknown = _items_text(ctx, control)
    dest = country_name(ctx.case.destination)
    if not inside:
        ctx.add(
            control.rule,
            Outcome.NLR,
            control.citation,
            "case",
            f"End use ({label}): {control.text}. The destination {dest} is outside Macau and Country Group D:5 "
            f"on {ctx.as_of.isoformat()}, so the control applies only if the facility or supercomputer is located "
            "there; confirm its location.",
            order=CASE,
            notes=member.notes,
            unconfirmed=control.unconfirmed or member.unconfirmed,
            review=True,
        )
        ctx.open_item(
            f"case: confirm where the {label} end use is located ({control.citation}); "
            "a location in Macau or D:5 requires a licence"
        )
        return
    no_items = control.items == "ccl" and "items on the CCL: none" in scope and not unknown
    ctx.add(
        control.rule,
        Outcome.NLR if no_items else Outcome.LICENSE_REQUIRED,
        control.citation,
        "case",
        f"End use ({label}): {control.text}. Reaches {scope}."
        + (" No item of the case is on the CCL, so this control requires no licence." if no_items else ""),
        order=CASE,
        notes=member.notes,
        unconfirmed=control.unconfirmed or member.unconfirmed,
        review=bool(unknown),
    )


def _meu_destinations(ctx: Context) -> None:
    meu = ctx.data.end_use_rules.meu
    countries = tuple(c for c in meu.countries if meu.countries_since.get(c, ctx.as_of) <= ctx.as_of)
    inside, member = ctx.groups.in_scope(ctx.case.destination, ctx.as_of, countries=countries)
    dest = country_name(ctx.case.destination)
    if not inside:
        later = [c for c in meu.countries if c not in countries and c in (ctx.case.destination, member.country)]
        added = (
            f" {dest} was added to {meu.citation} on {meu.countries_since[later[0]].isoformat()} "
            f"({meu.countries_sources.get(later[0], 'rule not recorded')}), after {ctx.as_of.isoformat()}."
            if later
            else ""
        )
        ctx.add(
            "end-use.meu-destinations",
            Outcome.NLR,
            meu.citation,
            "case",
            f"Military end use: {dest} is not one of the destinations of {meu.citation} on "
            f"{ctx.as_of.isoformat()} ({', '.join(country_name(c) for c in countries)}), so the military end-use "
            f"rule does not require a licence there; the military-intelligence rule (744.22) still applies.{added}",
            order=CASE,
            notes=member.notes,
            unconfirmed=meu.countries_unconfirmed,
        )
        return
    ctx.add(
        "end-use.meu-destinations",
        Outcome.LICENSE_REQUIRED,
        meu.citation,
        "case",
        f"Military end use in {dest}: {meu.text}. Until each item is confirmed against Supp. 2 to part 744, "
        "every item is treated as covered.",
        order=CASE,
        notes=member.notes,
        unconfirmed=meu.countries_unconfirmed,
        review=True,
    )
    ctx.open_item(
        f"case: confirm which items are listed in Supp. 2 to part 744 (military end use in {dest}, {meu.citation}); "
        "not evaluated by the engine"
    )


@dataclass(frozen=True, slots=True)
class _Unresolved:
    """An unresolved Entity List hit: its finding is found by subject, condition and the entry it quotes."""

    subject: str
    condition: str
    quoted: str
    requirement: str


def entity_scope(ctx: Context) -> None:
    """Rewrite each Entity List finding for the entry's own scope (all items / CCL items / ECCNs / projects).

    Unresolved hits are read the same way as confirmed ones: the provisional finding says what the
    entry would require if the match is confirmed, so a hit on an entry that does not reach the
    case's items reads "no licence required if confirmed" instead of the list's widest consequence.
    """
    confirmed, unresolved = listed(ctx)
    by_label: dict[str, str] = {}
    for x in confirmed:
        if x.rule.rule in ENTITY_LIST_RULES and x.listing is not None:
            by_label[ctx.party_label(x.index)] = x.listing.license_requirement
        elif x.rule.rule in ENTITY_LIST_RULES:
            by_label.setdefault(ctx.party_label(x.index), "")
    hits = [
        _Unresolved(
            ctx.party_label(index),
            provisional_condition(ctx, index, ctx.data.part744.lists[listing.list_flag.value]),
            f'entry "{listing.entry_name}"',
            listing.license_requirement,
        )
        for index, listing in unresolved
        if listing.list_flag is ListFlag.ENTITY_LIST
    ]
    if not by_label and not hits:
        return
    reading = ctx.data.end_use_rules.entity_list
    updated: list[tuple[tuple[object, ...], Finding]] = []
    for key, finding in ctx.raw_findings():
        if finding.rule in ENTITY_LIST_RULES and finding.subject in by_label:
            updated.append(_rescoped(ctx, key, finding, by_label[finding.subject], reading.footnote_note))
            continue
        hit = _unresolved_hit(finding, hits)
        if hit is None:
            updated.append((key, finding))
        elif not hit.requirement:
            updated.append((key, replace(finding, explanation=f"{finding.explanation} {_NO_COLUMN}")))
        else:
            updated.append(_rescoped(ctx, key, finding, hit.requirement, reading.footnote_note))
    ctx.replace_findings(updated)


_NO_COLUMN = (
    "The screening source gives no licence-requirement column for this entry, so it is read as the widest "
    "scope, all items subject to the EAR."
)


def _unresolved_hit(finding: Finding, hits: list[_Unresolved]) -> _Unresolved | None:
    if finding.rule != UNRESOLVED_RULE:
        return None
    for hit in hits:
        same = finding.subject == hit.subject and finding.provisional == hit.condition
        if same and hit.quoted in finding.explanation:
            return hit
    return None


def _rescoped(
    ctx: Context, key: tuple[object, ...], finding: Finding, requirement: str, footnote_note: str
) -> tuple[tuple[object, ...], Finding]:
    if not requirement:
        return key, replace(
            finding,
            explanation=f"{finding.explanation} The entry's licence-requirement column is not recorded (the party "
            "is flagged, not matched to an entry), so it is read as the widest scope, all items subject to the EAR.",
        )
    reading = elscope.read(ctx, requirement)
    scope, notes, gov = reading.scope, reading.notes, reading.gov
    text = finding.explanation
    outcome = finding.outcome
    review = finding.review
    unconfirmed = finding.unconfirmed or reading.unconfirmed
    if scope == "all":
        text += " Scope of the entry: all items subject to the EAR, so every item of the case needs a licence."
    elif scope in ("ccl", "eccns"):
        inside = [i for i in ctx.items if elscope.covers(reading, i)]
        reached = [i.subject for i in inside if i.eccn]
        unknown = [i.subject for i in inside if not i.eccn]
        outside = [i for i in ctx.items if i not in inside]
        if scope == "ccl":
            not_reached = f"; not the EAR99 {', '.join(i.subject for i in outside)}" if outside else ""
            unless, none_text = "they are EAR99", " No item of the case is on the CCL"
        else:
            not_reached = f"; not {', '.join(f'{i.subject} ({i.eccn})' for i in outside)}" if outside else ""
            unless, none_text = "classified outside them", " No item of the case is classified under those ECCNs"
        text += (
            f" Scope of the entry: {elscope.scope_phrase(reading)}"
            + (f"; it reaches {', '.join(reached)}" if reached else "")
            + not_reached
            + (f"; unclassified {', '.join(unknown)} are covered unless {unless}" if unknown else "")
            + "."
        )
        if not inside:
            outcome = Outcome.NLR
            text += (
                none_text
                + ", so this entry requires no licence for it"
                + (
                    " even if the match is confirmed; the hit stays open until an officer resolves it."
                    if finding.provisional
                    else "."
                )
            )
            review = True
    elif scope == "projects":
        text += (
            " Scope of the entry: items subject to the EAR only when used in the projects the entry names "
            "(e.g. §746.8(a)(4)); confirm whether this transaction is for such a project."
        )
        review = True
        ctx.open_item(f"{finding.subject}: confirm whether the items are for the projects the Entity List entry names")
    else:
        text += " The entry's licence-requirement wording is not one the engine reads; it is treated as all items."
        review = True
        ctx.open_item(f'{finding.subject}: read the Entity List entry\'s licence requirement ("{requirement[:200]}")')
    if notes:
        text += " Footnotes: " + "; ".join(notes) + f". {footnote_note}."
    if gov:
        text += " The entry says License Exception GOV (§740.11(b)(2)) may overcome it; GOV is not evaluated."
    return (-outcome.severity, *key[1:]), replace(
        finding, outcome=outcome, explanation=text, review=review, unconfirmed=unconfirmed
    )
