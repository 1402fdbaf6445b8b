"""Import a party master or a product master (CSV or XLSX) from the app, off the GUI thread.

The officer picks the file and, where the headers are not the field names, a mapping file; the
import validates every row before it stores any, runs with progress and Cancel (a cancelled import
stores nothing), and the outcome is shown in the dialog: what was created, what was already there,
and for parties the screening of the new ones (optionally as an Excel report), for products the
assistant's proposals against the recorded classifications.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.register_screening import PartyScreeningStatus
from workbench.services import Workbench, products, register_import, register_import_screening
from workbench.services.register_import import ImportReport as PartyImportReport
from workbench.services.register_import_screening import ImportScreening
from workbench.ui import messages
from workbench.ui.ops import Cancelled, IsCancelled, Op, Progress, Work

MASTER_FILES = "Master files (*.csv *.xlsx);;All files (*)"
MAPPING_FILES = "Mapping files (*.json);;All files (*)"
SHOWN_LINES = 200
"""Lines of the outcome shown in the dialog; the Excel report carries every hit."""


class MasterKind(StrEnum):
    PARTIES = "parties"
    PRODUCTS = "products"


@dataclass(frozen=True, slots=True)
class PartyOutcome:
    report: PartyImportReport
    screening: ImportScreening | None
    report_path: Path | None


def party_outcome_lines(outcome: PartyOutcome) -> list[str]:
    report, screening = outcome.report, outcome.screening
    lines = [
        f"Imported {len(report.created):,} of {report.rows:,} rows from {Path(report.source).name} as register "
        f"parties, with {len(report.stakes):,} ownership stakes."
    ]
    for d in report.duplicates[:SHOWN_LINES]:
        where = f"register party {d.existing}" if d.existing else "an earlier row"
        lines.append(f"  row {d.row}: {d.name} not created: {d.why} ({where}).")
    if screening is None:
        lines.append("The new parties were not screened: they stay 'not screened' until the register is screened.")
        return lines
    unresolved = [r for r in screening.results if r.status is PartyScreeningStatus.UNRESOLVED]
    lines.append(
        f"Screened {len(screening.results):,} new parties against {screening.list_label or 'the active list'}: "
        f"{len(unresolved):,} with hits to review, {screening.count(PartyScreeningStatus.CLEAR):,} clear."
    )
    for r in unresolved[:SHOWN_LINES]:
        best = r.hits[0]
        lines.append(
            f"  {r.party.name} ({r.party.country}): {len(r.hits)} hit{'s' if len(r.hits) != 1 else ''}, best "
            f"{best.score:.2f} {best.source_code} {best.entry_name}"
        )
    if screening.not_screened:
        lines.append(
            f"Screening was cancelled: {len(screening.not_screened):,} new parties were not screened and stay "
            "'not screened'; the import itself is stored."
        )
    if outcome.report_path is not None:
        lines.append(f"The screening report was written to {outcome.report_path}.")
    return lines


def product_outcome_lines(report: products.ImportReport) -> list[str]:
    notes = [f"  {note}" for note in report.notes()]
    lines = [report.summary().replace(report.source, Path(report.source).name, 1), *notes[:SHOWN_LINES]]
    if len(notes) > SHOWN_LINES:
        lines.append(f"  … and {len(notes) - SHOWN_LINES:,} more: list the products in conflict to see them all.")
    return lines


class MasterImportDialog(QDialog):
    imported = Signal()
    """Something was stored (the register or the library changed)."""

    def __init__(self, parent: QWidget | None, wb: Workbench, kind: MasterKind) -> None:
        super().__init__(parent)
        self._wb = wb
        self.kind = kind
        self.op: Op[object] | None = None
        what = "party" if kind is MasterKind.PARTIES else "product"
        self.setWindowTitle(f"Import {what} master")
        self.resize(760, 480)
        self.file_edit = QLineEdit()
        self.file_edit.setPlaceholderText("a .csv or .xlsx file with a header row")
        self.mapping_edit = QLineEdit()
        self.mapping_edit.setPlaceholderText("optional: which column holds which field (JSON)")
        form = QFormLayout()
        form.addRow("&File:", self._with_browse(self.file_edit, self._browse_file))
        form.addRow("&Mapping:", self._with_browse(self.mapping_edit, self._browse_mapping))
        self.screen_box = QCheckBox("&Screen the new parties against the active list")
        self.screen_box.setChecked(True)
        self.report_edit = QLineEdit()
        self.report_edit.setPlaceholderText("optional: save the screening report as .xlsx")
        if kind is MasterKind.PARTIES:
            form.addRow("", self.screen_box)
            form.addRow("&Report:", self._with_browse(self.report_edit, self._browse_report))
            self.screen_box.toggled.connect(self.report_edit.setEnabled)
        hint = QLabel(
            "Every row is checked before anything is stored: a bad row is named by row and column and nothing "
            "is imported. Rows already in the "
            + (
                "register (same LEI, or name and country) are reported, not created."
                if kind is MasterKind.PARTIES
                else "library (same part number) refuse the import."
            )
        )
        hint.setWordWrap(True)
        self.outcome = QPlainTextEdit()
        self.outcome.setReadOnly(True)
        self.import_button = QPushButton("&Import")
        self.import_button.setDefault(True)
        self.import_button.clicked.connect(self.start)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.outcome, 1)
        layout.addWidget(buttons)

    def _with_browse(self, edit: QLineEdit, browse: Callable[[], None]) -> QWidget:
        box = QWidget()
        row = QHBoxLayout(box)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(edit, 1)
        button = QPushButton("Browse…")
        button.clicked.connect(browse)
        row.addWidget(button)
        return box

    def _browse_file(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, self.windowTitle(), str(Path.home()), MASTER_FILES)
        if name:
            self.file_edit.setText(name)

    def _browse_mapping(self) -> None:
        name, _ = QFileDialog.getOpenFileName(self, "Column mapping", str(Path.home()), MAPPING_FILES)
        if name:
            self.mapping_edit.setText(name)

    def _browse_report(self) -> None:
        name, _ = QFileDialog.getSaveFileName(self, "Screening report", str(Path.home()), "Excel (*.xlsx)")
        if name:
            self.report_edit.setText(name if name.lower().endswith(".xlsx") else f"{name}.xlsx")

    def _problem(self) -> str:
        path = self.file_edit.text().strip()
        if not path:
            return "Choose the file to import."
        if not Path(path).is_file():
            return f"{path} does not exist; choose the file again."
        mapping = self.mapping_edit.text().strip()
        if mapping and not Path(mapping).is_file():
            return f"The mapping file {mapping} does not exist; choose it again or leave the field empty."
        report = self.report_edit.text().strip()
        if report and self.kind is MasterKind.PARTIES and self.screen_box.isChecked():
            if not report.lower().endswith(".xlsx"):
                return f"The report {report} must be an .xlsx file; give a name ending in .xlsx."
            if not Path(report).parent.is_dir():
                return f"The folder of the report {report} does not exist; create it or choose another."
        return ""

    def start(self) -> Op[object] | None:
        problem = self._problem()
        if problem:
            messages.warning(self, problem)
            return None
        path = Path(self.file_edit.text().strip())
        mapping = Path(self.mapping_edit.text().strip()) if self.mapping_edit.text().strip() else None
        if self.kind is MasterKind.PARTIES:
            screen = self.screen_box.isChecked()
            report_text = self.report_edit.text().strip()
            report_path = Path(report_text) if screen and report_text else None
            work = self._party_work(path, mapping, screen, report_path)
        else:
            work = self._product_work(path, mapping)
        self.import_button.setEnabled(False)
        self.outcome.setPlainText(f"Importing {path.name}…")
        op: Op[object] = (
            Op(self, work, title=self.windowTitle())
            .keeps_result_on_cancel()
            .success(self._done)
            .failure(lambda exc: self._failed(path, exc))
            .cancelled(lambda: self._show([f"The import of {path.name} was cancelled; nothing was stored."]))
            .with_progress(f"Importing {path.name}…")
        )
        op.done.connect(lambda: self.import_button.setEnabled(True))
        self.op = op
        return op.run()

    def _party_work(self, path: Path, mapping: Path | None, screen: bool, report_path: Path | None) -> Work[object]:
        wb = self._wb

        def work(progress: Progress, cancelled: IsCancelled) -> PartyOutcome:
            try:
                report = register_import.import_parties(wb, path, mapping, progress=progress, cancel=cancelled)
            except register_import.Cancelled:
                raise Cancelled from None
            screening = None
            if screen:
                screening = register_import_screening.screen_imported(wb, report, progress, cancelled)
                if report_path is not None:
                    register_import_screening.write_screening_report(report, screening, report_path)
            return PartyOutcome(report, screening, report_path)

        return work

    def _product_work(self, path: Path, mapping: Path | None) -> Work[object]:
        wb = self._wb

        def work(progress: Progress, cancelled: IsCancelled) -> products.ImportReport:
            try:
                return products.import_products(wb, path, mapping, progress=progress, cancel=cancelled)
            except products.ImportCancelled:
                raise Cancelled from None

        return work

    def _done(self, result: object) -> None:
        if isinstance(result, PartyOutcome):
            self._show(party_outcome_lines(result))
        elif isinstance(result, products.ImportReport):
            self._show(product_outcome_lines(result))
        self.imported.emit()

    def _failed(self, path: Path, exc: BaseException) -> None:
        self._show([f"{path.name} was not imported: {messages.describe(exc)}"])
        messages.error(self, f"{path.name} was not imported.", exc=exc)

    def _show(self, lines: list[str]) -> None:
        self.outcome.setPlainText("\n".join(lines))
