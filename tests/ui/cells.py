"""Typing into a table cell as the officer does: open the cell's editor, type, press Return."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import QAbstractItemView, QWidget
from pytestqt.qtbot import QtBot


def cell_editor(table: QAbstractItemView, index: QModelIndex) -> QWidget:
    """Open the editor of ``index`` (as a double-click does) and return it."""
    table.setCurrentIndex(index)
    table.edit(index)
    editors = [w for w in table.viewport().findChildren(QWidget) if w.isVisible() and w.parent() is table.viewport()]
    assert editors, "the cell did not open an editor"
    return editors[-1]


def type_into_cell(
    qtbot: QtBot, table: QAbstractItemView, index: QModelIndex, text: str, *, clear: bool = True
) -> None:
    editor = cell_editor(table, index)
    if clear:
        qtbot.keyClick(editor, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
        qtbot.keyClick(editor, Qt.Key.Key_Delete)
    qtbot.keyClicks(editor, text)
    qtbot.keyClick(editor, Qt.Key.Key_Return)
    # Qt commits the typed value on the next turn of the event loop, after the editor had the key.
    qtbot.waitUntil(lambda: table.state() != QAbstractItemView.State.EditingState, timeout=2000)
