"""The Documents panel: attached files with their integrity, warnings, a verified preview; attach and remove.

Attaching saves the document on the stored case at once (the file is checked and stored
by content); the editor then takes the stored case as its base, keeping unsaved edits.
Every preview and every open re-hashes the stored file first and refuses a changed one.
"""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDropEvent, QPixmap, QResizeEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.config import data_dir
from workbench.domain.case import DocumentRecord
from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.services.checks import check_case
from workbench.services.docreading import (
    Preread,
    SuggestionField,
    not_recorded,
    read_candidate,
    stored_suggestions,
)
from workbench.services.documents import (
    AttachResult,
    attach_document,
    case_document_issues,
    case_expiring,
    copy_document,
    expiring_text,
    list_documents,
    remove_document,
    update_document,
    verify_documents,
)
from workbench.services.reference import DocumentPreview, document_preview
from workbench.ui import messages
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.dialogs import reason as reason_dialog
from workbench.ui.dialogs.document import KIND_LABELS, get_document_changes, get_document_metadata
from workbench.ui.models.rows import BAD, GOOD, MUTED, Cell, RowsModel, cell
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css
from workbench.ui.widgets.pdfpreview import PdfPreview

DOCUMENT_FILES = "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"


class Column(IntEnum):
    POSITION = 0
    KIND = 1
    FILE = 2
    ISSUER = 3
    SIGNED = 4
    VALID_UNTIL = 5
    INTEGRITY = 6


_HEADERS = ("#", "Kind", "File", "Issuer", "Signed", "Valid until", "Integrity")


@dataclass(frozen=True, slots=True)
class Loaded:
    documents: tuple[tuple[DocumentRecord, str, str], ...]
    """Each record with its integrity status value and its sentence."""
    issues: tuple[str, ...]


def _row(position: int, record: DocumentRecord, status: str, status_text: str) -> tuple[Cell, ...]:
    intact = status == "ok"
    integrity = cell(
        "Verified" if intact else status.replace("_", " ").upper(),
        status_text,
        colour=GOOD if intact else (MUTED if status == "no_file" else BAD),
        bold=not intact and status != "no_file",
    )
    return (
        cell(str(position), right=True),
        cell(KIND_LABELS.get(record.kind, record.kind.value)),
        cell(record.filename),
        cell(record.issuer),
        cell(record.signed_date.isoformat() if record.signed_date else ""),
        cell(record.valid_until.isoformat() if record.valid_until else ""),
        integrity,
    )


def ask_reason(parent: QWidget, label: str) -> tuple[str, bool]:
    """Ask for a one-line reason, refused inline while missing (tests replace this function)."""
    return reason_dialog.ask_reason(parent, label)


class DocumentsPanel(QWidget):
    documents_changed = Signal()
    """A document was attached or removed (the stored case changed)."""

    def __init__(
        self, wb: Workbench, editor: CaseEditor, parent: QWidget | None = None, *, expiry_days: int | None = None
    ) -> None:
        super().__init__(parent)
        self._wb = wb
        self._editor = editor
        self.expiry_days = expiry_days
        """Flag documents expiring within this many days of today (None: the services' default), as the Dashboard."""
        self.reference = editor.reference
        self.op: Op[Any] | None = None
        self.setAcceptDrops(True)
        self.attach_button = QPushButton("&Attach file…")
        self.open_button = QPushButton("&Open")
        self.edit_button = QPushButton("&Edit record…")
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button = QPushButton("&Remove…")
        self.verify_button = QPushButton("&Verify all")
        self.attach_button.clicked.connect(self.attach)
        self.open_button.clicked.connect(self.open_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.verify_button.clicked.connect(self.refresh)
        self.model = RowsModel(_HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(Column.FILE, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self.preview_selected())
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        self.issues = QListWidget()
        self.issues.setWordWrap(True)
        self.preview_title = QLabel()
        self.preview_title.setWordWrap(True)
        self.image = QLabel()
        self.image.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.text = QPlainTextEdit()
        self.text.setReadOnly(True)
        self.pdf = PdfPreview()
        self.preview = QStackedWidget()
        self.preview.addWidget(self.text)
        self.preview.addWidget(self.image)
        self.preview.addWidget(self.pdf)
        self._pixmap = QPixmap()
        self._build_layout()
        self.refresh()

    def _build_layout(self) -> None:
        buttons = QHBoxLayout()
        for button in (self.attach_button, self.open_button, self.edit_button, self.remove_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(QLabel("Drop files here to attach them."))
        buttons.addWidget(self.verify_button)
        left = QSplitter(Qt.Orientation.Vertical)
        left.addWidget(self.table)
        warnings = QWidget()
        warnings_layout = QVBoxLayout(warnings)
        warnings_layout.setContentsMargins(0, 0, 0, 0)
        warnings_layout.addWidget(QLabel("<b>Warnings</b>"))
        warnings_layout.addWidget(self.issues)
        left.addWidget(warnings)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.preview_title)
        right_layout.addWidget(self.preview, 1)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(split, 1)

    # Loading -------------------------------------------------------------------
    def refresh(self) -> Op[Loaded]:
        """Re-hash every stored file and recompute the warnings, off the GUI thread."""
        wb, reference, is_new, days = self._wb, self.reference, self._editor.is_new, self.expiry_days

        def work(progress: Progress, cancelled: IsCancelled) -> Loaded:
            if is_new:
                return Loaded((), ())
            verified = verify_documents(wb, reference)
            stored = get_case(wb, reference)
            issues = case_document_issues(stored, determination=check_case(stored))
            soon = case_expiring(stored, within_days=days)
            docs = tuple((record, status.value, status.label) for record, status in verified)
            return Loaded(docs, (*(expiring_text(d) for d in soon), *(i.text for i in issues)))

        op: Op[Loaded] = Op(self, work, title="Verify documents").success(self._show)
        self.op = op
        return op.run()

    def _show(self, loaded: Loaded) -> None:
        rows = [_row(i, record, status, text) for i, (record, status, text) in enumerate(loaded.documents, 1)]
        self.model.replace_rows(rows, list(range(1, len(rows) + 1)))
        self.issues.clear()
        self.issues.addItems(list(loaded.issues) or ["No warnings about the documents."])
        if rows:
            self.table.selectRow(0)
        self.preview_selected()

    def selected_position(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return int(self.model.key_at(rows[0].row())) if rows else None

    # Preview -------------------------------------------------------------------
    def preview_selected(self) -> DocumentPreview | None:
        self.pdf.clear()
        position = self.selected_position()
        for button in (self.open_button, self.edit_button, self.remove_button):
            button.setEnabled(position is not None)
        if position is None:
            self._show_text("", "Select a document to preview it.")
            return None
        try:
            preview = document_preview(self._wb, self.reference, position)
        except WorkbenchError as exc:
            self._show_text("", messages.describe(exc))
            return None
        if not preview.intact:
            self._show_text(
                f"<b style='color:{css(BAD)}'>{preview.filename}: {preview.integrity_text}.</b>",
                "The file was not opened. Attach the original again, or restore the document store from a backup.",
            )
        elif preview.content_type == "application/pdf" and self.pdf.load(preview.data):
            pages = f"{preview.pages} page{'s' if preview.pages != 1 else ''}"
            self.preview_title.setText(f"<b>{preview.filename}</b> · verified · PDF, {pages}")
            self.preview.setCurrentWidget(self.pdf)
        elif preview.data and preview.content_type != "application/pdf":
            self._pixmap.loadFromData(preview.data)
            self.preview_title.setText(f"<b>{preview.filename}</b> · verified · {self._pixmap.width()}×"
                                       f"{self._pixmap.height()} pixels")  # fmt: skip
            self.preview.setCurrentWidget(self.image)
            self._scale_image()
        else:
            pages = f"{preview.pages} page{'s' if preview.pages != 1 else ''}"
            body = preview.first_page_text.strip() or "(The first page has no text layer; open the file to see it.)"
            notes = "\n".join(preview.notes)
            self._show_text(f"<b>{preview.filename}</b> · verified · PDF, {pages} · first page:",
                            body + (f"\n\n{notes}" if notes else ""))  # fmt: skip
        return preview

    def _show_text(self, title: str, body: str) -> None:
        self.preview_title.setText(title)
        self.text.setPlainText(body)
        self.preview.setCurrentWidget(self.text)

    def _scale_image(self) -> None:
        if not self._pixmap.isNull():
            size = self.image.size()
            self.image.setPixmap(
                self._pixmap.scaled(
                    size, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
                )
            )

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._scale_image()

    # Commands ------------------------------------------------------------------
    def attach(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(self, "Attach documents", str(Path.home()), DOCUMENT_FILES)
        for name in names:
            self.ask_and_attach(Path(name))

    def ask_and_attach(self, path: Path) -> Op[Preread] | None:
        """Check the file and read its text first (off the GUI thread), then ask for the record with suggestions."""
        if self._editor.is_new:
            messages.info(self, f"Save case {self.reference} before attaching documents to it.")
            return None
        wb, reference = self._wb, self.reference

        def work(progress: Progress, cancelled: IsCancelled) -> Preread:
            return read_candidate(wb, reference, path)

        op: Op[Preread] = (
            Op(self, work, title="Read document")
            .success(lambda preread: self._ask_record(path, preread))
            .failure(lambda exc: messages.error(self, f"{path.name} was not attached.", exc=exc))
            .with_progress(f"Reading {path.name}…")
        )
        self.op = op
        return op.run()

    def _ask_record(self, path: Path, preread: Preread) -> None:
        metadata, accepted = get_document_metadata(self, self._editor.base_case, path.name, preread.suggestions)
        if accepted and metadata is not None:
            self.attach_path(path, metadata)

    def attach_path(self, path: Path, metadata: dict[str, Any]) -> Op[AttachResult]:
        """Check, store and record ``path`` on the case, off the GUI thread."""
        wb, reference = self._wb, self.reference

        def work(progress: Progress, cancelled: IsCancelled) -> AttachResult:
            return attach_document(wb, reference, path, **metadata)

        op: Op[AttachResult] = (
            Op(self, work, title="Attach document").success(self._attached).with_progress(f"Checking {path.name}…")
        )
        self.op = op
        return op.run()

    def _attached(self, result: AttachResult) -> None:
        lines = [f"{result.record.filename} is attached as document {result.position} ({result.intake.describe()})."]
        lines += list(result.notes)
        lines += suggestion_notice(result)
        messages.info(self, " ".join(lines))
        self._case_changed()

    def open_selected(self) -> Path | None:
        """Open a verified copy in the system viewer; a changed or missing file is refused and reported."""
        position = self.selected_position()
        if position is None:
            return None
        folder = Path(tempfile.mkdtemp(prefix="open-", dir=_open_dir()))
        try:
            copy = copy_document(self._wb, self.reference, position, folder)
        except WorkbenchError as exc:
            messages.error(self, f"Document {position} was not opened.", exc=exc)
            return None
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(copy)))
        return copy

    def edit_selected(self) -> bool:
        """Edit the selected document's record (kind, dates, parties, items, assurances), offering its suggestions."""
        position = self.selected_position()
        if position is None:
            return False
        try:
            record = list_documents(self._wb, self.reference)[position - 1]
            suggestions = stored_suggestions(self._wb, self.reference, position)
        except WorkbenchError as exc:
            messages.error(self, f"Document {position} cannot be edited.", exc=exc)
            return False
        changes, accepted = get_document_changes(self, self._editor.base_case, record, suggestions)
        if not accepted or changes is None:
            return False
        try:
            update_document(self._wb, self.reference, position, **changes)
        except WorkbenchError as exc:
            messages.error(self, f"The record of {record.filename} was not changed.", exc=exc)
            return False
        self._case_changed()
        self.table.selectRow(position - 1)
        return True

    def remove_selected(self) -> bool:
        position = self.selected_position()
        if position is None:
            return False
        record = list_documents(self._wb, self.reference)[position - 1]
        reason, ok = ask_reason(self, f"Why is {record.filename} removed from the case? (kept in the audit trail)")
        if not ok:
            return False
        try:
            remove_document(self._wb, self.reference, position, reason=reason)
        except WorkbenchError as exc:
            messages.error(self, f"{record.filename} was not removed.", exc=exc)
            return False
        self._case_changed()
        return True

    def _case_changed(self) -> None:
        try:
            self._editor.rebase(get_case(self._wb, self.reference))
        except WorkbenchError as exc:
            messages.error(self, f"Case {self.reference} could not be reloaded.", exc=exc)
        self.refresh()
        self.documents_changed.emit()

    # Drag and drop -------------------------------------------------------------
    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasUrls() and all(u.isLocalFile() for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.isLocalFile()]
        event.acceptProposedAction()
        for path in paths:
            if path.is_file():
                self.ask_and_attach(path)


def suggestion_notice(result: AttachResult) -> list[str]:
    """What the officer should hear about the text's suggestions after attaching: used, not used, or none used."""
    unused = not_recorded(result.record, result.suggestions)
    used = [s for s in result.suggestions if s not in unused and s.field is not SuggestionField.COUNTRY]
    listed = "; ".join(f'{s.label} ("{s.evidence}")' for s in unused[:5])
    if not used:
        if not unused:
            return []
        return [f"The text suggests: {listed}. Nothing was filled in; use Edit record… if they are right."]
    out = [f"The record agrees with the text on: {'; '.join(s.label for s in used)}."]
    if unused:
        out.append(f"The text also suggests: {listed}; use Edit record… if they are right.")
    return out


def _open_dir() -> Path:
    folder = data_dir() / "opened-documents"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
