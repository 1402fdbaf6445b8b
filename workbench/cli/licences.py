"""``application draft`` and ``license add|list|ship``: licence applications and the licence register."""

from __future__ import annotations

import argparse
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.licences import amount, money
from workbench.services import applications, licences


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _decimal(text: str) -> Decimal:
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number") from None
    if not value.is_finite() or value < 0:
        raise argparse.ArgumentTypeError(f"'{text}' must be a number of 0 or more")
    return value


def _positive_int(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a line number (1, 2, ...)")
    return int(text)


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    app = subparsers.add_parser("application", help="draft a BIS-748P licence application (SNAP-R data)")
    app_sub = app.add_subparsers(dest="application_command", required=True, metavar="ACTION")
    draft = app_sub.add_parser("draft", help="write the BIS-748P draft of a case, block by block, as Excel")
    draft.add_argument("reference", metavar="REF", help="the case reference")
    draft.add_argument("--out", type=Path, required=True, metavar="FILE.xlsx", help="the Excel workbook to write")
    draft.add_argument("--json", dest="json_out", type=Path, metavar="FILE", help="also write the draft as JSON")
    draft.add_argument("--bis711", type=Path, metavar="FILE.docx", help="also write the BIS-711 statement")
    draft.add_argument(
        "--bis711-scope", choices=["single", "multiple"], default="single", help="scope of the BIS-711 statement"
    )
    draft.add_argument("--nac", type=Path, metavar="FILE.json", help="also write a NAC notification draft")
    draft.add_argument("--date", type=_date, default=None, help="date of application (default: today)")
    draft.set_defaults(handler=_draft)

    lic = subparsers.add_parser("license", aliases=["licence"], help="record licences and ship against them")
    lic_sub = lic.add_subparsers(dest="license_command", required=True, metavar="ACTION")
    add = lic_sub.add_parser("add", help="record a granted licence or a licence exception from a JSON file")
    add.add_argument("file", type=Path, metavar="FILE.json", help="a workbench-licence/1 file")
    add.set_defaults(handler=_add)
    lst = lic_sub.add_parser("list", help="list licences with balances and expiry warnings")
    lst.add_argument("--as-of", type=_date, default=None, help="judge validity on this date (default: today)")
    lst.add_argument("--warn-days", type=int, default=licences.EXPIRY_WARNING_DAYS, help="warn this many days ahead")
    add_json_flag(lst)
    lst.set_defaults(handler=_list)
    ship = lic_sub.add_parser("ship", help="record a shipment of a case against a licence (decrements it)")
    ship.add_argument("licence", metavar="LICENSE", help="the licence number, e.g. D123456")
    ship.add_argument("reference", metavar="REF", help="the case shipped")
    ship.add_argument("--item", type=_positive_int, default=None, help="licence item line (needed if several)")
    ship.add_argument("--quantity", type=_decimal, required=True, help="units shipped")
    ship.add_argument("--value", type=_decimal, required=True, help="value shipped, in the licence's currency")
    ship.add_argument("--date", type=_date, default=None, help="shipment date (default: today)")
    ship.add_argument("--note", default="", help="e.g. the AES/EEI reference")
    ship.set_defaults(handler=_ship)


def _draft(ctx: CliContext) -> int:
    a = ctx.args
    result = applications.write_application_files(
        ctx.workbench,
        a.reference,
        xlsx=a.out,
        json_path=a.json_out,
        bis711=a.bis711,
        nac=a.nac,
        prepared_on=a.date,
        bis711_scope=a.bis711_scope,
    )
    for path in result.written:
        ctx.print(f"wrote {path}")
    missing = result.draft.missing
    if missing:
        ctx.print(f"{len(missing)} fields to complete before transcribing into SNAP-R:")
        for m in missing:
            ctx.print(f"  - {m}")
    else:
        ctx.print("No required field is missing.")
    return 0


def _add(ctx: CliContext) -> int:
    licence = licences.record_licence_file(ctx.workbench, ctx.args.file)
    valid = f"valid {licence.valid_from} to {licence.valid_until or 'open-ended'}"
    ctx.print(f"Recorded {licence.label} for {licence.destination}, {len(licence.items)} item line(s), {valid}.")
    return 0


def _limit(quantity: Decimal | None, value: Decimal | None, currency: str) -> str:
    parts = []
    if quantity is not None:
        parts.append(amount(quantity))
    if value is not None:
        parts.append(money(value, currency))
    return " / ".join(parts) or "no limit"


def _list(ctx: CliContext) -> int:
    rows = licences.list_licences(ctx.workbench, as_of=ctx.args.as_of, warn_days=ctx.args.warn_days)
    if ctx.as_json:
        ctx.print_json([licences.licence_to_json(s) for s in rows])
        return 0
    if not rows:
        ctx.print("No licences recorded; add one with 'license add FILE.json'.")
        return 0
    for s in rows:
        lic = s.licence
        state = "valid" if s.valid else "NOT VALID"
        ctx.print(f"{lic.label}  {lic.destination}  {lic.valid_from} to {lic.valid_until or 'open'}  [{state}]")
        for b in s.balances:
            item = b.item
            ctx.print(
                f"  item {item.line}: {item.eccn} {item.description}; licensed "
                f"{_limit(item.quantity_limit, item.value_limit, item.currency)}; remaining "
                f"{_limit(b.remaining_quantity, b.remaining_value, item.currency)} ({item.basis.value})"
            )
        for w in s.warnings:
            ctx.warn(w)
    return 0


def _ship(ctx: CliContext) -> int:
    a = ctx.args
    result = licences.ship(
        ctx.workbench,
        a.licence,
        a.reference,
        quantity=a.quantity,
        value=a.value,
        line=a.item,
        shipped_on=a.date,
        note=a.note,
    )
    s, b = result.shipment, result.balance
    ctx.print(
        f"Recorded shipment of {amount(s.quantity)} ({money(s.value, b.item.currency)}) for {s.case_reference} "
        f"under licence {s.licence_number} item {s.line} on {s.shipped_on}. Remaining: "
        f"{_limit(b.remaining_quantity, b.remaining_value, b.item.currency)}."
    )
    for w in result.warnings:
        ctx.warn(w)
    return 0
