"""The register rescreen's report (``lists import``, ``party screen --all``) and ``screening inbox``."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.register_screening import PartyHit
from workbench.services import register_screening as party_screening
from workbench.services.register_watch import RegisterRescreenReport, report_json

MAX_PRINTED_CHANGES = 200


def cli_progress(done: int, total: int) -> None:
    """A progress bar on stderr when it is a terminal (the rescreen of a large register takes a while)."""
    if sys.stderr.isatty() and total:
        filled = int(30 * done / total)
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (30 - filled)}] {done}/{total} parties")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def _days(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days (0, 1, 2, ...)")
    return int(text)


def register_inbox(screening_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """``screening inbox``: added to the ``screening`` command by ``cli.screening``."""
    inbox = screening_sub.add_parser("inbox", help="every unresolved hit on a register party, highest score first")
    inbox.add_argument("--limit", type=int, default=200, help="how many to show (default 200)")
    inbox.add_argument("--offset", type=int, default=0, help="skip this many first")
    inbox.add_argument(
        "--list", action="append", default=[], metavar="CODE", help="only hits on this list (EL, SDN, MEU…); repeatable"
    )
    inbox.add_argument(
        "--country", action="append", default=[], metavar="CC", help="only parties in this country; repeatable"
    )
    inbox.add_argument("--older-than", type=_days, default=None, metavar="DAYS", help="only hits waiting this long")
    inbox.add_argument("--newer-than", type=_days, default=None, metavar="DAYS", help="only hits found this recently")
    add_json_flag(inbox)
    inbox.set_defaults(handler=_inbox)


def age_days(hit: PartyHit, now: datetime | None = None) -> int | None:
    if hit.first_seen is None:
        return None
    return max(0, ((now or datetime.now(UTC)) - hit.first_seen).days)


def hit_line(hit: PartyHit) -> str:
    state = hit.disposition.decision.value if hit.disposition else (hit.reopened or "unresolved")
    how = "address" if hit.by_address else "matched"
    return (
        f"  {hit.score:.2f}  {hit.source_code} {hit.entry_id}  {hit.entry_name}  "
        f"({how} '{hit.explanation.get('query', '')}' ~ '{hit.matched_name}')  [{state}]"
    )


def _inbox(ctx: CliContext) -> int:
    from workbench.cli.party import hit_out

    a = ctx.args
    where = party_screening.InboxFilter(tuple(a.list), tuple(a.country), a.older_than, a.newer_than)
    total, rows = party_screening.inbox_page(ctx.workbench, where, offset=a.offset, limit=a.limit)
    if ctx.as_json:
        ctx.print_json(
            [
                {
                    **hit_out(r.hit),
                    "party_name": r.party_name,
                    "party_country": r.party_country,
                    "first_seen": r.hit.first_seen.isoformat() if r.hit.first_seen else None,
                    "age_days": age_days(r.hit),
                }
                for r in rows
            ]
        )
        return 0
    for row in rows:
        age = age_days(row.hit)
        ctx.print(f"{row.party_name} (party {row.hit.party_id}, {row.party_country}, waiting {age} days):")
        ctx.print(hit_line(row.hit))
        ctx.print(f"      {row.hit.explanation.get('text', '')}")
    shown = f"{len(rows)} of {total}" if total != len(rows) else f"{total}"
    ctx.print(f"{shown} unresolved hits")
    return 0


def print_rescreen(ctx: CliContext, report: RegisterRescreenReport) -> None:
    """The register rescreen in words: the counts, each party newly hit or cleared, the cases it touches."""
    if report.parties == 0:
        return  # no register yet: nothing to say
    mode = "full" if report.full else "by delta"
    ctx.print(
        f"Register rescreened {mode} against {report.version.label}: {report.parties:,} parties "
        f"({report.screened_delta:,} against the {report.entries_added:,} added and {report.entries_changed:,} "
        f"changed entries, {report.screened_full:,} against every entry), {report.entries_removed:,} entries removed; "
        f"{report.new_hits:,} new hits, {report.gone_hits:,} gone, in {report.seconds:.1f} s."
    )
    for change in report.changes[:MAX_PRINTED_CHANGES]:
        ctx.print(f"  {change.party_name} (party {change.party_id}):")
        for hit in change.new:
            how = " by address" if hit.by_address else ""
            ctx.print(f"    new hit{how}: {hit.source_code} {hit.entry_id} {hit.entry_name} (score {hit.score:.2f})")
        for hit in change.gone:
            ctx.print(f"    hit gone: {hit.source_code} {hit.entry_id} {hit.entry_name}")
        for case in change.cases:
            state = "open" if case.open else f"{case.status}, retained until {case.retained_until}"
            ctx.print(f"    touches case {case.reference} ({case.title}; {state})")
        if not change.cases:
            ctx.print("    in no open or retained case")
    if len(report.changes) > MAX_PRINTED_CHANGES:
        ctx.print(f"  … and {len(report.changes) - MAX_PRINTED_CHANGES:,} more parties (--json lists them all)")
    if report.cancelled:
        ctx.warn(report.not_rescreened_text() + " ('party screen --all' rescreens everyone.)")


def rescreen_out(report: RegisterRescreenReport) -> dict[str, object]:
    return report_json(report)
