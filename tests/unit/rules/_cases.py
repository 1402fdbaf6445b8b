"""Builders for test cases modelled on the reference scenarios (shared reference/ear-facts.md)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, EndUse, Item, ListFlag, Party, PartyRole, RedFlagAnswer
from workbench.domain.determination import Determination, Finding

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
