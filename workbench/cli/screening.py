"""``lists`` and ``screen`` commands: list versions, screening names, batches, pairs and cases."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path
from typing import Any

from workbench.cli import register_watch
from workbench.cli.context import CliContext, add_json_flag
from workbench.config import list_max_age_days
from workbench.domain.errors import InputFileError, ValidationError
from workbench.domain.screening import DispositionDecision, EntryType, ListFormat
from workbench.domain.screening_records import ListVersion
from workbench.export.atomic import write_bytes_atomic
from workbench.screening.explain import describe, explanation_to_dict
from workbench.screening.matcher import score_pair
from workbench.services import screening


def _threshold(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number between 0 and 1") from None
    if not 0 < value <= 1:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 and 1")
    return value


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    lists = subparsers.add_parser("lists", help="restricted-party list versions and the allow-list")
    sub = lists.add_subparsers(dest="lists_command", required=True, metavar="COMMAND")
    p = sub.add_parser("import", help="import a CSL (CSV or JSON) or OFAC SDN file as the new active version")
    p.add_argument("file", type=Path, help="the list file (.csv, .json, .gz) or OFAC folder / sdn.csv")
    p.add_argument("--format", choices=[f.value for f in ListFormat], help="override format detection")
    p.add_argument(
        "--allow-shrink",
        action="store_true",
        help="accept a file in which a source list shrank sharply (logged in the audit trail)",
    )
    add_json_flag(p)
    p.set_defaults(handler=_lists_import)
    p = sub.add_parser("show", help="list versions, their counts and the active list's age")
    p.add_argument(
        "--max-age-days", type=int, default=None, help="warn when older (default $WORKBENCH_LIST_MAX_AGE_DAYS or 30)"
    )
    add_json_flag(p)
    p.set_defaults(handler=_lists_show)
    p = sub.add_parser("allow", help="add a name of your own organisation that must never raise a hit")
    p.add_argument("name")
    p.add_argument("--note", default="")
    p.set_defaults(handler=_allow)
    p = sub.add_parser("disallow", help="remove a name from the allow-list")
    p.add_argument("name")
    p.set_defaults(handler=_disallow)

    p = subparsers.add_parser("screen", help="screen a name, a batch of names or name pairs")
    p.add_argument("name", nargs="?", help="the name to screen")
    p.add_argument("--country", help="ISO country code of the party (raises or lowers a score)")
    p.add_argument(
        "--type",
        choices=[t.value for t in EntryType],
        help="what the party is (entity = organisation): entries of another kind need a stronger match",
    )
    p.add_argument(
        "--threshold",
        type=_threshold,
        default=screening.DEFAULT_THRESHOLD,
        help=f"minimum score 0..1 (default {screening.DEFAULT_THRESHOLD})",
    )
    p.add_argument("--limit", type=int, default=10, help="at most this many hits (default 10)")
    p.add_argument("--batch", type=Path, metavar="IN.csv", help="screen every row (columns id,name[,country,type])")
    p.add_argument("--pairs", type=Path, metavar="IN.csv", help="score name pairs (columns name1,name2[,schema])")
    p.add_argument("--out", type=Path, metavar="OUT.csv", help="output file for --batch / --pairs")
    add_json_flag(p)
    p.set_defaults(handler=_screen)

    case = subparsers.add_parser("screening", help="screen a stored case's parties and decide on hits")
    sub = case.add_subparsers(dest="screening_command", required=True, metavar="COMMAND")
    p = sub.add_parser("run", help="screen every party of a case and store the hits")
    p.add_argument("reference")
    add_json_flag(p)
    p.set_defaults(handler=_case_run)
    p = sub.add_parser("show", help="the stored hits of a case with their dispositions")
    p.add_argument("reference")
    add_json_flag(p)
    p.set_defaults(handler=_case_show)
    p = sub.add_parser("decide", help="mark a hit as a true match or a false positive")
    p.add_argument("reference")
    p.add_argument("--party", type=int, required=True, help="the party's number in the case (from 1)")
    p.add_argument("--entry", required=True, help="the list entry id of the hit")
    p.add_argument("--decision", choices=[d.value for d in DispositionDecision], required=True)
    p.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    p.set_defaults(handler=_case_decide)
    register_watch.register_inbox(sub)


def warn_if_old(ctx: CliContext, version: ListVersion) -> None:
    """Say on stderr when the list screened against is older than the configured age."""
    warning = screening.list_age_warning(version, list_max_age_days())
    if warning:
        ctx.warn(warning)


def _progress(done: int, total: int) -> None:
    if sys.stderr.isatty() and total:
        width = 30
        filled = int(width * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total}")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _lists_import(ctx: CliContext) -> int:
    fmt = ListFormat(ctx.args.format) if ctx.args.format else None
    result = screening.import_list(
        ctx.workbench, ctx.args.file, fmt, progress=_progress, allow_shrink=ctx.args.allow_shrink
    )
    v = result.version
    if ctx.as_json:
        ctx.print_json(
            {
                "version": screening.version_summary(v),
                "malformed": [{"line": m.line, "reason": m.reason} for m in result.malformed],
                "rescreened": [
                    {"case": c.reference, "new_hits": len(c.new_hits), "gone_hits": len(c.gone_hits)}
                    for c in result.rescreened
                ],
                "register": register_watch.rescreen_out(result.register) if result.register else None,
            }
        )
        return 0
    ctx.print(f"Imported {v.label}: {v.entry_count} entries; now the active list version ({v.id}).")
    for source, count in sorted(v.rows_per_source.items()):
        ctx.print(f"  {count:>6}  {source}")
    for row in result.malformed:
        ctx.warn(f"{ctx.args.file.name}: line {row.line} skipped: {row.reason}")
    for change in result.rescreened:
        ctx.print(f"Rescreened {change.reference}: {len(change.new_hits)} new hits, {len(change.gone_hits)} gone.")
    if result.register is not None:
        register_watch.print_rescreen(ctx, result.register)
    return 0


def _lists_show(ctx: CliContext) -> int:
    active = screening.active_version(ctx.workbench)
    versions = screening.list_versions(ctx.workbench)
    warning = screening.list_age_warning(active, ctx.args.max_age_days or list_max_age_days())
    if ctx.as_json:
        ctx.print_json(
            {
                "active": screening.version_summary(active),
                "warning": warning,
                "versions": [screening.version_summary(v) for v in versions],
                "allow_list": screening.allow_list(ctx.workbench),
            }
        )
        return 0
    age = screening.version_summary(active)["age_days"]
    ctx.print(f"Active list: {active.label} ({active.entry_count} entries, {age} days old)")
    if warning:
        ctx.warn(warning)
    for v in versions:
        mark = "*" if v.active else " "
        ctx.print(f"{mark} {v.id:>3}  {v.imported_at:%Y-%m-%d %H:%M}  {v.entry_count:>6} entries  {v.label}")
    return 0


def _allow(ctx: CliContext) -> int:
    screening.add_allowed_name(ctx.workbench, ctx.args.name, ctx.args.note)
    ctx.print(f"'{ctx.args.name}' will not raise screening hits.")
    return 0


def _disallow(ctx: CliContext) -> int:
    screening.remove_allowed_name(ctx.workbench, ctx.args.name)
    ctx.print(f"'{ctx.args.name}' is screened again.")
    return 0


def _screen(ctx: CliContext) -> int:
    args = ctx.args
    if args.batch or args.pairs:
        if args.out is None:
            raise ValidationError("--out", "give --out OUT.csv for the results")
        if args.name:
            raise ValidationError("NAME", "give either a NAME or --batch / --pairs, not both")
        return _batch(ctx) if args.batch else _pairs(ctx)
    if not args.name:
        raise ValidationError("NAME", "give a name to screen, or --batch IN.csv, or --pairs IN.csv")
    _check_query(args.name, "NAME")
    version, hits = screening.screen_name(
        ctx.workbench,
        args.name,
        country=args.country,
        entry_type=args.type,
        threshold=args.threshold,
        limit=args.limit,
    )
    warn_if_old(ctx, version)
    if ctx.as_json:
        ctx.print_json(
            {
                "query": args.name,
                "list_version": version.label,
                "threshold": args.threshold,
                "matches": [
                    {
                        "entry_id": h.entry.entry_id,
                        "source": h.entry.source,
                        "name": h.entry.name,
                        "matched_name": h.matched_name,
                        "score": h.score,
                        "explanation": describe(h.explanation),
                        "details": explanation_to_dict(h.explanation),
                    }
                    for h in hits
                ],
            }
        )
        return 0
    ctx.print(f"{len(hits)} hits for '{args.name}' at threshold {args.threshold} ({version.label})")
    for h in hits:
        ctx.print(f"  {h.score:.2f}  {h.entry.source_code:<5} {h.entry.entry_id:<12} {h.entry.name}")
        if h.matched_name != h.entry.name:
            ctx.print(f"        matched alias: {h.matched_name}")
        ctx.print(f"        {describe(h.explanation)}")
    return 0


MAX_BATCH_BYTES = 64 * 1024 * 1024
MAX_BATCH_ROWS = 100_000
"""Rows of one --batch or --pairs file (10,000 names take about 16 s on two cores)."""
MAX_QUERY_CHARS = 1_000
"""A name to screen or score: as long as a listed name may be; longer text would only cost time."""


def _check_query(name: str, where: str) -> None:
    if len(name) > MAX_QUERY_CHARS:
        raise InputFileError(
            f"{where}: the name is {len(name):,} characters long; names to screen are at most {MAX_QUERY_CHARS:,}."
        )


def _read_csv(path: Path, required: tuple[str, ...]) -> list[dict[str, str]]:
    """The rows of a batch or pairs file: bounded in size, rows and field length, every error one sentence."""
    line = 1
    try:
        size = path.stat().st_size
        if size > MAX_BATCH_BYTES:
            raise InputFileError(f"{path}: is {size:,} bytes, more than the {MAX_BATCH_BYTES:,} allowed; split it.")
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            missing = [c for c in required if c not in (reader.fieldnames or [])]
            if missing:
                raise InputFileError(
                    f"{path}: line 1: missing column(s) {', '.join(missing)}; the header must have "
                    f"{', '.join(required)}"
                )
            rows: list[dict[str, str]] = []
            for row in reader:
                line = reader.line_num
                if len(rows) >= MAX_BATCH_ROWS:
                    raise InputFileError(f"{path}: has more than {MAX_BATCH_ROWS:,} rows; split it into smaller files.")
                for value in row.values():
                    if isinstance(value, str):
                        _check_query(value, f"{path}: line {line}")
                rows.append(row)
            return rows
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a CSV file.") from None
    except UnicodeDecodeError:
        raise InputFileError(f"{path}: is not UTF-8 text; save it as UTF-8 CSV.") from None
    except csv.Error as exc:
        raise InputFileError(f"{path}: line {line + 1}: is not readable CSV ({exc}).") from None
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc}).") from None


def _batch(ctx: CliContext) -> int:
    rows = _read_csv(ctx.args.batch, ("id", "name"))
    version, built = screening.screener(ctx.workbench)
    warn_if_old(ctx, version)
    allowed = screening.allow_list(ctx.workbench)
    out: list[dict[str, Any]] = []
    kinds = {t.value for t in EntryType}
    for line, row in enumerate(rows, 2):
        kind = (row.get("type") or "").strip().casefold() or None
        if kind is not None and kind not in kinds:
            raise InputFileError(
                f"{ctx.args.batch}: line {line}: type '{row.get('type')}' is not one of {', '.join(sorted(kinds))} "
                "(leave it empty when not known)."
            )
    for done, row in enumerate(rows, 1):
        hits = built.screen(
            row["name"] or "",
            country=(row.get("country") or None),
            entry_type=(row.get("type") or "").strip().casefold() or None,
            threshold=ctx.args.threshold,
            limit=ctx.args.limit,
            allow_list=allowed,
        )
        base = {"id": row["id"], "name": row["name"]}
        if not hits:
            out.append({**base, "entry_id": "", "entry_name": "", "matched_name": "", "source": "", "score": ""})
        for h in hits:
            out.append(
                {
                    **base,
                    "entry_id": h.entry.entry_id,
                    "entry_name": h.entry.name,
                    "matched_name": h.matched_name,
                    "source": h.entry.source,
                    "score": f"{h.score:.4f}",
                }
            )
        if done % 50 == 0 or done == len(rows):
            _progress(done, len(rows))
    fields = ["id", "name", "entry_id", "entry_name", "matched_name", "source", "score"]
    _write_csv(ctx.args.out, fields, out)
    hit_rows = sum(1 for r in out if r["entry_id"])
    print(f"Screened {len(rows)} names against {version.label}: {hit_rows} hits; wrote {ctx.args.out}", file=ctx.err)
    return 0


def _pairs(ctx: CliContext) -> int:
    rows = _read_csv(ctx.args.pairs, ("name1", "name2"))
    out = []
    for row in rows:
        score, _ = score_pair(row["name1"] or "", row["name2"] or "", row.get("schema") or None)
        out.append({**row, "score": f"{score:.4f}", "match": "true" if score >= ctx.args.threshold else "false"})
    fields = [*rows[0].keys(), "score", "match"] if rows else ["name1", "name2", "score", "match"]
    _write_csv(ctx.args.out, fields, out)
    print(f"Scored {len(rows)} pairs; wrote {ctx.args.out}", file=ctx.err)
    return 0


def _write_csv(path: Path, fields: list[str], rows: list[dict[str, Any]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    write_bytes_atomic(path, buffer.getvalue().encode("utf-8"))


def _hit_json(h: Any) -> dict[str, Any]:
    return {
        "party": h.party_position,
        "party_name": h.party_name,
        "entry_id": h.entry_id,
        "source": h.source_code,
        "name": h.entry_name,
        "matched_name": h.matched_name,
        "score": h.score,
        "disposition": h.disposition.decision.value if h.disposition else None,
        "reason": h.disposition.reason if h.disposition else None,
    }


def _case_run(ctx: CliContext) -> int:
    change = screening.screen_case(ctx.workbench, ctx.args.reference)
    hits = screening.case_hits(ctx.workbench, ctx.args.reference)
    if ctx.as_json:
        ctx.print_json(
            {
                "case": ctx.args.reference,
                "new_hits": len(change.new_hits),
                "gone_hits": len(change.gone_hits),
                "hits": [_hit_json(h) for h in hits],
            }
        )
        return 0
    ctx.print(
        f"Screened {ctx.args.reference}: {len(hits)} hits ({len(change.new_hits)} new, {len(change.gone_hits)} gone)."
    )
    return _print_hits(ctx, hits)


def _case_show(ctx: CliContext) -> int:
    hits = screening.case_hits(ctx.workbench, ctx.args.reference)
    if ctx.as_json:
        ctx.print_json({"case": ctx.args.reference, "hits": [_hit_json(h) for h in hits]})
        return 0
    return _print_hits(ctx, hits)


def _print_hits(ctx: CliContext, hits: list[Any]) -> int:
    for h in hits:
        state = h.disposition.decision.value if h.disposition else "OPEN"
        ctx.print(
            f"  party {h.party_position} {h.party_name}: {h.score:.2f} {h.source_code} {h.entry_id} "
            f"{h.entry_name} [{state}]"
        )
    return 0


def _case_decide(ctx: CliContext) -> int:
    hits = screening.case_hits(ctx.workbench, ctx.args.reference)
    hit = screening.require_hit(hits, ctx.args.party, ctx.args.entry)
    screening.decide(ctx.workbench, ctx.args.reference, hit, DispositionDecision(ctx.args.decision), ctx.args.reason)
    ctx.print(f"Recorded {ctx.args.decision} for party {ctx.args.party} on {hit.source_code} {hit.entry_id}.")
    return 0
