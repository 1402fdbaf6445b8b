"""Benchmark: cold start to window shown, each run in a fresh Python process.

A temp demo database is built once; then five subprocesses each import the UI
machinery, open a MainWindow on it offscreen and report the milliseconds from
interpreter start (before any workbench or Qt import) to the window being shown.
Prints the median as a markdown row.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 5

CHILD = r"""
import time
start = time.perf_counter()
import os, sys
sys.path.insert(0, sys.argv[2])
from PySide6.QtCore import QEventLoop, QSettings, QTimer
from PySide6.QtWidgets import QApplication
from workbench.services import open_workbench
from workbench.ui import messages
from workbench.ui.app import APP_NAME
from workbench.ui.mainwindow import MainWindow

app = QApplication([sys.argv[0]])
app.setApplicationName(APP_NAME)
messages.install(messages.RecordingSink(default_answer=False))
wb = open_workbench(sys.argv[1], officer="bench")
window = MainWindow(wb, QSettings(os.path.join(os.environ["WORKBENCH_DATA_DIR"], "ui.ini"), QSettings.Format.IniFormat))
window.show()
loop = QEventLoop()
QTimer.singleShot(0, loop.quit)
loop.exec()  # let the first show and paint events run
assert window.isVisible()
print(f"{(time.perf_counter() - start) * 1000:.0f}")
window.close()
wb.close()
"""


def build_demo(url: str, env: dict[str, str]) -> None:
    """Create the demo database in a separate process, so this one never imports the workbench."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[2]);"
        "from workbench.services import open_workbench; from workbench.services.cases import load_demo;"
        "wb = open_workbench(sys.argv[1], officer='bench'); load_demo(wb); wb.close()"
    )
    subprocess.run([sys.executable, "-c", code, url, str(ROOT)], check=True, env=env)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "WORKBENCH_DATA_DIR": tmp}
        env.pop("WORKBENCH_DB", None)
        url = f"sqlite:///{Path(tmp) / 'bench-startup.sqlite3'}"
        build_demo(url, env)
        timings = []
        for _ in range(RUNS):
            out = subprocess.run(
                [sys.executable, "-c", CHILD, url, str(ROOT)], check=True, capture_output=True, text=True, env=env
            )
            timings.append(float(out.stdout.strip().splitlines()[-1]))
        print(f"runs (ms): {', '.join(f'{t:.0f}' for t in timings)}", file=sys.stderr)
        print(f"| ui: cold start to window shown | {statistics.median(timings):.0f} ms |")


if __name__ == "__main__":
    main()
