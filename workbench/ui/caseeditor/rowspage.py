"""A tab with an editable table (parties or items), Add/Edit/Remove buttons and its problems."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyledItemDelegate,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.caseeditor.general import error_label
from workbench.ui.caseeditor.tables import RowsModel


class RowsPage(QWidget):
    def __init__(self, model: RowsModel, hint: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.model = model
        noun = model.noun
        self.add_button = QPushButton(f"&Add {noun}")
        self.edit_button = QPushButton("&Edit")
        self.remove_button = QPushButton("&Remove")
        self.table = QTableView()
        self.table.setModel(model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        for column, spec in enumerate(model.columns):
            self.table.setColumnWidth(column, spec.width)
        self.problems = error_label()
        hint_label = QLabel(hint)
        hint_label.setStyleSheet("color: palette(placeholder-text);")
        buttons = QHBoxLayout()
        self._buttons = buttons
        for button in (self.add_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(hint_label)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.problems)
        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.remove_button.clicked.connect(self.remove)
        QShortcut(
            QKeySequence(QKeySequence.StandardKey.Delete),
            self.table,
            self.remove,
            context=Qt.ShortcutContext.WidgetShortcut,
        )
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        model.modelReset.connect(self._update_buttons)
        self._update_buttons()

    def insert_top(self, widget: QWidget) -> None:
        """Put ``widget`` above the buttons and the table (the Parties tab's register picker)."""
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, widget)

    def add_action_button(self, button: QPushButton) -> None:
        """Another action beside Add/Edit/Remove (the Items tab's "Add from library…")."""
        self._buttons.insertWidget(1, button)

    def set_delegate(self, key: str, delegate: QStyledItemDelegate) -> None:
        delegate.setParent(self.table)
        self.table.setItemDelegateForColumn(self.model.column_of(key), delegate)

    def _current(self) -> QModelIndex:
        return self.table.currentIndex()

    def _update_buttons(self) -> None:
        has_row = self._current().isValid()
        self.edit_button.setEnabled(has_row)
        self.remove_button.setEnabled(has_row)

    def add(self) -> None:
        row = self.model.add()
        index = self.model.index(row, 1 if self.model.noun == "party" else 0)
        self.table.setCurrentIndex(index)
        self.table.edit(index)

    def edit(self) -> None:
        index = self._current()
        if index.isValid():
            self.table.edit(index)

    def remove(self) -> None:
        index = self._current()
        if index.isValid():
            self.model.remove(index.row())
            self._update_buttons()

    def set_problems(self, sentences: list[str]) -> None:
        self.problems.setText("\n".join(sentences))
        self.problems.setVisible(bool(sentences))
