"""Lists ▸ Rule updates…: the rule-data versions, local amendments, and what each update moves.

Importing a pack, activating another version, adding or withdrawing an amendment run off the
GUI thread with progress and Cancel (the change itself is one transaction; Cancel stops the
re-check of the open cases and says how far it got). The report below lists every change in
words and each open case whose outcome or open items move, before and after.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.domain.rulepacks import Amendment, StoredRulePack
from workbench.services import Workbench
from workbench.services import rules as service
from workbench.ui import messages
from workbench.ui.models.rows import GOOD, MUTED, Cell, RowsModel, cell
from workbench.ui.ops import Cancelled, IsCancelled, Op, Progress

PACK_FILES = "Rule packs (*.wbrules);;All files (*)"
AMENDMENT_FILES = "Local amendments (*.json);;All files (*)"
_VERSION_HEADERS = ("", "Pack", "eCFR", "Rulebook", "Publisher", "Imported")
_AMENDMENT_HEADERS = ("Amendment", "Kind", "Applies to", "From", "Recorded", "Source")


def _version_row(v: StoredRulePack) -> tuple[Cell, ...]:
    origin = "shipped with the app" if v.builtin else f"{v.imported_at:%Y-%m-%d %H:%M} by {v.imported_by}"
    return (
        cell("Active" if v.active else "", colour=GOOD, bold=True),
        cell(v.label, f"{v.label}\nSHA-256 {v.sha256}\n{v.note}".strip()),
        cell(v.ecfr_issue_date),
        cell(f"{v.rulebook_version} (researched {v.rulebook_research_date})"),
        cell(v.publisher, v.fingerprint),
        cell(origin, colour=MUTED if v.builtin else None),
    )


def _amendment_row(a: Amendment) -> tuple[Cell, ...]:
    when = f"{a.recorded_at:%Y-%m-%d} by {a.recorded_by}" if a.recorded_at else ""
    return (
        cell(a.id, a.attribution()),
        cell(a.kind.replace("_", " ")),
        cell(a.target),
        cell(a.effective.isoformat()),
        cell(when),
        cell(a.source, f"{a.source}\nReason: {a.reason}"),
    )


def report_text(update: service.RuleUpdate) -> str:
    lines = [update.description, *service.update_summary(update), "", "Changes:"]
    lines += [f"  • {c.words}" for c in update.changes] or ["  (none)"]
    lines += ["", "Open cases that move:"]
    lines += [f"  • {m.words}" for m in update.moved] or ["  (none)"]
    lines += ["", f"Library products whose proposed classification changed ({update.products_reviewed} reviewed):"]
    lines += [
        f"  • {c.part_number}: proposed {c.before.proposed or 'none'} → {c.after.proposed or 'none'}"
        + (f" — conflict: {c.after.conflict}" if c.after.conflict else "")
        for c in update.products_changed
    ] or ["  (none)"]
    return "\n".join(lines)


class RuleUpdatesDialog(QDialog):
    rules_changed = Signal()
    """The active rule data changed (a pack, an activation or an amendment)."""

    def __init__(self, parent: QWidget | None, wb: Workbench) -> None:
        super().__init__(parent)
        self._wb = wb
        self.op: Op[service.RuleUpdate] | None = None
        self.last_update: service.RuleUpdate | None = None
        self.setWindowTitle("Rule updates")
        self.resize(1000, 640)
        hint = QLabel(
            "Rule data arrives as signed rule packs; your organisation's own reading of a development is a local "
            "amendment with its source. Every update is re-checked against the open cases."
        )
        hint.setWordWrap(True)
        self.versions = RowsModel(_VERSION_HEADERS, self)
        self.versions_view = self._table(self.versions, 4)
        self.amendments = RowsModel(_AMENDMENT_HEADERS, self)
        self.amendments_view = self._table(self.amendments, 5)
        self.report = QPlainTextEdit()
        self.report.setReadOnly(True)
        self.report.setPlaceholderText("The changes of the next update, and the cases they move, appear here.")
        self.import_button = QPushButton("&Import pack…")
        self.import_button.clicked.connect(self.choose_and_import)
        self.activate_button = QPushButton("&Activate selected…")
        self.activate_button.clicked.connect(self.activate_selected)
        self.amend_button = QPushButton("Add a&mendment…")
        self.amend_button.clicked.connect(self.choose_and_amend)
        self.withdraw_button = QPushButton("&Withdraw amendment…")
        self.withdraw_button.clicked.connect(self.withdraw_selected)
        self.save_button = QPushButton("&Save report…")
        self.save_button.setEnabled(False)
        self.save_button.clicked.connect(self.save_report)
        row = QHBoxLayout()
        for button in (self.import_button, self.activate_button, self.amend_button, self.withdraw_button):
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.save_button)
        splitter = QSplitter(Qt.Orientation.Vertical)
        for title, widget in (
            ("Versions", self.versions_view),
            ("Local amendments in force", self.amendments_view),
            ("Last update", self.report),
        ):
            box = QWidget()
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(QLabel(f"<b>{title}</b>"))
            inner.addWidget(widget)
            splitter.addWidget(box)
        splitter.setSizes([180, 140, 260])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(row)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)
        self.refresh()

    def _table(self, model: RowsModel, stretch: int) -> QTableView:
        view = QTableView()
        view.setModel(model)
        view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.verticalHeader().hide()
        view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
        return view

    def refresh(self) -> None:
        try:
            versions = service.rule_versions(self._wb)
            in_force = service.amendments(self._wb)
        except WorkbenchError as exc:
            messages.error(self, "The rule data versions could not be read.", exc=exc)
            return
        self.versions.replace_rows([_version_row(v) for v in versions], [v.version for v in versions])
        self.amendments.replace_rows([_amendment_row(a) for a in in_force], [a.id for a in in_force])

    def _selected_key(self, view: QTableView, model: RowsModel) -> object | None:
        rows = view.selectionModel().selectedRows()
        return model.key_at(rows[0].row()) if rows else None

    # --- operations (off the GUI thread) ---------------------------------------------------------

    def _run(self, title: str, label: str, work: object) -> Op[service.RuleUpdate]:
        def run(progress: Progress, cancelled: IsCancelled) -> service.RuleUpdate:
            assert callable(work)
            result: service.RuleUpdate = work(progress, cancelled)
            return result

        for button in (self.import_button, self.activate_button, self.amend_button, self.withdraw_button):
            button.setEnabled(False)
        op: Op[service.RuleUpdate] = (
            Op(self, run, title=title)
            .keeps_result_on_cancel()
            .success(self._updated)
            .failure(lambda exc: messages.error(self, f"{title} did not complete.", exc=exc))
            .cancelled(lambda: messages.info(self, f"{title} was cancelled before anything was changed."))
            .with_progress(label)
        )
        op.done.connect(self._enable)
        self.op = op
        return op.run()

    def _enable(self) -> None:
        for button in (self.import_button, self.activate_button, self.amend_button, self.withdraw_button):
            button.setEnabled(True)

    def _updated(self, update: service.RuleUpdate) -> None:
        self.last_update = update
        self.report.setPlainText(report_text(update))
        self.save_button.setEnabled(True)
        self.refresh()
        self.rules_changed.emit()

    def choose_and_import(self) -> Op[service.RuleUpdate] | None:
        name, _ = QFileDialog.getOpenFileName(self, "Import rule pack", str(Path.home()), PACK_FILES)
        return self.import_path(Path(name)) if name else None

    def import_path(self, path: Path, *, allow_older: bool = False) -> Op[service.RuleUpdate]:
        wb = self._wb
        return self._run(
            "Import rule pack",
            f"Importing {path.name} and re-checking the open cases…",
            lambda progress, cancelled: service.import_rule_pack(
                wb, path, allow_older=allow_older, progress=progress, cancelled=cancelled
            ),
        )

    def activate_selected(self) -> Op[service.RuleUpdate] | None:
        version = self._selected_key(self.versions_view, self.versions)
        if not isinstance(version, int):
            messages.info(self, "Select the rule data version to make active first.")
            return None
        reason, ok = QInputDialog.getText(self, "Activate rule data", f"Why make pack {version} active?")
        if not ok:
            return None
        return self.activate(version, reason)

    def activate(self, version: int, reason: str) -> Op[service.RuleUpdate]:
        wb = self._wb
        return self._run(
            "Activate rule data",
            f"Activating pack {version} and re-checking the open cases…",
            lambda progress, cancelled: service.activate_rule_pack(
                wb, version, reason=reason, progress=progress, cancelled=cancelled
            ),
        )

    def choose_and_amend(self) -> Op[service.RuleUpdate] | None:
        name, _ = QFileDialog.getOpenFileName(self, "Add local amendment", str(Path.home()), AMENDMENT_FILES)
        return self.amend_path(Path(name)) if name else None

    def amend_path(self, path: Path) -> Op[service.RuleUpdate]:
        wb = self._wb
        return self._run(
            "Add local amendment",
            f"Recording {path.name} and re-checking the open cases…",
            lambda progress, cancelled: service.add_amendment(wb, path, progress=progress, cancelled=cancelled),
        )

    def withdraw_selected(self) -> Op[service.RuleUpdate] | None:
        amendment_id = self._selected_key(self.amendments_view, self.amendments)
        if not isinstance(amendment_id, str):
            messages.info(self, "Select the amendment to withdraw first.")
            return None
        reason, ok = QInputDialog.getText(self, "Withdraw amendment", f"Why withdraw {amendment_id}?")
        if not ok:
            return None
        if not reason.strip():
            messages.info(self, "Say why the amendment is withdrawn; the audit log keeps the reason.")
            return None
        return self.withdraw(amendment_id, reason)

    def withdraw(self, amendment_id: str, reason: str) -> Op[service.RuleUpdate]:
        wb = self._wb

        def work(progress: Progress, cancelled: IsCancelled) -> service.RuleUpdate:
            if cancelled():
                raise Cancelled
            return service.withdraw_amendment(wb, amendment_id, reason)

        return self._run("Withdraw amendment", f"Withdrawing {amendment_id}…", work)

    def save_report(self) -> None:
        if self.last_update is None:
            return
        stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M")
        name, _ = QFileDialog.getSaveFileName(
            self, "Save rule update report", str(Path.home() / f"rule-update-{stamp}.xlsx"), "Excel (*.xlsx)"
        )
        if name:
            try:
                service.write_update_report(self.last_update, Path(name))
            except (OSError, WorkbenchError) as exc:
                messages.error(self, "The report was not saved.", exc=exc)
