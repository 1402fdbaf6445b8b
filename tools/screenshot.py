"""Render README screenshots offscreen from a demo database (python tools/screenshot.py)."""

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
from workbench.ui.mainwindow import MainWindow

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"


def main() -> None:
    app = QApplication([])
    with tempfile.TemporaryDirectory() as tmp:
        wb = open_workbench(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}")
        load_demo(wb)
        window = MainWindow(wb, QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        window.resize(1280, 560)
        window.show()
        for column, width in ((0, 120), (1, 380), (2, 80), (3, 110), (4, 150), (5, 300)):
            window.table.setColumnWidth(column, width)
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "main-window.png"))
        window.close()
        wb.close()
    print(f"wrote {OUT / 'main-window.png'}")


if __name__ == "__main__":
    main()
