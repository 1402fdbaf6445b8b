"""The general facts form: reference, title, transaction, countries, end use and TMP/RPL facts.

Each field reports edits as ``field_edited(key, value)``; the editor turns them
into undo commands and pushes values back with ``set_value`` (without echo).
Problems are shown in a red line under the field they concern.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import TransactionType
from workbench.ui.caseeditor.state import (
    BASIC_END_USE_FLAGS,
    END_USE_FLAGS,
    PART744_END_USE_FLAGS,
    SERVICING_KINDS,
    TEMPORARY_PURPOSES,
    Row,
)
from workbench.ui.dates import DateField
from workbench.ui.models.rows import BAD
from workbench.ui.palette import css
from workbench.ui.widgets.countrypicker import CountryPicker

TRANSACTION_LABELS = {
    TransactionType.EXPORT: "Export",
    TransactionType.REEXPORT: "Reexport",
    TransactionType.IN_COUNTRY_TRANSFER: "In-country transfer",
}


def _combo(choices: dict[str, str]) -> QComboBox:
    combo = QComboBox()
    for value, label in choices.items():
        combo.addItem(label, value)
    return combo


def error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet(f"color: {css(BAD)};")
    label.setWordWrap(True)
    label.hide()
    return label


class GeneralForm(QWidget):
    field_edited = Signal(str, object)

    def __init__(self, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._updating = False
        self.reference = QLabel(reference)
        self.reference.setStyleSheet("font-weight: 600;")
        self.title = QLineEdit()
        self.title.setPlaceholderText("What is being exported, to whom")
        self.transaction_type = QComboBox()
        for kind, label in TRANSACTION_LABELS.items():
            self.transaction_type.addItem(label, kind.value)
        self.transaction_date = DateField(show_problem=False)  # its problem shows in the field's error line
        self.export_from = CountryPicker()
        self.destination = CountryPicker()
        self.end_use = QPlainTextEdit()
        self.end_use.setPlaceholderText("What the end user will do with the items")
        self.end_use.setFixedHeight(96)
        self.flags = {key: QCheckBox(label) for key, label in END_USE_FLAGS.items()}
        self.temporary_purpose = _combo(TEMPORARY_PURPOSES)
        self.return_by = QLineEdit()
        self.return_by.setPlaceholderText("YYYY-MM-DD, within a year of the export")
        self.servicing = _combo(SERVICING_KINDS)
        self.improves_equipment = _combo({"": "Not known", "no": "No", "yes": "Yes"})
        self.original_authorisation = QLineEdit()
        self.original_authorisation.setPlaceholderText("Licence number, licence exception or NLR")
        self.errors: dict[str, QLabel] = {}
        self._build()
        self._connect()

    def _field(self, form: QFormLayout, label: str, key: str, widget: QWidget) -> None:
        box = QVBoxLayout()
        box.setSpacing(2)
        box.addWidget(widget)
        self.errors[key] = error_label()
        box.addWidget(self.errors[key])
        caption = QLabel(label)
        caption.setBuddy(widget)
        form.addRow(caption, box)

    def _build(self) -> None:
        facts = QGroupBox("Transaction")
        form = QFormLayout(facts)
        form.addRow("Reference:", self.reference)
        self._field(form, "&Title:", "title", self.title)
        self._field(form, "T&ype:", "transaction_type", self.transaction_type)
        self._field(form, "&Date:", "transaction_date", self.transaction_date)
        self._field(form, "Export &from:", "export_from", self.export_from)
        self._field(form, "Destinatio&n:", "destination", self.destination)
        end_use = QGroupBox("End use")
        use_form = QFormLayout(end_use)
        self._field(use_form, "Des&cription:", "end_use.description", self.end_use)
        flag_box = QVBoxLayout()
        for key in BASIC_END_USE_FLAGS:
            flag_box.addWidget(self.flags[key])
        use_form.addRow("Flags:", flag_box)
        # The end-use controls of part 744 in a group of their own, beside (not below) the others, so the
        # General tab keeps its height and the case list above the editor keeps its room.
        part744 = QGroupBox("Part 744 end uses")
        part744.setToolTip("End uses that need a licence under 15 CFR part 744 whatever the item's ECCN")
        part744_box = QVBoxLayout(part744)
        for key in PART744_END_USE_FLAGS:
            part744_box.addWidget(self.flags[key])
        temporary = QGroupBox("Temporary export and servicing")
        temporary.setToolTip(
            "The facts License Exceptions TMP (15 CFR 740.9) and RPL (740.10) turn on; leave them empty otherwise"
        )
        facts_form = QFormLayout(temporary)
        self._field(facts_form, "TM&P purpose:", "facts.temporary_purpose", self.temporary_purpose)
        self._field(facts_form, "Ret&urn by:", "facts.return_by", self.return_by)
        self._field(facts_form, "RP&L:", "facts.servicing", self.servicing)
        self._field(facts_form, "Improves e&quipment:", "facts.improves_equipment", self.improves_equipment)
        self._field(facts_form, "Earlier aut&hority:", "facts.original_authorisation", self.original_authorisation)
        for group in (facts, end_use, part744, temporary):
            group.setMaximumWidth(640)
        columns = QHBoxLayout()
        columns.addWidget(facts, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(end_use, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(part744, 1, Qt.AlignmentFlag.AlignTop)
        columns.addWidget(temporary, 1, Qt.AlignmentFlag.AlignTop)
        columns.addStretch(0)
        self.case_errors = error_label()
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(self.case_errors)
        layout.addStretch(1)

    def _connect(self) -> None:
        self.title.textEdited.connect(lambda text: self._emit("title", text))
        self.transaction_type.currentIndexChanged.connect(
            lambda _i: self._emit("transaction_type", self.transaction_type.currentData())
        )
        self.transaction_date.date_changed.connect(lambda d: self._emit("transaction_date", d.isoformat()))
        # A date that is not one keeps the case invalid (never the previous date in silence).
        self.transaction_date.problem_changed.connect(
            lambda problem: self._emit("transaction_date", self.transaction_date.text()) if problem else None
        )
        self.export_from.code_changed.connect(lambda code: self._emit("export_from", code))
        self.destination.code_changed.connect(lambda code: self._emit("destination", code))
        self.end_use.textChanged.connect(lambda: self._emit("end_use.description", self.end_use.toPlainText()))
        for key, box in self.flags.items():
            box.toggled.connect(lambda checked, key=key: self._emit(key, checked))
        for key, combo in self._fact_combos().items():
            combo.currentIndexChanged.connect(lambda _i, key=key, combo=combo: self._emit(key, combo.currentData()))
        self.return_by.textEdited.connect(lambda text: self._emit("facts.return_by", text))
        self.original_authorisation.textEdited.connect(lambda text: self._emit("facts.original_authorisation", text))

    def _fact_combos(self) -> dict[str, QComboBox]:
        return {
            "facts.temporary_purpose": self.temporary_purpose,
            "facts.servicing": self.servicing,
            "facts.improves_equipment": self.improves_equipment,
        }

    def _emit(self, key: str, value: Any) -> None:
        if not self._updating:
            self.field_edited.emit(key, value)

    def set_values(self, values: Row) -> None:
        for key, value in values.items():
            self.set_value(key, value)

    def set_value(self, key: str, value: Any) -> None:
        """Show ``value`` in the field of ``key`` without reporting it as an edit."""
        self._updating = True
        try:
            if key == "title" and self.title.text() != value:
                self.title.setText(value)
            elif key == "transaction_type":
                self.transaction_type.setCurrentIndex(self.transaction_type.findData(value))
            elif key == "transaction_date":
                try:
                    day = date.fromisoformat(str(value))
                except ValueError:
                    if self.transaction_date.text() != value:  # undo back to text that is not a date
                        self.transaction_date.line.setText(str(value))
                else:
                    if self.transaction_date.value() != day:
                        self.transaction_date.set_date(day)
            elif key in ("export_from", "destination"):
                picker = self.export_from if key == "export_from" else self.destination
                if picker.code() != value:
                    picker.set_code(value)
            elif key == "end_use.description" and self.end_use.toPlainText() != value:
                self.end_use.setPlainText(value)
            elif key in self.flags:
                self.flags[key].setChecked(bool(value))
            elif key in self._fact_combos():
                combo = self._fact_combos()[key]
                combo.setCurrentIndex(max(combo.findData(value or ""), 0))
            elif key == "facts.return_by" and self.return_by.text() != value:
                self.return_by.setText(str(value or ""))
            elif key == "facts.original_authorisation" and self.original_authorisation.text() != value:
                self.original_authorisation.setText(str(value or ""))
        finally:
            self._updating = False

    def set_errors(self, errors: dict[str, str], case_errors: list[str]) -> None:
        """Show ``{field key: sentence}`` under the fields, and case-wide problems at the bottom."""
        for key, label in self.errors.items():
            text = errors.get(key, "")
            if key == "transaction_date" and self.transaction_date.problem():
                text = self.transaction_date.problem()
            label.setText(text)
            label.setVisible(bool(text))
        self.case_errors.setText("\n".join(case_errors))
        self.case_errors.setVisible(bool(case_errors))
