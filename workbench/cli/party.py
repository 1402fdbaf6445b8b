"""``party add|list|show|owners``: the counterparty register from the command line."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.case import ListFlag
from workbench.domain.ownership import Aggregate, OwnershipGraph, OwnershipNode, Stake
from workbench.domain.register import RegisterParty
from workbench.export.partyfile import party_json
from workbench.services import register as registry

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
    lst = sub.add_parser("list", help="list register parties, sorted by name")
    lst.add_argument("--search", default="", metavar="WORDS", help="words that appear in any name or identifier")
    lst.add_argument("--limit", type=int, default=100, help="how many to show (default 100)")
    lst.add_argument("--offset", type=int, default=0, help="skip this many first")
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
    total, rows = registry.list_parties(ctx.workbench, ctx.args.search, offset=ctx.args.offset, limit=ctx.args.limit)
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
