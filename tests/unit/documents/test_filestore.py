"""The content-addressed store: atomic copies, dedupe, size cap, verify / tamper / missing."""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.helpers import pdfs
from workbench.documents.errors import DocumentIntegrityError, DocumentTooLargeError, UnsupportedDocumentTypeError
from workbench.documents.filestore import DocumentStore, IntegrityStatus, max_document_bytes
from workbench.documents.intake import Intake, inspect_candidate
from workbench.domain.errors import InputFileError, ValidationError


def _inspect(name: str) -> Callable[[Path], Intake]:
    return lambda tmp: inspect_candidate(tmp, name)


def _add(store: DocumentStore, path: Path) -> tuple[str, bool]:
    stored, _ = store.add_file(path, path.name, _inspect(path.name))
    return stored.sha256, stored.already_stored


def _leftovers(store: DocumentStore) -> list[Path]:
    return [p for p in store.root.rglob(".*")] if store.root.exists() else []


def test_default_store_lives_in_the_data_directory() -> None:
    assert DocumentStore().root == Path(os.environ["WORKBENCH_DATA_DIR"]) / "documents"


def test_a_file_is_copied_under_its_sha256_and_stored_once(store: DocumentStore, tmp_path: Path) -> None:
    data = pdfs.text_pdf("End-user certificate")
    original = pdfs.write(tmp_path / "in" / "euc.pdf", data)
    copy = pdfs.write(tmp_path / "in" / "same content, other name.pdf", data)
    sha, again = _add(store, original)
    assert sha == hashlib.sha256(data).hexdigest() and not again
    path = store.path_for(sha)
    assert path == store.root / sha[:2] / sha[2:] and path.read_bytes() == data
    assert not os.access(path, os.W_OK) or os.geteuid() == 0  # read-only (root ignores the bit)
    assert _add(store, copy) == (sha, True)
    assert [p for p in store.root.rglob("*") if p.is_file()] == [path]
    original.unlink()  # never referenced in place
    assert store.verify(sha) is IntegrityStatus.OK


def test_verify_reports_tampered_and_missing_files(store: DocumentStore, tmp_path: Path) -> None:
    sha, _ = _add(store, pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf("original")))
    path = store.path_for(sha)
    os.chmod(path, 0o644)
    path.write_bytes(path.read_bytes().replace(b"original", b"0riginal"))
    assert store.verify(sha) is IntegrityStatus.TAMPERED
    with pytest.raises(DocumentIntegrityError, match="TAMPERED"):
        store.read_verified(sha, "document 1 (euc.pdf)")
    with pytest.raises(DocumentIntegrityError, match="TAMPERED"):
        store.copy_verified(sha, tmp_path / "view.pdf", "document 1 (euc.pdf)")
    assert not (tmp_path / "view.pdf").exists()
    path.unlink()
    assert store.verify(sha) is IntegrityStatus.MISSING
    with pytest.raises(DocumentIntegrityError, match="MISSING"):
        store.read_verified(sha, "document 1 (euc.pdf)")
    assert store.verify("") is IntegrityStatus.NO_FILE


def test_attaching_the_original_again_repairs_a_tampered_copy(store: DocumentStore, tmp_path: Path) -> None:
    data = pdfs.text_pdf("original")
    source = pdfs.write(tmp_path / "euc.pdf", data)
    sha, _ = _add(store, source)
    os.chmod(store.path_for(sha), 0o644)
    store.path_for(sha).write_bytes(b"%PDF-1.4 replaced")
    assert _add(store, source) == (sha, False)
    assert store.read_verified(sha, "euc.pdf") == data


def test_verified_copy_for_a_viewer(store: DocumentStore, tmp_path: Path) -> None:
    data = pdfs.png()
    sha, _ = _add(store, pdfs.write(tmp_path / "scan.png", data))
    assert store.copy_verified(sha, tmp_path / "view.png", "scan.png") == len(data)
    assert (tmp_path / "view.png").read_bytes() == data


def test_size_cap_is_checked_before_and_while_copying(tmp_path: Path) -> None:
    store = DocumentStore(tmp_path / "store", max_bytes=1000)
    big = pdfs.write(tmp_path / "big.pdf", b"%PDF-1.4\n" + b"0" * 2000)
    with pytest.raises(DocumentTooLargeError, match=r"big\.pdf: is 2\.0 KB; supporting documents are limited to"):
        store.add_file(big, "big.pdf", _inspect("big.pdf"))
    # A stream that lies about its size (e.g. a zip bomb member) is cut off while copying.
    with pytest.raises(DocumentTooLargeError, match="WORKBENCH_DOCUMENT_MAX_MB"):
        store.ingest(io.BytesIO(b"%PDF-" + b"0" * 5000), "bomb.pdf", _inspect("bomb.pdf"))
    assert _leftovers(store) == []


def test_size_cap_is_configurable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert max_document_bytes() == 50 * 1024 * 1024
    monkeypatch.setenv("WORKBENCH_DOCUMENT_MAX_MB", "0.5")
    assert DocumentStore().max_bytes == 512 * 1024
    monkeypatch.setenv("WORKBENCH_DOCUMENT_MAX_MB", "lots")
    with pytest.raises(ValidationError, match="not a size in megabytes"):
        max_document_bytes()


def test_a_refused_file_leaves_nothing_in_the_store(store: DocumentStore, tmp_path: Path) -> None:
    source = pdfs.write(tmp_path / "euc.pdf", b"PK\x03\x04 a word document")
    with pytest.raises(UnsupportedDocumentTypeError):
        store.add_file(source, "euc.pdf", _inspect("euc.pdf"))
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_expected_hash_mismatch_is_refused(store: DocumentStore) -> None:
    data = pdfs.text_pdf("x")
    with pytest.raises(DocumentIntegrityError, match="does not match the SHA-256 recorded"):
        store.ingest(io.BytesIO(data), "euc.pdf", _inspect("euc.pdf"), expected_sha256="0" * 64)
    assert [p for p in store.root.rglob("*") if p.is_file()] == []


def test_ingest_returns_what_the_inspection_found(store: DocumentStore) -> None:
    stored, intake = store.ingest(io.BytesIO(pdfs.tiff()), "scan.tif", _inspect("scan.tif"))
    assert isinstance(intake, Intake) and intake.describe() == "TIFF image, 3x5 pixels"
    assert stored.size == len(pdfs.tiff())


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo"])
def test_unreadable_sources_are_refused_with_one_line(store: DocumentStore, tmp_path: Path, kind: str) -> None:
    path = tmp_path / "thing"
    if kind == "folder":
        path.mkdir()
    elif kind == "fifo":
        if not hasattr(os, "mkfifo"):
            pytest.skip("no FIFOs on this platform")
        os.mkfifo(path)
    with pytest.raises(InputFileError) as caught:
        store.add_file(path, "thing", _inspect("thing"))
    assert "\n" not in str(caught.value) and str(path) in str(caught.value)


def test_malformed_hash_is_a_validation_error(store: DocumentStore) -> None:
    with pytest.raises(ValidationError, match="not a SHA-256"):
        store.path_for("../../etc/passwd")
