"""Cell editors for the parties and items tables: choices, countries and ECCNs with completion."""

from __future__ import annotations

from functools import cache
from typing import Any

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QFontMetrics, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from workbench.services.reference import eccn_choices
from workbench.ui.widgets.countrypicker import CountryPicker

_Index = QModelIndex | QPersistentModelIndex
EccnRole = Qt.ItemDataRole.UserRole + 1


class ChoiceDelegate(QStyledItemDelegate):
    """A combo box over fixed ``(value, label)`` choices."""

    def __init__(self, choices: list[tuple[str, str]], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        combo = QComboBox(parent)
        for value, label in self._choices:
            combo.addItem(label, value)
        return combo

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        editor.setCurrentIndex(max(0, editor.findData(index.data(Qt.ItemDataRole.EditRole))))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QComboBox)
        model.setData(index, editor.currentData(), Qt.ItemDataRole.EditRole)


class ChoicesDelegate(QStyledItemDelegate):
    """A checkable list over fixed ``(value, label)`` choices; the cell's value is the list of ticked values."""

    def __init__(self, choices: dict[str, str], parent: Any = None) -> None:
        super().__init__(parent)
        self._choices = choices

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QListWidget(parent)
        for value, label in self._choices.items():
            item = QListWidgetItem(label, editor)
            item.setData(Qt.ItemDataRole.UserRole, value)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsSelectable)
            item.setCheckState(Qt.CheckState.Unchecked)
        editor.setCurrentRow(0)
        return editor

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, QListWidget)
        chosen = set(index.data(Qt.ItemDataRole.EditRole) or [])
        for row in range(editor.count()):
            item = editor.item(row)
            ticked = item.data(Qt.ItemDataRole.UserRole) in chosen
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, QListWidget)
        items = [editor.item(row) for row in range(editor.count())]
        chosen = [i.data(Qt.ItemDataRole.UserRole) for i in items if i.checkState() == Qt.CheckState.Checked]
        model.setData(index, chosen, Qt.ItemDataRole.EditRole)

    def updateEditorGeometry(self, editor: QWidget, option: QStyleOptionViewItem, index: _Index) -> None:
        """Drop down below the cell, tall enough for every choice (a cell is one line high)."""
        assert isinstance(editor, QListWidget)
        rect = option.rect
        height = editor.sizeHintForRow(0) * editor.count() + 2 * editor.frameWidth() + 4
        width = max(rect.width(), editor.sizeHintForColumn(0) + 40)
        editor.setGeometry(rect.x(), rect.y(), width, height)


class CountryDelegate(QStyledItemDelegate):
    def __init__(self, parent: Any = None, *, allow_empty: bool = False) -> None:
        super().__init__(parent)
        self._allow_empty = allow_empty

    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        return CountryPicker(parent, allow_empty=self._allow_empty)

    def setEditorData(self, editor: QWidget, index: _Index) -> None:
        assert isinstance(editor, CountryPicker)
        editor.set_code(index.data(Qt.ItemDataRole.EditRole))

    def setModelData(self, editor: QWidget, model: QAbstractItemModel, index: _Index) -> None:
        assert isinstance(editor, CountryPicker)
        model.setData(index, editor.code(), Qt.ItemDataRole.EditRole)


@cache
def _eccn_rows() -> tuple[tuple[str, str], ...]:
    return tuple(eccn_choices())


def eccn_completion_model(parent: Any = None) -> QStandardItemModel:
    """ECCNs shown with their heading; completion matches and inserts the ECCN alone."""
    model = QStandardItemModel(parent)
    for eccn, heading in [("EAR99", "Subject to the EAR but not on the CCL"), *_eccn_rows()]:
        short = heading if len(heading) <= 90 else heading[:89].rstrip() + "…"
        item = QStandardItem(f"{eccn}  {short}")
        item.setData(eccn, EccnRole)
        item.setToolTip(heading)
        model.appendRow(item)
    return model


def eccn_completer(parent: QWidget) -> QCompleter:
    completer = QCompleter(eccn_completion_model(parent), parent)
    completer.setCompletionRole(EccnRole)
    completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
    completer.setMaxVisibleItems(12)
    popup = completer.popup()  # the completer makes it on first access, so never None here
    if popup is not None:
        popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        popup.setMinimumWidth(completion_width(completer.model(), popup.fontMetrics()))  # not the cell's width
    return completer


def completion_width(model: Any, metrics: QFontMetrics, limit: int = 760) -> int:
    """Wide enough for the longest ECCN and heading, up to ``limit`` pixels (longer ones elide; the tooltip has all)."""
    texts = (str(model.index(row, 0).data()) for row in range(model.rowCount()))
    widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
    return min(widest + 48, limit)  # margins and the scroll bar


class EccnDelegate(QStyledItemDelegate):
    def createEditor(self, parent: QWidget, option: QStyleOptionViewItem, index: _Index) -> QWidget:
        editor = QLineEdit(parent)
        editor.setCompleter(eccn_completer(editor))
        editor.setPlaceholderText("e.g. 3A090.a or EAR99")
        return editor
