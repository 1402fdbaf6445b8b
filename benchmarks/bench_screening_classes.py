"""Per-class screening quality on the shared dev set, with a plain rapidfuzz WRatio scan beside it.

    python benchmarks/bench_screening_classes.py [--shared ../shared] [--no-baseline] [--misses N]

Screens every query of ``eval/screening-variants-dev.csv`` (name only, default threshold,
party kind unknown unless ``--with-kind``) against the shipped CSL snapshot. A positive
counts as found when its expected entry is among the hits; any hit on a negative is a false
alert. Prints one markdown row per class (engine, and the baseline scan at its own best
threshold), then the false-alert rate per script of the clean names, then the negatives split
by id into half A (even ids) and half B (odd ids), so that a rule fitted to the rows of one half
shows as a gap between them, then the latency.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import sys
import time
import unicodedata
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from workbench.domain.screening import EntryType  # noqa: E402
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener  # noqa: E402
from workbench.screening.parsers import parse_list  # noqa: E402

SNAPSHOT = ROOT / "resources" / "lists" / "consolidated-2026-07-31.csv.gz"
WORLD = ("org_world", "person_world")
_SCRIPT_NAMES = (
    ("HIRAGANA", "Japanese"),
    ("KATAKANA", "Japanese"),
    ("CJK", "Han"),
    ("HANGUL", "Hangul"),
    ("CYRILLIC", "Cyrillic"),
    ("ARABIC", "Arabic"),
    ("HEBREW", "Hebrew"),
    ("DEVANAGARI", "Devanagari"),
    ("THAI", "Thai"),
)


def script_of(name: str) -> str:
    """The script a clean name is written in (kana anywhere makes it Japanese)."""
    found = "Latin"
    for ch in name:
        if ch.isascii() or not ch.isalpha():
            continue
        label = unicodedata.name(ch, "")
        for prefix, script in _SCRIPT_NAMES:
            if label.startswith(prefix):
                if script == "Japanese":
                    return script
                if found == "Latin":
                    found = script
    return found


def half_of(row_id: str) -> str:
    """The dev negatives split by id: half A (even ids) and half B (odd ids), reported side by side."""
    digits = "".join(ch for ch in row_id if ch.isdigit())
    return "half A (even ids)" if digits and int(digits) % 2 == 0 else "half B (odd ids)"


def _rate(hits: int, total: int) -> str:
    return f"{hits / total:.3f} ({hits}/{total})" if total else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--no-baseline", action="store_true", help="skip the WRatio scan")
    parser.add_argument("--with-kind", action="store_true", help="pass each query's party kind (org/person)")
    parser.add_argument("--misses", type=int, default=0, help="print up to N misses and false alerts per class")
    args = parser.parse_args(argv)
    path = args.shared / "eval" / "screening-variants-dev.csv"
    if not path.exists():
        print(f"| screening classes: dev set not found at {path} | - |")
        return 0
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    entries = list(parse_list(SNAPSHOT).entries)
    screener = Screener(entries)

    ok: dict[str, int] = defaultdict(int)
    total: dict[str, int] = defaultdict(int)
    script_alerts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    half_alerts: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    latencies: list[float] = []
    shown: dict[str, int] = defaultdict(int)
    for r in rows:
        cls = r["class"]
        kind: EntryType | None = None
        if args.with_kind:
            kind = EntryType.INDIVIDUAL if cls in ("person_world", "translit_ru", "translit_ar") else EntryType.ENTITY
        start = time.perf_counter()
        hits = screener.screen(r["name"], entry_type=kind, limit=20)
        latencies.append((time.perf_counter() - start) * 1000)
        total[cls] += 1
        if r["kind"] == "positive":
            good = any(h.entry.entry_id == r["expected_id"] for h in hits)
        else:
            good = not hits
            if cls in WORLD:
                counts = script_alerts[script_of(r["name"])]
                counts[0] += bool(hits)
                counts[1] += 1
            for key in (f"{half_of(r['id'])}: {cls}", f"{half_of(r['id'])}: world" if cls in WORLD else ""):
                if key:
                    half_alerts[key][0] += bool(hits)
                    half_alerts[key][1] += 1
        ok[cls] += good
        if not good and shown[cls] < args.misses:
            shown[cls] += 1
            top = f"{hits[0].matched_name} {hits[0].score}" if hits else "no hit"
            print(f"  {cls}: {r['name']!r} (want {r['expected_name']!r}) -> {top}")

    positives = sorted(c for c in total if any(r["class"] == c and r["kind"] == "positive" for r in rows))
    negatives = sorted(c for c in total if c not in positives)

    base: dict[str, int] = {}
    base_threshold = None
    if not args.no_baseline:
        base, base_threshold = _baseline(rows, entries)

    label = "kind given" if args.with_kind else "name only"
    head = (
        f"WRatio scan at {base_threshold} (negatives: every {BASELINE_SAMPLE}th)"
        if base_threshold is not None
        else "WRatio scan"
    )
    print(f"| dev class ({len(rows)} queries, {label}, threshold {DEFAULT_THRESHOLD}) | engine | {head} |")
    print("|---|---|---|")
    for cls in positives:
        b = _rate(base[cls], total[cls]) if base else "-"
        print(f"| recall: {cls} | {_rate(ok[cls], total[cls])} | {b} |")
    pos_ok = sum(ok[c] for c in positives)
    pos_n = sum(total[c] for c in positives)
    b = _rate(sum(base[c] for c in positives), pos_n) if base else "-"
    print(f"| recall: all positive classes | {_rate(pos_ok, pos_n)} | {b} |")
    for cls in negatives:
        b = _rate(total[cls] - base[cls], total[cls]) if base else "-"
        print(f"| false alerts: {cls} | {_rate(total[cls] - ok[cls], total[cls])} | {b} |")
    world_n = sum(total[c] for c in WORLD)
    world_fa = sum(total[c] - ok[c] for c in WORLD)
    b = _rate(sum(total[c] - base[c] for c in WORLD), world_n) if base else "-"
    print(f"| false alerts: org_world + person_world | {_rate(world_fa, world_n)} | {b} |")
    for script, (alerts, n) in sorted(script_alerts.items()):
        print(f"| false alerts, {script} script (world classes) | {_rate(alerts, n)} | |")
    for key, (alerts, n) in sorted(half_alerts.items()):
        print(f"| false alerts, {key} | {_rate(alerts, n)} | |")
    latencies.sort()
    print(
        f"| one name vs full CSL, median / p95 ({len(latencies)} dev queries) "
        f"| {statistics.median(latencies):.2f} ms / {latencies[int(0.95 * len(latencies))]:.2f} ms | |",
        flush=True,
    )
    return 0


BASELINE_SAMPLE = 8
"""The scan of every listed name costs ~0.1 s a query: the baseline screens every 8th negative."""


def _baseline(rows: list[dict[str, str]], entries: list) -> tuple[dict[str, int], int]:  # type: ignore[type-arg]
    """WRatio of each query against every listed name; the threshold that keeps world alerts under 2 %."""
    choices = [utils.default_process(n) for e in entries for n in e.names]
    by_id = {e.entry_id: [utils.default_process(n) for n in e.names] for e in entries}
    scores: list[tuple[dict[str, str], float]] = []
    negatives = [r for r in rows if r["kind"] != "positive"][::BASELINE_SAMPLE]
    for r in rows:
        if r["kind"] == "positive":
            query = utils.default_process(r["name"])
            score = max((fuzz.WRatio(query, n) for n in by_id.get(r["expected_id"], [])), default=0.0)
            scores.append((r, score))
    for r in negatives:
        found = process.extractOne(utils.default_process(r["name"]), choices, scorer=fuzz.WRatio, score_cutoff=70)
        scores.append((r, float(found[1]) if found else 0.0))
    best: tuple[tuple[bool, float], int] | None = None
    world = [s for r, s in scores if r["class"] in WORLD]
    positives = [s for r, s in scores if r["kind"] == "positive"]
    for threshold in range(70, 101):
        alert = sum(s >= threshold for s in world) / max(len(world), 1)
        recall = sum(s >= threshold for s in positives) / max(len(positives), 1)
        key = (alert < 0.02, recall if alert < 0.02 else -alert)
        if best is None or key > best[0]:
            best = (key, threshold)
    assert best is not None
    threshold = best[1]
    ok: dict[str, int] = defaultdict(int)
    for r, s in scores:
        hit = s >= threshold
        ok[r["class"]] += hit if r["kind"] == "positive" else not hit
    # Negatives were sampled: scale their counts back to the class sizes.
    sampled: dict[str, int] = defaultdict(int)
    for r, _ in scores:
        sampled[r["class"]] += 1
    sizes: dict[str, int] = defaultdict(int)
    for r in rows:
        sizes[r["class"]] += 1
    for cls, n in sampled.items():
        if n != sizes[cls]:
            ok[cls] = round(ok[cls] * sizes[cls] / n)
    return ok, threshold


if __name__ == "__main__":
    raise SystemExit(main())
