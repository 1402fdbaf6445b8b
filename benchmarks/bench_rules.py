"""Benchmark: rule checks per second on a 200-item, 10-party case (screening excluded).

Run: ``.venv/bin/python benchmarks/bench_rules.py`` (``make bench``). Prints one
markdown-table row. Rule data is loaded once before timing, as in the application.
"""

from __future__ import annotations

import time
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, EndUse, Item, Party, PartyRole
from workbench.domain.determination import Posture
from workbench.rules.engine import evaluate

_ECCNS = ("4A090.a", "3A090.b", "3A001.a.2", "5A992.c", "EAR99", "3A090.c", "5A002.a", "3B001.c", None, "4A003.b")
_ROLES = tuple(PartyRole)


def build_case() -> Case:
    items = tuple(
        Item(
            description=f"Item {i} {'server board' if i % 3 == 0 else 'accelerator'}",
            eccn=_ECCNS[i % len(_ECCNS)],
            tpp=float(1000 + 150 * i) if i % 2 == 0 else None,
            performance_density=4.0 if i % 4 == 0 else None,
            datacenter=i % 5 != 0,
            quantity=Decimal(1 + i % 7),
            unit_value=Decimal(100 + i),
        )
        for i in range(200)
    )
    parties = tuple(
        Party(
            role=_ROLES[i % len(_ROLES)],
            name=f"Party {i}",
            country=("MY", "SG", "DE", "VN", "AE")[i % 5],
            headquarters_country="CN" if i == 7 else None,
        )
        for i in range(10)
    )
    return Case(
        reference="BENCH-1",
        title="Benchmark case",
        transaction_date=date(2026, 11, 28),
        export_from="US",
        destination="MY",
        parties=parties,
        items=items,
        end_use=EndUse(ai_model_training=True),
    )


def main() -> None:
    case = build_case()
    evaluate(case)  # load and validate rule data once
    runs, start = 0, time.perf_counter()
    while time.perf_counter() - start < 3.0:
        evaluate(case, posture=Posture.ENFORCED if runs % 2 == 0 else Posture.CODIFIED)
        runs += 1
    rate = runs / (time.perf_counter() - start)
    findings = len(evaluate(case).findings)
    print(f"| rules: check 200-item/10-party case ({findings} findings) | {rate:.1f} checks/s |")


if __name__ == "__main__":
    main()
