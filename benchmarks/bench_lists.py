"""Benchmark: import the full CSL into a database as a list version, then screen and check a case.

Prints markdown table rows; not a timed test.
"""

from __future__ import annotations

import gzip
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import resources
from workbench.services import open_workbench
from workbench.services import screening as screening_service
from workbench.services.cases import get_case, load_demo
from workbench.services.checks import check
from workbench.services.screening import import_list, screen_case, screener


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["WORKBENCH_DATA_DIR"] = str(folder)  # a cold cache: nothing from earlier runs
        csv = folder / "consolidated-2026-07-31.csv"
        csv.write_bytes(gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")))
        wb = open_workbench(f"sqlite:///{folder / 'bench.sqlite3'}")
        load_demo(wb)
        start = time.perf_counter()
        result = import_list(wb, csv, rescreen=False)
        imported = time.perf_counter() - start
        start = time.perf_counter()
        screener(wb)
        indexed = time.perf_counter() - start
        screening_service._screeners.clear()  # as a new process would start
        start = time.perf_counter()
        screener(wb)
        from_disk = time.perf_counter() - start
        screenings = []
        for _ in range(5):
            t0 = time.perf_counter()
            screen_case(wb, "EC-2026-0049")
            screenings.append(time.perf_counter() - t0)
        case = get_case(wb, "EC-2026-0044")
        checks = []
        for _ in range(5):
            t0 = time.perf_counter()
            check(wb, case, stored=True)
            checks.append(time.perf_counter() - t0)
        wb.close()
    entries = result.version.entry_count
    print(f"| lists: import the full CSL ({entries} entries) into SQLite as a list version | {imported:.2f} s |")
    print(f"| lists: build the screening index of that version and cache it on disk (once) | {indexed:.2f} s |")
    print(f"| lists: load that index from the disk cache (each new process) | {from_disk:.2f} s |")
    print(f"| screening: screen and store a case's parties | median {statistics.median(screenings) * 1000:.0f} ms |")
    print(
        f"| checks: screen + documents + rules + licence coverage on a demo case | "
        f"median {statistics.median(checks) * 1000:.0f} ms |"
    )


if __name__ == "__main__":
    main()
