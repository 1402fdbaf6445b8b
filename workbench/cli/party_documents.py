"""``party attach``: put an EUC or BIS-711 on file for a register party (it covers the party's cases
while it is valid); the options follow ``doc attach``."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.case import Assurance
from workbench.services.party_documents import PARTY_DOCUMENT_KINDS, attach_party_document


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def _party_id(text: str) -> int:
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"'{text}' is not a register party id (1, 2, ...; see 'party list')")
    return int(text)


def register_attach(party_sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = party_sub.add_parser(
        "attach", help="put an EUC or BIS-711 on file for a party: it covers the party's cases while valid"
    )
    p.add_argument("party_id", type=_party_id, metavar="ID", help="the register party id")
    p.add_argument("file", type=Path, help="the PDF, PNG, JPEG or TIFF file")
    p.add_argument("--kind", required=True, choices=[k.value for k in PARTY_DOCUMENT_KINDS], help="what it is")
    p.add_argument("--valid-from", type=_date, metavar="DATE", help="first day of validity (YYYY-MM-DD)")
    p.add_argument(
        "--valid-until",
        "--expires-on",
        dest="valid_until",
        type=_date,
        metavar="DATE",
        required=True,
        help="last day of validity (YYYY-MM-DD)",
    )
    p.add_argument("--signed-on", type=_date, metavar="DATE", help="date of signature (YYYY-MM-DD)")
    p.add_argument("--issuer", default="", help="who issued the document")
    p.add_argument(
        "--assurance",
        action="append",
        default=[],
        choices=[a.value for a in Assurance],
        help="an assurance the document contains (repeat for several)",
    )
    p.add_argument("--note", default="", help="free text kept with the document")
    add_json_flag(p)
    p.set_defaults(handler=_attach)


def _attach(ctx: CliContext) -> int:
    a = ctx.args
    record = attach_party_document(
        ctx.workbench,
        a.party_id,
        a.file,
        a.kind,
        valid_from=a.valid_from,
        valid_until=a.valid_until,
        signed_on=a.signed_on,
        issuer=a.issuer,
        assurances=tuple(a.assurance),
        note=a.note,
    )
    if ctx.as_json:
        ctx.print_json(
            {
                "party": a.party_id,
                "kind": record.kind.value,
                "filename": record.filename,
                "sha256": record.sha256,
                "valid_from": record.valid_from.isoformat() if record.valid_from else None,
                "valid_until": record.valid_until.isoformat() if record.valid_until else None,
            }
        )
    else:
        start = f"from {record.valid_from.isoformat()} " if record.valid_from else ""
        assert record.valid_until is not None
        ctx.print(
            f"On file for register party {a.party_id}: {record.kind.value.upper().replace('_', '-')} {record.filename} "
            f"({record.sha256[:12]}), valid {start}until {record.valid_until.isoformat()}; it covers the party's cases "
            "while valid."
        )
    return 0
