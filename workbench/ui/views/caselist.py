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
            self.status_filter.addItem(status.value.replace("_", " ").capitalize(), status)
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
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.outcome_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)

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

    def apply_filter(self) -> None:
        status = self.status_filter.currentData()
        outcome = self.outcome_filter.currentData()
        self.model.set_filter(
            self.search.text(), (CaseStatus(status),) if status else (), (str(outcome),) if outcome else ()
        )
        self.filtered.emit(self.model.total)

    def refresh(self) -> None:
        self.model.reload()
        self.filtered.emit(self.model.total)

    def focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def selected_reference(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.reference_at(index.row()) if index.isValid() else None

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.reference_at(index.row()))
