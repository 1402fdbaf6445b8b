"""Register parties: validated on construction, bounded, and fingerprinted on what screening reads."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workbench.domain.errors import ValidationError
from workbench.domain.register import (
    MAX_OTHER_NAMES,
    Address,
    Identifier,
    IdentifierScheme,
    Kyc,
    KycStatus,
    NameKind,
    OtherName,
    RegisterParty,
    lei_is_valid,
    lei_with_check_digits,
)
from workbench.domain.screening import EntryType

# GLEIF's own LEI (published on gleif.org) and one built with the check digits.
GLEIF_LEI = "506700GE1G29325QX363"


def _party(**overrides: object) -> RegisterParty:
    fields: dict[str, object] = {
        "name": "Beispiel Handels GmbH",
        "country": "de",
        "other_names": (OtherName(NameKind.FORMER, "Beispiel Import GmbH"),),
        "addresses": (Address("DE", ("Hafenstrasse 1",), "Hamburg"),),
        "identifiers": (Identifier(IdentifierScheme.LEI, GLEIF_LEI),),
    }
    fields.update(overrides)
    return RegisterParty(**fields)  # type: ignore[arg-type]


def test_a_valid_party_is_normalised() -> None:
    party = _party(kind="entity", headquarters_country="ch", website="https://beispiel.example")
    assert party.country == "DE" and party.headquarters_country == "CH"
    assert party.kind is EntryType.ENTITY
    assert party.names == ("Beispiel Handels GmbH", "Beispiel Import GmbH")
    assert party.lei == GLEIF_LEI and party.effective_headquarters == "CH"
    assert party.kyc.status is KycStatus.NOT_STARTED


@pytest.mark.parametrize("lei", [GLEIF_LEI, lei_with_check_digits("5493001KJTIIGC8Y1R")])
def test_lei_checksum_accepts_real_codes(lei: str) -> None:
    assert lei_is_valid(lei)
    assert Identifier("lei", lei.lower()).value == lei


@pytest.mark.parametrize("lei", ["506700GE1G29325QX364", "506700GE1G29325QX3", "506700GE1G29325QX36A", "x" * 20])
def test_lei_checksum_refuses_wrong_codes(lei: str) -> None:
    with pytest.raises(ValidationError, match="not a valid LEI"):
        Identifier(IdentifierScheme.LEI, lei)


def test_identifier_rules() -> None:
    with pytest.raises(ValidationError, match="needs a label"):
        Identifier(IdentifierScheme.OTHER, "123456789")
    assert Identifier(IdentifierScheme.OTHER, "123456789", "DUNS").display == "DUNS: 123456789"
    with pytest.raises(ValidationError, match="only identifiers of scheme 'other'"):
        Identifier(IdentifierScheme.TAX_ID, "DE123", "VAT")
    with pytest.raises(ValidationError, match="recorded twice"):
        _party(identifiers=(Identifier("tax_id", "DE1"), Identifier("tax_id", "de1")))
    with pytest.raises(ValidationError, match="is not allowed; use one of lei"):
        Identifier("passport", "X")  # type: ignore[arg-type]


def test_bounds_and_bad_values_are_refused_with_the_field() -> None:
    too_many = tuple(OtherName("alias", f"Alias {i}") for i in range(MAX_OTHER_NAMES + 1))
    with pytest.raises(ValidationError, match="at most 50"):
        _party(other_names=too_many)
    with pytest.raises(ValidationError) as exc:
        _party(name="x" * 501)
    assert exc.value.field == "name"
    with pytest.raises(ValidationError, match="ISO 3166"):
        _party(country="Germany")
    with pytest.raises(ValidationError, match="recorded twice"):
        _party(other_names=(OtherName("alias", "BEISPIEL handels gmbh"),))
    with pytest.raises(ValidationError, match="web address"):
        _party(website="not a site")
    with pytest.raises(ValidationError, match="one line"):
        Address("DE", ("line\nbreak",))
    with pytest.raises(ValidationError, match="positive whole number"):
        _party(id=0)


def test_kyc_decisions_need_date_and_officer() -> None:
    with pytest.raises(ValidationError, match="needs the date and the officer"):
        Kyc(KycStatus.APPROVED)
    kyc = Kyc(KycStatus.APPROVED, date(2026, 3, 1), "Jane Officer", "EUC on file")
    assert _party(kyc=kyc).kyc.status is KycStatus.APPROVED
    with pytest.raises(ValidationError, match="is not allowed"):
        Kyc("done")  # type: ignore[arg-type]


def test_fingerprint_covers_names_addresses_country_only() -> None:
    party = _party()
    same = _party(
        name="beispiel  handels gmbh",
        other_names=(OtherName(NameKind.ALIAS, "Beispiel Import GmbH"),),
        notes="met at a trade fair",
        kyc=Kyc(KycStatus.IN_PROGRESS),
        website="beispiel.example",
    )
    assert same.fingerprint == party.fingerprint
    assert replace(party, country="AT").fingerprint != party.fingerprint
    assert replace(party, addresses=(Address("DE", ("Hafenstrasse 2",), "Hamburg"),)).fingerprint != party.fingerprint
    assert replace(party, other_names=()).fingerprint != party.fingerprint
    assert len(party.fingerprint) == 64
