"""Screening benchmarks and quality figures, printed as markdown table rows for the README.

    python benchmarks/bench_screening.py [--shared ../shared] [--quick]

Measures: CSL import time, index build time, single-name latency (median/p95 over ~1,000
queries), a 10,000-name batch over two worker processes, F1/precision/recall on the
OpenSanctions name-pair benchmark (dev half) at the default threshold, and recall on CSL name
variants with the alert rate on clean names, for the engine and for a plain rapidfuzz WRatio
scan over all listed names (at that baseline's best threshold), in the same run.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tools"))

from rapidfuzz import fuzz, process, utils  # noqa: E402

from workbench.domain.screening import ListEntry  # noqa: E402
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener, score_pair  # noqa: E402
from workbench.screening.parsers import parse_list  # noqa: E402

SNAPSHOT = ROOT / "resources" / "lists" / "consolidated-2026-07-31.csv.gz"


def row(label: str, figure: str) -> None:
    print(f"| screening: {label} | {figure} |", flush=True)


def pair_quality(path: Path) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        pairs = list(csv.DictReader(handle))
    tp = fp = fn = 0
    for pair in pairs:
        score, _ = score_pair(pair["name1"], pair["name2"], pair.get("schema"))
        hit, truth = score >= DEFAULT_THRESHOLD, pair["is_match"].strip().lower() == "true"
        tp += hit and truth
        fp += hit and not truth
        fn += truth and not hit
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    row(
        f"name-pairs-dev F1 / precision / recall at threshold {DEFAULT_THRESHOLD} ({len(pairs)} pairs)",
        f"{f1:.3f} / {precision:.3f} / {recall:.3f}",
    )


_WORKER: Screener | None = None


def _init_worker(entries: list[ListEntry]) -> None:
    global _WORKER
    _WORKER = Screener(entries)


def _screen_chunk(names: list[str]) -> int:
    assert _WORKER is not None
    return sum(len(_WORKER.screen(n)) for n in names)


def speed(entries: list[ListEntry], screener: Screener, quick: bool) -> None:
    rng = random.Random(11)
    all_names = [n for e in entries for n in e.names]
    queries = rng.sample(all_names, 500) + [f"{rng.choice(all_names).split()[0]} Trading Co" for _ in range(250)]
    queries += [f"Novel{rng.randrange(10**6)} Precision Components GmbH" for _ in range(250)]
    latencies = []
    for q in queries:
        start = time.perf_counter()
        screener.screen(q)
        latencies.append((time.perf_counter() - start) * 1000)
    latencies.sort()
    row(
        f"single name vs full CSL, median / p95 ({len(queries)} queries)",
        f"{statistics.median(latencies):.2f} ms / {latencies[int(0.95 * len(latencies))]:.2f} ms",
    )
    if quick:
        return
    batch = [rng.choice(queries) + ("" if i % 3 else " Ltd") for i in range(10_000)]
    chunks = [batch[i : i + 500] for i in range(0, len(batch), 500)]
    start = time.perf_counter()
    with ProcessPoolExecutor(2, initializer=_init_worker, initargs=(entries,)) as pool:
        hits = sum(pool.map(_screen_chunk, chunks))
    row(
        "10,000-name batch on 2 worker processes (incl. building the index in each)",
        f"{time.perf_counter() - start:.1f} s ({hits} hits)",
    )


def variant_quality(entries: list[ListEntry], screener: Screener) -> None:
    import make_variant_set

    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "variants.csv"
        make_variant_set.main(["--list", str(SNAPSHOT), "--out", str(out)])
        with out.open(encoding="utf-8", newline="") as handle:
            rows = list(csv.DictReader(handle))
    variants = [r for r in rows if r["expected"]]
    clean = [r for r in rows if not r["expected"]]

    found = 0
    by_kind: dict[str, list[int]] = {}
    for r in variants:
        ids = {h.entry.entry_id for h in screener.screen(r["query"], limit=50)}
        ok = r["expected"] in ids
        found += ok
        by_kind.setdefault(r["kind"], [0, 0])
        by_kind[r["kind"]][0] += ok
        by_kind[r["kind"]][1] += 1
    alerts = sum(1 for r in clean if screener.screen(r["query"], limit=1))
    row(f"variant recall at {DEFAULT_THRESHOLD} ({len(variants)} variants)", f"{found / len(variants):.3f}")
    row("variant recall by kind", ", ".join(f"{k} {a / n:.2f}" for k, (a, n) in sorted(by_kind.items())))
    row(f"clean-name alert rate ({len(clean)} names)", f"{alerts / len(clean):.3f}")

    # Baseline: plain rapidfuzz WRatio of the query against every listed name, best threshold.
    # A variant counts as found when its entry scores at or above the threshold (as a hit list would
    # show it); a clean name alerts when any listed name does.
    choices = [utils.default_process(n) for e in entries for n in e.names]
    by_id = {e.entry_id: [utils.default_process(n) for n in e.names] for e in entries}
    start = time.perf_counter()
    variant_scores = [
        max(fuzz.WRatio(utils.default_process(r["query"]), n) for n in by_id[r["expected"]]) for r in variants
    ]
    clean_scores = []
    for r in clean:
        best_match = process.extractOne(utils.default_process(r["query"]), choices, scorer=fuzz.WRatio)
        clean_scores.append(float(best_match[1]) if best_match else 0.0)
    baseline_time = time.perf_counter() - start
    best = None
    for threshold in range(70, 101):
        recall = sum(s >= threshold for s in variant_scores) / len(variant_scores)
        alert = sum(s >= threshold for s in clean_scores) / len(clean_scores)
        # best = highest recall while alerting on fewer than 2 % of clean names, else lowest alert rate
        key = (alert < 0.02, recall if alert < 0.02 else -alert)
        if best is None or key > best[0]:
            best = (key, threshold, recall, alert)
    assert best is not None
    _, threshold, recall, alert = best
    row(
        f"baseline WRatio scan at its best threshold {threshold}: variant recall / clean alert rate",
        f"{recall:.3f} / {alert:.3f} ({baseline_time:.0f} s for the scan)",
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--quick", action="store_true", help="skip the batch and the baseline scan")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    parsed = parse_list(SNAPSHOT)
    row(f"import of the full CSL ({len(parsed.entries)} entries, gzip CSV)", f"{time.perf_counter() - start:.2f} s")
    entries = list(parsed.entries)
    start = time.perf_counter()
    screener = Screener(entries)
    row(f"index build ({len(screener.index.names)} names and aliases)", f"{time.perf_counter() - start:.2f} s")
    pairs = args.shared / "eval" / "name-pairs-dev.csv"
    if pairs.exists():
        pair_quality(pairs)
    speed(entries, screener, args.quick)
    if not args.quick:
        variant_quality(entries, screener)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
