"""The Lists dialog: import with progress and cancel, versions with counts and age, the status-bar warning."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from workbench.domain.screening_records import ListVersion
from workbench.services import Workbench
from workbench.services import screening as screening_service
from workbench.services.screening import list_versions
from workbench.ui import messages
from workbench.ui.dialogs.lists import Column, ListsDialog, age_status
from workbench.ui.mainwindow import MainWindow
from workbench.ui.settings import LIST_AGE_WARN_DAYS

from .conftest import wait_op

pytestmark = pytest.mark.gui


def _dialog(qtbot: QtBot, wb: Workbench, days: int = 7) -> ListsDialog:
    dialog = ListsDialog(None, wb, days)
    qtbot.addWidget(dialog)
    return dialog


def test_import_shows_the_new_version(
    qtbot: QtBot, qtmodeltester: object, wb: Workbench, small_list: Path, recorder: messages.RecordingSink
) -> None:
    dialog = _dialog(qtbot, wb)
    assert dialog.model.rowCount() == 0
    with qtbot.waitSignal(dialog.lists_changed, timeout=15000):
        op = dialog.import_path(small_list)
    wait_op(qtbot, op)
    assert dialog.model.rowCount() == 1
    assert dialog.model.text(0, Column.ACTIVE) == "Active"
    assert int(dialog.model.text(0, Column.ENTRIES).replace(",", "")) > 200
    assert "Imported" in recorder.texts(messages.Level.INFO)[-1]
    qtmodeltester.check(dialog.model)  # type: ignore[attr-defined]
    # The same file again is refused politely, and nothing changes.
    wait_op(qtbot, dialog.import_path(small_list), "failed")
    assert "already the active list version" in recorder.texts(messages.Level.INFO)[-1]
    assert len(list_versions(wb)) == 1


def test_cancel_keeps_the_previous_version(
    qtbot: QtBot, wb: Workbench, small_list: Path, monkeypatch: pytest.MonkeyPatch, recorder: messages.RecordingSink
) -> None:
    started = threading.Event()
    real = screening_service.import_list

    def gated(*args: Any, progress: Any, cancel: Any, **kwargs: Any) -> Any:
        progress(0, 10)
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        return real(*args, progress=progress, cancel=cancel, **kwargs)

    monkeypatch.setattr("workbench.ui.dialogs.lists.import_list", gated)
    dialog = _dialog(qtbot, wb)
    op = dialog.import_path(small_list)
    qtbot.waitUntil(started.is_set, timeout=5000)
    with qtbot.waitSignal(op.done, timeout=10000):
        op._dialog.findChild(QPushButton).click()  # type: ignore[union-attr]
    assert op.outcome == "cancelled"
    assert "cancelled" in recorder.texts(messages.Level.INFO)[-1]
    assert list_versions(wb) == [] and dialog.model.rowCount() == 0


def test_cancel_during_rescreening_keeps_the_imported_version(
    qtbot: QtBot, wb: Workbench, small_list: Path, monkeypatch: pytest.MonkeyPatch, recorder: messages.RecordingSink
) -> None:
    started = threading.Event()
    real = screening_service.rescreen_open_cases

    def gated(wb: Workbench, progress: Any, cancel: Any, **options: Any) -> Any:
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        return real(wb, progress=progress, cancel=cancel, **options)

    monkeypatch.setattr(screening_service, "rescreen_open_cases", gated)
    dialog = _dialog(qtbot, wb)
    op = dialog.import_path(small_list)
    qtbot.waitUntil(started.is_set, timeout=15000)
    with qtbot.waitSignal(op.done, timeout=10000):
        op.cancel()
    assert op.outcome == "succeeded"  # the version was committed before Cancel; it stands
    assert "Imported" in recorder.texts(messages.Level.INFO)[-1]
    assert len(list_versions(wb)) == 1 and dialog.model.rowCount() == 1


def _version(published: date) -> ListVersion:
    return ListVersion(
        1, "CSL test", "csl.csv", "0" * 64, "csl-csv", datetime.now(UTC), "T", published, {"EL": 3}, 3, 0, True
    )


def test_age_warning_follows_the_configured_days() -> None:
    today = date(2026, 8, 20)
    assert age_status([], 7, today) == ("Screening lists: shipped snapshot (imported on first screening)", False)
    text, warn = age_status([_version(date(2026, 8, 1))], 30, today)
    assert text == "Screening lists: CSL test (19 days old)" and not warn
    assert age_status([_version(date(2026, 8, 1))], 7, today)[1]


def test_status_bar_shows_the_active_list(listed_window: MainWindow) -> None:
    assert "csl-small.csv" in listed_window.list_label.text()
    assert not listed_window.list_label.text().startswith("⚠")
    listed_window.settings.set(LIST_AGE_WARN_DAYS, 1)
    listed_window.refresh_list_status()
    assert "csl-small.csv" in listed_window.list_label.text()
