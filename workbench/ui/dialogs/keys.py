"""New officer key pair: name, passphrase twice, folder; shows the fingerprint and offers it as the default key.

The key is made by the same service as ``keys generate`` (Ed25519, the private key sealed with the
passphrase); the dialog only checks what was typed, inline, before asking for it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.config import data_dir
from workbench.services.determinations import MIN_PASSPHRASE, KeyPairFiles, generate_officer_keys
from workbench.ui.messages import describe
from workbench.ui.models.rows import BAD, GOOD
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css


def default_key_folder() -> Path:
    return data_dir() / "keys"


class NewKeyDialog(QDialog):
    def __init__(self, parent: QWidget | None, name: str = "", folder: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("New officer key pair")
        self.files: KeyPairFiles | None = None
        self.op: Op[KeyPairFiles] | None = None
        self.name = QLineEdit(name)
        self.name.setPlaceholderText("Your name, as it will appear on signatures")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(f"at least {MIN_PASSPHRASE} characters")
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.folder = QLineEdit(str(folder or default_key_folder()))
        browse = QPushButton("Choose…")
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.make_default = QCheckBox("Use it as my default signing key")
        self.make_default.setChecked(True)
        self.fingerprint = QLineEdit()
        self.fingerprint.setReadOnly(True)
        self.fingerprint.setPlaceholderText("shown once the key pair is made")
        self.status = QLabel(
            "Share the public key (.pub.pem) and its fingerprint with whoever verifies your determinations; "
            "keep the private key (.key) and its passphrase to yourself."
        )
        self.status.setWordWrap(True)
        form = QFormLayout()
        form.addRow("&Name:", self.name)
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("&Repeat passphrase:", self.confirm)
        form.addRow("&Folder:", folder_row)
        form.addRow("", self.make_default)
        form.addRow("Fingerprint:", self.fingerprint)
        self.buttons = QDialogButtonBox()
        self.generate_button = self.buttons.addButton("Make key pair", QDialogButtonBox.ButtonRole.ActionRole)
        self.generate_button.setDefault(True)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.generate_button.clicked.connect(self.generate)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)
        self.resize(max(600, self.sizeHint().width()), self.sizeHint().height())

    def problem(self) -> tuple[str, QLineEdit] | None:
        """What is wrong with the typed values, in one sentence, and the field to fix; None when all is well."""
        name = self.name.text().strip()
        if not name or len(name) > 200:
            return "Type your name (1 to 200 characters), as it will appear on your signatures.", self.name
        if len(self.passphrase.text()) < MIN_PASSPHRASE:
            return f"The passphrase is too short; use at least {MIN_PASSPHRASE} characters.", self.passphrase
        if self.confirm.text() != self.passphrase.text():
            return "The two passphrases differ; type the same passphrase twice.", self.confirm
        folder = Path(self.folder.text().strip()).expanduser()
        if not self.folder.text().strip():
            return "Choose the folder for the key files.", self.folder
        if folder.exists() and not folder.is_dir():
            return f"{folder} is a file, not a folder; choose a folder for the key files.", self.folder
        return None

    def generate(self) -> Op[KeyPairFiles] | None:
        problem = self.problem()
        if problem is not None:
            text, field = problem
            self._say(text, error=True)
            field.setFocus()
            return None
        name = self.name.text().strip()
        passphrase = self.passphrase.text().encode("utf-8")
        folder = Path(self.folder.text().strip()).expanduser()

        def work(progress: Progress, cancelled: IsCancelled) -> KeyPairFiles:
            folder.mkdir(parents=True, exist_ok=True)
            return generate_officer_keys(name, folder, passphrase)

        self.generate_button.setEnabled(False)
        self._say("Making the key pair…")
        op: Op[KeyPairFiles] = Op(self, work, title="New key pair").success(self._made).failure(self._failed)
        self.op = op
        return op.run()

    def _made(self, files: KeyPairFiles) -> None:
        self.files = files
        self.passphrase.clear()
        self.confirm.clear()
        self.fingerprint.setText(files.fingerprint)
        self.fingerprint.setCursorPosition(0)
        default = " It is now your default signing key." if self.make_default.isChecked() else ""
        self._say(f"Made {files.private_key.name} and {files.public_key.name} in {files.private_key.parent}.{default}")
        self.make_default.setEnabled(False)
        self.close_button.setFocus()

    def _failed(self, exc: BaseException) -> None:
        self._say(f"No key pair was made. {describe(exc)}", error=True)
        self.generate_button.setEnabled(True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {css(BAD)}; font-weight: 600;" if error else f"color: {css(GOOD)};")

    def _browse(self) -> None:
        chosen = QFileDialog.getExistingDirectory(self, "Folder for the key files", self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    @classmethod
    def new_key(
        cls, parent: QWidget | None, name: str = "", folder: Path | None = None
    ) -> tuple[KeyPairFiles | None, bool]:
        """Run the dialog; returns the key pair made (or None) and whether it is to be the default key."""
        dialog = cls(parent, name, folder)
        dialog.exec()
        return dialog.files, dialog.files is not None and dialog.make_default.isChecked()
