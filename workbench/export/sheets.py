"""A plain table sheet (bold header, column widths, frozen header row) for the workbench's reports."""

from __future__ import annotations

from collections.abc import Sequence

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from workbench.export.workbook import Value, put


def summary_workbook(title: str, lines: Sequence[str]) -> Workbook:
    """A new workbook whose first sheet, Summary, holds ``title`` in bold and ``lines`` below it."""
    wb = Workbook()
    first = wb.active
    assert first is not None
    first.title = "Summary"
    put(first, 1, 1, title)
    first.cell(row=1, column=1).font = Font(bold=True, size=13)
    for row, line in enumerate(lines, start=3):
        put(first, row, 1, line)
    first.column_dimensions["A"].width = 120
    return wb


def add_table_sheet(
    wb: Workbook, title: str, header: Sequence[str], rows: Sequence[Sequence[Value]], widths: Sequence[int]
) -> Worksheet:
    """Append a sheet with ``header`` in bold and ``rows`` below it, each value written by ``put``."""
    ws = wb.create_sheet(title)
    for col, (text, width) in enumerate(zip(header, widths, strict=True), start=1):
        put(ws, 1, col, text)
        cell = ws.cell(row=1, column=col)
        cell.font = Font(bold=True)
        ws.column_dimensions[cell.column_letter].width = width
    for r, row in enumerate(rows, start=2):
        for col, value in enumerate(row, start=1):
            put(ws, r, col, value)
    ws.freeze_panes = "A2"
    return ws
