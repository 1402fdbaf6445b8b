"""The Checks panel: the outcome banner, findings with citations, open items, what-if selectors, red flags.

Checks screen the parties, so they run off the GUI thread. They check the case as edited
(when it is valid), with the stored screening decisions, documents and licences.
"""

from __future__ import annotations

from datetime import date
from enum import IntEnum
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.determination import Determination, Finding, Outcome, Posture, Standing
from workbench.services import Workbench
from workbench.services.checks import check
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.dates import DateField
from workbench.ui.models.rows import BAD, GOOD, MUTED, WARN, Cell, RowsModel, cell
from workbench.ui.ops import IsCancelled, Op, Progress
from workbench.ui.palette import css
from workbench.ui.panels.redflags import RedFlagChecklist
from workbench.ui.widgets.columns import ColumnFitter

BANNER_COLOURS: dict[Outcome, tuple[str, str]] = {
    Outcome.NLR: ("#dcfce7", "#14532d"),
    Outcome.LICENSE_EXCEPTION: ("#dbeafe", "#1e3a8a"),
    Outcome.LICENSE_REQUIRED: ("#fef3c7", "#78350f"),
    Outcome.PROHIBITED: ("#fee2e2", "#7f1d1d"),
}
"""Outcome -> (background, text colour) of the banner."""
OPEN_BANNER = ("#fef9c3", "#713f12")
"""The banner of an outcome not yet determined: never NLR green while anything is open."""
_OUTCOME_COLOURS = {
    Outcome.NLR: GOOD,
    Outcome.LICENSE_EXCEPTION: MUTED,
    Outcome.LICENSE_REQUIRED: WARN,
    Outcome.PROHIBITED: BAD,
}
POSTURE_LABELS = {
    Posture.ENFORCED: "As BIS enforces it",
    Posture.CODIFIED: "What-if: the codified text",
}


class Column(IntEnum):
    OUTCOME = 0
    SUBJECT = 1
    RULE = 2
    CITATION = 3


_HEADERS = ("Outcome", "Subject", "Rule", "Citation")


def _finding_row(finding: Finding) -> tuple[Cell, ...]:
    outcome = finding.label
    if finding.exception:
        outcome += f" ({finding.exception})"
    if finding.covered_by:
        outcome += f" — covered by {finding.covered_by}"
    open_nlr = finding.review and finding.outcome is Outcome.NLR
    marks = " · needs review" if finding.review and not (open_nlr or finding.provisional) else ""
    marks += " · unconfirmed" if finding.unconfirmed else ""
    colour = WARN if open_nlr else _OUTCOME_COLOURS[finding.outcome]
    return (
        cell(outcome + marks, finding.explanation, colour=colour),
        cell(finding.subject),
        cell(finding.rule),
        cell(finding.citation),
    )


def banner_text(result: Determination) -> str:
    """The determination's headline: never NLR while anything is open or provisional."""
    text = result.headline
    if result.all_requirements_covered:
        text += " — covered by recorded licences"
    return text


def banner_colours(result: Determination) -> tuple[str, str]:
    """An undetermined outcome below a licence requirement is shown as open, not as NLR or an exception."""
    if result.standing is Standing.OPEN and result.outcome.severity < Outcome.LICENSE_REQUIRED.severity:
        return OPEN_BANNER
    return BANNER_COLOURS[result.outcome]


def finding_html(finding: Finding) -> str:
    parts = [
        f"<p><b>{escape(finding.label)}</b> — {escape(finding.subject)}</p>",
        f"<p>{escape(finding.explanation)}</p>",
        f"<p style='color:{css(MUTED)}'>Rule <code>{escape(finding.rule)}</code> · {escape(finding.citation)}</p>",
    ]
    if finding.provisional:
        parts.append(
            f"<p style='color:{css(WARN)}'>Provisional: this holds if {escape(finding.provisional)}. "
            "Decide the hit in the Screening tab (a false positive needs a reason).</p>"
        )
    if finding.review_policy:
        parts.append(f"<p>Licence review policy: {escape(finding.review_policy)}</p>")
    if finding.covered_by:
        parts.append(f"<p>Covered by {escape(finding.covered_by)}.</p>")
    if finding.unconfirmed:
        parts.append(
            f"<p style='color:{css(WARN)}'>The rule data behind this finding is not confirmed; check the source.</p>"
        )
    return "".join(parts)


class ChecksPanel(QWidget):
    def __init__(self, wb: Workbench, editor: CaseEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self._editor = editor
        self._ran_once = False
        self.result: Determination | None = None
        self.op: Op[Determination] | None = None
        self.use_transaction_date = QCheckBox("Transaction date")
        self.use_transaction_date.setChecked(True)
        self.as_of = DateField(editor.current_case().transaction_date)
        self.as_of.setEnabled(False)
        self.posture = QComboBox()
        for posture, label in POSTURE_LABELS.items():
            self.posture.addItem(label, posture.value)
        self.run_button = QPushButton("&Run checks")
        self.banner = QLabel("Checks have not run yet.")
        self.banner.setWordWrap(True)
        self.banner.setTextFormat(Qt.TextFormat.RichText)
        self.model = RowsModel(_HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(True)
        self.fitter = ColumnFitter(self.table, (Column.OUTCOME, Column.SUBJECT, Column.CITATION))
        self.detail = QTextBrowser()
        self.open_items = QListWidget()
        self.open_items.setWordWrap(True)
        self.open_items.setAlternatingRowColors(True)
        self.open_items.setSpacing(3)
        self.red_flags = RedFlagChecklist(editor)
        self.tabs = QTabWidget()
        self._build_layout()
        self._set_banner(None)
        self.use_transaction_date.toggled.connect(self._as_of_toggled)
        self.as_of.date_changed.connect(lambda _d: self.run_checks())
        self.posture.currentIndexChanged.connect(lambda _i: self.run_checks())
        self.run_button.clicked.connect(self.run_checks)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._show_finding())

    def _build_layout(self) -> None:
        controls = QHBoxLayout()
        controls.addWidget(QLabel("As of:"))
        controls.addWidget(self.use_transaction_date)
        controls.addWidget(self.as_of)
        controls.addSpacing(16)
        controls.addWidget(QLabel("Posture:"))
        controls.addWidget(self.posture)
        controls.addStretch(1)
        controls.addWidget(self.run_button)
        findings = QSplitter(Qt.Orientation.Vertical)
        findings.addWidget(self.table)
        findings.addWidget(self.detail)
        findings.setStretchFactor(0, 3)
        findings.setStretchFactor(1, 1)
        items_box = QWidget()
        items_layout = QVBoxLayout(items_box)
        items_layout.setContentsMargins(0, 0, 0, 0)
        items_layout.addWidget(QLabel("<b>Open items</b> (resolve before signing)"))
        items_layout.addWidget(self.open_items)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(findings)
        split.addWidget(items_box)
        split.setStretchFactor(0, 2)  # the findings' four columns need the room more than the open items
        split.setStretchFactor(1, 1)
        split.setChildrenCollapsible(False)
        self.tabs.addTab(split, "Findings and open items")
        self.tabs.addTab(self.red_flags, "Red-flag checklist")
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

    # Running -------------------------------------------------------------------
    def selected_as_of(self) -> date | None:
        if self.use_transaction_date.isChecked():
            return None
        return self.as_of.value() or self._editor.current_case().transaction_date  # bad text: said under the field

    def selected_posture(self) -> Posture:
        return Posture(self.posture.currentData())

    def run_checks(self) -> Op[Determination]:
        """Check the case as edited, off the GUI thread; a run still going is cancelled first."""
        if self.op is not None and self.op.outcome == "running":
            self.op.cancel()
        wb, case, stored = self._wb, self._editor.current_case(), not self._editor.is_new
        as_of, posture = self.selected_as_of(), self.selected_posture()

        def work(progress: Progress, cancelled: IsCancelled) -> Determination:
            return check(wb, case, stored=stored, as_of=as_of, posture=posture)

        self._ran_once = True
        self.banner.setText("Checking…")
        op = Op(self, work, title="Run checks").success(self._show)
        self.op = op
        return op.run()

    def _show(self, result: Determination) -> None:
        self.result = result
        self._set_banner(result)
        self.model.replace_rows([_finding_row(f) for f in result.findings], list(range(len(result.findings))))
        self.fitter.refit()  # the rule ids never give way; long outcomes and citations elide, full in the tooltip
        self.open_items.clear()
        self.open_items.addItems(list(result.open_items) or ["Nothing open."])
        self.tabs.setTabText(0, f"Findings ({len(result.findings)}) and open items ({len(result.open_items)})")
        if result.findings:
            self.table.selectRow(0)
        self._show_finding()
        self.red_flags.rebuild()

    def _set_banner(self, result: Determination | None) -> None:
        if result is None:
            self.banner.setStyleSheet("padding: 10px; border-radius: 4px; background: palette(alternate-base);")
            return
        background, colour = banner_colours(result)
        self.banner.setStyleSheet(
            f"background-color: {background}; color: {colour}; padding: 10px; border-radius: 4px;"
            f" border: 1px solid {colour};"
        )
        posture = "enforced posture" if result.posture is Posture.ENFORCED else "codified text (what-if)"
        self.banner.setText(
            f"<span style='font-size:15pt; font-weight:600'>{escape(banner_text(result))}</span><br>"
            f"As of {result.as_of.isoformat()} · {posture} · {len(result.findings)} findings"
        )

    def banner_colour(self) -> str:
        """The banner's background colour (``#rrggbb``), for tests and screenshots."""
        return banner_colours(self.result)[0] if self.result else ""

    def _show_finding(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or self.result is None:
            self.detail.setHtml(f"<p style='color:{css(MUTED)}'>Select a finding to read its explanation.</p>")
            return
        self.detail.setHtml(finding_html(self.result.findings[rows[0].row()]))

    def _as_of_toggled(self, use_transaction_date: bool) -> None:
        self.as_of.setEnabled(not use_transaction_date)
        if not use_transaction_date:
            self.as_of.set_date(self._editor.current_case().transaction_date)
        self.run_checks()

    def rerun_if_shown(self) -> None:
        """Run the checks again if they ran before (the case's screening or documents changed)."""
        if self._ran_once:
            self.run_checks()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._ran_once:
            self.run_checks()
