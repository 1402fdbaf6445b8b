"""The "Chips" panel: the case's items on the TPP / performance-density chart against 3A090."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QCheckBox, QLabel, QVBoxLayout, QWidget

from workbench.ui.caseeditor import CaseEditor
from workbench.ui.widgets.tppchart import TppChart, item_points


class ChipsPanel(QWidget):
    """Replots on show and after each edit while shown, so it follows the unsaved items too."""

    def __init__(self, editor: CaseEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.chart = TppChart()
        self.log_box = QCheckBox("Logarithmic TPP axis")
        self.log_box.toggled.connect(self.chart.set_log_scale)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.chart, 1)
        layout.addWidget(self.log_box)
        layout.addWidget(self.note)
        # Bound slots rather than lambdas: no Python reference cycle through the editor's signals.
        editor.undo_stack.indexChanged.connect(self._edited)
        editor.saved.connect(self._edited)

    def refresh(self) -> None:
        items = self._editor.current_case().items
        points = item_points(items)
        self.chart.set_points(points)
        missing = len(items) - len(points)
        self.note.setText(
            f"{missing} item(s) without both TPP and performance density are not plotted." if missing else ""
        )

    @Slot(object)
    def _edited(self, _what: object) -> None:
        self.refresh_if_shown()

    def refresh_if_shown(self) -> None:
        if self.isVisible():
            self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        self.refresh()
        super().showEvent(event)
