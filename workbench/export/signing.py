"""Signing determination workbooks, and verifying them offline with only the public key.

Public API:

* ``sign_and_write(record, private_key, out_path, signer_name, *, now=None) -> SignedWorkbook``
  refuses a record with open items and no override reason (``SignOff``), renders the workbook,
  signs it and writes it atomically (in memory first, then temporary file and rename).
* ``verify_workbook(path, public_key_pem=None) -> VerificationResult`` (and
  ``verify_workbook_bytes``, ``EXIT_CODES``) are re-exported from ``workbench.export.verification``,
  which says how a workbook is checked.

What is signed (``workbench-signed-determination/2``): every part of the OOXML package byte for
byte — ``[Content_Types].xml``, every relationships part, the workbook, styles, every sheet and
document property — listed by name, size and SHA-256 in package order, except the one part that
holds the signature, the hidden sheet ``Signature`` (``workbench.export.sealsheet``), whose content
is fixed: it must be exactly what the signature and the signed payload render to. The payload also
carries the signer's name, raw public key and fingerprint, the signing time, the case reference,
revision, outcome and record hash, and the canonical content of every cell
(``workbench.export.canonical``) exactly as the file stores them, so the verifier can name the first
differing cell in an officer's terms. The Ed25519 signature is over
``b"workbench-signed-determination/2\n" + payload``. The workbench writes only what it signs.

Why this closes the class: whatever a reader shows — a cell, a chartsheet, a text box, a comment,
a style, a defined name, a macro, the Signature sheet's visibility or position — is in some part;
a part added, removed, duplicated, renamed or changed by one byte fails, and so does anything in
the zip container a reader could see differently (``workbench.export.package``). When the parts
differ, the cells are compared: a changed value is named (``Items!B7: expected …``); otherwise the
file was changed by another program (Excel re-saving it, for instance) and the signed original is in
the workbench's records. A workbook whose Summary or Provenance states a key other than the signing key
was re-signed by someone else and fails too.

What it does not protect against: without ``--public-key`` anyone can re-sign an altered
workbook with a key of their own, so the result is ``unconfirmed`` (exit 4), never ``intact``;
only the officer's public key confirms the signer. Whoever holds the private key and passphrase
can sign anything.

The standard OOXML package signature (XML-DSig in ``_xmlsignatures/``) is not added: Office
verifies only RSA/ECDSA signatures chained to a certificate it trusts, so an Ed25519 officer key
would show as an invalid or untrusted signature banner, which tells an officer less than nothing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from openpyxl.xml.constants import ARC_CORE
from openpyxl.xml.functions import tostring

from workbench.domain.record import DeterminationRecord, SignOff, SignOffError
from workbench.export import canonical, sealsheet
from workbench.export.atomic import write_bytes_atomic
from workbench.export.canonical import SIGNATURE_SHEET
from workbench.export.keys import fingerprint, raw_public_key
from workbench.export.package import read_package, sheet_part, write_package
from workbench.export.verification import (
    EXIT_CODES,
    PackageRefused,
    VerificationResult,
    verify_workbook,
    verify_workbook_bytes,
)
from workbench.export.workbook import SignatureInfo, clean_text, render_workbook

__all__ = [
    "EXIT_CODES",
    "PackageRefused",
    "SignOff",
    "SignOffError",
    "SignedWorkbook",
    "VerificationResult",
    "sign_and_write",
    "signed_workbook_bytes",
    "verify_workbook",
    "verify_workbook_bytes",
]

SIGNATURE_FORMAT: Final = sealsheet.FORMAT
_DOMAIN: Final = sealsheet.DOMAIN


@dataclass(frozen=True, slots=True)
class SignedWorkbook:
    path: Path
    signer_name: str
    fingerprint: str
    signed_at: datetime
    record_sha256: str


def _payload(
    record: DeterminationRecord,
    info: SignatureInfo,
    public_raw: bytes,
    sheets: Any,
    seal_part: str,
    parts: Sequence[tuple[str, bytes]],
) -> bytes:
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
            "package": {
                "signature_part": seal_part,
                "parts": [
                    {"name": name, "size": len(data), "sha256": hashlib.sha256(data).hexdigest()}
                    for name, data in parts
                ],
            },
            "sheets": sheets,
        }
    )


def _seal(info: SignatureInfo, reference: str, signature: bytes, payload: bytes) -> sealsheet.Seal:
    packed = base64.b64encode(zlib.compress(payload, 9)).decode("ascii")
    return sealsheet.Seal(
        signer_name=info.signer_name,
        fingerprint=info.fingerprint,
        signed_at=info.signed_at.isoformat(),
        case_reference=reference,
        signature_b64=base64.b64encode(signature).decode("ascii"),
        chunks=sealsheet.pack(packed),
    )


def signed_workbook_bytes(
    record: DeterminationRecord, private_key: Ed25519PrivateKey, signer_name: str, signed_at: datetime
) -> tuple[bytes, SignatureInfo]:
    """Render, sign and serialise the workbook in memory; no sign-off check, no file.

    openpyxl writes the package with an empty hidden ``Signature`` sheet; every other part is hashed
    as written and the placeholder is replaced by the seal; nothing else is touched between signing
    and writing. The cell values in the payload are taken from the rendered workbook, which writes
    every value exactly as it reads back (tests compare them with the written file); reading the
    file back here would double the signing time for no change.
    """
    public_key = private_key.public_key()
    name = clean_text(signer_name.strip() or record.officer)
    info = SignatureInfo(name, fingerprint(public_key), signed_at.astimezone(UTC))
    wb = render_workbook(record, info)
    placeholder = wb.create_sheet(SIGNATURE_SHEET)
    placeholder.sheet_state = "hidden"
    placeholder.protection.sheet = True
    wb.active = 0
    buffer = io.BytesIO()
    wb.save(buffer)
    draft = read_package(buffer.getvalue(), "the rendered workbook")
    # openpyxl stamps the moment of saving as "modified"; state the signing time, as the workbook says.
    wb.properties.modified = info.signed_at.replace(tzinfo=None)
    draft.parts[ARC_CORE] = tostring(wb.properties.to_tree())
    seal_part = sheet_part(draft.parts, SIGNATURE_SHEET)
    sheets = canonical.content_json(canonical.workbook_content(wb))
    signed_parts = [(n, d) for n, d in draft.parts.items() if n != seal_part]
    payload = _payload(record, info, raw_public_key(public_key), sheets, seal_part, signed_parts)
    seal = _seal(info, record.case.reference, private_key.sign(_DOMAIN + payload), payload)
    final = [(n, sealsheet.render(seal) if n == seal_part else d) for n, d in draft.parts.items()]
    return write_package(final), info


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
