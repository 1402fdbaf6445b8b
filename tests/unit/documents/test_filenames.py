"""Odd file names become harmless display names (and valid DocumentRecord file names)."""

from __future__ import annotations

import pytest

from workbench.documents.filenames import MAX_NAME_CHARS, safe_display_name
from workbench.domain.case import DocumentKind, DocumentRecord


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("euc.pdf", "euc.pdf"),
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\officer\\Desktop\\EUC final.pdf", "EUC final.pdf"),
        ("..", "document"),
        ("...", "document"),
        ("", "document"),
        ("/", "document"),
        (".hidden.pdf", "hidden.pdf"),
        ("bad\x00name\x07.pdf", "bad_name_.pdf"),
        ("line\nbreak.pdf", "line break.pdf"),
        ("invoice\u202efdp.exe", "invoice_fdp.exe"),  # right-to-left override neutralised
        ("a:b*c?.pdf", "a_b_c_.pdf"),
        ("CON.pdf", "_CON.pdf"),
        ("  spaced   out  .pdf", "spaced out .pdf"),
        ("Ünïcödé – 証明書.pdf", "Ünïcödé – 証明書.pdf"),
    ],
)
def test_odd_names_are_made_harmless(raw: str, expected: str) -> None:
    assert safe_display_name(raw) == expected


def test_long_names_are_shortened_keeping_the_extension() -> None:
    name = safe_display_name("x" * 1000 + ".pdf")
    assert len(name) == MAX_NAME_CHARS and name.endswith("~.pdf")


@pytest.mark.parametrize(
    "raw", ["../../x", "a/b\\c", "\x1b[31mred.pdf", "x" * 5000, "..", "\u200b\u200b", "con", "\ud800.pdf"]
)
def test_every_safe_name_is_a_valid_record_file_name(raw: str) -> None:
    name = safe_display_name(raw)
    record = DocumentRecord(kind=DocumentKind.OTHER, filename=name)
    assert record.filename == name and name not in {".", ".."} and "/" not in name and "\\" not in name
