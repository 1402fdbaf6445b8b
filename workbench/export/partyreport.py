"""The screening report of an imported party master: every imported party, its status, and each
hit with the explanation an officer needs to decide it, as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from workbench.export.workbook import put


@dataclass(frozen=True, slots=True)
class ReportParty:
    party_id: int
    name: str
    country: str
    status: str


@dataclass(frozen=True, slots=True)
class ReportHit:
    party_id: int
    party_name: str
    list_code: str
    entry_id: str
    entry_name: str
    matched_name: str
    queried_name: str
    score: float
    explanation: str


def _header(ws: Worksheet, titles: Sequence[str], widths: Sequence[int]) -> None:
    for col, (title, width) in enumerate(zip(titles, widths, strict=True), start=1):
        put(ws, 1, col, title)
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    ws.freeze_panes = "A2"


def screening_report_workbook(
    title: str, summary: Sequence[str], parties: Sequence[ReportParty], hits: Sequence[ReportHit]
) -> bytes:
    """Summary, Parties (one row each, with its screening status) and Hits (highest score first)."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Summary"
    put(first, 1, 1, title)
    first.cell(row=1, column=1).font = Font(bold=True, size=13)
    for row, line in enumerate(summary, start=3):
        put(first, row, 1, line)
    first.column_dimensions["A"].width = 120
    ws = wb.create_sheet("Parties")
    _header(ws, ("Party", "Name", "Country", "Screening"), (10, 60, 10, 16))
    for row, p in enumerate(parties, start=2):
        put(ws, row, 1, p.party_id)
        put(ws, row, 2, p.name)
        put(ws, row, 3, p.country)
        put(ws, row, 4, p.status)
    ws = wb.create_sheet("Hits")
    _header(
        ws,
        ("Party", "Party name", "Name screened", "List", "Entry", "Listed name", "Matched name", "Score", "Why"),
        (10, 40, 40, 8, 14, 40, 40, 8, 100),
    )
    ordered = sorted(hits, key=lambda h: (-h.score, h.party_id, h.entry_id))
    for row, h in enumerate(ordered, start=2):
        put(ws, row, 1, h.party_id)
        put(ws, row, 2, h.party_name)
        put(ws, row, 3, h.queried_name)
        put(ws, row, 4, h.list_code)
        put(ws, row, 5, h.entry_id)
        put(ws, row, 6, h.entry_name)
        put(ws, row, 7, h.matched_name)
        put(ws, row, 8, round(h.score, 3), "0.000")
        put(ws, row, 9, h.explanation)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
