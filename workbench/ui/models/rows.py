"""A read-only table model over precomputed cells, shared by the case panels and list dialogs.

Each row is formatted once when the data arrives (one ``{role: value}`` dict per cell),
so ``data()`` is a lookup and views never hold domain objects after a reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.ui.palette import readable, tint

Index = QModelIndex | QPersistentModelIndex
Cell = dict[int, Any]
"""One cell: role -> value."""

KeyRole = Qt.ItemDataRole.UserRole + 1
"""The row's key (a position, an id) that views hand back to the services."""

RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
GOOD = QColor(22, 101, 52)
WARN = QColor(146, 64, 14)
BAD = QColor(176, 0, 32)
MUTED = QColor(110, 110, 110)


def cell(
    text: str,
    tip: str = "",
    *,
    right: bool = False,
    colour: QColor | None = None,
    background: QColor | None = None,
    bold: bool = False,
) -> Cell:
    """A display cell with its tooltip (the full text unless ``tip`` says more) and optional looks."""
    out: Cell = {Qt.ItemDataRole.DisplayRole: text, Qt.ItemDataRole.ToolTipRole: tip or text or None}
    if right:
        out[Qt.ItemDataRole.TextAlignmentRole] = RIGHT
    if colour is not None:
        out[Qt.ItemDataRole.ForegroundRole] = QBrush(readable(colour))
    if background is not None:
        out[Qt.ItemDataRole.BackgroundRole] = QBrush(tint(background))
    if bold:
        font = QFont()
        font.setBold(True)
        out[Qt.ItemDataRole.FontRole] = font
    return out


class RowsModel(QAbstractTableModel):
    """Rows of precomputed cells with one key each; ``replace_rows`` swaps them all (a model reset)."""

    def __init__(self, headers: Sequence[str], parent: Any = None, *, numeric: frozenset[int] = frozenset()) -> None:
        super().__init__(parent)
        self._headers = tuple(headers)
        self._numeric = numeric
        """Columns whose header is right-aligned like their cells."""
        self._rows: list[tuple[Cell, ...]] = []
        self._keys: list[Any] = []

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role == KeyRole:
            return self._keys[index.row()]
        return self._rows[index.row()][index.column()].get(role)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation != Qt.Orientation.Horizontal:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self._headers[section]
        if role == Qt.ItemDataRole.TextAlignmentRole and section in self._numeric:
            return RIGHT
        return None

    def replace_rows(self, rows: Sequence[tuple[Cell, ...]], keys: Sequence[Any]) -> None:
        if len(rows) != len(keys) or any(len(r) != len(self._headers) for r in rows):
            raise ValueError("every row needs one key and one cell per column")
        self.beginResetModel()
        self._rows, self._keys = list(rows), list(keys)
        self.endResetModel()

    def key_at(self, row: int) -> Any:
        return self._keys[row]

    def row_of(self, key: Any) -> int:
        """The row holding ``key``, or -1."""
        try:
            return self._keys.index(key)
        except ValueError:
            return -1

    def text(self, row: int, column: int) -> str:
        return str(self._rows[row][column].get(Qt.ItemDataRole.DisplayRole, ""))
