"""Layout at 1280×800: columns fitted (essentials never cut), the split restored, the ECCN completer wide."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from workbench.services import Workbench
from workbench.ui.mainwindow import MainWindow
from workbench.ui.models.caselist import Column as CaseColumn
from workbench.ui.panels.checks import Column as CheckColumn
from workbench.ui.widgets.columns import fitted_widths

from .conftest import wait_op

pytestmark = pytest.mark.gui
CASE = "EC-2026-0044"


def test_the_widest_shrinkable_columns_give_way_to_one_cap() -> None:
    natural = {0: 340, 1: 50, 2: 180, 3: 610}
    assert fitted_widths(natural, 2000, (0, 3)) == natural
    widths = fitted_widths(natural, 800, (0, 3))
    assert widths[1] == 50 and widths[2] == 180  # never cut
    assert sum(widths.values()) <= 800 and widths[0] == widths[3] == 285
    narrow = fitted_widths(natural, 800, (3,))
    assert narrow[0] == 340 and narrow[3] == 800 - 340 - 50 - 180
    assert fitted_widths(natural, 100, (0, 3), floor=80)[3] == 80  # then the table scrolls


def _window(qtbot: QtBot, wb: Workbench, settings: QSettings, height: int = 800) -> MainWindow:
    window = MainWindow(wb, settings)
    qtbot.addWidget(window)
    window.resize(1280, height)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_checks_at_the_default_size_show_rules_and_citations(
    qtbot: QtBot, listed_wb: Workbench, settings: QSettings
) -> None:
    window = _window(qtbot, listed_wb, settings)
    editor = window.open_case(CASE)
    assert editor is not None
    checks = window.panels_for(editor).checks
    editor.tabs.setCurrentWidget(checks)
    wait_op(qtbot, checks.run_checks())
    qtbot.wait(20)  # the refit after the tab is laid out
    rows = window.table.verticalHeader().defaultSectionSize()
    assert window.table.viewport().height() >= 7 * rows  # the case list keeps its rows with a case open
    table = checks.table
    assert table.columnWidth(CheckColumn.RULE) >= table.sizeHintForColumn(CheckColumn.RULE)
    used = sum(table.columnWidth(c) for c in range(checks.model.columnCount()))
    assert used <= table.viewport().width() + 1  # no sideways scrolling
    assert table.columnWidth(CheckColumn.CITATION) >= 200
    for row in range(checks.model.rowCount()):  # a cell cut short shows its full text on hover
        index = checks.model.index(row, CheckColumn.CITATION)
        assert index.data(Qt.ItemDataRole.ToolTipRole) == index.data()


def test_the_case_list_fits_the_window_at_the_first_start(qtbot: QtBot, wb: Workbench, settings: QSettings) -> None:
    window = _window(qtbot, wb, settings)
    table = window.table
    columns = window.model.columnCount()
    assert sum(table.columnWidth(c) for c in range(columns)) <= table.viewport().width() + 1
    for column in (CaseColumn.REFERENCE, CaseColumn.STATUS, CaseColumn.DATE):
        assert table.columnWidth(column) >= table.sizeHintForColumn(column)


def _drag_split(qtbot: QtBot, window: MainWindow, dy: int) -> None:
    handle = window.splitter.handle(1)
    middle = handle.rect().center()
    qtbot.mousePress(handle, Qt.MouseButton.LeftButton, pos=middle)
    qtbot.mouseMove(handle, middle + QPoint(0, dy))
    qtbot.mouseRelease(handle, Qt.MouseButton.LeftButton, pos=middle + QPoint(0, dy))


def test_the_split_comes_back_after_a_restart(qtbot: QtBot, wb: Workbench, tmp_path: Path) -> None:
    path = tmp_path / "layout.ini"
    window = _window(qtbot, wb, QSettings(str(path), QSettings.Format.IniFormat), height=1000)
    list_alone, placeholder = window.splitter.sizes()
    assert list_alone > 6 * placeholder  # no case open: the list takes the room
    window.open_case(CASE)
    opened = window.splitter.sizes()
    rows = window.table.verticalHeader().defaultSectionSize()
    assert window.table.viewport().height() >= 7 * rows  # never three rows
    _drag_split(qtbot, window, 60)
    QApplication.processEvents()
    dragged = window.splitter.sizes()
    assert dragged[0] > opened[0] + 30
    window.close()

    again = _window(qtbot, wb, QSettings(str(path), QSettings.Format.IniFormat), height=1000)
    sizes = again.splitter.sizes()
    assert sizes[0] > 6 * sizes[1]  # no large empty area where no case is open
    again.open_case(CASE)
    assert abs(again.splitter.sizes()[0] - dragged[0]) <= 30  # the officer's split, not a collapsed list
    again.editors.tabCloseRequested.emit(0)
    back = again.splitter.sizes()
    assert back[0] > 6 * back[1]


def test_the_eccn_completer_shows_whole_headings(qtbot: QtBot, window: MainWindow) -> None:
    window.resize(1280, 800)
    editor = window.open_case(CASE)
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.items_page)
    table = editor.items_page.table
    index = editor.items.index(0, editor.items.column_of("eccn"))
    table.setCurrentIndex(index)
    table.edit(index)
    line = table.indexWidget(index) or table.focusWidget()
    assert isinstance(line, QLineEdit)
    line.clear()
    qtbot.keyClicks(line, "4A09")
    completer = line.completer()
    assert completer is not None
    popup = completer.popup()
    assert popup is not None
    qtbot.waitUntil(popup.isVisible, timeout=3000)
    texts = [popup.model().index(r, 0).data() for r in range(popup.model().rowCount())]
    heading = next(t for t in texts if t.startswith("4A090 "))
    assert popup.width() >= popup.fontMetrics().horizontalAdvance(heading)
    assert popup.width() > table.columnWidth(index.column())
