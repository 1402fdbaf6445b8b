"""A party's region and an item's origin, US content and FDP facts are edited in the window, with undo, and
reach the rules (issue #17: region-level sanctions, foreign-made items)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox
from pytestqt.qtbot import QtBot

from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui.mainwindow import MainWindow

from .cells import cell_editor, type_into_cell

pytestmark = pytest.mark.gui


def test_region_is_typed_in_the_parties_table_checked_and_saved(
    qtbot: QtBot, window: MainWindow, wb: Workbench
) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.parties_page)
    table = editor.parties_page.table
    column = editor.parties.column_of("region")
    assert editor.parties.headerData(column, Qt.Orientation.Horizontal) == "Region"
    assert editor.parties.rows()[0]["country"] == "US"
    type_into_cell(qtbot, table, editor.parties.index(0, column), "UA-43")  # Crimea is not in the US
    tip = editor.parties.index(0, column).data(Qt.ItemDataRole.ToolTipRole)
    assert "Region UA-43" in tip and "is not in US" in tip
    type_into_cell(qtbot, table, editor.parties.index(0, column), "US-CA")
    assert "not in" not in str(editor.parties.index(0, column).data(Qt.ItemDataRole.ToolTipRole))
    assert editor.undo_stack.undoText() == "Edit party 1: Region"
    window.commands.save.trigger()
    assert get_case(wb, "EC-2026-0042").parties[0].region == "US-CA"


def test_origin_content_and_facts_are_edited_in_the_items_table(
    qtbot: QtBot, window: MainWindow, wb: Workbench
) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.items_page)
    table = editor.items_page.table
    type_into_cell(qtbot, table, editor.items.index(0, editor.items.column_of("us_content_percent")), "12.5")
    assert editor.items.rows()[0]["us_content_percent"] == "12.5"
    assert editor.undo_stack.undoText() == "Edit item 1: US content %"
    fact = editor.items.column_of("us_technology_product")
    assert editor.items.index(0, fact).data() == "Unknown"
    combo = cell_editor(table, editor.items.index(0, fact))
    assert isinstance(combo, QComboBox) and [combo.itemText(i) for i in range(combo.count())] == [
        "Unknown",
        "Yes",
        "No",
    ]
    combo.setCurrentIndex(1)
    qtbot.keyClick(combo, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: table.state() != table.State.EditingState, timeout=2000)
    assert editor.items.rows()[0]["us_technology_product"] == "yes"
    assert editor.items.index(0, fact).data() == "Yes"
    window.commands.save.trigger()
    item = get_case(wb, "EC-2026-0042").items[0]
    assert item.us_content_percent == Decimal("12.5") and item.us_technology_product is True
    assert item.us_technology_plant is None
