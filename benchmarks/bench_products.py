"""Benchmark: import a 20,000-product master (assistant run on each), then search 100,000 products.

Prints markdown table rows; not a timed test. The library is filled to 100,000 products by four
more imports of 20,000; search as you type is timed as the Products view will call it
(count + first page of 200), for words typed one letter at a time.
"""

from __future__ import annotations

import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.services import open_workbench
from workbench.services.products import import_products, list_products

BATCH = 20_000
TOTAL = 100_000
MAKERS = [("NVIDIA", "H100 SXM5"), ("NVIDIA", "L40S"), ("AMD", "MI300X"), ("Intel", "Gaudi 3"),
          ("Acme", "Switch 48"), ("Contoso", "Router X"), ("Fabrikam", "Cable"), ("Initech", "NIC 100G")]
KINDS = ["GPU", "accelerator card", "baseboard", "server", "network switch", "cable assembly", "module", "sensor"]
ECCNS = ["3A090.a", "4A090.a", "3A090.b", "5A992.c", "EAR99", "", "3A991.p", "4A994.l"]


def _master(path: Path, start: int, rng: random.Random) -> None:
    lines = ["part_number,description,manufacturer,model,eccn,tpp,performance_density,ics_per_unit,datacenter"]
    for i in range(start, start + BATCH):
        maker, model = MAKERS[i % len(MAKERS)]
        kind = KINDS[rng.randrange(len(KINDS))]
        tpp = "" if i % 5 == 0 else f"{rng.uniform(100, 20000):.0f}"
        pd = "" if i % 7 == 0 else f"{rng.uniform(0.5, 25):.2f}"
        lines.append(
            f"{maker[:3].upper()}-{i:07d},{maker} {model} {kind} rev {i % 97},{maker},{model},"
            f"{ECCNS[i % len(ECCNS)]},{tpp},{pd},{1 if i % 3 else 8},{'yes' if i % 2 else 'no'}"
        )
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _timed_search(wb: object, words: str, **filters: object) -> float:
    t0 = time.perf_counter()
    list_products(wb, words, limit=200, **filters)  # type: ignore[arg-type]
    return time.perf_counter() - t0


def main() -> None:
    rng = random.Random(15)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        wb = open_workbench(f"sqlite:///{folder / 'bench.sqlite3'}", "Benchmark")
        first = folder / "master-0.csv"
        _master(first, 0, rng)
        wall, cpu = time.perf_counter(), time.process_time()
        report = import_products(wb, first)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        conflicts = report.count("conflict")
        for n in range(BATCH, TOTAL, BATCH):
            path = folder / f"master-{n}.csv"
            _master(path, n, rng)
            import_products(wb, path)
        assert list_products(wb, limit=1).total == TOTAL

        typed = ["n", "nv", "nvi", "nvid", "nvidia", "nvidia h", "nvidia h1", "nvidia h100",
                 "g", "ga", "gau", "gaud", "gaudi", "a", "ac", "acc", "acce", "accel",
                 "NVI-000012", "rev 42", "cable assembly", "mi300x baseboard"]
        _timed_search(wb, "warm up the cache")
        timings = [_timed_search(wb, words) for words in typed]
        filtered = [
            _timed_search(wb, "", conflicts=True),
            _timed_search(wb, "", eccn="3A090"),
            _timed_search(wb, "nvidia", conflicts=True),
            _timed_search(wb, "gpu", eccn="4A090.a"),
        ]
        wb.close()
    print(
        f"| products: import {BATCH:,}-row CSV master, assistant on each, audited, one transaction (SQLite) | "
        f"{wall:.2f} s wall, {cpu:.2f} s CPU ({BATCH / wall:,.0f} rows/s; {conflicts:,} conflicts reported) |"
    )
    print(
        f"| products: search as you type over {TOTAL:,} products (count + page of 200; FTS5 trigram) | "
        f"median {statistics.median(timings) * 1000:.0f} ms, worst {max(timings) * 1000:.0f} ms |"
    )
    print(
        f"| products: filters over {TOTAL:,} products (conflicts, ECCN, with and without words) | "
        f"median {statistics.median(filtered) * 1000:.0f} ms, worst {max(filtered) * 1000:.0f} ms |"
    )


if __name__ == "__main__":
    main()
