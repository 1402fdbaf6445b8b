"""Canonical serialisation of what a workbook states, and the first difference between two.

The signature of a determination workbook covers every part of the file byte for byte; it also
covers the bytes produced here, so that ``verify`` can name the first cell whose value differs in
an officer's terms (``Items!B7``). The rules are fixed and versioned (``workbench-signed-content/1``):

* The content is the visible sheets in workbook order (the reserved ``Signature`` sheet is
  left out). Each sheet is ``{"name": NAME, "state": "visible"|"hidden"|"veryHidden",
  "rows": ROWS}``.
* ``ROWS`` lists every row from row 1 to the last row holding a value; each row lists its
  cells from column A to the last cell holding a value (trailing empty cells and rows are
  dropped, empty rows in between are kept as ``[]``). Styles of empty cells do not count.
* A cell is encoded by type: empty → ``null``; text → JSON string; integer → JSON integer;
  float → JSON number (Python ``repr``, the shortest exact form; a float with an integral
  value below 2**53 becomes an integer, since the file format does not keep the difference);
  bool → ``true``/``false``; date, datetime, time → ``{"date": ISO}``, ``{"datetime": ISO}``,
  ``{"time": ISO}``; formula → ``{"formula": TEXT}``; error → ``{"error": TEXT}``.
* A cell with a number format other than ``General`` becomes ``{"v": VALUE, "fmt": FORMAT}``,
  because a number format can make a cell display something else than its value.
* The whole payload is JSON with sorted object keys, separators ``,`` and ``:``, no ASCII
  escaping, no NaN or infinity, encoded as UTF-8.

The workbook writer never writes formulas, errors or dates as values, so any such cell in a
signed workbook is a change. Cells are read sparsely (only those a sheet stores), so a forged
cell at XFD1048576 costs one cell, not the rectangle up to it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any, Final

from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

CONTENT_FORMAT: Final = "workbench-signed-content/1"
SIGNATURE_SHEET: Final = "Signature"
_EXACT_INT_LIMIT: Final = 2**53

Json = Any


@dataclass(frozen=True, slots=True)
class SheetContent:
    name: str
    state: str
    rows: tuple[tuple[Json, ...], ...]

    def to_json(self) -> dict[str, Json]:
        return {"name": self.name, "state": self.state, "rows": [list(r) for r in self.rows]}

    @classmethod
    def from_json(cls, raw: Any) -> SheetContent:
        if not isinstance(raw, dict) or not isinstance(raw.get("rows"), list):
            raise ValueError("a sheet must be an object with rows")
        rows = tuple(tuple(row) for row in raw["rows"] if isinstance(row, list))
        if len(rows) != len(raw["rows"]):
            raise ValueError("every row must be a list")
        return cls(str(raw["name"]), str(raw["state"]), rows)


def dumps(obj: Json) -> bytes:
    """The canonical JSON bytes of ``obj``."""
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False).encode("utf-8")


def encode_value(value: object, data_type: str = "n", number_format: str = "General") -> Json:
    """The canonical form of one cell (see the module docstring)."""
    encoded: Json
    if value is None:
        return None
    if data_type == "f":
        encoded = {"formula": str(value)}
    elif data_type == "e":
        encoded = {"error": str(value)}
    elif data_type == "n" and isinstance(value, str):  # a number the workbench wrote as its exact text
        return encode_value(float(value) if any(ch in value for ch in ".eE") else int(value), "n", number_format)
    elif isinstance(value, int):  # bool included: JSON keeps true apart from 1
        encoded = value
    elif isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            encoded = {"float": repr(value)}
        elif value.is_integer() and abs(value) < _EXACT_INT_LIMIT:
            encoded = int(value)
        else:
            encoded = value
    elif isinstance(value, str):
        encoded = value
    elif isinstance(value, datetime):
        encoded = {"datetime": value.isoformat()}
    elif isinstance(value, date):
        encoded = {"date": value.isoformat()}
    elif isinstance(value, time):
        encoded = {"time": value.isoformat()}
    else:
        encoded = {"other": str(value)}
    if number_format and number_format != "General":
        return {"v": encoded, "fmt": number_format}
    return encoded


@dataclass(frozen=True, slots=True)
class SheetCells:
    """A sheet as the cells that hold a value, keyed by (row, column): bounded by the cells present."""

    name: str
    state: str
    cells: dict[tuple[int, int], Json]


def sheet_cells(ws: Worksheet) -> SheetCells:
    """Only the cells the sheet stores; never the rectangle up to its last cell (XFD1048576 stays cheap)."""
    cells: dict[tuple[int, int], Json] = {}
    for (row, col), c in ws._cells.items():
        encoded = encode_value(c.value, c.data_type, c.number_format)
        if encoded is not None:
            cells[(row, col)] = encoded
    return SheetCells(ws.title, ws.sheet_state, cells)


def sheet_content(ws: Worksheet) -> SheetContent:
    """The dense rows of a sheet the workbench wrote (used when signing and for golden files)."""
    return _dense(sheet_cells(ws))


def _dense(sheet: SheetCells) -> SheetContent:
    height = max((r for r, _ in sheet.cells), default=0)
    grid: list[list[Json]] = [[] for _ in range(height)]
    for (r, c), value in sorted(sheet.cells.items()):
        row = grid[r - 1]
        row.extend([None] * (c - 1 - len(row)))
        row.append(value)
    return SheetContent(sheet.name, sheet.state, tuple(tuple(row) for row in grid))


def _sparse(sheet: SheetContent | SheetCells) -> SheetCells:
    if isinstance(sheet, SheetCells):
        return sheet
    cells = {
        (r, c): value
        for r, row in enumerate(sheet.rows, start=1)
        for c, value in enumerate(row, start=1)
        if value is not None
    }
    return SheetCells(sheet.name, sheet.state, cells)


def workbook_cells(wb: Workbook) -> tuple[SheetCells, ...]:
    """Every sheet but the signature sheet, sparse, in workbook order."""
    return tuple(sheet_cells(ws) for ws in wb.worksheets if ws.title != SIGNATURE_SHEET)


def workbook_content(wb: Workbook) -> tuple[SheetContent, ...]:
    """Every sheet but the signature sheet, in workbook order."""
    return tuple(sheet_content(ws) for ws in wb.worksheets if ws.title != SIGNATURE_SHEET)


def content_json(sheets: tuple[SheetContent, ...]) -> list[Json]:
    return [s.to_json() for s in sheets]


def cell_ref(sheet: str, row: int, col: int) -> str:
    """``Items!B7``, quoting sheet names as Excel does (``'Red flags'!A2``)."""
    name = sheet if sheet.replace("_", "").isalnum() else "'" + sheet.replace("'", "''") + "'"
    return f"{name}!{get_column_letter(col)}{row}"


def describe(cell: Json) -> str:
    """A cell's canonical value as a short phrase for a message."""
    if cell is None:
        return "an empty cell"
    if isinstance(cell, dict):
        if "fmt" in cell and "v" in cell:
            return f"{describe(cell['v'])} shown with number format {cell['fmt']!r}"
        if not cell:
            return "an unknown value"
        (kind, text), *_ = cell.items()
        return f"{kind} {_short(str(text))}"
    if isinstance(cell, str):
        return _short(cell)
    return json.dumps(cell)


def _short(text: str, limit: int = 60) -> str:
    return repr(text if len(text) <= limit else text[: limit - 1] + "…")


def _same(a: Json, b: Json) -> bool:
    """Equality that tells 1, 1.0 and true apart, as the signed bytes do."""
    return a == b and dumps(a) == dumps(b)


def first_difference(
    expected: Sequence[SheetContent], actual: Sequence[SheetContent | SheetCells]
) -> str | None:
    """Where ``actual`` first departs from ``expected``: sheet order, then cells row by row."""
    for position, (want, got) in enumerate(zip(expected, actual, strict=False), start=1):
        if want.name != got.name:
            missing = {s.name for s in expected} - {s.name for s in actual}
            if want.name in missing:
                return f"{want.name}: the sheet was removed"
            if got.name not in {s.name for s in expected}:
                return f"{got.name}: the sheet was added after signing"
            return f"sheet {position} is {got.name!r} where {want.name!r} was signed (sheets were added or reordered)"
        if want.state != got.state:
            return f"{want.name}: the sheet is {got.state} but was {want.state} when signed"
        difference = _rows_difference(want, got)
        if difference:
            return difference
    if len(expected) > len(actual):
        return f"{expected[len(actual)].name}: the sheet was removed"
    if len(actual) > len(expected):
        return f"{actual[len(expected)].name}: the sheet was added after signing"
    return None


def _rows_difference(want: SheetContent | SheetCells, got: SheetContent | SheetCells) -> str | None:
    a, b = _sparse(want).cells, _sparse(got).cells
    for r, c in sorted(a.keys() | b.keys()):
        x, y = a.get((r, c)), b.get((r, c))
        if not _same(x, y):
            return f"{cell_ref(want.name, r, c)}: expected {describe(x)}, found {describe(y)}"
    return None
