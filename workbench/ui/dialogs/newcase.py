"""The New case dialog: the facts a case cannot exist without, validated as you type."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import Case, TransactionType
from workbench.domain.errors import ValidationError
from workbench.ui.caseeditor.general import TRANSACTION_LABELS, error_label
from workbench.ui.dates import DateField
from workbench.ui.messages import validation_sentence
from workbench.ui.widgets.countrypicker import CountryPicker


class NewCaseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None, reference: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("New case")
        self.setMinimumWidth(460)
        self.reference = QLineEdit(reference)
        self.reference.setPlaceholderText("e.g. EC-2026-0050")
        self.title = QLineEdit()
        self.title.setPlaceholderText("What is being exported, to whom")
        self.transaction_type = QComboBox()
        for kind, label in TRANSACTION_LABELS.items():
            self.transaction_type.addItem(label, kind.value)
        self.transaction_date = DateField(date.today(), show_problem=False)  # said in the dialog's problem line
        self.export_from = CountryPicker()
        self.export_from.set_code("US")
        self.destination = CountryPicker()
        self.destination.set_code("")
        self.problem = error_label()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Create")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        form.addRow("&Reference:", self.reference)
        form.addRow("&Title:", self.title)
        form.addRow("T&ype:", self.transaction_type)
        form.addRow("&Date:", self.transaction_date)
        form.addRow("Export &from:", self.export_from)
        form.addRow("Destinatio&n:", self.destination)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Parties, items and the end use are added in the case editor."))
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        for line in (self.reference, self.title):
            line.textChanged.connect(self._validate)
        self.transaction_type.currentIndexChanged.connect(self._validate)
        self.transaction_date.line.textChanged.connect(self._validate)
        self.export_from.code_changed.connect(self._validate)
        self.destination.code_changed.connect(self._validate)
        self.destination.editTextChanged.connect(self._validate)
        self._validate()

    def case(self) -> Case:
        """The case described by the fields; raises ``ValidationError``."""
        when = self.transaction_date.value()
        if when is None:
            raise ValidationError("transaction_date", self.transaction_date.problem().rstrip("."))
        return Case(
            reference=self.reference.text(),
            title=self.title.text(),
            transaction_date=when,
            export_from=self.export_from.code(),
            destination=self.destination.code(),
            transaction_type=TransactionType(self.transaction_type.currentData()),
        )

    def _validate(self) -> None:
        try:
            self.case()
        except ValidationError as exc:
            self.problem.setText(validation_sentence(exc))
            self.problem.show()
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
            return
        self.problem.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(True)

    @classmethod
    def get_new_case(cls, parent: QWidget | None, reference: str = "") -> tuple[Case | None, bool]:
        dialog = cls(parent, reference)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, False
        try:
            return dialog.case(), True
        except ValidationError:
            return None, False


def get_new_case(parent: QWidget | None, reference: str = "") -> tuple[Case | None, bool]:
    """Ask for a new case; returns ``(case, True)`` or ``(None, False)`` if cancelled."""
    return NewCaseDialog.get_new_case(parent, reference)
