"""The "Chips" panel: the case's items on the TPP / performance-density chart against 3A090, and as a table."""

from __future__ import annotations

from PySide6.QtCore import Qt, Slot
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QCheckBox,
    QLabel,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import Item
from workbench.services.reference import classify_figures
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.models.rows import BAD, WARN, Cell, RowsModel, cell
from workbench.ui.widgets.tables import read_only_table
from workbench.ui.widgets.tppchart import TppChart, item_points

COLUMNS = ("Item", "Model", "TPP", "Performance density", "Data centre", "3A090 by its figures")


class ChipsPanel(QWidget):
    """Replots on show and after each edit while shown, so it follows the unsaved items too."""

    def __init__(self, editor: CaseEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self.chart = TppChart()
        self.log_box = QCheckBox("Logarithmic TPP axis")
        self.log_box.toggled.connect(self.chart.set_log_scale)
        self.model = RowsModel(COLUMNS, self, numeric=frozenset({0, 2, 3}))
        self.table = read_only_table(self.model)
        self.note = QLabel()
        self.note.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.chart)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.log_box)
        layout.addWidget(self.note)
        # Bound slots rather than lambdas: no Python reference cycle through the editor's signals.
        editor.undo_stack.indexChanged.connect(self._edited)
        editor.saved.connect(self._edited)

    def refresh(self) -> None:
        items = self._editor.current_case().items
        points = item_points(items)
        self.chart.set_points(points)
        self.model.replace_rows([self._row(n, item) for n, item in enumerate(items, 1)], list(range(1, len(items) + 1)))
        missing = len(items) - len(points)
        text = (
            "The last column is the classification assistant's reading of each item's figures (hover for why); "
            "the Checks tab gives the outcome."
        )
        if missing:
            text = f"{missing} item(s) without both TPP and performance density are not plotted. " + text
        self.note.setText(text)

    def _row(self, position: int, item: Item) -> tuple[Cell, ...]:
        tpp, pd = item.tpp, item.performance_density
        if tpp is None or pd is None:
            verdict = cell("TPP and performance density needed", colour=WARN)
        else:
            # The same reading the checks make, data-centre note included; its reasoning is the tooltip.
            suggestion = classify_figures(item)
            paragraph = suggestion.paragraph
            verdict = cell(
                f"meets 3A090.{paragraph}" if paragraph else "outside 3A090.a and .b",
                suggestion.explanation,
                colour=BAD if paragraph == "a" else WARN if paragraph else None,
            )
        return (
            cell(str(position), right=True),
            cell(item.model or item.description),
            cell(f"{tpp:,.0f}" if tpp is not None else "", right=True),
            cell(f"{pd:g}" if pd is not None else "", right=True),
            cell("yes" if item.datacenter else "no"),
            verdict,
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
