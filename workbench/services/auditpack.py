"""Audit packs: everything about one case in one zip, with a manifest of SHA-256 hashes.

Contents: ``case.json`` (the case file), ``determinations/rN.json`` (every stored snapshot),
``workbooks/`` (every signed workbook still on disk, checked against the hash recorded when it
was written), ``documents/`` (every attached file, verified), ``audit.json`` (the case's audit
entries), ``data-versions.json`` (list versions and rule data versions the determinations used)
and ``manifest.json`` (SHA-256 of every other file).
"""

from __future__ import annotations

import hashlib
import json
import zipfile
from dataclasses import asdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workbench import __version__
from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore
from workbench.documents.safezip import ZipLimits, check_archive, open_member, read_bytes
from workbench.domain.errors import InputFileError
from workbench.export.atomic import atomic_writer
from workbench.export.casefile import dumps_case
from workbench.services.bootstrap import Workbench

MANIFEST = "manifest.json"
FORMAT = "workbench-audit-pack/1"


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def build_pack(wb: Workbench, reference: str, out: Path) -> dict[str, Any]:
    """Write the audit pack atomically; return its manifest (which also lists what was missing)."""
    files: dict[str, bytes] = {}
    missing: list[str] = []
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        history = uow.determinations.history(reference)
        records = [uow.determinations.get(reference, h.revision) for h in history]
        workbooks = uow.determinations.workbooks(reference)
        entries = uow.audit.history("case", reference)
        versions = {v.id: v for v in uow.lists.versions()}
    files["case.json"] = dumps_case(case).encode("utf-8")
    for record in records:
        files[f"determinations/r{record.revision}.json"] = record.to_json().encode("utf-8")
    for book in workbooks:
        path = Path(book.path)
        data = path.read_bytes() if path.is_file() else None
        if data is None or _sha(data) != book.file_sha256:
            state = "missing" if data is None else "changed since it was signed"
            missing.append(f"workbook {path.name} (revision {book.revision}) is {state}")
            continue
        files[f"workbooks/r{book.revision}-{safe_display_name(path.name)}"] = data
    store = DocumentStore()
    for position, doc in enumerate(case.documents, 1):
        if not doc.sha256:
            continue
        try:
            files[f"documents/{position:02d}-{safe_display_name(doc.filename)}"] = store.read_verified(
                doc.sha256, doc.filename
            )
        except Exception as exc:  # the store explains missing or tampered files
            missing.append(f"document {position} ({doc.filename}): {exc}")
    files["audit.json"] = json.dumps([asdict(e) for e in entries], indent=2, ensure_ascii=False).encode("utf-8")
    used = {
        "list_versions": [
            {"id": v.id, "label": v.label, "sha256": v.sha256, "imported_at": v.imported_at.isoformat()}
            for v in versions.values()
            if any(r.list_version == v.label for r in records)
        ],
        "rule_data": sorted({json.dumps(r.data_versions, sort_keys=True) for r in records}),
    }
    files["data-versions.json"] = json.dumps(used, indent=2, ensure_ascii=False).encode("utf-8")
    manifest = {
        "format": FORMAT,
        "case": reference,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "created_by": wb.officer,
        "workbench_version": __version__,
        "files": {name: _sha(data) for name, data in sorted(files.items())},
        "missing": missing,
    }
    with atomic_writer(out) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in sorted(files.items()):
            archive.writestr(name, data)
        archive.writestr(MANIFEST, json.dumps(manifest, indent=2, ensure_ascii=False))
    return manifest


PACK_LIMITS = ZipLimits(max_entries=100_000, max_total_bytes=16 * 1024**3, max_member_bytes=4 * 1024**3)
MAX_MANIFEST_BYTES = 16 * 1024 * 1024


def _member_sha(archive: zipfile.ZipFile, name: str, path: Path) -> str:
    digest = hashlib.sha256()
    with open_member(archive, name, f"{path}: {name}", InputFileError) as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify_pack(path: Path) -> tuple[bool, str]:
    """Check every file of a pack against its manifest; ``(ok, message)``.

    The zip is checked within bounds first (entries, sizes, ratio, methods, names), and
    every member is hashed as it streams, so a hostile pack cannot exhaust memory.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile) as exc:
        raise InputFileError(f"{path}: is not an audit pack ({exc}).") from None
    with archive:
        members = check_archive(archive, path, PACK_LIMITS, InputFileError)
        if MANIFEST not in members:
            raise InputFileError(f"{path}: has no readable {MANIFEST}; it is not an audit pack.")
        raw = read_bytes(archive, MANIFEST, MAX_MANIFEST_BYTES, f"{path}: {MANIFEST}", InputFileError)
        try:
            manifest = json.loads(raw)
        except (ValueError, RecursionError):
            raise InputFileError(f"{path}: has no readable {MANIFEST}; it is not an audit pack.") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise InputFileError(f"{path}: is not a {FORMAT} file.")
        listed = manifest.get("files")
        if not isinstance(listed, dict) or not all(isinstance(v, str) for v in listed.values()):
            raise InputFileError(f"{path}: {MANIFEST} $.files must map file names to SHA-256 digests.")
        present = set(members) - {MANIFEST}
        for name in sorted(present - listed.keys()):
            return False, f"{path}: {name} is in the pack but not in the manifest (added after packing)"
        for name, expected in sorted(listed.items()):
            if name not in present:
                return False, f"{path}: {name[:200]} is listed in the manifest but missing"
            if _member_sha(archive, name, path) != expected:
                return False, f"{path}: {name} does not match its SHA-256 in the manifest (altered)"
    return True, f"{path}: intact audit pack for {manifest.get('case', 'a case')} ({len(listed)} files)"
