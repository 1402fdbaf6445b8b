"""The rule-pack file: every rule-data part, a manifest with their hashes, and an Ed25519 signature.

A pack is how rule data reaches an offline workbench without a new release. It is one gzip
file holding one JSON document, so there is no archive format to trick: the parts are JSON
strings byte for byte as the publisher built them, the manifest names the SHA-256 and size of
each, and the signature covers the manifest alone (a canonical serialisation). Reading is
bounded (compressed and expanded size) and refuses anything it does not expect; checking each
part's schema is the rules' job (``workbench.rules.data.rule_data_from_parts``).
"""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from workbench.domain.errors import WorkbenchError
from workbench.export.keys import fingerprint, public_key_from_raw, raw_public_key

PACK_FORMAT: Final = "workbench-rule-pack/1"
_SIGNED_PREFIX: Final = b"workbench-rule-pack/1 manifest\n"
MAX_PACK_BYTES: Final = 16 * 1024 * 1024
"""A pack file on disk (the shipped data packs to about 150 KiB)."""
MAX_EXPANDED_BYTES: Final = 64 * 1024 * 1024
"""The JSON inside (the shipped data is about 1 MiB)."""
_MANIFEST_KEYS: Final = {
    "pack_version",
    "created_at",
    "publisher",
    "ecfr_issue_date",
    "rulebook_version",
    "rulebook_research_date",
    "note",
    "parts",
}


class RulePackError(WorkbenchError):
    """A rule pack is unreadable, incomplete, tampered with, or not signed by a trusted publisher."""


@dataclass(frozen=True, slots=True)
class PartInfo:
    sha256: str
    size: int
    source: str


@dataclass(frozen=True, slots=True)
class Manifest:
    pack_version: int
    created_at: str
    publisher: str
    ecfr_issue_date: str
    rulebook_version: str
    rulebook_research_date: str
    parts: Mapping[str, PartInfo]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "pack_version": self.pack_version,
            "created_at": self.created_at,
            "publisher": self.publisher,
            "ecfr_issue_date": self.ecfr_issue_date,
            "rulebook_version": self.rulebook_version,
            "rulebook_research_date": self.rulebook_research_date,
            "note": self.note,
            "parts": {
                name: {"sha256": p.sha256, "size": p.size, "source": p.source} for name, p in sorted(self.parts.items())
            },
        }


@dataclass(frozen=True, slots=True)
class RulePack:
    manifest: Manifest
    parts: Mapping[str, bytes]
    public_key: Ed25519PublicKey
    signature: bytes

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.public_key)

    @property
    def version(self) -> int:
        return self.manifest.pack_version


def canonical_manifest(manifest: Manifest) -> bytes:
    return _SIGNED_PREFIX + json.dumps(
        manifest.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


# --- writing ------------------------------------------------------------------------------------


def build_pack(
    parts: Mapping[str, bytes],
    *,
    pack_version: int,
    publisher: str,
    ecfr_issue_date: str,
    rulebook_version: str,
    rulebook_research_date: str,
    sources: Mapping[str, str],
    private_key: Ed25519PrivateKey,
    created_at: datetime,
    note: str = "",
) -> bytes:
    """The pack file's bytes (deterministic for the same inputs, so a rebuild can be compared)."""
    if pack_version < 1:
        raise RulePackError(f"A pack version is a whole number from 1 (got {pack_version}).")
    manifest = Manifest(
        pack_version=pack_version,
        created_at=created_at.isoformat(timespec="seconds"),
        publisher=publisher,
        ecfr_issue_date=ecfr_issue_date,
        rulebook_version=rulebook_version,
        rulebook_research_date=rulebook_research_date,
        note=note,
        parts={
            name: PartInfo(sha256=sha256_hex(data), size=len(data), source=sources.get(name, ""))
            for name, data in parts.items()
        },
    )
    signature = private_key.sign(canonical_manifest(manifest))
    public = private_key.public_key()
    document = {
        "format": PACK_FORMAT,
        "manifest": manifest.to_dict(),
        "parts": {name: data.decode("utf-8") for name, data in sorted(parts.items())},
        "signature": {
            "algorithm": "Ed25519",
            "public_key": base64.b64encode(raw_public_key(public)).decode("ascii"),
            "fingerprint": fingerprint(public),
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }
    text = json.dumps(document, sort_keys=True, ensure_ascii=False, indent=1).encode("utf-8")
    return gzip.compress(text, compresslevel=9, mtime=0)


# --- reading ------------------------------------------------------------------------------------


def read_pack_file(path: Path) -> RulePack:
    try:
        size = path.stat().st_size
        if size > MAX_PACK_BYTES:
            raise RulePackError(
                f"{path.name}: a rule pack is at most {MAX_PACK_BYTES // (1024 * 1024)} MiB,"
                f" this file has {size:,} bytes; check that it is a rule pack."
            )
        data = path.read_bytes()
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read the rule pack ({exc.strerror or exc}).") from None
    return read_pack(data, path.name)


def _expand(data: bytes, source: str) -> bytes:
    if len(data) > MAX_PACK_BYTES:
        raise RulePackError(f"{source}: a rule pack is at most {MAX_PACK_BYTES // (1024 * 1024)} MiB.")
    if data[:2] != b"\x1f\x8b":
        raise RulePackError(f"{source}: this is not a rule pack (not gzip data); rule packs end in .wbrules.")
    out = bytearray()
    decompressor = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        chunk = decompressor.decompress(data, MAX_EXPANDED_BYTES + 1 - len(out))
        out += chunk
        if len(out) > MAX_EXPANDED_BYTES or decompressor.unconsumed_tail:
            raise RulePackError(
                f"{source}: the pack expands to more than {MAX_EXPANDED_BYTES // (1024 * 1024)} MiB; refused."
            )
        if not decompressor.eof:
            raise RulePackError(f"{source}: the pack is truncated (the gzip data ends early); get the file again.")
    except zlib.error:
        raise RulePackError(f"{source}: the pack's compressed data is damaged; get the file again.") from None
    if decompressor.unused_data.strip(b"\x00"):
        raise RulePackError(f"{source}: the pack has data after its end; get the file again.")
    return bytes(out)


def _need(raw: Any, key: str, kind: type, where: str, source: str) -> Any:
    if not isinstance(raw, dict) or key not in raw:
        raise RulePackError(f"{source}: {where}.{key} is missing; this is not a complete rule pack.")
    value = raw[key]
    if not isinstance(value, kind) or (kind is int and isinstance(value, bool)):
        raise RulePackError(f"{source}: {where}.{key} must be {kind.__name__}; the pack is damaged.")
    return value


def _manifest(raw: Any, source: str) -> Manifest:
    if not isinstance(raw, dict):
        raise RulePackError(f"{source}: $.manifest must be an object; the pack is damaged.")
    extra = set(raw) - _MANIFEST_KEYS
    if extra:
        raise RulePackError(f"{source}: $.manifest has unknown keys ({', '.join(sorted(extra))}); the pack is damaged.")
    parts_raw = _need(raw, "parts", dict, "$.manifest", source)
    parts: dict[str, PartInfo] = {}
    for name, info in parts_raw.items():
        where = f"$.manifest.parts[{name!r}]"
        sha = _need(info, "sha256", str, where, source)
        size = _need(info, "size", int, where, source)
        part_source = _need(info, "source", str, where, source)
        parts[name] = PartInfo(sha256=sha, size=size, source=part_source)
    for key in ("created_at", "ecfr_issue_date"):
        value = _need(raw, key, str, "$.manifest", source)
        try:
            (datetime if key == "created_at" else date).fromisoformat(value)
        except ValueError:
            raise RulePackError(
                f"{source}: $.manifest.{key} '{value[:40]}' is not an ISO date; the pack is damaged."
            ) from None
    return Manifest(
        pack_version=_need(raw, "pack_version", int, "$.manifest", source),
        created_at=raw["created_at"],
        publisher=_need(raw, "publisher", str, "$.manifest", source),
        ecfr_issue_date=raw["ecfr_issue_date"],
        rulebook_version=_need(raw, "rulebook_version", str, "$.manifest", source),
        rulebook_research_date=_need(raw, "rulebook_research_date", str, "$.manifest", source)[:40],
        note=raw.get("note", "") if isinstance(raw.get("note", ""), str) else "",
        parts=parts,
    )


def read_pack(data: bytes, source: str = "the rule pack") -> RulePack:
    """Parse and check a pack's structure, signature and part hashes (not whether the key is trusted)."""
    text = _expand(data, source)
    try:
        raw = json.loads(text.decode("utf-8"))
    except UnicodeDecodeError:
        raise RulePackError(f"{source}: the pack is not UTF-8 text inside; get the file again.") from None
    except (ValueError, RecursionError):
        raise RulePackError(f"{source}: the pack is not valid JSON inside; get the file again.") from None
    if not isinstance(raw, dict) or raw.get("format") != PACK_FORMAT:
        raise RulePackError(f"{source}: this is not a {PACK_FORMAT} file.")
    extra = set(raw) - {"format", "manifest", "parts", "signature"}
    if extra:
        raise RulePackError(f"{source}: the pack has unknown sections ({', '.join(sorted(extra))}); refused.")
    if "signature" not in raw:
        raise RulePackError(f"{source}: the pack is not signed; only signed rule packs can be imported.")
    manifest = _manifest(raw.get("manifest"), source)
    signature = raw["signature"]
    algorithm = _need(signature, "algorithm", str, "$.signature", source)
    if algorithm != "Ed25519":
        raise RulePackError(
            f"{source}: the pack is signed with {algorithm[:20]}; only Ed25519 signatures are accepted."
        )
    try:
        public = public_key_from_raw(
            base64.b64decode(_need(signature, "public_key", str, "$.signature", source), validate=True)
        )
        value = base64.b64decode(_need(signature, "value", str, "$.signature", source), validate=True)
    except (ValueError, WorkbenchError):
        raise RulePackError(f"{source}: the pack's signature block is damaged; get the file again.") from None
    try:
        public.verify(value, canonical_manifest(manifest))
    except InvalidSignature:
        raise RulePackError(
            f"{source}: the signature does not match the manifest: the pack was changed after it was signed; refused."
        ) from None
    parts_raw = raw.get("parts")
    if not isinstance(parts_raw, dict):
        raise RulePackError(f"{source}: $.parts must be an object; the pack is damaged.")
    if set(parts_raw) != set(manifest.parts):
        missing = sorted(set(manifest.parts) - set(parts_raw))
        added = sorted(set(parts_raw) - set(manifest.parts))
        what = f"missing {', '.join(missing)}" if missing else f"not in the manifest: {', '.join(added)}"
        raise RulePackError(f"{source}: the pack's parts do not match its manifest ({what}); refused.")
    parts: dict[str, bytes] = {}
    for name, content in parts_raw.items():
        if not isinstance(content, str):
            raise RulePackError(f"{source}: part {name} is not text; the pack is damaged.")
        data_bytes = content.encode("utf-8")
        info = manifest.parts[name]
        if len(data_bytes) != info.size or sha256_hex(data_bytes) != info.sha256:
            raise RulePackError(
                f"{source}: part {name} does not match the SHA-256 its signed manifest names: it was changed; refused."
            )
        parts[name] = data_bytes
    return RulePack(manifest=manifest, parts=parts, public_key=public, signature=value)
