"""The main window: the case list with search as you type and status filters."""

from __future__ import annotations

from functools import partial

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.domain.case import CaseStatus
from workbench.services import Workbench
from workbench.services.cases import CasePage, list_cases
from workbench.ui.models.caselist import CaseListModel


class MainWindow(QMainWindow):
    def __init__(self, wb: Workbench, settings: QSettings | None = None) -> None:
        super().__init__()
        self._wb = wb
        self._settings = settings or QSettings()
        self.setWindowTitle("Export-Compliance Workbench")
        self.resize(1200, 720)

        self.search = QLineEdit(placeholderText="Search reference, title, party or destination  (Ctrl+F)")
        self.search.setClearButtonEnabled(True)
        self.status_filter = QComboBox()
        self.status_filter.addItem("All statuses", None)
        for status in CaseStatus:
            self.status_filter.addItem(status.value.replace("_", " ").capitalize(), status)

        self.model = CaseListModel(partial(self._load_page))
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.horizontalHeader().setSortIndicator(7, Qt.SortOrder.DescendingOrder)

        bar = QHBoxLayout()
        bar.addWidget(self.search, 1)
        bar.addWidget(self.status_filter)
        layout = QVBoxLayout()
        layout.addLayout(bar)
        layout.addWidget(self.table)
        central = QWidget()
        central.setLayout(layout)
        self.setCentralWidget(central)

        self.count_label = QLabel()
        self.db_label = QLabel(f"Database: {wb.database_label}")
        self.statusBar().addWidget(self.count_label)
        self.statusBar().addPermanentWidget(self.db_label)

        self._debounce = QTimer(self, singleShot=True, interval=200)
        self._debounce.timeout.connect(self.apply_filter)
        self.search.textChanged.connect(lambda _text: self._debounce.start())
        self.status_filter.currentIndexChanged.connect(lambda _i: self.apply_filter())
        self._build_menus()
        self._restore_layout()
        self.apply_filter()

    def _load_page(
        self, search: str, statuses: tuple[CaseStatus, ...], offset: int, limit: int, order_by: str, desc: bool
    ) -> CasePage:
        return list_cases(self._wb, search, statuses, offset=offset, limit=limit, order_by=order_by, descending=desc)

    def _build_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        find = QAction("&Find", self, shortcut=QKeySequence(QKeySequence.StandardKey.Find))
        find.triggered.connect(self._focus_search)
        refresh = QAction("&Refresh", self, shortcut=QKeySequence(QKeySequence.StandardKey.Refresh))
        refresh.triggered.connect(self.apply_filter)
        quit_action = QAction("&Quit", self, shortcut=QKeySequence(QKeySequence.StandardKey.Quit))
        quit_action.triggered.connect(self.close)
        file_menu.addActions([find, refresh])
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        help_menu = self.menuBar().addMenu("&Help")
        about = QAction("&About", self)
        about.triggered.connect(self._about)
        help_menu.addAction(about)

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _about(self) -> None:
        QMessageBox.about(
            self,
            "About the workbench",
            f"<b>Export-Compliance Workbench</b> {__version__}<br>"
            "Offline export cases, restricted-party screening, EAR checks and signed determinations.",
        )

    def apply_filter(self) -> None:
        status = self.status_filter.currentData()
        self.model.set_filter(self.search.text(), (CaseStatus(status),) if status else ())
        self.count_label.setText(f"{self.model.total} cases")

    def _restore_layout(self) -> None:
        state = self._settings.value("caselist/header")
        if state is not None:
            self.table.horizontalHeader().restoreState(state)

    def closeEvent(self, event: QCloseEvent) -> None:
        self._settings.setValue("caselist/header", self.table.horizontalHeader().saveState())
        super().closeEvent(event)
