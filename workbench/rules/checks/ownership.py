"""Ownership of the case's register parties: Affiliates Rule, OFAC 50 %, red flag 29, headquarters
of the ultimate parent, and ownership not known (issue #14).

Reads only ``case.ownership`` (the plain facts services gathered from the register) and evaluates
each register party with ``rules.ownership.evaluate_ownership``, the same pure code as
``party owners``, as of the case date and with the Affiliates Rule's lifecycle from the rulebook.
A case party kept only in the case has no ownership data and is not evaluated here.

``exception_bars`` gives ``bars`` the listed owners' bars on licence exceptions that a covered party
carries while the Affiliates Rule is enforced. An Entity List owner's bar is scoped by its entry's
licence-requirement column (``elscope``) when the case knows it, i.e. when the owner is itself a case
party with a confirmed Entity List match; the ownership facts carry no column, so otherwise every item
is taken as reached, and the finding says so.
"""

from __future__ import annotations

from workbench.domain.case import ListFlag
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.domain.ownership import OwnershipCycleError
from workbench.rules.checks.common import party_order
from workbench.rules.checks.parties import ExceptionBar, listing_bar
from workbench.rules.context import Context
from workbench.rules.listing import PartyListing
from workbench.rules.ownership import RED_FLAG_CITATION, OwnershipEvaluation, evaluate_ownership

HQ_CITATION = "15 CFR 744.23(a)(4); 742.6(a)(6)(iii); Supp. No. 8 to part 744"
UNKNOWN_CITATION = "Supp. 3 to part 732 (Know your customer); Supp. No. 8 to part 744"


def run(ctx: Context) -> None:
    facts = ctx.case.ownership
    if facts is None:
        return
    if facts.problem:
        ctx.open_item(f"the ownership of the case's register parties could not be evaluated: {facts.problem}")
    try:
        evaluations = _evaluations(ctx)
    except OwnershipCycleError as exc:
        ctx.open_item(f"ownership data refused: {exc.message}")
        return
    for index, label, result in evaluations:
        for finding in result.findings:
            ctx.add(
                finding.rule,
                finding.outcome,
                finding.citation,
                finding.subject,
                finding.explanation,
                order=party_order(index),
                unconfirmed=finding.unconfirmed,
                review=finding.review,
            )
        for item in result.open_items:
            ctx.open_item(item)
        for warning in result.warnings:
            ctx.open_item(f"{label}: {warning}")
        _headquarters(ctx, index)


def exception_bars(ctx: Context) -> list[ExceptionBar]:
    """The bars on licence exceptions the case's covered register parties carry from their listed owners."""
    if ctx.case.ownership is None:
        return []
    try:
        evaluations = _evaluations(ctx)
    except OwnershipCycleError:
        return []  # run() has named the circle as an open item
    lists = ctx.data.part744.lists
    return [
        listing_bar(
            ctx,
            lists[bar.flag.value],
            bar.why,
            bar.requirement,
            None,
            unconfirmed=bar.unconfirmed,
            missing="is not in the case's ownership data, so every item is taken as reached",
        )
        for _, _, result in evaluations
        for bar in result.bars
        if lists[bar.flag.value].bars_exceptions
    ]


def _evaluations(ctx: Context) -> list[tuple[int, str, OwnershipEvaluation]]:
    """Each register party of the case (first position only) with its ownership evaluation, made once."""
    if ctx.ownership_memo is None:
        ctx.ownership_memo = _evaluate(ctx)
    return ctx.ownership_memo


def _evaluate(ctx: Context) -> list[tuple[int, str, OwnershipEvaluation]]:
    facts = ctx.case.ownership
    assert facts is not None
    graph = facts.graph()
    listed = facts.listed()
    entries = _owner_entries(ctx)
    done: set[int] = set()
    out = []
    for index, party in enumerate(ctx.case.parties):
        if party.register_id is None or party.register_id in done:
            continue
        done.add(party.register_id)
        label = ctx.party_label(index)
        out.append(
            (
                index,
                label,
                evaluate_ownership(party.register_id, graph, listed, ctx.as_of, subject=label, entries=entries),
            )
        )
    return out


def _owner_entries(ctx: Context) -> dict[int, list[PartyListing]]:
    """Confirmed Entity List matches of case parties, by register id: the columns of owners the case names."""
    out: dict[int, list[PartyListing]] = {}
    for index, party in enumerate(ctx.case.parties):
        if party.register_id is None:
            continue
        for listing in ctx.listings.get(index, ()):
            if listing.resolved and listing.list_flag is ListFlag.ENTITY_LIST and listing.license_requirement.strip():
                out.setdefault(party.register_id, []).append(listing)
    return out


def _headquarters(ctx: Context, index: int) -> None:
    """Name the chain that puts the ultimate parent's headquarters on the party; warn on a contradiction."""
    party = ctx.case.parties[index]
    facts = ctx.case.ownership
    assert facts is not None and party.register_id is not None
    chain = facts.controlling_chain(party.register_id)
    if not chain:
        return
    names = facts.names()
    parent = facts.party(chain[-1].owner_id)
    if parent is None:
        return
    path = ", ".join(
        f"{names.get(s.owner_id, f'party {s.owner_id}')} holds {s.percent} % (as of {s.as_of.isoformat()}) of "
        f"{names.get(s.owned_id, f'party {s.owned_id}')}"
        for s in reversed(chain)
    )
    hq = parent.effective_headquarters
    label = ctx.party_label(index)
    own = party.headquarters_country
    if own is not None and own != hq:
        ctx.add(
            "ownership.headquarters",
            Outcome.NLR,
            HQ_CITATION,
            label,
            f"Warning: {label} records its headquarters as {country_name(own)}, but its ultimate parent "
            f"{parent.name} (register party {parent.party_id}) is headquartered in {country_name(hq)} (chain of "
            f"majority owners: {path}). The rules use the ultimate parent's headquarters; correct whichever is "
            "wrong in the register.",
            order=party_order(index),
            review=True,
        )
    elif hq != party.effective_headquarters:
        ctx.add(
            "ownership.headquarters",
            Outcome.NLR,
            HQ_CITATION,
            label,
            f"{label}'s ultimate parent {parent.name} (register party {parent.party_id}) is headquartered in "
            f"{country_name(hq)} (chain of majority owners: {path}); the headquarters rules read {country_name(hq)}.",
            order=party_order(index),
        )


def run_unknown(ctx: Context) -> None:
    """On a licence-required or advanced-computing case, a register party with no recorded owners and
    no KYC approval is an open item: ownership that is not known is not ownership that is clear."""
    facts = ctx.case.ownership
    if facts is None:
        return
    advanced = any(info.advanced or info.level == "hbm" for info in ctx.items)
    required = any(f.outcome is Outcome.LICENSE_REQUIRED for _, f in ctx.raw_findings())
    if not (advanced or required):
        return
    why = "advanced-computing items" if advanced else "a licence requirement"
    done: set[int] = set()
    for index, party in enumerate(ctx.case.parties):
        if party.register_id is None or party.register_id in done:
            continue
        done.add(party.register_id)
        known = facts.party(party.register_id)
        if facts.has_owners(party.register_id) or (known is not None and known.kyc_approved):
            continue
        ctx.open_item(
            f"{ctx.party_label(index)}: no ownership is recorded and KYC is not approved, on a case with {why}; "
            f"record its owners in the register (or approve its KYC) so the Affiliates Rule and OFAC's 50 % rule "
            f"can be evaluated ({UNKNOWN_CITATION}; see also {RED_FLAG_CITATION})"
        )
