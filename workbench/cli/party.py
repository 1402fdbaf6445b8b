"""``party add|list|show|owners``: the counterparty register from the command line."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli import party_documents
from workbench.cli.context import CliContext, add_json_flag
from workbench.cli.register_watch import cli_progress, hit_line, print_rescreen, rescreen_out
from workbench.domain.case import ListFlag
from workbench.domain.ownership import Aggregate, OwnershipGraph, OwnershipNode, Stake
from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import PartyHit, PartyScreeningStatus
from workbench.domain.screening import DispositionDecision
from workbench.export.partyfile import party_json
from workbench.services import register as registry
from workbench.services import register_import, register_import_screening, register_watch
from workbench.services import register_screening as party_screening

_LIST_LABELS = {
    ListFlag.ENTITY_LIST: "Entity List",
    ListFlag.MILITARY_END_USER: "MEU List",
    ListFlag.SDN: "SDN List",
    ListFlag.DENIED_PERSONS: "Denied Persons List",
    ListFlag.UNVERIFIED: "Unverified List",
}


def _party_id(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a register party id (1, 2, ...; see 'party list')")
    return int(text)


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    party = subparsers.add_parser("party", help="the counterparty register: parties, their owners, KYC")
    sub = party.add_subparsers(dest="party_command", required=True, metavar="ACTION")
    add = sub.add_parser("add", help="add a party (and its owners) from a workbench-party/1 JSON file")
    add.add_argument("file", type=Path, metavar="FILE.json", help="a workbench-party/1 file")
    add_json_flag(add)
    add.set_defaults(handler=_add)
    imp = sub.add_parser("import", help="import a customer or vendor master (CSV or XLSX), all or nothing")
    imp.add_argument("file", type=Path, metavar="FILE", help="a .csv or .xlsx file with a header row")
    imp.add_argument("--mapping", type=Path, default=None, metavar="MAP.json", help="a workbench-party-mapping/1 file")
    imp.add_argument(
        "--report", type=Path, default=None, metavar="REPORT.xlsx", help="write the screening report of the new parties"
    )
    imp.add_argument(
        "--no-screen", action="store_true", help="import only; screen later with 'party screen --all'"
    )
    add_json_flag(imp)
    imp.set_defaults(handler=_import)
    lst = sub.add_parser("list", help="list register parties, sorted by name")
    lst.add_argument("--search", default="", metavar="WORDS", help="words that appear in any name or identifier")
    lst.add_argument("--limit", type=int, default=100, help="how many to show (default 100)")
    lst.add_argument("--offset", type=int, default=0, help="skip this many first")
    lst.add_argument(
        "--status",
        choices=[s.value for s in PartyScreeningStatus],
        default=None,
        help="only parties with this screening status",
    )
    add_json_flag(lst)
    lst.set_defaults(handler=_list)
    show = sub.add_parser("show", help="show one register party with its direct owners and holdings")
    show.add_argument("party_id", type=_party_id, metavar="ID", help="the register party id")
    add_json_flag(show)
    show.set_defaults(handler=_show)
    owners = sub.add_parser("owners", help="the ownership tree both ways, with the aggregate per listed owner")
    owners.add_argument("party_id", type=_party_id, metavar="ID", help="the register party id")
    owners.add_argument("--as-of", type=_date, default=None, help="evaluate the ownership rules on this date")
    add_json_flag(owners)
    owners.set_defaults(handler=_owners)
    screen = sub.add_parser("screen", help="screen a register party (every name) or the whole register")
    which = screen.add_mutually_exclusive_group(required=True)
    which.add_argument("party_id", nargs="?", type=_party_id, metavar="ID", help="the register party id")
    which.add_argument("--all", action="store_true", help="screen every register party")
    add_json_flag(screen)
    screen.set_defaults(handler=_screen)
    decide = sub.add_parser("decide", help="mark a party's hit a true match or a false positive")
    decide.add_argument("party_id", type=_party_id, metavar="ID", help="the register party id")
    decide.add_argument("--entry", required=True, metavar="ENTRY_ID", help="the list entry id of the hit")
    decide.add_argument("--decision", choices=[d.value for d in DispositionDecision], required=True)
    decide.add_argument("--reason", required=True, help="why (kept in the audit trail)")
    add_json_flag(decide)
    decide.set_defaults(handler=_decide)
    party_documents.register_attach(sub)


def _party_out(party: RegisterParty) -> dict[str, Any]:
    return {"id": party.id, "version": party.version, "fingerprint": party.fingerprint, **party_json(party)}


def _stake_out(stake: Stake, graph: OwnershipGraph | None = None) -> dict[str, Any]:
    out: dict[str, Any] = {
        "owner": stake.owner_id,
        "owned": stake.owned_id,
        "percent": None if stake.percent is None else format(stake.percent, "f"),
        "as_of": stake.as_of.isoformat(),
        "document_sha256": stake.document_sha256,
        "note": stake.note,
    }
    if graph is not None:
        out["owner_name"] = graph.names.get(stake.owner_id, "")
        out["owned_name"] = graph.names.get(stake.owned_id, "")
    return out


def _add(ctx: CliContext) -> int:
    result = registry.add_party_file(ctx.workbench, ctx.args.file)
    for warning in result.warnings:
        ctx.warn(warning)
    if ctx.as_json:
        ctx.print_json(
            {
                "party": _party_out(result.party),
                "created": [p.id for p in result.created],
                "stakes": [_stake_out(s) for s in result.stakes],
                "warnings": list(result.warnings),
            }
        )
        return 0
    party = result.party
    ctx.print(f"Added register party {party.id}: {party.name} ({party.country}).")
    for other in result.created[1:]:
        ctx.print(f"  also added party {other.id}: {other.name} ({other.country})")
    for stake in result.stakes:
        ctx.print(f"  stake: party {stake.owner_id} holds {stake.percent_text} of party {stake.owned_id}")
    return 0


def _list(ctx: CliContext) -> int:
    status = PartyScreeningStatus(ctx.args.status) if ctx.args.status else None
    total, rows = registry.list_parties(
        ctx.workbench, ctx.args.search, status=status, offset=ctx.args.offset, limit=ctx.args.limit
    )
    if ctx.as_json:
        ctx.print_json(
            {
                "count": total,
                "parties": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "kind": r.kind.value,
                        "country": r.country,
                        "kyc_status": r.kyc_status.value,
                        "other_names": r.other_names,
                        "updated_at": r.updated_at,
                    }
                    for r in rows
                ],
            }
        )
        return 0
    for r in rows:
        ctx.print(f"{r.id:>7}  {r.name[:60]:<60}  {r.kind.value:<10}  {r.country}  {r.kyc_status.label}")
    ctx.print(f"{len(rows)} of {total} parties")
    return 0


def _show(ctx: CliContext) -> int:
    view = registry.show_party(ctx.workbench, ctx.args.party_id)
    graph = OwnershipGraph((*view.owners, *view.holdings), view.names)
    for warning in view.warnings:
        ctx.warn(warning)
    if ctx.as_json:
        out = _party_out(view.party)
        out["owners"] = [_stake_out(s, graph) for s in view.owners]
        out["holdings"] = [_stake_out(s, graph) for s in view.holdings]
        out["warnings"] = list(view.warnings)
        ctx.print_json(out)
        return 0
    p = view.party
    ctx.print(f"Register party {p.id} (version {p.version}): {p.name}")
    ctx.print(f"  kind: {p.kind.value}; country: {p.country}; headquarters: {p.effective_headquarters}")
    for other in p.other_names:
        ctx.print(f"  {other.kind.value.replace('_', ' ')} name: {other.name}")
    for address in p.addresses:
        ctx.print(f"  address: {address.one_line}")
    for ident in p.identifiers:
        ctx.print(f"  {ident.display}")
    if p.website:
        ctx.print(f"  website: {p.website}")
    if p.listed_on:
        ctx.print("  declared listed on: " + ", ".join(_LIST_LABELS[f] for f in p.listed_on))
    kyc = p.kyc
    decided = f" on {kyc.decided_on.isoformat()} by {kyc.officer}" if kyc.decided_on else ""
    ctx.print(f"  KYC: {kyc.status.label}{decided}" + (f" ({kyc.note})" if kyc.note else ""))
    if p.notes:
        ctx.print(f"  notes: {p.notes}")
    for stake in view.owners:
        ctx.print(f"  owned {stake.percent_text} by {graph.label(stake.owner_id)} (as of {stake.as_of.isoformat()})")
    for stake in view.holdings:
        ctx.print(f"  holds {stake.percent_text} of {graph.label(stake.owned_id)} (as of {stake.as_of.isoformat()})")
    ctx.print(f"  screened-data fingerprint: {p.fingerprint}")
    return 0


def _node_out(node: OwnershipNode, graph: OwnershipGraph) -> dict[str, Any]:
    return {
        "party": node.party_id,
        "name": graph.names.get(node.party_id, ""),
        "stake": None if node.stake is None else _stake_out(node.stake),
        "children": [_node_out(c, graph) for c in node.children],
        "truncated": node.truncated,
    }


def _aggregate_out(result: Aggregate | None, graph: OwnershipGraph) -> dict[str, Any] | None:
    if result is None:
        return None
    return {
        "total": format(result.total, "f"),
        "covered": result.covered,
        "lists": sorted(f.value for f in result.lists),
        "stakes": [_stake_out(c.stake, graph) for c in result.contributions],
        "unknown_percentages": [_stake_out(c.stake, graph) for c in result.unknown],
        "paths": [
            {
                "listed": p.root_id,
                "lists": sorted(f.value for f in p.root_lists),
                "stakes": [_stake_out(s) for s in p.stakes],
            }
            for p in result.paths
        ],
        "paths_truncated": result.paths_truncated,
    }


def _tree_lines(
    node: OwnershipNode, graph: OwnershipGraph, listed: dict[int, tuple[ListFlag, ...]], depth: int
) -> list[str]:
    lines = []
    for child in node.children:
        assert child.stake is not None
        flags = listed.get(child.party_id, ())
        mark = f" [{', '.join(_LIST_LABELS[f] for f in flags)}]" if flags else ""
        lines.append(
            f"{'  ' * depth}{child.stake.percent_text:>10}  {graph.label(child.party_id)}{mark} "
            f"(as of {child.stake.as_of.isoformat()})" + (" …" if child.truncated else "")
        )
        lines.extend(_tree_lines(child, graph, listed, depth + 1))
    return lines


def _owners(ctx: CliContext) -> int:
    report = registry.ownership_report(ctx.workbench, ctx.args.party_id, ctx.args.as_of)
    graph = report.graph
    evaluation = report.evaluation
    for warning in evaluation.warnings:
        ctx.warn(warning)
    if ctx.as_json:
        ctx.print_json(
            {
                "party": _party_out(report.party),
                "as_of": report.as_of.isoformat(),
                "owners": _node_out(report.owners_tree, graph),
                "owns": _node_out(report.owned_tree, graph),
                "aggregates": {flag.value: _aggregate_out(a, graph) for flag, a in report.per_list.items()},
                "affiliates_rule": _aggregate_out(evaluation.affiliates, graph),
                "ofac_50_percent": _aggregate_out(evaluation.ofac, graph),
                "findings": [asdict(f) for f in evaluation.findings],
                "open_items": list(evaluation.open_items),
                "warnings": list(evaluation.warnings),
            }
        )
        return 0
    listed = dict(report.listed)
    ctx.print(f"Ownership of {graph.label(report.party.id or 0)}, evaluated on {report.as_of.isoformat()}")
    ctx.print("Owners:")
    ctx.print("\n".join(_tree_lines(report.owners_tree, graph, listed, 1)) or "  none recorded")
    ctx.print("Owns:")
    ctx.print("\n".join(_tree_lines(report.owned_tree, graph, listed, 1)) or "  nothing recorded")
    ctx.print("Held by listed parties, directly or through covered entities (aggregate per list):")
    for flag, result in report.per_list.items():
        if result is None:
            ctx.print(f"  {_LIST_LABELS[flag]}: none")
            continue
        terms = " + ".join(f"{c.stake.percent} % {graph.label(c.stake.owner_id)}" for c in result.contributions)
        state = "covered (50 % or more)" if result.covered else "below 50 %"
        unknown = f"; {len(result.unknown)} stake(s) of unknown percentage" if result.unknown else ""
        ctx.print(f"  {_LIST_LABELS[flag]}: {result.total} % ({terms or 'no known percentage'}), {state}{unknown}")
    if evaluation.findings:
        ctx.print("Findings:")
        for finding in evaluation.findings:
            mark = " UNCONFIRMED" if finding.unconfirmed else ""
            ctx.print(f"  [{finding.outcome.value}{mark}] {finding.rule} ({finding.citation}): {finding.explanation}")
    if evaluation.open_items:
        ctx.print("Open items:")
        for item in evaluation.open_items:
            ctx.print(f"  - {item}")
    return 0


def hit_out(hit: PartyHit) -> dict[str, Any]:
    d = hit.disposition
    return {
        "party": hit.party_id,
        "entry_id": hit.entry_id,
        "source": hit.source_code,
        "entry_name": hit.entry_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "content_hash": hit.content_hash,
        "party_fingerprint": hit.party_fingerprint,
        "match": "address" if hit.by_address else "name",
        "explanation": hit.explanation,
        "decision": None
        if d is None
        else {"decision": d.decision.value, "reason": d.reason, "officer": d.officer, "at": d.decided_at.isoformat()},
        "reopened": hit.reopened,
    }


def _screen(ctx: CliContext) -> int:
    if ctx.args.all:
        report = register_watch.rescreen_register(ctx.workbench, full=True, progress=cli_progress)
        if ctx.as_json:
            ctx.print_json(rescreen_out(report))
            return 0
        ctx.print(f"Screened {report.screened_full:,} register parties; {len(report.changes):,} with changed hits.")
        print_rescreen(ctx, report)
        return 0
    result = party_screening.screen_party(ctx.workbench, ctx.args.party_id)
    if ctx.as_json:
        ctx.print_json(
            {
                "party": result.party.id,
                "list_version": result.version.label,
                "status": result.status.value,
                "hits": [hit_out(h) for h in result.hits],
                "new": [h.entry_id for h in result.new],
                "gone": [h.entry_id for h in result.gone],
            }
        )
        return 0
    ctx.print(f"{result.party.label} screened against {result.version.label}: {result.status.value}")
    for hit in result.hits:
        ctx.print(hit_line(hit))
    return 0


def _decide(ctx: CliContext) -> int:
    a = ctx.args
    hit = party_screening.decide(ctx.workbench, a.party_id, a.entry, DispositionDecision(a.decision), a.reason)
    if ctx.as_json:
        ctx.print_json(hit_out(hit))
        return 0
    ctx.print(f"Recorded {a.decision} for party {a.party_id} on {hit.source_code} {hit.entry_id} ({hit.entry_name}).")
    return 0


def _import(ctx: CliContext) -> int:
    a = ctx.args
    if a.report is not None:
        problem = ""
        if a.no_screen:
            problem = "--report needs the imported parties screened; leave out --no-screen"
        elif a.report.suffix.lower() != ".xlsx":
            problem = f"the report {a.report} must be an .xlsx file; give a name ending in .xlsx"
        elif not a.report.parent.is_dir():
            problem = f"the folder of the report {a.report} does not exist; create it or choose another"
        if problem:
            ctx.err.write(f"error: {problem}.\n")
            return 2
    report = register_import.import_parties(ctx.workbench, a.file, a.mapping)
    screening = None if a.no_screen else register_import_screening.screen_imported(ctx.workbench, report)
    if a.report is not None and screening is not None:
        register_import_screening.write_screening_report(report, screening, a.report)
    if ctx.as_json:
        ctx.print_json(
            {
                "rows": report.rows,
                "created": [p.id for p in report.created],
                "duplicates": [
                    {"row": d.row, "name": d.name, "existing": d.existing, "why": d.why} for d in report.duplicates
                ],
                "stakes": [_stake_out(s) for s in report.stakes],
                "screening": None
                if screening is None
                else {
                    "list": screening.list_label,
                    "parties": [
                        {"party": r.party.id, "status": r.status.value, "hits": [hit_out(h) for h in r.hits]}
                        for r in screening.results
                    ],
                },
                "report": None if a.report is None else str(a.report),
            }
        )
        return 0
    ctx.print(
        f"Imported {len(report.created)} of {report.rows} rows from {report.source} as register parties, "
        f"with {len(report.stakes)} ownership stakes."
    )
    for d in report.duplicates:
        where = f"register party {d.existing}" if d.existing else "an earlier row"
        ctx.print(f"  row {d.row}: {d.name} not created: {d.why} ({where})")
    if screening is not None:
        unresolved = screening.count(PartyScreeningStatus.UNRESOLVED)
        ctx.print(
            f"Screened the {len(screening.results)} new parties against {screening.list_label or 'the active list'}: "
            f"{unresolved} with hits to review, {screening.count(PartyScreeningStatus.CLEAR)} clear."
        )
        for r in screening.results:
            if r.status is PartyScreeningStatus.UNRESOLVED:
                best = r.hits[0]
                ctx.print(
                    f"  party {r.party.id} {r.party.name}: {len(r.hits)} hits, best {best.score:.2f} "
                    f"{best.source_code} {best.entry_id} {best.entry_name}"
                )
        if a.report is not None:
            ctx.print(f"Screening report written to {a.report}.")
    return 0
