"""The History panel: every audit entry recorded for the case (who, when, what changed, why)."""

from __future__ import annotations

import json
from enum import IntEnum
from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.audit import AuditEntry
from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.audit import case_history
from workbench.ui import messages
from workbench.ui.models.rows import MUTED, Cell, RowsModel, cell

_MAX_VALUE = 120


class Column(IntEnum):
    WHEN = 0
    OFFICER = 1
    ACTION = 2
    FIELD = 3
    CHANGE = 4
    REASON = 5


_HEADERS = ("When (UTC)", "Officer", "Action", "Field", "Before → after", "Reason")


def value_text(value: Any) -> str:
    """An audit value as one short line (structures as compact JSON)."""
    if value is None:
        return "—"
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= _MAX_VALUE else text[: _MAX_VALUE - 1] + "…"


def _full(value: Any) -> str:
    if value is None:
        return "(nothing)"
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, indent=1, default=str)


def _row(entry: AuditEntry) -> tuple[Cell, ...]:
    change = f"{value_text(entry.before)} → {value_text(entry.after)}"
    return (
        cell(entry.at.replace("T", " ")[:19]),
        cell(entry.officer),
        cell(entry.action.replace("_", " ")),
        cell(entry.field),
        cell(change, f"Before:\n{_full(entry.before)}\n\nAfter:\n{_full(entry.after)}"),
        cell(entry.reason, colour=None if entry.reason else MUTED),
    )


class HistoryPanel(QWidget):
    """Read-only; reloads each time it is shown, so it includes changes made in other panels."""

    def __init__(self, wb: Workbench, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.reference = reference
        self.summary = QLabel()
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.model = RowsModel(_HEADERS, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.CHANGE, QHeaderView.ResizeMode.Stretch)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)

    def refresh(self) -> None:
        try:
            entries = case_history(self._wb, self.reference)
        except WorkbenchError as exc:
            messages.error(self, f"The history of case {self.reference} could not be loaded.", exc=exc)
            return
        entries = sorted(entries, key=lambda e: e.seq, reverse=True)
        self.model.replace_rows([_row(e) for e in entries], [e.seq for e in entries])
        count = len(entries)
        self.summary.setText(
            f"{count} recorded change{'s' if count != 1 else ''}, newest first. The audit trail is append-only."
            if count
            else "Nothing recorded for this case yet."
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
