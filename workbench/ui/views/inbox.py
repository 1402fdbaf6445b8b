"""The screening inbox: every unresolved hit across the register, highest score first: an
officer's daily queue.

Keyboard triage: T marks the selected hit a true match, F a false positive (each asks for the
reason, which the audit trail keeps), N or Down moves to the next; after a decision the next hit
is selected, so the queue is worked through without the mouse. Filters: the list, the party's
country and the hit's age (how long it has waited since screening first found it).
"""

from __future__ import annotations

from datetime import UTC, datetime
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.screening import DispositionDecision
from workbench.services import Workbench
from workbench.services import register_screening as party_screening
from workbench.services.register_screening import InboxFilter, InboxRow
from workbench.ui import messages
from workbench.ui.dialogs.reason import ask_reason
from workbench.ui.models.rows import BAD, WARN, RowsModel, cell
from workbench.ui.widgets.countrypicker import CountryPicker
from workbench.ui.widgets.explanation import explanation_html

PAGE = 500
AGES: tuple[tuple[str, int | None, int | None], ...] = (
    ("Any age", None, None),
    ("Found in the last 7 days", None, 7),
    ("Waiting more than 7 days", 7, None),
    ("Waiting more than 30 days", 30, None),
)
"""(label, older than days, newer than days)."""
HEADERS = ("Score", "List", "Entry", "Party", "Country", "Match", "Waiting")


def _waiting(row: InboxRow, now: datetime) -> str:
    if row.hit.first_seen is None:
        return ""
    days = max(0, (now - row.hit.first_seen).days)
    return "today" if days == 0 else f"{days} day{'s' if days != 1 else ''}"


class ScreeningInboxView(QWidget):
    status_message = Signal(str)
    decided = Signal(int)
    """A decision was recorded on the register party with this id."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self._rows: list[InboxRow] = []
        self.list_filter = QComboBox()
        self.list_filter.setAccessibleName("List")
        self.country_filter = CountryPicker(allow_empty=True)
        self.country_filter.setAccessibleName("Country")
        self.age_filter = QComboBox()
        self.age_filter.setAccessibleName("Age")
        for label, _older, _newer in AGES:
            self.age_filter.addItem(label)
        self.count_label = QLabel()
        filters = QHBoxLayout()
        for label, widget in (("List", self.list_filter), ("Country", self.country_filter), ("Age", self.age_filter)):
            caption = QLabel(f"{label}:")
            caption.setBuddy(widget)
            filters.addWidget(caption)
            filters.addWidget(widget)
        filters.addStretch(1)
        filters.addWidget(self.count_label)

        self.model = RowsModel(HEADERS, self, numeric=frozenset({0}))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.table.setAccessibleName("Unresolved hits")
        self.explanation = QTextBrowser()
        self.explanation.setAccessibleName("Explanation")
        self.true_match = QPushButton("&True match (T)")
        self.false_positive = QPushButton("&False positive (F)")
        self.next_button = QPushButton("&Next (N)")
        self.reload_button = QPushButton("&Reload")
        buttons = QHBoxLayout()
        for button in (self.true_match, self.false_positive, self.next_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reload_button)
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.explanation, 1)
        right_layout.addLayout(buttons)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.table)
        split.addWidget(right)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(split, 1)

        self.true_match.clicked.connect(lambda: self.decide(DispositionDecision.TRUE_MATCH))
        self.false_positive.clicked.connect(lambda: self.decide(DispositionDecision.FALSE_POSITIVE))
        self.next_button.clicked.connect(self.select_next)
        self.reload_button.clicked.connect(self.reload)
        self.table.installEventFilter(self)  # T, F and N on the queue (see ``eventFilter``)
        self.list_filter.currentIndexChanged.connect(lambda _i: self.reload())
        self.country_filter.code_changed.connect(lambda _c: self.reload())
        self.age_filter.currentIndexChanged.connect(lambda _i: self.reload())
        selection = self.table.selectionModel()
        selection.currentRowChanged.connect(lambda _now, _before: self._show_current())
        self._fill_lists()
        self.reload()

    # Loading ---------------------------------------------------------------------------
    def _fill_lists(self) -> None:
        self.list_filter.blockSignals(True)
        current = self.list_filter.currentData()
        self.list_filter.clear()
        self.list_filter.addItem("All lists", "")
        try:
            sources = party_screening.inbox_lists(self._wb)
        except WorkbenchError:
            sources = []
        for source in sources:
            self.list_filter.addItem(source, source)
        found = self.list_filter.findData(current)
        self.list_filter.setCurrentIndex(max(found, 0))
        self.list_filter.blockSignals(False)

    def current_filter(self) -> InboxFilter:
        _label, older, newer = AGES[max(self.age_filter.currentIndex(), 0)]
        source = self.list_filter.currentData() or ""
        country = self.country_filter.code()
        return InboxFilter(
            sources=(source,) if source else (),
            countries=(country,) if len(country) == 2 else (),
            older_than_days=older,
            newer_than_days=newer,
        )

    def reload(self, select_row: int = 0) -> None:
        """Load the queue under the filters and select ``select_row`` (clamped to the rows there are)."""
        try:
            total, rows = party_screening.inbox_page(self._wb, self.current_filter(), limit=PAGE)
        except WorkbenchError as exc:
            messages.error(self, "The screening inbox could not be loaded.", exc=exc)
            return
        self._rows = rows
        now = datetime.now(UTC)
        self.model.replace_rows(
            [
                (
                    cell(f"{r.hit.score:.2f}", right=True, bold=True),
                    cell(r.hit.source_code),
                    cell(f"{r.hit.entry_name} ({r.hit.entry_id})"),
                    cell(f"{r.party_name} (party {r.hit.party_id})"),
                    cell(r.party_country),
                    cell("address", "Matched by an address of the party, not its name", colour=WARN)
                    if r.hit.by_address
                    else cell("name"),
                    cell(_waiting(r, now)),
                )
                for r in rows
            ],
            [(r.hit.party_id, r.hit.source_code, r.hit.entry_id) for r in rows],
        )
        shown = f"{len(rows):,} of {total:,}" if total > len(rows) else f"{total:,}"
        self.count_label.setText(f"{shown} unresolved hit{'s' if total != 1 else ''}")
        self.table.resizeColumnsToContents()
        if rows:
            self.table.selectRow(min(max(select_row, 0), len(rows) - 1))
        self._show_current()

    def current_row(self) -> InboxRow | None:
        index = self.table.currentIndex()
        if not index.isValid() or index.row() >= len(self._rows):
            return None
        return self._rows[index.row()]

    def _show_current(self) -> None:
        row = self.current_row()
        for button in (self.true_match, self.false_positive, self.next_button):
            button.setEnabled(row is not None)
        if row is None:
            self.explanation.setHtml("<p>No unresolved hits under these filters.</p>")
            return
        hit = row.hit
        kind = "Address match" if hit.by_address else "Name match"
        reopened = f'<p style="color:{BAD.name()}">{escape(hit.reopened)}</p>' if hit.reopened else ""
        self.explanation.setHtml(
            f"<h3>{escape(row.party_name)} ~ {escape(hit.entry_name)}</h3>"
            f"<p><b>{kind}</b> on {escape(hit.source_code)} {escape(hit.entry_id)}, score {hit.score:.2f}.</p>"
            f"{reopened}<p>{escape(str(hit.explanation.get('text', '')))}</p>"
            + explanation_html(hit.explanation, str(hit.explanation.get("query", "")), hit.matched_name)
        )

    # Triage ------------------------------------------------------------------------------
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """T, F and N on the table (without modifiers): decide or move on; other keys as usual."""
        plain = (Qt.KeyboardModifier.NoModifier, Qt.KeyboardModifier.KeypadModifier)
        if (
            watched is self.table
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.modifiers() in plain
        ):
            key = event.key()
            if key == Qt.Key.Key_T:
                self.decide(DispositionDecision.TRUE_MATCH)
                return True
            if key == Qt.Key.Key_F:
                self.decide(DispositionDecision.FALSE_POSITIVE)
                return True
            if key == Qt.Key.Key_N:
                self.select_next()
                return True
        return super().eventFilter(watched, event)

    def select_next(self) -> None:
        row = self.table.currentIndex().row()
        if row + 1 < self.model.rowCount():
            self.table.selectRow(row + 1)

    def decide(self, decision: DispositionDecision) -> bool:
        """Ask for the reason, record the decision on the party, and move on to the next hit."""
        row = self.current_row()
        if row is None:
            return False
        position = self.table.currentIndex().row()
        words = "a true match" if decision is DispositionDecision.TRUE_MATCH else "a false positive"
        reason, ok = ask_reason(
            self,
            f"Why is {row.party_name} {words} for {row.hit.entry_name} ({row.hit.source_code})? "
            "The decision holds in every case of this party until the entry or the party changes.",
            minimum=5,
        )
        if not ok:
            self.table.setFocus()
            return False
        try:
            party_screening.decide(self._wb, row.hit.party_id, row.hit.entry_id, decision, reason)
        except WorkbenchError as exc:
            messages.error(self, f"The decision on {row.hit.entry_name} was not recorded.", exc=exc)
            self.reload(position)
            return False
        self.status_message.emit(f"Recorded {decision.value.replace('_', ' ')} for {row.party_name}.")
        self.decided.emit(row.hit.party_id)
        self._fill_lists()
        self.reload(position)  # the decided hit leaves the queue: the same position is the next one
        self.table.setFocus()  # back from the reason dialog, the keys work on the queue again
        return True
