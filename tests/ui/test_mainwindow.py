"""The main window lists the cases, searches as you type, fetches lazily and hosts the editors."""

from __future__ import annotations

import threading
from dataclasses import replace
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QKeySequence
from pytestqt.qtbot import QtBot

from workbench.domain.case import Case, CaseStatus
from workbench.services import Workbench
from workbench.services import screening as screening_service
from workbench.services.cases import CasePage, create_case, demo_cases, get_case, list_cases
from workbench.ui import messages
from workbench.ui.dialogs.backup import BackupAnswer, BackupChoice
from workbench.ui.mainwindow import MainWindow
from workbench.ui.models.caselist import PAGE_SIZE, CaseListModel, CaseQuery, Column

from .conftest import wait_op

pytestmark = pytest.mark.gui


def test_lists_the_demo_cases(window: MainWindow) -> None:
    assert window.model.rowCount() == len(demo_cases())
    refs = {window.model.reference_at(r) for r in range(window.model.rowCount())}
    assert "EC-2026-0042" in refs
    assert window.count_label.text() == f"{len(demo_cases())} cases"
    assert "sqlite" in window.db_label.text()
    assert window.officer_label.text() == "Officer: Test Officer"


def test_search_as_you_type(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.keyClicks(window.search, "phnom")
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=2000)
    window.status_filter.setCurrentIndex(window.status_filter.findData(CaseStatus.IN_REVIEW))
    qtbot.waitUntil(lambda: window.model.rowCount() == 0, timeout=2000)
    window.search.clear()
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    assert window.model.reference_at(0) == "EC-2026-0049"


def test_a_search_overtaken_by_newer_keystrokes_is_dropped(
    qtbot: QtBot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    real = window.model._loader

    def slow_for_phnom(query: CaseQuery, offset: int, limit: int) -> CasePage:
        if query.search == "phnom":
            release.wait(5)  # the first search is slow (a cold disk, say)
        return real(query, offset, limit)

    monkeypatch.setattr(window.model, "_loader", slow_for_phnom)
    pane = window.cases
    window.search.setText("phnom")
    first = pane.search_in_background()
    window.search.setText("EC-2026-0049")
    wait_op(qtbot, pane.search_in_background())
    assert [window.model.reference_at(r) for r in range(window.model.rowCount())] == ["EC-2026-0049"]
    release.set()
    wait_op(qtbot, first)  # finishes after the newer search...
    assert [window.model.reference_at(r) for r in range(window.model.rowCount())] == ["EC-2026-0049"]  # ...unseen
    assert window.count_label.text() == "1 cases"


def test_sorting_by_reference(window: MainWindow) -> None:
    window.table.sortByColumn(Column.REFERENCE, Qt.SortOrder.AscendingOrder)
    refs = [window.model.reference_at(r) for r in range(window.model.rowCount())]
    assert refs == sorted(refs)


def test_model_passes_the_qt_model_tester(qtmodeltester: object, window: MainWindow) -> None:
    qtmodeltester.check(window.model)  # type: ignore[attr-defined]


def test_model_fetches_lazily(qtmodeltester: object, wb: Workbench) -> None:
    base = demo_cases()[0]
    for i in range(PAGE_SIZE + 50):
        create_case(wb, replace(base, reference=f"LAZY-{i:04d}"))

    def loader(query: CaseQuery, offset: int, limit: int) -> CasePage:
        return list_cases(
            wb,
            query.search,
            query.statuses,
            offset=offset,
            limit=limit,
            order_by=query.order_by,
            descending=query.descending,
        )

    model = CaseListModel(loader)
    model.reload()
    assert model.rowCount() == PAGE_SIZE
    assert model.canFetchMore()
    model.fetchMore()
    assert model.rowCount() == model.total == PAGE_SIZE + 50 + len(demo_cases())
    assert not model.canFetchMore()
    qtmodeltester.check(model)  # type: ignore[attr-defined]


def test_column_layout_is_remembered(qtbot: QtBot, wb: Workbench, settings: QSettings) -> None:
    first = MainWindow(wb, settings)
    qtbot.addWidget(first)
    first.table.setColumnWidth(Column.TITLE, 333)
    first.close()
    second = MainWindow(wb, settings)
    qtbot.addWidget(second)
    assert second.table.columnWidth(Column.TITLE) == 333


def test_standard_shortcuts(window: MainWindow) -> None:
    keys = QKeySequence.StandardKey
    assert window.commands.new_case.shortcut() == QKeySequence(keys.New)
    assert window.commands.save.shortcut() == QKeySequence(keys.Save)
    assert window.commands.undo.shortcut() == QKeySequence(keys.Undo)
    assert window.commands.find.shortcut() == QKeySequence(keys.Find)
    assert not window.commands.preferences.shortcut().isEmpty()


def test_list_status_label(window: MainWindow) -> None:
    window.set_list_status("Screening lists: CSL 2026-03-01 (40 days old)", warn=True)
    assert "40 days old" in window.list_label.text()
    assert window.list_label.text().startswith("⚠")
    window.set_list_status("Screening lists: CSL 2026-04-09 (1 day old)", warn=False)
    assert not window.list_label.text().startswith("⚠")


def test_open_case_by_double_click_and_undo_through_the_menu(qtbot: QtBot, window: MainWindow) -> None:
    row = next(r for r in range(window.model.rowCount()) if window.model.reference_at(r) == "EC-2026-0042")
    window.cases.open_requested.emit(window.model.reference_at(row))
    editor = window.current_editor()
    assert editor is not None and editor.reference == "EC-2026-0042"
    assert not window.commands.save.isEnabled()
    qtbot.keyClicks(editor.general.title, " (rev)")
    assert window.commands.save.isEnabled()
    assert window.editors.tabText(0) == "EC-2026-0042 *"
    window.commands.undo.trigger()
    assert editor.general.title.text() == "GPU servers for a Kuala Lumpur data centre"
    assert window.editors.tabText(0) == "EC-2026-0042"
    window.commands.redo.trigger()
    window.commands.save.trigger()
    assert get_case(window._wb, "EC-2026-0042").title.endswith("(rev)")


def test_new_case_opens_an_unsaved_editor(
    monkeypatch: pytest.MonkeyPatch, window: MainWindow, wb: Workbench, recorder: messages.RecordingSink
) -> None:
    case = replace(demo_cases()[0], reference="EC-2026-0999", parties=(), items=(), documents=(), red_flags=())
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda parent: (case, True))
    editor = window.new_case()
    assert editor is not None and editor.is_new and editor.is_dirty
    assert window.commands.save.isEnabled()
    window.commands.save.trigger()
    assert get_case(wb, "EC-2026-0999").title == case.title
    assert window.model.total == len(demo_cases()) + 1
    existing: Case = demo_cases()[0]
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda parent: (existing, True))
    assert window.new_case() is None
    assert "exists already" in recorder.texts(messages.Level.ERROR)[-1]


def test_closing_asks_about_unsaved_changes(qtbot: QtBot, window: MainWindow, recorder: messages.RecordingSink) -> None:
    editor = window.open_case("EC-2026-0043")
    assert editor is not None
    qtbot.keyClicks(editor.general.title, "!")
    recorder.save_answers.append(messages.SaveChoice.CANCEL)
    assert not window.close()
    assert window.isVisible() and window.editors.count() == 1
    recorder.save_answers.append(messages.SaveChoice.DISCARD)
    assert window.close()
    assert window.editors.count() == 0


def test_quitting_offers_a_backup(
    qtbot: QtBot, window: MainWindow, recorder: messages.RecordingSink, tmp_path: Path
) -> None:
    chosen = tmp_path / "chosen backups"
    recorder.backup_answers.append(BackupAnswer(BackupChoice.BACKUP, chosen))
    window.close()
    assert any("backed up" in text for text in recorder.texts(messages.Level.QUESTION))
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert any(f"Backup written to {chosen}" in text for text in recorder.texts(messages.Level.INFO))
    assert len(list(chosen.glob("workbench-*.zip"))) == 1


def test_applications_and_licences_open_as_a_closable_tab(window: MainWindow) -> None:
    view = window.show_licences()
    assert window.editors.currentWidget() is view
    assert window.show_licences() is view  # opening again brings the same tab forward
    tabs = window.editors.count()
    window._close_tab(window.editors.indexOf(view))
    assert window.editors.count() == tabs - 1
    assert window.show_licences() is not view


def test_warm_up_reports_in_the_status_bar(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(screening_service, "_screeners", {})
    wait_op(qtbot, listed_window.warm_up_screening())
    assert listed_window.statusBar().currentMessage() == "The screening index is built at the first screening."
    screening_service.screener(listed_wb)  # the first screening builds it and caches it on disk
    monkeypatch.setattr(screening_service, "_screeners", {})  # as at the next start
    wait_op(qtbot, listed_window.warm_up_screening())
    assert listed_window.statusBar().currentMessage().startswith("Screening index of ")
    assert screening_service._screeners
