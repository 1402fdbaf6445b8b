"""Preferences: the user settings declared in ``workbench.ui.settings`` (spin boxes and line edits)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import urlsplit

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from workbench.config import ENV_DB
from workbench.services.determinations import key_fingerprint
from workbench.ui.dialogs.keys import NewKeyDialog
from workbench.ui.models.rows import BAD
from workbench.ui.palette import css
from workbench.ui.settings import (
    DATABASE_URL,
    DEFAULT_KEY_PATH,
    OFFICER_NAME,
    TEXT_SETTINGS,
    USER_SETTINGS,
    Setting,
)

Values = dict[str, int | str]


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, values: Mapping[str, int | str]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.spins: dict[str, QSpinBox] = {}
        self.edits: dict[str, QLineEdit] = {}
        form = QFormLayout()
        for text_setting in TEXT_SETTINGS:
            edit = QLineEdit(str(values.get(text_setting.key, text_setting.default)))
            edit.setClearButtonEnabled(True)
            self.edits[text_setting.key] = edit
            if text_setting is DEFAULT_KEY_PATH:
                browse = QPushButton("Browse…")
                browse.clicked.connect(self._browse_key)
                self.new_key_button = QPushButton("New key pair…")
                self.new_key_button.clicked.connect(self.new_key)
                row = QHBoxLayout()
                row.addWidget(edit, 1)
                row.addWidget(browse)
                row.addWidget(self.new_key_button)
                form.addRow(text_setting.title + ":", row)
                self.key_note = QLabel()
                self.key_note.setWordWrap(True)
                self.key_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
                self.key_note.hide()
                form.addRow("", self.key_note)
                edit.textChanged.connect(lambda _text: self._show_key_fingerprint())
            else:
                form.addRow(text_setting.title + ":", edit)
        self.edits[DATABASE_URL.key].setPlaceholderText("the default SQLite file in the data directory")
        self._show_key_fingerprint()
        override = os.environ.get(ENV_DB)
        self.db_note = QLabel(
            f"{ENV_DB} is set ({override}) and overrides this; --db overrides both."
            if override
            else f"Used at the next start unless --db or {ENV_DB} names another database."
        )
        self.db_note.setWordWrap(True)
        self.db_note.setStyleSheet("color: palette(placeholder-text);")
        form.addRow("", self.db_note)
        for setting in USER_SETTINGS:
            spin = QSpinBox()
            spin.setRange(setting.minimum, setting.maximum)
            raw = values.get(setting.key, setting.default)
            spin.setValue(raw if isinstance(raw, int) else setting.default)
            self.spins[setting.key] = spin
            form.addRow(setting.title + ":", spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def accept(self) -> None:
        """Refuse a database URL with a password in it: Preferences are stored as plain text."""
        url = self.edits[DATABASE_URL.key].text().strip()
        if url_has_password(url):
            self.db_note.setText(
                "The database URL contains a password, and Preferences are stored as plain text. Remove it from "
                "the URL and put it in ~/.pgpass (or the file PGPASSFILE names), which PostgreSQL reads itself."
            )
            self.db_note.setStyleSheet(f"color: {css(BAD)};")
            self.edits[DATABASE_URL.key].setFocus()
            return
        super().accept()

    def new_key(self) -> None:
        """Make a key pair in the window; the new private key becomes the default when the officer says so."""
        files, make_default = NewKeyDialog.new_key(self, self.edits[OFFICER_NAME.key].text().strip())
        if files is None:
            return
        if make_default:
            self.edits[DEFAULT_KEY_PATH.key].setText(str(files.private_key))
        self.key_note.setText(
            f"New key {files.private_key.name}, fingerprint {files.fingerprint}"
            + ("; it is the default signing key once you press OK." if make_default else ".")
        )
        self.key_note.show()

    def _show_key_fingerprint(self) -> None:
        """The default key's fingerprint (from the .pub.pem beside it), so the officer knows which key signs."""
        text = self.edits[DEFAULT_KEY_PATH.key].text().strip()
        found = key_fingerprint(Path(text).expanduser()) if text else None
        self.key_note.setText(f"Fingerprint: {found}" if found else "")
        self.key_note.setVisible(found is not None)

    def _browse_key(self) -> None:
        edit = self.edits[DEFAULT_KEY_PATH.key]
        name, _ = QFileDialog.getOpenFileName(
            self, "Default signing key", edit.text(), "Keys (*.pem *.key);;All files (*)"
        )
        if name:
            edit.setText(name)

    def values(self) -> Values:
        out: Values = {key: edit.text().strip() for key, edit in self.edits.items()}
        out.update({key: spin.value() for key, spin in self.spins.items()})
        return out

    @classmethod
    def get_preferences(cls, parent: QWidget | None, values: Mapping[str, int | str]) -> tuple[Values, bool]:
        dialog = cls(parent, values)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return dict(values), False
        return dialog.values(), True


def get_preferences(parent: QWidget | None, values: Mapping[str, int | str]) -> tuple[Values, bool]:
    """Edit the user settings; returns the new values and whether the officer pressed OK."""
    return PreferencesDialog.get_preferences(parent, values)


def url_has_password(url: str) -> bool:
    try:
        return bool(urlsplit(url).password)
    except ValueError:  # an unparsable URL is reported when it is used
        return False


def setting_by_key(key: str) -> Setting[int]:
    return next(s for s in USER_SETTINGS if s.key == key)


def text_setting_by_key(key: str) -> Setting[str] | None:
    return next((s for s in TEXT_SETTINGS if s.key == key), None)
