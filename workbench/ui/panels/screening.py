"""The Screening panel: each party's hits with their explanation, the officer's decisions, rescreening."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import IntEnum
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.screening import DispositionDecision, ListEntry
from workbench.domain.screening_records import StoredHit
from workbench.services import Workbench
from workbench.services.screening import (
    NEVER_SCREENED,
    ScreeningState,
    case_hits,
    decide,
    hit_entries,
    list_versions,
    screen_case,
    screening_state,
)
from workbench.ui import messages
from workbench.ui.models.rows import BAD, GOOD, WARN, Cell, RowsModel, cell
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css
from workbench.ui.widgets.explanation import ExplanationView
from workbench.ui.widgets.listentry import ListEntryView

_DECISION_WORDS = {
    DispositionDecision.TRUE_MATCH: "True match",
    DispositionDecision.FALSE_POSITIVE: "False positive",
}


class Column(IntEnum):
    PARTY = 0
    LISTED_NAME = 1
    LIST = 2
    SCORE = 3
    DECISION = 4


_HEADERS = ("Party", "Listed name", "List", "Score", "Decision")


@dataclass(frozen=True, slots=True)
class Screened:
    """What the panel shows after loading or rescreening: the hits and the list version they came from."""

    hits: tuple[StoredHit, ...]
    version_label: str
    new_hits: int = 0
    gone_hits: int = 0
    state: ScreeningState = field(default_factory=lambda: ScreeningState(None))
    entries: dict[tuple[str, str, str], ListEntry] = field(default_factory=dict)


def _row(hit: StoredHit) -> tuple[Cell, ...]:
    decision = hit.disposition
    if decision is None:
        verdict = cell(
            "Open: decide", "Mark it a true match or a false positive, with a reason.", colour=WARN, bold=True
        )
    else:
        word = _DECISION_WORDS[decision.decision]
        tip = f"{word} — {decision.reason} ({decision.officer}, {decision.decided_at:%Y-%m-%d %H:%M} UTC)"
        verdict = cell(
            f"{word} · {decision.officer}, {decision.decided_at:%Y-%m-%d}",
            tip,
            colour=BAD if hit.is_true_match else GOOD,
            bold=hit.is_true_match,
        )
    return (
        cell(f"{hit.party_position}. {hit.party_name}"),
        cell(hit.entry_name, f"{hit.entry_name}\nmatched on: {hit.matched_name}"),
        cell(hit.source_code, f"{hit.source_code} entry {hit.entry_id}"),
        cell(f"{hit.score:.2f}", right=True),
        verdict,
    )


def load_screened(wb: Workbench, reference: str) -> Screened:
    hits = tuple(case_hits(wb, reference))
    labels = {v.id: v.label for v in list_versions(wb)}
    used = sorted({labels.get(h.list_version_id, f"version {h.list_version_id}") for h in hits})
    return Screened(hits, ", ".join(used), state=screening_state(wb, reference), entries=hit_entries(wb, hits))


def status_text(screened: Screened) -> str:
    """The line above the hits: how many, against which list, or when a screening found none."""
    state = screened.state
    hits = screened.hits
    officer, label, used = escape(state.officer), escape(state.version_label), escape(screened.version_label)
    if not state.screened and not hits:
        return f"{NEVER_SCREENED}: screen the saved parties against the active list version."
    if not hits:
        when = f"{state.screened_at:%Y-%m-%d %H:%M} UTC" if state.screened_at else "an unknown time"
        text = f"No hits. Screened on {when} by {officer} against <b>{label}</b>."
    else:
        open_count = sum(1 for h in hits if not h.resolved)
        text = (
            f"{len(hits)} hit{'s' if len(hits) != 1 else ''} against "
            f"<b>{used}</b>; {open_count} still to decide."
        )
        if state.screened_at:
            text += f" Screened on {state.screened_at:%Y-%m-%d %H:%M} UTC by {officer}."
    if screened.new_hits or screened.gone_hits:
        text += f" Since the last screening: {screened.new_hits} new, {screened.gone_hits} gone."
    return text


class ScreeningPanel(QWidget):
    """Hits of one stored case; decisions are recorded at once (they are not part of the case's Save)."""

    hits_changed = Signal()

    def __init__(
        self, wb: Workbench, reference: str, parent: QWidget | None = None, *, unsaved: bool = False
    ) -> None:
        super().__init__(parent)
        self._wb = wb
        self.reference = reference
        self.unsaved = unsaved
        self._hits: tuple[StoredHit, ...] = ()
        self._entries: dict[tuple[str, str, str], ListEntry] = {}
        self.op: Op[Screened] | None = None
        self.version_label = QLabel()
        self.version_label.setWordWrap(True)
        self.stale_label = QLabel()
        self.stale_label.setWordWrap(True)
        self.stale_label.setStyleSheet(f"color: {css(WARN)}; font-weight: 600;")
        self.rescreen_now = QPushButton("Rescreen &now")
        self.rescreen_now.clicked.connect(self.rescreen)
        self.stale_bar = QWidget()
        stale = QHBoxLayout(self.stale_bar)
        stale.setContentsMargins(0, 0, 0, 0)
        stale.addWidget(self.stale_label, 1)
        stale.addWidget(self.rescreen_now)
        self.stale_bar.hide()
        self.rescreen_button = QPushButton("&Rescreen parties")
        self.rescreen_button.setToolTip("Screen every party of the saved case against the active list version")
        self.rescreen_button.clicked.connect(self.rescreen)
        self.model = RowsModel(_HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.LISTED_NAME, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.explanation = ExplanationView()
        self.entry_view = ListEntryView()
        self.reason = QLineEdit()
        self.reason.setPlaceholderText("Reason for the decision (kept in the audit trail)")
        self.reason_error = QLabel()
        self.reason_error.setWordWrap(True)
        self.reason_error.setStyleSheet(f"color: {css(BAD)};")
        self.reason_error.hide()
        self.reason.textEdited.connect(lambda _text: self.reason_error.hide())
        self.true_button = QPushButton("Mark &true match")
        self.false_button = QPushButton("Mark &false positive")
        self.true_button.clicked.connect(self.decide_true_match)
        self.false_button.clicked.connect(self.decide_false_positive)
        self._build_layout()
        self.refresh()

    def _build_layout(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.version_label, 1)
        top.addWidget(self.rescreen_button)
        decide = QHBoxLayout()
        decide.addWidget(self.reason, 1)
        decide.addWidget(self.true_button)
        decide.addWidget(self.false_button)
        details = QSplitter(Qt.Orientation.Horizontal)
        details.addWidget(self.explanation)
        details.addWidget(self.entry_view)
        details.setChildrenCollapsible(False)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(details, 1)
        lower_layout.addLayout(decide)
        lower_layout.addWidget(self.reason_error)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.stale_bar)
        layout.addWidget(splitter, 1)

    # Loading -------------------------------------------------------------------
    def case_saved(self) -> None:
        """The editor saved the case: a new case can now be screened; changed parties are offered a rescreen."""
        self.unsaved = False
        self.refresh()

    def refresh(self) -> None:
        """Reload the stored hits (a quick database read)."""
        if self.unsaved:
            self._show(Screened((), ""))
            self.version_label.setText("Save the case to screen its parties against the restricted-party lists.")
            self.rescreen_button.setEnabled(False)
            return
        self.rescreen_button.setEnabled(True)
        try:
            self._show(load_screened(self._wb, self.reference))
        except WorkbenchError as exc:
            messages.error(self, f"The screening hits of case {self.reference} could not be loaded.", exc=exc)

    def rescreen(self) -> Op[Screened]:
        """Screen the saved case's parties off the GUI thread (the first run builds the list index)."""
        wb, reference = self._wb, self.reference

        def work(progress: Progress, cancelled: IsCancelled) -> Screened:
            change = screen_case(wb, reference)
            loaded = load_screened(wb, reference)
            return Screened(
                loaded.hits,
                loaded.version_label,
                len(change.new_hits),
                len(change.gone_hits),
                loaded.state,
                loaded.entries,
            )

        self.rescreen_button.setEnabled(False)
        self.rescreen_now.setEnabled(False)
        self.op = (
            Op(self, work, title="Screen case")
            .success(self._rescreened)
            .with_progress(f"Screening the parties of {reference}…")
        )
        self.op.done.connect(self._rescreen_done)
        return self.op.run()

    def _rescreen_done(self) -> None:
        self.rescreen_button.setEnabled(not self.unsaved)
        self.rescreen_now.setEnabled(True)

    def _rescreened(self, screened: Screened) -> None:
        self._show(screened)
        self.hits_changed.emit()

    def _show(self, screened: Screened) -> None:
        selected = self.selected_hit()
        self._hits = screened.hits
        self._entries = screened.entries
        self.model.replace_rows([_row(h) for h in screened.hits], [(h.party_name, *h.key) for h in screened.hits])
        self.version_label.setText(status_text(screened))
        self.rescreen_button.setText("&Rescreen parties" if screened.state.screened else "&Screen parties")
        stale = screened.state.screened and screened.state.parties_changed
        self.stale_label.setText(
            "The parties changed after the last screening; these hits may not match the saved parties."
            if stale
            else ""
        )
        self.stale_bar.setVisible(stale)
        self.rescreen_button.setToolTip(
            "Screen every party of the saved case against the active list version; a hit scores at least "
            f"{self._wb.screening_threshold:.2f} (the threshold is set in Preferences)"
        )
        row = self.model.row_of((selected.party_name, *selected.key)) if selected else -1
        self.table.selectRow(row if row >= 0 else 0)
        self._selected()

    # Decisions -----------------------------------------------------------------
    def selected_hit(self) -> StoredHit | None:
        rows = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        return self._hits[rows[0].row()] if rows and rows[0].row() < len(self._hits) else None

    def _selected(self) -> None:
        hit = self.selected_hit()
        for widget in (self.reason, self.true_button, self.false_button):
            widget.setEnabled(hit is not None)
        self.reason_error.hide()
        if hit is None:
            self.explanation.clear_explanation(
                "Select a hit to see why the names matched." if self._hits else "No hits to explain."
            )
            self.entry_view.clear_entry("Select a hit to see the list entry." if self._hits else "")
            return
        self.explanation.show_explanation(hit.explanation, hit.party_name, hit.entry_name)
        self.entry_view.show_entry(hit, self._entries.get(hit.key))
        self.reason.setText(hit.disposition.reason if hit.disposition else "")

    def decide_true_match(self) -> bool:
        return self.decide(DispositionDecision.TRUE_MATCH)

    def decide_false_positive(self) -> bool:
        return self.decide(DispositionDecision.FALSE_POSITIVE)

    def decide(self, decision: DispositionDecision) -> bool:
        """Record the decision on the selected hit; False (and a message) if it was refused."""
        hit = self.selected_hit()
        if hit is None:
            return False
        try:
            decide(self._wb, self.reference, hit, decision, self.reason.text())
        except WorkbenchError as exc:
            if isinstance(exc, ValidationError) and exc.field == "reason":  # said where it is typed
                self.reason_error.setText(messages.validation_sentence(exc))
                self.reason_error.show()
                self.reason.setFocus()
                return False
            messages.error(self, f"The decision on {hit.entry_name} was not recorded.", exc=exc)
            return False
        self.refresh()
        self.hits_changed.emit()
        return True
