"""Benchmark: reclassify a product used by 500 open cases, with the re-check of each (before and after).

Prints markdown table rows; not a timed test. The cases are stored first (each with the HGX
board picked from the library and a case-only item); one check before the clock starts loads
the screening index, as the running app has it loaded.
"""

from __future__ import annotations

import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from datetime import date

from workbench import resources
from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.export.productfile import parse_product_json
from workbench.services import open_workbench
from workbench.services.cases import create_case, get_case
from workbench.services.checks import check
from workbench.services.product_cases import product_item, reclassify_and_recheck
from workbench.services.products import add_product

CASES = int(sys.argv[1]) if len(sys.argv) > 1 else 500
DESTINATIONS = ("MY", "CN", "AE", "IN", "DE", "SG", "VN", "BR")


def main() -> None:
    hgx = parse_product_json(resources.read_bytes("demo/products/hgx-h100-8gpu.json"))
    with tempfile.TemporaryDirectory() as tmp:
        wb = open_workbench(f"sqlite:///{Path(tmp) / 'bench.sqlite3'}", "Benchmark")
        add_product(wb, hgx)
        board = product_item(wb, hgx.part_number, quantity=Decimal(4), unit_value=Decimal(250000))
        rails = Item(description="Rack rails", eccn="EAR99", quantity=Decimal(4))
        for n in range(CASES):
            country = DESTINATIONS[n % len(DESTINATIONS)]
            create_case(
                wb,
                Case(
                    reference=f"EC-B-{n:04d}",
                    title=f"GPU servers {n}",
                    transaction_date=date(2026, 11, 28),
                    export_from="US",
                    destination=country,
                    parties=(
                        Party(PartyRole.APPLICANT, "Acme Compute Systems Inc.", "US"),
                        Party(PartyRole.END_USER, f"Data Centre Operator {n}", country),
                    ),
                    items=(board, rails),
                ),
            )
        check(wb, get_case(wb, "EC-B-0000"), stored=True)  # loads the screening index once
        wall, cpu = time.perf_counter(), time.process_time()
        impact = reclassify_and_recheck(
            wb, hgx.part_number, eccn="4A090.b", tpp=2400.0, performance_density=3.0, reason="benchmark"
        )
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        moved = len(impact.moved)
        print(
            f"| products: reclassify a product used by {CASES} open cases and re-check each before and after "
            f"({moved} move; `bench_product_cases.py`) | {wall:.2f} s wall, {cpu:.2f} s CPU "
            f"({wall / CASES * 1000:.1f} ms a case) |"
        )
        wb.close()


if __name__ == "__main__":
    main()
