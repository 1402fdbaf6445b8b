"""Open a PDF with pypdf, refuse the ones the workbench cannot keep, and read its text (bounded).

Why refuse instead of storing anything: the store is the officer's record under 15 CFR 762,
which must stay legible and reproducible for years. An encrypted PDF may not open later
(lost password, withdrawn certificate) and cannot be searched or checked; a PDF whose
structure cannot be read is not evidence of anything. Both are refused with the reason.

A PDF with small structural faults that pypdf repairs on reading (wrong cross-reference
offsets are common in scanner output) is accepted, with a note saying it was repaired.

Text extraction is bounded in pages, characters and time, because a hostile or pathological
PDF can make extraction very slow; the text only feeds suggestions, so a partial text is
acceptable and is reported as such.
"""

from __future__ import annotations

import logging
import time
import warnings
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from pypdf import PdfReader

from workbench.documents.errors import BrokenDocumentError, EncryptedPdfError

MAX_TEXT_PAGES = 20
MAX_TEXT_CHARS = 200_000
TEXT_TIME_BUDGET_S = 5.0

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class PdfInfo:
    pages: int
    text: str
    """Text of the first pages (may be empty: a scan has no text layer)."""
    pages_read: int
    truncated: bool
    """Extraction stopped at a page, character or time limit."""
    repaired: bool
    """pypdf had to repair structural errors to read the file."""
    notes: tuple[str, ...] = ()


def _reason(exc: BaseException) -> str:
    text = " ".join(str(exc).split()) or type(exc).__name__
    return text[:200]


def _open(handle: IO[bytes], strict: bool) -> PdfReader:
    reader = PdfReader(handle, strict=strict)
    if reader.is_encrypted:
        return reader
    count = len(reader.pages)
    for index in range(count):
        # Loading each page dictionary proves the page tree is readable.
        reader.pages[index]
    return reader


def _refuse_encrypted(reader: PdfReader, display_name: str) -> None:
    try:
        opened = bool(reader.decrypt(""))
    except Exception:  # a broken encryption dictionary is still an encrypted file
        opened = False
    if opened:
        raise EncryptedPdfError(
            f"{display_name}: is an encrypted PDF (it opens without a password, but its author restricted it); "
            "the workbench keeps only unencrypted PDFs so they stay readable and checkable, so ask the issuer "
            "for an unencrypted copy or scan the signed paper original."
        )
    raise EncryptedPdfError(
        f"{display_name}: is a password-protected PDF; the workbench keeps only unencrypted PDFs so they stay "
        "readable and checkable, so ask the issuer for an unencrypted copy or scan the signed paper original."
    )


def inspect_pdf(
    path: Path,
    display_name: str,
    *,
    max_pages: int = MAX_TEXT_PAGES,
    max_chars: int = MAX_TEXT_CHARS,
    time_budget_s: float = TEXT_TIME_BUDGET_S,
) -> PdfInfo:
    """Check that ``path`` is a readable, unencrypted PDF and extract the text of its first pages.

    Raises ``EncryptedPdfError`` or ``BrokenDocumentError`` (both name the file and the reason).
    """
    notes: list[str] = []
    with warnings.catch_warnings(), path.open("rb") as handle:
        warnings.simplefilter("ignore")
        repaired = False
        try:
            reader = _open(handle, strict=True)
        except Exception as strict_error:  # pypdf raises many types on damaged input; retry leniently
            handle.seek(0)
            try:
                reader = _open(handle, strict=False)
            except Exception as exc:  # any parser failure means the file is unreadable
                raise BrokenDocumentError(
                    f"{display_name}: is a damaged PDF that cannot be read ({_reason(exc)}); "
                    "ask the issuer for the file again or scan the paper original."
                ) from None
            repaired = True
            notes.append(f"The PDF had structural errors that were repaired on reading ({_reason(strict_error)}).")
        if reader.is_encrypted:
            _refuse_encrypted(reader, display_name)
        pages = len(reader.pages)
        if pages == 0:
            raise BrokenDocumentError(f"{display_name}: is a PDF without any page; it cannot be a signed document.")
        text, read, truncated = _extract(reader, pages, max_pages, max_chars, time_budget_s, notes)
    if not text.strip():
        notes.append("The PDF has no text layer (probably a scan), so nothing could be suggested from its text.")
    if truncated:
        notes.append(f"Only the text of the first {read} of {pages} pages was read for suggestions.")
    return PdfInfo(pages=pages, text=text, pages_read=read, truncated=truncated, repaired=repaired, notes=tuple(notes))


def _extract(
    reader: PdfReader, pages: int, max_pages: int, max_chars: int, time_budget_s: float, notes: list[str]
) -> tuple[str, int, bool]:
    deadline = time.monotonic() + time_budget_s
    parts: list[str] = []
    size = 0
    read = 0
    for index in range(min(pages, max_pages)):
        if time.monotonic() > deadline or size >= max_chars:
            break
        try:
            page_text = reader.pages[index].extract_text() or ""
        except Exception as exc:  # a page whose text cannot be read is skipped, not fatal
            logger.info("text of page %d not extracted: %s", index + 1, exc)
            notes.append(f"The text of page {index + 1} could not be read ({_reason(exc)}).")
            page_text = ""
        parts.append(page_text[: max_chars - size])
        size += len(parts[-1])
        read += 1
    return "\n\f".join(parts), read, read < pages
