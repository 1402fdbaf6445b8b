"""The Products view: the classification library, searched as you type, filtered by ECCN, status, conflict.

The table is lazy (pages of 200 as it scrolls), so it opens at once over 100,000 products; a
search runs off the GUI thread and a result overtaken by newer keystrokes is dropped.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.products import ProductStatus
from workbench.services import Workbench
from workbench.services.products import ProductPage, list_products
from workbench.ui.messages import validation_sentence
from workbench.ui.models.products import Column, ProductListModel, ProductQuery
from workbench.ui.ops import Op

_WIDTHS = {
    Column.PART: 160,
    Column.DESCRIPTION: 320,
    Column.MANUFACTURER: 120,
    Column.MODEL: 140,
    Column.ECCN: 90,
    Column.STATUS: 80,
    Column.PROPOSED: 120,
}


class ProductsView(QWidget):
    open_requested = Signal(str)
    """The officer opened the product with this part number."""
    filtered = Signal(str)
    """The list was reloaded; the argument is the count as shown ("1,000+" while searching)."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.search = QLineEdit(placeholderText="Search part number, description, manufacturer, model, ECCN")
        self.search.setClearButtonEnabled(True)
        self.eccn = QLineEdit(placeholderText="ECCN (e.g. 3A090) or unclassified")
        self.eccn.setClearButtonEnabled(True)
        self.eccn.setMaximumWidth(220)
        self.status = QComboBox()
        self.status.addItem("All statuses", None)
        for status in ProductStatus:
            self.status.addItem(status.label, status)
        self.conflicts = QCheckBox("Conflicts only")
        self.conflicts.setToolTip("Products whose figures contradict the recorded ECCN")
        self.count = QLabel()
        self.open_button = QPushButton("&Open")
        self.model = ProductListModel(self._load_page, self)
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
        for column, width in _WIDTHS.items():
            self.table.setColumnWidth(column, width)
        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.eccn)
        bar.addWidget(self.status)
        bar.addWidget(self.conflicts)
        bar.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)

        self._debounce = QTimer(self, singleShot=True, interval=150)
        self._debounce.timeout.connect(self.search_in_background)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.eccn.textChanged.connect(lambda _t: self._debounce.start())
        self.status.currentIndexChanged.connect(lambda _i: self.search_in_background())
        self.conflicts.toggled.connect(lambda _c: self.search_in_background())
        self.table.doubleClicked.connect(self._activated)
        self.table.activated.connect(self._activated)
        self.open_button.clicked.connect(self._open_selected)
        self._generation = 0
        self.search_op: Op[ProductPage] | None = None
        self.apply_filter()

    def _load_page(self, query: ProductQuery, offset: int, limit: int) -> ProductPage:
        return list_products(
            self._wb,
            query.search,
            eccn=query.eccn,
            conflicts=query.conflicts,
            status=query.status,
            offset=offset,
            limit=limit,
        )

    def _query(self) -> ProductQuery:
        return ProductQuery(
            search=self.search.text(),
            eccn=self.eccn.text().strip() or None,
            status=self.status.currentData(),
            conflicts=self.conflicts.isChecked(),
        )

    def apply_filter(self) -> None:
        """Filter now, on this thread (when the view opens)."""
        self._generation += 1
        try:
            self.model.show(self._query())
        except WorkbenchError as exc:
            self._refused(self._generation, exc)
            return
        self._counted()

    def search_in_background(self) -> Op[ProductPage]:
        self._generation += 1
        generation, query, model = self._generation, self._query(), self.model
        op: Op[ProductPage] = (
            Op(self, lambda _p, _c: model.first_page(query), title="Search products")
            .success(lambda page: self._searched(generation, query, page))
            .failure(lambda exc: self._refused(generation, exc))
        )
        self.search_op = op
        return op.run()

    def _searched(self, generation: int, query: ProductQuery, page: ProductPage) -> None:
        if generation != self._generation:
            return
        self.model.show(query, page)
        self._counted()

    def _refused(self, generation: int, exc: BaseException) -> None:
        if generation != self._generation:
            return
        text = validation_sentence(exc) if isinstance(exc, ValidationError) else str(exc)
        self.count.setText(f"Not filtered: {text}")
        self.count.setStyleSheet("color: #b00020;")

    def _counted(self) -> None:
        label = self.model.total_label
        self.count.setStyleSheet("")
        self.count.setText(f"{label} product{'' if label == '1' else 's'}")
        self.filtered.emit(label)

    def reload(self) -> None:
        self.apply_filter()

    def selected_part(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.part_at(index.row()) if index.isValid() else None

    def _open_selected(self) -> None:
        part = self.selected_part()
        if part:
            self.open_requested.emit(part)

    def _activated(self, index: QModelIndex) -> None:
        if index.isValid():
            self.open_requested.emit(self.model.part_at(index.row()))
