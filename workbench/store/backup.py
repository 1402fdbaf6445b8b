"""Consistent copies of a live SQLite database (the SQLite online backup API), and the checks before a restore."""

from __future__ import annotations

import functools
import sqlite3
import tempfile
from pathlib import Path

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine
from sqlalchemy.orm import Session

from workbench.domain.errors import WorkbenchError
from workbench.store.audit import SqlAuditLog
from workbench.store.db import MIGRATION_LOCK, MIGRATIONS, alembic_config, create_database_engine, upgrade_schema


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


# --- checking a database before it is restored --------------------------------------------------

_INTERNAL = ("sqlite_stat",)
"""SQLite's own statistics tables (ANALYZE); they hold no code and need not match."""


_CONSTRAINT = ("CONSTRAINT ", "PRIMARY KEY", "UNIQUE", "FOREIGN KEY", "CHECK")
"""How a table-constraint clause starts (named or not)."""


def _schema_objects(path: Path) -> dict[tuple[str, str], str]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT type, name, sql FROM sqlite_master").fetchall()
    finally:
        conn.close()
    return {
        (str(t), str(n)): _canonical(" ".join(str(s or "").split()))
        for t, n, s in rows
        if not str(n).startswith(_INTERNAL)
    }


def _top_level_parts(body: str) -> list[str]:
    """``body`` split at the commas that are not inside parentheses or quotes."""
    parts, depth, quote, start = [], 0, "", 0
    for at, char in enumerate(body):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"`[":
            quote = "]" if char == "[" else char
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "," and depth == 0:
            parts.append(body[start:at].strip())
            start = at + 1
    parts.append(body[start:].strip())
    return parts


def _canonical(sql: str) -> str:
    """A table's SQL with its table constraints in a fixed order.

    Alembic's batch mode (how SQLite alters a table) rebuilds the table and may list its named
    constraints in another order from one process to the next; the columns, their order and
    every constraint must still agree exactly.
    """
    if not sql.upper().startswith("CREATE TABLE") or "(" not in sql or not sql.endswith(")"):
        return sql
    head, _, rest = sql.partition("(")
    parts = _top_level_parts(rest[:-1])
    columns = [p for p in parts if not p.upper().startswith(_CONSTRAINT)]
    constraints = sorted(p for p in parts if p.upper().startswith(_CONSTRAINT))
    return f"{head}({', '.join(columns + constraints)})"


def stored_revision(path: Path) -> str | None:
    """The migration a database file was last upgraded to (None when it has no Alembic version)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    except sqlite3.DatabaseError:
        return None
    finally:
        conn.close()
    return str(row[0]) if row else None


@functools.lru_cache(maxsize=8)
def _expected_objects(revision: str) -> dict[tuple[str, str], str]:
    """What the migrations up to ``revision`` create on an empty database (built once per process)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.sqlite3"
        engine = create_engine(f"sqlite:///{fresh}")
        try:
            with MIGRATION_LOCK:
                command.upgrade(alembic_config(engine), revision)
        finally:
            engine.dispose()
        return _schema_objects(fresh)


def schema_problem(path: Path) -> str | None:
    """Why the schema of a database file is not exactly what the workbench's migrations create (None if it is).

    Compares every table, index, view and trigger in ``sqlite_master`` (names and SQL) with a
    fresh database migrated to the same revision, so an added trigger or a rewritten one is
    found before the file can replace the live database.
    """
    revision = stored_revision(path)
    if revision is None:
        return "it has no schema revision, so it is not a workbench database"
    known = {script.revision for script in ScriptDirectory(MIGRATIONS).walk_revisions()}
    if revision not in known:
        return f"it was written by a newer workbench (schema revision {revision[:40]}); upgrade the workbench first"
    expected = _expected_objects(revision)
    found = _schema_objects(path)
    extra = sorted(key for key in found if key not in expected)
    if extra:
        names = ", ".join(f"{kind} {name[:60]}" for kind, name in extra[:3])
        return f"it holds objects the workbench's migrations do not create ({names})"
    changed = sorted(key for key in expected if found.get(key) != expected[key])
    if changed:
        names = ", ".join(f"{kind} {name[:60]}" for kind, name in changed[:3])
        return f"its schema differs from the one the workbench's migrations create ({names})"
    return None


def audit_chain_problem(path: Path) -> str | None:
    """Upgrade a database copy to the newest schema and walk its audit chain; why it is broken, or None."""
    engine = create_database_engine(f"sqlite:///{path}")
    try:
        upgrade_schema(engine)
        with Session(engine) as session:
            report = SqlAuditLog(session, "restore check").verify()
    finally:
        engine.dispose()
    return None if report.ok else report.problem
