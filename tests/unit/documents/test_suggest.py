"""Suggestions from a document's text: only what can be read reliably, always with evidence."""

from __future__ import annotations

from datetime import date

import pytest

from tests.helpers import pdfs
from tests.unit.documents.conftest import make_case
from workbench.documents.names import BASIC_NORMALISER, find_name, name_similarity, text_words
from workbench.documents.suggest import Suggestion, SuggestionField, find_dates, prefill, suggest
from workbench.domain.case import Case, Party, PartyRole
from workbench.services.documents import name_normaliser


def _values(suggestions: list[Suggestion], field: SuggestionField) -> list[str]:
    return [s.value for s in suggestions if s.field is field]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("14 March 2026", date(2026, 3, 14)),
        ("14th of March, 2026", date(2026, 3, 14)),
        ("March 14, 2026", date(2026, 3, 14)),
        ("Mar. 14 2026", date(2026, 3, 14)),
        ("14-Mar-2026", date(2026, 3, 14)),
        ("14.03.2026", date(2026, 3, 14)),  # dotted dates are day first
        ("14/03/2026", date(2026, 3, 14)),  # 14 cannot be a month
        ("03/14/2026", date(2026, 3, 14)),  # 14 cannot be a month
        ("05/05/2026", date(2026, 5, 5)),
    ],
)
def test_unambiguous_dates_are_read(text: str, expected: date) -> None:
    assert [f.value for f in find_dates(f"dated {text}.")] == [expected]


@pytest.mark.parametrize("text", ["03/04/2026", "31 February 2026", "2026-13-01", "14 March 1889", "12345-03-14"])
def test_ambiguous_or_impossible_dates_are_not_read(text: str) -> None:
    assert find_dates(text) == []


def test_dates_are_assigned_by_their_cue() -> None:
    text = (
        "Date: 2 January 2026\nThis certificate is valid from 1 February 2026 to 31 January 2027.\n"
        "Invoice 2025-11-30 refers."
    )
    found = suggest(text, make_case())
    assert _values(found, SuggestionField.SIGNED_DATE) == ["2026-01-02"]
    assert _values(found, SuggestionField.VALID_FROM) == ["2026-02-01"]
    assert _values(found, SuggestionField.VALID_UNTIL) == ["2027-01-31"]
    assert all("2025-11-30" not in s.value for s in found)  # no cue, no suggestion
    assert _values(suggest("Expiry date: 2027-06-30", make_case()), SuggestionField.VALID_UNTIL) == ["2027-06-30"]
    assert _values(suggest("This EUC expires on June 30, 2027", make_case()), SuggestionField.VALID_UNTIL) == [
        "2027-06-30"
    ]


def test_real_euc_pdf_text_gives_full_suggestions_with_evidence(tmp_path: object) -> None:
    found = suggest(pdfs.EUC_TEXT, make_case(), name_normaliser())
    fields = prefill(found)
    assert fields[SuggestionField.KIND] == ["euc"]
    assert fields[SuggestionField.SIGNED_DATE] == ["2026-01-14"]
    assert fields[SuggestionField.VALID_UNTIL] == ["2026-12-31"]
    assert fields[SuggestionField.SIGNATORY_NAME] == ["Tan Mei Ling"]
    assert fields[SuggestionField.SIGNATORY_TITLE] == ["Director of Operations"]
    assert fields[SuggestionField.PARTY] == ["Bukit Semiconductor Sdn Bhd"]  # the applicant is not "covered"
    assert set(fields[SuggestionField.ASSURANCE]) == {
        "end_use_statement", "no_reexport_without_authorisation", "no_military_wmd_end_use",
        "consignee_named", "end_user_named",
    }  # fmt: skip
    assert "MY" in fields[SuggestionField.COUNTRY]
    party = next(s for s in found if s.field is SuggestionField.PARTY)
    assert "Bukit Semiconductor Sdn. Bhd." in party.evidence
    assert all(s.evidence for s in found)


def test_bis711_is_recognised() -> None:
    found = suggest(pdfs.BIS711_TEXT, make_case())
    assert _values(found, SuggestionField.KIND) == ["bis_711"]
    assert _values(found, SuggestionField.SIGNED_DATE) == ["2026-01-10"]


def test_conflicting_values_are_not_prefilled() -> None:
    found = suggest("Valid until 2026-12-31. Expires: 2027-01-31.", make_case())
    assert len(_values(found, SuggestionField.VALID_UNTIL)) == 2
    assert SuggestionField.VALID_UNTIL not in prefill(found)


def test_nothing_is_suggested_from_empty_text() -> None:
    assert suggest("  \n ", make_case()) == []


@pytest.mark.parametrize(
    ("in_text", "found"),
    [
        ("BUKIT SEMICONDUCTOR SDN. BHD.", True),
        ("Bukit Semiconductors Sdn Bhd", True),  # one-letter typo
        ("Bukit Semi-conductor", True),
        ("Bukit Farms Sdn Bhd", False),
        ("Semiconductor", False),
    ],
)
def test_party_names_are_found_fuzzily(in_text: str, found: bool) -> None:
    text = f"We, {in_text}, of Penang, certify the following."
    for normaliser in (BASIC_NORMALISER, name_normaliser()):
        hit = find_name("Bukit Semiconductor Sdn Bhd", text_words(text, normaliser), normaliser)
        assert (hit is not None) is found, (in_text, normaliser)


def test_name_similarity_ignores_legal_forms_and_case() -> None:
    assert name_similarity("Bukit Semiconductor Sdn Bhd", "BUKIT SEMICONDUCTOR SDN. BHD.") == 1.0
    assert name_similarity("Bukit Semiconductor Sdn Bhd", "Acme Trading FZE") < 0.5


def test_transliterated_names_match_with_the_screening_normaliser() -> None:
    case: Case = make_case(
        destination="RU",
        parties=(Party(PartyRole.END_USER, "Zavod Elektron OOO", "RU"),),
    )
    found = suggest("Конечный пользователь: ООО «Завод Электрон», Москва", case, name_normaliser())
    assert _values(found, SuggestionField.PARTY) == ["Zavod Elektron OOO"]


def test_evidence_from_hostile_text_is_printable() -> None:
    text = "Authorized signatory: Evil\x1b[2J Name\u202e\nValid until: 2027-01-01\x07"
    found = suggest(text, make_case())
    assert all(ch.isprintable() for s in found for ch in s.evidence + s.value)
    assert _values(found, SuggestionField.SIGNATORY_NAME) == ["Evil [2J Name"]
