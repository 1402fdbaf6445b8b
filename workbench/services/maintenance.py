"""Backups, restores and retention-guarded deletion.

A backup is one zip: ``workbench.sqlite3`` (an online copy), the document store
under ``documents/`` and ``manifest.json`` with the SHA-256 of every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from workbench import __version__
from workbench.config import data_dir
from workbench.documents.safezip import ZipLimits, check_archive, open_member, read_bytes
from workbench.domain.audit import AuditEntry, Change
from workbench.domain.case import CaseStatus
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.export.atomic import atomic_writer
from workbench.export.casefile import case_to_json
from workbench.services.bootstrap import Workbench
from workbench.store.backup import (
    BackupError,
    audit_chain_problem,
    copy_live_database,
    integrity_problems,
    schema_problem,
    sqlite_path,
)

MANIFEST = "manifest.json"
BACKUP_FORMAT = "workbench-backup/1"
DB_NAME = "workbench.sqlite3"
RETENTION_YEARS = 5
MAX_MANIFEST_BYTES = 16 * 1024 * 1024
MAX_BACKUP_FILES = 200_000
MAX_BACKUP_BYTES = 64 * 1024 * 1024 * 1024
"""What a backup may expand to in total; it must also fit the free space where it is checked."""
MAX_DATABASE_BYTES = 32 * 1024 * 1024 * 1024
_DOCUMENT_MEMBER = re.compile(r"^documents/([0-9a-f]{2})/([0-9a-f]{62})$")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def documents_dir() -> Path:
    return data_dir() / "documents"


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int
    bytes: int
    skipped: tuple[str, ...] = ()
    """Files in the document folder left out: not stored documents, or damaged (``doc verify`` names them)."""


def backup(wb: Workbench, out: Path) -> BackupResult:
    """Write a consistent backup zip atomically and record it in the audit log."""
    engine = wb.database.engine
    with tempfile.TemporaryDirectory() as tmp:
        db_copy = Path(tmp) / DB_NAME
        copy_live_database(engine, db_copy)
        files: dict[str, Path] = {DB_NAME: db_copy}
        digests = {DB_NAME: _sha256(db_copy)}
        skipped: list[str] = []
        docs = documents_dir()
        if docs.is_dir():
            for path in sorted(docs.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    name = f"documents/{path.relative_to(docs).as_posix()}"
                    match = _DOCUMENT_MEMBER.match(name)
                    digest = _sha256(path)
                    if match is None or match.group(1) + match.group(2) != digest:
                        skipped.append(name)  # not a stored document, or damaged: a restore would refuse it
                        continue
                    files[name] = path
                    digests[name] = digest
        manifest = {
            "format": BACKUP_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "workbench_version": __version__,
            "files": digests,
        }
        with atomic_writer(out) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in files.items():
                archive.write(path, name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    with wb.uow() as uow:
        uow.audit.record("database", "backup", "backup", [Change("file", None, str(out))])
        uow.commit()
    return BackupResult(out, len(files), out.stat().st_size, tuple(skipped))


def last_backup_at(wb: Workbench) -> datetime | None:
    with wb.uow() as uow:
        entries = uow.audit.history("database", "backup")
    return datetime.fromisoformat(entries[-1].at) if entries else None


def backup_due(wb: Workbench, max_age_days: int, now: datetime | None = None) -> bool:
    last = last_backup_at(wb)
    now = now or datetime.now(UTC)
    return last is None or now - last > timedelta(days=max_age_days)


def _shown(name: str) -> str:
    return repr(name if len(name) <= 80 else name[:60] + "…")


def _parse_manifest(data: bytes, path: Path) -> dict[str, str]:
    """The manifest's ``files``: member name to SHA-256, each name the database or a stored document."""
    try:
        manifest = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise BackupError(f"{path}: {MANIFEST} is not UTF-8 text; the backup is damaged.") from None
    except (ValueError, RecursionError):
        raise BackupError(f"{path}: {MANIFEST} is not valid JSON; the backup is damaged.") from None
    if not isinstance(manifest, dict):
        raise BackupError(f"{path}: {MANIFEST} must be a JSON object, not {type(manifest).__name__}; it is damaged.")
    if manifest.get("format", BACKUP_FORMAT) != BACKUP_FORMAT:
        raise BackupError(f"{path}: {MANIFEST} is not a '{BACKUP_FORMAT}' manifest; it is not a workbench backup.")
    files = manifest.get("files")
    if not isinstance(files, dict):
        raise BackupError(f"{path}: {MANIFEST} $.files must be an object of file names and SHA-256 digests.")
    for name, digest in files.items():
        if name != DB_NAME and not _DOCUMENT_MEMBER.match(name):
            raise BackupError(
                f"{path}: {MANIFEST} names {_shown(name)}, which is neither the database nor a stored document "
                "(documents/ab/cdef…); the backup is refused."
            )
        if not isinstance(digest, str) or not _SHA256.match(digest):
            raise BackupError(f"{path}: {MANIFEST} gives {_shown(name)} no SHA-256 digest; the backup is damaged.")
        match = _DOCUMENT_MEMBER.match(name)
        if match and match.group(1) + match.group(2) != digest:
            raise BackupError(
                f"{path}: {_shown(name)} is listed with the SHA-256 of another document; the backup was altered."
            )
    if DB_NAME not in files:
        raise BackupError(f"{path}: holds no database; it is not a workbench backup.")
    return files


def _limits(workdir: Path) -> ZipLimits:
    free = shutil.disk_usage(workdir).free
    return ZipLimits(
        max_entries=MAX_BACKUP_FILES,
        max_total_bytes=min(MAX_BACKUP_BYTES, free),
        max_member_bytes=MAX_DATABASE_BYTES,
    )


def _extract(archive: zipfile.ZipFile, path: Path, name: str, expected: str, target: Path) -> None:
    """Copy one member out while hashing it; it must hash to the manifest's digest (and, for a document, its name)."""
    digest = hashlib.sha256()
    target.parent.mkdir(parents=True, exist_ok=True)
    with open_member(archive, name, f"{path}: {name}", BackupError) as src, target.open("wb") as dst:
        for block in iter(lambda: src.read(1 << 20), b""):
            digest.update(block)
            dst.write(block)
    if digest.hexdigest() != expected:
        what = "the document its name says" if name != DB_NAME else "the file its manifest describes"
        raise BackupError(f"{path}: {name} does not match its SHA-256 in the manifest (it is not {what}); "
                          "the backup is damaged.")  # fmt: skip


def verify_backup(path: Path, workdir: Path) -> dict[str, str]:
    """Extract the backup into ``workdir`` and check everything before it may replace anything.

    The zip within bounds (files, sizes, ratio, methods, names), the manifest's shape, every
    file against its SHA-256 (documents also against the name the store files them under),
    then the database: its integrity, its schema against the workbench's migrations (no
    added triggers, views, tables or indexes) and its audit chain.
    """
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile) as exc:
        raise BackupError(
            f"{path}: is not a workbench backup ({exc}); choose the .zip a workbench backup wrote.",
            cli_hint="backups are written by 'backup --out FILE.zip'",
        ) from None
    with archive:
        members = check_archive(archive, path, _limits(workdir), BackupError)
        if MANIFEST not in members:
            raise BackupError(f"{path}: has no {MANIFEST}; it is not a workbench backup.")
        raw = read_bytes(archive, MANIFEST, MAX_MANIFEST_BYTES, f"{path}: {MANIFEST}", BackupError)
        files = _parse_manifest(raw, path)
        unlisted = sorted(set(members) - set(files) - {MANIFEST})
        if unlisted:
            raise BackupError(f"{path}: holds {_shown(unlisted[0])}, which its manifest does not list; it is refused.")
        for name, expected in files.items():
            if name not in members:
                raise BackupError(f"{path}: the manifest lists {name} but the file is missing.")
            _extract(archive, path, name, expected, workdir / name)
    database = workdir / DB_NAME
    problems = integrity_problems(database)
    if problems:
        raise BackupError(f"{path}: the database in the backup fails its integrity check ({problems[0][:200]}).")
    problem = schema_problem(database)
    if problem:
        raise BackupError(f"{path}: the database in the backup is refused: {problem}.")
    problem = audit_chain_problem(database)
    if problem:
        raise BackupError(
            f"{path}: the database in the backup has a broken audit chain ({problem}); it is refused, "
            "restore an older backup."
        )
    return files


def restore(backup_file: Path, db_file: Path, *, force: bool = False) -> int:
    """Restore a verified backup over ``db_file`` and the document store; return the file count.

    Nothing is replaced until every check of ``verify_backup`` has passed; the documents go
    first (content-addressed, so extra ones are harmless), the database last.
    """
    if db_file.exists() and not force:
        raise BackupError(
            f"{db_file} exists; restoring would replace it. Make a backup of it first, then restore over it "
            "only if you mean to overwrite it.",
            cli_hint="add --force to overwrite it",
        )
    with tempfile.TemporaryDirectory(dir=db_file.parent if db_file.parent.is_dir() else None) as tmp:
        work = Path(tmp)
        files = verify_backup(backup_file, work)
        docs_src = work / "documents"
        if docs_src.is_dir():
            docs = documents_dir()
            for source in docs_src.rglob("*"):
                if source.is_file():
                    target = docs / source.relative_to(docs_src)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, target)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        os.replace(work / DB_NAME, db_file)
    return len(files)


def database_file(wb: Workbench) -> Path:
    return sqlite_path(wb.database.engine)


def retention_until(wb: Workbench, reference: str) -> date | None:
    """Five years after the case was last determined or closed (None if it never was)."""
    with wb.uow() as uow:
        history = uow.audit.history("case", reference)
    last = None
    final = (CaseStatus.DETERMINED.value, CaseStatus.CLOSED.value)
    for entry in history:
        status_set = entry.field == "status" and entry.after in final
        created_final = entry.action == "create" and isinstance(entry.after, dict) and entry.after["status"] in final
        if status_set or created_final:
            last = datetime.fromisoformat(entry.at).date()
    if last is None:
        return None
    try:
        return last.replace(year=last.year + RETENTION_YEARS)
    except ValueError:  # 29 February
        return last.replace(year=last.year + RETENTION_YEARS, day=28)


class RetentionError(WorkbenchError):
    """A record still under the part 762 retention period."""


def delete_case(wb: Workbench, reference: str, *, reason: str = "", today: date | None = None) -> None:
    """Delete a case; within the retention period only with a written reason, which is logged."""
    today = today or datetime.now(UTC).date()
    keep_until = retention_until(wb, reference)
    reason = reason.strip()
    if keep_until and today < keep_until:
        if not reason:
            raise RetentionError(
                f"Case {reference} must be kept until {keep_until} (15 CFR 762.6: five years after its last "
                "determination or closing); give a reason to delete it anyway, and the reason will be logged."
            )
        reason = require_reason(reason)
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        uow.cases.delete(reference)
        uow.audit.record("case", reference, "delete", [Change("", case_to_json(case), None)], reason=reason)
        uow.commit()


def require_reason(reason: str) -> str:
    if len(reason.strip()) < 10:
        raise ValidationError("reason", "write a reason of at least 10 characters, so an auditor can follow it")
    return reason.strip()


def upgrade_report(wb: Workbench, revision: str = "0013") -> list[AuditEntry]:
    """What a schema upgrade did to the data (the merges of case parties into the register), as audited."""
    with wb.uow() as uow:
        return uow.audit.history("upgrade", revision)
