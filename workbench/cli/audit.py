"""``audit`` commands: a case's history and the integrity of the hash chain."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict

from workbench.cli.context import CliContext, add_json_flag
from workbench.services import audit

EXIT_BROKEN = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="the audit trail: history and chain verification")
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")

    p = sub.add_parser("verify", help="check the hash chain; exit 0 if intact, 3 naming the first broken entry")
    add_json_flag(p)
    p.set_defaults(handler=_verify)

    p = sub.add_parser("log", help="show every recorded change to a case")
    p.add_argument("reference", help="the case reference")
    add_json_flag(p)
    p.set_defaults(handler=_log)


def _verify(ctx: CliContext) -> int:
    report = audit.verify_audit_chain(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(asdict(report))
    elif report.ok:
        ctx.print(f"Audit chain intact: {report.entries} entries.")
    else:
        ctx.print(f"Audit chain BROKEN at entry {report.first_broken_seq}: {report.problem}.")
    return 0 if report.ok else EXIT_BROKEN


def _short(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 60 else text[:57] + "..."


def _log(ctx: CliContext) -> int:
    entries = audit.case_history(ctx.workbench, ctx.args.reference)
    if ctx.as_json:
        ctx.print_json([asdict(e) for e in entries])
        return 0
    if not entries:
        ctx.print(f"No audit entries for case {ctx.args.reference}.")
        return 0
    for e in entries:
        what = e.field or "(whole case)"
        change = f"{_short(e.before)} -> {_short(e.after)}" if e.action == "update" else ""
        reason = f" reason: {e.reason}" if e.reason else ""
        ctx.print(f"#{e.seq} {e.at} {e.officer} {e.action} {what} {change}{reason}".rstrip())
    return 0
