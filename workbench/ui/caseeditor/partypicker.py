"""The party picker above the case editor's Parties table: type to search the counterparty register,
pick a party (it joins the case with the chosen role), or create a register party from the typed
name and country when it is not there yet.

Searches run on the register's trigram index (a few milliseconds on 100,000 parties), started
a moment after the last keystroke so typing stays smooth.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import EntryType, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.errors import WorkbenchError
from workbench.domain.register import RegisterParty
from workbench.services import Workbench
from workbench.services.case_register import create_register_party, register_statuses
from workbench.services.register import get_party, list_parties
from workbench.ui.caseeditor.general import error_label
from workbench.ui.caseeditor.tables import kind_label, role_label

MAX_RESULTS = 20
SEARCH_DELAY_MS = 150
STATUS_LABELS = {
    "not_screened": "Not screened",
    "clear": "Clear",
    "unresolved": "Unresolved hit",
    "confirmed": "Confirmed match",
}


class PartyPicker(QWidget):
    picked = Signal(object, str)
    """A register party (``RegisterParty``) to add to the case, and the role it takes."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.search = QLineEdit()
        self.search.setPlaceholderText("Find a register party: type part of a name or an identifier")
        self.search.setClearButtonEnabled(True)
        self.country = QLineEdit()
        self.country.setPlaceholderText("Country (e.g. DE), to create")
        self.country.setMaximumWidth(190)
        self.role = QComboBox()
        for role in PartyRole:
            self.role.addItem(role_label(role.value), role.value)
        self.role.setCurrentIndex(self.role.findData(PartyRole.END_USER.value))
        self.kind = QComboBox()
        for kind in EntryType:
            self.kind.addItem(kind_label(kind.value), kind.value)
        self.results = QListWidget()
        self.results.setMaximumHeight(self.fontMetrics().height() * 7)
        self.add_button = QPushButton("Add to &case")
        self.create_button = QPushButton("Create in &register")
        self.create_button.setToolTip("Add a new register party with the typed name, country and kind, and use it here")
        self.summary = QLabel()
        self.summary.setStyleSheet("color: palette(placeholder-text);")
        self.problem = error_label()
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        top.addWidget(self.country, 1)
        top.addWidget(self.kind)
        top.addWidget(QLabel("as"))
        top.addWidget(self.role)
        top.addWidget(self.add_button)
        top.addWidget(self.create_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.results)
        layout.addWidget(self.summary)
        layout.addWidget(self.problem)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.search_now)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.add_selected)
        self.results.itemActivated.connect(lambda _item: self.add_selected())
        self.results.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.search.textChanged.connect(lambda _text: self._update_buttons())
        self.country.textChanged.connect(lambda _text: self._update_buttons())
        self.add_button.clicked.connect(self.add_selected)
        self.create_button.clicked.connect(self.create_party)
        self._update_buttons()

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self.results.currentRow() >= 0)
        self.create_button.setEnabled(bool(self.search.text().strip()) and len(self.country.text().strip()) >= 2)

    def _set_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.setVisible(bool(text))

    def search_now(self) -> None:
        """Show the register parties matching the typed words, with their screening status."""
        self._timer.stop()
        self.results.clear()
        self._set_problem("")
        words = self.search.text().strip()
        if not words:
            self.summary.setText("")
            return
        try:
            total, rows = list_parties(self._wb, words, limit=MAX_RESULTS)
            statuses = register_statuses(self._wb, [r.id for r in rows])
        except WorkbenchError as exc:
            self._set_problem(str(exc))
            return
        for row in rows:
            status = statuses.get(row.id)
            label = STATUS_LABELS.get(status.value, "") if status else ""
            item = QListWidgetItem(
                f"{row.name} — {country_name(row.country)} · party {row.id} · {kind_label(row.kind.value)}"
                + (f" · {label}" if label else "")
            )
            item.setData(Qt.ItemDataRole.UserRole, row.id)
            self.results.addItem(item)
        if rows:
            self.results.setCurrentRow(0)
        shown = f"{len(rows)} of {total:,}" if total > len(rows) else f"{total:,}"
        self.summary.setText(
            f"{shown} register part{'y' if total == 1 else 'ies'} match"
            if total
            else "No register party matches: type the country and create it in the register"
        )
        self._update_buttons()

    def _role(self) -> str:
        return str(self.role.currentData())

    def add_selected(self) -> bool:
        """Add the highlighted register party to the case."""
        if self.results.currentRow() < 0:
            return False
        item = self.results.currentItem()
        try:
            party = get_party(self._wb, int(item.data(Qt.ItemDataRole.UserRole)))
        except WorkbenchError as exc:
            self._set_problem(str(exc))
            return False
        self.picked.emit(party, self._role())
        return True

    def create_party(self) -> RegisterParty | None:
        """Create a register party from the typed name, country and kind, and add it to the case."""
        try:
            party = create_register_party(
                self._wb,
                self.search.text(),
                self.country.text().strip().upper(),
                kind=EntryType(str(self.kind.currentData())),
            )
        except WorkbenchError as exc:
            self._set_problem(str(exc))
            return None
        self._set_problem("")
        self.picked.emit(party, self._role())
        self.search_now()
        return party
