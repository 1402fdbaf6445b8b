"""What a file really is, judged by its first bytes and never by its name.

A supporting document must be a PDF or a scan (PNG, JPEG, TIFF). Extensions lie: a Word
file renamed ``euc.pdf`` or an HTML page saved as ``scan.png`` must be refused, and a real
PDF called ``scan.jpg`` accepted as a PDF. The refusal names the file and says what the
content looks like, so the officer knows which file to fetch instead.
"""

from __future__ import annotations

from enum import StrEnum

from workbench.documents.errors import UnsupportedDocumentTypeError

HEAD_BYTES = 1024
"""How much of the file's start is inspected (a PDF header may follow up to 1 KiB of junk)."""


class ContentType(StrEnum):
    PDF = "application/pdf"
    PNG = "image/png"
    JPEG = "image/jpeg"
    TIFF = "image/tiff"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    ContentType.PDF: "PDF",
    ContentType.PNG: "PNG image",
    ContentType.JPEG: "JPEG image",
    ContentType.TIFF: "TIFF image",
}

_PNG = b"\x89PNG\r\n\x1a\n"
_TIFF = (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+")  # classic and BigTIFF, both byte orders

# Signatures of common wrong files, to say what the refused file looks like.
_LOOKALIKES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a ZIP archive (Word, Excel and OpenDocument files are ZIP archives too)"),
    (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document (.doc, .xls or .msg)"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"BM", "a BMP image"),
    (b"RIFF", "a RIFF file (WebP image, WAV or AVI)"),
    (b"\x00\x00\x00\x0cjP  ", "a JPEG 2000 image"),
    (b"{\\rtf", "an RTF document"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a Linux program"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"%!PS", "a PostScript file"),
)


def sniff(head: bytes) -> ContentType | None:
    """The supported type of content starting with ``head``, or None."""
    if head.startswith(_PNG):
        return ContentType.PNG
    if head.startswith(b"\xff\xd8\xff"):
        return ContentType.JPEG
    if head.startswith(_TIFF):
        return ContentType.TIFF
    if b"%PDF-" in head[:HEAD_BYTES]:
        return ContentType.PDF
    return None


def describe(head: bytes) -> str:
    """A short phrase saying what unsupported content looks like, e.g. 'a ZIP archive (...)'."""
    if not head:
        return "an empty file"
    for magic, label in _LOOKALIKES:
        if head.startswith(magic):
            return label
    text = head.lstrip(b"\xef\xbb\xbf\xff\xfe \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html")) or b"<html" in text[:512]:
        return "an HTML page"
    if text.startswith(b"<?xml") or text.startswith(b"<svg"):
        return "an XML or SVG file"
    if text.startswith((b"{", b"[")):
        return "a JSON file"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        # A multi-byte character cut by the end of ``head`` still counts as text.
        if exc.start < len(head) - 4:
            return "binary data of an unknown kind"
    return "a plain-text file"


def require_supported(head: bytes, display_name: str) -> ContentType:
    """The content type of ``head``, or ``UnsupportedDocumentTypeError`` naming the file."""
    kind = sniff(head)
    if kind is None:
        raise UnsupportedDocumentTypeError(
            f"{display_name}: looks like {describe(head)}, not a PDF, PNG, JPEG or TIFF; "
            "attach the signed document as a PDF or a scanned image."
        )
    return kind
