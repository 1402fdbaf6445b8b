"""The Applications & Licences view: granted licences, what is left on each line, and shipments against them.

Licences come from licence files; shipments are recorded here and refused by the service when
the licence does not allow them. Application drafts (BIS-748P, BIS-711, NAC) are built per case.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, Qt, Signal
from PySide6.QtGui import QColor, QPainter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.countries import country_name
from workbench.domain.errors import WorkbenchError
from workbench.domain.licences import Licence, amount
from workbench.services import Workbench
from workbench.services.cases import list_cases
from workbench.services.licences import (
    LicenceStatus,
    ShipmentRefusedError,
    ShipmentResult,
    list_licences,
    record_licence_file,
    ship,
)
from workbench.ui import messages
from workbench.ui.dialogs.application import show_application
from workbench.ui.dialogs.shipment import get_shipment
from workbench.ui.models.licences import FractionRole, LicencesModel, LinesModel, ShipmentsModel, kind_label
from workbench.ui.models.rows import MUTED
from workbench.ui.palette import css

logger = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
LICENCE_FILES = "Licence files (*.json);;All files (*)"
_TRACK = QColor(230, 233, 238)
_TEXT = QColor(31, 41, 51)


def bar_colour(fraction: float) -> QColor:
    """Green while plenty is left, amber below a quarter, red below a tenth."""
    if fraction < 0.10:
        return QColor(229, 115, 115)
    if fraction < 0.25:
        return QColor(255, 183, 77)
    return QColor(129, 199, 132)


class BalanceBarDelegate(QStyledItemDelegate):
    """Paints a cell with a ``FractionRole`` as a bar of what is left, its text on top."""

    def paint(
        self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        fraction = index.data(FractionRole)
        if fraction is None:
            super().paint(painter, option, index)
            return
        opt = QStyleOptionViewItem(option)
        self.initStyleOption(opt, index)
        text, opt.text = opt.text, ""
        style = opt.widget.style() if opt.widget is not None else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, opt, painter, opt.widget)
        rect = QRectF(opt.rect.adjusted(4, 3, -4, -3))
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_TRACK)
        painter.drawRoundedRect(rect, 3, 3)
        filled = QRectF(rect)
        filled.setWidth(rect.width() * min(max(float(fraction), 0.0), 1.0))
        if filled.width() > 0:
            painter.setBrush(bar_colour(float(fraction)))
            painter.drawRoundedRect(filled, 3, 3)
        painter.setPen(_TEXT)
        painter.drawText(rect.adjusted(6, 0, -6, 0), Qt.AlignmentFlag.AlignCenter, text)
        painter.restore()


def _table(model: LicencesModel | LinesModel | ShipmentsModel, widths: dict[int, int]) -> QTableView:
    table = QTableView()
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(True)
    header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
    for column, width in widths.items():
        table.setColumnWidth(column, width)
    return table


def _section(title: str, widget: QWidget, extra: QWidget | None = None) -> QWidget:
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 4, 0, 0)
    heading = QLabel(f"<b>{title}</b>")
    if extra is None:
        layout.addWidget(heading)
    else:
        row = QHBoxLayout()
        row.addWidget(heading)
        row.addWidget(extra, 1)
        layout.addLayout(row)
    layout.addWidget(widget)
    return box


class LicencesView(QWidget):
    status_message = Signal(str)
    """A short note for the status bar (e.g. after a shipment is recorded)."""
    licences_changed = Signal()
    """A licence or a shipment was recorded."""

    def __init__(self, wb: Workbench, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._wb = wb
        self._statuses: dict[str, LicenceStatus] = {}
        self._destinations: dict[str, str] = {}
        """Case reference -> destination, for the cases the shipment dialog offers."""

        self.record_licence_button = QPushButton("Record licence…")
        self.record_licence_button.setToolTip("Record a granted licence or a licence exception from its JSON file")
        self.record_shipment_button = QPushButton("Record shipment…")
        self.record_shipment_button.setToolTip("Record a shipment against the selected licence")
        self.case_picker = QComboBox()
        self.case_picker.setEditable(True)
        self.case_picker.setMinimumWidth(150)
        self.case_picker.setToolTip("The case to draft a licence application for")
        self.draft_button = QPushButton("Draft application…")
        self.draft_button.setToolTip("The BIS-748P draft of the case, its missing fields, and the files to file")
        self.warnings = QLabel()
        self.warnings.setWordWrap(True)
        self.warnings.setStyleSheet(
            "background: #fff3cd; color: #854d0e; border: 1px solid #f5d58a; border-radius: 3px; padding: 4px 8px;"
        )
        self.warnings.hide()

        self.model = LicencesModel(self)
        self.table = _table(self.model, {0: 120, 1: 160, 2: 180, 3: 95, 4: 95, 5: 130})
        self.lines = LinesModel(self)
        self.lines_table = _table(self.lines, {0: 44, 1: 80, 3: 90, 4: 130, 5: 90, 6: 130, 7: 150, 8: 190})
        self.lines_table.horizontalHeader().setStretchLastSection(False)
        self.lines_table.horizontalHeader().setSectionResizeMode(
            LinesModel.Column.DESCRIPTION, QHeaderView.ResizeMode.Stretch
        )
        self.bar_delegate = BalanceBarDelegate(self.lines_table)
        for column in LinesModel.BAR_COLUMNS:
            self.lines_table.setItemDelegateForColumn(column, self.bar_delegate)
        self.shipments = ShipmentsModel(self)
        self.shipments_table = _table(self.shipments, {0: 95, 1: 120, 2: 44, 3: 80, 4: 130, 5: 140})
        self.detail_title = QLabel()
        self.detail_title.setTextFormat(Qt.TextFormat.RichText)
        self.conditions = QLabel()
        self.conditions.setWordWrap(True)
        self.conditions.setStyleSheet(f"color: {css(MUTED)};")
        self._layout()

        self.record_licence_button.clicked.connect(self.record_licence)
        self.record_shipment_button.clicked.connect(self.record_shipment)
        self.draft_button.clicked.connect(lambda: self.draft_application())
        self.table.selectionModel().currentRowChanged.connect(lambda current, _previous: self._show(current.row()))
        self.reload()

    def _layout(self) -> None:
        bar = QHBoxLayout()
        bar.addWidget(self.record_licence_button)
        bar.addWidget(self.record_shipment_button)
        bar.addStretch(1)
        bar.addWidget(QLabel("Case:"))
        bar.addWidget(self.case_picker)
        bar.addWidget(self.draft_button)
        detail = QWidget()
        detail_layout = QVBoxLayout(detail)
        detail_layout.setContentsMargins(0, 0, 0, 0)
        detail_layout.addWidget(self.detail_title)
        detail_layout.addWidget(self.conditions)
        self.detail_splitter = QSplitter(Qt.Orientation.Vertical)
        self.detail_splitter.addWidget(_section("Item lines: licensed, shipped and left", self.lines_table))
        self.detail_splitter.addWidget(_section("Shipments", self.shipments_table))
        self.detail_splitter.setStretchFactor(1, 2)
        detail_layout.addWidget(self.detail_splitter, 1)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(_section("Licences and licence exceptions", self.table))
        self.splitter.addWidget(detail)
        self.splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(bar)
        layout.addWidget(self.warnings)
        layout.addWidget(self.splitter, 1)

    # Reading -----------------------------------------------------------------------
    def reload(self, select: str | None = None) -> None:
        """Read licences, balances and shipments again; keep (or move to) the licence ``select``."""
        keep = select or self.selected_number()
        statuses = list_licences(self._wb)
        self._statuses = {s.licence.number: s for s in statuses}
        self.model.set_statuses(statuses)
        found = [w for s in statuses for w in s.warnings]
        self.warnings.setText("\n".join(f"⚠ {w[:1].upper()}{w[1:]}." for w in found))
        self.warnings.setVisible(bool(found))
        self._reload_cases()
        row = self.model.row_of(keep) if keep else -1
        if row < 0 and self.model.rowCount():
            row = 0
        if row < 0:
            self._show(-1)
        else:
            self.table.setCurrentIndex(self.model.index(row, 0))
            self._show(row)

    def _reload_cases(self) -> None:
        current = self.case_picker.currentText()
        rows = list_cases(self._wb, limit=5000, order_by="reference", descending=False).rows
        self._destinations = {r.reference: r.destination for r in rows}
        self.case_picker.clear()
        self.case_picker.addItems(list(self._destinations))
        if current:
            self.case_picker.setCurrentText(current)

    def selected_number(self) -> str | None:
        index = self.table.currentIndex()
        return self.model.number_at(index.row()) if index.isValid() else None

    def selected_status(self) -> LicenceStatus | None:
        number = self.selected_number()
        return self._statuses.get(number) if number else None

    def _show(self, row: int) -> None:
        status = self._statuses.get(self.model.number_at(row)) if row >= 0 else None
        self.record_shipment_button.setEnabled(status is not None)
        if status is None:
            self.detail_title.setText("<i>No licence recorded yet: use Record licence… to add one.</i>")
            self.conditions.clear()
            self.lines.set_balances(())
            self.shipments.set_shipments(())
            return
        lic = status.licence
        until = f"until {lic.valid_until.isoformat()}" if lic.valid_until else "with no expiry"
        self.detail_title.setText(
            f"<b>{lic.number}</b> · {kind_label(lic)} for {country_name(lic.destination)}, "
            f"valid from {lic.valid_from.isoformat()} {until}"
            + (f" · application {lic.application_reference}" if lic.application_reference else "")
        )
        self.conditions.setText(f"Conditions: {lic.conditions}" if lic.conditions else "")
        self.conditions.setVisible(bool(lic.conditions))
        self.lines.set_balances(status.balances)
        self.shipments.set_shipments(status.shipments, {i.line: i.currency for i in lic.items})

    def select_licence(self, number: str) -> bool:
        row = self.model.row_of(number)
        if row < 0:
            return False
        self.table.setCurrentIndex(self.model.index(row, 0))
        return True

    # Recording -----------------------------------------------------------------------
    def record_licence(self) -> Licence | None:
        name, _ = QFileDialog.getOpenFileName(self, "Record licence file", str(Path.home()), LICENCE_FILES)
        return self.record_licence_path(Path(name)) if name else None

    def record_licence_path(self, path: Path) -> Licence | None:
        """Record the licence in ``path``; a bad file or a duplicate number goes to the funnel."""
        try:
            licence = record_licence_file(self._wb, path)
        except (WorkbenchError, OSError) as exc:
            messages.error(self, f"{path.name} was not recorded.", exc=exc, title="Record licence")
            return None
        self.reload(select=licence.number)
        self.licences_changed.emit()
        self.status_message.emit(f"Recorded {licence.label}.")
        return licence

    def _cases_for(self, licence: Licence) -> list[str]:
        """Cases going to the licence's destination first (only they can ship under it)."""
        same = [r for r, dest in self._destinations.items() if dest == licence.destination]
        return same or list(self._destinations)

    def record_shipment(self) -> ShipmentResult | None:
        status = self.selected_status()
        if status is None:
            messages.info(self, "Select the licence the goods ship under, then choose Record shipment.")
            return None
        licence = status.licence
        values, accepted = get_shipment(
            self,
            licence,
            balances=status.balances,
            references=self._cases_for(licence),
            reference=self._last_case(status),
        )
        if not accepted or values is None:
            return None
        try:
            result = ship(
                self._wb,
                licence.number,
                values.reference,
                quantity=values.quantity,
                value=values.value,
                line=values.line,
                shipped_on=values.shipped_on,
                note=values.note,
            )
        except ShipmentRefusedError as exc:
            messages.error(self, exc=exc, title="Shipment refused")
            return None
        except WorkbenchError as exc:
            messages.error(self, "The shipment was not recorded.", exc=exc, title="Record shipment")
            return None
        self.reload(select=licence.number)
        self.licences_changed.emit()
        left = result.balance.remaining_quantity
        rest = f"; {amount(left)} left on line {result.shipment.line}" if left is not None else ""
        self.status_message.emit(
            f"Recorded {amount(result.shipment.quantity)} units for {result.shipment.case_reference} "
            f"under {licence.number}{rest}."
        )
        if result.warnings:
            messages.warning(
                self,
                "The shipment was recorded.\n\n" + "\n\n".join(w[:1].upper() + w[1:] for w in result.warnings),
                title="Shipment recorded with a warning",
            )
        return result

    @staticmethod
    def _last_case(status: LicenceStatus) -> str:
        latest = max(status.shipments, key=lambda s: s.shipped_on, default=None)
        return latest.case_reference if latest else ""

    # Applications --------------------------------------------------------------------
    def draft_application(self, reference: str | None = None) -> None:
        """Show the application draft of ``reference`` (default: the case in the picker)."""
        reference = (reference or self.case_picker.currentText()).strip()
        if not reference:
            messages.info(self, "Choose the case to draft a licence application for.")
            return
        show_application(self, self._wb, reference)
