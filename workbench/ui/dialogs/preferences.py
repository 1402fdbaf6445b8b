"""Preferences: the user settings declared in ``workbench.ui.settings``, one spin box each."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QSpinBox, QVBoxLayout, QWidget

from workbench.ui.settings import USER_SETTINGS, Setting


class PreferencesDialog(QDialog):
    def __init__(self, parent: QWidget | None, values: dict[str, int]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.spins: dict[str, QSpinBox] = {}
        form = QFormLayout()
        for setting in USER_SETTINGS:
            spin = QSpinBox()
            spin.setRange(setting.minimum, setting.maximum)
            spin.setValue(values.get(setting.key, setting.default))
            self.spins[setting.key] = spin
            form.addRow(setting.title + ":", spin)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def values(self) -> dict[str, int]:
        return {key: spin.value() for key, spin in self.spins.items()}

    @classmethod
    def get_preferences(cls, parent: QWidget | None, values: dict[str, int]) -> tuple[dict[str, int], bool]:
        dialog = cls(parent, values)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return values, False
        return dialog.values(), True


def get_preferences(parent: QWidget | None, values: dict[str, int]) -> tuple[dict[str, int], bool]:
    """Edit the user settings; returns the new values and whether the officer pressed OK."""
    return PreferencesDialog.get_preferences(parent, values)


def setting_by_key(key: str) -> Setting[int]:
    return next(s for s in USER_SETTINGS if s.key == key)
