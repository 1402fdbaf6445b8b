"""The rule-update report as an Excel workbook: every change in words, and the cases it moves."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from workbench.export.atomic import write_bytes_atomic
from workbench.export.workbook import put


@dataclass(frozen=True, slots=True)
class ChangeRow:
    area: str
    subject: str
    change: str
    before: str
    after: str
    words: str


@dataclass(frozen=True, slots=True)
class MovedCaseRow:
    reference: str
    before_outcome: str
    after_outcome: str
    open_items_added: str
    open_items_resolved: str


def _sheet(
    wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[int]
) -> None:
    ws = wb.create_sheet(title)
    for col, text in enumerate(header, start=1):
        put(ws, 1, col, text)
        ws.cell(row=1, column=col).font = Font(bold=True)
    for r, row in enumerate(rows, start=2):
        for col, text in enumerate(row, start=1):
            put(ws, r, col, text)
    for col, width in enumerate(widths, start=1):
        ws.column_dimensions[ws.cell(row=1, column=col).column_letter].width = width
    ws.freeze_panes = "A2"


def rule_update_workbook(
    title: str, changes: Sequence[ChangeRow], moved: Sequence[MovedCaseRow], summary: Sequence[str]
) -> bytes:
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Summary"
    put(first, 1, 1, title)
    first.cell(row=1, column=1).font = Font(bold=True, size=13)
    for r, line in enumerate(summary, start=3):
        put(first, r, 1, line)
    first.column_dimensions["A"].width = 120
    _sheet(
        wb,
        "Changes",
        ("Area", "Subject", "Change", "Before", "After", "In words"),
        [(c.area, c.subject, c.change, c.before, c.after, c.words) for c in changes],
        (20, 28, 10, 30, 30, 90),
    )
    _sheet(
        wb,
        "Cases moved",
        ("Case", "Outcome before", "Outcome after", "Open items added", "Open items resolved"),
        [(m.reference, m.before_outcome, m.after_outcome, m.open_items_added, m.open_items_resolved) for m in moved],
        (18, 18, 18, 70, 70),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_rule_update_workbook(
    path: Path, title: str, changes: Sequence[ChangeRow], moved: Sequence[MovedCaseRow], summary: Sequence[str]
) -> None:
    write_bytes_atomic(path, rule_update_workbook(title, changes, moved, summary))
