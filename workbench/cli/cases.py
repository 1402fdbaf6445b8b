"""``case`` and ``demo`` commands."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.case import CaseStatus
from workbench.domain.countries import country_name
from workbench.export.casefile import case_to_json
from workbench.services import cases
from workbench.services.product_cases import match_json


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    case = subparsers.add_parser("case", help="import, export, list and show export cases")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="COMMAND")

    p = case_sub.add_parser("import", help="import a workbench-case/1 JSON file")
    p.add_argument("file", type=Path, help="the case file")
    p.add_argument(
        "--reason",
        default=None,
        help="replace the stored case of that reference (required for a determined case: starts a new revision)",
    )
    add_json_flag(p)
    p.set_defaults(handler=_import)

    p = case_sub.add_parser("export", help="write a case as a workbench-case/1 JSON file")
    p.add_argument("reference", help="the case reference, e.g. EC-2026-0042")
    p.add_argument("--out", type=Path, help="file to write (default: standard output)")
    p.set_defaults(handler=_export)

    p = case_sub.add_parser("list", help="list the cases")
    p.add_argument("--search", default="", help="words to find in reference, title, parties or destination")
    p.add_argument("--status", choices=[s.value for s in CaseStatus], action="append", help="only this status")
    p.add_argument("--limit", type=int, default=1000, help="at most this many rows (default 1000)")
    add_json_flag(p)
    p.set_defaults(handler=_list)

    p = case_sub.add_parser("show", help="show one case")
    p.add_argument("reference", help="the case reference")
    add_json_flag(p)
    p.set_defaults(handler=_show)

    p = subparsers.add_parser("demo", help="fill the database with realistic demo cases")
    add_json_flag(p)
    p.set_defaults(handler=_demo)


_MATCH_WORDS = {
    "matched": "matched register party {id} by name and country",
    "created": "created register party {id}",
    "kept": "references register party {id}",
    "case_only": "kept in the case only",
}


def _import(ctx: CliContext) -> int:
    imported = cases.import_case_file_matched(ctx.workbench, ctx.args.file, revision_reason=ctx.args.reason)
    case, matches = imported.case, imported.party_matches
    replaced = ctx.args.reason is not None
    warnings = cases.party_name_warnings(case)
    if ctx.as_json:
        result: dict[str, object] = {"imported": case.reference, "parties": len(case.parties), "items": len(case.items)}
        result["register"] = [
            {"party": m.position, "name": m.name, "match": m.how, "register_id": m.register_id, "note": m.note}
            for m in matches
        ]
        result["item_products"] = [match_json(m) for m in imported.item_matches]
        if replaced:
            result["status"] = case.status.value
        if warnings:
            result["warnings"] = warnings  # party names that do not read as they display
        ctx.print_json(result)
    else:
        status = f"; replaced the stored case, now {case.status.label.lower()}" if replaced else ""
        ctx.print(f"Imported case {case.reference} ({len(case.parties)} parties, {len(case.items)} items{status}).")
        for m in matches:
            ctx.print(f"  party {m.position} ({m.name}): {_MATCH_WORDS[m.how].format(id=m.register_id)}"
                      + (f"; {m.note}" if m.note else ""))
        for match in imported.item_matches:
            ctx.print(f"  {match.words[:1].upper()}{match.words[1:]}")
        for warning in warnings:
            print(f"Warning: {warning}", file=ctx.err)
    return 0


def _export(ctx: CliContext) -> int:
    result = cases.export_case_file(ctx.workbench, ctx.args.reference, ctx.args.out)
    if ctx.args.out is None:
        ctx.out.write(result)
    else:
        print(f"Wrote {result}", file=ctx.err)
    return 0


def _list(ctx: CliContext) -> int:
    statuses = tuple(CaseStatus(s) for s in ctx.args.status or ())
    page = cases.list_cases(ctx.workbench, ctx.args.search, statuses, limit=ctx.args.limit)
    if ctx.as_json:
        ctx.print_json(
            {
                "total": page.total,
                "cases": [
                    {
                        "reference": r.reference,
                        "title": r.title,
                        "status": r.status.value,
                        "transaction_date": r.transaction_date.isoformat(),
                        "destination": r.destination,
                        "parties": r.party_names,
                        "items": r.item_count,
                        "outcome": r.outcome,
                        "updated_at": r.updated_at,
                    }
                    for r in page.rows
                ],
            }
        )
        return 0
    if not page.rows:
        ctx.print("No cases. Import one with 'workbench-cli case import FILE' or run 'workbench-cli demo'.")
        return 0
    ctx.print(f"{'REFERENCE':<16} {'STATUS':<11} {'DATE':<10} {'DEST':<4} TITLE")
    for r in page.rows:
        ctx.print(f"{r.reference:<16} {r.status.value:<11} {r.transaction_date} {r.destination:<4} {r.title}")
    if page.total > len(page.rows):
        ctx.print(f"... {page.total - len(page.rows)} more (use --limit or --search)")
    return 0


def _show(ctx: CliContext) -> int:
    case = cases.get_case(ctx.workbench, ctx.args.reference)
    if ctx.as_json:
        ctx.print_json(case_to_json(case))
        return 0
    ctx.print(f"{case.reference}: {case.title}")
    ctx.print(f"  status {case.status.value}, {case.transaction_type.value} on {case.transaction_date}")
    ctx.print(
        f"  from {country_name(case.export_from)} ({case.export_from}) "
        f"to {country_name(case.destination)} ({case.destination})"
    )
    eu = case.end_use
    flags = [n for n in ("ai_model_training", "military", "wmd", "iaas") if getattr(eu, n)]
    ctx.print(f"  end use: {eu.description or '(not stated)'}" + (f" [{', '.join(flags)}]" if flags else ""))
    facts = case.transaction_facts
    if facts.temporary_purpose:
        back = f", back by {facts.return_by}" if facts.return_by else ", return date not recorded"
        ctx.print(f"  temporary export (TMP): {facts.temporary_purpose.value}{back}")
    if facts.servicing:
        improves = {None: "not known", True: "yes", False: "no"}[facts.improves_equipment]
        authority = facts.original_authorisation or "not recorded"
        ctx.print(
            f"  servicing (RPL): {facts.servicing.value}, improves the equipment: {improves}, "
            f"earlier authority: {authority}"
        )
    ctx.print("  parties:")
    for i, p in enumerate(case.parties, 1):
        hq = f", HQ {p.headquarters_country}" if p.headquarters_country else ""
        hq += f", region {p.region}" if p.region else ""
        ctx.print(f"    {i}. {p.role.value}: {p.name} ({p.country}{hq})")
    ctx.print("  items:")
    for i, it in enumerate(case.items, 1):
        perf = f", TPP {it.tpp:g}" if it.tpp is not None else ""
        perf += f", PD {it.performance_density:g}" if it.performance_density is not None else ""
        perf += f", {it.ics_per_unit} ICs per unit" if it.ics_per_unit > 1 else ""
        perf += f", made in {it.country_of_origin}" if it.country_of_origin else ""
        perf += f", US content {it.us_content_percent}%" if it.us_content_percent is not None else ""
        ctx.print(
            f"    {i}. {it.description} [{it.eccn or 'unclassified'}] x{it.quantity} {it.unit} "
            f"@ {it.unit_value} {it.currency}{perf}"
        )
    return 0


def _demo(ctx: CliContext) -> int:
    added = cases.load_demo(ctx.workbench)
    if ctx.as_json:
        ctx.print_json({"added": added})
    elif added:
        ctx.print(f"Added {len(added)} demo cases: {', '.join(added)}.")
    else:
        ctx.print("The demo cases are already in the database.")
    return 0
