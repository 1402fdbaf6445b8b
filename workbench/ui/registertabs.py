"""The register's tabs in the main window: the Parties view and the screening inbox.

Kept apart from ``mainwindow`` so the window only asks to show one and to close one; each tab
is created when first shown, brought forward after, and reloaded when brought forward.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QWidget

from workbench.ui.views.inbox import ScreeningInboxView

if TYPE_CHECKING:
    from workbench.ui.mainwindow import MainWindow


class RegisterTabs:
    def __init__(self, window: MainWindow) -> None:
        self._window = window
        self.inbox: ScreeningInboxView | None = None

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
        inbox = self.inbox
        if widget is None or inbox is None or widget is not inbox:
            return False
        editors = self._window.editors
        editors.removeTab(editors.indexOf(inbox))
        inbox.deleteLater()
        self.inbox = None
        return True
