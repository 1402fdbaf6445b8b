"""Benchmark: search the counterparty register as you type over 100,000 parties (SQLite).

The parties are written once, straight into the register tables with the repository's own row
mapping (so ``search_text`` and the trigram index are exactly what ``party add`` writes, without
the audit entries, which would make building 100,000 take many minutes), into a database kept in
the temp folder; reruns only time the searches. Each search
is what a Parties view does per keystroke: count the matches and read the first page of 200.
"""

from __future__ import annotations

import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench.domain.register import Address, NameKind, OtherName, RegisterParty
from workbench.services import Workbench, open_workbench
from workbench.services.register import list_parties
from workbench.services.register_view import PartyFilter, party_page, screening_statuses
from workbench.store.orm_register import RegisterPartyRow
from workbench.store.register import apply_party_to_row

N = int(os.environ.get("BENCH_REGISTER_PARTIES", "100000"))
BATCH = 5000
DB = Path(tempfile.gettempdir()) / f"workbench-bench-register-{N}.sqlite3"
WORDS = ["shen", "bright", "trading", "gmbh", "holdings", "elect", "7731", "zz", "nordic steel", "xq"]
STEMS = ["Bright", "Future", "Nordic", "Steel", "Pacific", "Delta", "Orion", "Summit", "Harbour", "Lotus", "Apex"]
FORMS = ["GmbH", "Ltd", "Co., Ltd.", "LLC", "AB", "S.A.", "Holdings", "Trading Co", "Electronics"]
COUNTRIES = ["CN", "DE", "US", "AE", "SE", "MY", "SG", "TR", "IN", "BR"]


def build(wb: Workbench) -> float:
    rng = random.Random(14)
    start = time.perf_counter()
    now = datetime.now(UTC)
    for first in range(0, N, BATCH):
        with wb.database.session_factory() as session:
            for i in range(first, min(first + BATCH, N)):
                name = f"{rng.choice(STEMS)} {rng.choice(STEMS)} {i} {rng.choice(FORMS)}"
                country = rng.choice(COUNTRIES)
                party = RegisterParty(
                    name=name,
                    country=country,
                    other_names=(OtherName(NameKind.ALIAS, f"{name.split()[0]} Group {i}"),),
                    addresses=(Address(country, (f"{i} Harbour Road",), "Port City"),),
                )
                row = RegisterPartyRow(created_at=now, updated_at=now)
                apply_party_to_row(party, row)
                session.add(row)
            session.commit()
        print(f"  built {min(first + BATCH, N):,} parties", file=sys.stderr)
    return time.perf_counter() - start


def main() -> None:
    fresh = not DB.exists()
    wb = open_workbench(f"sqlite:///{DB}", officer="bench")
    try:
        if fresh:
            print(f"building {N:,} register parties in {DB} (once)…", file=sys.stderr)
            print(f"building took {build(wb):.0f} s", file=sys.stderr)
        timings = []
        for _ in range(3):
            for word in WORDS:
                start = time.perf_counter()
                list_parties(wb, word, limit=200)
                timings.append((time.perf_counter() - start) * 1000)
        start = time.perf_counter()
        list_parties(wb, "", limit=200)
        first_page = (time.perf_counter() - start) * 1000
        view, cpu = [], []
        for _ in range(3):
            for word in ["", *WORDS]:
                start, used = time.perf_counter(), time.process_time()
                _total, rows = party_page(wb, PartyFilter(word), limit=200)
                screening_statuses(wb, [r.id for r in rows])
                view.append((time.perf_counter() - start) * 1000)
                cpu.append((time.process_time() - used) * 1000)
        one, _five, _ = os.getloadavg()
        print(f"| register: count + first page of 200 of {N:,} parties (no search) | {first_page:.0f} ms |")
        print(
            f"| register: search as you type over {N:,} parties (count + page of 200; FTS5 trigram) | median "
            f"{statistics.median(timings):.0f} ms, worst {max(timings):.0f} ms |"
        )
        print(
            f"| register: Parties view page over {N:,} parties (count + page of 200 + their screening status; "
            f"open and each keystroke; load average {one:.1f}) | median {statistics.median(view):.0f} ms, worst "
            f"{max(view):.0f} ms; CPU median {statistics.median(cpu):.0f} ms |"
        )
    finally:
        wb.close()


if __name__ == "__main__":
    main()
