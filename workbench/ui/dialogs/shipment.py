"""The Record shipment dialog: which case ships how much on which licence line, and when.

The dialog only checks that the numbers are numbers; whether the licence allows the shipment
is the service's decision (``ship`` refuses with the reason), so the rule lives in one place.
The balance of the chosen line is shown, with a hint when the entry would exceed it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

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

from workbench.domain.licences import Licence, LineBalance, amount, money
from workbench.ui.dates import DateField
from workbench.ui.models.rows import BAD, MUTED
from workbench.ui.palette import css


@dataclass(frozen=True, slots=True)
class ShipmentValues:
    """What the officer entered; ``ship(wb, licence.number, reference, ...)`` takes it from here."""

    reference: str
    line: int
    quantity: Decimal
    value: Decimal
    shipped_on: date
    note: str = ""


def parse_amount(text: str, what: str) -> Decimal:
    """``1,250.50`` -> ``Decimal('1250.50')``; an empty field is 0; ``ValueError`` names the field."""
    cleaned = text.replace(",", "").replace(" ", "").strip()
    if not cleaned:
        return Decimal(0)
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"The {what} '{text.strip()}' is not a number.") from None
    if not number.is_finite() or number < 0:
        raise ValueError(f"The {what} must be a number of 0 or more.")
    return number


def balance_text(balance: LineBalance) -> str:
    """``Left on this line: 56 of 64 units; USD 14,000,000 of 16,000,000 in value.``"""
    item, parts = balance.item, []
    if item.quantity_limit is not None:
        parts.append(f"{amount(balance.remaining_quantity or Decimal(0))} of {amount(item.quantity_limit)} units")
    if item.value_limit is not None:
        left = money(balance.remaining_value or Decimal(0), item.currency)
        parts.append(f"{left} of {money(item.value_limit)} in value")
        ceiling = balance.remaining_value_with_tolerance
        if ceiling is not None and ceiling != balance.remaining_value:
            parts[-1] += f" (up to {money(ceiling, item.currency)} with the 25% value tolerance)"
    return f"Left on this line: {'; '.join(parts)}." if parts else "No quantity or value limit on this line."


class ShipmentDialog(QDialog):
    def __init__(
        self,
        parent: QWidget | None,
        licence: Licence,
        balances: Sequence[LineBalance] = (),
        references: Sequence[str] = (),
        reference: str = "",
        today: date | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Record shipment under {licence.number}")
        self.setMinimumWidth(520)
        self._licence = licence
        self._balances = {b.item.line: b for b in balances}
        self._value_edited = False
        self.reference = QComboBox()
        self.reference.setEditable(True)
        self.reference.addItems(list(references))
        self.reference.setCurrentText(reference or (references[0] if references else ""))
        line_edit = self.reference.lineEdit()
        if line_edit is not None:
            line_edit.setPlaceholderText("e.g. EC-2026-0044")
        self.line = QComboBox()
        for item in licence.items:
            self.line.addItem(f"{item.line}: {item.eccn}  {item.description}", item.line)
        self.quantity = QLineEdit(placeholderText="units shipped, e.g. 8")
        self.value = QLineEdit(placeholderText=f"value in {licence.items[0].currency}, e.g. 2,000,000")
        self.shipped_on = DateField(show_problem=False)  # said in the dialog's problem line
        self.shipped_on.set_date(today or date.today())
        self.shipped_on.set_range(licence.valid_from, licence.valid_until)
        self.note = QLineEdit(placeholderText="e.g. air waybill or invoice number")
        self.balance = QLabel(wordWrap=True)
        self.balance.setStyleSheet(f"color: {css(MUTED)};")
        self.problem = QLabel(wordWrap=True)
        self.problem.setStyleSheet(f"color: {css(BAD)};")
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Record shipment")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow("&Case:", self.reference)
        form.addRow("Licence &line:", self.line)
        form.addRow("", self.balance)
        form.addRow("&Quantity:", self.quantity)
        form.addRow("&Value:", self.value)
        form.addRow("Shipped &on:", self.shipped_on)
        form.addRow("&Note:", self.note)
        layout = QVBoxLayout(self)
        intro = QLabel(
            f"Shipments decrement the balance of {licence.label}. The workbench refuses any "
            "shipment the licence does not allow, and then records nothing."
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self.reference.currentTextChanged.connect(self._validate)
        self.line.currentIndexChanged.connect(self._line_changed)
        self.quantity.textChanged.connect(self._quantity_changed)
        self.value.textEdited.connect(self._value_typed)
        self.value.textChanged.connect(self._validate)
        self.shipped_on.line.textChanged.connect(self._validate)
        self._line_changed()

    # Reading the fields ---------------------------------------------------------
    def values(self) -> ShipmentValues:
        """The entry as typed; ``ValueError`` says what is wrong with it."""
        reference = self.reference.currentText().strip()
        if not reference:
            raise ValueError("Name the case that ships.")
        quantity = parse_amount(self.quantity.text(), "quantity")
        value = parse_amount(self.value.text(), "value")
        if quantity == 0 and value == 0:
            raise ValueError("Give the quantity and/or the value shipped.")
        when = self.shipped_on.value()
        if when is None:
            raise ValueError(self.shipped_on.problem())
        return ShipmentValues(reference, int(self.line.currentData()), quantity, value, when, self.note.text().strip())

    def _current_balance(self) -> LineBalance | None:
        return self._balances.get(int(self.line.currentData()))

    # Reacting to edits -----------------------------------------------------------
    def _line_changed(self) -> None:
        balance = self._current_balance()
        self.balance.setText(balance_text(balance) if balance else "")
        self._quantity_changed()

    def _value_typed(self, _text: str) -> None:
        self._value_edited = True

    def _quantity_changed(self) -> None:
        """Until the officer types a value, suggest the licensed unit value times the quantity."""
        item = self._licence.item(int(self.line.currentData()))
        if not self._value_edited and item.quantity_limit and item.value_limit is not None:
            try:
                quantity = parse_amount(self.quantity.text(), "quantity")
            except ValueError:
                quantity = Decimal(0)
            suggested = (item.value_limit / item.quantity_limit * quantity).quantize(Decimal("0.01"))
            self.value.setText(f"{suggested.normalize():f}" if quantity else "")
        self._validate()

    def _validate(self) -> None:
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        try:
            values = self.values()
        except ValueError as exc:
            self.problem.setText(str(exc))
            ok.setEnabled(False)
            return
        ok.setEnabled(True)
        self.problem.setText(self._over_balance(values))

    def _over_balance(self, values: ShipmentValues) -> str:
        balance = self._current_balance()
        if balance is None:
            return ""
        after = balance.after(values.quantity, values.value)
        limit, ceiling = balance.item.quantity_limit, balance.value_ceiling
        if balance.exhausted or (limit is not None and after.shipped_quantity > limit):
            return "This is more than the line has left; the workbench will refuse it."
        if ceiling is not None and after.shipped_value > ceiling:
            return "This is more value than the line allows, tolerance included; the workbench will refuse it."
        return ""

    @classmethod
    def get_shipment(
        cls,
        parent: QWidget | None,
        licence: Licence,
        balances: Sequence[LineBalance] = (),
        references: Sequence[str] = (),
        reference: str = "",
        today: date | None = None,
    ) -> tuple[ShipmentValues | None, bool]:
        dialog = cls(parent, licence, balances, references, reference, today)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None, False
        try:
            return dialog.values(), True
        except ValueError:
            return None, False


def get_shipment(
    parent: QWidget | None,
    licence: Licence,
    *,
    balances: Sequence[LineBalance] = (),
    references: Sequence[str] = (),
    reference: str = "",
    today: date | None = None,
) -> tuple[ShipmentValues | None, bool]:
    """Ask for a shipment under ``licence``; ``(values, True)``, or ``(None, False)`` if cancelled.

    ``references`` are offered as the cases that may ship (those going to the licence's destination).
    """
    return ShipmentDialog.get_shipment(parent, licence, balances, references, reference, today)
