"""The register's tabs in the main window: the Parties view (with its party editors) and the
screening inbox.

Kept apart from ``mainwindow`` so the window only asks to show one and to close one; each tab
is created when first shown, brought forward after, and reloaded when brought forward.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from workbench.ui.dialogs.party import PartyEditor, open_party
from workbench.ui.views.inbox import ScreeningInboxView
from workbench.ui.views.parties import PartiesView

if TYPE_CHECKING:
    from workbench.ui.mainwindow import MainWindow


class RegisterTabs:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.inbox: ScreeningInboxView | None = None
        self.parties: PartiesView | None = None
        self.editors: list[PartyEditor] = []

    def show_parties(self) -> PartiesView:
        """Open (or bring forward and refresh) the Parties view of the register."""
        window = self._window
        if self.parties is None:
            self.parties = PartiesView(window.workbench, window)
            self.parties.open_requested.connect(self.open_party)
            window.editors.addTab(self.parties, "Parties")
        else:
            self.parties.reload()
        window.editors.setCurrentWidget(self.parties)
        self.parties.search.setFocus()
        return self.parties

    def open_party(self, party_id: int) -> PartyEditor:
        """The party editor of ``party_id``; saving refreshes the Parties view."""
        editor = open_party(self._window, self._window.workbench, party_id)
        self.editors.append(editor)
        editor.accepted.connect(lambda: self.parties.reload() if self.parties is not None else None)
        editor.destroyed.connect(lambda: self.editors.remove(editor) if editor in self.editors else None)
        return editor

    def show_inbox(self) -> ScreeningInboxView:
        """Open (or bring forward and reload) the screening inbox."""
        window = self._window
        if self.inbox is None:
            self.inbox = ScreeningInboxView(window.workbench, window)
            self.inbox.status_message.connect(lambda text: window.statusBar().showMessage(text, 5000))
            window.editors.addTab(self.inbox, "Screening inbox")
        else:
            self.inbox.reload(self.inbox.table.currentIndex().row())
        window.editors.setCurrentWidget(self.inbox)
        self.inbox.table.setFocus()
        return self.inbox

    def close(self, widget: QWidget | None) -> bool:
        """Close ``widget`` if it is one of the register's tabs; False if it is not."""
        if widget is None:
            return False
        tab: QWidget = widget
        is_inbox, is_parties = tab is self.inbox, tab is self.parties
        if not (is_inbox or is_parties):
            return False
        editors = self._window.editors
        editors.removeTab(editors.indexOf(tab))
        tab.deleteLater()
        if is_inbox:
            self.inbox = None
        else:
            self.parties = None
        return True
