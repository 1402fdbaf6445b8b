"""Rule 6: part 746 embargoes and special measures, read from ``embargoes.json`` by date.

Checked for the destination and for the countries of the ultimate consignee and end
user. A period may grant a licence exception (Syria's SPP from 2025-09-02, read from
the text of §740.5: EAR99 items only, not where a part 744 control requires a licence).
"""

from __future__ import annotations

from workbench.domain.case import PartyRole
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.domain.eccn import EAR99
from workbench.rules.checks.common import DESTINATION, item_order, party_order
from workbench.rules.checks.parties import part744_reasons
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import Embargo, EmbargoPeriod


def _item_class(info: ItemInfo) -> tuple[str, ...]:
    if info.level is not None:
        return ("ccl",)  # 3A090-type by its figures, whatever the given ECCN says
    if info.eccn == EAR99:
        return ("ear99",)
    if info.eccn is None:
        return ("ccl", "ear99")  # unclassified: the stricter reading applies until it is classified
    return ("ccl",)


def _periods(ctx: Context, embargo: Embargo, classes: tuple[str, ...]) -> list[EmbargoPeriod]:
    return [p for p in embargo.periods if p.covers(ctx.as_of) and (p.items == "all" or p.items in classes)]


def _strictest(periods: list[EmbargoPeriod]) -> EmbargoPeriod | None:
    return max(periods, key=lambda p: Outcome(p.outcome).severity, default=None)


def run(ctx: Context) -> None:
    embargoes = {e.country: e for e in ctx.data.embargoes.embargoes}
    dest = embargoes.get(ctx.groups.canonical(ctx.case.destination)) or embargoes.get(ctx.case.destination)
    if dest is not None:
        if ctx.items:
            for info in ctx.items:
                _item(ctx, dest, info)
        else:
            period = _strictest(_periods(ctx, dest, ("ccl", "ear99")))
            if period is not None:
                _report(ctx, dest, period, f"destination ({country_name(dest.country)})", DESTINATION, "the case")
    for index, party in enumerate(ctx.case.parties):
        if party.role not in (PartyRole.ULTIMATE_CONSIGNEE, PartyRole.END_USER):
            continue
        if party.country == ctx.case.destination:
            continue
        embargo = embargoes.get(ctx.groups.canonical(party.country)) or embargoes.get(party.country)
        if embargo is None:
            continue
        classes = tuple(sorted({c for i in ctx.items for c in _item_class(i)})) or ("ccl", "ear99")
        period = _strictest(_periods(ctx, embargo, classes))
        if period is not None:
            label = ctx.party_label(index)
            who = f"{label}, located in {country_name(party.country)},"
            _report(ctx, embargo, period, label, party_order(index), who)


def _item(ctx: Context, embargo: Embargo, info: ItemInfo) -> None:
    period = _strictest(_periods(ctx, embargo, _item_class(info)))
    if period is None:
        return
    unclassified = info.eccn is None
    _report(ctx, embargo, period, info.subject, item_order(info.index), info.label, review=unclassified, item=info)


def _report(
    ctx: Context,
    embargo: Embargo,
    period: EmbargoPeriod,
    subject: str,
    order: tuple[int, int],
    who: str,
    *,
    review: bool = False,
    item: ItemInfo | None = None,
) -> None:
    name = country_name(embargo.country)
    when = f"on {ctx.as_of.isoformat()}"
    text = f"{who} to {name} {when}: {period.text}."
    outcome = Outcome(period.outcome)
    exception = period.exception
    if exception is not None:
        catalogue = ctx.data.exceptions.exceptions.get(exception)
        title = f"{catalogue.title}, {catalogue.citation}" if catalogue else exception
        text += f' {title}: "{period.scope_text}"'
        if period.barred_by == "part744":
            reasons = part744_reasons(ctx, item)  # an Entity List entry counts for the items it reaches
            if reasons:
                outcome, exception = Outcome.LICENSE_REQUIRED, None
                text += (
                    f' It is not available here because {"; ".join(reasons)}, and "{period.restriction_text}" '
                    "A licence is required."
                )
    if review:
        text += " The item is unclassified, so the stricter reading is applied until it is classified."
    ctx.add(
        embargo.rule,
        outcome,
        period.citation,
        subject,
        text,
        order=order,
        review=review or period.review,
        exception=exception,
    )
    if period.review:
        ctx.open_item(f"{subject}: {period.text}")
