"""PDF and image checks on real files: text, encrypted, broken, truncated."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.helpers import pdfs
from workbench.documents.errors import BrokenDocumentError, EncryptedPdfError
from workbench.documents.intake import inspect_candidate
from workbench.documents.pdfcheck import inspect_pdf
from workbench.documents.sniff import ContentType


def test_text_pdf_is_accepted_and_its_text_read(tmp_path: Path) -> None:
    path = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf([pdfs.EUC_TEXT, "Page two: annex"]))
    intake = inspect_candidate(path, "euc.pdf")
    assert intake.content_type is ContentType.PDF and intake.pages == 2
    assert "Bukit Semiconductor" in intake.text and "annex" in intake.text
    assert intake.notes == () and intake.describe() == "PDF, 2 pages"


def test_text_extraction_is_bounded(tmp_path: Path) -> None:
    path = pdfs.write(tmp_path / "long.pdf", pdfs.text_pdf([f"page {i}" for i in range(1, 6)]))
    info = inspect_pdf(path, "long.pdf", max_pages=2)
    assert info.pages == 5 and info.pages_read == 2 and info.truncated
    assert "page 2" in info.text and "page 3" not in info.text
    assert any("first 2 of 5 pages" in n for n in info.notes)


def test_pdf_without_text_says_so(tmp_path: Path) -> None:
    path = pdfs.write(tmp_path / "scan.pdf", pdfs.text_pdf(""))
    assert any("no text layer" in n for n in inspect_candidate(path, "scan.pdf").notes)


def test_password_protected_pdf_is_refused_with_the_reason(tmp_path: Path) -> None:
    path = pdfs.write(tmp_path / "locked.pdf", pdfs.text_pdf("secret", password="s3cret"))
    with pytest.raises(EncryptedPdfError, match=r"^locked\.pdf: is a password-protected PDF"):
        inspect_candidate(path, "locked.pdf")


def test_encrypted_pdf_without_user_password_is_refused_too(tmp_path: Path) -> None:
    path = pdfs.write(tmp_path / "restricted.pdf", pdfs.owner_only_encrypted_pdf("restricted"))
    with pytest.raises(EncryptedPdfError, match="opens without a password, but its author restricted it"):
        inspect_candidate(path, "restricted.pdf")


@pytest.mark.parametrize(
    "data",
    [pdfs.broken_pdf(), pdfs.text_pdf(pdfs.EUC_TEXT)[:300], b"%PDF-1.4\n"],
    ids=["garbage", "truncated", "header-only"],
)
def test_broken_pdfs_are_refused_with_the_reason(tmp_path: Path, data: bytes) -> None:
    path = pdfs.write(tmp_path / "broken.pdf", data)
    with pytest.raises(BrokenDocumentError) as caught:
        inspect_candidate(path, "broken.pdf")
    message = str(caught.value)
    assert message.startswith("broken.pdf: is a damaged PDF that cannot be read (") and "\n" not in message


def test_slightly_damaged_pdf_is_repaired_and_noted(tmp_path: Path) -> None:
    data = pdfs.text_pdf("Repairable")
    start = data.rindex(b"startxref")
    damaged = data[:start] + b"startxref\n9\n%%EOF\n"  # wrong cross-reference offset, as scanners write
    intake = inspect_candidate(pdfs.write(tmp_path / "r.pdf", damaged), "r.pdf")
    assert "Repairable" in intake.text
    assert any("repaired on reading" in n for n in intake.notes)


@pytest.mark.parametrize(
    ("name", "data", "size"),
    [("a.png", pdfs.png(7, 9), "7x9"), ("a.jpg", pdfs.jpeg(640, 480), "640x480"), ("a.tif", pdfs.tiff(3, 5), "3x5")],
)
def test_images_are_accepted_with_their_size(tmp_path: Path, name: str, data: bytes, size: str) -> None:
    intake = inspect_candidate(pdfs.write(tmp_path / name, data), name)
    assert intake.describe().endswith(f"{size} pixels") and intake.text == ""


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (pdfs.png()[:40], "cut short"),
        (pdfs.jpeg()[:-2], "cut short"),
        (pdfs.jpeg()[:24], "ends in the middle of its header"),
        (pdfs.png(0, 3), "holds no image"),
        (b"II*\x00\xff\xff\xff\x7f", "outside the file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "IHDR"),
    ],
)
def test_damaged_images_are_refused(tmp_path: Path, data: bytes, why: str) -> None:
    with pytest.raises(BrokenDocumentError, match=why):
        inspect_candidate(pdfs.write(tmp_path / "scan", data), "scan")


def test_a_pdf_named_like_an_image_is_checked_as_a_pdf(tmp_path: Path) -> None:
    intake = inspect_candidate(pdfs.write(tmp_path / "scan.jpg", pdfs.text_pdf("hi")), "scan.jpg")
    assert intake.content_type is ContentType.PDF
