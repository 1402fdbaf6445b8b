"""``product add|list|show|classify|reclassify|approve|attach|import``: the product classification library."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.products import (
    MAX_ICS_PER_UNIT,
    MAX_PERFORMANCE_DENSITY,
    MAX_TPP,
    ProductDocumentKind,
    ProductStatus,
)
from workbench.services import product_cases as pc
from workbench.services import products as ps

_LIST_LIMIT = 200
_REPORT_LINES = 50


def _figure(maximum: float) -> argparse._ActionType:
    def parse(text: str) -> float:
        try:
            value = float(text.replace(",", ""))
        except ValueError:
            raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
        if not math.isfinite(value) or not 0 <= value <= maximum:
            raise argparse.ArgumentTypeError(f"'{text}' must be a number from 0 to {maximum:,.0f}")
        return value

    return parse


def _ics(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= MAX_ICS_PER_UNIT:
        raise argparse.ArgumentTypeError(f"'{text}' must be a whole number from 1 to {MAX_ICS_PER_UNIT:,}")
    return int(text)


def _count(text: str) -> int:
    if not text.isdigit() or int(text) > 100_000:
        raise argparse.ArgumentTypeError(f"'{text}' must be a whole number from 0 to 100,000")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    product = subparsers.add_parser("product", help="the product classification library")
    sub = product.add_subparsers(dest="product_command", required=True, metavar="ACTION")

    add = sub.add_parser("add", help="add a product from a workbench-product/1 JSON file")
    add.add_argument("file", type=Path, metavar="FILE.json")
    add_json_flag(add)
    add.set_defaults(handler=_add)

    lst = sub.add_parser("list", help="list products: search as you type, by ECCN, only conflicts")
    lst.add_argument("--search", default="", metavar="WORDS", help="words in part number, description, maker, model")
    lst.add_argument(
        "--eccn", default=None, metavar="ECCN", help="an ECCN (with its lower paragraphs), or unclassified"
    )
    lst.add_argument("--conflicts", action="store_true", help="only products whose figures contradict their ECCN")
    lst.add_argument("--status", choices=[s.value for s in ProductStatus], default=None)
    lst.add_argument("--limit", type=_count, default=_LIST_LIMIT, help=f"rows to show (default {_LIST_LIMIT})")
    lst.add_argument("--offset", type=_count, default=0, help="rows to skip")
    add_json_flag(lst)
    lst.set_defaults(handler=_list)

    show = sub.add_parser("show", help="a product with its classification, review, documents and history")
    show.add_argument("part", metavar="PART")
    add_json_flag(show)
    show.set_defaults(handler=_show)

    classify = sub.add_parser("classify", help="the classification assistant's proposal for a product, with reasoning")
    classify.add_argument("part", metavar="PART")
    add_json_flag(classify)
    classify.set_defaults(handler=_classify)

    recl = sub.add_parser("reclassify", help="record a new ECCN (and figures) with the reason, in the audit log")
    recl.add_argument("part", metavar="PART")
    recl.add_argument("--eccn", required=True, metavar="E", help="the new ECCN, EAR99, or unclassified")
    recl.add_argument("--tpp", type=_figure(MAX_TPP), default=None, metavar="N", help="TPP of one IC")
    recl.add_argument(
        "--pd", type=_figure(MAX_PERFORMANCE_DENSITY), default=None, metavar="N", help="performance density"
    )
    recl.add_argument("--ics-per-unit", type=_ics, default=None, metavar="N", help="advanced ICs in one unit")
    recl.add_argument(
        "--datacenter",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="designed or marketed for datacenters",
    )
    recl.add_argument("--paragraph", default=None, help="the CCL paragraph relied on")
    recl.add_argument("--reasoning", default=None, help="the classification's reasoning, in the officer's words")
    recl.add_argument("--reason", required=True, help="why the classification changes (kept in the audit log)")
    add_json_flag(recl)
    recl.set_defaults(handler=_reclassify)

    approve = sub.add_parser("approve", help="approve a product's recorded classification in your name")
    approve.add_argument("part", metavar="PART")
    approve.add_argument("--reason", default="", help="needed when the assistant contradicts the classification")
    add_json_flag(approve)
    approve.set_defaults(handler=_approve)

    attach = sub.add_parser("attach", help="put a datasheet or CCATS on file for a product (document store)")
    attach.add_argument("part", metavar="PART")
    attach.add_argument("file", type=Path, metavar="FILE")
    attach.add_argument("--kind", choices=[k.value for k in ProductDocumentKind], default="datasheet")
    attach.add_argument("--note", default="")
    add_json_flag(attach)
    attach.set_defaults(handler=_attach)

    rev = sub.add_parser(
        "review", help="re-run the assistant on products reviewed with older rule data; list what changed"
    )
    add_json_flag(rev)
    rev.set_defaults(handler=_review)

    upg = sub.add_parser(
        "upgrade-report", help="what the upgrade made of existing case items: products made, items kept case-only"
    )
    add_json_flag(upg)
    upg.set_defaults(handler=_upgrade_report)

    uses = sub.add_parser("cases", help="the cases whose items reference the product")
    uses.add_argument("part", metavar="PART")
    uses.add_argument("--open", action="store_true", help="only open cases (draft, in review)")
    add_json_flag(uses)
    uses.set_defaults(handler=_cases)

    imp = sub.add_parser("import", help="import a product master (CSV or XLSX), all rows or none")
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.add_argument("--mapping", type=Path, default=None, metavar="MAP.json", help="which column holds which field")
    add_json_flag(imp)
    imp.set_defaults(handler=_import)


def _line(view: ps.ProductView) -> str:
    p, r = view.product, view.review
    status = p.status.value + (f" by {p.approved_by} on {p.approved_on}" if p.approved_on else "")
    figures = []
    if p.tpp is not None:
        figures.append(f"TPP {p.tpp:,.10g}")
    if p.performance_density is not None:
        figures.append(f"PD {p.performance_density:,.10g}")
    if p.ics_per_unit != 1:
        figures.append(f"{p.ics_per_unit} ICs/unit")
    figures.append("datacenter" if p.datacenter else "not datacenter")
    flag = "  CONFLICT" if r.conflict else ""
    return f"{p.part_number}  {p.classification_label}  [{status}]  {', '.join(figures)}  v{p.version}{flag}"


def _print_review(ctx: CliContext, view: ps.ProductView) -> None:
    r = view.review
    ctx.print(f"  assistant: {r.proposed or 'no proposal'} - {r.explanation}")
    if r.conflict:
        what = "CONFLICT TO RESOLVE (approved)" if view.conflict_to_resolve else "conflict"
        ctx.print(f"  {what}: {r.conflict}")


def _add(ctx: CliContext) -> int:
    view = ps.add_product_file(ctx.workbench, ctx.args.file)
    if ctx.as_json:
        ctx.print_json(ps.view_json(view))
        return 0
    ctx.print(f"Added {_line(view)}")
    _print_review(ctx, view)
    return 0


def _list(ctx: CliContext) -> int:
    a = ctx.args
    status = ProductStatus(a.status) if a.status else None
    page = ps.list_products(
        ctx.workbench, a.search, eccn=a.eccn, conflicts=a.conflicts, status=status, offset=a.offset, limit=a.limit
    )
    if ctx.as_json:
        ctx.print_json(
            {"total": page.total, "total_capped": page.capped, "products": [ps.summary_json(s) for s in page.rows]}
        )
        return 0
    if not page.rows:
        ctx.print("No products match." if page.total == 0 else f"No products on this page (of {page.total_label}).")
        return 0
    for s in page.rows:
        proposal = f" (assistant: {s.proposed})" if s.proposed and s.proposed != s.eccn else ""
        flag = "  CONFLICT" if s.conflict else ""
        maker = f"{s.manufacturer} {s.model}".strip()
        ctx.print(
            f"{s.part_number}  {s.eccn or 'unclassified'}{proposal}  {s.status.value}  {maker}  {s.description}{flag}"
        )
    if page.total > len(page.rows):
        ctx.print(f"... {len(page.rows)} of {page.total_label} shown (use --offset / --limit)")
    return 0


def _show(ctx: CliContext) -> int:
    detail = ps.get_product(ctx.workbench, ctx.args.part)
    if ctx.as_json:
        ctx.print_json(
            {
                **ps.view_json(detail.view),
                "documents": [
                    {"kind": d.kind.value, "filename": d.filename, "sha256": d.sha256, "note": d.note}
                    for d in detail.documents
                ],
                "history": [
                    {
                        "seq": h.seq,
                        "at": h.at,
                        "officer": h.officer,
                        "action": h.action,
                        "field": h.field,
                        "before": h.before,
                        "after": h.after,
                        "reason": h.reason,
                    }
                    for h in detail.history
                ],
            }
        )
        return 0
    p = detail.view.product
    ctx.print(_line(detail.view))
    ctx.print(f"  {p.description}" + (f" ({p.manufacturer} {p.model})".rstrip() if p.manufacturer or p.model else ""))
    for label, value in (
        ("paragraph", p.paragraph),
        ("reasoning", p.reasoning),
        ("country of origin", p.country_of_origin or ""),
        ("CCATS", f"{p.ccats_number} {p.ccats_date or ''}".strip()),
        ("DRAM bandwidth (GB/s)", "" if p.dram_bandwidth is None else f"{p.dram_bandwidth:,.10g}"),
        (
            "memory bandwidth density (GB/s/mm²)",
            "" if p.memory_bandwidth_density is None else f"{p.memory_bandwidth_density:,.10g}",
        ),
    ):
        if value:
            ctx.print(f"  {label}: {value}")
    _print_review(ctx, detail.view)
    for d in detail.documents:
        ctx.print(f"  document: {d.kind.value} {d.filename} sha256 {d.sha256[:12]}…")
    ctx.print(f"  history: {len(detail.history)} audit entries")
    for h in detail.history:
        field = f" {h.field}" if h.field else ""
        change = f": {h.before!r} -> {h.after!r}" if h.field else ""
        reason = f" ({h.reason})" if h.reason else ""
        ctx.print(f"    {h.at} {h.officer} {h.action}{field}{change}{reason}")
    return 0


def _classify(ctx: CliContext) -> int:
    result = ps.classify_product(ctx.workbench, ctx.args.part)
    if ctx.as_json:
        ctx.print_json(
            {
                **ps.view_json(result.view),
                "stored_review": ps.review_json(result.stored),
                "changed_since_stored": result.changed_since_stored,
            }
        )
        return 0
    ctx.print(_line(result.view))
    _print_review(ctx, result.view)
    if result.view.review.missing:
        ctx.print(f"  needed to classify: {', '.join(result.view.review.missing)}")
    if result.changed_since_stored:
        ctx.print("  note: the rule data changed since the product was stored; the proposal above is the current one.")
    return 0


def _reclassify(ctx: CliContext) -> int:
    a = ctx.args
    figures = {
        name: value
        for name, value in (
            ("tpp", a.tpp),
            ("performance_density", a.pd),
            ("ics_per_unit", a.ics_per_unit),
            ("datacenter", a.datacenter),
            ("paragraph", a.paragraph),
            ("reasoning", a.reasoning),
        )
        if value is not None
    }
    impact = pc.reclassify_and_recheck(ctx.workbench, a.part, eccn=a.eccn, reason=a.reason, **figures)
    result = impact.reclassification
    if ctx.as_json:
        ctx.print_json(pc.impact_json(impact))
        return 0
    ctx.print(f"before: {_line(result.before)}")
    _print_review(ctx, result.before)
    ctx.print(f"after:  {_line(result.after)}")
    _print_review(ctx, result.after)
    _print_moves(ctx, impact)
    ctx.print(f"Recorded in the audit log with the reason: {result.reason}")
    return 0


def _print_moves(ctx: CliContext, impact: pc.ReclassificationImpact) -> None:
    if not impact.open_cases:
        ctx.print("No open case uses this product.")
        return
    moved = len(impact.moved)
    ctx.print(
        f"Open cases using it: {impact.open_cases}, re-checked: {len(impact.cases)}; "
        f"{moved} {'moves' if moved == 1 else 'move'} (outcome or open items change):"
    )
    for case in impact.cases[:_REPORT_LINES]:
        mark = "*" if case.changed else " "
        ctx.print(f" {mark} {case.reference}: before {case.before_headline} | after {case.after_headline}")
        for item in case.after_open:
            if item not in case.before_open:
                ctx.print(f"     new open item: {item}")
    if len(impact.cases) > _REPORT_LINES:
        ctx.print(f"   ... and {len(impact.cases) - _REPORT_LINES} more (--json lists them all)")


def _approve(ctx: CliContext) -> int:
    view = ps.approve_product(ctx.workbench, ctx.args.part, ctx.args.reason)
    if ctx.as_json:
        ctx.print_json(ps.view_json(view))
        return 0
    ctx.print(f"Approved {_line(view)}")
    _print_review(ctx, view)
    return 0


def _attach(ctx: CliContext) -> int:
    a = ctx.args
    doc = ps.attach_product_document(ctx.workbench, a.part, a.file, a.kind, note=a.note)
    if ctx.as_json:
        ctx.print_json({"kind": doc.kind.value, "filename": doc.filename, "sha256": doc.sha256, "note": doc.note})
        return 0
    ctx.print(f"Attached {doc.kind.value} {doc.filename} (sha256 {doc.sha256}) to product {a.part.strip()}.")
    return 0


def _import(ctx: CliContext) -> int:
    report = ps.import_products(ctx.workbench, ctx.args.file, ctx.args.mapping)
    if ctx.as_json:
        ctx.print_json(ps.report_json(report))
        return 0
    ctx.print(report.summary())
    notes = [f"  {note}" for note in report.notes()]
    for note in notes[:_REPORT_LINES]:
        ctx.print(note)
    if len(notes) > _REPORT_LINES:
        ctx.print(f"  ... and {len(notes) - _REPORT_LINES:,} more (see --json, or 'product list --conflicts')")
    differing = [r for r in report.proposals_differing if r.state != "conflict"]
    if differing:
        ctx.print(
            f"  {len(differing):,} classified rows differ from the proposal without a contradiction "
            "(e.g. 3A090 against 4A090, or a bare entry); see --json for each."
        )
    return 0


def _review(ctx: CliContext) -> int:
    reviewed, changed = ps.review_after_rule_change(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(
            {
                "reviewed": reviewed,
                "changed": [
                    {"part_number": c.part_number, "before": ps.review_json(c.before), "after": ps.review_json(c.after)}
                    for c in changed
                ],
            }
        )
        return 0
    if not reviewed:
        ctx.print("Every product was reviewed with the current rule data; nothing to do.")
        return 0
    ctx.print(f"Reviewed {reviewed:,} products with the current rule data; {len(changed):,} changed:")
    for c in changed[:_REPORT_LINES]:
        was = f"proposed {c.before.proposed or 'none'}" + (", conflict" if c.before.conflict else "")
        now = f"proposed {c.after.proposed or 'none'}" + (", CONFLICT" if c.after.conflict else "")
        ctx.print(f"  {c.part_number}: {was} -> {now}")
    if len(changed) > _REPORT_LINES:
        ctx.print(f"  ... and {len(changed) - _REPORT_LINES:,} more (see --json)")
    return 0


def _upgrade_report(ctx: CliContext) -> int:
    report = pc.upgrade_report(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(pc.upgrade_report_json(report))
        return 0
    if report is None:
        ctx.print("The upgrade to the product library found no case items to make products of.")
        return 0
    ctx.print(f"Upgrade of {report.at[:19].replace('T', ' ')} UTC: {report.summary}.")
    for made in report.products_made[:_REPORT_LINES]:
        items = ", ".join(f"{w['case']} item {w['item']}" for w in made["items"])
        conflict = "; the assistant contradicts the ECCN" if made.get("conflict") else ""
        eccn = made["eccn"] or "unclassified"
        ctx.print(f"  made {made['part_number']}: {made['manufacturer']} {made['model']}, {eccn} ({items}){conflict}")
    for linked in report.linked_to_existing[:_REPORT_LINES]:
        items = ", ".join(f"{w['case']} item {w['item']}" for w in linked["items"])
        ctx.print(f"  linked to {linked['part_number']}: {items}")
    for kept in report.kept_case_only[:_REPORT_LINES]:
        items = ", ".join(f"{w['case']} item {w['item']}" for w in kept["items"])
        ctx.print(f"  kept case-only: {kept['manufacturer']} {kept['model']} ({items}): {kept['why']}")
    return 0


def _cases(ctx: CliContext) -> int:
    using = pc.cases_using_product(ctx.workbench, ctx.args.part, open_only=ctx.args.open)
    if ctx.as_json:
        ctx.print_json(
            [
                {
                    "reference": u.reference,
                    "title": u.title,
                    "status": u.status.value,
                    "outcome": u.outcome,
                    "items": list(u.positions),
                }
                for u in using
            ]
        )
        return 0
    if not using:
        ctx.print(f"No {'open ' if ctx.args.open else ''}case uses product {ctx.args.part}.")
        return 0
    for u in using:
        items = ", ".join(str(p) for p in u.positions)
        ctx.print(f"{u.reference}  {u.status.label.lower():<10}  {u.title}  (item {items})")
    return 0
