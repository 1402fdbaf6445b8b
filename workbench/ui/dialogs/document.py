"""The document metadata form: what the officer records about a file being attached."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import Assurance, Case, DocumentKind

KIND_LABELS = {
    DocumentKind.EUC: "End-user certificate (EUC)",
    DocumentKind.BIS_711: "BIS-711 statement",
    DocumentKind.IMPORT_CERTIFICATE: "Import certificate",
    DocumentKind.LETTER_OF_ASSURANCE: "Letter of assurance",
    DocumentKind.UVL_STATEMENT: "UVL statement",
    DocumentKind.NAC_NOTIFICATION: "NAC notification",
    DocumentKind.DATASHEET: "Datasheet",
    DocumentKind.OTHER: "Other",
}
ASSURANCE_LABELS = {
    Assurance.END_USE_STATEMENT: "States the end use",
    Assurance.NO_REEXPORT: "No reexport without authorisation",
    Assurance.NO_MILITARY_WMD: "No military or WMD end use",
    Assurance.CONSIGNEE_NAMED: "Names the consignee",
    Assurance.END_USER_NAMED: "Names the end user",
}


class _OptionalDate(QWidget):
    """A date that may be left out (a check box turns it on)."""

    def __init__(self, label: str) -> None:
        super().__init__()
        self.enabled = QCheckBox(label)
        self.date = QDateEdit(QDate.currentDate())
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        self.date.setEnabled(False)
        self.enabled.toggled.connect(self.date.setEnabled)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.enabled)
        layout.addWidget(self.date, 1)

    def value(self) -> date | None:
        if not self.enabled.isChecked():
            return None
        value = self.date.date().toPython()
        assert isinstance(value, date)
        return value


def _checklist(entries: list[tuple[str, Any]]) -> QListWidget:
    widget = QListWidget()
    for label, data in entries:
        item = QListWidgetItem(label)
        item.setData(Qt.ItemDataRole.UserRole, data)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Unchecked)
        widget.addItem(item)
    widget.setMaximumHeight(110)
    return widget


def _checked(widget: QListWidget) -> list[Any]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class DocumentDialog(QDialog):
    def __init__(self, parent: QWidget | None, case: Case, filename: str) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Attach {filename}")
        self.setMinimumWidth(520)
        self.kind = QComboBox()
        for kind, label in KIND_LABELS.items():
            self.kind.addItem(label, kind.value)
        self.issuer = QLineEdit()
        self.signatory_name = QLineEdit()
        self.signatory_title = QLineEdit()
        self.signed_on = _OptionalDate("Signed on")
        self.valid_from = _OptionalDate("Valid from")
        self.expires_on = _OptionalDate("Expires on")
        self.parties = _checklist([(f"{p.name} ({p.role.value.replace('_', ' ')})", p.name) for p in case.parties])
        self.items = _checklist([(f"{i}. {item.description}", i) for i, item in enumerate(case.items, 1)])
        self.assurances = _checklist([(label, a.value) for a, label in ASSURANCE_LABELS.items()])
        self.note = QLineEdit()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Attach")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Kind:", self.kind)
        form.addRow("&Issuer:", self.issuer)
        form.addRow("Signatory &name:", self.signatory_name)
        form.addRow("Signatory &title:", self.signatory_title)
        form.addRow("", self.signed_on)
        form.addRow("", self.valid_from)
        form.addRow("", self.expires_on)
        form.addRow("Covers &parties:", self.parties)
        form.addRow("Covers i&tems:", self.items)
        form.addRow("&Assurances:", self.assurances)
        form.addRow("N&ote:", self.note)
        hint = QLabel("The file is checked by content and stored with its SHA-256; the workbench may suggest values it "
                      "reads from the text, but never fills them in for you.")  # fmt: skip
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(buttons)

    def metadata(self) -> dict[str, Any]:
        """Keyword arguments for ``attach_document``."""
        return {
            "kind": str(self.kind.currentData()),
            "issuer": self.issuer.text().strip(),
            "signatory_name": self.signatory_name.text().strip(),
            "signatory_title": self.signatory_title.text().strip(),
            "signed_on": self.signed_on.value(),
            "valid_from": self.valid_from.value(),
            "expires_on": self.expires_on.value(),
            "covers_parties": _checked(self.parties),
            "covers_items": _checked(self.items),
            "assurances": _checked(self.assurances),
            "note": self.note.text().strip(),
        }

    @classmethod
    def get_metadata(cls, parent: QWidget | None, case: Case, filename: str) -> tuple[dict[str, Any] | None, bool]:
        dialog = cls(parent, case, filename)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, False
        return dialog.metadata(), True


def get_document_metadata(parent: QWidget | None, case: Case, filename: str) -> tuple[dict[str, Any] | None, bool]:
    """Ask what to record about ``filename``; ``(None, False)`` if cancelled."""
    return DocumentDialog.get_metadata(parent, case, filename)
