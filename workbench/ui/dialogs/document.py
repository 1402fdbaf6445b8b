"""The document metadata form: what the officer records about a file being attached, or edits later.

What the file's text suggests is listed beside the form with the words it was read from; the
ticked suggestions fill the fields only when the officer presses "Fill in the ticked suggestions".
"""

from __future__ import annotations

from collections.abc import Sequence
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
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import Assurance, Case, DocumentKind, DocumentRecord
from workbench.services.docreading import Suggestion, SuggestionField, prefill

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

    def set_value(self, value: date | None) -> None:
        self.enabled.setChecked(value is not None)
        if value is not None:
            self.date.setDate(QDate(value.year, value.month, value.day))


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


def _tick(widget: QListWidget, data: object) -> bool:
    """Tick every entry carrying ``data`` (a party with two roles is listed twice)."""
    found = False
    for i in range(widget.count()):
        if widget.item(i).data(Qt.ItemDataRole.UserRole) == data:
            widget.item(i).setCheckState(Qt.CheckState.Checked)
            found = True
    return found


class DocumentDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        case: Case,
        filename: str,
        suggestions: Sequence[Suggestion] = (),
        record: DocumentRecord | None = None,
    ) -> None:
        """``record`` edits an attached document's record; without it the form records a file being attached."""
        super().__init__(parent)
        self.setWindowTitle(f"Edit the record of {filename}" if record else f"Attach {filename}")
        self.setMinimumWidth(520)
        self.applied: list[Suggestion] = []
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
        self.ok_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("Save record" if record else "Attach")
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
        self._suggestions = list(suggestions)
        self.suggestion_list = QListWidget()
        self.fill_button = QPushButton("&Fill in the ticked suggestions")
        self.fill_button.clicked.connect(self.fill_in)
        self.suggestion_status = QLabel()
        self.suggestion_status.setWordWrap(True)
        self._build_suggestions()
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        if self._suggestions:
            body = QHBoxLayout()
            body.addLayout(form, 3)
            side = QVBoxLayout()
            side.addWidget(QLabel("<b>The document's text suggests</b>"))
            side.addWidget(self.suggestion_list, 1)
            side.addWidget(self.fill_button)
            side.addWidget(self.suggestion_status)
            body.addLayout(side, 2)
            layout.addLayout(body)
            self.setMinimumWidth(880)
        else:
            layout.addLayout(form)
        layout.addWidget(buttons)
        if record is not None:
            self._show_record(record)

    # Suggestions -----------------------------------------------------------------
    def _build_suggestions(self) -> None:
        """One line per suggestion with its evidence as tooltip; unambiguous ones come ticked, none filled in yet."""
        wanted = prefill(self._suggestions)
        for suggestion in self._suggestions:
            item = QListWidgetItem(suggestion.label)
            item.setToolTip(f"Read from: \"{suggestion.evidence}\"")
            item.setData(Qt.ItemDataRole.UserRole, suggestion)
            if suggestion.field is SuggestionField.COUNTRY:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsUserCheckable & ~Qt.ItemFlag.ItemIsSelectable)
                item.setText(f"{suggestion.label} (for your information)")
            else:
                item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
                ticked = suggestion.value in wanted.get(suggestion.field, [])
                item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.suggestion_list.addItem(item)
        self.suggestion_status.setText("Nothing is filled in until you press the button; check each value.")

    def ticked_suggestions(self) -> list[Suggestion]:
        out = []
        for i in range(self.suggestion_list.count()):
            item = self.suggestion_list.item(i)
            if item.flags() & Qt.ItemFlag.ItemIsUserCheckable and item.checkState() == Qt.CheckState.Checked:
                out.append(item.data(Qt.ItemDataRole.UserRole))
        return out

    def fill_in(self) -> list[Suggestion]:
        """Put the ticked suggestions into the form (the officer still reviews them and presses Attach)."""
        applied = [s for s in self.ticked_suggestions() if self._apply(s)]
        self.applied.extend(s for s in applied if s not in self.applied)
        self.suggestion_status.setText(
            f"Filled in {len(applied)} suggestion{'s' if len(applied) != 1 else ''}; check them before you save."
            if applied
            else "Tick the suggestions to fill in first."
        )
        return applied

    def _apply(self, suggestion: Suggestion) -> bool:
        field, value = suggestion.field, suggestion.value
        if field is SuggestionField.KIND:
            index = self.kind.findData(value)
            if index >= 0:
                self.kind.setCurrentIndex(index)
            return index >= 0
        dates = {
            SuggestionField.SIGNED_DATE: self.signed_on,
            SuggestionField.VALID_FROM: self.valid_from,
            SuggestionField.VALID_UNTIL: self.expires_on,
        }
        if field in dates:
            dates[field].set_value(date.fromisoformat(value))
            return True
        if field is SuggestionField.SIGNATORY_NAME:
            self.signatory_name.setText(value)
            return True
        if field is SuggestionField.SIGNATORY_TITLE:
            self.signatory_title.setText(value)
            return True
        if field is SuggestionField.PARTY:
            return _tick(self.parties, value)
        if field is SuggestionField.ASSURANCE:
            return _tick(self.assurances, value)
        return False

    def _show_record(self, record: DocumentRecord) -> None:
        self.kind.setCurrentIndex(max(0, self.kind.findData(record.kind.value)))
        self.issuer.setText(record.issuer)
        self.signatory_name.setText(record.signatory_name)
        self.signatory_title.setText(record.signatory_title)
        self.signed_on.set_value(record.signed_date)
        self.valid_from.set_value(record.valid_from)
        self.expires_on.set_value(record.valid_until)
        for name in record.covers_parties:
            _tick(self.parties, name)
        for position in record.covers_items:
            _tick(self.items, position)
        for assurance in record.assurances:
            _tick(self.assurances, assurance.value)
        self.note.setText(record.note)

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
            "covers_parties": list(dict.fromkeys(_checked(self.parties))),  # one name for all its roles
            "covers_items": _checked(self.items),
            "assurances": _checked(self.assurances),
            "note": self.note.text().strip(),
        }

    def changes(self) -> dict[str, Any]:
        """Keyword arguments for ``update_document`` (the record's own field names)."""
        values = self.metadata()
        values["signed_date"] = values.pop("signed_on")
        values["valid_until"] = values.pop("expires_on")
        return values

    @classmethod
    def get_metadata(
        cls, parent: QWidget | None, case: Case, filename: str, suggestions: Sequence[Suggestion] = ()
    ) -> tuple[dict[str, Any] | None, bool]:
        dialog = cls(parent, case, filename, suggestions)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, False
        return dialog.metadata(), True

    @classmethod
    def get_changes(
        cls, parent: QWidget | None, case: Case, record: DocumentRecord, suggestions: Sequence[Suggestion] = ()
    ) -> tuple[dict[str, Any] | None, bool]:
        dialog = cls(parent, case, record.filename, suggestions, record)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, False
        return dialog.changes(), True


def get_document_metadata(
    parent: QWidget | None, case: Case, filename: str, suggestions: Sequence[Suggestion] = ()
) -> tuple[dict[str, Any] | None, bool]:
    """Ask what to record about ``filename`` (offering ``suggestions``); ``(None, False)`` if cancelled."""
    return DocumentDialog.get_metadata(parent, case, filename, suggestions)


def get_document_changes(
    parent: QWidget | None, case: Case, record: DocumentRecord, suggestions: Sequence[Suggestion] = ()
) -> tuple[dict[str, Any] | None, bool]:
    """Edit an attached document's record; the changed fields for ``update_document``, or ``(None, False)``."""
    return DocumentDialog.get_changes(parent, case, record, suggestions)
