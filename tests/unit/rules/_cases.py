"""Builders for test cases modelled on the reference scenarios (shared reference/ear-facts.md)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, EndUse, Item, ListFlag, Party, PartyRole, RedFlagAnswer
from workbench.domain.determination import Determination, Finding, Outcome, Posture
from workbench.rules.checks import bars
from workbench.rules.checks.common import item_order
from workbench.rules.context import Context, item_info
from workbench.rules.data import rule_data
from workbench.rules.groups import group_table
from workbench.rules.listing import PartyListing

# H100-class accelerator: about 15,832 TPP (790,000,000 TPP / 49,901 H100e, reference section 1.3).
H100_TPP = 15832.0


def h100_board(quantity: int = 8, **kw: object) -> Item:
    fields: dict[str, object] = dict(
        description="HGX H100 8-GPU baseboard",
        eccn="4A090.a",
        manufacturer="NVIDIA",
        model="HGX H100",
        tpp=H100_TPP,
        performance_density=19.6,
        datacenter=True,
        quantity=Decimal(quantity),
    )
    fields.update(kw)
    return Item(**fields)  # type: ignore[arg-type]


def party(
    name: str,
    country: str,
    role: PartyRole = PartyRole.ULTIMATE_CONSIGNEE,
    hq: str | None = None,
    listed: Iterable[ListFlag] = (),
) -> Party:
    return Party(role=role, name=name, country=country, headquarters_country=hq, listed_on=tuple(listed))


def make_case(
    destination: str,
    items: Iterable[Item],
    parties: Iterable[Party] = (),
    *,
    on: date = date(2026, 11, 28),
    end_use: EndUse | None = None,
    red_flags: Iterable[RedFlagAnswer] = (),
    export_from: str = "US",
) -> Case:
    parts = tuple(parties) or (party("Consignee Ltd", destination),)
    return Case(
        reference="EC-2026-0042",
        title=f"Test shipment to {destination}",
        transaction_date=on,
        export_from=export_from,
        destination=destination,
        parties=parts,
        items=tuple(items),
        end_use=end_use or EndUse(),
        red_flags=tuple(red_flags),
    )


def by_rule(d: Determination, rule: str) -> list[Finding]:
    return [f for f in d.findings if f.rule == rule]


def one(d: Determination, rule: str) -> Finding:
    found = by_rule(d, rule)
    assert len(found) == 1, f"expected one {rule} finding, got {[f.explanation for f in found]}"
    return found[0]


def with_bars_applied(
    case: Case,
    exceptions: Sequence[str],
    listings: Mapping[int, Sequence[PartyListing]],
    *,
    as_of: date,
    extra_subject: str | None = None,
) -> dict[str, Finding]:
    """Each item's finding ending in one of ``exceptions`` (as the exception checks write them), then the bars.

    ``extra_subject`` adds a finding about the case, a destination or a party, ending in LVS.
    """
    ctx = Context(
        case=case,
        as_of=as_of,
        posture=Posture.ENFORCED,
        data=rule_data(),
        groups=group_table(),
        listings={index: list(found) for index, found in listings.items()},
        items=tuple(item_info(i + 1, item) for i, item in enumerate(case.items)),
    )
    for info, symbol in zip(ctx.items, exceptions, strict=True):
        ctx.add(
            "test.exception",
            Outcome.LICENSE_EXCEPTION,
            "15 CFR 740",
            info.subject,
            "Available.",
            order=item_order(info.index),
            exception=symbol,
        )
    if extra_subject:
        ctx.add(
            "test.exception",
            Outcome.LICENSE_EXCEPTION,
            "15 CFR 740",
            extra_subject,
            "Available.",
            order=(0, 1),
            exception="LVS",
        )
    bars.apply(ctx)
    return {f.subject: f for f in ctx.findings()}
