"""Determine & sign: show what will be signed, unlock the officer's key, write the signed workbook.

Opening the dialog screens the parties afresh and assembles the record (off the GUI
thread) so the officer reads exactly what the signature will cover. Signing stores a new
determination revision and writes the workbook atomically; a wrong passphrase writes nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from html import escape
from pathlib import Path

from PySide6.QtCore import QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.config import data_dir
from workbench.domain.record import DeterminationRecord
from workbench.services import Workbench
from workbench.services.determinations import build_record, determine_and_sign
from workbench.services.reference import SignedWorkbook
from workbench.ui.dialogs.keys import NewKeyDialog
from workbench.ui.messages import describe
from workbench.ui.models.rows import BAD, GOOD, MUTED, WARN
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css

KEY_FILES = "Officer keys (*.key);;All files (*)"
WORKBOOKS = "Excel workbooks (*.xlsx)"


def record_html(record: DeterminationRecord) -> str:
    """The summary of what the signature will cover."""
    d = record.determination
    case = record.case
    open_items = record.open_items
    answered = sum(1 for r in record.red_flags if r.answer != "unanswered")
    flagged = [r for r in record.red_flags if r.answer in {"yes", "unknown"}]
    rows = [
        ("Case", f"{case.reference} — {case.title}"),
        ("Revision", f"{record.revision} (determined by {record.officer})"),
        ("Outcome", record.headline),
        ("As of", f"{d.as_of.isoformat()} · {d.posture.value} posture"),
        ("Parties / items", f"{_count(len(case.parties), 'party', 'parties')}, {_count(len(case.items), 'item')}"),
        ("Findings", str(len(d.findings))),
        ("Screening", f"{len(record.screening)} hits against {record.list_version or 'no list'}"),
        ("Red flags", f"{answered} of {len(record.red_flags)} answered, {len(flagged)} yes or unknown"),
        ("Documents", str(len(case.documents))),
    ]
    table = "".join(
        f"<tr><td style='color:{css(MUTED)}; padding-right:12px'>{escape(k)}</td><td><b>{escape(v)}</b></td></tr>"
        for k, v in rows
    )
    html = f"<table cellpadding='2'>{table}</table>"
    if open_items:
        items = "".join(f"<li>{escape(item)}</li>" for item in open_items)
        html += (
            f"<p style='color:{css(WARN)}'><b>{len(open_items)} open item{'s' if len(open_items) != 1 else ''}.</b> "
            "Resolve them, or sign with a written override reason that the workbook will show.</p>"
            f"<ul>{items}</ul>"
        )
    else:
        html += f"<p style='color:{css(GOOD)}'><b>No open items.</b></p>"
    return html


class DetermineDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        wb: Workbench,
        reference: str,
        default_key: str = "",
        on_default_key: Callable[[str], None] | None = None,
    ) -> None:
        """``on_default_key`` stores a key pair made here as the officer's default (Preferences)."""
        super().__init__(parent)
        self._wb = wb
        self._on_default_key = on_default_key
        self.reference = reference
        self.record: DeterminationRecord | None = None
        self.signed: SignedWorkbook | None = None
        self.op: Op[object] | None = None
        self.setWindowTitle(f"Determine and sign {reference}")
        self.resize(680, 640)
        self.summary = QTextBrowser()
        self.summary.setHtml("<p>Screening the parties and assembling the determination…</p>")
        self.key_path = QLineEdit()
        self.key_path.setPlaceholderText("Your private key file (officer.key)")
        self.key_path.setText(default_key)
        key_browse = QPushButton("Browse…")
        key_browse.clicked.connect(self._browse_key)
        self.new_key_button = QPushButton("New key pair…")
        self.new_key_button.clicked.connect(self.new_key)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.out_path = QLineEdit()
        out_browse = QPushButton("Browse…")
        out_browse.clicked.connect(self._browse_out)
        self.override = QLineEdit()
        self.override.setPlaceholderText("Only when signing despite open items: why")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.buttons = QDialogButtonBox()
        self.sign_button = self.buttons.addButton("Sign and write workbook", QDialogButtonBox.ButtonRole.ActionRole)
        self.folder_button = self.buttons.addButton("Open folder", QDialogButtonBox.ButtonRole.ActionRole)
        self.close_button = self.buttons.addButton(QDialogButtonBox.StandardButton.Close)
        self.sign_button.setEnabled(False)
        self.folder_button.setEnabled(False)
        self.sign_button.clicked.connect(self.sign)
        self.folder_button.clicked.connect(self.open_folder)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("Private &key:", _row(self.key_path, key_browse, self.new_key_button))
        form.addRow("&Passphrase:", self.passphrase)
        form.addRow("&Workbook:", _row(self.out_path, out_browse))
        form.addRow("&Override reason:", self.override)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("<b>What will be signed</b>"))
        layout.addWidget(self.summary, 1)
        layout.addLayout(form)
        layout.addWidget(self.status)
        layout.addWidget(self.buttons)

    def prepare(self) -> Op[DeterminationRecord]:
        """Assemble the record to show (screens the parties; nothing is stored)."""
        wb, reference = self._wb, self.reference

        def work(progress: Progress, cancelled: IsCancelled) -> DeterminationRecord:
            return build_record(wb, reference)

        op: Op[DeterminationRecord] = Op(self, work, title="Prepare determination").success(self._prepared)
        op.failure(self._failed_to_prepare)
        self.op = op  # type: ignore[assignment]
        return op.run()

    def _prepared(self, record: DeterminationRecord) -> None:
        self.record = record
        self.summary.setHtml(record_html(record))
        if not self.out_path.text():
            safe = self.reference.replace("/", "-")
            self.out_path.setText(str(data_dir() / "determinations" / f"{safe}-r{record.revision}.xlsx"))
        self.override.setEnabled(bool(record.open_items))
        self.sign_button.setEnabled(True)

    def _failed_to_prepare(self, exc: BaseException) -> None:
        self.summary.setHtml(f"<p style='color:{css(BAD)}'>{escape(describe(exc))}</p>")

    def sign(self) -> Op[tuple[DeterminationRecord, SignedWorkbook]] | None:
        key = self.key_path.text().strip()
        out = self.out_path.text().strip()
        if not key or not out:
            self._say("Choose your private key file and where to write the workbook.", error=True)
            return None
        passphrase = self.passphrase.text().encode("utf-8") or None
        override = self.override.text().strip() or None
        wb, reference, out_path = self._wb, self.reference, Path(out)

        def work(progress: Progress, cancelled: IsCancelled) -> tuple[DeterminationRecord, SignedWorkbook]:
            out_path.parent.mkdir(parents=True, exist_ok=True)
            return determine_and_sign(
                wb, reference, key_path=Path(key), passphrase=passphrase, out=out_path, override_reason=override
            )

        self.sign_button.setEnabled(False)
        self._say("Signing…")
        op: Op[tuple[DeterminationRecord, SignedWorkbook]] = (
            Op(self, work, title="Determine and sign")
            .success(self._signed)
            .failure(self._sign_failed)
            .with_progress("Screening, checking and writing the signed workbook…")
        )
        self.op = op  # type: ignore[assignment]
        return op.run()

    def _signed(self, result: tuple[DeterminationRecord, SignedWorkbook]) -> None:
        record, signed = result
        self.record, self.signed = record, signed
        self._say(
            f"Revision {record.revision} signed by {signed.signer_name} (key {signed.fingerprint[:16]}…) and "
            f"written to {signed.path}."
        )
        self.folder_button.setEnabled(True)

    def _sign_failed(self, exc: BaseException) -> None:
        self._say(f"Nothing was signed. {describe(exc)}", error=True)
        self.sign_button.setEnabled(True)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.status.setText(text)
        self.status.setStyleSheet(f"color: {css(BAD)}; font-weight: 600;" if error else f"color: {css(GOOD)};")

    def open_folder(self) -> None:
        if self.signed is not None:
            QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.signed.path.parent)))

    def new_key(self) -> None:
        """Make a key pair without leaving the dialog; it signs this determination and may become the default."""
        files, make_default = NewKeyDialog.new_key(self, self._wb.officer)
        if files is None:
            return
        self.key_path.setText(str(files.private_key))
        if make_default and self._on_default_key is not None:
            self._on_default_key(str(files.private_key))
        self._say(
            f"Sign with the new key {files.private_key.name} (fingerprint {files.fingerprint[:16]}…)"
            + (", now your default key." if make_default else ".")
        )
        self.passphrase.setFocus()

    def _browse_key(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Private key", str(Path.home()), KEY_FILES)
        if name:
            self.key_path.setText(name)

    def _browse_out(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Signed workbook", self.out_path.text(), WORKBOOKS)
        if name:
            self.out_path.setText(name)

    @classmethod
    def determine_and_sign(
        cls,
        parent: QWidget | None,
        wb: Workbench,
        reference: str,
        default_key: str = "",
        on_default_key: Callable[[str], None] | None = None,
    ) -> tuple[Path | None, bool]:
        """Run the dialog (key pre-filled from Preferences); returns the workbook written, and whether one was."""
        dialog = cls(parent, wb, reference, default_key, on_default_key)
        dialog.prepare()
        dialog.exec()
        return (dialog.signed.path, True) if dialog.signed else (None, False)


def _count(n: int, one: str, many: str = "") -> str:
    return f"{n} {one if n == 1 else (many or one + 's')}"


def _row(line: QLineEdit, *buttons: QPushButton) -> QWidget:
    box = QWidget()
    layout = QHBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.addWidget(line, 1)
    for button in buttons:
        layout.addWidget(button)
    return box
