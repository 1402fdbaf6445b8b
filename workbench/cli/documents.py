"""``doc``: attach, list, verify, copy, update and remove supporting documents; check them; bundles.

Exit codes follow ``workbench-cli``: 0 on success, 2 on bad input (one line on stderr),
3 when ``doc verify`` finds a missing, tampered or unreadable file.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext, add_json_flag
from workbench.documents.checks import IssueSeverity
from workbench.documents.filestore import IntegrityStatus, format_size
from workbench.domain.case import Assurance, DocumentKind, DocumentRecord, PartyRole
from workbench.domain.errors import ValidationError
from workbench.services import cases, documents

EXIT_INTEGRITY = 3
_FAILED = frozenset({IntegrityStatus.MISSING, IntegrityStatus.TAMPERED, IntegrityStatus.UNREADABLE})


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _position(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a document or item number (1, 2, ...)")
    return int(text)


def _days(text: str) -> int:
    if not text.isdigit() or int(text) > 3650:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of days (0 to 3650)")
    return int(text)


def _record_fields(p: argparse.ArgumentParser, *, kind_required: bool) -> None:
    kinds = [k.value for k in DocumentKind]
    p.add_argument("--kind", required=kind_required, choices=kinds, help="what the document is")
    p.add_argument("--signed-on", type=_date, metavar="DATE", help="date of signature (YYYY-MM-DD)")
    p.add_argument("--valid-from", type=_date, metavar="DATE", help="first day of validity (YYYY-MM-DD)")
    p.add_argument("--expires-on", type=_date, metavar="DATE", help="last day of validity (YYYY-MM-DD)")
    p.add_argument(
        "--covers", nargs="+", action="extend", default=[], metavar="ROLE", choices=[r.value for r in PartyRole],
        help="the case parties in these roles are covered (e.g. end_user ultimate_consignee)",
    )  # fmt: skip
    p.add_argument("--covers-party", action="append", default=[], metavar="NAME", help="a covered party, by name")
    p.add_argument(
        "--covers-item", nargs="+", action="extend", default=[], type=_position, metavar="N",
        help="covered items, by position (1 = first item)",
    )  # fmt: skip
    p.add_argument("--issuer", help="who issued the document")
    p.add_argument("--signatory", help="name of the person who signed")
    p.add_argument("--signatory-title", help="title of the person who signed")
    p.add_argument(
        "--assurance", nargs="+", action="extend", default=[], metavar="ASSURANCE",
        choices=[a.value for a in Assurance], help="assurances the document contains",
    )  # fmt: skip
    p.add_argument("--note", help="free text kept with the document")


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    doc = subparsers.add_parser("doc", help="supporting documents: attach, list, verify, check, bundles")
    sub = doc.add_subparsers(dest="doc_command", required=True, metavar="COMMAND")

    p = sub.add_parser("attach", help="copy a PDF or scanned image into the store and record it on a case")
    p.add_argument("reference", help="the case reference, e.g. EC-2026-0042")
    p.add_argument("file", type=Path, help="the PDF, PNG, JPEG or TIFF file")
    p.add_argument("--name", help="file name to show (default: the file's own name, made safe)")
    _record_fields(p, kind_required=True)
    add_json_flag(p)
    p.set_defaults(handler=_attach)

    p = sub.add_parser("list", help="list a case's documents")
    p.add_argument("reference", help="the case reference")
    add_json_flag(p)
    p.set_defaults(handler=_list)

    p = sub.add_parser("verify", help="re-hash every stored file of a case (exit 3 if one is missing or tampered)")
    p.add_argument("reference", help="the case reference")
    add_json_flag(p)
    p.set_defaults(handler=_verify)

    p = sub.add_parser("copy", help="write a verified copy of a document into a folder (e.g. to view it)")
    p.add_argument("reference", help="the case reference")
    p.add_argument("position", type=_position, help="the document number shown by 'doc list'")
    p.add_argument(
        "--out", "--to", dest="to", type=Path, required=True, metavar="FOLDER", help="the folder to write the copy into"
    )
    p.set_defaults(handler=_copy)

    p = sub.add_parser("update", help="change what is recorded about a document (not its file)")
    p.add_argument("reference", help="the case reference")
    p.add_argument("position", type=_position, help="the document number shown by 'doc list'")
    _record_fields(p, kind_required=False)
    add_json_flag(p)
    p.set_defaults(handler=_update)

    p = sub.add_parser("remove", help="take a document off a case (its file and record stay in the audit trail)")
    p.add_argument("reference", help="the case reference")
    p.add_argument("position", type=_position, help="the document number shown by 'doc list'")
    p.add_argument("--reason", required=True, help="why it is removed (kept in the audit trail)")
    p.set_defaults(handler=_remove)

    p = sub.add_parser("issues", help="check a case's documents: coverage, validity, assurances, names, integrity")
    p.add_argument("reference", help="the case reference")
    p.add_argument("--as-of", type=_date, metavar="DATE", help="judge on this date (default: the transaction date)")
    p.add_argument("--within-days", type=_days, metavar="N", help="flag expiries within N days (default 30)")
    add_json_flag(p)
    p.set_defaults(handler=_issues)

    p = sub.add_parser("expiring", help="documents of open cases expiring soon (or expired)")
    p.add_argument(
        "--days",
        "--within-days",
        dest="within_days",
        type=_days,
        metavar="N",
        help="within N days of today (default 30)",
    )
    p.add_argument("--today", type=_date, metavar="DATE", help="count from this date instead of today")
    add_json_flag(p)
    p.set_defaults(handler=_expiring)

    p = sub.add_parser("export-bundle", help="write a case with its documents as a folder or .zip")
    p.add_argument("reference", help="the case reference")
    p.add_argument("--out", type=Path, required=True, metavar="DIR|FILE.zip", help="a new folder, or a .zip file")
    p.set_defaults(handler=_export_bundle)

    p = sub.add_parser("import-bundle", help="import a case with its documents from a bundle folder or .zip")
    p.add_argument("path", type=Path, help="the bundle folder or .zip")
    add_json_flag(p)
    p.set_defaults(handler=_import_bundle)


def _record_json(position: int, record: DocumentRecord) -> dict[str, Any]:
    return {"position": position, **documents.document_json(record)}


def _changes(args: argparse.Namespace) -> dict[str, Any]:
    """The record fields given on the command line (for ``update``: only those given)."""
    out: dict[str, Any] = {}
    for arg, field in (
        ("kind", "kind"), ("signed_on", "signed_date"), ("valid_from", "valid_from"), ("expires_on", "valid_until"),
        ("issuer", "issuer"), ("signatory", "signatory_name"), ("signatory_title", "signatory_title"), ("note", "note"),
    ):  # fmt: skip
        value = getattr(args, arg)
        if value is not None:
            out[field] = value
    if args.covers_item:
        out["covers_items"] = tuple(args.covers_item)
    if args.assurance:
        out["assurances"] = tuple(args.assurance)
    return out


def _attach(ctx: CliContext) -> int:
    a = ctx.args
    result = documents.attach_document(
        ctx.workbench,
        a.reference,
        a.file,
        a.kind,
        filename=a.name,
        signed_on=a.signed_on,
        valid_from=a.valid_from,
        expires_on=a.expires_on,
        covers_roles=tuple(a.covers),
        covers_parties=tuple(a.covers_party),
        covers_items=tuple(a.covers_item),
        issuer=a.issuer or "",
        signatory_name=a.signatory or "",
        signatory_title=a.signatory_title or "",
        assurances=tuple(a.assurance),
        note=a.note or "",
    )
    if ctx.as_json:
        ctx.print_json(
            {
                "document": _record_json(result.position, result.record),
                "content_type": result.intake.content_type.value,
                "size": result.stored.size,
                "already_stored": result.stored.already_stored,
                "notes": list(result.notes),
                "suggestions": [
                    {
                        "field": s.field.value,
                        "value": s.value,
                        "label": s.label,
                        "evidence": s.evidence,
                        "score": s.score,
                    }
                    for s in result.suggestions
                ],
            }
        )
        return 0
    stored = "already in the document store" if result.stored.already_stored else "stored"
    ctx.print(
        f"Attached {result.record.filename} to {a.reference} as document {result.position} "
        f"({result.intake.describe()}, {format_size(result.stored.size)}, "
        f"SHA-256 {result.stored.sha256[:16]}…, {stored})."
    )
    for note in result.notes:
        ctx.print(f"  note: {note}")
    if result.suggestions:
        ctx.print("Suggestions read from the document (not applied; use 'doc update' to record them):")
        for s in result.suggestions:
            ctx.print(f'  - {s.label}    ["{s.evidence}"]')
    return 0


def _list(ctx: CliContext) -> int:
    records = documents.list_documents(ctx.workbench, ctx.args.reference)
    if ctx.as_json:
        rows = [_record_json(i, r) for i, r in enumerate(records, 1)]
        ctx.print_json({"case": ctx.args.reference, "documents": rows})
        return 0
    if not records:
        ctx.print(f"Case {ctx.args.reference} has no documents. Attach one with 'workbench-cli doc attach'.")
        return 0
    ctx.print(f"{'#':>2} {'KIND':<20} {'SIGNED':<10} {'UNTIL':<10} FILE / COVERS")
    for i, r in enumerate(records, 1):
        signed = r.signed_date.isoformat() if r.signed_date else "-"
        until = r.valid_until.isoformat() if r.valid_until else "-"
        covers = f"  covers: {', '.join(r.covers_parties)}" if r.covers_parties else ""
        ctx.print(f"{i:>2} {r.kind.value:<20} {signed:<10} {until:<10} {r.filename}{covers}")
    return 0


def _verify(ctx: CliContext) -> int:
    results = documents.verify_documents(ctx.workbench, ctx.args.reference)
    bad = [s for _, s in results if s in _FAILED]
    if ctx.as_json:
        ctx.print_json(
            {
                "case": ctx.args.reference,
                "ok": not bad,
                "documents": [
                    {"position": i, "filename": r.filename, "sha256": r.sha256, "status": s.value}
                    for i, (r, s) in enumerate(results, 1)
                ],
            }
        )
    else:
        for i, (record, status) in enumerate(results, 1):
            ctx.print(f"{i:>2} {record.filename}: {status.label}")
        if not results:
            ctx.print(f"Case {ctx.args.reference} has no documents.")
        elif bad:
            ctx.print(f"{len(bad)} of {len(results)} documents failed verification; they must not be relied on.")
        else:
            ctx.print(f"All {len(results)} documents verified.")
    return EXIT_INTEGRITY if bad else 0


def _copy(ctx: CliContext) -> int:
    target = documents.copy_document(ctx.workbench, ctx.args.reference, ctx.args.position, ctx.args.to)
    ctx.print(f"Wrote a verified copy to {target}")
    return 0


def _update(ctx: CliContext) -> int:
    a = ctx.args
    changes = _changes(a)
    if a.covers or a.covers_party:
        names = documents.resolve_roles(cases.get_case(ctx.workbench, a.reference), a.covers)
        changes["covers_parties"] = tuple(dict.fromkeys((*a.covers_party, *names)))
    if not changes:
        raise ValidationError("update", "give at least one field to change, e.g. --expires-on 2027-03-31")
    record = documents.update_document(ctx.workbench, a.reference, a.position, **changes)
    if ctx.as_json:
        ctx.print_json(_record_json(a.position, record))
    else:
        ctx.print(f"Updated document {a.position} ({record.filename}) of {a.reference}: {', '.join(sorted(changes))}.")
    return 0


def _remove(ctx: CliContext) -> int:
    a = ctx.args
    record = documents.remove_document(ctx.workbench, a.reference, a.position, reason=a.reason)
    ctx.print(
        f"Removed document {a.position} ({record.filename}) from {a.reference}; its file stays in the store and "
        "the audit trail keeps the record."
    )
    return 0


def _issues(ctx: CliContext) -> int:
    a = ctx.args
    issues = documents.document_issues(ctx.workbench, a.reference, as_of=a.as_of, within_days=a.within_days)
    if ctx.as_json:
        ctx.print_json(
            {
                "case": a.reference,
                "open_items": sum(1 for i in issues if i.severity is IssueSeverity.OPEN_ITEM),
                "issues": [
                    {"id": i.id, "severity": i.severity.value, "subject": i.subject, "message": i.message,
                     "document": i.document}
                    for i in issues
                ],
            }
        )  # fmt: skip
        return 0
    if not issues:
        ctx.print(f"{a.reference}: no document issues.")
        return 0
    for issue in issues:
        tag = "OPEN ITEM" if issue.severity is IssueSeverity.OPEN_ITEM else "warning"
        ctx.print(f"[{tag}] {issue.text}")
    return 0


def _expiring(ctx: CliContext) -> int:
    rows = documents.expiring(ctx.workbench, today=ctx.args.today, within_days=ctx.args.within_days)
    if ctx.as_json:
        ctx.print_json(
            [
                {"case": r.reference, "position": r.position, "filename": r.filename, "kind": r.kind.value,
                 "valid_until": r.valid_until.isoformat(), "days_left": r.days_left}
                for r in rows
            ]
        )  # fmt: skip
        return 0
    if not rows:
        ctx.print("No documents of open cases expire soon.")
    for r in rows:
        when = f"expired {-r.days_left} days ago" if r.days_left < 0 else f"expires in {r.days_left} days"
        ctx.print(f"{r.valid_until}  {r.reference:<16} document {r.position} ({r.filename}, {r.kind.value}): {when}")
    return 0


def _export_bundle(ctx: CliContext) -> int:
    summary = documents.export_case_bundle(ctx.workbench, ctx.args.reference, ctx.args.out)
    ctx.print(f"Wrote {summary.path} (case file and {summary.documents} document files, {format_size(summary.bytes)}).")
    return 0


def _import_bundle(ctx: CliContext) -> int:
    case = documents.import_case_bundle(ctx.workbench, ctx.args.path)
    stored = sum(1 for d in case.documents if d.sha256)
    if ctx.as_json:
        ctx.print_json({"imported": case.reference, "documents": len(case.documents), "files": stored})
    else:
        ctx.print(f"Imported case {case.reference} with {len(case.documents)} documents ({stored} files verified).")
    return 0
