"""Benchmark: determine + sign + write a 200-item, 10-party determination workbook, then verify it and a re-save.

Builds the record by hand (no database, no rule engine) so it measures the export layer alone.
Prints markdown table rows; not a timed test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import openpyxl

from workbench.domain.case import Case, DocumentKind, DocumentRecord, Item, Party, PartyRole
from workbench.domain.determination import Determination, Finding, Outcome, Posture
from workbench.domain.record import DeterminationRecord, PartyScreeningRow, RedFlagRow
from workbench.export.keys import generate_keypair, load_private_key, load_public_key, public_key_pem
from workbench.export.signing import sign_and_write, verify_workbook

ITEMS, PARTIES, RUNS = 200, 10, 7
ROLES = list(PartyRole)


def big_record() -> DeterminationRecord:
    parties = tuple(
        Party(ROLES[i % len(ROLES)], f"Party {i} Trading Company Sdn Bhd", "MY", f"Jalan {i}, Kuala Lumpur")
        for i in range(1, PARTIES + 1)
    )
    items = tuple(
        Item(
            f"Accelerator module, batch {i}",
            "4A090.a" if i % 2 else "5A992.c",
            "Acme",
            f"AX-{i:04d}",
            Decimal(i % 17 + 1),
            "ea",
            Decimal("1234.50") * i,
            tpp=4800.0 + i,
            performance_density=6.5,
        )
        for i in range(1, ITEMS + 1)
    )
    documents = tuple(
        DocumentRecord(DocumentKind.EUC, f"euc-{i}.pdf", f"{i:064x}", issuer=parties[i].name, covers_items=(i + 1,))
        for i in range(PARTIES)
    )
    case = Case(
        "BENCH-0001",
        "Benchmark case",
        date(2026, 11, 28),
        "US",
        "MY",
        parties=parties,
        items=items,
        documents=documents,
    )
    findings = tuple(
        Finding(rule, outcome, "15 CFR 742.6(a)(6)", f"item {i}", f"Explanation of {rule} for item {i}. " * 4)
        for i in range(1, ITEMS + 1)
        for rule, outcome in (("ac-destination", Outcome.LICENSE_REQUIRED), ("anti-terrorism", Outcome.NLR))
    )
    determination = Determination(
        "BENCH-0001",
        date(2026, 11, 30),
        Posture.ENFORCED,
        Outcome.LICENSE_REQUIRED,
        False,
        (),
        findings,
        {"rules": "2026.11.1", "ecfr": "2026-11-25"},
    )
    screening = tuple(
        PartyScreeningRow(
            p,
            parties[p - 1].name,
            "end_user",
            "CSL 2026-11-27",
            f"EL-{p}{k}",
            "Entity List",
            f"PARTY {p} TRADING {k}",
            parties[p - 1].name,
            70.0 + k,
            "false_positive",
            "Different address.",
            "Bench Officer",
        )
        for p in range(1, PARTIES + 1)
        for k in range(3)
    )
    red_flags = tuple(RedFlagRow(f"kyc-{i:02d}", f"Red flag question {i}?", "no") for i in range(1, 21))
    return DeterminationRecord(
        case,
        determination,
        "Bench Officer",
        datetime(2026, 11, 30, 12, tzinfo=UTC),
        screening,
        "CSL 2026-11-27",
        red_flags,
        revision=1,
        workbench_version="bench",
    )


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def main() -> None:
    record = big_record()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate_keypair("Bench Officer", folder, b"benchmark passphrase")
        t0 = time.perf_counter()
        key = load_private_key(files.private_key, b"benchmark passphrase")
        unlock = time.perf_counter() - t0
        pem = public_key_pem(load_public_key(files.public_key))
        out = folder / "determination.xlsx"
        write, verify = [], []
        for _ in range(RUNS):
            t0 = time.perf_counter()
            sign_and_write(record, key, out, "Bench Officer")
            write.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            result = verify_workbook(out, pem)
            verify.append(time.perf_counter() - t0)
            assert result.ok, result.message
        size = out.stat().st_size
        resaved = folder / "resaved.xlsx"
        openpyxl.load_workbook(out).save(resaved)
        diagnose = []
        for _ in range(3):
            t0 = time.perf_counter()
            changed = verify_workbook(resaved, pem)
            diagnose.append(time.perf_counter() - t0)
            assert changed.status == "tampered", changed.message
    print(f"| export: unlock officer key (PBKDF2-SHA256, 600,000 iterations) | {unlock * 1000:.0f} ms |")
    print(
        f"| export: render+sign+write {ITEMS}-item/{PARTIES}-party workbook ({size / 1024:.0f} KiB) "
        f"| {median_ms(write):.0f} ms |"
    )
    print(f"| export: verify it (signature + every part of the package) | {median_ms(verify):.0f} ms |")
    print(
        f"| export: verify a copy re-saved by openpyxl (names the changed parts, compares every cell) "
        f"| {median_ms(diagnose):.0f} ms |"
    )


if __name__ == "__main__":
    main()
