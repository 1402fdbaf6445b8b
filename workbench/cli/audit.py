"""``audit`` commands: a case's history and the integrity of the hash chain."""

from __future__ import annotations

import argparse
import json
from dataclasses import asdict
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.errors import ValidationError
from workbench.services import audit, auditpack

EXIT_BROKEN = 3


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    parser = subparsers.add_parser("audit", help="the audit trail: history and chain verification")
    sub = parser.add_subparsers(dest="audit_command", required=True, metavar="COMMAND")

    p = sub.add_parser("verify", help="check the hash chain; exit 0 if intact, 3 naming the first broken entry")
    add_json_flag(p)
    p.set_defaults(handler=_verify)

    p = sub.add_parser("pack", help="write everything about a case to one zip, or --verify a pack")
    p.add_argument("reference", nargs="?", help="the case reference")
    p.add_argument("--out", type=Path, help="the .zip to write")
    p.add_argument("--verify", type=Path, metavar="FILE.zip", help="check a pack against its manifest")
    add_json_flag(p)
    p.set_defaults(handler=_pack)

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


def _pack(ctx: CliContext) -> int:
    if ctx.args.verify:
        ok, message = auditpack.verify_pack(ctx.args.verify)
        if ctx.as_json:
            ctx.print_json({"ok": ok, "message": message})
        else:
            ctx.print(message)
        return 0 if ok else EXIT_BROKEN
    if not ctx.args.reference or not ctx.args.out:
        raise ValidationError("pack", "give a case reference and --out FILE.zip, or --verify FILE.zip")
    manifest = auditpack.build_pack(ctx.workbench, ctx.args.reference, ctx.args.out)
    if ctx.as_json:
        ctx.print_json(manifest)
    else:
        ctx.print(f"Wrote {ctx.args.out}: {len(manifest['files'])} files for case {ctx.args.reference}.")
        for problem in manifest["missing"]:
            ctx.warn(problem)
    return 0


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
