"""Benchmark: rule packs — import and verify a pack, diff two packs, re-check 500 open cases.

Run: ``.venv/bin/python benchmarks/bench_rulepacks.py`` (``make bench``). Prints markdown-table
rows. The re-check runs every open case under the old and the new data (screening from the
stored hits, documents, rules), as an import or amendment does off the GUI thread.
"""

from __future__ import annotations

import json
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workbench.export.keys import public_key_pem
from workbench.export.rulepack import build_pack, read_pack
from workbench.rules.data import RULE_FILES, builtin_parts, builtin_rule_data, rule_data_from_parts
from workbench.rules.diff import diff_rule_data
from workbench.services import open_workbench
from workbench.services import rules as service
from workbench.services.cases import create_case, demo_cases
from workbench.services.screening import screen_case


def _edited_parts() -> dict[str, bytes]:
    parts = builtin_parts()
    docs = {n: json.loads(parts[n]) for n in RULE_FILES}
    docs["country-groups.json"]["groups"]["D:1"].remove("VN")
    docs["country-chart.json"]["rows"]["FR"]["marks"].remove("MT 1")
    return {n: (json.dumps(docs[n], ensure_ascii=False, indent=1) + "\n").encode() for n in RULE_FILES}


def main() -> None:
    key = Ed25519PrivateKey.generate()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        pack = folder / "p2.wbrules"
        start = time.perf_counter()
        pack.write_bytes(
            build_pack(
                _edited_parts(),
                pack_version=2,
                publisher="Bench",
                ecfr_issue_date="2026-07-23",
                rulebook_version="bench",
                rulebook_research_date="2026-12",
                sources={},
                private_key=key,
                created_at=datetime.now(UTC),
            )
        )
        built = time.perf_counter() - start
        start = time.perf_counter()
        read = read_pack(pack.read_bytes())
        rule_data_from_parts(read.parts, "2")
        verified = time.perf_counter() - start
        print(
            f"| rules: build and sign a pack of the shipped data ({pack.stat().st_size / 1024:.0f} KiB) |"
            f" {built * 1000:.0f} ms |"
        )
        print(f"| rules: read, verify and validate that pack | {verified * 1000:.0f} ms |")

        start = time.perf_counter()
        changes, _ = diff_rule_data(builtin_rule_data(), rule_data_from_parts(read.parts, "2"))
        print(f"| rules: diff two packs ({len(changes)} changes) | {(time.perf_counter() - start) * 1000:.0f} ms |")

        wb = open_workbench(f"sqlite:///{folder / 'bench.sqlite3'}", officer="Bench")
        try:
            pem = folder / "k.pub.pem"
            pem.write_bytes(public_key_pem(key.public_key(), "Bench"))
            service.trust_publisher(wb, pem)
            demo = demo_cases()
            for i in range(500):
                base = demo[i % len(demo)]
                create_case(wb, replace(base, reference=f"BENCH-{i:04d}"))
            screen_case(wb, "BENCH-0000")  # the list import and index build happen once, as in the app
            start = time.perf_counter()
            service.import_rule_pack(wb, pack, recheck=False)
            print(
                f"| rules: import and verify a pack (stored and active) |"
                f" {(time.perf_counter() - start) * 1000:.0f} ms |"
            )
            before, after = service.rule_data_for(wb, 1), service.rule_data_for(wb, 2)
            start = time.perf_counter()
            moved = [i for i, _, _ in service.recheck_open_cases(wb, before, after) if i is not None]
            took = time.perf_counter() - start
            print(
                f"| rules: re-check 500 open cases under two packs ({len(moved)} move) |"
                f" {took:.1f} s ({took * 2:.1f} ms a case) |"
            )
        finally:
            wb.close()


if __name__ == "__main__":
    main()
