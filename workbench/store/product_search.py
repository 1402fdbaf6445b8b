"""The product library's search index, the same way the case list searches (see ``store.search``).

Search as you type matches any part of part number, description, manufacturer, model and
ECCN. SQLite: an FTS5 trigram table over ``products.search_text`` kept in step by triggers
(words shorter than three characters fall back to ``LIKE``); PostgreSQL: a ``pg_trgm`` GIN
index, which the planner uses for ``LIKE '%word%'``; without the extension, search scans.
"""

from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, bindparam, column, table, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.sql.elements import TextClause

from workbench.store.search import _sqlite_supports_trigram as sqlite_supports_trigram

logger = logging.getLogger(__name__)

FTS_TABLE = "products_fts"
PG_INDEX = "ix_products_search_text_trgm"

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='products', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON products BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON products BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON products BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')",
)
_SQLITE_DROP = (
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ai",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_ad",
    f"DROP TRIGGER IF EXISTS {FTS_TABLE}_au",
    f"DROP TABLE IF EXISTS {FTS_TABLE}",
)

_has_fts: WeakKeyDictionary[Engine, bool] = WeakKeyDictionary()


def create_product_search_index(conn: Connection) -> None:
    """Create (and fill) the index; called by the migration that adds the products table."""
    if conn.dialect.name == "sqlite":
        if not sqlite_supports_trigram(conn):
            logger.warning("this SQLite has no FTS5 trigram tokenizer; product search will scan every product")
            return
        for statement in _SQLITE_CREATE:
            conn.execute(text(statement))
    elif conn.dialect.name == "postgresql":
        savepoint = conn.begin_nested()
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(
                text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON products USING gin (search_text gin_trgm_ops)")
            )
        except DBAPIError as exc:  # no privilege to create the extension, or contrib not installed
            savepoint.rollback()
            logger.warning("no trigram index for product search (%s); search will scan every product", exc)
        else:
            savepoint.commit()


def drop_product_search_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            conn.execute(text(statement))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))


def uses_product_fts(conn: Connection) -> bool:
    """Whether this SQLite database has the products FTS5 index (remembered per engine)."""
    if conn.dialect.name != "sqlite":
        return False
    engine = conn.engine
    known = _has_fts.get(engine)
    if known is None:
        found = conn.execute(
            text("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = :name"), {"name": FTS_TABLE}
        ).first()
        known = _has_fts[engine] = found is not None
    return known


FTS = table(FTS_TABLE, column("rowid"))
"""The FTS5 table as a selectable, joined on ``rowid = products.id``."""


def fts_match(words: list[str]) -> TextClause:
    """FTS rows containing every word (each three or more characters), as one MATCH expression."""
    expression = " AND ".join('"' + word.replace('"', '""') + '"' for word in words)
    return text(f"{FTS_TABLE} MATCH :phrase").bindparams(bindparam("phrase", expression, unique=True))


def is_product_search_object(name: str, type_: str) -> bool:
    """For schema comparisons: these objects are managed here, not by the ORM."""
    if type_ == "table" and (name == FTS_TABLE or name.startswith(f"{FTS_TABLE}_")):
        return True
    return type_ == "index" and name == PG_INDEX
