"""Backups, restores and retention-guarded deletion.

A backup is one zip: ``workbench.sqlite3`` (an online copy), the document store
under ``documents/`` and ``manifest.json`` with the SHA-256 of every file.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from workbench import __version__
from workbench.config import data_dir
from workbench.domain.audit import Change
from workbench.domain.case import CaseStatus
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.export.atomic import atomic_writer
from workbench.export.casefile import case_to_json
from workbench.services.bootstrap import Workbench
from workbench.store.backup import BackupError, copy_live_database, integrity_problems, sqlite_path

MANIFEST = "manifest.json"
DB_NAME = "workbench.sqlite3"
RETENTION_YEARS = 5


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


def backup(wb: Workbench, out: Path) -> BackupResult:
    """Write a consistent backup zip atomically and record it in the audit log."""
    engine = wb.database.engine
    with tempfile.TemporaryDirectory() as tmp:
        db_copy = Path(tmp) / DB_NAME
        copy_live_database(engine, db_copy)
        files: dict[str, Path] = {DB_NAME: db_copy}
        docs = documents_dir()
        if docs.is_dir():
            for path in sorted(docs.rglob("*")):
                if path.is_file() and not path.name.startswith("."):
                    files[f"documents/{path.relative_to(docs).as_posix()}"] = path
        manifest = {
            "format": "workbench-backup/1",
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "workbench_version": __version__,
            "files": {name: _sha256(path) for name, path in files.items()},
        }
        with atomic_writer(out) as handle, zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, path in files.items():
                archive.write(path, name)
            archive.writestr(MANIFEST, json.dumps(manifest, indent=2))
    with wb.uow() as uow:
        uow.audit.record("database", "backup", "backup", [Change("file", None, str(out))])
        uow.commit()
    return BackupResult(out, len(files), out.stat().st_size)


def last_backup_at(wb: Workbench) -> datetime | None:
    with wb.uow() as uow:
        entries = uow.audit.history("database", "backup")
    return datetime.fromisoformat(entries[-1].at) if entries else None


def backup_due(wb: Workbench, max_age_days: int, now: datetime | None = None) -> bool:
    last = last_backup_at(wb)
    now = now or datetime.now(UTC)
    return last is None or now - last > timedelta(days=max_age_days)


def verify_backup(path: Path, workdir: Path) -> dict[str, str]:
    """Extract the backup into ``workdir`` and check every hash and the database's integrity."""
    try:
        archive = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        raise BackupError(
            f"{path}: is not a workbench backup ({exc}); choose the .zip a workbench backup wrote.",
            cli_hint="backups are written by 'backup --out FILE.zip'",
        ) from None
    with archive:
        try:
            manifest = json.loads(archive.read(MANIFEST))
        except KeyError:
            raise BackupError(f"{path}: has no {MANIFEST}; it is not a workbench backup.") from None
        files: dict[str, str] = manifest.get("files", {})
        if DB_NAME not in files:
            raise BackupError(f"{path}: holds no database; it is not a workbench backup.")
        for name, expected in files.items():
            if name.startswith("/") or ".." in name.split("/"):
                raise BackupError(f"{path}: refuses the unsafe member name {name!r}.")
            target = workdir / name
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                with archive.open(name) as src, target.open("wb") as dst:
                    shutil.copyfileobj(src, dst)
            except KeyError:
                raise BackupError(f"{path}: the manifest lists {name} but the file is missing.") from None
            if _sha256(target) != expected:
                raise BackupError(f"{path}: {name} does not match its SHA-256 in the manifest; the backup is damaged.")
    problems = integrity_problems(workdir / DB_NAME)
    if problems:
        raise BackupError(f"{path}: the database in the backup fails its integrity check ({problems[0]}).")
    return files


def restore(backup_file: Path, db_file: Path, *, force: bool = False) -> int:
    """Restore a verified backup over ``db_file`` and the document store; return the file count."""
    if db_file.exists() and not force:
        raise BackupError(
            f"{db_file} exists; restoring would replace it. Make a backup of it first, then restore over it "
            "only if you mean to overwrite it.",
            cli_hint="add --force to overwrite it",
        )
    with tempfile.TemporaryDirectory(dir=db_file.parent if db_file.parent.is_dir() else None) as tmp:
        work = Path(tmp)
        files = verify_backup(backup_file, work)
        db_file.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("-wal", "-shm"):
            Path(str(db_file) + suffix).unlink(missing_ok=True)
        os.replace(work / DB_NAME, db_file)
        docs_src = work / "documents"
        if docs_src.is_dir():
            docs = documents_dir()
            for source in docs_src.rglob("*"):
                if source.is_file():
                    target = docs / source.relative_to(docs_src)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    os.replace(source, target)
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
