"""Benchmark: continuous screening of a 50,000-party register (SQLite).

1. import a 50,000-row customer master from CSV (``party import``: validated, duplicates checked,
   audited, one transaction);
2. screen the whole register against the shipped CSL (25,921 entries): the full rescreen,
   ``party screen --all``;
3. import a list version that adds 200 entries and changes 100 (``lists import``), which
   rescreens the register by delta; the delta rescreen is timed on its own and with the import.

Names are drawn from business words, legal forms and places, with 1 % taken from list entries
(respelled), so the register has real hits; addresses are street, number, city and postcode, and
some new entries carry the address of a register party, so address matching is exercised too.
Every figure is wall time on the machine as it is (``os.getloadavg`` is printed with it).
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from workbench import resources
from workbench.services import open_workbench
from workbench.services.register_import import import_parties
from workbench.services.register_watch import rescreen_register
from workbench.services.screening import SNAPSHOT, active_version, import_list, screener

N = int(os.environ.get("BENCH_WATCH_PARTIES", "50000"))
ADDED, CHANGED = 200, 100
STEMS = [
    "Bright", "Future", "Nordic", "Steel", "Pacific", "Delta", "Orion", "Summit", "Harbour", "Lotus", "Apex",
    "Golden", "River", "Crystal", "Eastern", "Silver", "Unity", "Phoenix", "Meridian", "Northstar", "Evergreen",
    "Quantum", "Vertex", "Atlas", "Falcon", "Cedar", "Granite", "Horizon", "Beacon", "Sapphire", "Maple",
]  # fmt: skip
TRADES = ["Logistics", "Electronics", "Trading", "Components", "Semiconductor", "Systems", "Industrial", "Optics"]
FORMS = ["GmbH", "Ltd", "Co., Ltd.", "LLC", "AB", "S.A.", "Holdings", "Inc.", "B.V.", "Pte. Ltd."]
PLACES = [("CN", "Shenzhen"), ("DE", "Hamburg"), ("US", "Austin"), ("AE", "Dubai"), ("SE", "Malmo"),
          ("MY", "Penang"), ("SG", "Singapore"), ("TR", "Istanbul"), ("IN", "Pune"), ("RU", "Moscow")]  # fmt: skip
STREETS = ["Harbour Road", "Industrial Avenue", "Market Street", "Station Road", "Park Lane", "Lake Drive"]


def _list_rows() -> tuple[list[str], list[dict[str, str]]]:
    raw = gzip.decompress(resources.read_bytes(SNAPSHOT)).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    return list(reader.fieldnames or []), list(reader)


SYLLABLES = [
    "ka", "lo", "ven", "tra", "mi", "sor", "bel", "dun", "ax", "ri", "quo", "zen", "tal", "mar", "nex", "pol",
    "vi", "ran", "gel", "sto", "ur", "fen", "cal", "dor", "ix", "lum", "bra", "ko", "sel", "tri", "won", "ha",
]  # fmt: skip


def _brand(rng: random.Random) -> str:
    """An invented brand word ("Velumix"): register names as varied as a real customer master's."""
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def _master(
    path: Path, listed: list[dict[str, str]], rng: random.Random
) -> tuple[list[tuple[str, str, str]], list[str]]:
    """Write the customer master; return some (address, city, country) and names for list entries to reuse."""
    addresses, names = [], []
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["name", "other_names", "country", "address", "city"])
        for i in range(N):
            country, city = rng.choice(PLACES)
            if i % 100 == 0:
                entry = rng.choice(listed)
                name = entry["name"].replace(",", "").title()
            else:
                stem = rng.choice(STEMS) + " " if i % 4 == 0 else ""
                name = f"{stem}{_brand(rng)} {rng.choice(TRADES)} {rng.choice(FORMS)}"
            other = f"{_brand(rng)} {rng.choice(TRADES)}" if i % 3 == 0 else ""
            street = f"{rng.randint(1, 999)} {rng.choice(STREETS)}, Unit {i}"
            writer.writerow([name, other, country, street, f"{city} {rng.randint(10000, 99999)}"])
            if i % 500 == 7:
                addresses.append((street, city, country))
            if i % 997 == 3:
                names.append(name)
    return addresses, names


def _new_version(
    path: Path,
    fields: list[str],
    rows: list[dict[str, str]],
    reuse: tuple[list[tuple[str, str, str]], list[str]],
    rng: random.Random,
) -> None:
    changed = {i for i in rng.sample(range(len(rows)), CHANGED)}
    out = [{**r, "remarks": (r["remarks"] + " Amended.").strip()} if i in changed else r for i, r in enumerate(rows)]
    listed_words = ["Aerospace", "Photonics", "Microsystems", "Ordnance", "Propulsion", "Avionics", "Cryptologic"]
    addresses, names = reuse
    for n in range(ADDED):
        street, city, country = addresses[n % len(addresses)]
        address = f"{street}, {city}, {country}" if n < len(addresses) else f"{n} Nowhere Street, {city}, {country}"
        # A few new entries are named as register parties are (new name hits); the rest are names of their own.
        name = (
            names[n % len(names)].upper()
            if n % 20 == 0
            else f"{rng.choice(listed_words)} Research Institute No. {n} of the {rng.choice(listed_words)} Academy"
        )
        out.append(
            {
                **{k: "" for k in fields},
                "_id": f"bench-new-{n}",
                "source": "Entity List (EL) - Bureau of Industry and Security",
                "type": "Entity",
                "name": name,
                "addresses": address,
                "license_requirement": "For all items subject to the EAR.",
            }
        )
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(out)


def _load() -> str:
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} / {five:.1f}"


def main() -> None:
    rng = random.Random(14)
    work = Path(tempfile.mkdtemp(prefix="wb-bench-watch-"))
    os.environ.setdefault("WORKBENCH_DATA_DIR", str(work / "data"))
    fields, rows = _list_rows()
    wb = open_workbench(f"sqlite:///{work / 'watch.sqlite3'}", officer="bench")
    try:
        screener(wb, active_version(wb))  # the shipped list, imported and its index built (not timed)
        master = work / "master.csv"
        reuse = _master(master, [r for r in rows if "Entity List" in r["source"]], rng)
        start = time.perf_counter()
        imported = import_parties(wb, master)
        took = time.perf_counter() - start
        print(
            f"| register: import a {N:,}-party customer master from CSV (validated, duplicates checked, audited, "
            f"one transaction; {_load()}) | {took:.1f} s ({len(imported.created):,} created) |"
        )
        start = time.perf_counter()
        full = rescreen_register(wb, full=True)
        took = time.perf_counter() - start
        print(
            f"| register: full screening of {N:,} parties, every name and address against the CSL "
            f"(25,921 entries; one process; {_load()}) | {took:.1f} s ({full.new_hits:,} hits) |"
        )
        version = work / "consolidated-next.csv"
        _new_version(version, fields, rows, reuse, rng)
        start = time.perf_counter()
        result = import_list(wb, version)
        took = time.perf_counter() - start
        report = result.register
        assert report is not None
        print(
            f"| register: delta rescreen of {N:,} parties after a list version adding {ADDED} entries and changing "
            f"{CHANGED} ({_load()}) | {report.seconds:.1f} s ({report.new_hits:,} new hits, {report.gone_hits:,} "
            f"gone, {len(report.changes):,} parties; {report.index_seconds:.1f} s of it building the new version's "
            f"index, once per list file); the whole `lists import` {took:.1f} s |"
        )
    finally:
        wb.close()


if __name__ == "__main__":
    main()
