"""The History panel: every audit entry recorded for the case, grouped by save and told in words."""

from __future__ import annotations

from enum import IntEnum

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import WorkbenchError
from workbench.services import Workbench
from workbench.services.audit import case_history
from workbench.ui import messages
from workbench.ui.panels.historywords import SaveGroup, action_words, group_entries


class Column(IntEnum):
    WHEN = 0
    OFFICER = 1
    WHAT = 2
    REASON = 3


_HEADERS = ("When (UTC)", "Officer", "What changed", "Reason")


def _group_item(group: SaveGroup) -> QTreeWidgetItem:
    count = len(group.changes)
    what = action_words(group.action)
    if count > 1:
        what += f" ({count} changes)"
    item = QTreeWidgetItem([group.at.replace("T", " ")[:19], group.officer, what, group.reason])
    item.setToolTip(Column.REASON, group.reason)
    for sentence in group.changes:
        child = QTreeWidgetItem(["", "", sentence, ""])
        child.setToolTip(Column.WHAT, sentence)
        item.addChild(child)
    return item


class HistoryPanel(QWidget):
    """Read-only; reloads each time it is shown, so it includes changes made in other panels."""

    def __init__(self, wb: Workbench, reference: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self.reference = reference
        self.groups: list[SaveGroup] = []
        self.summary = QLabel()
        self.refresh_button = QPushButton("&Refresh")
        self.refresh_button.clicked.connect(self.refresh)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(list(_HEADERS))
        self.tree.setAlternatingRowColors(True)
        self.tree.setUniformRowHeights(True)
        header = self.tree.header()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(Column.WHAT, QHeaderView.ResizeMode.Stretch)
        header.setStretchLastSection(False)
        top = QHBoxLayout()
        top.addWidget(self.summary, 1)
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)

    def refresh(self) -> None:
        try:
            entries = case_history(self._wb, self.reference)
        except WorkbenchError as exc:
            messages.error(self, f"The history of case {self.reference} could not be loaded.", exc=exc)
            return
        self.groups = list(reversed(group_entries(entries)))
        self.tree.clear()
        items = [_group_item(g) for g in self.groups]
        self.tree.addTopLevelItems(items)
        for item in items[:1]:
            item.setExpanded(True)  # the newest save open, older ones one line each
        count = len(self.groups)
        self.summary.setText(
            f"{count} recorded action{'s' if count != 1 else ''}, newest first; expand one to see its changes. "
            "The audit trail is append-only."
            if count
            else "Nothing recorded for this case yet."
        )

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self.refresh()
