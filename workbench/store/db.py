"""Opening a database: engine, connection settings, schema migrations."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from workbench.domain.errors import WorkbenchError
from workbench.store.uow import SqlUnitOfWork

logger = logging.getLogger(__name__)

MIGRATIONS = str(Path(__file__).resolve().parent / "migrations")


class DatabaseOpenError(WorkbenchError):
    """The database cannot be opened or upgraded."""


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def create_database_engine(url: str) -> Engine:
    """Create an engine; for SQLite, make the folder and turn on WAL and foreign keys."""
    try:
        parsed = make_url(url)
    except ArgumentError as exc:
        raise DatabaseOpenError(
            f"'{url}' is not a database URL; use e.g. sqlite:///path/to/file.sqlite3 "
            "or postgresql+psycopg://user@host/dbname"
        ) from exc
    if parsed.drivername == "postgresql":
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, connect_args={"timeout": 5})
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    config.attributes["engine"] = engine
    return config


MIGRATION_LOCK = threading.Lock()


def upgrade_schema(engine: Engine) -> None:
    """Bring the schema to the newest migration (creating it on an empty database).

    Alembic's context is process-global, so migrations in one process run one at a time.
    """
    with MIGRATION_LOCK:
        command.upgrade(alembic_config(engine), "head")


def schema_revision(engine: Engine) -> str | None:
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory(MIGRATIONS).get_current_head()


@dataclass
class Database:
    url: str
    engine: Engine
    session_factory: sessionmaker[Session]

    def uow(self, officer: str) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.session_factory, officer)

    @property
    def display_url(self) -> str:
        """The URL with any password hidden, for status bars and logs."""
        return make_url(self.url).render_as_string(hide_password=True)

    @property
    def backend(self) -> str:
        return self.engine.dialect.name

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str, *, migrate: bool = True) -> Database:
    """Open (and by default migrate) the database at ``url``."""
    engine = create_database_engine(url)
    try:
        if migrate:
            upgrade_schema(engine)
    except (OperationalError, DatabaseError) as exc:
        engine.dispose()
        reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
        raise DatabaseOpenError(
            f"Cannot open the database {make_url(url).render_as_string(hide_password=True)}: {reason}. "
            "Check the path or server, or restore the database from a backup."
        ) from exc
    factory = sessionmaker(engine, expire_on_commit=False)
    return Database(url=url, engine=engine, session_factory=factory)
