"""Columns sized to their contents, then narrowed to fit the table: the widest shrinkable ones give way first.

A column narrowed below its contents elides its text (the cells carry the full text as their
tooltip), so the essential short columns (a rule id, a citation, a reference) are never the ones cut.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from PySide6.QtCore import QEvent, QObject, Qt, QTimer
from PySide6.QtWidgets import QStyle, QTableView

FLOOR = 80
"""No column is narrowed below this many pixels (unless its contents are narrower)."""


def fitted_widths(
    natural: Mapping[int, int], available: int, shrinkable: Sequence[int], floor: int = FLOOR
) -> dict[int, int]:
    """Widths for ``natural`` (column -> contents width) within ``available`` pixels.

    Only the ``shrinkable`` columns give way, all down to one common cap (the widest first), never below
    ``floor``; when even that does not fit, the table scrolls sideways.
    """
    widths = dict(natural)
    if sum(widths.values()) <= available:
        return widths
    give = [c for c in shrinkable if c in widths]
    fixed = sum(w for c, w in widths.items() if c not in give)
    low, high = floor, max((widths[c] for c in give), default=floor)

    def used(cap: int) -> int:
        return fixed + sum(min(natural[c], max(cap, floor)) for c in give)

    while low < high:  # the widest cap that fits
        middle = (low + high + 1) // 2
        if used(middle) <= available:
            low = middle
        else:
            high = middle - 1
    for c in give:
        widths[c] = min(natural[c], low)
    return widths


def fit_columns(table: QTableView, shrinkable: Sequence[int], floor: int = FLOOR) -> None:
    """Size ``table``'s visible columns to their contents and narrow the shrinkable ones to fit its viewport."""
    header = table.horizontalHeader()
    model = table.model()
    columns = [c for c in range(model.columnCount()) if not header.isSectionHidden(c)]
    natural = {c: max(table.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in columns}
    available = table.viewport().width()
    if not table.verticalScrollBar().isVisible():  # it may appear once the rows are laid out: leave it room
        available -= table.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent)
    widths = fitted_widths(natural, available, shrinkable, floor)
    for column, width in widths.items():
        table.setColumnWidth(column, width)


class ColumnFitter(QObject):
    """Keeps a table's columns fitted: after new rows (``refit``) and whenever the table is resized."""

    def __init__(self, table: QTableView, shrinkable: Sequence[int], floor: int = FLOOR) -> None:
        super().__init__(table)
        self._table = table
        self._shrinkable = tuple(shrinkable)
        self._floor = floor
        self._pending = QTimer(self, singleShot=True, interval=0)
        self._pending.timeout.connect(self.refit)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setWordWrap(False)
        table.viewport().installEventFilter(self)

    def refit(self) -> None:
        fit_columns(self._table, self._shrinkable, self._floor)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize:
            self._pending.start()  # once the resize has settled
        return False
