"""Render README screenshots offscreen from a demo database (python tools/screenshot.py).

Writes ``docs/screenshots/main-window.png`` (the list with a case open) and
``docs/screenshots/case-editor.png`` (the editor's items tab).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench.services import open_workbench
from workbench.services.cases import load_demo
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DEMO_CASE = "EC-2026-0042"


def main() -> None:
    app = QApplication([])
    messages.install(messages.RecordingSink(default_answer=False))  # no modal question may block
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = tmp  # drafts and settings stay out of the user's folder
        wb = open_workbench(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", officer="A. Officer")
        load_demo(wb)
        window = MainWindow(wb, QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        window.set_list_status("Screening lists: CSL 2026-03-02 (3 days old)", warn=False)
        editor = window.open_case(DEMO_CASE)
        assert editor is not None
        window.splitter.setSizes([300, 600])
        row = next(r for r in range(window.model.rowCount()) if window.model.reference_at(r) == DEMO_CASE)
        window.table.selectRow(row)
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "main-window.png"))
        editor.tabs.setCurrentWidget(editor.items_page)
        app.processEvents()
        editor.grab().save(str(OUT / "case-editor.png"))
        editor.tabs.setCurrentWidget(editor.parties_page)
        app.processEvents()
        editor.grab().save(str(OUT / "case-editor-parties.png"))
        window.close()
        wb.close()
    for name in ("main-window.png", "case-editor.png", "case-editor-parties.png"):
        print(f"wrote {OUT / name}")


if __name__ == "__main__":
    main()
