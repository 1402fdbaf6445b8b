"""``rules``: rule packs (import, show, activate, trust, build, diff) and local amendments."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.errors import ValidationError
from workbench.rules.data import RULE_FILES
from workbench.services import rules as service

HAND_AUTHORED = tuple(
    n
    for n in RULE_FILES
    if n not in {"country-groups.json", "country-chart.json", "ccl.json", "license-exceptions.json"}
)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("rules", help="rule data: packs, publishers, local amendments, what changed")
    sub = p.add_subparsers(dest="rules_command", required=True, metavar="ACTION")

    imp = sub.add_parser("import", help="verify and import a signed rule pack; it becomes the active rule data")
    imp.add_argument("pack", type=Path, metavar="PACK")
    imp.add_argument("--allow-older", action="store_true", help="import a pack older than the active one")
    _update_options(imp)
    imp.set_defaults(handler=_import)

    show = sub.add_parser("show", help="list the rule data versions (the active one marked) and amendments")
    add_json_flag(show)
    show.set_defaults(handler=_show)

    act = sub.add_parser("activate", help="make another stored rule data version active (e.g. roll back)")
    act.add_argument("version", type=int, metavar="VERSION")
    act.add_argument("--reason", default="", help="why (recorded in the audit log)")
    _update_options(act)
    act.set_defaults(handler=_activate)

    trust = sub.add_parser("trust", help="publisher keys this organisation trusts for rule packs")
    trust_sub = trust.add_subparsers(dest="trust_command", required=True, metavar="ACTION")
    add = trust_sub.add_parser("add", help="trust a publisher's public key (KEY.pub.pem)")
    add.add_argument("key", type=Path, metavar="KEY.pub.pem")
    add.add_argument("--name", default=None, help="the publisher's name (default: from the key file)")
    add.set_defaults(handler=_trust_add)
    listing = trust_sub.add_parser("list", help="the trusted publisher keys")
    add_json_flag(listing)
    listing.set_defaults(handler=_trust_list)

    build = sub.add_parser("build", help="(maintainers) build and sign a rule pack from an eCFR parse and a rulebook")
    build.add_argument("--ecfr", type=Path, required=True, metavar="DIR", help="the eCFR parse (shared data/ecfr)")
    build.add_argument("--rulebook", type=Path, required=True, metavar="FILE", help="rulebook.json")
    build.add_argument(
        "--hand-authored",
        type=Path,
        default=None,
        metavar="DIR",
        help="folder with the other hand-authored files (default: the shipped ones)",
    )
    build.add_argument("--key", type=Path, required=True, metavar="KEY", help="the publisher's private key file")
    build.add_argument("--passphrase-file", type=Path, default=None, metavar="FILE")
    build.add_argument("--out", type=Path, required=True, metavar="PACK")
    build.add_argument("--pack-version", type=int, required=True, metavar="N", help="the pack's version number")
    build.add_argument("--publisher", default=service.PROJECT_PUBLISHER_NAME)
    build.add_argument("--note", default="", help="what this pack brings, in a sentence")
    build.set_defaults(handler=_build)

    diff = sub.add_parser("diff", help="what changed between two stored rule data versions")
    diff.add_argument("old", type=int, metavar="OLD")
    diff.add_argument("new", type=int, metavar="NEW")
    diff.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="also write the changes as a workbook")
    add_json_flag(diff)
    diff.set_defaults(handler=_diff)

    amend = sub.add_parser("amend", help="local amendments: the organisation's own reading of a development")
    amend_sub = amend.add_subparsers(dest="amend_command", required=True, metavar="ACTION")
    a_add = amend_sub.add_parser("add", help="record a workbench-amendment/1 file; it applies from its date")
    a_add.add_argument("file", type=Path, metavar="FILE.json")
    _update_options(a_add)
    a_add.set_defaults(handler=_amend_add)
    a_list = amend_sub.add_parser("list", help="the amendments in force (and withdrawn ones with --all)")
    a_list.add_argument("--all", action="store_true")
    add_json_flag(a_list)
    a_list.set_defaults(handler=_amend_list)
    a_wd = amend_sub.add_parser("withdraw", help="withdraw an amendment (kept in the records)")
    a_wd.add_argument("id", metavar="ID")
    a_wd.add_argument("--reason", required=True)
    _update_options(a_wd)
    a_wd.set_defaults(handler=_amend_withdraw)


def _update_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--no-recheck", action="store_true", help="do not re-check the open cases")
    p.add_argument("--xlsx", type=Path, default=None, metavar="FILE", help="write the changes and moved cases")
    add_json_flag(p)


# --- output -------------------------------------------------------------------------------------


def _update_json(update: service.RuleUpdate) -> dict[str, Any]:
    return {
        "description": update.description,
        "pack": update.pack.version if update.pack else None,
        "changes": [
            {
                "area": c.area,
                "subject": c.subject,
                "change": c.change,
                "before": c.before,
                "after": c.after,
                "words": c.words,
            }
            for c in update.changes
        ],
        "truncated": update.truncated,
        "warnings": list(update.warnings),
        "open_cases": update.open_cases,
        "checked": update.checked,
        "cancelled": update.cancelled,
        "moved": [
            {
                "reference": m.reference,
                "outcome_before": m.before_outcome,
                "outcome_after": m.after_outcome,
                "open_items_before": list(m.before_open),
                "open_items_after": list(m.after_open),
            }
            for m in update.moved
        ],
        "products_reviewed": update.products_reviewed,
        "products_changed": [
            {
                "part_number": c.part_number,
                "proposed_before": c.before.proposed,
                "proposed_after": c.after.proposed,
                "conflict_before": c.before.conflict,
                "conflict_after": c.after.conflict,
            }
            for c in update.products_changed
        ],
    }


def _report(ctx: CliContext, update: service.RuleUpdate) -> int:
    if ctx.args.xlsx:
        service.write_update_report(update, ctx.args.xlsx)
    if ctx.as_json:
        ctx.print_json(_update_json(update))
        return 0
    ctx.print(update.description)
    for warning in update.warnings:
        ctx.warn(warning)
    ctx.print(f"Changes ({len(update.changes)}{', list cut short' if update.truncated else ''}):")
    for change in update.changes:
        ctx.print(f"  - {change.words}")
    if ctx.args.no_recheck:
        ctx.print("Open cases were not re-checked (--no-recheck).")
    else:
        ctx.print(f"Open cases re-checked: {update.checked} of {update.open_cases}; moved: {len(update.moved)}")
        for moved in update.moved:
            ctx.print(f"  * {moved.words}")
    changed = update.products_changed
    ctx.print(f"Products reviewed with the new rule data: {update.products_reviewed}; proposal changed: {len(changed)}")
    for c in changed[:50]:
        was = f"{c.before.proposed or 'none'}{' (conflict)' if c.before.conflict else ''}"
        now = f"{c.after.proposed or 'none'}{' (CONFLICT)' if c.after.conflict else ''}"
        ctx.print(f"  * product {c.part_number}: proposed {was} → {now}")
    if len(changed) > 50:
        ctx.print(f"  ... and {len(changed) - 50} more (see --json or 'product list --conflicts')")
    if ctx.args.xlsx:
        ctx.print(f"Report written to {ctx.args.xlsx}")
    return 0


def _recheck(ctx: CliContext) -> bool:
    return not ctx.args.no_recheck


# --- handlers -----------------------------------------------------------------------------------


def _import(ctx: CliContext) -> int:
    update = service.import_rule_pack(
        ctx.workbench, ctx.args.pack, allow_older=ctx.args.allow_older, recheck=_recheck(ctx)
    )
    return _report(ctx, update)


def _activate(ctx: CliContext) -> int:
    update = service.activate_rule_pack(ctx.workbench, ctx.args.version, reason=ctx.args.reason, recheck=_recheck(ctx))
    return _report(ctx, update)


def _show(ctx: CliContext) -> int:
    versions = service.rule_versions(ctx.workbench)
    in_force = service.amendments(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(
            {
                "versions": [
                    {
                        "version": v.version,
                        "active": v.active,
                        "shipped": v.builtin,
                        "publisher": v.publisher,
                        "fingerprint": v.fingerprint,
                        "ecfr_issue_date": v.ecfr_issue_date,
                        "rulebook_version": v.rulebook_version,
                        "rulebook_research_date": v.rulebook_research_date,
                        "imported_at": v.imported_at,
                        "imported_by": v.imported_by,
                        "sha256": v.sha256,
                        "note": v.note,
                    }
                    for v in versions
                ],
                "amendments": [_amendment_json(a) for a in in_force],
            }
        )
        return 0
    for v in versions:
        mark = "*" if v.active else " "
        origin = "shipped with the app" if v.builtin else f"imported {v.imported_at:%Y-%m-%d} by {v.imported_by}"
        ctx.print(
            f"{mark} pack {v.version}: eCFR {v.ecfr_issue_date}, rulebook {v.rulebook_version}"
            f" (researched {v.rulebook_research_date}); {v.publisher}; {origin}"
        )
    if in_force:
        ctx.print("Local amendments in force:")
        for a in in_force:
            ctx.print(f"  - {a.attribution()}")
    return 0


def _amendment_json(a: Any) -> dict[str, Any]:
    return {
        "id": a.id,
        "kind": a.kind,
        "target": a.target,
        "effective": a.effective.isoformat(),
        "source": a.source,
        "reason": a.reason,
        "body": a.body,
        "recorded_by": a.recorded_by,
        "recorded_at": a.recorded_at,
        "in_force": a.in_force,
        "withdrawn_at": a.withdrawn_at,
        "withdrawal_reason": a.withdrawal_reason,
    }


def _trust_add(ctx: CliContext) -> int:
    publisher = service.trust_publisher(ctx.workbench, ctx.args.key, ctx.args.name)
    ctx.print(f"Trusted {publisher.name}: {publisher.fingerprint}")
    return 0


def _trust_list(ctx: CliContext) -> int:
    publishers = service.trusted_publishers(ctx.workbench)
    if ctx.as_json:
        ctx.print_json(
            [
                {
                    "name": p.name,
                    "fingerprint": p.fingerprint,
                    "shipped": p.builtin,
                    "added_by": p.added_by,
                    "added_at": p.added_at,
                }
                for p in publishers
            ]
        )
        return 0
    for p in publishers:
        origin = "shipped with the app" if p.builtin else f"added {p.added_at:%Y-%m-%d} by {p.added_by}"
        ctx.print(f"{p.fingerprint}  {p.name} ({origin})")
    return 0


def _read_part(path: Path, name: str) -> bytes:
    try:
        if path.stat().st_size > 32 * 1024 * 1024:
            raise ValidationError(str(path), f"{name} is larger than 32 MiB; check the file")
        return path.read_bytes()
    except OSError as exc:
        raise ValidationError(str(path), f"cannot read {name} ({exc.strerror or exc})") from None


def _build(ctx: CliContext) -> int:
    from workbench.resources import read_bytes
    from workbench.rules.ecfr_build import build_all, render

    args = ctx.args
    if not args.ecfr.is_dir():
        raise ValidationError("--ecfr", f"{args.ecfr} is not a folder; give the eCFR parse (shared data/ecfr)")
    parts = {name: render(data).encode("utf-8") for name, data in build_all(args.ecfr).items()}
    for name in HAND_AUTHORED:
        if name == "rulebook.json":
            parts[name] = _read_part(args.rulebook, name)
        elif args.hand_authored is not None:
            parts[name] = _read_part(args.hand_authored / name, name)
        else:
            parts[name] = read_bytes(f"rules/{name}")
    built = service.build_rule_pack(
        parts,
        key_path=args.key,
        passphrase_file=args.passphrase_file,
        out=args.out,
        pack_version=args.pack_version,
        publisher=args.publisher,
        note=args.note,
    )
    ctx.print(f"Rule pack {built.version} written to {built.path}, signed by {built.fingerprint}")
    return 0


def _diff(ctx: CliContext) -> int:
    changes, truncated = service.diff_versions(ctx.workbench, ctx.args.old, ctx.args.new)
    update = service.RuleUpdate(
        description=f"Rule data {ctx.args.old} → {ctx.args.new}",
        changes=changes,
        truncated=truncated,
        moved=(),
        checked=0,
        open_cases=0,
    )
    ctx.args.no_recheck = True
    return _report(ctx, update)


def _amend_add(ctx: CliContext) -> int:
    return _report(ctx, service.add_amendment(ctx.workbench, ctx.args.file, recheck=_recheck(ctx)))


def _amend_list(ctx: CliContext) -> int:
    items = service.amendments(ctx.workbench, include_withdrawn=ctx.args.all)
    if ctx.as_json:
        ctx.print_json([_amendment_json(a) for a in items])
        return 0
    if not items:
        ctx.print("No local amendments.")
    for a in items:
        state = "" if a.in_force else f" [withdrawn {a.withdrawn_at:%Y-%m-%d}: {a.withdrawal_reason}]"
        ctx.print(f"- {a.attribution()}{state}")
    return 0


def _amend_withdraw(ctx: CliContext) -> int:
    update = service.withdraw_amendment(ctx.workbench, ctx.args.id, ctx.args.reason, recheck=_recheck(ctx))
    return _report(ctx, update)
