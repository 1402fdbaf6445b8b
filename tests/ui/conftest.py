"""UI fixtures: a demo database, a main window, and a recording message sink (no modal dialogs)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from workbench.services import Workbench, open_workbench
from workbench.services.cases import load_demo
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow


@pytest.fixture(autouse=True)
def recorder() -> Iterator[messages.RecordingSink]:
    """Every message the officer would see; questions answer "no" unless a test queues answers."""
    sink = messages.RecordingSink(default_answer=False)
    previous = messages.install(sink)
    yield sink
    messages.install(previous)


@pytest.fixture
def wb(sqlite_url: str) -> Iterator[Workbench]:
    workbench = open_workbench(sqlite_url, officer="Test Officer")
    load_demo(workbench)
    yield workbench
    workbench.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, wb: Workbench, settings: QSettings) -> MainWindow:
    win = MainWindow(wb, settings)
    qtbot.addWidget(win)
    win.show()
    return win
