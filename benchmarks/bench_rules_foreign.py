"""Benchmark: rule checks of a 200-item, 10-party reexport whose items are foreign-made (issue #17).

Every item records its country of origin, US-controlled content and FDP facts (some unknown), and the
parties carry regions and addresses, so de minimis, the FDP rules, region-level sanctions and the
transaction-type checks all run. Run: ``.venv/bin/python benchmarks/bench_rules_foreign.py``
(``make bench``). Prints one markdown-table row: checks per second and the median time of one check.
"""

from __future__ import annotations

import statistics
import time
from dataclasses import replace
from decimal import Decimal

from bench_rules import build_case  # the same 200-item, 10-party case (benchmarks/ is on the path)

from workbench.domain.case import Case, Party, PartyRole, TransactionType
from workbench.rules.engine import evaluate

_ORIGINS = ("TW", "KR", "JP", "US", None)
_FACTS = (True, False, None)


def build_foreign_case() -> Case:
    base = build_case()
    items = tuple(
        replace(
            item,
            country_of_origin=_ORIGINS[i % len(_ORIGINS)],
            us_content_percent=None if i % 6 == 0 else Decimal(i % 40),
            us_technology_product=_FACTS[i % 3],
            us_technology_plant=_FACTS[(i + 1) % 3],
        )
        for i, item in enumerate(base.items)
    )
    regions = ("UA-43", "UA-14", None, "UA-30", None)
    addresses = ("", "", "вул. Артема 1, Донецьк", "", "Sevastopol, Lenina 3")
    parties = tuple(
        Party(
            role=tuple(PartyRole)[i % len(PartyRole)],
            name=f"Party {i}",
            country="UA",
            region=regions[i % 5],
            address=addresses[i % 5],
        )
        for i in range(10)
    )
    return replace(
        base,
        export_from="TW",
        destination="UA",
        transaction_type=TransactionType.REEXPORT,
        items=items,
        parties=parties,
    )


def main() -> None:
    case = build_foreign_case()
    evaluate(case)  # load and validate rule data once
    times: list[float] = []
    start = time.perf_counter()
    while time.perf_counter() - start < 3.0:
        t = time.perf_counter()
        evaluate(case)
        times.append(time.perf_counter() - t)
    findings = len(evaluate(case).findings)
    print(
        f"| rules: check 200-item/10-party foreign-made reexport ({findings} findings) | {len(times) / sum(times):.1f} "
        f"checks/s, median {statistics.median(times) * 1000:.1f} ms |"
    )


if __name__ == "__main__":
    main()
