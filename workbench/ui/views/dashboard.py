"""The Dashboard: what needs attention across all cases, and one case's items against 3A090.

Counts come from ``list_cases`` totals with filters (one COUNT each, no cases loaded);
open items and undecided screening hits need every open case checked, so they load off
the GUI thread.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QModelIndex, Qt, Signal, Slot
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import CaseStatus
from workbench.domain.determination import Outcome
from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.cases import get_case, list_cases
from workbench.services.checks import attention
from workbench.services.documents import expiring
from workbench.services.screening import NEVER_SCREENED, never_screened
from workbench.ui import messages
from workbench.ui.models.rows import BAD, WARN, KeyRole, RowsModel, cell
from workbench.ui.ops import Op
from workbench.ui.widgets.tables import read_only_table
from workbench.ui.widgets.tppchart import TppChart, item_points

logger = logging.getLogger(__name__)

OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
OPEN_CASE_LIMIT = 500


@dataclass(frozen=True, slots=True)
class OpenHit:
    """A screening hit awaiting a decision, with the case it belongs to."""

    reference: str
    party_name: str
    entry_name: str
    source_code: str
    score: float


def status_counts(wb: Workbench) -> dict[CaseStatus, int]:
    """How many cases have each status (a COUNT per status)."""
    return {status: list_cases(wb, statuses=(status,), limit=1).total for status in CaseStatus}


def outcome_counts(wb: Workbench) -> dict[str, int]:
    """How many cases have each latest-determination outcome, plus ``none`` for undetermined ones."""
    counts = {outcome.value: list_cases(wb, outcomes=(outcome.value,), limit=1).total for outcome in Outcome}
    counts["none"] = max(0, list_cases(wb, limit=1).total - sum(counts.values()))
    return counts


@dataclass(frozen=True, slots=True)
class OpenItem:
    """Something a case still needs before it can be signed off (from its checks)."""

    reference: str
    text: str


@dataclass(frozen=True, slots=True)
class Attention:
    """What the open cases still need: undecided hits and open items, and how many cases were looked at."""

    hits: list[OpenHit]
    items: list[OpenItem]
    cases: int
    never_screened: tuple[str, ...] = ()


def needs_attention(wb: Workbench, progress: Callable[[int, int], None], cancelled: Callable[[], bool]) -> Attention:
    """Undecided hits and open items of draft and in-review cases (runs on a worker thread).

    Open items and undecided hits come from one screening per case, the one its checks run (as
    the Checks panel does), so the hits and the open items never disagree.
    """
    rows = list_cases(wb, statuses=OPEN_STATUSES, limit=OPEN_CASE_LIMIT).rows
    unscreened = never_screened(wb, [r.reference for r in rows])
    hits: list[OpenHit] = []
    items: list[OpenItem] = []
    done = 0
    for done, summary in enumerate(rows, start=1):
        if cancelled():
            break
        if summary.reference in unscreened:
            items.append(OpenItem(summary.reference, f"{NEVER_SCREENED}: screen its parties in the Screening tab"))
        found = attention(wb, get_case(wb, summary.reference))
        for hit in found.open_hits:
            hits.append(OpenHit(summary.reference, hit.party_name, hit.entry_name, hit.source_code, hit.score))
        items.extend(OpenItem(summary.reference, text) for text in found.determination.open_items)
        progress(done, len(rows))
    return Attention(hits, items, done, tuple(sorted(unscreened)))


def _compact_table(model: RowsModel) -> QTableView:
    """A short table that shows all its rows without scrolling (the counts)."""
    table = read_only_table(model)
    table.setSizeAdjustPolicy(QAbstractScrollArea.SizeAdjustPolicy.AdjustToContents)
    table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    table.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
    return table


class DashboardView(QWidget):
    """Counts, expiring documents, open hits and the chart; double-click a row to open its case."""

    open_requested = Signal(str)

    def __init__(self, wb: Workbench, parent: QWidget | None = None, *, expiry_days: int = 30) -> None:
        super().__init__(parent)
        self._wb = wb
        self.expiry_days = expiry_days
        self.hits_op: Op[Attention] | None = None
        self._closed = False

        self.status_model = RowsModel(("Status", "Cases"), self, numeric=frozenset({1}))
        self.outcome_model = RowsModel(("Outcome", "Cases"), self, numeric=frozenset({1}))
        self.expiring_model = RowsModel(("Case", "Document", "Valid until", "Days left"), self, numeric=frozenset({3}))
        self.hits_model = RowsModel(("Case", "Party", "Listed entry", "List", "Score"), self, numeric=frozenset({4}))
        self.items_model = RowsModel(("Case", "Open item"), self)
        self.hits_label = QLabel("Loading…")
        self.items_label = QLabel("Loading…")
        self.expiring_box = QGroupBox()

        self.chart = TppChart()
        self.case_combo = QComboBox()
        self.case_combo.setMinimumContentsLength(16)
        self.case_combo.currentIndexChanged.connect(self._case_chosen)
        self.log_box = QCheckBox("Log TPP axis")
        self.log_box.toggled.connect(self.chart.set_log_scale)
        self.chart_note = QLabel()

        counts = QHBoxLayout()
        counts.addWidget(self._box("Cases by status", _compact_table(self.status_model)))
        counts.addWidget(self._box("Cases by outcome", _compact_table(self.outcome_model)))
        items_table = read_only_table(self.items_model)
        items_table.doubleClicked.connect(self._open_row)
        items_table.setWordWrap(True)
        items_table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        expiring_table = read_only_table(self.expiring_model)
        expiring_table.doubleClicked.connect(self._open_row)
        QVBoxLayout(self.expiring_box).addWidget(expiring_table)
        hits_table = read_only_table(self.hits_model)
        hits_table.doubleClicked.connect(self._open_row)

        left = QVBoxLayout()
        left.addLayout(counts)
        left.addWidget(self._box("Open items of draft and in-review cases", items_table, self.items_label), 2)
        left.addWidget(
            self._box("Screening hits awaiting a decision (draft and in-review cases)", hits_table, self.hits_label), 1
        )
        left.addWidget(self.expiring_box, 1)

        chart_box = QGroupBox("Advanced computing: TPP against performance density (3A090)")
        chart_layout = QVBoxLayout(chart_box)
        row = QHBoxLayout()
        row.addWidget(QLabel("Case:"))
        row.addWidget(self.case_combo, 1)
        row.addWidget(self.log_box)
        chart_layout.addLayout(row)
        chart_layout.addWidget(self.chart, 1)
        chart_layout.addWidget(self.chart_note)

        columns = QHBoxLayout(self)
        columns.addLayout(left, 1)
        columns.addWidget(chart_box, 1)

    @staticmethod
    def _box(title: str, *widgets: QWidget) -> QGroupBox:
        box = QGroupBox(title)
        layout = QVBoxLayout(box)
        for widget in widgets:
            layout.addWidget(widget)
        return box

    # Loading -------------------------------------------------------------------
    def reload(self, reference: str | None = None) -> None:
        """Recount everything; chart ``reference`` when given (else keep the chosen case)."""
        try:
            self._load_counts()
            self._load_expiring()
            self._load_case_choices(reference)
        except WorkbenchError as exc:
            messages.error(self, "Could not load the dashboard.", exc=exc)
        self._load_hits()

    def _load_counts(self) -> None:
        statuses = status_counts(self._wb)
        self.status_model.replace_rows(
            [(cell(s.label), cell(f"{n:,}", right=True)) for s, n in statuses.items()],
            [s.value for s in statuses],
        )
        outcomes = outcome_counts(self._wb)

        def label(key: str) -> str:
            return Outcome(key).label if key != "none" else "Not determined"

        self.outcome_model.replace_rows(
            [
                (
                    cell(label(k)),
                    cell(f"{n:,}", right=True, colour=BAD if k == Outcome.PROHIBITED.value and n else None),
                )
                for k, n in outcomes.items()
            ],
            list(outcomes),
        )

    def _load_expiring(self) -> None:
        docs = sorted(expiring(self._wb, within_days=self.expiry_days), key=lambda d: d.days_left)
        self.expiring_box.setTitle(f"Documents of open cases expiring within {self.expiry_days} days")
        self.expiring_model.replace_rows(
            [
                (
                    cell(d.reference),
                    cell(d.filename),
                    cell(d.valid_until.isoformat()),
                    cell(
                        "expired" if d.days_left < 0 else str(d.days_left),
                        right=True,
                        colour=BAD if d.days_left < 0 else WARN,
                    ),
                )
                for d in docs
            ],
            [d.reference for d in docs],
        )

    def _load_hits(self) -> None:
        if self.hits_op is not None and self.hits_op.outcome == "running":
            self.hits_op.cancel()
        self.hits_label.setText("Loading…")
        self.items_label.setText("Checking the open cases…")
        wb = self._wb
        self.hits_op = (
            # No parent: the op may outlive a closed tab, and then its results are dropped.
            Op(
                None,
                lambda progress, cancelled: needs_attention(wb, progress, cancelled),
                title="Load open items and screening hits",
            )
            .success(self._show_attention)
            .failure(self._hits_failed)
        )
        self.hits_op.progress.connect(self._checking)
        self.hits_op.run()

    @Slot(int, int)
    def _checking(self, done: int, total: int) -> None:
        if not self._closed:
            self.items_label.setText(f"Checking the open cases… {done:,} of {total:,}")

    def shutdown(self) -> None:
        """Stop loading before the tab is deleted; a late result is then ignored."""
        self._closed = True
        if self.hits_op is not None:
            self.hits_op.cancel()

    def _hits_failed(self, exc: BaseException) -> None:
        if not self._closed:
            self.hits_label.setText(f"Could not load the hits: {exc}")
            self.items_label.setText(f"Could not check the open cases: {exc}")

    def _show_attention(self, attention: Attention) -> None:
        if self._closed:
            return
        self._show_hits(attention.hits, attention.never_screened)
        items = attention.items
        self.items_model.replace_rows([(cell(i.reference), cell(i.text)) for i in items], [i.reference for i in items])
        cases = len({i.reference for i in items})
        limited = f" (the first {OPEN_CASE_LIMIT} open cases)" if attention.cases >= OPEN_CASE_LIMIT else ""
        self.items_label.setText(
            f"{len(items)} open item(s) in {cases} of {attention.cases} open case(s){limited}; double-click to open."
            if items
            else f"No open items in {attention.cases} open case(s){limited}."
        )

    def _show_hits(self, hits: list[OpenHit], unscreened: tuple[str, ...] = ()) -> None:
        self.hits_model.replace_rows(
            [
                (
                    cell(h.reference),
                    cell(h.party_name),
                    cell(h.entry_name),
                    cell(h.source_code),
                    cell(f"{h.score:.0%}", right=True),
                )
                for h in hits
            ],
            [h.reference for h in hits],
        )
        cases = len({h.reference for h in hits})
        text = f"{len(hits)} open hit(s) in {cases} case(s)." if hits else "No open hits."
        if unscreened:
            text += f" {NEVER_SCREENED}: {', '.join(unscreened)}."
        self.hits_label.setText(text)

    def _load_case_choices(self, reference: str | None) -> None:
        wanted = reference or self.case_combo.currentData()
        rows = list_cases(self._wb, limit=OPEN_CASE_LIMIT, order_by="reference", descending=False).rows
        self.case_combo.blockSignals(True)
        self.case_combo.clear()
        self.case_combo.addItem("(no case)", None)
        for summary in rows:
            self.case_combo.addItem(summary.reference, summary.reference)
        index = self.case_combo.findData(wanted) if wanted else -1
        self.case_combo.setCurrentIndex(max(index, 0))
        self.case_combo.blockSignals(False)
        self._plot_case()

    @Slot(int)
    def _case_chosen(self, _index: int) -> None:
        self._plot_case()

    def _plot_case(self) -> None:
        reference = self.case_combo.currentData()
        if not reference:
            self.chart.set_points([])
            self.chart_note.setText("Choose a case to plot its items.")
            return
        try:
            items = get_case(self._wb, str(reference)).items
        except WorkbenchError as exc:
            self.chart.set_points([])
            self.chart_note.setText(f"Could not load {reference}: {exc}")
            return
        points = item_points(items)
        self.chart.set_points(points)
        self.chart_note.setText(f"{len(points)} of {len(items)} item(s) state both TPP and performance density.")

    def _open_row(self, index: QModelIndex) -> None:
        key = index.data(KeyRole)
        if key:
            self.open_requested.emit(str(key))

    @property
    def charted_reference(self) -> str | None:
        data = self.case_combo.currentData(Qt.ItemDataRole.UserRole)
        return str(data) if data else None
