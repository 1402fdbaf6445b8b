"""The party editor's Documents tab: the EUCs and BIS-711s on file for a register party.

A document attached here covers every case of the party while it is valid (the documents checks
read it), so one annual end-user certificate serves every shipment of the year. Attaching copies
the file into the document store off the GUI thread.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import DocumentKind, DocumentRecord
from workbench.services import Workbench
from workbench.services.party_documents import attach_party_document, party_documents
from workbench.ui import messages
from workbench.ui.ops import IsCancelled, Op, Progress

KINDS = ((DocumentKind.EUC, "End-user certificate (EUC)"), (DocumentKind.BIS_711, "BIS-711 statement"))
DOCUMENT_FILES = "Documents (*.pdf *.png *.jpg *.jpeg *.tif *.tiff);;All files (*)"


def document_line(record: DocumentRecord, today: date) -> str:
    """One document as the list shows it: kind, file, validity and whether it covers cases today."""
    start = record.valid_from or record.signed_date
    if record.valid_until is not None and today > record.valid_until:
        state = "expired"
    elif start is not None and today < start:
        state = "not yet valid"
    else:
        state = "valid today"
    span = f"{start.isoformat() if start else '…'} – {record.valid_until.isoformat() if record.valid_until else '…'}"
    issuer = f" · {record.issuer}" if record.issuer else ""
    return f"{record.kind.value.upper().replace('_', '-')} · {record.filename} · {span} · {state}{issuer}"


class PartyDocumentsTab(QWidget):
    attached = Signal()

    def __init__(self, wb: Workbench, party_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self._party_id = party_id
        self.op: Op[DocumentRecord] | None = None
        self.list = QListWidget()
        self.kind = QComboBox()
        for kind, label in KINDS:
            self.kind.addItem(label, kind.value)
        self.valid_until = QDateEdit()
        self.valid_until.setCalendarPopup(True)
        self.valid_until.setDisplayFormat("yyyy-MM-dd")
        self.valid_until.setDate(QDate.currentDate().addYears(1))
        self.attach_button = QPushButton("&Attach…")
        self.attach_button.clicked.connect(self.choose_and_attach)
        row = QHBoxLayout()
        row.addWidget(QLabel("Kind"))
        row.addWidget(self.kind)
        row.addWidget(QLabel("valid until"))
        row.addWidget(self.valid_until)
        row.addStretch(1)
        row.addWidget(self.attach_button)
        hint = QLabel(
            "A document on file for the party covers every case of the party while it is valid, so one annual "
            "EUC serves every shipment of the year."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addLayout(row)
        self.refresh()

    def refresh(self) -> None:
        self.list.clear()
        try:
            records = party_documents(self._wb, self._party_id)
        except Exception as exc:
            self.list.addItem(f"The documents could not be read: {messages.describe(exc)}")
            return
        today = date.today()
        for record in records:
            self.list.addItem(document_line(record, today))
        if not records:
            self.list.addItem("No document is on file for this party.")

    def choose_and_attach(self) -> Op[DocumentRecord] | None:
        name, _ = QFileDialog.getOpenFileName(self, "Attach a document to the party", str(Path.home()), DOCUMENT_FILES)
        return self.attach(Path(name)) if name else None

    def attach(self, path: Path) -> Op[DocumentRecord]:
        """Copy ``path`` into the document store for the party, off the GUI thread."""
        wb, party_id = self._wb, self._party_id
        kind = DocumentKind(self.kind.currentData())
        until = self.valid_until.date().toPython()
        assert isinstance(until, date)

        def work(progress: Progress, cancelled: IsCancelled) -> DocumentRecord:
            return attach_party_document(wb, party_id, path, kind, valid_until=until)

        self.attach_button.setEnabled(False)
        op: Op[DocumentRecord] = (
            Op(self, work, title="Attach document")
            .success(self._attached)
            .failure(lambda exc: messages.error(self, f"{path.name} was not attached.", exc=exc))
        )
        op.done.connect(lambda: self.attach_button.setEnabled(True))
        self.op = op
        return op.run()

    def _attached(self, record: DocumentRecord) -> None:
        self.refresh()
        self.attached.emit()
