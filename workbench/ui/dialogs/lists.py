"""Lists ▸ Import list… / Show versions: the screening-list versions, their counts and age, and imports.

An import parses, guards and stores the file off the GUI thread with a progress dialog and
Cancel; the previous version stays active unless the import completes. A file that would
shrink a source list sharply is refused unless the officer confirms it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from enum import IntEnum
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import DuplicateError, WorkbenchError
from workbench.domain.screening_records import ListVersion
from workbench.services import Workbench
from workbench.services.reference import RefreshRefused
from workbench.services.screening import Cancelled as ImportCancelled
from workbench.services.screening import ImportResult, import_list, list_versions
from workbench.ui import messages
from workbench.ui.models.rows import BAD, GOOD, MUTED, Cell, RowsModel, cell
from workbench.ui.ops import Cancelled, IsCancelled, Op, Progress
from workbench.ui.palette import css

_UNCHANGED = "the list in use is unchanged."
LIST_FILES = "Screening lists (*.csv *.csv.gz *.json *.json.gz *.xml *.zip);;All files (*)"


class Column(IntEnum):
    ACTIVE = 0
    LABEL = 1
    PUBLISHED = 2
    AGE = 3
    ENTRIES = 4
    MALFORMED = 5
    IMPORTED = 6


_HEADERS = ("", "Version", "Published", "Age (days)", "Entries", "Malformed rows", "Imported")


def age_status(versions: list[ListVersion], max_age_days: int, today: date | None = None) -> tuple[str, bool]:
    """The status-bar text for the active version and whether it warns (too old or none)."""
    active = next((v for v in versions if v.active), None)
    if active is None:
        return "Screening lists: shipped snapshot (imported on first screening)", False
    age = active.age_days(today or datetime.now(UTC).date())
    return f"Screening lists: {active.label} ({age} day{'s' if age != 1 else ''} old)", age > max_age_days


def _row(version: ListVersion, today: date, max_age_days: int) -> tuple[Cell, ...]:
    age = version.age_days(today)
    old = version.active and age > max_age_days
    per_source = ", ".join(f"{k} {n:,}" for k, n in sorted(version.rows_per_source.items()))
    return (
        cell("Active" if version.active else "", colour=GOOD, bold=True),
        cell(version.label, f"{version.label}\n{version.source_file}\nSHA-256 {version.sha256}"),
        cell(version.publication_date.isoformat() if version.publication_date else "undated"),
        cell(str(age), right=True, colour=BAD if old else None, bold=old),
        cell(f"{version.entry_count:,}", per_source, right=True),
        cell(f"{version.malformed_count:,}", right=True, colour=BAD if version.malformed_count else MUTED),
        cell(f"{version.imported_at:%Y-%m-%d %H:%M} by {version.imported_by}"),
    )


class ListsDialog(QDialog):
    lists_changed = Signal()
    """A new list version became active."""

    def __init__(self, parent: QWidget | None, wb: Workbench, max_age_days: int) -> None:
        super().__init__(parent)
        self._wb = wb
        self.max_age_days = max_age_days
        self.op: Op[ImportResult] | None = None
        self.last_result: ImportResult | None = None
        self.setWindowTitle("Screening lists")
        self.resize(900, 420)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.model = RowsModel(_HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(Column.LABEL, QHeaderView.ResizeMode.Stretch)
        self.import_button = QPushButton("&Import list…")
        self.import_button.clicked.connect(self.choose_and_import)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.import_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        hint = QLabel(
            "Import the Consolidated Screening List (CSV or JSON) or OFAC's SDN file. Open cases are rescreened "
            "against the new version, and hits that appear or disappear are reported."
        )
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)
        self.refresh()

    def refresh(self) -> None:
        try:
            versions = list_versions(self._wb)
        except WorkbenchError as exc:
            messages.error(self, "The list versions could not be read.", exc=exc)
            return
        today = datetime.now(UTC).date()
        self.model.replace_rows([_row(v, today, self.max_age_days) for v in versions], [v.id for v in versions])
        text, warn = age_status(versions, self.max_age_days, today)
        if warn:
            self.warning.setText(
                f"⚠ The active list is older than {self.max_age_days} days (your limit in Preferences); "
                "import a current list before screening."
            )
            self.warning.setStyleSheet(f"color: {css(BAD)}; font-weight: 600;")
        else:
            self.warning.setText(text.removeprefix("Screening lists: ").join(("Active: ", ".")))
            self.warning.setStyleSheet("")

    def choose_and_import(self) -> Op[ImportResult] | None:
        name, _ = QFileDialog.getOpenFileName(self, "Import screening list", str(Path.home()), LIST_FILES)
        return self.import_path(Path(name)) if name else None

    def import_path(self, path: Path, *, allow_shrink: bool = False) -> Op[ImportResult]:
        """Import ``path`` off the GUI thread, with progress and Cancel."""
        wb = self._wb

        def work(progress: Progress, cancelled: IsCancelled) -> ImportResult:
            try:
                return import_list(wb, path, progress=progress, cancel=cancelled, allow_shrink=allow_shrink)
            except ImportCancelled:
                raise Cancelled from None

        self.import_button.setEnabled(False)
        op: Op[ImportResult] = (
            Op(self, work, title="Import list")
            .keeps_result_on_cancel()
            .success(self._imported)
            .failure(lambda exc: self._failed(path, exc))
            .cancelled(
                lambda: messages.info(self, f"The import of {path.name} was cancelled; the list in use is unchanged.")
            )
            .with_progress(f"Importing {path.name}…")
        )
        op.done.connect(lambda: self.import_button.setEnabled(True))
        self.op = op
        return op.run()

    def _imported(self, result: ImportResult) -> None:
        self.last_result = result
        self.refresh()
        self.lists_changed.emit()
        text = f"Imported {result.version.label}: {result.version.entry_count:,} entries."
        if result.malformed:
            text += f" {len(result.malformed):,} malformed rows were skipped (first: row {result.malformed[0].line})."
        changed = [c for c in result.rescreened if c.new_hits or c.gone_hits]
        if changed:
            text += " Rescreening changed the hits of " + ", ".join(c.reference for c in changed) + "."
        elif not result.not_rescreened:
            text += " Rescreening the open cases changed no hits."
        if result.not_rescreened:
            skipped = len(result.not_rescreened)
            text += (
                f" Rescreening was cancelled: {skipped:,} open case{'s' if skipped != 1 else ''} "
                f"({', '.join(result.not_rescreened[:5])}{'…' if skipped > 5 else ''}) keep their previous hits; "
                "rescreen them from their Screening panel."
            )
        register = result.register
        if register is not None:
            text += (
                f" The counterparty register ({register.parties:,} parties) was rescreened: "
                f"{register.new_hits:,} new hits, {register.gone_hits:,} gone"
            )
            named = [c.party_name for c in register.changes if c.new][:5]
            if named:
                text += " (new: " + ", ".join(named) + ("…" if len(register.changes) > 5 else "") + ")"
            cases = sorted({t.reference for c in register.changes for t in c.cases})
            text += f"; cases touched: {', '.join(cases[:10])}." if cases else "."
            if register.new_hits:
                text += " The screening inbox (Lists ▸ Screening inbox) has them."
            if register.cancelled:
                text += " " + register.not_rescreened_text()
        messages.info(self, text)

    def _failed(self, path: Path, exc: BaseException) -> None:
        if isinstance(exc, DuplicateError):
            messages.info(self, str(exc))
        elif isinstance(exc, RefreshRefused) and messages.ask(
            self, f"{exc} Import it anyway? The override is recorded in the audit trail.", "Import list"
        ):
            self.import_path(path, allow_shrink=True)
        else:
            messages.error(self, f"{path.name} was not imported.", exc=exc)

    @classmethod
    def show_lists(cls, parent: QWidget | None, wb: Workbench, max_age_days: int) -> bool:
        """Show the versions; returns True if a new version was imported."""
        dialog = cls(parent, wb, max_age_days)
        imported: list[bool] = []
        dialog.lists_changed.connect(lambda: imported.append(True))
        dialog.exec()
        return bool(imported)
