"""A party's known listings and an item's PRC-advanced-IC flag are edited in the window, with undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QListWidget
from pytestqt.qtbot import QtBot

from workbench.domain.case import ListFlag
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui.mainwindow import MainWindow

from .cells import cell_editor

pytestmark = pytest.mark.gui

REF = "EC-2026-0049"


def test_known_listings_are_ticked_in_the_parties_table_and_undone(
    qtbot: QtBot, window: MainWindow, wb: Workbench
) -> None:
    editor = window.open_case(REF)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.parties_page)
    table = editor.parties_page.table
    column = editor.parties.column_of("listed_on")
    assert editor.parties.headerData(column, Qt.Orientation.Horizontal) == "Known listings"
    row = 0
    before = editor.parties.rows()[row]["listed_on"]
    assert ListFlag.ENTITY_LIST.value not in before
    choices = cell_editor(table, editor.parties.index(row, column))
    assert isinstance(choices, QListWidget) and choices.height() >= choices.count() * choices.sizeHintForRow(0)
    entity_list = next(r for r in range(choices.count()) if choices.item(r).text() == "Entity List")
    choices.setCurrentRow(entity_list)
    qtbot.keyClick(choices, Qt.Key.Key_Space)
    qtbot.keyClick(choices, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=2000)
    assert editor.parties.rows()[row]["listed_on"] == [*before, ListFlag.ENTITY_LIST.value]
    assert "Entity List" in editor.parties.index(row, column).data()
    assert editor.undo_stack.undoText() == f"Edit party {row + 1}: Known listings"
    window.commands.undo.trigger()
    assert editor.parties.rows()[row]["listed_on"] == before
    window.commands.redo.trigger()
    window.commands.save.trigger()
    assert ListFlag.ENTITY_LIST in get_case(wb, REF).parties[row].listed_on


def test_the_prc_advanced_ic_flag_is_ticked_in_the_items_table_and_undone(
    qtbot: QtBot, window: MainWindow, wb: Workbench
) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.items_page)
    table = editor.items_page.table
    index = editor.items.index(0, editor.items.column_of("prc_advanced_ic"))
    assert not editor.items.rows()[0]["prc_advanced_ic"]
    table.setCurrentIndex(index)
    qtbot.keyClick(table, Qt.Key.Key_Space)
    assert editor.items.rows()[0]["prc_advanced_ic"] is True
    assert index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    assert editor.undo_stack.undoText() == "Edit item 1: PRC advanced IC"
    window.commands.undo.trigger()
    assert editor.items.rows()[0]["prc_advanced_ic"] is False
    window.commands.redo.trigger()
    window.commands.save.trigger()
    assert get_case(wb, "EC-2026-0042").items[0].prc_advanced_ic
