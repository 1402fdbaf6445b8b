"""The main window lists the cases, searches as you type and fetches lazily."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from pytestqt.qtbot import QtBot

from workbench.domain.case import CaseStatus
from workbench.services import Workbench, open_workbench
from workbench.services.cases import demo_cases, load_demo
from workbench.ui.mainwindow import MainWindow
from workbench.ui.models.caselist import PAGE_SIZE, CaseListModel, Column

pytestmark = pytest.mark.gui


@pytest.fixture
def wb(sqlite_url: str) -> Iterator[Workbench]:
    workbench = open_workbench(sqlite_url)
    load_demo(workbench)
    yield workbench
    workbench.close()


@pytest.fixture
def window(qtbot: QtBot, wb: Workbench, tmp_path: Path) -> MainWindow:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    win = MainWindow(wb, settings)
    qtbot.addWidget(win)
    win.show()
    return win


def test_lists_the_demo_cases(window: MainWindow) -> None:
    assert window.model.rowCount() == len(demo_cases())
    refs = {window.model.reference_at(r) for r in range(window.model.rowCount())}
    assert "EC-2026-0042" in refs
    assert window.count_label.text() == f"{len(demo_cases())} cases"
    assert "sqlite" in window.db_label.text()


def test_search_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "phnom")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=2000)
    window.status_filter.setCurrentIndex(window.status_filter.findData(CaseStatus.IN_REVIEW))
    assert window.model.rowCount() == 0
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    assert window.model.reference_at(0) == "EC-2026-0049"


def test_sorting_by_reference(window: MainWindow) -> None:
    window.table.sortByColumn(Column.REFERENCE, Qt.SortOrder.AscendingOrder)
    refs = [window.model.reference_at(r) for r in range(window.model.rowCount())]
    assert refs == sorted(refs)


def test_model_passes_the_qt_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]


def test_model_fetches_lazily(qtmodeltester: object, wb: Workbench) -> None:
    from workbench.services.cases import create_case, list_cases

    base = demo_cases()[0]
    for i in range(PAGE_SIZE + 50):
        create_case(wb, replace(base, reference=f"LAZY-{i:04d}"))
    model = CaseListModel(
        lambda s, st, off, lim, ob, d: list_cases(wb, s, st, offset=off, limit=lim, order_by=ob, descending=d)
    )
    model.reload()
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total == PAGE_SIZE + 50 + len(demo_cases())
    assert not model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_column_layout_is_remembered(qtbot: QtBot, wb: Workbench, tmp_path: Path) -> None:
    settings = QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)
    first = MainWindow(wb, settings)
    qtbot.addWidget(first)
    first.table.setColumnWidth(Column.TITLE, 333)
    first.close()
    second = MainWindow(wb, settings)
    qtbot.addWidget(second)
    assert second.table.columnWidth(Column.TITLE) == 333
