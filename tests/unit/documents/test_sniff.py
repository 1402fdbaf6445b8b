"""Content-type detection by magic bytes, and the sentence that refuses everything else."""

from __future__ import annotations

import pytest

from tests.helpers import pdfs
from workbench.documents.errors import UnsupportedDocumentTypeError
from workbench.documents.sniff import ContentType, describe, require_supported, sniff


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (pdfs.text_pdf("hello"), ContentType.PDF),
        (b"\r\n\xef\xbb\xbf%PDF-1.4\n", ContentType.PDF),  # junk before the header, as Acrobat tolerates
        (pdfs.png(), ContentType.PNG),
        (pdfs.jpeg(), ContentType.JPEG),
        (pdfs.tiff(), ContentType.TIFF),
        (pdfs.tiff(big_endian=True), ContentType.TIFF),
        (b"II+\x00\x08\x00\x00\x00", ContentType.TIFF),  # BigTIFF
    ],
)
def test_supported_types_are_recognised_by_content(data: bytes, expected: ContentType) -> None:
    assert sniff(data[:1024]) is expected


@pytest.mark.parametrize(
    ("data", "looks_like"),
    [
        (b"PK\x03\x04rest-of-a-docx", "a ZIP archive (Word, Excel"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "old Microsoft Office document"),
        (b"GIF89a....", "a GIF image"),
        (b"MZ\x90\x00", "a Windows program"),
        (b"<!DOCTYPE html><html>", "an HTML page"),
        (b"Dear exporter, this is plain text", "a plain-text file"),
        (b"", "an empty file"),
        (bytes(range(256)), "binary data"),
    ],
)
def test_other_content_is_refused_naming_the_file_and_what_it_looks_like(data: bytes, looks_like: str) -> None:
    assert sniff(data) is None
    assert looks_like in describe(data)
    with pytest.raises(UnsupportedDocumentTypeError) as caught:
        require_supported(data, "euc.pdf")
    message = str(caught.value)
    assert message.startswith("euc.pdf: looks like ") and "not a PDF, PNG, JPEG or TIFF" in message
    assert "\n" not in message


def test_pdf_header_beyond_the_first_kilobyte_is_not_a_pdf() -> None:
    assert sniff(b" " * 1100 + b"%PDF-1.7") is None
