"""The case list's search index: substring search that does not scan every case.

Search as you type matches any part of reference, title, party names and destination.
A ``LIKE '%word%'`` scan reads every row; on 100,000 cases that is a visible pause. So:

* SQLite: an FTS5 table with the trigram tokenizer over ``cases.search_text``
  (external content, kept in step by triggers); words of three or more characters
  are looked up in it, shorter ones fall back to ``LIKE``.
* PostgreSQL: a ``pg_trgm`` GIN index on ``cases.search_text``, which the planner uses
  for ``LIKE '%word%'`` directly. Creating the extension needs the right to; without
  it the index is skipped (searching still works, by scanning) and a warning logged.

Neither object is in the ORM metadata, so schema comparisons skip them via ``include_object``.
"""

from __future__ import annotations

import logging
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, bindparam, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import InstrumentedAttribute
from sqlalchemy.sql.elements import ColumnElement

from workbench.store.register_search import PARTY_FTS_TABLE, PARTY_NAME_SEARCH_INDEX, PARTY_PG_INDEX

logger = logging.getLogger(__name__)

FTS_TABLE = "cases_fts"
PG_INDEX = "ix_cases_search_text_trgm"
MIN_TRIGRAM_WORD = 3

_SQLITE_CREATE = (
    f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5("
    "search_text, content='cases', content_rowid='id', tokenize='trigram')",
    f"CREATE TRIGGER {FTS_TABLE}_ai AFTER INSERT ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}(rowid, search_text) VALUES (new.id, new.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_ad AFTER DELETE ON cases BEGIN "
    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, search_text) VALUES ('delete', old.id, old.search_text); END",
    f"CREATE TRIGGER {FTS_TABLE}_au AFTER UPDATE OF search_text ON cases BEGIN "
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


def _sqlite_supports_trigram(conn: Connection) -> bool:
    try:
        conn.execute(text("CREATE VIRTUAL TABLE temp.wb_trigram_probe USING fts5(x, tokenize='trigram')"))
        conn.execute(text("DROP TABLE temp.wb_trigram_probe"))
    except DBAPIError:  # "no such module: fts5" or "no such tokenizer: trigram"
        return False
    return True


def create_search_index(conn: Connection) -> None:
    """Create (and fill) the index for this database; called by the migration."""
    if conn.dialect.name == "sqlite":
        if not _sqlite_supports_trigram(conn):
            logger.warning("this SQLite has no FTS5 trigram tokenizer; case search will scan every case")
            return
        for statement in _SQLITE_CREATE:
            conn.execute(text(statement))
    elif conn.dialect.name == "postgresql":
        savepoint = conn.begin_nested()
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_trgm"))
            conn.execute(text(f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON cases USING gin (search_text gin_trgm_ops)"))
        except DBAPIError as exc:  # no privilege to create the extension, or contrib not installed
            savepoint.rollback()
            logger.warning("no trigram index for case search (%s); search will scan every case", exc)
        else:
            savepoint.commit()


def drop_search_index(conn: Connection) -> None:
    if conn.dialect.name == "sqlite":
        for statement in _SQLITE_DROP:
            conn.execute(text(statement))
    elif conn.dialect.name == "postgresql":
        conn.execute(text(f"DROP INDEX IF EXISTS {PG_INDEX}"))


def uses_fts(conn: Connection) -> bool:
    """Whether this SQLite database has the FTS5 index (remembered per engine)."""
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


def fts_word_filter(id_column: ColumnElement[int] | InstrumentedAttribute[int], word: str) -> ColumnElement[bool]:
    """Rows whose search text contains ``word`` (three or more characters), through the FTS index."""
    phrase = '"' + word.replace('"', '""') + '"'
    return id_column.in_(
        # unique: several words in one query each get their own parameter
        text(f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH :phrase").bindparams(
            bindparam("phrase", phrase, unique=True)
        )
    )


def include_object(obj: object, name: str | None, type_: str, reflected: bool, compare_to: object) -> bool:
    """For schema comparisons: the search index objects are managed here, not by the ORM."""
    from workbench.store.product_search import is_product_search_object  # it imports this module

    if name is None:
        return True
    if is_product_search_object(name, type_):
        return False
    for table in (FTS_TABLE, PARTY_FTS_TABLE):
        if type_ == "table" and (name == table or name.startswith(f"{table}_")):
            return False
    return not (type_ == "index" and name in (PG_INDEX, PARTY_PG_INDEX, PARTY_NAME_SEARCH_INDEX))
