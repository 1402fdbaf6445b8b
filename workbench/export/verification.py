"""Verifying a signed determination workbook offline, with only the officer's public key.

``verify_workbook(path, public_key_pem=None)`` (and ``verify_workbook_bytes``) returns a
``VerificationResult`` whose status and exit code are in ``EXIT_CODES``; a file too large, too
compressed or malformed to read raises ``PackageRefused`` (exit 2, one sentence).

How it decides (what is signed is in ``workbench.export.signing``): the package is read strictly
and within bounds (``workbench.export.package``); the ``Signature`` sheet is found (written by the
workbench, or re-written by a program that re-saved the file) and its signature checked against the
embedded key and, if given, the officer's key. Then every part is compared with the signed list by
SHA-256, the Signature sheet is rendered again from the signature and compared byte for byte, and the
zip container must hold nothing else. Only when something differs are the cells read (sparsely,
at most ``MAX_CELLS``) to name the first changed value in an officer's terms; otherwise the parts
another program changed are named. Without a public key an untouched file is ``unconfirmed``
(exit 4): anyone can make a key and sign.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import io
import json
import re
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final, Literal

from cryptography.exceptions import InvalidSignature
from openpyxl import load_workbook

from workbench.domain.determination import outcome_label
from workbench.domain.errors import InputFileError
from workbench.export import canonical, sealsheet
from workbench.export.canonical import SIGNATURE_SHEET, SheetContent
from workbench.export.keys import KeyFileError, fingerprint, public_key_from_pem, public_key_from_raw
from workbench.export.package import (
    MAX_CELLS,
    MAX_FILE_BYTES,
    NotAPackage,
    Package,
    PackageRefused,
    count_cells,
    read_package,
    sheet_part,
)

__all__ = ["EXIT_CODES", "PackageRefused", "VerificationResult", "verify_workbook", "verify_workbook_bytes"]

SIGNATURE_FORMAT: Final = sealsheet.FORMAT
_DOMAIN: Final = sealsheet.DOMAIN
MAX_PAYLOAD_BYTES: Final = 64 * 1024 * 1024
MAX_WORKBOOK_BYTES: Final = MAX_FILE_BYTES
_SHOWN_CHANGES: Final = 8
_UNREAD: Final = "\x00unreadable"
_ORIGINAL: Final = "the signed original is in the workbench's records (`audit pack`)"
_FINGERPRINT = re.compile(r"(?<![0-9a-f:])[0-9a-f]{4}(?::[0-9a-f]{4}){15}(?![0-9a-f:])")
_KEY_LABELS: Final = frozenset({"Signature", "Key fingerprint"})

Status = Literal["intact", "unconfirmed", "tampered", "wrong_key", "old_format", "not_signed"]
EXIT_CODES: Final[dict[str, int]] = {
    "intact": 0,
    "not_signed": 2,
    "tampered": 3,
    "wrong_key": 3,
    "old_format": 3,
    "unconfirmed": 4,
}
"""0 intact and signed by the given key; 2 not a signed determination (or refused); 3 tampered, signed by
another key, or signed in the old format that did not cover the whole file; 4 exactly as signed, but no
public key was given, so the signer is unconfirmed."""


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
    changed_parts: tuple[str, ...] = field(default=())
    """The package parts (and zip container features) that differ from what was signed."""

    @property
    def ok(self) -> bool:
        return self.status == "intact"

    @property
    def exit_code(self) -> int:
        return EXIT_CODES[self.status]

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "status": self.status,
            "exit_code": self.exit_code,
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
            "changed_parts": list(self.changed_parts),
        }


class _Damaged(Exception):
    """The Signature sheet exists but cannot be read as a signature."""


def _load(data: bytes) -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return load_workbook(io.BytesIO(data))


def verify_workbook(path: Path, public_key_pem: bytes | None = None) -> VerificationResult:
    """Verify a signed determination workbook on disk (see the module docstring)."""
    path = Path(path)
    try:
        size = path.stat().st_size
        if size > MAX_WORKBOOK_BYTES:
            raise PackageRefused(
                f"{path}: is {size:,} bytes, more than the {MAX_WORKBOOK_BYTES:,} a determination can have; "
                "it was not read."
            )
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a workbook.") from None
    except PermissionError:
        raise InputFileError(f"{path}: cannot be read (permission denied).") from None
    return verify_workbook_bytes(data, public_key_pem, str(path))


def _require_cell_bound(package: Package, source: str) -> None:
    """Before openpyxl builds a cell object for every cell element: refuse more than ``MAX_CELLS``."""
    cells = sum(count_cells(part) for part in package.parts.values())
    if cells > MAX_CELLS:
        raise PackageRefused(
            f"{source}: holds {cells:,} cells, more than the {MAX_CELLS:,} a determination can have; "
            "it was changed after signing or is not a determination, and was not read further."
        )


def _rewritten_seal(data: bytes, package: Package, source: str) -> tuple[str, sealsheet.Seal] | None:
    """The seal of a workbook another program re-saved: read the cells of its sheet 'Signature'."""
    _require_cell_bound(package, source)
    try:
        ws = _load(data)[SIGNATURE_SHEET]
        values = {r: str(ws.cell(row=r, column=2).value or "") for r in range(1, 8)}
        count = int(values[7]) if values[7].isdigit() else 0
        values |= {r: str(ws.cell(row=r, column=2).value or "") for r in range(8, 8 + min(count, sealsheet.MAX_CHUNKS))}
        name = sheet_part(package.parts, SIGNATURE_SHEET)
    except Exception:  # untrusted input: anything unreadable means there is no seal to recover
        return None
    try:
        return name, sealsheet.from_cells(values)
    except sealsheet.SealError:
        return None


def _find_seal(data: bytes, package: Package, source: str) -> tuple[str, sealsheet.Seal] | None:
    for name, part in package.parts.items():
        if sealsheet.looks_like_seal(part):
            try:
                return name, sealsheet.parse(part)
            except sealsheet.SealError as exc:
                raise _Damaged(str(exc)) from None
    marker = sealsheet.FORMAT.encode("ascii")
    if any(marker in part for part in package.parts.values()):
        return _rewritten_seal(data, package, source)
    return None


def _claims(seal: sealsheet.Seal) -> tuple[bytes, bytes, dict[str, Any]]:
    try:
        signature = base64.b64decode(seal.signature_b64, validate=True)
        inflater = zlib.decompressobj()
        payload = inflater.decompress(base64.b64decode("".join(seal.chunks), validate=True), MAX_PAYLOAD_BYTES)
        if inflater.unconsumed_tail or not inflater.eof:
            raise _Damaged("the signed content in the sheet 'Signature' is truncated or too large")
        claims = json.loads(payload)
        if not isinstance(claims, dict) or claims.get("format") != SIGNATURE_FORMAT:
            raise _Damaged("the signed content is not a workbench determination")
        if not isinstance(claims.get("sheets"), list) or not isinstance(claims.get("package"), dict):
            raise _Damaged("the signed content is not a workbench determination")
    except (ValueError, binascii.Error, zlib.error, RecursionError) as exc:
        raise _Damaged(f"the signed content in the sheet 'Signature' cannot be decoded ({exc})") from None
    return signature, payload, claims


def verify_workbook_bytes(
    data: bytes, public_key_pem: bytes | None = None, source: str = "workbook"
) -> VerificationResult:
    given = public_key_from_pem(public_key_pem, "The given public key") if public_key_pem is not None else None
    try:
        package = read_package(data, source)
    except NotAPackage as exc:
        return VerificationResult("not_signed", str(exc))
    try:
        found = _find_seal(data, package, source)
        if found is None:
            return _unsigned(package, source)
        seal_name, seal = found
        signature, payload, claims = _claims(seal)
        signer = claims["signer"]
        embedded = public_key_from_raw(base64.b64decode(signer["public_key"], validate=True))
    except (_Damaged, KeyFileError, KeyError, TypeError, ValueError, binascii.Error) as exc:
        return VerificationResult("tampered", f"{source}: TAMPERED: {exc}.", first_difference=str(exc))
    try:
        embedded.verify(signature, _DOMAIN + payload)
    except InvalidSignature:
        why = "the signature does not match the signed content: the sheet 'Signature' was changed or swapped"
        return VerificationResult("tampered", f"{source}: TAMPERED: {why}.", first_difference=why)
    facts = _facts(claims, fingerprint(embedded), "given" if given else "embedded")
    who = f"{facts['signer_name']} (key {facts['fingerprint']})"
    if given is not None and fingerprint(given) != facts["fingerprint"]:
        return VerificationResult(
            "wrong_key",
            f"{source}: NOT signed by the given key {fingerprint(given)}; it was signed by {who}.",
            **facts,
        )
    changes = _package_changes(package, claims, seal_name, seal, facts)
    if changes:
        shown = ", ".join(changes[:_SHOWN_CHANGES])
        if len(changes) > _SHOWN_CHANGES:
            shown += f" and {len(changes) - _SHOWN_CHANGES} more"
        difference = _cell_difference(data, package, claims, source)
        if difference is None:
            difference = (
                f"the values are the ones signed but the file was changed by another program (parts: {shown}): "
                f"{_ORIGINAL}"
            )
        elif difference == _UNREAD:
            difference = f"the file was changed after signing; its cells cannot be read (parts: {shown}): {_ORIGINAL}"
        return VerificationResult(
            "tampered",
            f"{source}: TAMPERED: {difference}.",
            first_difference=difference,
            changed_parts=tuple(changes),
            **facts,
        )
    claim = _foreign_fingerprint(claims, facts["fingerprint"])
    if claim:
        return VerificationResult("tampered", f"{source}: TAMPERED: {claim}.", first_difference=claim, **facts)
    when = facts["signed_at"].strftime("%Y-%m-%d %H:%M:%S UTC") if facts["signed_at"] else "an unknown date"
    what = (
        f"Determination {facts['case_reference']} revision {facts['revision']} ({outcome_label(facts['outcome'])}) "
        f"signed by {who} on {when}"
    )
    if given is None:
        return VerificationResult(
            "unconfirmed",
            f"{source}: SIGNER UNCONFIRMED: every part of the file is exactly as signed, but only against the key "
            f"embedded in it, fingerprint {facts['fingerprint']}, which anyone can make; {what}. Compare that "
            "fingerprint with the officer's published one, or verify against the officer's public key (.pub.pem).",
            **facts,
        )
    return VerificationResult(
        "intact",
        f"{source}: intact. {what}; every part of the file is exactly as signed, checked against the given "
        "public key.",
        **facts,
    )


def _unsigned(package: Package, source: str) -> VerificationResult:
    if any(sealsheet.OLD_FORMAT.encode("ascii") in part for part in package.parts.values()):
        why = (
            f"was signed in the earlier format {sealsheet.OLD_FORMAT}, which did not cover every part of the file, "
            "so it cannot be confirmed as unchanged: compare it with the determination in the workbench's records "
            "(`audit pack`), or determine and sign the case again"
        )
        return VerificationResult("old_format", f"{source}: {why}.", first_difference=why)
    if "xl/workbook.xml" not in package.parts:
        return VerificationResult("not_signed", f"{source}: is not an Excel workbook (.xlsx).")
    return VerificationResult("not_signed", f"{source}: is not a signed determination (no 'Signature' sheet).")


def _facts(claims: dict[str, Any], key_fingerprint: str, key_source: str) -> dict[str, Any]:
    determination = claims.get("determination")
    determination = determination if isinstance(determination, dict) else {}
    revision = determination.get("revision")
    return {
        "signer_name": str(claims["signer"].get("name")),
        "fingerprint": key_fingerprint,
        "signed_at": _moment(claims.get("signed_at")),
        "case_reference": str(determination.get("case")),
        "revision": revision if isinstance(revision, int) else None,
        "outcome": str(determination.get("outcome")),
        "record_sha256": str(determination.get("record_sha256")),
        "key_source": key_source,
    }


def _moment(value: object) -> datetime | None:
    try:
        return datetime.fromisoformat(str(value)).astimezone(UTC)
    except ValueError:
        return None


def _package_changes(
    package: Package, claims: dict[str, Any], seal_name: str, seal: sealsheet.Seal, facts: dict[str, Any]
) -> list[str]:
    """Every way the package departs from the signed one, as short phrases naming the parts."""
    signed = claims["package"]
    listed = signed.get("parts")
    if not isinstance(listed, list) or not all(isinstance(p, dict) for p in listed):
        return ["the signed list of parts cannot be read"]
    want = {str(p.get("name")): str(p.get("sha256")) for p in listed}
    actual = {n: d for n, d in package.parts.items() if n != seal_name}
    changes = [f"{n} changed" for n, d in actual.items() if n in want and hashlib.sha256(d).hexdigest() != want[n]]
    changes += [f"{n} added" for n in actual if n not in want]
    changes += [f"{n} removed" for n in want if n not in actual]
    if not changes and list(actual) != [str(p.get("name")) for p in listed]:
        changes.append("the parts were reordered")
    if seal_name != signed.get("signature_part"):
        changes.append(f"the sheet 'Signature' was moved to {seal_name}")
    expected = sealsheet.Seal(
        signer_name=facts["signer_name"],
        fingerprint=str(claims["signer"].get("fingerprint")),
        signed_at=str(claims.get("signed_at")),
        case_reference=facts["case_reference"],
        signature_b64=seal.signature_b64,
        chunks=seal.chunks,
    )
    if expected.fingerprint != facts["fingerprint"] or sealsheet.render(expected) != package.parts[seal_name]:
        changes.append(f"{seal_name} (the sheet 'Signature') changed")
    changes += [f"zip: {problem}" for problem in package.problems]
    return changes


def _cell_difference(data: bytes, package: Package, claims: dict[str, Any], source: str) -> str | None:
    """The first cell whose value differs from the signed one; ``None`` if all are equal, ``_UNREAD`` if unreadable."""
    _require_cell_bound(package, source)
    try:
        signed = tuple(SheetContent.from_json(s) for s in claims["sheets"])
        actual = canonical.workbook_cells(_load(data))
    except Exception:  # a changed package may not load at all; the parts list then explains
        return _UNREAD
    return canonical.first_difference(signed, actual)


def _foreign_fingerprint(claims: dict[str, Any], key_fingerprint: str) -> str | None:
    """A row stating the signing key (Summary 'Signature', Provenance 'Key fingerprint') that names another.

    Only the rows where the workbench states the key are checked: free text elsewhere (a note, an
    override reason) may quote any fingerprint without making a genuine workbook fail.
    """
    try:
        sheets = tuple(SheetContent.from_json(s) for s in claims["sheets"])
    except (KeyError, TypeError, ValueError):
        return "the signed content cannot be read"
    for sheet in sheets:
        for r, row in enumerate(sheet.rows, start=1):
            if len(row) < 2 or not isinstance(row[0], str) or row[0] not in _KEY_LABELS:
                continue
            text = row[1].get("v") if isinstance(row[1], dict) else row[1]
            named = _FINGERPRINT.findall(text) if isinstance(text, str) else []
            where = canonical.cell_ref(sheet.name, r, 2)
            foreign = next((found for found in named if found != key_fingerprint), None)
            if foreign:
                return (
                    f"{where} names the key {foreign}, but the workbook was signed with the key {key_fingerprint}: "
                    "it was re-signed with another key"
                )
            if not named and text != "Not signed":
                return f"{where} names no key, but the workbook was signed with the key {key_fingerprint}"
    return None
