"""Asks for the reason an action needs (kept in the audit trail); a missing one is said in the dialog."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from workbench.ui.models.rows import BAD
from workbench.ui.palette import css


class ReasonDialog(QDialog):
    def __init__(self, parent: QWidget | None, prompt: str, *, minimum: int = 1) -> None:
        super().__init__(parent)
        self.setWindowTitle("Reason")
        self._minimum = minimum
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("A few words an auditor can follow")
        self.reason.setMaxLength(500)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {css(BAD)};")
        self.message.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.reason.textEdited.connect(lambda _text: self.message.hide())
        prompt_label = QLabel(prompt)
        prompt_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt_label)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)

    def text(self) -> str:
        return self.reason.text().strip()

    def accept(self) -> None:
        """Close only with a reason; otherwise say what is missing under the field."""
        if len(self.text()) < self._minimum:
            least = f" (at least {self._minimum} characters)" if self._minimum > 1 else ""
            self.message.setText(f"Give the reason in a few words{least}; it is kept in the audit trail.")
            self.message.show()
            self.reason.setFocus()
            return
        super().accept()


def ask_reason(parent: QWidget | None, prompt: str, *, minimum: int = 1) -> tuple[str, bool]:
    """The reason typed and whether the officer went ahead; ``minimum`` is the service's own rule."""
    dialog = ReasonDialog(parent, prompt, minimum=minimum)
    accepted = dialog.exec() == QDialog.DialogCode.Accepted
    return dialog.text(), accepted
