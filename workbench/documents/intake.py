"""The checks a file passes before it enters the document store.

``inspect_candidate`` is handed to ``DocumentStore.ingest`` and runs on the store's own
temporary copy, so what was checked is exactly what gets stored (the officer's original
may change after the check; the copy cannot). It decides the type by content, then proves
the structure: a PDF must open unencrypted with pypdf, an image must have a sane header and
not be cut short. It returns the PDF's text for suggestions.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from workbench.documents.images import inspect_image
from workbench.documents.pdfcheck import inspect_pdf
from workbench.documents.sniff import HEAD_BYTES, ContentType, require_supported


@dataclass(frozen=True, slots=True)
class Intake:
    content_type: ContentType
    pages: int | None = None
    """Page count of a PDF; None for images."""
    width: int | None = None
    height: int | None = None
    text: str = ""
    notes: tuple[str, ...] = ()

    def describe(self) -> str:
        if self.content_type is ContentType.PDF:
            return f"PDF, {self.pages} page{'s' if self.pages != 1 else ''}"
        return f"{self.content_type.label}, {self.width}x{self.height} pixels"


def inspect_candidate(path: Path, display_name: str) -> Intake:
    """Type by content, structure check and text; raises a ``DocumentRefusedError`` subclass."""
    with path.open("rb") as handle:
        head = handle.read(HEAD_BYTES)
    content_type = require_supported(head, display_name)
    if content_type is ContentType.PDF:
        pdf = inspect_pdf(path, display_name)
        return Intake(content_type, pages=pdf.pages, text=pdf.text, notes=pdf.notes)
    image = inspect_image(path, content_type, display_name)
    return Intake(
        content_type,
        width=image.width,
        height=image.height,
        notes=("A scanned image has no text, so nothing could be suggested from it.",),
    )
