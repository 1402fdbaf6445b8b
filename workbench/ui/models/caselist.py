"""The case list: a lazy table model that fetches rows page by page from the services."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from enum import IntEnum
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from workbench.domain.case import CaseStatus, CaseSummary
from workbench.domain.countries import country_name
from workbench.domain.determination import outcome_label
from workbench.services.cases import CasePage
from workbench.services.screening import NEVER_SCREENED


@dataclass(frozen=True)
class CaseQuery:
    """What the list shows: the search words, filters and order (paging is the model's business)."""

    search: str = ""
    statuses: tuple[CaseStatus, ...] = ()
    outcomes: tuple[str, ...] = ()
    order_by: str = "updated_at"
    descending: bool = True


PageLoader = Callable[[CaseQuery, int, int], CasePage]
"""``loader(query, offset, limit)`` returns one page and the total count."""
ReferenceRole = Qt.ItemDataRole.UserRole + 1
PAGE_SIZE = 200


class Column(IntEnum):
    REFERENCE = 0
    TITLE = 1
    STATUS = 2
    DATE = 3
    DESTINATION = 4
    PARTIES = 5
    OUTCOME = 6
    UPDATED = 7


_HEADERS = {
    Column.REFERENCE: "Reference",
    Column.TITLE: "Title",
    Column.STATUS: "Status",
    Column.DATE: "Transaction date",
    Column.DESTINATION: "Destination",
    Column.PARTIES: "Parties",
    Column.OUTCOME: "Outcome",
    Column.UPDATED: "Updated",
}
_SORT_KEYS = {
    Column.REFERENCE: "reference",
    Column.TITLE: "title",
    Column.STATUS: "status",
    Column.DATE: "transaction_date",
    Column.DESTINATION: "destination",
    Column.OUTCOME: "outcome",
    Column.UPDATED: "updated_at",
}


def _cells(row: CaseSummary, never_screened: frozenset[str] = frozenset()) -> tuple[str, ...]:
    status = row.status.value.replace("_", " ")
    return (
        row.reference,
        row.title,
        f"{status} · {NEVER_SCREENED.lower()}" if row.reference in never_screened else status,
        row.transaction_date.isoformat(),
        f"{country_name(row.destination)} ({row.destination})",
        row.party_names,
        outcome_label(row.outcome),
        row.updated_at.replace("T", " "),
    )


class CaseListModel(QAbstractTableModel):
    def __init__(self, loader: PageLoader, parent: Any = None) -> None:
        super().__init__(parent)
        self._loader = loader
        self._rows: list[tuple[str, ...]] = []
        self._total = 0
        self._query = CaseQuery()

    # Qt overrides ---------------------------------------------------------
    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(Column)

    def data(self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._rows[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return row[index.column()]
        if role == ReferenceRole:
            return row[Column.REFERENCE]
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return _HEADERS[Column(section)]
        return None

    def canFetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self._total

    def fetchMore(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> None:  # noqa: B008
        if parent.isValid():
            return
        page = self._load(len(self._rows))
        if not page.rows:
            self._total = len(self._rows)
            return
        first = len(self._rows)
        self.beginInsertRows(QModelIndex(), first, first + len(page.rows) - 1)
        self._rows.extend(_cells(r, page.never_screened) for r in page.rows)
        self._total = page.total
        self.endInsertRows()

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = _SORT_KEYS.get(Column(column))
        if key is None:
            return
        self._query = replace(self._query, order_by=key, descending=order == Qt.SortOrder.DescendingOrder)
        self.reload()

    # Our API ---------------------------------------------------------------
    def _load(self, offset: int) -> CasePage:
        return self._loader(self._query, offset, PAGE_SIZE)

    def set_filter(self, search: str, statuses: tuple[CaseStatus, ...] = (), outcomes: tuple[str, ...] = ()) -> None:
        self.show(self.filtered(search, statuses, outcomes), None)

    def filtered(self, search: str, statuses: tuple[CaseStatus, ...] = (), outcomes: tuple[str, ...] = ()) -> CaseQuery:
        """The current query (order included) with new search words and filters."""
        return replace(self._query, search=search, statuses=statuses, outcomes=outcomes)

    def first_page(self, query: CaseQuery) -> CasePage:
        """Load the first page of ``query``; touches no model state, so a worker thread may call it."""
        return self._loader(query, 0, PAGE_SIZE)

    def show(self, query: CaseQuery, page: CasePage | None) -> None:
        """Switch to ``query`` with its first page (loaded now when not given)."""
        self._query = query
        page = page if page is not None else self.first_page(query)
        self.beginResetModel()
        self._rows = [_cells(r, page.never_screened) for r in page.rows]
        self._total = page.total
        self.endResetModel()

    @property
    def query(self) -> CaseQuery:
        return self._query

    def reload(self) -> None:
        self.show(self._query, None)

    @property
    def total(self) -> int:
        return self._total

    def reference_at(self, row: int) -> str:
        return self._rows[row][Column.REFERENCE]
