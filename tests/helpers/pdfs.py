"""Real test documents built in memory: text PDFs (pypdf writer), encrypted and broken PDFs, tiny images.

The PDFs are genuine: a page with a Helvetica text content stream that pypdf (and any
viewer) reads back, so text extraction and suggestions are exercised for real.
"""

from __future__ import annotations

import io
import struct
import zlib
from collections.abc import Sequence
from pathlib import Path

from pypdf import PdfWriter
from pypdf.generic import DecodedStreamObject, DictionaryObject, NameObject


def _escape(line: str) -> str:
    return line.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")


def text_pdf(pages: Sequence[str] | str, *, password: str | None = None) -> bytes:
    """A PDF whose pages show ``pages`` (one string per page, lines split on newlines)."""
    if isinstance(pages, str):
        pages = [pages]
    writer = PdfWriter()
    for text in pages:
        page = writer.add_blank_page(612, 792)
        font = DictionaryObject(
            {
                NameObject("/Type"): NameObject("/Font"),
                NameObject("/Subtype"): NameObject("/Type1"),
                NameObject("/BaseFont"): NameObject("/Helvetica"),
                NameObject("/Encoding"): NameObject("/WinAnsiEncoding"),
            }
        )
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): writer._add_object(font)})}
        )
        ops = ["BT", "/F1 11 Tf", "14 TL", "50 750 Td"]
        for line in text.splitlines():
            ops.append(f"({_escape(line)}) Tj T*")
        ops.append("ET")
        stream = DecodedStreamObject()
        stream.set_data("\n".join(ops).encode("cp1252"))
        page[NameObject("/Contents")] = writer._add_object(stream)
    if password is not None:
        writer.encrypt(user_password=password, owner_password="owner-" + password, algorithm="AES-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def owner_only_encrypted_pdf(text: str) -> bytes:
    """Encrypted with an empty user password: opens without a password but is still encrypted."""
    return text_pdf(text, password="")


def broken_pdf() -> bytes:
    """Starts like a PDF but has no objects, no cross-reference table and no trailer."""
    return b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\nthis is not a PDF body at all\n" + b"\x00\x17garbage" * 20


def write(path: Path, data: bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return path


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)


def png(width: int = 2, height: int = 2) -> bytes:
    """A valid greyscale PNG."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    raw = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(raw)) + _chunk(b"IEND", b"")


def jpeg(width: int = 16, height: int = 8) -> bytes:
    """A structurally valid baseline JPEG header (APP0, SOF0) with an end marker; not decodable pixels."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    sof0 = b"\xff\xc0" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    sos = b"\xff\xda" + struct.pack(">HB", 8, 1) + b"\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + sof0 + sos + b"\x00" * 16 + b"\xff\xd9"


def tiff(width: int = 3, height: int = 5, *, big_endian: bool = False) -> bytes:
    """A minimal TIFF with one image directory giving width and height."""
    e = ">" if big_endian else "<"
    order = b"MM" if big_endian else b"II"
    entries = [(256, 3, 1, width), (257, 3, 1, height), (258, 3, 1, 8), (259, 3, 1, 1), (262, 3, 1, 1)]
    ifd = struct.pack(e + "H", len(entries))
    for tag, kind, count, value in entries:
        ifd += struct.pack(e + "HHI", tag, kind, count) + struct.pack(e + "H", value) + b"\x00\x00"
    ifd += struct.pack(e + "I", 0)
    return order + struct.pack(e + "HI", 42, 8) + ifd + b"\x00" * (width * height)


EUC_TEXT = """END-USER CERTIFICATE
Certificate No. EUC-2026-117
We, Bukit Semiconductor Sdn. Bhd., Penang, Malaysia, certify that we are the end user
of the items supplied by Example Exporter Inc. under purchase order 4711.
End use: the items will be used for testing wafers in our Penang fab.
The items will not be re-exported, resold or transferred without the prior written authorization
of the U.S. Government.
The items will not be used for any military purpose or in the design, development or production
of nuclear, chemical or biological weapons or missiles.
Date of signature: 14 January 2026
Valid until: 31 December 2026
Authorized signatory: Tan Mei Ling
Title: Director of Operations
"""

BIS711_TEXT = """FORM BIS-711
STATEMENT BY ULTIMATE CONSIGNEE AND PURCHASER
Ultimate consignee: Bukit Semiconductor Sdn Bhd, Penang, Malaysia
Disposition or use of items: the items will be used as capital equipment in a manufacturing process.
We certify that the items will not be reexported, resold or otherwise disposed of contrary to the
Export Administration Regulations, and will not be used for nuclear, chemical, biological weapons or missiles.
Signed on 2026-01-10
"""
