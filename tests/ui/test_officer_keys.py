"""Officer keys in the window: a key pair made from Preferences or Determine & sign, its fingerprint, the default."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from workbench.export.keys import fingerprint, load_public_key
from workbench.services import Workbench
from workbench.services.determinations import key_fingerprint
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.dialogs.keys import NewKeyDialog
from workbench.ui.dialogs.preferences import PreferencesDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.settings import DEFAULT_KEY_PATH, OFFICER_NAME, TEXT_SETTINGS, USER_SETTINGS

from .conftest import wait_op

pytestmark = pytest.mark.gui
PASS = "correct horse battery"


def _type_key(qtbot: QtBot, dialog: NewKeyDialog, folder: Path, name: str | None = None) -> None:
    if name is not None:
        dialog.name.clear()
        qtbot.keyClicks(dialog.name, name)
    qtbot.keyClicks(dialog.passphrase, PASS)
    qtbot.keyClicks(dialog.confirm, PASS)
    dialog.folder.clear()
    qtbot.keyClicks(dialog.folder, str(folder))


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)  # type: ignore[arg-type]


@pytest.fixture
def answer_new_key(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> list[NewKeyDialog]:
    """When the new-key dialog opens, the officer types a passphrase twice and a folder and makes the key."""
    shown: list[NewKeyDialog] = []

    def exec_(dialog: NewKeyDialog) -> int:
        shown.append(dialog)
        dialog.show()
        _type_key(qtbot, dialog, tmp_path / "my keys")
        _click(qtbot, dialog.generate_button)
        wait_op(qtbot, dialog.op)
        _click(qtbot, dialog.close_button)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(NewKeyDialog, "exec", exec_)
    return shown


def test_typed_mistakes_are_named_inline_and_nothing_is_made(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = NewKeyDialog(None, "", tmp_path)
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.generate_button)
    assert dialog.status.text().startswith("Type your name")
    qtbot.keyClicks(dialog.name, "Jane Officer")
    qtbot.keyClicks(dialog.passphrase, "short")
    _click(qtbot, dialog.generate_button)
    assert "too short" in dialog.status.text() and dialog.focusWidget() is dialog.passphrase
    qtbot.keyClicks(dialog.passphrase, " but long enough")
    qtbot.keyClicks(dialog.confirm, "short but long enougH")
    _click(qtbot, dialog.generate_button)
    assert dialog.status.text() == "The two passphrases differ; type the same passphrase twice."
    assert dialog.op is None and not list(tmp_path.iterdir())


def test_a_key_pair_is_made_with_its_fingerprint_shown(qtbot: QtBot, tmp_path: Path) -> None:
    dialog = NewKeyDialog(None, "Jane Officer", tmp_path / "new folder")
    qtbot.addWidget(dialog)
    dialog.show()
    _type_key(qtbot, dialog, tmp_path / "new folder")
    _click(qtbot, dialog.generate_button)
    wait_op(qtbot, dialog.op)
    assert dialog.files is not None
    public = tmp_path / "new folder" / "jane-officer.pub.pem"
    assert dialog.files.public_key == public and (tmp_path / "new folder" / "jane-officer.key").is_file()
    assert dialog.fingerprint.text() == fingerprint(load_public_key(public)) == dialog.files.fingerprint
    assert "default signing key" in dialog.status.text()
    assert dialog.passphrase.text() == ""  # not kept in the window

    again = NewKeyDialog(None, "Jane Officer", tmp_path / "new folder")
    qtbot.addWidget(again)
    _type_key(qtbot, again, tmp_path / "new folder")
    _click(qtbot, again.generate_button)
    wait_op(qtbot, again.op, "failed")
    assert again.status.text().startswith("No key pair was made.") and "exists already" in again.status.text()
    assert "--" not in again.status.text()  # a window message never refers to the command line


def test_preferences_make_a_key_and_set_it_as_the_default(
    qtbot: QtBot, window: MainWindow, answer_new_key: list[NewKeyDialog], tmp_path: Path
) -> None:
    current: dict[str, int | str] = {s.key: window.settings.get(s) for s in (*USER_SETTINGS, *TEXT_SETTINGS)}
    dialog = PreferencesDialog(window, current)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.edits[OFFICER_NAME.key], "Jane Officer")
    _click(qtbot, dialog.new_key_button)
    assert answer_new_key and answer_new_key[0].name.text() == "Jane Officer"  # the name typed above
    key = tmp_path / "my keys" / "jane-officer.key"
    assert dialog.edits[DEFAULT_KEY_PATH.key].text() == str(key)
    files = answer_new_key[0].files
    assert files is not None and files.fingerprint in dialog.key_note.text()
    _click(qtbot, dialog.findChild(QDialogButtonBox).button(QDialogButtonBox.StandardButton.Ok))
    window.apply_preferences(dialog.values())
    assert window.settings.get(DEFAULT_KEY_PATH) == str(key)

    current = {s.key: window.settings.get(s) for s in (*USER_SETTINGS, *TEXT_SETTINGS)}
    reopened = PreferencesDialog(window, current)  # the next time: which key signs, by its fingerprint
    qtbot.addWidget(reopened)
    reopened.show()
    assert reopened.key_note.isVisible() and reopened.key_note.text() == f"Fingerprint: {files.fingerprint}"
    field = reopened.edits[DEFAULT_KEY_PATH.key]
    field.clear()
    qtbot.keyClicks(field, str(tmp_path / "elsewhere.key"))
    assert not reopened.key_note.isVisible()


def test_determine_and_sign_with_a_key_made_in_the_dialog(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, answer_new_key: list[NewKeyDialog], tmp_path: Path
) -> None:
    stored: list[str] = []
    dialog = DetermineDialog(listed_window, listed_wb, "EC-2026-0044", "", stored.append)
    qtbot.addWidget(dialog)
    wait_op(qtbot, dialog.prepare())
    _click(qtbot, dialog.new_key_button)
    key = tmp_path / "my keys" / "test-officer.key"  # named after the session's officer
    assert dialog.key_path.text() == str(key) and stored == [str(key)]
    assert "now your default key" in dialog.status.text()
    qtbot.keyClicks(dialog.passphrase, PASS)
    dialog.out_path.setText(str(tmp_path / "signed.xlsx"))
    if dialog.override.isEnabled():
        qtbot.keyClicks(dialog.override, "Reviewed with the export manager")
    _click(qtbot, dialog.sign_button)
    wait_op(qtbot, dialog.op)
    files = answer_new_key[0].files
    assert dialog.signed is not None and files is not None
    assert dialog.signed.fingerprint == files.fingerprint


def test_the_main_window_keeps_a_key_made_while_signing_as_the_default(
    qtbot: QtBot,
    listed_window: MainWindow,
    answer_new_key: list[NewKeyDialog],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    def exec_(dialog: DetermineDialog) -> int:
        _click(qtbot, dialog.new_key_button)
        return int(QDialog.DialogCode.Rejected)

    monkeypatch.setattr(DetermineDialog, "exec", exec_)
    listed_window.open_case("EC-2026-0044")
    assert listed_window.determine_current() is None  # closed without signing
    assert listed_window.settings.get(DEFAULT_KEY_PATH) == str(tmp_path / "my keys" / "test-officer.key")


@pytest.mark.parametrize("typed", ["/", ".key", "/tmp/.key", "x.key", "~", "\x00.key", "a" * 5000 + ".key"])
def test_any_typed_key_path_is_harmless(typed: str) -> None:
    assert key_fingerprint(Path(typed)) is None
