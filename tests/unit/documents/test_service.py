"""Document use cases on a real database: attach, verify, open, update, remove, issues, bundles."""

from __future__ import annotations

import json
import os
import zipfile
from datetime import date
from pathlib import Path

import pytest

from tests.helpers import pdfs
from tests.unit.documents.conftest import END_USER, REFERENCE
from workbench.documents.bundle import BundleError, BundleOutputError
from workbench.documents.errors import DocumentIntegrityError, EncryptedPdfError, UnsupportedDocumentTypeError
from workbench.documents.filestore import DocumentStore, IntegrityStatus
from workbench.documents.suggest import SuggestionField
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.services import Workbench, open_workbench
from workbench.services import documents as docs
from workbench.services.audit import case_history
from workbench.services.cases import get_case

EUC = f"""END-USER CERTIFICATE
We, {END_USER.upper()}, Kuala Lumpur, Malaysia, are the end user of the HGX baseboards.
End use: the items will be used for a cloud inference service in Kuala Lumpur.
The items will not be re-exported without the prior written authorization of the U.S. Government.
The items will not be used for military purposes or for nuclear, chemical or biological weapons.
Date of signature: 2 November 2026
Valid until: 2027-11-01
"""


def _euc_file(tmp_path: Path, text: str = EUC, name: str = "EUC signed.pdf") -> Path:
    return pdfs.write(tmp_path / "incoming" / name, pdfs.text_pdf(text))


def _files(store: DocumentStore) -> list[Path]:
    return [p for p in store.root.rglob("*") if p.is_file()] if store.root.exists() else []


def test_attach_stores_the_file_records_it_and_returns_suggestions_unapplied(wb: Workbench, tmp_path: Path) -> None:
    result = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc", covers_roles=["end_user"])
    assert result.position == 1 and not result.stored.already_stored
    record = get_case(wb, REFERENCE).documents[0]
    assert record == result.record
    assert record.filename == "EUC signed.pdf" and record.sha256 == result.stored.sha256
    assert record.covers_parties == (END_USER,)
    # Suggestions are returned, never applied.
    assert record.valid_until is None and record.assurances == ()
    fields = {s.field: s.value for s in result.suggestions}
    assert fields[SuggestionField.VALID_UNTIL] == "2027-11-01"
    assert fields[SuggestionField.SIGNED_DATE] == "2026-11-02"
    assert fields[SuggestionField.PARTY] == END_USER
    assert DocumentStore().verify(record.sha256) is IntegrityStatus.OK
    actions = [e.action for e in case_history(wb, REFERENCE)]
    assert "attach_document" in actions


def test_recorded_values_contradicted_by_the_text_are_noted(wb: Workbench, tmp_path: Path) -> None:
    result = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "bis_711", expires_on=date(2027, 12, 31))
    assert any("Valid until 2027-11-01" in n and "differs from what was recorded" in n for n in result.notes)
    assert any("Kind: euc" in n for n in result.notes)


def test_same_file_twice_is_stored_once_and_refused_on_the_same_case(wb: Workbench, tmp_path: Path) -> None:
    first = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    copy = pdfs.write(tmp_path / "again.pdf", _euc_file(tmp_path).read_bytes())
    with pytest.raises(DuplicateError, match=r"already attached to case EC-TEST-0001 as document 1 \(EUC signed\.pdf"):
        docs.attach_document(wb, REFERENCE, copy, "euc")
    assert len(get_case(wb, REFERENCE).documents) == 1
    assert _files(DocumentStore()) == [DocumentStore().path_for(first.record.sha256)]


def test_invalid_input_is_refused_before_anything_is_copied(wb: Workbench, tmp_path: Path) -> None:
    source = _euc_file(tmp_path)
    with pytest.raises(ValidationError, match="has no purchaser party"):
        docs.attach_document(wb, REFERENCE, source, "euc", covers_roles=["purchaser"])
    with pytest.raises(ValidationError, match="is not a document kind"):
        docs.attach_document(wb, REFERENCE, source, "passport")
    with pytest.raises(ValidationError, match=r"expires .* before it was signed"):
        docs.attach_document(wb, REFERENCE, source, "euc", signed_on=date(2026, 5, 1), expires_on=date(2026, 1, 1))
    with pytest.raises(ValidationError, match="item 3 does not exist"):
        docs.attach_document(wb, REFERENCE, source, "euc", covers_items=[3])
    with pytest.raises(NotFoundError):
        docs.attach_document(wb, "EC-NOPE", source, "euc")
    assert _files(DocumentStore()) == []


@pytest.mark.parametrize(
    ("data", "error"),
    [(pdfs.text_pdf("x", password="pw"), EncryptedPdfError), (b"<html>nope</html>", UnsupportedDocumentTypeError)],
)
def test_refused_files_leave_the_case_and_store_unchanged(
    wb: Workbench, tmp_path: Path, data: bytes, error: type[Exception]
) -> None:
    with pytest.raises(error):
        docs.attach_document(wb, REFERENCE, pdfs.write(tmp_path / "x.pdf", data), "euc")
    assert get_case(wb, REFERENCE).documents == () and _files(DocumentStore()) == []


def test_odd_file_names_are_harmless(wb: Workbench, tmp_path: Path) -> None:
    odd = "..\x07evil\u202e name" + "x" * 300 + ".pdf"
    result = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc", filename=odd)
    name = result.record.filename
    assert name.startswith("_evil_ name") and name.endswith("~.pdf") and len(name) <= 120
    copy = docs.copy_document(wb, REFERENCE, 1, tmp_path)
    assert copy.parent == tmp_path and copy.name == name


def test_verify_open_and_tamper(wb: Workbench, tmp_path: Path) -> None:
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    docs.attach_document(wb, REFERENCE, pdfs.write(tmp_path / "scan.png", pdfs.png()), "datasheet")
    assert [s for _, s in docs.verify_documents(wb, REFERENCE)] == [IntegrityStatus.OK, IntegrityStatus.OK]
    assert docs.open_document(wb, REFERENCE, 2) == pdfs.png()
    store = DocumentStore()
    first, second = get_case(wb, REFERENCE).documents
    path = store.path_for(first.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes() + b"\n% appended")
    store.path_for(second.sha256).unlink()
    assert [s for _, s in docs.verify_documents(wb, REFERENCE)] == [IntegrityStatus.TAMPERED, IntegrityStatus.MISSING]
    with pytest.raises(DocumentIntegrityError, match=r"document 1 \(EUC signed\.pdf\): TAMPERED"):
        docs.open_document(wb, REFERENCE, 1)
    with pytest.raises(NotFoundError, match="has no document 3"):
        docs.open_document(wb, REFERENCE, 3)


def test_update_and_remove_keep_the_audit_trail_and_the_file(wb: Workbench, tmp_path: Path) -> None:
    result = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    updated = docs.update_document(wb, REFERENCE, 1, valid_until=date(2027, 11, 1), covers_parties=[END_USER])
    assert updated.valid_until == date(2027, 11, 1) and get_case(wb, REFERENCE).documents[0] == updated
    with pytest.raises(ValidationError, match="cannot be changed"):
        docs.update_document(wb, REFERENCE, 1, sha256="0" * 64)
    with pytest.raises(ValidationError, match="say why"):
        docs.remove_document(wb, REFERENCE, 1, reason="  ")
    removed = docs.remove_document(wb, REFERENCE, 1, reason="superseded by the 2027 EUC")
    assert removed == updated and get_case(wb, REFERENCE).documents == ()
    entry = next(e for e in case_history(wb, REFERENCE) if e.action == "remove_document")
    assert entry.reason == "superseded by the 2027 EUC" and entry.officer == "tester"
    assert entry.before["sha256"] == result.record.sha256 and entry.after is None
    assert DocumentStore().verify(result.record.sha256) is IntegrityStatus.OK  # the file is kept


def test_issues_feed_the_rule_engine(wb: Workbench, tmp_path: Path) -> None:
    # An advanced-computing case (4A090.a) without an EUC: an open item for the end user.
    issues = docs.document_issues(wb, REFERENCE)
    assert [i.id for i in issues] == [f"doc.euc-missing:{END_USER}"]
    review = docs.determine_with_documents(get_case(wb, REFERENCE))
    assert review.determination.review_required
    assert issues[0].text in review.determination.open_items
    # With a valid, complete EUC covering the end user, nothing is open.
    docs.attach_document(
        wb, REFERENCE, _euc_file(tmp_path), "euc", covers_roles=["end_user"], issuer=END_USER,
        signed_on=date(2026, 11, 2), expires_on=date(2027, 11, 1),
        assurances=["end_use_statement", "no_reexport_without_authorisation", "no_military_wmd_end_use",
                    "end_user_named"],
    )  # fmt: skip
    assert docs.document_issues(wb, REFERENCE) == []
    after = docs.determine_with_documents(get_case(wb, REFERENCE)).determination
    assert not any("EUC" in item for item in after.open_items)
    # Judged a year later the EUC has expired.
    later = docs.document_issues(wb, REFERENCE, as_of=date(2027, 11, 2))
    assert "doc.expired:1" in [i.id for i in later]


def test_issues_read_the_stored_pdf_text(wb: Workbench, tmp_path: Path) -> None:
    wrong = EUC.replace(END_USER.upper(), "GULF TRADING FZE").replace("Kuala Lumpur, Malaysia", "Dubai, UAE")
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path, wrong), "euc", covers_roles=["end_user"])
    found = {i.id for i in docs.document_issues(wb, REFERENCE)}
    assert {"doc.country-mismatch:1", f"doc.party-not-named:1:{END_USER}"} <= found


def test_expiring_for_the_dashboard(wb: Workbench, tmp_path: Path) -> None:
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc", expires_on=date(2026, 12, 1))
    rows = docs.expiring(wb, today=date(2026, 11, 20), within_days=30)
    assert [(r.reference, r.position, r.days_left) for r in rows] == [(REFERENCE, 1, 11)]
    assert docs.expiring(wb, today=date(2026, 1, 1), within_days=30) == []


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_bundle_round_trip(wb: Workbench, tmp_path: Path, sqlite_url: str, suffix: str) -> None:
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc", covers_roles=["end_user"], filename="../e u c.pdf")
    docs.attach_document(wb, REFERENCE, pdfs.write(tmp_path / "scan.tif", pdfs.tiff()), "other")
    original = get_case(wb, REFERENCE)
    out = tmp_path / f"bundle{suffix}"
    summary = docs.export_case_bundle(wb, REFERENCE, out)
    assert summary.documents == 2 and out.exists()
    if suffix:
        with zipfile.ZipFile(out) as archive:
            names = set(archive.namelist())
            manifest = json.loads(archive.read("bundle.json"))
    else:
        names = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
        manifest = json.loads((out / "bundle.json").read_text())
    assert names == {"case.json", "bundle.json", "documents/01-e u c.pdf", "documents/02-scan.tif"}
    assert [d["path"] for d in manifest["documents"]] == ["documents/01-e u c.pdf", "documents/02-scan.tif"]
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temporary left behind

    # Elsewhere: another database and an empty document store.
    other_store = DocumentStore(tmp_path / "elsewhere" / "documents")
    other = open_workbench(f"sqlite:///{tmp_path / 'elsewhere.sqlite3'}", officer="importer")
    try:
        imported = docs.import_case_bundle(other, out, store=other_store)
        assert imported.documents == original.documents and imported.parties == original.parties
        assert [s for _, s in docs.verify_documents(other, REFERENCE, store=other_store)] == [IntegrityStatus.OK] * 2
        with pytest.raises(DuplicateError):
            docs.import_case_bundle(other, out, store=other_store)
    finally:
        other.close()


def test_tampered_bundle_is_refused_and_nothing_is_imported(wb: Workbench, tmp_path: Path) -> None:
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    out = tmp_path / "bundle"
    docs.export_case_bundle(wb, REFERENCE, out)
    target = next((out / "documents").iterdir())
    target.write_bytes(target.read_bytes().replace(b"END-USER", b"END-USE_"))
    other_store = DocumentStore(tmp_path / "other-store")
    other = open_workbench(f"sqlite:///{tmp_path / 'other.sqlite3'}")
    try:
        with pytest.raises(DocumentIntegrityError, match="does not match the SHA-256 recorded"):
            docs.import_case_bundle(other, out, store=other_store)
        with pytest.raises(NotFoundError):
            get_case(other, REFERENCE)
        assert _files(other_store) == []
        target.unlink()
        with pytest.raises(BundleError, match="is missing from the bundle"):
            docs.import_case_bundle(other, out, store=other_store)
    finally:
        other.close()


@pytest.mark.parametrize("path", ["../../etc/passwd", "/etc/passwd", "documents\\x.pdf", "C:/x.pdf"])
def test_unsafe_manifest_paths_are_refused(wb: Workbench, tmp_path: Path, path: str) -> None:
    docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    out = tmp_path / "bundle"
    docs.export_case_bundle(wb, REFERENCE, out)
    manifest = json.loads((out / "bundle.json").read_text())
    manifest["documents"][0]["path"] = path
    (out / "bundle.json").write_text(json.dumps(manifest))
    with pytest.raises(BundleError, match="unsafe path"):
        docs.import_case_bundle(wb, out, store=DocumentStore(tmp_path / "s"))


def test_export_refuses_to_overwrite_a_folder_and_a_tampered_store(wb: Workbench, tmp_path: Path) -> None:
    result = docs.attach_document(wb, REFERENCE, _euc_file(tmp_path), "euc")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "keep.txt").write_text("mine")
    with pytest.raises(BundleOutputError, match="is not an empty folder"):
        docs.export_case_bundle(wb, REFERENCE, busy)
    path = DocumentStore().path_for(result.record.sha256)
    os.chmod(path, 0o644)
    path.write_bytes(b"%PDF-1.4 forged")
    for out in (tmp_path / "b.zip", tmp_path / "b"):
        with pytest.raises(DocumentIntegrityError, match="TAMPERED"):
            docs.export_case_bundle(wb, REFERENCE, out)
        assert not out.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith((".", "b."))] == []  # no temporary left


def test_not_a_bundle(wb: Workbench, tmp_path: Path) -> None:
    with pytest.raises(BundleError, match="no such file or folder"):
        docs.import_case_bundle(wb, tmp_path / "nothing")
    junk = pdfs.write(tmp_path / "junk.zip", b"not a zip")
    with pytest.raises(BundleError, match="is not a bundle folder or zip"):
        docs.import_case_bundle(wb, junk)
    (tmp_path / "empty").mkdir()
    with pytest.raises(BundleError, match=r"has no case\.json"):
        docs.import_case_bundle(wb, tmp_path / "empty")
