"""Licences and cases shared by the licence tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.domain.licences import Licence, LicenceItem, LicenceKind, LicenceParty, Shipment, UnitBasis
from workbench.services.cases import demo_cases

D = Decimal
QUANTITY = D(64)
VALUE = D(16_000_000)


def demo(reference: str) -> Case:
    return next(c for c in demo_cases() if c.reference == reference)


def licence_0044(
    *,
    quantity: Decimal | None = QUANTITY,
    value: Decimal | None = VALUE,
    basis: UnitBasis | None = None,
    valid_from: date = date(2026, 8, 15),
    valid_until: date | None = date(2028, 8, 14),
    destination: str = "MY",
    consignee: str = "Nusantara Cloud Sdn. Bhd.",
    eccn: str = "4A090.a",
    kind: LicenceKind = LicenceKind.LICENCE,
    symbol: str | None = None,
    number: str = "D123456",
) -> Licence:
    return Licence(
        number=number,
        kind=kind,
        exception_symbol=symbol,
        valid_from=valid_from,
        valid_until=valid_until,
        destination=destination,
        parties=(
            LicenceParty(PartyRole.APPLICANT, "Acme Compute Systems Inc.", "US"),
            LicenceParty(PartyRole.ULTIMATE_CONSIGNEE, consignee, "MY"),
            LicenceParty(PartyRole.END_USER, consignee, "MY"),
        ),
        items=(LicenceItem(1, eccn, "H100 boards", quantity, value, "USD", basis),),
    )


def shipment(quantity: int | str, value: int | str, *, line: int = 1, ref: str = "EC-2026-0044") -> Shipment:
    return Shipment("D123456", ref, line, D(str(quantity)), D(str(value)), date(2026, 9, 2), "tester")


def two_item_case() -> Case:
    case = demo("EC-2026-0044")
    extra = Item(description="InfiniBand switch", eccn="5A992.c", quantity=D(4), unit_value=D(30000))
    return replace(case, items=(*case.items, extra))


def with_purchaser(case: Case, name: str) -> Case:
    return replace(case, parties=(*case.parties, Party(PartyRole.PURCHASER, name, "SG")))
