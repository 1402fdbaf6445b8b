"""File ▸ Verify determination…: check any signed workbook and say plainly whether it is intact."""

from __future__ import annotations

from html import escape
from pathlib import Path

from PySide6.QtWidgets import (
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

from workbench.domain.determination import outcome_label
from workbench.services.determinations import verify
from workbench.services.reference import VerificationResult
from workbench.ui.messages import describe
from workbench.ui.models.rows import BAD, WARN
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css

WORKBOOKS = "Signed workbooks (*.xlsx);;All files (*)"
PUBLIC_KEYS = "Public keys (*.pem);;All files (*)"
_HEADLINES = {
    "intact": ("Intact, signed by the given key", "#dcfce7", "#14532d"),
    "unconfirmed": ("Signer unconfirmed: exactly as signed, but no public key confirms it", "#fef3c7", "#78350f"),
    "old_format": ("Cannot be confirmed: signed in the earlier format", "#fee2e2", "#7f1d1d"),
    "tampered": ("Tampered: the workbook was changed after it was signed", "#fee2e2", "#7f1d1d"),
    "wrong_key": ("Not signed by the given key", "#fee2e2", "#7f1d1d"),
    "not_signed": ("Not a signed determination", "#fef3c7", "#78350f"),
}


def verdict_html(result: VerificationResult) -> str:
    headline, _background, colour = _HEADLINES.get(result.status, (result.status, "", "#000"))
    parts = [f"<p style='font-size:15pt; font-weight:600; color:{colour}'>{escape(headline)}</p>"]
    parts.append(f"<p>{escape(result.message)}</p>")
    details = [
        ("Case", result.case_reference),
        ("Revision", str(result.revision) if result.revision else None),
        ("Outcome", outcome_label(result.outcome) or None),
        ("Signed by", result.signer_name),
        ("Signed at", result.signed_at.isoformat(timespec="seconds") if result.signed_at else None),
        ("Key fingerprint", result.fingerprint),
        ("First difference", result.first_difference),
        ("Changed parts", ", ".join(result.changed_parts) if result.changed_parts else None),
    ]
    rows = "".join(f"<tr><td style='padding-right:10px'>{k}</td><td>{escape(v)}</td></tr>" for k, v in details if v)
    if rows:
        parts.append(f"<table>{rows}</table>")
    if result.status == "unconfirmed":
        parts.append(
            f"<p style='color:{css(WARN)}'>Checked against the key embedded in the workbook only, which anyone can "
            f"make: compare the fingerprint {escape(result.fingerprint or '')} with the officer's published one, or "
            "choose the signer's public key to confirm who signed it.</p>"
        )
    return "".join(parts)


class VerifyDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, path: Path | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Verify a signed determination")
        self.resize(620, 380)
        self.verification: VerificationResult | None = None
        self.op: Op[VerificationResult] | None = None
        self.workbook = QLineEdit(str(path) if path else "")
        self.public_key = QLineEdit()
        self.public_key.setPlaceholderText("Optional: the signer's public key (.pub.pem)")
        self.verdict = QLabel("Choose a workbook and press Verify.")
        self.verdict.setWordWrap(True)
        self.verdict.setMinimumHeight(140)
        self.verify_button = QPushButton("&Verify")
        self.verify_button.setDefault(True)
        self.verify_button.clicked.connect(self.verify)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.verify_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Workbook:", _browse_row(self.workbook, "Signed workbook", WORKBOOKS))
        form.addRow("&Public key:", _browse_row(self.public_key, "Public key", PUBLIC_KEYS))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.verdict, 1)
        layout.addWidget(buttons)

    def verify(self) -> Op[VerificationResult] | None:
        workbook = self.workbook.text().strip()
        if not workbook:
            self._show_problem("Choose the workbook to verify.")
            return None
        key = self.public_key.text().strip()
        path, public_key = Path(workbook), Path(key) if key else None

        def work(progress: Progress, cancelled: IsCancelled) -> VerificationResult:
            return verify(path, public_key)

        self.verdict.setText("Verifying…")
        self.op = Op(self, work, title="Verify workbook").success(self._verified).failure(self._failed)
        return self.op.run()

    def _verified(self, result: VerificationResult) -> None:
        self.verification = result
        _headline, background, colour = _HEADLINES.get(result.status, ("", "#ffffff", "#000"))
        self.verdict.setStyleSheet(f"background-color: {background}; border: 1px solid {colour}; padding: 8px;")
        self.verdict.setText(verdict_html(result))

    def _failed(self, exc: BaseException) -> None:
        self.verification = None
        self._show_problem(describe(exc))

    def _show_problem(self, text: str) -> None:
        self.verdict.setStyleSheet(f"color: {css(BAD)}; padding: 8px;")
        self.verdict.setText(escape(text))

    @classmethod
    def verify_workbook(
        cls, parent: QWidget | None, path: Path | None = None
    ) -> tuple[VerificationResult | None, bool]:
        dialog = cls(parent, path)
        dialog.exec()
        return dialog.verification, dialog.verification is not None


def _browse_row(line: QLineEdit, title: str, filters: str) -> QWidget:
    def browse() -> None:
        name, _ = QFileDialog.getOpenFileName(line, title, line.text() or str(Path.home()), filters)
        if name:
            line.setText(name)

    button = QPushButton("Browse…")
    button.clicked.connect(browse)
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(line, 1)
    layout.addWidget(button)
    return box
