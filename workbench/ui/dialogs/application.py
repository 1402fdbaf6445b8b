"""The Draft application dialog: the BIS-748P blocks of a case, what is still missing, and the files.

The draft is built from the stored case when the dialog opens; the files (workbook, JSON,
BIS-711 statement, NAC notification) are written off the GUI thread, all or none.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Literal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSplitter,
    QTableView,
    QTreeView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.applications import DraftFiles, draft_application, draft_nac, write_application_files
from workbench.ui import messages
from workbench.ui.models.licences import BlockRow, BlocksModel, FieldRow, MissingModel
from workbench.ui.models.rows import BAD, GOOD
from workbench.ui.ops import Op
from workbench.ui.palette import css

Bis711Scope = Literal["single", "multiple"]


def file_names(reference: str) -> dict[str, str]:
    """The file name of each output, prefixed with the case reference (``/`` is not allowed in names)."""
    safe = reference.replace("/", "-")
    return {
        "xlsx": f"{safe}-bis748p.xlsx",
        "json": f"{safe}-bis748p.json",
        "bis711": f"{safe}-bis711.docx",
        "nac": f"{safe}-nac-notification.json",
    }


class ApplicationDialog(QDialog):
    files_written = Signal(list)
    """The paths written, after a successful write."""

    def __init__(self, parent: QWidget | None, wb: Workbench, reference: str, prepared_on: date | None = None) -> None:
        """Build the draft of case ``reference``; raises ``WorkbenchError`` (e.g. an unknown case)."""
        super().__init__(parent)
        self._wb = wb
        self.reference = reference
        self.prepared_on = prepared_on or date.today()
        draft = draft_application(wb, reference, prepared_on=self.prepared_on)
        blocks = [
            BlockRow(b.label, tuple(FieldRow(f.name, f.value, f.missing, f.note) for f in b.fields))
            for b in draft.blocks
        ]
        self.missing = [(m.block, m.field, m.why) for m in draft.missing]
        self.setWindowTitle(f"Licence application draft: {reference}")
        self.resize(980, 680)

        self.blocks = BlocksModel(blocks, self)
        self.tree = QTreeView()
        self.tree.setModel(self.blocks)
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        self.tree.setColumnWidth(BlocksModel.Column.FIELD, 390)
        self.tree.setColumnWidth(BlocksModel.Column.VALUE, 320)
        self.tree.expandAll()
        self.missing_model = MissingModel(self)
        self.missing_model.set_missing(self.missing)
        self.missing_table = QTableView()
        self.missing_table.setModel(self.missing_model)
        self.missing_table.verticalHeader().setVisible(False)
        self.missing_table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.missing_table.horizontalHeader().setDefaultAlignment(Qt.AlignmentFlag.AlignLeft)
        self.missing_table.setWordWrap(False)
        self.missing_table.horizontalHeader().setStretchLastSection(True)
        self.missing_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)

        count = len(self.missing)
        summary = (
            f"{count} required field{'s' if count != 1 else ''} still missing: add them to the case or on SNAP-R."
            if count
            else "Every required field is filled from the case."
        )
        self.summary = QLabel(summary)
        self.summary.setStyleSheet(f"color: {css(BAD)}; font-weight: 600;" if count else f"color: {css(GOOD)};")

        self.want_json = QCheckBox("JSON copy of the draft")
        self.want_bis711 = QCheckBox("BIS-711 statement (DOCX)")
        self.want_json.setChecked(True)
        self.want_bis711.setChecked(True)
        self.bis711_scope = QComboBox()
        self.bis711_scope.addItem("for this transaction", "single")
        self.bis711_scope.addItem("for multiple transactions", "multiple")
        self.want_nac = QCheckBox("NAC notification draft (JSON)")
        self._offer_nac(wb)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.write_button = self.buttons.addButton("Write files…", QDialogButtonBox.ButtonRole.ActionRole)
        self.write_button.clicked.connect(self.choose_folder)
        self.buttons.rejected.connect(self.reject)
        self._layout(blocks_label=f"BIS-748P blocks prepared {self.prepared_on.isoformat()}")

    def _layout(self, blocks_label: str) -> None:
        top = QWidget()
        top_layout = QVBoxLayout(top)
        top_layout.setContentsMargins(0, 0, 0, 0)
        top_layout.addWidget(QLabel(f"<b>{blocks_label}</b>"))
        top_layout.addWidget(self.tree)
        bottom = QWidget()
        bottom_layout = QVBoxLayout(bottom)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addWidget(self.summary)
        bottom_layout.addWidget(self.missing_table)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(top)
        splitter.addWidget(bottom)
        splitter.setSizes([420, 200])
        files = QHBoxLayout()
        files.addWidget(QLabel("Also write:"))
        files.addWidget(self.want_json)
        files.addWidget(self.want_bis711)
        files.addWidget(self.bis711_scope)
        files.addWidget(self.want_nac)
        files.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addLayout(files)
        layout.addWidget(self.buttons)
        self.want_bis711.toggled.connect(self.bis711_scope.setEnabled)

    def _offer_nac(self, wb: Workbench) -> None:
        """Offer the NAC notification only when the case qualifies, and say why not otherwise."""
        try:
            draft_nac(wb, self.reference, prepared_on=self.prepared_on)
        except WorkbenchError as exc:
            self.want_nac.setEnabled(False)
            self.want_nac.setToolTip(messages.describe(exc))
        else:
            self.want_nac.setChecked(True)
            self.want_nac.setToolTip("The case qualifies for a License Exception NAC notification.")

    def targets(self, folder: Path) -> dict[str, Path]:
        """The files a write into ``folder`` produces, keyed like ``file_names``."""
        names = file_names(self.reference)
        wanted = {"xlsx": True, "json": self.want_json.isChecked(), "bis711": self.want_bis711.isChecked()}
        wanted["nac"] = self.want_nac.isEnabled() and self.want_nac.isChecked()
        return {key: folder / names[key] for key, on in wanted.items() if on}

    def choose_folder(self) -> Op[DraftFiles] | None:
        folder = QFileDialog.getExistingDirectory(self, "Write the application files to", str(Path.home()))
        return self.write_files(Path(folder)) if folder else None

    def write_files(self, folder: Path) -> Op[DraftFiles] | None:
        """Write the chosen files into ``folder`` off the GUI thread (asks before replacing any)."""
        targets = self.targets(folder)
        existing = [p.name for p in targets.values() if p.exists()]
        if existing and not messages.ask(self, f"Replace {', '.join(existing)} in {folder}?", "Replace files"):
            return None
        wb, reference, day = self._wb, self.reference, self.prepared_on
        scope: Bis711Scope = "multiple" if self.bis711_scope.currentData() == "multiple" else "single"
        self.write_button.setEnabled(False)
        op = (
            Op(
                self,
                lambda progress, cancelled: write_application_files(
                    wb,
                    reference,
                    xlsx=targets["xlsx"],
                    json_path=targets.get("json"),
                    bis711=targets.get("bis711"),
                    nac=targets.get("nac"),
                    prepared_on=day,
                    bis711_scope=scope,
                ),
                title="Write application files",
            )
            .success(self._written)
            .with_progress(f"Writing the application files for {reference}…")
        )
        op.done.connect(lambda: self.write_button.setEnabled(True))
        return op.run()

    def _written(self, result: DraftFiles) -> None:
        names = "\n".join(f"  {p.name}" for p in result.written)
        folder = result.written[0].parent if result.written else ""
        messages.info(self, f"Wrote {len(result.written)} files to {folder}:\n{names}", "Application files")
        self.files_written.emit(list(result.written))


def show_application(parent: QWidget | None, wb: Workbench, reference: str) -> None:
    """Show the application draft for case ``reference``; an unknown or unreadable case goes to the funnel."""
    try:
        dialog = ApplicationDialog(parent, wb, reference)
    except WorkbenchError as exc:
        messages.error(parent, f"No application draft for {reference}.", exc=exc)
        return
    dialog.exec()
    dialog.deleteLater()
