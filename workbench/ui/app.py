"""GUI entry point (``workbench``): open the database, show the main window."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QApplication

from workbench.config import APP_NAME, ENV_DB, ENV_OFFICER
from workbench.domain.errors import WorkbenchError
from workbench.logsetup import configure_logging
from workbench.services import open_workbench
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.settings import DATABASE_URL, OFFICER_NAME, UiSettings, open_settings

QUIT_WAIT_MS = 15_000


def startup_choices(db_arg: str | None, settings: UiSettings) -> tuple[str | None, str | None]:
    """The database URL and officer to open with: ``--db`` / the environment win over Preferences."""
    url = db_arg or (None if os.environ.get(ENV_DB) else settings.get(DATABASE_URL) or None)
    officer = None if os.environ.get(ENV_OFFICER) else settings.get(OFFICER_NAME) or None
    return url, officer


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="workbench", description="Export-compliance workbench (desktop)")
    parser.add_argument("--db", metavar="URL", help="SQLAlchemy database URL")
    args, qt_args = parser.parse_known_args(argv)
    configure_logging()
    app = QApplication.instance() or QApplication([sys.argv[0], *qt_args])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    messages.install_excepthook()
    settings = open_settings()
    url, officer = startup_choices(args.db, UiSettings(settings))
    try:
        wb = open_workbench(url, officer)
    except WorkbenchError as exc:
        messages.error(None, exc=exc, title="Cannot open the database")
        return 2
    window = MainWindow(wb, settings)
    window.show()
    window.warm_up_screening()
    code = app.exec()
    QThreadPool.globalInstance().waitForDone(QUIT_WAIT_MS)  # background work ends before the database closes
    wb.close()
    return int(code)


if __name__ == "__main__":
    sys.exit(main())
