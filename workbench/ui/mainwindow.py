"""The main window: the case list on top, open cases in editor tabs below, menus and status bar."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QByteArray, QSettings, Qt
from PySide6.QtGui import QCloseEvent, QShowEvent, QUndoGroup
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QWidget,
)

from workbench import __version__
from workbench.config import ENV_OFFICER, data_dir
from workbench.domain.case import Case
from workbench.domain.errors import NotFoundError, WorkbenchError
from workbench.domain.screening_records import ListVersion
from workbench.services import Workbench
from workbench.services.cases import export_case_file, get_case, import_case_file
from workbench.services.maintenance import BackupResult, backup, backup_due
from workbench.services.screening import list_versions, warm_up
from workbench.ui import messages
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.dialogs.backup import BackupChoice
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.dialogs.lists import ListsDialog, age_status
from workbench.ui.dialogs.master_import import MasterImportDialog, MasterKind
from workbench.ui.dialogs.newcase import get_new_case
from workbench.ui.dialogs.preferences import get_preferences, setting_by_key, text_setting_by_key
from workbench.ui.dialogs.product import ProductEditor
from workbench.ui.dialogs.rules import RuleUpdatesDialog
from workbench.ui.dialogs.verify import VerifyDialog
from workbench.ui.mainmenus import create_actions, install_menus
from workbench.ui.models.caselist import CaseListModel
from workbench.ui.models.rows import BAD
from workbench.ui.ops import Op
from workbench.ui.palette import css
from workbench.ui.panels import CasePanels, install_panels
from workbench.ui.registertabs import RegisterTabs
from workbench.ui.settings import (
    AUTOSAVE_SECONDS,
    BACKUP_REMINDER_DAYS,
    CASELIST_HEADER,
    DEFAULT_KEY_PATH,
    EDITOR_SPLIT,
    EXPIRY_WARN_DAYS,
    LAST_BACKUP_DIR,
    LAST_CASEFILE_DIR,
    LIST_AGE_WARN_DAYS,
    OFFICER_NAME,
    OFFICER_TITLE,
    SCREENING_THRESHOLD,
    TEXT_SETTINGS,
    USER_SETTINGS,
    WINDOW_GEOMETRY,
    UiSettings,
)
from workbench.ui.views.caselist import CaseListPane
from workbench.ui.views.dashboard import DashboardView
from workbench.ui.views.licences import LicencesView
from workbench.ui.views.products import ProductsView

CASE_FILES = "Case files (*.json);;All files (*)"


class MainWindow(QMainWindow):
    def __init__(self, wb: Workbench, settings: QSettings | None = None) -> None:
        super().__init__()
        self._wb = wb
        self.settings = UiSettings(settings or QSettings())
        self._backup_offered = False
        self._panels: dict[CaseEditor, CasePanels] = {}
        self.setWindowTitle("Export-Compliance Workbench")
        self.resize(1280, 800)

        self.cases = CaseListPane(wb)
        self.editors = QTabWidget()
        self.editors.setTabsClosable(True)
        self.editors.setMovable(True)
        self.editors.setDocumentMode(True)
        self.placeholder = QLabel("Double-click a case to open it, or create one with File ▸ New case.")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.placeholder.setStyleSheet("color: palette(placeholder-text);")
        self.editor_stack = QStackedWidget()
        self.editor_stack.addWidget(self.placeholder)
        self.editor_stack.addWidget(self.editors)
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.cases)
        self.splitter.addWidget(self.editor_stack)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        self.splitter.setChildrenCollapsible(False)
        rows = self.cases.table.verticalHeader().defaultSectionSize()
        self.cases.setMinimumHeight(8 * rows + 3 * self.fontMetrics().height() + 24)  # the bar, header, 8 rows
        self._editor_split: list[int] = []
        self._split_for_editors: bool | None = None
        self.splitter.splitterMoved.connect(lambda _pos, _index: self._remember_split())
        self.setCentralWidget(self.splitter)
        self.undo_group = QUndoGroup(self)

        self.count_label = QLabel()
        self.list_label = QLabel("Screening lists: not loaded")
        self.db_label = QLabel(f"Database: {wb.database_label}")
        self.officer_label = QLabel()
        self.apply_session_preferences()
        bar = self.statusBar()
        bar.addWidget(self.count_label)
        for label in (self.list_label, self.db_label, self.officer_label):
            bar.addPermanentWidget(label)

        self._licences: LicencesView | None = None
        self._dashboard: DashboardView | None = None
        self._products: ProductsView | None = None
        self.product_editors: list[ProductEditor] = []
        self.register_tabs = RegisterTabs(self)
        self.commands = create_actions(self)
        install_menus(self, self.commands)
        self.cases.filtered.connect(lambda total: self.count_label.setText(f"{total:,} cases"))
        self.cases.open_requested.connect(self.open_case)
        self.editors.currentChanged.connect(lambda _i: self._current_changed())
        self.cases.table.selectionModel().selectionChanged.connect(lambda *_: self._update_actions())
        self.editors.tabCloseRequested.connect(self._close_tab)
        self._restore_layout()
        self.cases.apply_filter()
        self.refresh_list_status()
        self._update_actions()
        self.warm_up_op: Op[ListVersion | None] | None = None

    def warm_up_screening(self) -> Op[ListVersion | None]:
        """Load the cached screening index off the GUI thread, so the first screening or check is quick."""
        wb = self._wb
        self.statusBar().showMessage("Preparing the screening index…")
        op: Op[ListVersion | None] = (
            Op(self, lambda _progress, _cancelled: warm_up(wb), title="Prepare the screening index")
            .success(self._warmed_up)
            .failure(lambda exc: self.statusBar().showMessage(f"The screening index is not ready: {exc}", 10000))
        )
        self.warm_up_op = op
        return op.run()

    def _warmed_up(self, version: ListVersion | None) -> None:
        if version is None:
            self.statusBar().showMessage("The screening index is built at the first screening.", 5000)
        else:
            self.statusBar().showMessage(f"Screening index of {version.label} ready.", 5000)

    # Shortcuts to the list pane's parts (tests and screenshots use them).
    @property
    def model(self) -> CaseListModel:
        return self.cases.model

    @property
    def table(self) -> QTableView:
        return self.cases.table

    @property
    def search(self) -> QLineEdit:
        return self.cases.search

    @property
    def status_filter(self) -> QComboBox:
        return self.cases.status_filter

    def apply_filter(self) -> None:
        self.cases.apply_filter()

    # Actions -----------------------------------------------------------------
    def _update_actions(self) -> None:
        editor = self.current_editor()
        self.commands.save.setEnabled(editor is not None and editor.is_dirty and editor.is_valid)
        self.commands.close_case.setEnabled(editor is not None)
        self.commands.determine.setEnabled(editor is not None and not editor.is_new)
        self.commands.export_case.setEnabled(editor is not None or self.cases.selected_reference() is not None)
        self.editor_stack.setCurrentIndex(1 if self.editors.count() else 0)
        self._arrange_split()

    # Applications & Licences -------------------------------------------------
    def show_licences(self) -> LicencesView:
        """Open (or bring forward) the Applications & Licences tab."""
        if self._licences is None:
            self._licences = LicencesView(self._wb, self)
            self._licences.status_message.connect(lambda text: self.statusBar().showMessage(text, 5000))
            self.editors.addTab(self._licences, "Applications && Licences")  # "&&": one literal ampersand
        else:
            self._licences.reload()
        self.editors.setCurrentWidget(self._licences)
        self._update_actions()
        return self._licences

    # Products ------------------------------------------------------------------
    def show_products(self) -> ProductsView:
        """Open (or bring forward) the Products tab: the classification library."""
        if self._products is None:
            self._products = ProductsView(self._wb, self)
            self._products.open_requested.connect(self.open_product)
            self._products.filtered.connect(lambda label: self.statusBar().showMessage(f"{label} products", 3000))
            self.editors.addTab(self._products, "Products")
        self.editors.setCurrentWidget(self._products)
        self._update_actions()
        return self._products

    def open_product(self, part_number: str) -> ProductEditor:
        """The product editor for one product (non-modal; the list reloads when it closes)."""
        editor = ProductEditor(self._wb, part_number, self)
        self.product_editors.append(editor)
        editor.finished.connect(lambda _r: self._product_closed(editor))
        editor.show()
        return editor

    def _product_closed(self, editor: ProductEditor) -> None:
        if editor in self.product_editors:
            self.product_editors.remove(editor)
        if self._products is not None:
            self._products.reload()

    # Dashboard -----------------------------------------------------------------
    def show_dashboard(self) -> DashboardView:
        """Open (or bring forward and reload) the Dashboard tab, charting the selected or current case."""
        editor = self.current_editor()
        reference = editor.reference if editor is not None and not editor.is_new else self.cases.selected_reference()
        if self._dashboard is None:
            self._dashboard = DashboardView(self._wb, self, expiry_days=self.settings.get(EXPIRY_WARN_DAYS))
            self._dashboard.open_requested.connect(self.open_case)
            self.editors.addTab(self._dashboard, "Dashboard")
        else:
            self._dashboard.expiry_days = self.settings.get(EXPIRY_WARN_DAYS)
        self._dashboard.reload(reference)
        self.editors.setCurrentWidget(self._dashboard)
        self._update_actions()
        return self._dashboard

    @property
    def workbench(self) -> Workbench:
        return self._wb

    def show_inbox(self) -> QWidget:
        """Open (or bring forward) the screening inbox: unresolved hits across the register."""
        view = self.register_tabs.show_inbox()
        self._update_actions()
        return view

    def show_parties(self) -> QWidget:
        """Open (or bring forward) the Parties view: the counterparty register."""
        view = self.register_tabs.show_parties()
        self._update_actions()
        return view

    def _close_tab(self, index: int) -> None:
        widget = self.editors.widget(index)
        if self.register_tabs.close(widget):
            self._update_actions()
        elif self._licences is not None and widget is self._licences:
            self.editors.removeTab(index)
            self._licences.deleteLater()
            self._licences = None
            self._update_actions()
        elif self._products is not None and widget is self._products:
            self.editors.removeTab(index)
            self._products.deleteLater()
            self._products = None
            self._update_actions()
        elif self._dashboard is not None and widget is self._dashboard:
            self.editors.removeTab(index)
            self._dashboard.shutdown()
            self._dashboard.deleteLater()
            self._dashboard = None
            self._update_actions()
        else:
            self.close_editor(self._editor_at(index))

    # Editors -------------------------------------------------------------------
    def _editor_at(self, index: int) -> CaseEditor | None:
        widget = self.editors.widget(index)
        return widget if isinstance(widget, CaseEditor) else None

    def current_editor(self) -> CaseEditor | None:
        return self._editor_at(self.editors.currentIndex())

    def editor_for(self, reference: str) -> CaseEditor | None:
        for index in range(self.editors.count()):
            editor = self._editor_at(index)
            if editor is not None and editor.reference == reference:
                return editor
        return None

    def open_case(self, reference: str) -> CaseEditor | None:
        """Show the case in a tab (switching to it if it is open already)."""
        editor = self.editor_for(reference)
        if editor is None:
            try:
                case = get_case(self._wb, reference)
            except WorkbenchError as exc:
                messages.error(self, exc=exc)
                return None
            editor = self._add_editor(case, is_new=False)
            editor.offer_draft()
        self.editors.setCurrentWidget(editor)
        return editor

    def _add_editor(self, case: Case, *, is_new: bool) -> CaseEditor:
        editor = CaseEditor(self._wb, case, is_new=is_new, autosave_seconds=self.settings.get(AUTOSAVE_SECONDS))
        self.undo_group.addStack(editor.undo_stack)
        self._panels[editor] = install_panels(self._wb, editor, expiry_days=self.settings.get(EXPIRY_WARN_DAYS))
        editor.dirty_changed.connect(lambda _d, e=editor: self._editor_changed(e))
        editor.validity_changed.connect(lambda _v, e=editor: self._editor_changed(e))
        editor.saved.connect(lambda _case: self.cases.refresh())
        self.editors.addTab(editor, case.reference)
        self._editor_changed(editor)
        return editor

    def panels_for(self, editor: CaseEditor) -> CasePanels:
        return self._panels[editor]

    def _editor_changed(self, editor: CaseEditor) -> None:
        index = self.editors.indexOf(editor)
        if index >= 0:
            self.editors.setTabText(index, editor.reference + (" *" if editor.is_dirty else ""))
        self._update_actions()

    def _current_changed(self) -> None:
        editor = self.current_editor()
        self.undo_group.setActiveStack(editor.undo_stack if editor else None)  # type: ignore[arg-type]  # None clears it
        self._update_actions()

    def close_editor(self, editor: CaseEditor | None) -> bool:
        """Close one editor after the unsaved-changes guard; False if the officer cancelled."""
        if editor is None:
            return True
        if not editor.confirm_close():
            return False
        self.undo_group.removeStack(editor.undo_stack)
        self._panels.pop(editor, None)
        self.editors.removeTab(self.editors.indexOf(editor))
        editor.deleteLater()
        self._update_actions()
        return True

    # Commands ------------------------------------------------------------------
    def new_case(self) -> CaseEditor | None:
        case, accepted = get_new_case(self)
        if not accepted or case is None:
            return None
        try:
            get_case(self._wb, case.reference)
        except NotFoundError:
            return self._open_new(case)
        messages.error(
            self,
            f"A case with reference {case.reference} exists already; "
            "give the new case another reference or open the existing one.",
        )
        return None

    def _open_new(self, case: Case) -> CaseEditor:
        editor = self._add_editor(case, is_new=True)
        self.editors.setCurrentWidget(editor)
        return editor

    def open_selected(self) -> None:
        reference = self.cases.selected_reference()
        if reference is None:
            self.cases.table.setFocus()
            self.statusBar().showMessage("Select a case in the list, then choose Open.", 4000)
            return
        self.open_case(reference)

    def save_current(self) -> bool:
        editor = self.current_editor()
        return editor.save() if editor else False

    def import_file(self) -> Op[Case] | None:
        start = self.settings.get(LAST_CASEFILE_DIR) or str(Path.home())
        name, _ = QFileDialog.getOpenFileName(self, "Import case file", start, CASE_FILES)
        return self.import_path(Path(name)) if name else None

    def import_path(self, path: Path) -> Op[Case]:
        self.settings.set(LAST_CASEFILE_DIR, str(path.parent))
        wb = self._wb
        return (
            Op(self, lambda progress, cancelled: import_case_file(wb, path), title="Import case file")
            .success(self._imported)
            .with_progress(f"Importing {path.name}…")
            .run()
        )

    def _imported(self, case: Case) -> None:
        self.cases.refresh()
        self.statusBar().showMessage(f"Imported case {case.reference}.", 5000)
        self.open_case(case.reference)

    def export_file(self) -> Op[str] | None:
        editor = self.current_editor()
        reference = editor.reference if editor else self.cases.selected_reference()
        if reference is None:
            return None
        if editor is not None and editor.is_dirty:
            messages.info(self, f"Case {reference} has unsaved changes; the file will hold the last saved version.")
        start = Path(self.settings.get(LAST_CASEFILE_DIR) or str(Path.home()))
        safe = reference.replace("/", "-")
        name, _ = QFileDialog.getSaveFileName(self, "Export case file", str(start / f"{safe}.json"), CASE_FILES)
        return self.export_path(reference, Path(name)) if name else None

    def export_path(self, reference: str, path: Path) -> Op[str]:
        self.settings.set(LAST_CASEFILE_DIR, str(path.parent))
        wb = self._wb
        return (
            Op(self, lambda progress, cancelled: export_case_file(wb, reference, path), title="Export case file")
            .success(lambda written: self.statusBar().showMessage(f"Wrote {written}.", 5000))
            .with_progress(f"Writing {path.name}…")
            .run()
        )

    def edit_preferences(self) -> None:
        current: dict[str, int | str] = {s.key: self.settings.get(s) for s in USER_SETTINGS}
        current.update({s.key: self.settings.get(s) for s in TEXT_SETTINGS})
        values, accepted = get_preferences(self, current)
        if not accepted:
            return
        self.apply_preferences(values)

    def apply_preferences(self, values: dict[str, int | str]) -> None:
        """Store the values from Preferences and show their effect where it is immediate."""
        for key, value in values.items():
            text_setting = text_setting_by_key(key)
            if text_setting is not None:
                self.settings.set(text_setting, str(value))
            elif isinstance(value, int):
                self.settings.set(setting_by_key(key), value)
        autosave = self.settings.get(AUTOSAVE_SECONDS)
        for index in range(self.editors.count()):
            editor = self._editor_at(index)
            if editor is not None:
                editor.set_autosave_interval(autosave)
        self.refresh_list_status()
        self.apply_session_preferences()

    def apply_session_preferences(self) -> None:
        """Preferences that change this session at once: the screening threshold and who is working.

        The officer named in Preferences records the changes from now on, unless
        ``WORKBENCH_OFFICER`` fixes the officer for the session.
        """
        self._wb.set_screening_threshold(self.settings.get(SCREENING_THRESHOLD) / 100)
        name = self.settings.get(OFFICER_NAME).strip()
        if name and not os.environ.get(ENV_OFFICER):
            self._wb.officer = name[:200]
        title = self.settings.get(OFFICER_TITLE).strip()
        self._wb.officer_title = title[:200]
        self.officer_label.setText(f"Officer: {self._wb.officer}" + (f" ({title})" if title else ""))

    # Lists and determinations --------------------------------------------------
    def refresh_list_status(self) -> None:
        """Show the active list version and its age; warn past the days set in Preferences."""
        try:
            text, warn = age_status(list_versions(self._wb), self.settings.get(LIST_AGE_WARN_DAYS))
        except WorkbenchError as exc:
            text, warn = f"Screening lists: unavailable ({exc})", True
        self.set_list_status(text, warn)

    def lists_dialog(self) -> ListsDialog:
        dialog = ListsDialog(self, self._wb, self.settings.get(LIST_AGE_WARN_DAYS))
        dialog.lists_changed.connect(self.refresh_list_status)
        return dialog

    def show_lists(self) -> None:
        self.lists_dialog().exec()

    def import_list(self) -> None:
        dialog = self.lists_dialog()
        dialog.show()
        dialog.choose_and_import()
        dialog.exec()

    def import_party_master(self) -> MasterImportDialog:
        dialog = MasterImportDialog(self, self._wb, MasterKind.PARTIES)
        dialog.open()
        return dialog

    def import_product_master(self) -> MasterImportDialog:
        dialog = MasterImportDialog(self, self._wb, MasterKind.PRODUCTS)
        dialog.open()
        return dialog

    def show_rule_updates(self) -> RuleUpdatesDialog:
        dialog = RuleUpdatesDialog(self, self._wb)
        dialog.open()
        return dialog

    def verify_determination(self) -> None:
        VerifyDialog.verify_workbook(self)

    def determine_current(self) -> Path | None:
        """Determine and sign the case in the current tab (its saved version, so unsaved edits are saved first)."""
        editor = self.current_editor()
        if editor is None or editor.is_new:
            return None
        if editor.is_dirty:
            if not messages.ask(
                self,
                f"The determination covers the saved case {editor.reference}. Save your changes first?",
                "Determine and sign",
            ):
                return None
            if not editor.save():
                return None
        path, _signed = DetermineDialog.determine_and_sign(
            self,
            self._wb,
            editor.reference,
            self.settings.get(DEFAULT_KEY_PATH),
            lambda key: self.settings.set(DEFAULT_KEY_PATH, key),
        )
        editor.refresh_status()  # the header shows the real status (determined), and the new version
        if path is not None:
            self.statusBar().showMessage(f"Wrote the signed determination {path}.", 8000)
            self.cases.refresh()
        return path

    def about(self) -> None:
        QMessageBox.about(
            self,
            "About the workbench",
            f"<b>Export-Compliance Workbench</b> {__version__}<br>"
            "Offline export cases, restricted-party screening, EAR checks and signed determinations.<br><br>"
            f"Database: {self._wb.database_label}<br>Officer: {self._wb.officer}",
        )

    def set_list_status(self, text: str, warn: bool) -> None:
        """Show the active screening-list version and its age; ``warn`` marks it as too old or missing."""
        self.list_label.setText(("⚠ " if warn else "") + text)
        self.list_label.setStyleSheet(f"color: {css(BAD)}; font-weight: 600;" if warn else "")
        self.list_label.setToolTip("The screening lists are older than your warning limit." if warn else "")

    # Layout and closing --------------------------------------------------------
    def _restore_layout(self) -> None:
        for setting, restore in (
            (CASELIST_HEADER, self.cases.table.horizontalHeader().restoreState),
            (WINDOW_GEOMETRY, self.restoreGeometry),
        ):
            state = self.settings.get(setting)
            if state:
                restore(QByteArray(state))
        self._columns_restored = bool(self.settings.get(CASELIST_HEADER))
        parts = self.settings.get(EDITOR_SPLIT).split(",")
        if len(parts) == 2 and all(p.strip().isdigit() and int(p) > 0 for p in parts):
            self._editor_split = [int(p) for p in parts]

    def _save_layout(self) -> None:
        self._remember_split()
        self.settings.set(CASELIST_HEADER, bytes(self.cases.table.horizontalHeader().saveState().data()))
        self.settings.set(WINDOW_GEOMETRY, bytes(self.saveGeometry().data()))
        if self._editor_split:
            self.settings.set(EDITOR_SPLIT, ",".join(str(size) for size in self._editor_split))

    def _remember_split(self) -> None:
        """The officer's split between list and editors counts only while cases are open."""
        if self.editors.count() and self._split_for_editors and all(self.splitter.sizes()):
            self._editor_split = self.splitter.sizes()

    def _arrange_split(self) -> None:
        """No case open: the list takes the room (the hint below it stays one line); cases open: their split."""
        with_editors = self.editors.count() > 0
        if with_editors == self._split_for_editors:
            return
        self._split_for_editors = with_editors
        total = max(sum(self.splitter.sizes()), self.splitter.height(), 600)
        if not with_editors:
            hint = self.placeholder.sizeHint().height() * 3
            self.splitter.setSizes([total - hint, hint])
            return
        sizes = self._editor_split or [round(total * 0.4), round(total * 0.6)]
        self.splitter.setSizes(sizes)

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if not self._columns_restored:  # the first start: the case list's columns fitted to the window
            self._columns_restored = True
            self.cases.fit_columns()

    def _offer_backup(self) -> Op[BackupResult] | BackupChoice:
        """Ask (never force) for a backup when the SQLite database has not been backed up lately.

        Returns the running backup, or QUIT (none due or none wanted), or CANCEL (stay open).
        """
        self._backup_offered = True
        days = self.settings.get(BACKUP_REMINDER_DAYS)
        try:
            if self._wb.database.backend != "sqlite" or not backup_due(self._wb, days):
                return BackupChoice.QUIT
        except WorkbenchError:
            return BackupChoice.QUIT
        folder = Path(self.settings.get(LAST_BACKUP_DIR) or data_dir() / "backups")
        answer = messages.ask_backup(
            self,
            f"The database has not been backed up in the last {days} days. Make a backup now before quitting?",
            folder,
        )
        if answer.choice is not BackupChoice.BACKUP:
            self._backup_offered = answer.choice is BackupChoice.QUIT  # after Cancel, the next quit asks again
            return answer.choice
        target = answer.folder / f"workbench-{datetime.now():%Y%m%d-%H%M%S}.zip"
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            self._backup_offered = False
            messages.error(
                self, f"The backup folder {answer.folder} cannot be created ({exc.strerror}); choose another one."
            )
            return BackupChoice.CANCEL
        self.settings.set(LAST_BACKUP_DIR, str(answer.folder))
        wb = self._wb
        return (
            Op(self, lambda progress, cancelled: backup(wb, target), title="Backup")
            .success(lambda result: messages.info(self, f"Backup written to {result.path}."))
            .with_progress("Writing the backup…")
            .run()
        )

    def closeEvent(self, event: QCloseEvent) -> None:
        for index in reversed(range(self.editors.count())):
            if not self.close_editor(self._editor_at(index)):
                event.ignore()
                return
        if not self._backup_offered:
            outcome = self._offer_backup()
            if outcome is BackupChoice.CANCEL:
                event.ignore()
                return
            if isinstance(outcome, Op):
                event.ignore()
                outcome.done.connect(self.close)
                return
        self._save_layout()
        super().closeEvent(event)
