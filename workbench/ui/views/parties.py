"""The Parties view: the counterparty register, searched as you type, filtered by screening
status, KYC status and country, and read lazily page by page (100,000 parties open at once).

A keystroke restarts a short timer, so a word typed quickly is one search; each search is one
count and one page of 200 (the store's plan keeps that well under 100 ms); scrolling fetches the
next page. Double-click or Enter opens the party editor.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.countries import country_name
from workbench.domain.errors import WorkbenchError
from workbench.domain.register import KycStatus, RegisterSummary
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.services import Workbench
from workbench.services.register_view import PartyFilter, party_page, screening_statuses
from workbench.ui import messages
from workbench.ui.widgets.countrypicker import CountryPicker

PAGE_SIZE = 200
SEARCH_DELAY_MS = 150
HEADERS = ("Name", "Kind", "Country", "KYC", "Screening", "Other names", "Updated")
_Index = QModelIndex | QPersistentModelIndex
STATUS_LABELS = {
    PartyScreeningStatus.NOT_SCREENED: "Not screened",
    PartyScreeningStatus.CLEAR: "Clear",
    PartyScreeningStatus.UNRESOLVED: "Unresolved hits",
    PartyScreeningStatus.CONFIRMED: "Confirmed match",
}


class PartiesModel(QAbstractTableModel):
    """The register under a filter, fetched a page at a time as the view scrolls."""

    def __init__(self, wb: Workbench, parent: Any = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.where = PartyFilter()
        self.total = 0
        self._rows: list[RegisterSummary] = []
        self._status: dict[int, PartyScreeningStatus] = {}

    def reload(self, where: PartyFilter) -> None:
        self.beginResetModel()
        self.where = where
        self._rows, self._status = [], {}
        try:
            self.total, first = party_page(self._wb, where, limit=PAGE_SIZE)
        except WorkbenchError:
            self.total, first = 0, []
            self.endResetModel()
            raise
        self._add(first)
        self.endResetModel()

    def _add(self, rows: list[RegisterSummary]) -> None:
        self._rows.extend(rows)
        self._status.update(screening_statuses(self._wb, [r.id for r in rows]))

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(HEADERS)

    def canFetchMore(self, parent: _Index = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and len(self._rows) < self.total

    def fetchMore(self, parent: _Index = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent):
            return
        _total, more = party_page(self._wb, self.where, offset=len(self._rows), limit=PAGE_SIZE)
        if not more:
            self.total = len(self._rows)
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(more) - 1)
        self._add(more)
        self.endInsertRows()

    def party_id(self, row: int) -> int:
        return self._rows[row].id

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows[index.row()]
        column = index.column()
        if column == 0:
            return row.name
        if column == 1:
            return row.kind.value.capitalize()
        if column == 2:
            return f"{country_name(row.country)} ({row.country})"
        if column == 3:
            return row.kyc_status.label
        if column == 4:
            status = self._status.get(row.id)
            return STATUS_LABELS[status] if status else ""
        if column == 5:
            return str(row.other_names) if row.other_names else ""
        return row.updated_at.replace("T", " ")[:16]

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return HEADERS[section]
        return None


class PartiesView(QWidget):
    open_requested = Signal(int)
    """A register party to open in the editor (its id)."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.search = QLineEdit()
        self.search.setPlaceholderText("Search names, other names and identifiers")
        self.search.setClearButtonEnabled(True)
        self.search.setAccessibleName("Search parties")
        self.status_filter = QComboBox()
        self.status_filter.addItem("Any screening", None)
        for status, label in STATUS_LABELS.items():
            self.status_filter.addItem(label, status.value)
        self.kyc_filter = QComboBox()
        self.kyc_filter.addItem("Any KYC", None)
        for kyc in KycStatus:
            self.kyc_filter.addItem(f"KYC: {kyc.label}", kyc.value)
        self.country_filter = CountryPicker(allow_empty=True)
        self.count_label = QLabel()
        bar = QHBoxLayout()
        bar.addWidget(self.search, 3)
        bar.addWidget(self.status_filter)
        bar.addWidget(self.kyc_filter)
        bar.addWidget(self.country_filter, 1)
        bar.addWidget(self.count_label)
        self.model = PartiesModel(wb, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Register parties")
        self.table.doubleClicked.connect(lambda index: self.open_requested.emit(self.model.party_id(index.row())))
        self.table.activated.connect(lambda index: self.open_requested.emit(self.model.party_id(index.row())))
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.apply_filter)
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.kyc_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self.country_filter.code_changed.connect(lambda _c: self.apply_filter())
        self.apply_filter()

    def current_filter(self) -> PartyFilter:
        kyc = self.kyc_filter.currentData()
        status = self.status_filter.currentData()
        country = self.country_filter.code()
        return PartyFilter(
            search=self.search.text(),
            status=PartyScreeningStatus(status) if status else None,
            kyc=(KycStatus(kyc),) if kyc else (),
            countries=(country,) if len(country) == 2 else (),
        )

    def apply_filter(self) -> None:
        self._timer.stop()
        try:
            self.model.reload(self.current_filter())
        except WorkbenchError as exc:
            messages.error(self, "The register could not be searched.", exc=exc)
        total = self.model.total
        self.count_label.setText(f"{total:,} part{'ies' if total != 1 else 'y'}")
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def reload(self) -> None:
        self.apply_filter()
