"""The main window's actions (with their shortcuts and icons), menus and toolbar.

Kept apart from the window itself so the window reads as what it does, not how it is wired.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QStyle, QToolBar

if TYPE_CHECKING:
    from workbench.ui.mainwindow import MainWindow


@dataclass(frozen=True)
class MainActions:
    """Every command of the main window, for menus, toolbar, shortcuts and enabling."""

    about: QAction
    about_qt: QAction
    close_case: QAction
    dashboard: QAction
    determine: QAction
    export_case: QAction
    find: QAction
    import_case: QAction
    import_list: QAction
    import_parties: QAction
    import_products: QAction
    inbox: QAction
    licences: QAction
    products: QAction
    new_case: QAction
    open_case: QAction
    parties: QAction
    preferences: QAction
    quit_app: QAction
    redo: QAction
    refresh: QAction
    save: QAction
    show_lists: QAction
    rule_updates: QAction
    undo: QAction
    verify: QAction


def _action(
    window: MainWindow,
    text: str,
    slot: object,
    key: QKeySequence | QKeySequence.StandardKey | str | None = None,
    icon: QStyle.StandardPixmap | None = None,
    tip: str = "",
) -> QAction:
    action = QAction(text, window)
    if key is not None:
        action.setShortcut(QKeySequence(key))
    if icon is not None:
        action.setIcon(window.style().standardIcon(icon))
    if tip:
        action.setStatusTip(tip)
    action.triggered.connect(slot)
    return action


def create_actions(window: MainWindow) -> MainActions:
    pix = QStyle.StandardPixmap
    keys = QKeySequence.StandardKey
    new_case = _action(window, "&New case…", window.new_case, keys.New, pix.SP_FileIcon, "Create a new case")
    open_case = _action(
        window, "&Open case", window.open_selected, keys.Open, pix.SP_DirOpenIcon, "Open the case selected in the list"
    )
    save = _action(
        window,
        "&Save",
        window.save_current,
        keys.Save,
        pix.SP_DialogSaveButton,
        "Save the case in the current tab to the database",
    )
    close_case = _action(window, "&Close case", lambda: window.close_editor(window.current_editor()), keys.Close)
    import_case = _action(
        window,
        "&Import case file…",
        window.import_file,
        None,
        pix.SP_ArrowDown,
        "Add a case from a workbench-case JSON file",
    )
    export_case = _action(
        window,
        "&Export case file…",
        window.export_file,
        None,
        pix.SP_ArrowUp,
        "Write the case as a workbench-case JSON file",
    )
    import_parties = _action(
        window,
        "Import &party master…",
        window.import_party_master,
        None,
        None,
        "Add a customer or vendor master (CSV or XLSX) to the counterparty register and screen it",
    )
    import_products = _action(
        window,
        "Import p&roduct master…",
        window.import_product_master,
        None,
        None,
        "Add a product master (CSV or XLSX) to the product library, with the assistant's proposals",
    )
    preferences_key = QKeySequence(keys.Preferences)  # empty on platforms without a standard one
    preferences = _action(
        window, "&Preferences…", window.edit_preferences, preferences_key if not preferences_key.isEmpty() else "Ctrl+,"
    )
    preferences.setMenuRole(QAction.MenuRole.PreferencesRole)
    quit_app = _action(window, "&Quit", window.close, keys.Quit)
    quit_app.setMenuRole(QAction.MenuRole.QuitRole)
    undo = window.undo_group.createUndoAction(window, "&Undo")
    undo.setShortcut(QKeySequence(keys.Undo))
    undo.setIcon(window.style().standardIcon(pix.SP_ArrowBack))
    redo = window.undo_group.createRedoAction(window, "&Redo")
    redo.setShortcut(QKeySequence(keys.Redo))
    redo.setIcon(window.style().standardIcon(pix.SP_ArrowForward))
    find = _action(window, "&Find", window.cases.focus_search, keys.Find, None, "Search the case list")
    refresh = _action(window, "&Refresh list", window.cases.refresh, keys.Refresh, pix.SP_BrowserReload)
    verify = _action(
        window,
        "&Verify determination…",
        window.verify_determination,
        None,
        None,
        "Check that a signed workbook is intact",
    )
    import_list = _action(
        window, "&Import list…", window.import_list, None, None, "Import a new version of the restricted-party lists"
    )
    show_lists = _action(
        window, "&Show versions", window.show_lists, None, None, "The list versions, their counts and age"
    )
    rule_updates = _action(
        window,
        "&Rule updates…",
        window.show_rule_updates,
        None,
        None,
        "Rule packs, local amendments, and the open cases each update moves",
    )
    determine = _action(
        window,
        "&Determine && sign…",
        window.determine_current,
        "Ctrl+Shift+D",
        None,
        "Store a determination of the saved case and write the signed workbook",
    )
    licences = _action(
        window,
        "&Applications && Licences",
        window.show_licences,
        "Ctrl+L",
        pix.SP_FileDialogDetailedView,
        "Granted licences, balances, shipments and application drafts",
    )
    products = _action(
        window,
        "&Products",
        window.show_products,
        "Ctrl+Shift+P",
        pix.SP_FileDialogListView,
        "The product classification library: search, filter by ECCN, status or conflict, open a product",
    )
    dashboard = _action(
        window,
        "&Dashboard",
        window.show_dashboard,
        "Ctrl+Shift+B",
        pix.SP_ComputerIcon,
        "Case counts, expiring documents, open screening hits and the 3A090 chart",
    )
    parties = _action(
        window,
        "P&arties",
        window.show_parties,
        "Ctrl+Shift+R",
        None,
        "The counterparty register: search, filter and open parties",
    )
    inbox = _action(
        window,
        "Screening &inbox",
        window.show_inbox,
        "Ctrl+Shift+I",
        None,
        "Every unresolved screening hit across the register, highest score first",
    )
    about = _action(window, "&About the workbench", window.about)
    about.setMenuRole(QAction.MenuRole.AboutRole)
    about_qt = _action(window, "About &Qt", QApplication.aboutQt)
    return MainActions(
        about=about,
        about_qt=about_qt,
        close_case=close_case,
        dashboard=dashboard,
        determine=determine,
        export_case=export_case,
        find=find,
        import_case=import_case,
        import_list=import_list,
        import_parties=import_parties,
        import_products=import_products,
        inbox=inbox,
        licences=licences,
        products=products,
        new_case=new_case,
        open_case=open_case,
        parties=parties,
        preferences=preferences,
        quit_app=quit_app,
        redo=redo,
        refresh=refresh,
        save=save,
        show_lists=show_lists,
        rule_updates=rule_updates,
        undo=undo,
        verify=verify,
    )


def install_menus(window: MainWindow, actions: MainActions) -> None:
    file_menu = window.menuBar().addMenu("&File")
    file_menu.addActions([actions.new_case, actions.open_case, actions.save, actions.close_case])
    file_menu.addSeparator()
    file_menu.addActions([actions.import_case, actions.export_case])
    file_menu.addActions([actions.import_parties, actions.import_products])
    file_menu.addSeparator()
    file_menu.addAction(actions.verify)
    file_menu.addSeparator()
    file_menu.addAction(actions.preferences)
    file_menu.addSeparator()
    file_menu.addAction(actions.quit_app)
    edit_menu = window.menuBar().addMenu("&Edit")
    edit_menu.addActions([actions.undo, actions.redo])
    edit_menu.addSeparator()
    edit_menu.addAction(actions.find)
    view_menu = window.menuBar().addMenu("&View")
    view_menu.addAction(actions.refresh)
    view_menu.addAction(actions.licences)
    view_menu.addAction(actions.products)
    view_menu.addAction(actions.parties)
    view_menu.addAction(actions.dashboard)
    case_menu = window.menuBar().addMenu("&Case")
    case_menu.addAction(actions.determine)
    lists_menu = window.menuBar().addMenu("&Lists")
    lists_menu.addActions([actions.import_list, actions.show_lists])
    lists_menu.addAction(actions.inbox)
    lists_menu.addSeparator()
    lists_menu.addAction(actions.rule_updates)
    help_menu = window.menuBar().addMenu("&Help")
    help_menu.addActions([actions.about, actions.about_qt])
    toolbar = QToolBar("Main toolbar", window)
    toolbar.setObjectName("main-toolbar")
    toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
    toolbar.setMovable(False)
    toolbar.addActions([actions.new_case, actions.open_case, actions.save])
    toolbar.addSeparator()
    toolbar.addActions([actions.undo, actions.redo])
    toolbar.addSeparator()
    toolbar.addActions([actions.import_case, actions.export_case])
    window.addToolBar(toolbar)
    view_menu.addAction(toolbar.toggleViewAction())
