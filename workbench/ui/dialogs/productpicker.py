"""Pick a product from the library for a case item: type to search, pick, and the item is pre-filled."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.products import ProductPage, list_products
from workbench.ui.models.products import Column, ProductListModel, ProductQuery


class ProductPicker(QDialog):
    """``chosen`` is the part number picked (None until the officer picks one)."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.chosen: str | None = None
        self.setWindowTitle("Add an item from the product library")
        self.resize(820, 460)
        self.search = QLineEdit(placeholderText="Type part number, description, manufacturer or model")
        self.search.setClearButtonEnabled(True)
        self.model = ProductListModel(self._load, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.setColumnWidth(Column.PART, 160)
        self.table.setColumnWidth(Column.DESCRIPTION, 300)
        self.count = QLabel()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.pick_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.pick_button.setText("&Add item")
        layout = QVBoxLayout(self)
        layout.addWidget(self.search)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count)
        layout.addWidget(self.buttons)
        self._debounce = QTimer(self, singleShot=True, interval=120)
        self._debounce.timeout.connect(self.refresh)
        self.search.textChanged.connect(lambda _t: self._debounce.start())
        self.search.returnPressed.connect(self._pick_first)
        self.table.doubleClicked.connect(self._picked)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self.buttons.accepted.connect(self._accept_selected)
        self.buttons.rejected.connect(self.reject)
        self.refresh()

    def _load(self, query: ProductQuery, offset: int, limit: int) -> ProductPage:
        return list_products(self._wb, query.search, offset=offset, limit=limit)

    def refresh(self) -> None:
        try:
            self.model.show(ProductQuery(search=self.search.text()))
        except WorkbenchError as exc:
            self.count.setText(str(exc))
            return
        label = self.model.total_label
        self.count.setText(f"{label} product{'' if label == '1' else 's'}; double-click one to add it")
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update()

    def _update(self) -> None:
        self.pick_button.setEnabled(self.table.currentIndex().isValid() and self.model.rowCount() > 0)

    def _pick_first(self) -> None:
        self._debounce.stop()
        self.refresh()
        if self.model.rowCount():
            self.chosen = self.model.part_at(max(0, self.table.currentIndex().row()))
            self.accept()

    def _picked(self, index: QModelIndex) -> None:
        if index.isValid():
            self.chosen = self.model.part_at(index.row())
            self.accept()

    def _accept_selected(self) -> None:
        index = self.table.currentIndex()
        if index.isValid():
            self._picked(index)
