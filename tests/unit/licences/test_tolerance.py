"""Decrement arithmetic and the §750.11 shipping tolerances, with their boundaries; expiry."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from tests.unit.licences._fixtures import D, licence_0044, shipment
from workbench.domain.errors import ValidationError
from workbench.domain.licences import (
    Licence,
    LicenceKind,
    LineBalance,
    Shipment,
    UnitBasis,
    balances,
    check_shipment,
)


def _balance(lic_kwargs: dict[str, Any], *shipped: tuple[int | str, int | str]) -> tuple[Licence, LineBalance]:
    lic = licence_0044(**lic_kwargs)
    return lic, balances(lic, [shipment(q, v) for q, v in shipped])[0]


def test_balances_add_up_exactly_per_line_and_ignore_other_licences() -> None:
    lic = licence_0044()
    other = Shipment("D999999", "EC-2026-0044", 1, D(5), D(5), date(2026, 9, 2), "tester")
    (b,) = balances(lic, [shipment(10, "2500000.10"), shipment("0.5", "0.20"), other])
    assert b.shipped_quantity == D("10.5") and b.shipped_value == D("2500000.30")
    assert b.remaining_quantity == D("53.5")
    assert b.remaining_value == D("13499999.70")
    assert b.value_ceiling == D(20_000_000)
    assert b.remaining_value_with_tolerance == D("17499999.70")


def test_number_licence_allows_the_last_unit_and_refuses_one_more() -> None:
    lic, b = _balance({}, (60, 15_000_000))
    assert check_shipment(lic, b, D(4), D(1_000_000)).allowed  # exactly to 64
    verdict = check_shipment(lic, b, D(5), D(1_000_000))
    assert not verdict.allowed
    assert verdict.refusals[0] == (
        "Shipping 5 more H100 boards would exceed licence D123456 for item 1: 4 remaining "
        "(quantity licence, +0 tolerance on quantity)."
    )


def test_number_licence_value_may_exceed_by_25_percent_inclusive() -> None:
    lic, b = _balance({}, (32, 8_000_000))
    at_ceiling = check_shipment(lic, b, D(32), D(12_000_000))  # total 20,000,000 = 125%
    assert at_ceiling.allowed
    assert "25% value tolerance" in at_ceiling.warnings[0]
    over = check_shipment(lic, b, D(32), D("12000000.01"))
    assert not over.allowed
    assert "USD 12,000,000 of value remaining" in over.refusals[0] and "750.11(b)(2)" in over.refusals[0]


def test_within_the_licensed_value_gives_no_warning() -> None:
    lic, b = _balance({})
    verdict = check_shipment(lic, b, D(64), D(16_000_000))
    assert verdict.allowed and verdict.warnings == ()


def test_dollar_value_licence_has_no_tolerance() -> None:
    lic, b = _balance({"quantity": None, "value": D(1000)}, (1, 600))
    assert b.item.basis is UnitBasis.DOLLAR_VALUE
    assert check_shipment(lic, b, D(1), D(400)).allowed
    verdict = check_shipment(lic, b, D(1), D("400.01"))
    assert not verdict.allowed
    assert "USD 400 of value remaining (dollar-value licence, no tolerance" in verdict.refusals[0]


def test_quantity_stated_on_a_dollar_value_line_is_enforced_too() -> None:
    lic, b = _balance({"basis": UnitBasis.DOLLAR_VALUE}, (64, 1000))
    assert not check_shipment(lic, b, D(0), D(1)).allowed  # fully shipped: §750.11(a)(1)


def test_a_fully_shipped_line_takes_nothing_more_not_even_value() -> None:
    lic, b = _balance({}, (64, 10_000_000))
    verdict = check_shipment(lic, b, D(0), D(1))
    assert not verdict.allowed and "750.11(a)(1)" in verdict.refusals[0]


def test_quantity_only_licence_checks_no_value() -> None:
    lic, b = _balance({"value": None}, (10, 0))
    assert check_shipment(lic, b, D(54), D(10**12)).allowed


def test_unlimited_exception_lines_are_not_decremented_against_a_limit() -> None:
    lic = licence_0044(quantity=None, value=None, kind=LicenceKind.LICENCE_EXCEPTION, symbol="nac", number="NAC-1")
    assert lic.exception_symbol == "NAC" and lic.label == "License Exception NAC (NAC-1)"
    (b,) = balances(lic, [])
    assert check_shipment(lic, b, D(1000), D(10**9)).allowed


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"quantity": None, "value": None}, "items[0]"),
        ({"valid_until": None}, "valid_until"),
        ({"valid_until": date(2026, 1, 1)}, "valid_until"),
        ({"kind": LicenceKind.LICENCE_EXCEPTION}, "exception_symbol"),
        ({"basis": UnitBasis.NUMBER, "quantity": None}, "quantity_limit"),
        ({"quantity": D(-1)}, "quantity_limit"),
    ],
)
def test_invalid_licences_are_refused_with_the_field(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(ValidationError) as err:
        licence_0044(**kwargs)
    assert err.value.field == field


def test_shipments_must_ship_something_and_not_negative() -> None:
    with pytest.raises(ValidationError, match="quantity"):
        shipment(0, 0)
    with pytest.raises(ValidationError, match="negative"):
        shipment(-1, 10)


def test_validity_and_expiry_warning_boundaries() -> None:
    lic = licence_0044()
    assert not lic.valid_on(date(2026, 8, 14)) and lic.valid_on(date(2026, 8, 15))
    assert lic.valid_on(date(2028, 8, 14)) and not lic.valid_on(date(2028, 8, 15))
    assert "in 30 days" in (lic.expiry_warning(date(2028, 7, 15), 30) or "")
    assert lic.expiry_warning(date(2028, 7, 14), 30) is None
    assert "expires today" in (lic.expiry_warning(date(2028, 8, 14), 30) or "")
    assert lic.expiry_warning(date(2028, 8, 15), 30) is None  # expired: a validity problem, not a warning
    assert lic.validity_problem(date(2028, 8, 15)) == "licence D123456 expired on 2028-08-14"


def test_decimal_amounts_never_go_through_float() -> None:
    lic, b = _balance({"quantity": None, "value": D("0.3")}, ("0", "0.1"), ("0", "0.1"))
    assert check_shipment(lic, b, Decimal(0), D("0.1")).allowed
    assert not check_shipment(lic, b, Decimal(0), D("0.1000001")).allowed
