"""The ``workbench`` GUI entry point opens the main window on a database and quits cleanly."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from workbench.ui import messages
from workbench.ui.app import main
from workbench.ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _keep_excepthook(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)


def test_opens_the_main_window_and_quits(qapp: QApplication, sqlite_url: str) -> None:
    seen: list[MainWindow] = []

    def look_and_quit() -> None:
        seen.extend(w for w in QApplication.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible())
        for window in seen:
            window.hide()
        qapp.quit()

    QTimer.singleShot(100, look_and_quit)
    assert main(["--db", sqlite_url]) == 0
    assert len(seen) == 1
    assert seen[0].windowTitle()


def test_a_corrupt_database_is_reported_not_crashed(
    qapp: QApplication, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"not a database" * 200)
    assert main(["--db", f"sqlite:///{broken}"]) == 2
    assert any("restore the database from a backup" in text for text in recorder.texts())
