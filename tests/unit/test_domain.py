"""Domain validation: invalid input raises a typed error a compliance officer understands."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from workbench.domain.case import (
    Case,
    CaseStatus,
    DocumentKind,
    DocumentRecord,
    Item,
    Party,
    PartyRole,
    RedFlagAnswer,
    TransactionType,
)
from workbench.domain.countries import country_code, country_name
from workbench.domain.eccn import EAR99, eccn_head, normalise_eccn
from workbench.domain.errors import ValidationError


def _case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "reference": "EC-1",
        "title": "t",
        "transaction_date": date(2026, 1, 1),
        "export_from": "US",
        "destination": "DE",
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("3A090.a", "3A090.a"),
        ("3a090.A", "3A090.a"),
        ("5A992.c", "5A992.c"),
        ("0Y521", "0Y521"),
        ("3A001.z.1.a", "3A001.z.1.a"),
        ("9A610.y.1", "9A610.y.1"),
        ("4A090", "4A090"),
        ("ear99", EAR99),
        (" EAR99 ", EAR99),
        ("unclassified", None),
        ("", None),
        (None, None),
    ],
)
def test_eccn_normalisation(given: str | None, expected: str | None) -> None:
    assert normalise_eccn(given) == expected


@pytest.mark.parametrize("bad", ["3A90", "3F090", "A3090", "3A090a", "3A090..a", "EAR 99", "3A090.a!", "12345"])
def test_malformed_eccn_is_refused_with_an_example(bad: str) -> None:
    with pytest.raises(ValidationError) as err:
        normalise_eccn(bad)
    assert err.value.field == "eccn"
    assert "e.g. 3A090.a" in err.value.message


def test_eccn_head() -> None:
    assert eccn_head("3A001.z.1.a") == "3A001"


def test_country_codes_are_iso_alpha2_case_insensitive() -> None:
    assert country_code(" my ") == "MY"
    assert country_code("XK") == "XK"
    assert country_name("MY") == "Malaysia"
    with pytest.raises(ValidationError, match="not an ISO 3166"):
        country_code("XX")
    with pytest.raises(ValidationError, match="country is required"):
        country_code("")


def test_party_validates_countries_and_role() -> None:
    party = Party(role=PartyRole.END_USER, name=" Acme ", country="cn", headquarters_country="hk")
    assert (party.name, party.country, party.headquarters_country) == ("Acme", "CN", "HK")
    assert party.effective_headquarters == "HK"
    assert Party(role=PartyRole.OTHER, name="A", country="DE").effective_headquarters == "DE"
    with pytest.raises(ValidationError) as err:
        Party(role=PartyRole.END_USER, name="A", country="DE", headquarters_country="ZZ")
    assert err.value.field == "headquarters_country"
    with pytest.raises(ValueError, match="'boss' is not a valid PartyRole"):
        Party(role="boss", name="A", country="DE")  # type: ignore[arg-type]


@pytest.mark.parametrize("field", ["quantity", "unit_value", "tpp", "performance_density"])
def test_item_refuses_negative_numbers(field: str) -> None:
    with pytest.raises(ValidationError) as err:
        Item(description="GPU", **{field: -1})  # type: ignore[arg-type]
    assert err.value.field == field
    assert "must not be negative" in err.value.message


def test_item_normalises_eccn_currency_and_decimals() -> None:
    item = Item(description="GPU", eccn="4a090.A", quantity=Decimal("2"), unit_value=Decimal("1.50"), currency="eur")
    assert (item.eccn, item.currency, item.total_value) == ("4A090.a", "EUR", Decimal("3.00"))
    with pytest.raises(ValidationError, match="ISO 4217"):
        Item(description="GPU", currency="EURO")


@pytest.mark.parametrize("bad", [0, -1, 100_001, 1.5, "8", True])
def test_item_ics_per_unit_is_a_whole_number_of_at_least_one(bad: object) -> None:
    with pytest.raises(ValidationError) as err:
        Item(description="GPU board", ics_per_unit=bad)  # type: ignore[arg-type]
    assert err.value.field == "ics_per_unit"


def test_item_total_tpp_counts_every_ic() -> None:
    board = Item(description="8-GPU board", tpp=15832.0, quantity=Decimal(3), ics_per_unit=8)
    assert board.total_tpp == Decimal(15832) * 8 * 3
    assert Item(description="Cable").total_tpp is None
    assert Item(description="GPU").ics_per_unit == 1


def test_case_requires_reference_and_title() -> None:
    with pytest.raises(ValidationError) as err:
        _case(reference="bad ref with spaces")
    assert err.value.field == "reference"
    with pytest.raises(ValidationError) as err:
        _case(title="  ")
    assert err.value.field == "title"


def test_in_country_transfer_stays_in_one_country() -> None:
    _case(transaction_type=TransactionType.IN_COUNTRY_TRANSFER, export_from="DE", destination="DE")
    with pytest.raises(ValidationError, match="in-country transfer"):
        _case(transaction_type=TransactionType.IN_COUNTRY_TRANSFER, export_from="US", destination="DE")


def test_document_dates_must_be_in_order() -> None:
    with pytest.raises(ValidationError, match=r"expires .* before it was signed"):
        DocumentRecord(
            kind=DocumentKind.EUC, filename="euc.pdf", signed_date=date(2026, 5, 1), valid_until=date(2026, 4, 1)
        )


def test_document_must_cover_parties_of_the_case() -> None:
    doc = DocumentRecord(kind=DocumentKind.EUC, filename="euc.pdf", covers_parties=("Nobody",))
    with pytest.raises(ValidationError) as err:
        _case(documents=(doc,))
    assert err.value.field == "documents[0].covers_parties[0]"


def test_red_flags_answered_once() -> None:
    answers = (RedFlagAnswer("kyc-1", "yes"), RedFlagAnswer("kyc-1", "no"))  # type: ignore[arg-type]
    with pytest.raises(ValidationError, match="answered twice"):
        _case(red_flags=answers)


def test_status_workflow() -> None:
    case = _case()
    assert case.with_status(CaseStatus.IN_REVIEW).status is CaseStatus.IN_REVIEW
    closed = replace(case.with_status(CaseStatus.DETERMINED).with_status(CaseStatus.CLOSED))
    with pytest.raises(ValidationError, match="a closed case cannot be moved to draft"):
        closed.with_status(CaseStatus.DRAFT)
    with pytest.raises(ValidationError, match="a draft case cannot be moved to closed"):
        case.with_status(CaseStatus.CLOSED)


def test_control_characters_refused() -> None:
    with pytest.raises(ValidationError, match="control characters"):
        Party(role=PartyRole.OTHER, name="Acme\x00", country="DE")
