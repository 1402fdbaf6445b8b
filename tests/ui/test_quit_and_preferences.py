"""Quitting (the backup question with Cancel and a chosen folder) and Preferences that reach the work."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialogButtonBox, QSpinBox
from pytestqt.qtbot import QtBot

from workbench.config import DEFAULT_LIST_MAX_AGE_DAYS
from workbench.services import Workbench
from workbench.services.applications import draft_application
from workbench.ui import messages
from workbench.ui.dialogs.backup import BackupAnswer, BackupChoice, BackupPromptDialog
from workbench.ui.dialogs.preferences import PreferencesDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.settings import LIST_AGE_WARN_DAYS, OFFICER_TITLE, TEXT_SETTINGS, USER_SETTINGS

pytestmark = pytest.mark.gui
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture
def prompt(qtbot: QtBot, tmp_path: Path) -> BackupPromptDialog:
    dialog = BackupPromptDialog(None, "Make a backup now before quitting?", tmp_path / "backups")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_escape_cancels_the_backup_question(qtbot: QtBot, prompt: BackupPromptDialog) -> None:
    qtbot.keyClick(prompt, Qt.Key.Key_Escape)
    assert not prompt.isVisible()
    assert prompt.answer().choice is BackupChoice.CANCEL


def test_cancel_button_cancels_and_quit_button_quits(qtbot: QtBot, prompt: BackupPromptDialog, tmp_path: Path) -> None:
    qtbot.mouseClick(prompt.cancel_button, Qt.MouseButton.LeftButton)
    assert prompt.answer().choice is BackupChoice.CANCEL
    prompt.show()
    qtbot.mouseClick(prompt.quit_button, Qt.MouseButton.LeftButton)
    assert prompt.answer().choice is BackupChoice.QUIT


def test_the_officer_types_another_backup_folder(qtbot: QtBot, prompt: BackupPromptDialog, tmp_path: Path) -> None:
    afile = tmp_path / "not-a-folder"
    afile.write_text("x")
    prompt.folder.clear()
    qtbot.mouseClick(prompt.backup_button, Qt.MouseButton.LeftButton)
    assert prompt.isVisible() and prompt.problem.text() == "Choose the folder the backup goes into."
    qtbot.keyClicks(prompt.folder, str(afile))
    qtbot.mouseClick(prompt.backup_button, Qt.MouseButton.LeftButton)
    assert prompt.isVisible() and "is a file, not a folder" in prompt.problem.text()
    prompt.folder.clear()
    qtbot.keyClicks(prompt.folder, str(tmp_path / "elsewhere"))
    qtbot.mouseClick(prompt.backup_button, Qt.MouseButton.LeftButton)
    assert not prompt.isVisible()
    assert prompt.answer() == BackupAnswer(BackupChoice.BACKUP, tmp_path / "elsewhere")


def test_escape_on_the_real_question_keeps_the_window_open(qtbot: QtBot, window: MainWindow) -> None:
    """With the production message boxes: Escape in the backup question does not quit."""
    pressed: list[str] = []

    def press_escape() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, BackupPromptDialog):
            pressed.append(dialog.question.text())
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        else:
            QTimer.singleShot(20, press_escape)

    previous = messages.install(messages.DialogSink())
    try:
        QTimer.singleShot(0, press_escape)
        assert not window.close()
    finally:
        messages.install(previous)
    assert pressed and "backed up" in pressed[0]
    assert window.isVisible()


def test_after_cancel_the_next_quit_asks_again_and_remembers_the_folder(
    qtbot: QtBot, window: MainWindow, recorder: messages.RecordingSink, tmp_path: Path
) -> None:
    recorder.backup_answers.append(BackupAnswer(BackupChoice.CANCEL, tmp_path))
    assert not window.close()
    assert window.isVisible()
    chosen = tmp_path / "officer's backups"
    recorder.backup_answers.append(BackupAnswer(BackupChoice.BACKUP, chosen))
    window.close()
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=10000)
    assert len(recorder.texts(messages.Level.QUESTION)) == 2
    assert list(chosen.glob("workbench-*.zip"))
    assert window.settings.store.value("persist/last_backup_dir") == str(chosen)


def _preferences(qtbot: QtBot, window: MainWindow) -> PreferencesDialog:
    current: dict[str, int | str] = {s.key: window.settings.get(s) for s in (*USER_SETTINGS, *TEXT_SETTINGS)}
    dialog = PreferencesDialog(window, current)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_the_officer_title_typed_in_preferences_signs_block_25(qtbot: QtBot, window: MainWindow, wb: Workbench) -> None:
    assert "Title" in [m.field for m in draft_application(wb, "EC-2026-0044").missing if m.block == "Block 25"]
    dialog = _preferences(qtbot, window)
    qtbot.keyClicks(dialog.edits[OFFICER_TITLE.key], "Export Compliance Manager")
    ok = dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == PreferencesDialog.DialogCode.Accepted
    window.apply_preferences(dialog.values())
    draft = draft_application(wb, "EC-2026-0044")
    assert draft.value("25", "Title") == "Export Compliance Manager"
    assert draft.value("25", "Name") == "Test Officer"
    assert not [m for m in draft.missing if m.block == "Block 25"]
    assert "(Export Compliance Manager)" in window.officer_label.text()


def test_list_age_default_is_the_one_the_cli_and_readme_use(qtbot: QtBot, window: MainWindow) -> None:
    dialog = _preferences(qtbot, window)
    spin = dialog.spins[LIST_AGE_WARN_DAYS.key]
    assert isinstance(spin, QSpinBox)
    assert spin.value() == DEFAULT_LIST_MAX_AGE_DAYS == 30
    text = " ".join(README.read_text(encoding="utf-8").split())
    assert f"older than {DEFAULT_LIST_MAX_AGE_DAYS} days" in text
    assert f"list-age ({DEFAULT_LIST_MAX_AGE_DAYS} days by default" in text
