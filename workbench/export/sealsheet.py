"""The hidden ``Signature`` sheet: one worksheet part whose every byte follows from the signature.

The signature covers every other part of the package byte for byte; this part cannot be covered
because it holds the signature. Instead its content is fixed: ``render`` makes it from the signed
payload and the signature alone, and the verifier ``parse``s a candidate, then renders it again
and requires the same bytes. Any extra cell, changed label, style, width, protection or
attribute is a difference. Text is inline (``t="inlineStr"``), so no shared part depends on it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final
from xml.sax.saxutils import escape, unescape

FORMAT: Final = "workbench-signed-determination/2"
OLD_FORMAT: Final = "workbench-signed-determination/1"
DOMAIN: Final = FORMAT.encode("ascii") + b"\n"
"""What the Ed25519 signature is over: this line, then the payload."""
CHUNK_CHARS: Final = 32_000
MAX_CHUNKS: Final = 512

_HEAD: Final = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)
_MARKER: Final = '<row r="1"><c r="A1" t="inlineStr"><is><t xml:space="preserve">Workbench signature</t></is></c>'
_CELL = re.compile(r'<c r="B(\d+)" t="inlineStr"><is><t xml:space="preserve">([^<]*)</t></is></c>')
_NOTE: Final = "Holds the signature of every other part of this workbook; any change to the file fails verification."


@dataclass(frozen=True, slots=True)
class Seal:
    """What the sheet states: the facts repeated for a reader, the signature, the packed payload."""

    signer_name: str
    fingerprint: str
    signed_at: str
    case_reference: str
    signature_b64: str
    chunks: tuple[str, ...]


def looks_like_seal(part: bytes) -> bool:
    return part.startswith(_HEAD.encode("utf-8")) and _MARKER.encode("utf-8") in part[:600]


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{escape(text)}</t></is></c>'


def render(seal: Seal) -> bytes:
    rows: list[tuple[str, str]] = [
        ("Workbench signature", FORMAT),
        ("Signer", seal.signer_name),
        ("Key fingerprint", seal.fingerprint),
        ("Signed at", seal.signed_at),
        ("Case", seal.case_reference),
        ("Signature (Ed25519, base64)", seal.signature_b64),
        ("Payload parts", str(len(seal.chunks))),
    ]
    rows += [("Payload (zlib, base64)", chunk) for chunk in seal.chunks]
    rows.append(("Note", _NOTE))
    body = "".join(
        f'<row r="{r}">{_cell(f"A{r}", label)}{_cell(f"B{r}", value)}</row>'
        for r, (label, value) in enumerate(rows, start=1)
    )
    xml = (
        f'{_HEAD}<dimension ref="A1:B{len(rows)}"/><sheetViews><sheetView workbookViewId="0"/></sheetViews>'
        '<sheetFormatPr defaultRowHeight="15"/>'
        '<cols><col min="1" max="1" width="28" customWidth="1"/>'
        '<col min="2" max="2" width="90" customWidth="1"/></cols>'
        f"<sheetData>{body}</sheetData>"
        '<sheetProtection sheet="1" objects="1" scenarios="1"/>'
        '<pageMargins left="0.75" right="0.75" top="1" bottom="1" header="0.5" footer="0.5"/></worksheet>'
    )
    return xml.encode("utf-8")


class SealError(ValueError):
    """The part looks like a signature sheet but its cells cannot be read as one."""


def parse(part: bytes) -> Seal:
    """The seal a candidate part states; the caller re-renders it and compares the bytes."""
    try:
        text = part.decode("utf-8")
    except UnicodeDecodeError:
        raise SealError("the sheet 'Signature' is not UTF-8 text") from None
    return from_cells({int(row): unescape(value) for row, value in _CELL.findall(text)})


def from_cells(values: dict[int, str]) -> Seal:
    """The seal stated by the column-B texts of the sheet, by row (also for a sheet another program re-wrote)."""
    if values.get(1) != FORMAT:
        raise SealError(f"Signature!B1 does not name the format {FORMAT}")
    try:
        count = int(values.get(7, ""))
    except ValueError:
        raise SealError("Signature!B7 does not give the number of payload parts") from None
    if not 0 < count <= MAX_CHUNKS or any(8 + i not in values for i in range(count)):
        raise SealError("the signed content in the sheet 'Signature' is incomplete")
    return Seal(
        signer_name=values.get(2, ""),
        fingerprint=values.get(3, ""),
        signed_at=values.get(4, ""),
        case_reference=values.get(5, ""),
        signature_b64=values.get(6, ""),
        chunks=tuple(values[8 + i] for i in range(count)),
    )


def pack(packed: str) -> tuple[str, ...]:
    return tuple(packed[i : i + CHUNK_CHARS] for i in range(0, len(packed), CHUNK_CHARS)) or ("",)
