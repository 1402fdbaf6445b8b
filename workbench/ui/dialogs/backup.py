"""The backup question on quitting: back up (into a folder the officer picks), quit without one, or cancel.

Cancel and Escape keep the window open: a question on the way out must never be a second way to quit.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.ui.models.rows import BAD
from workbench.ui.palette import css


class BackupChoice(Enum):
    BACKUP = "backup"
    QUIT = "quit"
    CANCEL = "cancel"


@dataclass(frozen=True)
class BackupAnswer:
    choice: BackupChoice
    folder: Path


class BackupPromptDialog(QDialog):
    def __init__(self, parent: QWidget | None, text: str, folder: Path, title: str = "Backup") -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self._choice = BackupChoice.CANCEL
        self.question = QLabel(text)
        self.question.setWordWrap(True)
        self.folder = QLineEdit(str(folder))
        self.folder.setClearButtonEnabled(True)
        self.browse = QPushButton("Choose…")
        self.browse.clicked.connect(self._browse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {css(BAD)};")
        self.problem.hide()
        row = QHBoxLayout()
        row.addWidget(QLabel("Backup folder:"))
        row.addWidget(self.folder, 1)
        row.addWidget(self.browse)
        self.buttons = QDialogButtonBox()
        self.backup_button = self.buttons.addButton("Back up and quit", QDialogButtonBox.ButtonRole.AcceptRole)
        self.quit_button = self.buttons.addButton("Quit without a backup", QDialogButtonBox.ButtonRole.DestructiveRole)
        self.cancel_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        self.backup_button.setDefault(True)
        self.backup_button.clicked.connect(self._back_up)
        self.quit_button.clicked.connect(self._quit)
        self.cancel_button.clicked.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.question)
        layout.addLayout(row)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(max(self.sizeHint().width(), 560), self.sizeHint().height())

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Backup folder", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def folder_problem(self) -> str | None:
        """Why the typed folder cannot take a backup, in one sentence; None when it can."""
        text = self.folder.text().strip()
        if not text:
            return "Choose the folder the backup goes into."
        path = Path(text).expanduser()
        if path.exists() and not path.is_dir():
            return f"{path} is a file, not a folder; choose a folder for the backup."
        return None

    def _back_up(self) -> None:
        problem = self.folder_problem()
        if problem:
            self.problem.setText(problem)
            self.problem.show()
            self.folder.setFocus()
            return
        self._choice = BackupChoice.BACKUP
        self.accept()

    def _quit(self) -> None:
        self._choice = BackupChoice.QUIT
        self.accept()

    def reject(self) -> None:
        self._choice = BackupChoice.CANCEL
        super().reject()

    def answer(self) -> BackupAnswer:
        return BackupAnswer(self._choice, Path(self.folder.text().strip()).expanduser())
