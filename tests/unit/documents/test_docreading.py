"""Reading a document's suggestions before attaching (nothing stored) and for an attached one."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import pdfs
from tests.unit.documents.conftest import END_USER, REFERENCE
from workbench.documents.errors import EncryptedPdfError
from workbench.documents.filestore import DocumentStore
from workbench.documents.suggest import SuggestionField
from workbench.domain.case import Assurance
from workbench.services import Workbench
from workbench.services import documents as docs
from workbench.services.docreading import not_recorded, read_candidate, stored_suggestions

EUC = f"""END-USER CERTIFICATE
We, {END_USER}, Kuala Lumpur, Malaysia, are the end user of the HGX baseboards.
The items will not be re-exported without the prior written authorization of the U.S. Government.
The items will not be used for military purposes or for nuclear, chemical or biological weapons.
Date of signature: 2 November 2026
Valid until: 2027-11-01
"""


def _fields(suggestions: object) -> dict[SuggestionField, set[str]]:
    out: dict[SuggestionField, set[str]] = {}
    for s in suggestions:  # type: ignore[attr-defined]
        out.setdefault(s.field, set()).add(s.value)
    return out


def test_a_file_is_read_before_attaching_and_nothing_is_stored(wb: Workbench, tmp_path: Path) -> None:
    pdf = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf(EUC))
    store = DocumentStore(tmp_path / "store")
    preread = read_candidate(wb, REFERENCE, pdf, store=store)
    found = _fields(preread.suggestions)
    assert found[SuggestionField.KIND] == {"euc"}
    assert found[SuggestionField.SIGNED_DATE] == {"2026-11-02"}
    assert found[SuggestionField.VALID_UNTIL] == {"2027-11-01"}
    assert found[SuggestionField.PARTY] == {END_USER}
    assert {Assurance.NO_REEXPORT.value, Assurance.NO_MILITARY_WMD.value} <= found[SuggestionField.ASSURANCE]
    assert preread.intake.pages == 1
    assert not store.root.exists() or not any(p.is_file() for p in store.root.rglob("*"))
    assert docs.list_documents(wb, REFERENCE) == []


def test_a_file_attaching_would_refuse_is_refused_when_read(wb: Workbench, tmp_path: Path) -> None:
    locked = pdfs.write(tmp_path / "locked.pdf", pdfs.text_pdf(EUC, password="secret"))
    with pytest.raises(EncryptedPdfError):
        read_candidate(wb, REFERENCE, locked)
    big = pdfs.write(tmp_path / "big.pdf", pdfs.text_pdf(EUC))
    with pytest.raises(Exception, match="limited to"):
        read_candidate(wb, REFERENCE, big, store=DocumentStore(tmp_path / "s", max_bytes=100))


def test_an_attached_pdf_offers_its_suggestions_and_what_the_record_lacks(wb: Workbench, tmp_path: Path) -> None:
    pdf = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf(EUC))
    result = docs.attach_document(wb, REFERENCE, pdf, "euc", expires_on=date(2027, 11, 1))
    suggestions = stored_suggestions(wb, REFERENCE, 1)
    assert _fields(suggestions) == _fields(result.suggestions)
    missing = {(s.field, s.value) for s in not_recorded(result.record, suggestions)}
    assert (SuggestionField.KIND, "euc") not in missing  # recorded as the text says
    assert (SuggestionField.VALID_UNTIL, "2027-11-01") not in missing
    assert (SuggestionField.SIGNED_DATE, "2026-11-02") in missing
    assert (SuggestionField.ASSURANCE, Assurance.NO_REEXPORT.value) in missing
    assert not any(field is SuggestionField.COUNTRY for field, _ in missing)
    complete = replace(
        result.record,
        signed_date=date(2026, 11, 2),
        covers_parties=(END_USER,),
        assurances=tuple(Assurance),
    )
    assert not not_recorded(complete, suggestions)


def test_an_image_has_no_suggestions(wb: Workbench, tmp_path: Path) -> None:
    image = pdfs.write(tmp_path / "scan.png", pdfs.png())
    docs.attach_document(wb, REFERENCE, image, "euc")
    assert stored_suggestions(wb, REFERENCE, 1) == ()
    assert read_candidate(wb, REFERENCE, image).suggestions == ()
