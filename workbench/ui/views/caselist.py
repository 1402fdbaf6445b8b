"""The case list pane: search as you type, status and outcome filters, a lazy sortable table."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import CaseStatus
from workbench.domain.determination import Outcome
from workbench.services import Workbench
from workbench.services.cases import CasePage, list_cases
from workbench.ui.models.caselist import CaseListModel, CaseQuery, Column
from workbench.ui.ops import Op
from workbench.ui.widgets.columns import fit_columns

_COLUMN_WIDTHS = {
    Column.REFERENCE: 120,
    Column.TITLE: 360,
    Column.STATUS: 90,
    Column.DATE: 120,
    Column.DESTINATION: 170,
    Column.PARTIES: 280,
    Column.OUTCOME: 130,
}


class CaseListPane(QWidget):
    open_requested = Signal(str)
    """The officer double-clicked (or pressed Enter on) the case with this reference."""
    filtered = Signal(int)
    """The list was reloaded; the argument is the number of matching cases."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.search = QLineEdit(placeholderText="Search reference, title, party or destination")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for status in CaseStatus:
            self.status_filter.addItem(status.label, status)
        self.outcome_filter = QComboBox()
        self.outcome_filter.addItem("All outcomes", None)
        for outcome in Outcome:
            self.outcome_filter.addItem(outcome.label, outcome.value)

        self.model = CaseListModel(self._load_page, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        header.setSortIndicator(Column.UPDATED, Qt.SortOrder.DescendingOrder)
        self.table.setSortingEnabled(True)  # after the indicator: one load, not two
        for column, width in _COLUMN_WIDTHS.items():
            self.table.setColumnWidth(column, width)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.outcome_filter)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.addLayout(bar)
        layout.addWidget(self.table)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.search_in_background)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.search_in_background())
        self.outcome_filter.currentIndexChanged.connect(lambda _i: self.search_in_background())
        self._generation = 0
        self.search_op: Op[CasePage] | None = None
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

    def fit_columns(self) -> None:
        """Every column fitted to the table (title and parties give way first; their full text is in the tooltip)."""
        fit_columns(self.table, (Column.TITLE, Column.PARTIES, Column.DESTINATION, Column.OUTCOME))

    def _load_page(self, query: CaseQuery, offset: int, limit: int) -> CasePage:
        return list_cases(
            self._wb,
            query.search,
            query.statuses,
            outcomes=query.outcomes,
            offset=offset,
            limit=limit,
            order_by=query.order_by,
            descending=query.descending,
        )

    def _query(self) -> CaseQuery:
        status = self.status_filter.currentData()
        outcome = self.outcome_filter.currentData()
        return self.model.filtered(
            self.search.text(), (CaseStatus(status),) if status else (), (str(outcome),) if outcome else ()
        )

    def apply_filter(self) -> None:
        """Filter now, on this thread (at start, when the first page must be there at once)."""
        self._generation += 1
        self.model.show(self._query(), None)
        self.filtered.emit(self.model.total)

    def search_in_background(self) -> Op[CasePage]:
        """Filter as the officer types, off the GUI thread: a search that has to read from disk
        never freezes typing, and a result overtaken by newer keystrokes is dropped."""
        self._generation += 1
        generation, query, model = self._generation, self._query(), self.model
        op: Op[CasePage] = Op(
            self, lambda _progress, _cancelled: model.first_page(query), title="Search cases"
        ).success(lambda page: self._searched(generation, query, page))
        self.search_op = op
        return op.run()

    def _searched(self, generation: int, query: CaseQuery, page: CasePage) -> None:
        if generation != self._generation:
            return  # newer keystrokes or filters have been applied since
        self.model.show(query, page)
        self.filtered.emit(self.model.total)

    def refresh(self) -> None:
        """Reload with the filters as they stand (a pending background search is superseded)."""
        self.apply_filter()

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_reference(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.reference_at(index.row()) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.reference_at(index.row()))
