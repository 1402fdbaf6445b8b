"""Benchmark: open the main window on 100,000 cases (SQLite) and show the first page.

The database is built once (in large transactions through the unit of work) and
kept in the temp folder, so reruns only time the window. Prints markdown rows.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench.services import Workbench, open_workbench
from workbench.services.cases import demo_cases, list_cases
from workbench.services.screening import screener
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.views.dashboard import needs_attention

N = int(os.environ.get("BENCH_UI_CASES", "100000"))
BATCH = 5000
DB = Path(tempfile.gettempdir()) / f"workbench-bench-ui-{N}.sqlite3"


def build(wb: Workbench) -> float:
    """Add N cases (variations of the demo cases) in transactions of BATCH cases."""
    templates = demo_cases()
    start = time.perf_counter()
    for first in range(0, N, BATCH):
        with wb.uow() as uow:
            for i in range(first, min(first + BATCH, N)):
                base = templates[i % len(templates)]
                uow.cases.add(replace(base, reference=f"B-{i:06d}", title=f"{base.title} #{i}"))
            uow.commit()
        print(f"  built {min(first + BATCH, N):,} cases", file=sys.stderr)
    return time.perf_counter() - start


def main() -> None:
    fresh = not DB.exists()
    wb = open_workbench(f"sqlite:///{DB}", officer="bench")
    if fresh:
        print(f"building {N:,} cases in {DB} (once)…", file=sys.stderr)
        print(f"| ui: build {N:,} cases (SQLite, {BATCH:,} per transaction) | {build(wb):.0f} s |")
    app = QApplication.instance() or QApplication([])
    messages.install(messages.RecordingSink(default_answer=False))
    timings = []
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = tmp
        for _ in range(5):
            start = time.perf_counter()
            window = MainWindow(wb, QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
            window.show()
            app.processEvents()
            timings.append(time.perf_counter() - start)
            assert window.model.total == N and window.model.rowCount() > 0
            window._backup_offered = True  # the bench quits without asking
            window.close()
            window.deleteLater()
            app.processEvents()
        count_times, search_times = [], []
        for word in ("kuala", "B-04242", "phnom", "zzz-nothing"):
            t0 = time.perf_counter()
            page = list_cases(wb, word, limit=200)
            search_times.append(time.perf_counter() - t0)
        for _ in range(5):
            t0 = time.perf_counter()
            list_cases(wb, limit=1)
            count_times.append(time.perf_counter() - t0)
        del page
        screener(wb)  # the index is built once per list file; the dashboard's cost is the checks
        t0 = time.perf_counter()
        attention = needs_attention(wb, lambda _done, _total: None, lambda: False)
        attention_time = time.perf_counter() - t0
    wb.close()
    print(f"| ui: open main window on {N:,} cases | {statistics.median(timings) * 1000:.0f} ms |")
    print(
        f"| ui: count + first row of {N:,} cases (no filter) | median {statistics.median(count_times) * 1000:.0f} ms |"
    )
    print(
        f"| ui: search as you type over {N:,} cases (count + page of 200) | "
        f"median {statistics.median(search_times) * 1000:.0f} ms, worst {max(search_times) * 1000:.0f} ms |"
    )
    print(
        f"| ui: dashboard open items, checking {attention.cases} open cases off the GUI thread | "
        f"{attention_time:.1f} s ({attention_time / max(attention.cases, 1) * 1000:.0f} ms a case) |"
    )


if __name__ == "__main__":
    main()
