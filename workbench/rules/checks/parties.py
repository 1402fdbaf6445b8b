"""Rule 7: listed parties (Entity List, Denied Persons, Unverified List, MEU, SDN) and part 744 end uses.

Screening results (``PartyListing``) come first; a party's ``listed_on`` flags are the
fallback until screening lands. An unresolved hit counts as a match until an officer clears
it: it gives the list's consequence as a *provisional* finding ("licence required if the
Entity List match for party 2 is confirmed") plus an open item, never NLR. Lists that bar
licence exceptions are exposed to the engine through ``exception_bars`` (provisionally for
unresolved hits; an Entity List entry only for the items its licence-requirement column reaches,
§744.16(b), read by ``elscope``), which ``bars`` applies after the exceptions are found.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.case import DocumentKind, ListFlag
from workbench.domain.determination import Outcome
from workbench.rules.checks import elscope
from workbench.rules.checks.common import CASE, party_order
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import ListRule
from workbench.rules.listing import PartyListing

UNRESOLVED_RULE = "screening.unresolved"
"""The rule of an unresolved hit's provisional finding."""


@dataclass(frozen=True, slots=True)
class Listed:
    index: int
    rule: ListRule
    listing: PartyListing | None
    """None when the input was the party's ``listed_on`` flag."""


def listed(ctx: Context) -> tuple[list[Listed], list[tuple[int, PartyListing]]]:
    """(confirmed listings, unresolved hits), screening results first, flags as fallback."""
    lists = ctx.data.part744.lists
    confirmed: list[Listed] = []
    unresolved: list[tuple[int, PartyListing]] = []
    for index, party in enumerate(ctx.case.parties):
        seen: set[ListFlag] = set()
        for listing in ctx.listings.get(index, ()):
            if listing.resolved:
                confirmed.append(Listed(index, lists[listing.list_flag.value], listing))
                seen.add(listing.list_flag)
            else:
                unresolved.append((index, listing))
        for flag in party.listed_on:
            if flag not in seen:
                confirmed.append(Listed(index, lists[flag.value], None))
                seen.add(flag)
    return confirmed, unresolved


@dataclass(frozen=True, slots=True)
class ExceptionBar:
    why: str
    allowed: tuple[str, ...]
    """The licence exceptions that survive the listing."""
    provisional: str | None = None
    """The condition (an unresolved hit being confirmed) under which the bar holds; None when firm."""
    items: frozenset[int] | None = None
    """The case's items (1-based positions) the bar holds for; None: every item (DPL, UVL, MEU, SDN, and an
    Entity List entry whose column reaches all items or cannot be read)."""
    reach: str = ""
    """For an entry-scoped bar: what the entry's licence requirement reaches, as the findings say it."""
    citation: str = ""
    """For an entry-scoped bar: the paragraph that bars the exceptions (15 CFR 744.16(b))."""
    settled: bool = False
    """For an entry-scoped bar: the column was read (all items, the CCL, named ECCNs), not taken at its widest."""
    unconfirmed: bool = False
    """The bar rests on a reading the rule data marks UNCONFIRMED (e.g. one the Affiliates Rule passes on)."""

    def covers(self, subject: str) -> bool:
        """Whether the bar holds for a finding about ``subject``: an item the entry reaches, or, for a
        finding about the case, a destination or a party, any item it reaches."""
        if self.items is None:
            return True
        index = elscope.item_index(subject)
        return bool(self.items) if index is None else index in self.items


def short_name(rule: ListRule) -> str:
    """ "Entity List" from "Entity List (Supp. 4 to part 744)"."""
    return rule.name.split(" (")[0]


def provisional_condition(ctx: Context, index: int, rule: ListRule) -> str:
    return f"the {short_name(rule)} match for {ctx.party_label(index)} is confirmed"


def exception_bars(ctx: Context) -> list[ExceptionBar]:
    """Every confirmed listing, and every unresolved hit (provisionally), that bars licence exceptions.

    An Entity List entry bars them only for the items its licence-requirement column reaches
    (§744.16(b): "to listed entities ... of specified items"); the other lists bar them for every item.
    """
    lists = ctx.data.part744.lists
    confirmed, unresolved = listed(ctx)
    bars = [
        listing_bar(
            ctx,
            x.rule,
            f"{ctx.party_label(x.index)} is on the {x.rule.name} ({x.rule.citation})",
            x.listing.license_requirement if x.listing else "",
            None,
        )
        for x in confirmed
        if x.rule.bars_exceptions
    ]
    for index, listing in unresolved:
        rule = lists[listing.list_flag.value]
        if rule.bars_exceptions:
            bars.append(
                listing_bar(
                    ctx,
                    rule,
                    f"{ctx.party_label(index)} may be on the {rule.name} ({rule.citation}; unresolved screening hit)",
                    listing.license_requirement,
                    provisional_condition(ctx, index, rule),
                )
            )
    return bars


def listing_bar(
    ctx: Context,
    rule: ListRule,
    why: str,
    requirement: str,
    provisional: str | None,
    *,
    unconfirmed: bool = False,
    missing: str = "",
) -> ExceptionBar:
    """The bar a listing on ``rule``'s list puts on licence exceptions; ``why`` names who is listed and how.

    ``requirement`` is the Entity List entry's column ('' when not known: every item is reached, and
    ``missing``, if given, says so in place of the default "is not recorded ...").
    """
    if rule.bar_scope == "case":
        return ExceptionBar(why, rule.allowed_exceptions, provisional, unconfirmed=unconfirmed)
    reading = elscope.read(ctx, requirement)
    # §744.16(b) keeps the exceptions "the Entity List specifies": an entry that names GOV keeps GOV.
    allowed = (*rule.allowed_exceptions, "GOV") if reading.gov else rule.allowed_exceptions
    return ExceptionBar(
        why,
        tuple(dict.fromkeys(allowed)),
        provisional,
        items=elscope.reached(ctx, reading),
        reach=missing if missing and reading.scope == "none" else elscope.reach_phrase(reading, requirement),
        citation=rule.bar_citation or rule.citation,
        settled=reading.scope in ("all", "ccl", "eccns"),
        unconfirmed=unconfirmed,
    )


def part744_reasons(ctx: Context, item: ItemInfo | None = None) -> list[str]:
    """Why a part 744 end-use or end-user control applies (for exceptions such as SPP), to ``item`` if given.

    An Entity List entry counts only for the items its licence-requirement column reaches: for the others
    it requires no licence (§744.16(a)), so it is no part 744 requirement for them.
    """
    confirmed, _ = listed(ctx)
    reasons = [
        f"{ctx.party_label(x.index)} is on the {x.rule.name}"
        for x in confirmed
        if x.rule.part744
        and (
            item is None
            or x.rule.rule not in elscope.ENTITY_LIST_RULES
            or elscope.covers(elscope.read(ctx, x.listing.license_requirement if x.listing else ""), item)
        )
    ]
    end_use = ctx.case.end_use
    for key, rule in ctx.data.part744.end_uses.items():
        if rule.part744 and getattr(end_use, key, False):
            reasons.append(f"the case records a {key} end use ({rule.citation})")
    return reasons


def _unresolved(ctx: Context, index: int, listing: PartyListing) -> None:
    """An unresolved hit is a match until cleared: the list's consequence, provisionally."""
    label = ctx.party_label(index)
    rule = ctx.data.part744.lists[listing.list_flag.value]
    text = (
        f'{label}: unresolved possible match on {listing.source_name} entry "{listing.entry_name}" '
        f"({rule.name}), treated as a match until an officer clears it as a false positive. "
        f"If confirmed: {rule.text}."
    )
    if rule.default_requirement is not None:
        requirement = listing.license_requirement or rule.default_requirement
        policy = listing.license_policy or rule.default_policy or ""
        text += f" Licence requirement: {requirement}. Licence review policy: {policy}."
    ctx.add(
        UNRESOLVED_RULE,
        Outcome(rule.outcome),
        rule.citation,
        label,
        text,
        order=party_order(index),
        review=True,
        provisional=provisional_condition(ctx, index, rule),
    )
    consequence = Outcome(rule.outcome).label
    if rule.default_requirement is not None:
        # An Entity List entry's own column decides what a confirmed match requires (enduse.entity_scope).
        consequence = "the entry's licence requirement, read for the case's items"
    ctx.open_item(
        f'{label}: resolve the possible {listing.source_name} match "{listing.entry_name}"; until an officer '
        f"clears it the case counts it as a match ({consequence[0].lower()}{consequence[1:]} if confirmed): "
        "mark it a true match, or a false positive with a reason"
    )


def _has_document(ctx: Context, kind: DocumentKind, party_name: str) -> bool:
    return any(d.kind is kind and (not d.covers_parties or party_name in d.covers_parties) for d in ctx.case.documents)


def run(ctx: Context) -> None:
    confirmed, unresolved = listed(ctx)
    for x in confirmed:
        party = ctx.case.parties[x.index]
        label = ctx.party_label(x.index)
        source = (
            f'screening match on {x.listing.source_name} entry "{x.listing.entry_name}"'
            if x.listing
            else "the party is flagged as listed on the case"
        )
        text = f"{label}: {source}. On the {x.rule.name}: {x.rule.text}."
        if x.rule.default_requirement is not None:
            requirement = (x.listing.license_requirement if x.listing else "") or x.rule.default_requirement
            policy = (x.listing.license_policy if x.listing else "") or (x.rule.default_policy or "")
            text += f" Licence requirement: {requirement}. Licence review policy: {policy}."
        ctx.add(
            x.rule.rule,
            Outcome(x.rule.outcome),
            x.rule.citation,
            label,
            text,
            order=party_order(x.index),
            review=x.rule.review,
        )
        if x.rule.document and not _has_document(ctx, DocumentKind(x.rule.document), party.name):
            ctx.open_item(
                f"{label}: obtain the {DocumentKind(x.rule.document).value.replace('_', ' ')} "
                f"required by {x.rule.citation} before shipping"
            )
        elif x.rule.review:
            ctx.open_item(f"{label}: {x.rule.name} listing needs review ({x.rule.citation})")
    for index, listing in unresolved:
        _unresolved(ctx, index, listing)
    end_use = ctx.case.end_use
    for key, use in sorted(ctx.data.part744.end_uses.items()):
        if getattr(end_use, key, False):
            ctx.add(
                use.rule,
                Outcome(use.outcome),
                use.citation,
                "case",
                f"End use: {use.text}.",
                order=CASE,
                review=use.review,
            )
            if use.review:
                ctx.open_item(f"case: review the {key} end use ({use.citation})")
