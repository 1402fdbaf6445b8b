"""Benchmark: import 1,000 case files into SQLite, then list and search them.

Prints markdown table rows; not a timed test.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import resources
from workbench.services import open_workbench
from workbench.services.cases import import_case_file, list_cases

N = 1000


def main() -> None:
    template = json.loads(resources.read_text("demo/ec-2026-0042.json"))
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = []
        for i in range(N):
            case = dict(template, reference=f"BENCH-{i:05d}", title=f"Benchmark case {i}")
            path = folder / f"case-{i}.json"
            path.write_text(json.dumps(case))
            files.append(path)
        wb = open_workbench(f"sqlite:///{folder / 'bench.sqlite3'}")
        start = time.perf_counter()
        for path in files:
            import_case_file(wb, path)
        imported = time.perf_counter() - start

        timings = []
        for _ in range(50):
            t0 = time.perf_counter()
            page = list_cases(wb, limit=200)
            timings.append(time.perf_counter() - t0)
        assert page.total == N
        search = []
        for word in ("benchmark 99", "kuala", "malaysia", "BENCH-0042"):
            t0 = time.perf_counter()
            list_cases(wb, word, limit=200)
            search.append(time.perf_counter() - t0)
        wb.close()
    rate = N / imported
    print(f"| cases: import {N} case files (SQLite, one transaction each) | {imported:.2f} s ({rate:.0f} files/s) |")
    print(f"| cases: list first page of 200 of {N} cases | median {statistics.median(timings) * 1000:.1f} ms |")
    print(f"| cases: search as you type over {N} cases | median {statistics.median(search) * 1000:.1f} ms |")


if __name__ == "__main__":
    main()
