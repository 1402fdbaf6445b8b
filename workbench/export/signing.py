"""Signing determination workbooks, and verifying them offline with only the public key.

Public API:

* ``sign_and_write(record, private_key, out_path, signer_name, *, now=None) -> SignedWorkbook``
  refuses a record with open items and no override reason (``SignOff``), renders the workbook,
  signs it and writes it atomically (in memory first, then temporary file and rename).
* ``verify_workbook(path, public_key_pem=None) -> VerificationResult`` (and
  ``verify_workbook_bytes``): status ``intact`` (exit 0), ``tampered`` or ``wrong_key``
  (exit 3), ``not_signed`` (exit 2).

What is signed: the canonical content of every visible sheet (``workbench.export.canonical``)
together with the signer's name, raw public key and fingerprint, the signing time and the
case reference, revision, outcome and record hash, as one canonical JSON payload. The
Ed25519 signature is over ``b"workbench-signed-determination/1\\n" + payload``. The payload
(zlib, base64, split into 32,000-character cells) and the signature live in the hidden,
protected sheet ``Signature``.

How the parts are bound: the signature binds the payload to the key; the payload carries the
whole content, so the verifier compares it with the cells actually in the file and names the
first difference (a changed cell, an added or removed row or sheet). A signature or sheet
copied from another workbook fails either the signature check or that comparison; a workbook
re-signed with another key is caught by giving the officer's public key (``wrong_key``).

What it does not protect against: without ``--public-key`` anyone can re-sign an altered
workbook with a key of their own and any name — the verifier then only reports the
fingerprint, which must be compared with the officer's published one. Fonts, fill colours,
column widths, row heights, comments, images and print settings are not signed (number formats,
sheet visibility, hidden rows and columns and conditional formatting are checked). Whoever
holds the private key and passphrase can sign anything.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
import warnings
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from workbench.domain.determination import outcome_label
from workbench.domain.errors import InputFileError
from workbench.domain.record import DeterminationRecord, SignOff, SignOffError
from workbench.export import canonical
from workbench.export.atomic import write_bytes_atomic
from workbench.export.canonical import SIGNATURE_SHEET, SheetContent
from workbench.export.keys import KeyFileError, fingerprint, public_key_from_pem, public_key_from_raw, raw_public_key
from workbench.export.workbook import SignatureInfo, put, render_workbook

__all__ = [
    "SignOff",
    "SignOffError",
    "SignedWorkbook",
    "VerificationResult",
    "sign_and_write",
    "signed_workbook_bytes",
    "verify_workbook",
    "verify_workbook_bytes",
]

SIGNATURE_FORMAT: Final = "workbench-signed-determination/1"
_DOMAIN: Final = SIGNATURE_FORMAT.encode("ascii") + b"\n"
CHUNK_CHARS: Final = 32_000
MAX_PAYLOAD_BYTES: Final = 256 * 1024 * 1024
MAX_WORKBOOK_BYTES: Final = 200 * 1024 * 1024
_FIRST_CHUNK_ROW: Final = 8
# Rows of the Signature sheet that restate the payload for a person who unhides it.
_INFO_ROWS: Final = {2: "Signer", 3: "Key fingerprint", 4: "Signed at", 5: "Case"}

Status = Literal["intact", "tampered", "wrong_key", "not_signed"]
_EXIT: Final[dict[str, int]] = {"intact": 0, "tampered": 3, "wrong_key": 3, "not_signed": 2}


@dataclass(frozen=True, slots=True)
class SignedWorkbook:
    path: Path
    signer_name: str
    fingerprint: str
    signed_at: datetime
    record_sha256: str


@dataclass(frozen=True, slots=True)
class VerificationResult:
    status: Status
    message: str
    signer_name: str | None = None
    fingerprint: str | None = None
    signed_at: datetime | None = None
    case_reference: str | None = None
    revision: int | None = None
    outcome: str | None = None
    record_sha256: str | None = None
    first_difference: str | None = None
    key_source: Literal["given", "embedded"] | None = None
    """Whether the signature was checked against a given public key or only the embedded one."""

    @property
    def ok(self) -> bool:
        return self.status == "intact"

    @property
    def exit_code(self) -> int:
        return _EXIT[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "status": self.status,
            "message": self.message,
            "signer_name": self.signer_name,
            "fingerprint": self.fingerprint,
            "signed_at": self.signed_at.isoformat() if self.signed_at else None,
            "case_reference": self.case_reference,
            "revision": self.revision,
            "outcome": self.outcome,
            "record_sha256": self.record_sha256,
            "first_difference": self.first_difference,
            "key_source": self.key_source,
        }


# --- signing ----------------------------------------------------------------------------------------


def _payload(record: DeterminationRecord, info: SignatureInfo, public_raw: bytes, sheets: Any) -> bytes:
    return canonical.dumps(
        {
            "format": SIGNATURE_FORMAT,
            "content_format": canonical.CONTENT_FORMAT,
            "signer": {
                "name": info.signer_name,
                "fingerprint": info.fingerprint,
                "public_key": base64.b64encode(public_raw).decode("ascii"),
            },
            "signed_at": info.signed_at.isoformat(),
            "determination": {
                "case": record.case.reference,
                "revision": record.revision,
                "outcome": record.determination.outcome.value,
                "record_sha256": record.content_hash,
            },
            "sheets": sheets,
        }
    )


def _add_signature_sheet(wb: Workbook, info: SignatureInfo, reference: str, payload: bytes, signature: bytes) -> None:
    ws = wb.create_sheet(SIGNATURE_SHEET)
    packed = base64.b64encode(zlib.compress(payload, 9)).decode("ascii")
    chunks = [packed[i : i + CHUNK_CHARS] for i in range(0, len(packed), CHUNK_CHARS)]
    rows: list[tuple[str, str | int]] = [
        ("Workbench signature", SIGNATURE_FORMAT),
        (_INFO_ROWS[2], info.signer_name),
        (_INFO_ROWS[3], info.fingerprint),
        (_INFO_ROWS[4], info.signed_at.isoformat()),
        (_INFO_ROWS[5], reference),
        ("Signature (Ed25519, base64)", base64.b64encode(signature).decode("ascii")),
        ("Payload parts", len(chunks)),
    ]
    rows += [("Payload (zlib, base64)", chunk) for chunk in chunks]
    rows.append(("Note", "Holds the signed content of this workbook; any change to any sheet fails verification."))
    for r, (label, value) in enumerate(rows, start=1):
        put(ws, r, 1, label)
        put(ws, r, 2, value)
    ws.column_dimensions["A"].width = 28
    ws.column_dimensions["B"].width = 90
    ws.sheet_state = "hidden"
    ws.protection.sheet = True


def signed_workbook_bytes(
    record: DeterminationRecord, private_key: Ed25519PrivateKey, signer_name: str, signed_at: datetime
) -> tuple[bytes, SignatureInfo]:
    """Render, sign and serialise the workbook in memory; no sign-off check, no file."""
    public_key = private_key.public_key()
    info = SignatureInfo(signer_name.strip() or record.officer, fingerprint(public_key), signed_at.astimezone(UTC))
    wb = render_workbook(record, info)
    sheets = canonical.content_json(canonical.workbook_content(wb))
    payload = _payload(record, info, raw_public_key(public_key), sheets)
    _add_signature_sheet(wb, info, record.case.reference, payload, private_key.sign(_DOMAIN + payload))
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue(), info


def sign_and_write(
    record: DeterminationRecord,
    private_key: Ed25519PrivateKey,
    out_path: Path,
    signer_name: str,
    *,
    now: Callable[[], datetime] | None = None,
) -> SignedWorkbook:
    """Check the sign-off policy, then write the signed workbook to ``out_path`` atomically."""
    SignOff.of(record).require()
    moment = (now or (lambda: datetime.now(UTC)))()
    if moment.tzinfo is None:
        raise ValueError("the signing clock must return an aware datetime")
    data, info = signed_workbook_bytes(record, private_key, signer_name, moment.replace(microsecond=0))
    write_bytes_atomic(Path(out_path), data)
    return SignedWorkbook(Path(out_path), info.signer_name, info.fingerprint, info.signed_at, record.content_hash)


# --- verification -----------------------------------------------------------------------------------


class _Damaged(Exception):
    """The Signature sheet exists but cannot be read as a signature."""


def _open(data: bytes) -> Workbook | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return load_workbook(io.BytesIO(data))
    except Exception:  # untrusted input: any parse failure means "not a workbook we can read"
        return None


def _read_signature_sheet(ws: Worksheet) -> tuple[bytes, bytes, dict[int, Any]]:
    if ws.cell(row=1, column=2).value != SIGNATURE_FORMAT:
        raise _Damaged(f"Signature!B1 does not name the format {SIGNATURE_FORMAT}")
    try:
        signature = base64.b64decode(str(ws.cell(row=6, column=2).value), validate=True)
        parts = int(str(ws.cell(row=7, column=2).value))
        packed = "".join(str(ws.cell(row=_FIRST_CHUNK_ROW + i, column=2).value or "") for i in range(parts))
        inflater = zlib.decompressobj()
        payload = inflater.decompress(base64.b64decode(packed, validate=True), MAX_PAYLOAD_BYTES)
    except (ValueError, binascii.Error, zlib.error) as exc:
        raise _Damaged(f"the signed content in the sheet 'Signature' cannot be decoded ({exc})") from None
    if inflater.unconsumed_tail or not inflater.eof:
        raise _Damaged("the signed content in the sheet 'Signature' is truncated or too large")
    info = {row: ws.cell(row=row, column=2).value for row in _INFO_ROWS}
    return payload, signature, info


def _presentation_difference(wb: Workbook) -> str | None:
    """Changes that alter what a reader sees without changing a value."""
    for ws in wb.worksheets:
        if ws.title == SIGNATURE_SHEET:
            continue
        if ws.conditional_formatting:
            return f"{ws.title}: conditional formatting was added; it can change how values are shown"
        for row, dim in sorted(ws.row_dimensions.items()):
            if dim.hidden:
                return f"{ws.title}: row {row} was hidden"
        for letter, cdim in sorted(ws.column_dimensions.items()):
            if cdim.hidden:
                return f"{ws.title}: column {letter or get_column_letter(cdim.min or 1)} was hidden"
    return None


def verify_workbook(path: Path, public_key_pem: bytes | None = None) -> VerificationResult:
    """Verify a signed determination workbook on disk (see the module docstring)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            return VerificationResult("not_signed", f"{path}: is {size:,} bytes, too large to be a determination.")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a workbook.") from None
    except PermissionError:
        raise InputFileError(f"{path}: cannot be read (permission denied).") from None
    return verify_workbook_bytes(data, public_key_pem, str(path))


def verify_workbook_bytes(
    data: bytes, public_key_pem: bytes | None = None, source: str = "workbook"
) -> VerificationResult:
    given = public_key_from_pem(public_key_pem, "The given public key") if public_key_pem is not None else None
    wb = _open(data)
    if wb is None:
        return VerificationResult("not_signed", f"{source}: is not an Excel workbook (.xlsx).")
    if SIGNATURE_SHEET not in wb.sheetnames:
        return VerificationResult("not_signed", f"{source}: is not a signed determination (no 'Signature' sheet).")
    try:
        payload, signature, info = _read_signature_sheet(wb[SIGNATURE_SHEET])
        claims = json.loads(payload)
        signer = claims["signer"]
        embedded = public_key_from_raw(base64.b64decode(signer["public_key"], validate=True))
        if not isinstance(claims.get("sheets"), list) or claims.get("format") != SIGNATURE_FORMAT:
            raise _Damaged("the signed content is not a workbench determination")
    except (_Damaged, KeyFileError, KeyError, TypeError, ValueError, binascii.Error) as exc:
        return VerificationResult("tampered", f"{source}: TAMPERED: {exc}.", first_difference=str(exc))
    try:
        embedded.verify(signature, _DOMAIN + payload)
    except InvalidSignature:
        why = "the signature does not match the signed content: the sheet 'Signature' was changed or swapped"
        return VerificationResult("tampered", f"{source}: TAMPERED: {why}.", first_difference=why)
    determination = claims.get("determination")
    determination = determination if isinstance(determination, dict) else {}
    facts: dict[str, Any] = {
        "signer_name": str(signer.get("name")),
        "fingerprint": fingerprint(embedded),
        "signed_at": _moment(claims.get("signed_at")),
        "case_reference": determination.get("case"),
        "revision": determination.get("revision"),
        "outcome": determination.get("outcome"),
        "record_sha256": determination.get("record_sha256"),
        "key_source": "given" if given else "embedded",
    }
    who = f"{facts['signer_name']} (key {facts['fingerprint']})"
    if given is not None and fingerprint(given) != facts["fingerprint"]:
        return VerificationResult(
            "wrong_key",
            f"{source}: NOT signed by the given key {fingerprint(given)}; it was signed by {who}.",
            **facts,
        )
    difference = _signature_info_difference(info, claims, facts) or _content_difference(wb, claims)
    difference = difference or _presentation_difference(wb)
    if difference:
        return VerificationResult(
            "tampered", f"{source}: TAMPERED: {difference}.", first_difference=difference, **facts
        )
    how = (
        "checked against the given public key"
        if given
        else "checked only against the public key embedded in the workbook: compare the fingerprint with the "
        "officer's published one, or give --public-key"
    )
    when = facts["signed_at"].strftime("%Y-%m-%d %H:%M:%S UTC") if facts["signed_at"] else "an unknown date"
    return VerificationResult(
        "intact",
        f"{source}: intact. Determination {facts['case_reference']} revision {facts['revision']} "
        f"({outcome_label(facts['outcome'])}) signed by {who} on {when}; {how}.",
        **facts,
    )


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(UTC)
    except ValueError:
        return None


def _signature_info_difference(info: dict[int, Any], claims: dict[str, Any], facts: dict[str, Any]) -> str | None:
    expected = {
        2: facts["signer_name"],
        3: facts["fingerprint"],
        4: claims.get("signed_at"),
        5: facts["case_reference"],
    }
    for row, want in expected.items():
        if info[row] != want:
            return f"Signature!B{row}: expected {canonical.describe(want)}, found {canonical.describe(info[row])}"
    return None


def _content_difference(wb: Workbook, claims: dict[str, Any]) -> str | None:
    try:
        signed = tuple(SheetContent.from_json(s) for s in claims["sheets"])
    except (KeyError, TypeError, ValueError) as exc:
        return f"the signed content cannot be read ({exc})"
    return canonical.first_difference(signed, canonical.workbook_content(wb))
