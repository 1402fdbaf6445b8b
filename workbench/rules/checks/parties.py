"""Rule 7: listed parties (Entity List, Denied Persons, Unverified List, MEU, SDN) and part 744 end uses.

Screening results (``PartyListing``) come first; a party's ``listed_on`` flags are the
fallback until screening lands. An unresolved hit counts as a match until an officer clears
it: it gives the list's consequence as a *provisional* finding ("licence required if the
Entity List match for party 2 is confirmed") plus an open item, never NLR. Lists that bar
licence exceptions are exposed to the engine through ``exception_bars`` (provisionally for
unresolved hits).
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.case import DocumentKind, ListFlag
from workbench.domain.determination import Outcome
from workbench.rules.checks.common import CASE, party_order
from workbench.rules.context import Context
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


def short_name(rule: ListRule) -> str:
    """ "Entity List" from "Entity List (Supp. 4 to part 744)"."""
    return rule.name.split(" (")[0]


def provisional_condition(ctx: Context, index: int, rule: ListRule) -> str:
    return f"the {short_name(rule)} match for {ctx.party_label(index)} is confirmed"


def exception_bars(ctx: Context) -> list[ExceptionBar]:
    """Every confirmed listing, and every unresolved hit (provisionally), that bars licence exceptions."""
    lists = ctx.data.part744.lists
    confirmed, unresolved = listed(ctx)
    bars = [
        ExceptionBar(
            f"{ctx.party_label(x.index)} is on the {x.rule.name} ({x.rule.citation})", x.rule.allowed_exceptions
        )
        for x in confirmed
        if x.rule.bars_exceptions
    ]
    for index, listing in unresolved:
        rule = lists[listing.list_flag.value]
        if rule.bars_exceptions:
            bars.append(
                ExceptionBar(
                    f"{ctx.party_label(index)} may be on the {rule.name} ({rule.citation}; unresolved screening hit)",
                    rule.allowed_exceptions,
                    provisional_condition(ctx, index, rule),
                )
            )
    return bars


def part744_reasons(ctx: Context) -> list[str]:
    """Why a part 744 end-use or end-user control applies (for exceptions such as SPP)."""
    confirmed, _ = listed(ctx)
    reasons = [f"{ctx.party_label(x.index)} is on the {x.rule.name}" for x in confirmed if x.rule.part744]
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
