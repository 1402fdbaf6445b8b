"""Consistent copies of a live SQLite database (the SQLite online backup API)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from workbench.domain.errors import WorkbenchError


class BackupError(WorkbenchError):
    """A backup or restore cannot be made; nothing was changed."""


def sqlite_path(engine: Engine) -> Path:
    """The file behind a SQLite engine; PostgreSQL is backed up with its own tools."""
    if engine.dialect.name != "sqlite" or not engine.url.database or engine.url.database == ":memory:":
        raise BackupError(
            "Backups from the workbench cover a SQLite database file; for PostgreSQL use the server's "
            "own tools (pg_dump / pg_basebackup) and copy the document store alongside."
        )
    return Path(engine.url.database)


def copy_live_database(engine: Engine, target: Path) -> None:
    """Copy the database page by page while others may keep writing (WAL included)."""
    source = sqlite3.connect(str(sqlite_path(engine)))
    try:
        dest = sqlite3.connect(str(target))
        try:
            source.backup(dest)
            dest.execute("PRAGMA journal_mode=DELETE")
        finally:
            dest.close()
    finally:
        source.close()


def integrity_problems(path: Path) -> list[str]:
    """``PRAGMA integrity_check`` on a database file; an empty list means it is sound."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            rows = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        return [str(exc)]
    return [] if rows == ["ok"] else rows
