"""Document checks: validity around the transaction date, EUC coverage, assurances, names, integrity."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from tests.helpers import pdfs
from tests.unit.documents.conftest import make_case
from workbench.documents.checks import (
    DocumentIssue,
    IssueSeverity,
    document_findings,
    expiring_documents,
    expiring_within_days,
)
from workbench.documents.filestore import IntegrityStatus
from workbench.domain.case import Assurance, Case, CaseStatus, DocumentKind, DocumentRecord
from workbench.domain.errors import ValidationError

DAY = date(2026, 3, 14)  # the transaction date of make_case()
EU = "Bukit Semiconductor Sdn Bhd"
ALL_EUC = (Assurance.END_USE_STATEMENT, Assurance.NO_REEXPORT, Assurance.NO_MILITARY_WMD, Assurance.END_USER_NAMED)


def euc(**fields: object) -> DocumentRecord:
    base: dict[str, object] = {
        "kind": DocumentKind.EUC, "filename": "euc.pdf", "covers_parties": (EU,), "assurances": ALL_EUC,
        "issuer": EU,
    }  # fmt: skip
    base.update(fields)
    return DocumentRecord(**base)  # type: ignore[arg-type]


def findings(case: Case, *, licence: bool = True, **kwargs: object) -> list[DocumentIssue]:
    return document_findings(case, licence_or_advanced=licence, **kwargs)  # type: ignore[arg-type]


def ids(issues: list[DocumentIssue]) -> list[str]:
    return [i.id for i in issues]


def test_a_complete_valid_euc_raises_nothing() -> None:
    case = make_case(documents=(euc(signed_date=date(2026, 1, 14), valid_until=date(2026, 12, 31)),))
    assert findings(case) == []


@pytest.mark.parametrize(
    ("valid_until", "expected"),
    [
        (DAY - timedelta(days=1), "doc.expired:1"),
        (DAY, "doc.expiring:1"),  # the expiry date itself is still valid (inclusive)
        (DAY + timedelta(days=30), "doc.expiring:1"),
        (DAY + timedelta(days=31), None),
    ],
)
def test_expiry_boundaries_around_the_transaction_date(valid_until: date, expected: str | None) -> None:
    case = make_case(documents=(euc(valid_until=valid_until),))
    issues = findings(case, licence=False)  # coverage is tested below
    assert ids(issues) == ([expected] if expected else [])
    if expected == "doc.expired:1":
        assert issues[0].severity is IssueSeverity.OPEN_ITEM
        assert issues[0].subject == "document 1 (euc.pdf)"
        assert f"expired on {valid_until}, before {DAY} (the transaction date)" in issues[0].message
    if expected == "doc.expiring:1":
        assert issues[0].severity is IssueSeverity.WARNING


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"valid_from": DAY + timedelta(days=1)}, "doc.not-yet-valid:1"),
        ({"valid_from": DAY}, None),  # valid from the day itself
        ({"signed_date": DAY + timedelta(days=1)}, "doc.not-yet-valid:1"),  # not valid before it is signed
        ({"signed_date": DAY}, None),
    ],
)
def test_not_yet_valid_documents(fields: dict[str, date], expected: str | None) -> None:
    issues = findings(make_case(documents=(euc(**fields),)), licence=False)
    assert ids(issues) == ([expected] if expected else [])


def test_as_of_overrides_the_transaction_date_and_window_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    case = make_case(documents=(euc(valid_until=date(2026, 6, 30)),))
    later = findings(case, as_of=date(2026, 7, 1), licence=False)
    assert ids(later) == ["doc.expired:1"]
    assert "before 2026-07-01;" in later[0].message  # not called the transaction date
    assert ids(findings(case, as_of=date(2026, 7, 1))) == [f"doc.euc-missing:{EU}", "doc.expired:1"]
    assert ids(findings(case, expiring_within_days=120)) == ["doc.expiring:1"]
    monkeypatch.setenv("WORKBENCH_DOCUMENT_EXPIRY_WARNING_DAYS", "7")
    assert expiring_within_days() == 7
    monkeypatch.setenv("WORKBENCH_DOCUMENT_EXPIRY_WARNING_DAYS", "soon")
    with pytest.raises(ValidationError):
        expiring_within_days()


def test_expired_datasheet_is_only_a_warning() -> None:
    sheet = DocumentRecord(kind=DocumentKind.DATASHEET, filename="spec.pdf", valid_until=DAY - timedelta(days=1))
    issues = findings(make_case(documents=(euc(), sheet)))
    assert [(i.id, i.severity) for i in issues] == [("doc.expired:2", IssueSeverity.WARNING)]


def test_licence_case_without_euc_has_an_open_item_for_the_end_user() -> None:
    issues = findings(make_case())
    assert ids(issues) == [f"doc.euc-missing:{EU}"]
    assert issues[0].severity is IssueSeverity.OPEN_ITEM
    assert issues[0].subject == f"end user {EU}"
    assert "obtain an end-user certificate" in issues[0].message
    assert findings(make_case(), licence=False) == []


def test_ultimate_consignee_is_the_target_when_there_is_no_end_user() -> None:
    case = make_case()
    case = replace(case, parties=tuple(p for p in case.parties if p.role.value != "end_user"))
    assert ids(findings(case)) == [f"doc.euc-missing:{EU}"]
    assert findings(case)[0].subject.startswith("ultimate consignee")
    no_parties = make_case(parties=())
    assert ids(findings(no_parties)) == ["doc.euc-no-end-user"]


def test_expired_or_uncovering_eucs_do_not_count_and_the_message_says_why() -> None:
    expired = euc(valid_until=DAY - timedelta(days=10))
    uncovering = euc(filename="general.pdf", covers_parties=())
    issues = findings(make_case(documents=(expired, uncovering)))
    missing = next(i for i in issues if i.id.startswith("doc.euc-missing"))
    assert "document 1 (euc.pdf) covers them but expired on 2026-03-04" in missing.message
    assert "document 2 (general.pdf) is an EUC but records no covered party" in missing.message


def test_a_bis711_counts_as_coverage_and_needs_its_assurances() -> None:
    bis = DocumentRecord(
        kind=DocumentKind.BIS_711, filename="711.pdf", covers_parties=(EU,),
        assurances=(Assurance.END_USE_STATEMENT, Assurance.CONSIGNEE_NAMED),
    )  # fmt: skip
    issues = findings(make_case(documents=(bis,)))
    assert ids(issues) == ["doc.bis711-assurances:1"]
    assert issues[0].severity is IssueSeverity.OPEN_ITEM
    assert "no reexport without authorisation, no military/WMD end use" in issues[0].message
    complete = replace(bis, assurances=(*bis.assurances, Assurance.NO_REEXPORT, Assurance.NO_MILITARY_WMD))
    assert findings(make_case(documents=(complete,))) == []


def test_euc_missing_assurances_is_a_warning() -> None:
    issues = findings(make_case(documents=(euc(assurances=(Assurance.END_USE_STATEMENT,)),)))
    assert [(i.id, i.severity) for i in issues] == [("doc.euc-assurances:1", IssueSeverity.WARNING)]


def test_items_not_listed_by_any_euc_are_flagged() -> None:
    issues = findings(make_case(documents=(euc(covers_items=(1,)),)))
    assert ids(issues) == ["doc.item-uncovered:2"]
    assert findings(make_case(documents=(euc(covers_items=(1, 2)),))) == []


def test_issuer_that_is_not_a_party_is_flagged_with_the_closest_party() -> None:
    typo = findings(make_case(documents=(euc(issuer="Bukit Semicon Trading Sdn Bhd"),)))
    assert ids(typo) == ["doc.issuer-not-party:1"]
    assert f"the closest party is '{EU}'" in typo[0].message
    stranger = findings(make_case(documents=(euc(issuer="Acme Trading FZE"),)))
    assert "if an authority issued it" in stranger[0].message
    same = findings(make_case(documents=(euc(issuer="BUKIT SEMICONDUCTOR SDN. BHD."),)))
    assert same == []


def test_document_text_naming_another_party_or_country_is_flagged() -> None:
    case = make_case(documents=(euc(),))
    assert findings(case, texts={1: pdfs.EUC_TEXT}) == []
    other = pdfs.EUC_TEXT.replace("Bukit Semiconductor Sdn. Bhd., Penang, Malaysia", "Bukit Trading FZE, Dubai, UAE")
    issues = findings(case, texts={1: other})
    assert ids(issues) == ["doc.country-mismatch:1", f"doc.party-not-named:1:{EU}"]
    assert "names United Arab Emirates, but the party it covers is in Malaysia" in issues[0].message
    typo = pdfs.EUC_TEXT.replace("Bukit Semiconductor Sdn. Bhd.", "Bukit Semiconductive Trading Sdn. Bhd.")
    assert "it names 'Bukit Semiconductive" in findings(case, texts={1: typo})[0].message


def test_integrity_problems_are_open_items_and_void_coverage() -> None:
    case = make_case(documents=(euc(sha256="a" * 64),))
    issues = findings(case, integrity={1: IntegrityStatus.TAMPERED})
    assert ids(issues) == [f"doc.euc-missing:{EU}", "doc.integrity:1"]
    assert "covers them but its file cannot be verified" in issues[0].message
    assert "TAMPERED" in issues[1].message and issues[1].severity is IssueSeverity.OPEN_ITEM
    missing = findings(case, integrity={1: IntegrityStatus.MISSING}, licence=False)
    assert ids(missing) == ["doc.integrity:1"] and "MISSING" in missing[0].message
    no_file = findings(make_case(documents=(euc(),)), integrity={1: IntegrityStatus.NO_FILE})
    assert [(i.id, i.severity) for i in no_file] == [("doc.no-file:1", IssueSeverity.WARNING)]


def test_open_items_come_first() -> None:
    case = make_case(documents=(euc(valid_until=DAY + timedelta(days=5)), euc(filename="old.pdf", valid_until=DAY)))
    issues = findings(make_case(documents=(*case.documents, euc(filename="x.pdf", valid_until=date(2020, 1, 1)))))
    assert [i.severity for i in issues] == sorted(i.severity for i in issues)  # open_item < warning
    assert issues[0].id == "doc.expired:3"


def test_expiring_documents_for_the_dashboard() -> None:
    today = date(2026, 3, 1)
    open_case = make_case(
        documents=(
            euc(valid_until=date(2026, 3, 20)),
            euc(filename="later.pdf", valid_until=date(2026, 9, 1)),
            euc(filename="gone.pdf", valid_until=date(2026, 2, 1)),
            euc(filename="undated.pdf"),
        )
    )
    closed = replace(make_case(reference="EC-DOC-2", documents=(euc(valid_until=date(2026, 3, 2)),)),
                     status=CaseStatus.CLOSED)  # fmt: skip
    rows = expiring_documents([open_case, closed], today=today, within_days=30)
    assert [(r.filename, r.days_left) for r in rows] == [("gone.pdf", -28), ("euc.pdf", 19)]
    assert rows[1].reference == "EC-DOC-1" and rows[1].position == 1
