"""The product list as a lazy table model: pages of 200 fetched as the view scrolls (100,000 products)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor

from workbench.domain.products import ProductStatus, ProductSummary
from workbench.services.products import ProductPage
from workbench.ui.palette import tint

PAGE_SIZE = 200
CONFLICT_BACKGROUND = QColor(255, 228, 228)
_Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class ProductQuery:
    search: str = ""
    eccn: str | None = None
    status: ProductStatus | None = None
    conflicts: bool = False


class Column(IntEnum):
    PART = 0
    DESCRIPTION = 1
    MANUFACTURER = 2
    MODEL = 3
    ECCN = 4
    STATUS = 5
    PROPOSED = 6
    CONFLICT = 7


_HEADERS = {
    Column.PART: "Part number",
    Column.DESCRIPTION: "Description",
    Column.MANUFACTURER: "Manufacturer",
    Column.MODEL: "Model",
    Column.ECCN: "ECCN",
    Column.STATUS: "Status",
    Column.PROPOSED: "Assistant proposes",
    Column.CONFLICT: "Conflict",
}

PageLoader = Callable[[ProductQuery, int, int], ProductPage]


def _cells(row: ProductSummary) -> tuple[str, ...]:
    return (
        row.part_number,
        row.description,
        row.manufacturer,
        row.model,
        row.eccn or "unclassified",
        row.status.label,
        row.proposed or "",
        _conflict_label(row),
    )


def _conflict_label(row: ProductSummary) -> str:
    if not row.conflict:
        return ""
    return "Conflict to resolve" if row.status is ProductStatus.APPROVED else "Conflict"


class ProductListModel(QAbstractTableModel):
    def __init__(self, loader: PageLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._rows: list[tuple[str, ...]] = []
        self._conflict: list[bool] = []
        self._total = 0
        self._label = "0"
        self._query = ProductQuery()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self._rows[index.row()][index.column()]
        if role == Qt.ItemDataRole.BackgroundRole and self._conflict[index.row()] and index.column() == Column.CONFLICT:
            return QBrush(tint(CONFLICT_BACKGROUND))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[Column(section)]
        return None

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._loader(self._query, len(self._rows), PAGE_SIZE)
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(_cells(r) for r in page.rows)
        self._conflict.extend(r.conflict for r in page.rows)
        self.endInsertRows()

    def first_page(self, query: ProductQuery) -> ProductPage:
        """Load the first page of ``query``; touches no model state, so a worker thread may call it."""
        return self._loader(query, 0, PAGE_SIZE)

    def show(self, query: ProductQuery, page: ProductPage | None = None) -> None:
        self._query = query
        page = page if page is not None else self.first_page(query)
        self.beginResetModel()
        self._rows = [_cells(r) for r in page.rows]
        self._conflict = [r.conflict for r in page.rows]
        self._total = page.total
        self._label = page.total_label
        self.endResetModel()

    def reload(self) -> None:
        self.show(self._query)

    @property
    def query(self) -> ProductQuery:
        return self._query

    @property
    def total_label(self) -> str:
        return self._label

    def part_at(self, row: int) -> str:
        return self._rows[row][Column.PART]
