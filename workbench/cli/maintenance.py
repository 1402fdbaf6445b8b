"""``backup``, ``restore`` and ``case delete``."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.config import default_database_url
from workbench.services import maintenance


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("backup", help="write a consistent backup zip of the database and documents")
    p.add_argument("--out", type=Path, required=True, help="the .zip file to write")
    add_json_flag(p)
    p.set_defaults(handler=_backup)

    p = subparsers.add_parser("restore", help="restore a backup zip (checks it first)")
    p.add_argument("file", type=Path, help="the backup .zip")
    p.add_argument("--force", action="store_true", help="overwrite an existing database")
    p.set_defaults(handler=_restore)

    p = subparsers.add_parser("delete-case", help="delete a case (refused within the retention period)")
    p.add_argument("reference", help="the case reference")
    p.add_argument("--reason", default="", help="why; required within five years of determination or closing")
    p.set_defaults(handler=_delete)

    p = subparsers.add_parser(
        "upgrade-report", help="what the database upgrade did to existing data (case parties merged into the register)"
    )
    add_json_flag(p)
    p.set_defaults(handler=_upgrade_report)


def _backup(ctx: CliContext) -> int:
    result = maintenance.backup(ctx.workbench, ctx.args.out)
    if ctx.as_json:
        ctx.print_json(
            {"file": str(result.path), "files": result.files, "bytes": result.bytes, "skipped": list(result.skipped)}
        )
    else:
        ctx.print(f"Backup written to {result.path} ({result.files} files, {result.bytes:,} bytes).")
        if result.skipped:
            ctx.print(
                f"Left out {len(result.skipped)} damaged or unknown files of the document folder "
                f"(first: {result.skipped[0]}); 'doc verify' names the cases they belong to."
            )
    return 0


def _restore(ctx: CliContext) -> int:
    url = ctx.args.db or default_database_url()
    if not url.startswith("sqlite:///"):
        ctx.err.write("error: restore writes a SQLite database file; give --db sqlite:///PATH\n")
        return 2
    target = Path(url.removeprefix("sqlite:///"))
    count = maintenance.restore(ctx.args.file, target, force=ctx.args.force)
    ctx.print(f"Restored {count} files from {ctx.args.file} into {target}.")
    return 0


def _delete(ctx: CliContext) -> int:
    maintenance.delete_case(ctx.workbench, ctx.args.reference, reason=ctx.args.reason)
    ctx.print(f"Deleted case {ctx.args.reference}; the deletion is in the audit log.")
    return 0


def _upgrade_report(ctx: CliContext) -> int:
    entries = maintenance.upgrade_report(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(
            [{"at": e.at, "action": e.action, "subject": e.field, "text": e.reason, "detail": e.after} for e in entries]
        )
        return 0
    if not entries:
        ctx.print("The upgrade to the counterparty register changed nothing: no case parties needed converting.")
        return 0
    ctx.print(f"Upgrade 0013 (case parties into the counterparty register), {entries[0].at[:10]}:")
    for entry in entries:
        ctx.print(f"  {entry.action.replace('_', ' ')}: {entry.reason}")
    return 0
