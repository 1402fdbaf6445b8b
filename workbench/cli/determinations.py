"""``keys generate``, ``determine`` and ``verify``: signed determinations."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from workbench.cli.checks import _date
from workbench.cli.context import CliContext, add_json_flag
from workbench.domain.determination import Posture
from workbench.domain.errors import ValidationError
from workbench.export.keys import read_passphrase_file
from workbench.services import determinations


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    keys = subparsers.add_parser("keys", help="officer signing keys")
    sub = keys.add_subparsers(dest="keys_command", required=True, metavar="COMMAND")
    p = sub.add_parser("generate", help="make an Ed25519 key pair; the private key is passphrase-encrypted")
    p.add_argument("--name", required=True, help="the officer's name, as it will appear on signatures")
    p.add_argument("--out", type=Path, required=True, help="folder for NAME.key and NAME.pub.pem")
    p.add_argument("--passphrase-file", type=Path, help="read the passphrase from this file instead of asking")
    add_json_flag(p)
    p.set_defaults(handler=_generate)

    p = subparsers.add_parser("determine", help="determine a case and write the signed Excel workbook")
    p.add_argument("reference", help="the case reference")
    p.add_argument("--key", type=Path, required=True, help="the officer's private key (.key)")
    p.add_argument("--passphrase-file", type=Path, help="read the passphrase from this file instead of asking")
    p.add_argument("--out", type=Path, required=True, help="the .xlsx file to write")
    p.add_argument("--override-reason", help="sign although items are open; the reason appears in the workbook")
    p.add_argument("--as-of", type=_date, help="judge by the rules in force on this date (YYYY-MM-DD)")
    p.add_argument("--posture", choices=[x.value for x in Posture], default=Posture.ENFORCED.value)
    add_json_flag(p)
    p.set_defaults(handler=_determine)

    p = subparsers.add_parser(
        "verify",
        help="verify a signed determination workbook (exit 0 intact, 3 tampered, 4 signer unconfirmed)",
        description="Check that every part of a signed determination workbook is exactly as signed.",
        epilog="exit codes: 0 intact and signed by the --public-key given; 2 not a signed determination, or a file "
        "refused as too large or malformed; 3 tampered (the first differing cell, or the parts another program "
        "changed), signed by another key, or signed in the old format; 4 exactly as signed but no --public-key "
        "given, so the signer is unconfirmed (the message names the embedded key's fingerprint).",
    )
    p.add_argument("file", type=Path, help="the .xlsx workbook")
    p.add_argument("--public-key", type=Path, help="the officer's public key (.pub.pem) to check the signer")
    add_json_flag(p)
    p.set_defaults(handler=_verify)


def _passphrase(path: Path | None, *, confirm: bool = False) -> bytes:
    if path is not None:
        return read_passphrase_file(path)
    if not sys.stdin.isatty():
        raise ValidationError("--passphrase-file", "no terminal to ask for the passphrase; give --passphrase-file")
    first = getpass.getpass("Passphrase: ").encode("utf-8")
    if confirm and getpass.getpass("Repeat the passphrase: ").encode("utf-8") != first:
        raise ValidationError("passphrase", "the two passphrases differ; run the command again")
    return first


def _generate(ctx: CliContext) -> int:
    files = determinations.generate_officer_keys(
        ctx.args.name, ctx.args.out, _passphrase(ctx.args.passphrase_file, confirm=True)
    )
    if ctx.as_json:
        ctx.print_json(
            {
                "name": files.name,
                "private_key": str(files.private_key),
                "public_key": str(files.public_key),
                "fingerprint": files.fingerprint,
            }
        )
    else:
        ctx.print(f"Private key (keep it secret): {files.private_key}")
        ctx.print(f"Public key (share it):        {files.public_key}")
        ctx.print(f"Fingerprint:                  {files.fingerprint}")
    return 0


def _determine(ctx: CliContext) -> int:
    args = ctx.args
    record, signed = determinations.determine_and_sign(
        ctx.workbench,
        args.reference,
        key_path=args.key,
        passphrase=_passphrase(args.passphrase_file),
        out=args.out,
        as_of=args.as_of,
        posture=Posture(args.posture),
        override_reason=args.override_reason,
    )
    d = record.determination
    if ctx.as_json:
        ctx.print_json(
            {
                "case": args.reference,
                "revision": record.revision,
                "outcome": d.outcome.value,
                "standing": record.standing.value,
                "headline": record.headline,
                "review_required": d.review_required,
                "record_sha256": record.content_hash,
                "workbook": str(signed.path),
                "signer": signed.signer_name,
                "fingerprint": signed.fingerprint,
                "signed_at": signed.signed_at.isoformat(),
            }
        )
    else:
        ctx.print(f"{args.reference} revision {record.revision}: {record.headline}.")
        ctx.print(f"Signed by {signed.signer_name} ({signed.fingerprint}); wrote {signed.path}")
    return 0


def _verify(ctx: CliContext) -> int:
    result = determinations.verify(ctx.args.file, ctx.args.public_key)
    if ctx.as_json:
        ctx.print_json(result.to_dict())
    else:
        ctx.print(result.message)
        if result.status == "unconfirmed":
            ctx.print("To confirm the signer, verify again with --public-key OFFICER.pub.pem.")
    return result.exit_code
