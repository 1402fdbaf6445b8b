"""Case search through the index agrees with a plain substring scan, through adds, edits and deletes."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import replace

import psycopg
import pytest
from sqlalchemy import make_url, text

from tests.helpers.pgserver import PgServer
from workbench.services.cases import demo_cases
from workbench.store import Database, open_database
from workbench.store.search import FTS_TABLE, PG_INDEX, uses_fts

WORDS = (
    "malaysia",
    "kuala lumpur",
    "EC-2026",
    "2026-004",
    "phnom",
    "hua",
    "ab",
    'o"brien',
    "50%",
    "a_b",
    "Ünïcode",
    "ооо",
    "gmbh systems",
    "zzz-nothing",
    "huawei technologies",
)


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _scan(db: Database, words: str) -> set[str]:
    """What a substring search must return: every case whose search text holds every word."""
    with db.engine.connect() as conn:
        rows = conn.execute(text("SELECT reference, search_text FROM cases")).all()
    return {ref for ref, haystack in rows if all(w in haystack for w in words.casefold().split())}


def _found(db: Database, words: str) -> set[str]:
    with db.uow("tester") as uow:
        found = {s.reference for s in uow.cases.summaries(words, limit=500)}
        assert uow.cases.count(words) == len(found)
    return found


def _fill(db: Database) -> None:
    cases = demo_cases()
    with db.uow("tester") as uow:
        for case in cases:
            uow.cases.add(case)
        for n, name in enumerate(['O"Brien Trading', "50% Holdings", "A_B Ltd", "Ünïcode GmbH Systems", "ООО Ромашка"]):
            base = cases[n % len(cases)]
            party = replace(base.parties[0], name=name)
            uow.cases.add(replace(base, reference=f"S-{n}", title=f"Search {n}", parties=(party,)))
        uow.commit()


def test_index_exists_for_the_dialect(db: Database) -> None:
    with db.engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            assert uses_fts(conn)
            assert conn.execute(text(f"SELECT count(*) FROM {FTS_TABLE}")).scalar_one() == 0
        else:
            names = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'cases'")).scalars().all()
            assert PG_INDEX in names


def test_search_agrees_with_a_substring_scan_through_edits_and_deletes(db: Database) -> None:
    _fill(db)
    for words in WORDS:
        assert _found(db, words) == _scan(db, words), words
    with db.uow("tester") as uow:
        case = uow.cases.get("EC-2026-0044")
        uow.cases.save(replace(case, title="Renamed to Zanzibar shipment", parties=case.parties[:1]))
        uow.cases.delete("S-1")
        uow.commit()
    assert _found(db, "zanzibar") == {"EC-2026-0044"}
    assert _found(db, "50%") == set()
    for words in WORDS:
        assert _found(db, words) == _scan(db, words), words


def test_failed_write_leaves_the_index_in_step(db: Database) -> None:
    _fill(db)
    with db.uow("tester") as uow:
        case = uow.cases.get("EC-2026-0044")
        uow.cases.save(replace(case, title="Never committed Kilimanjaro"))
        # leaving without commit rolls the case and the index back together
    assert _found(db, "kilimanjaro") == set()
    assert _found(db, "malaysia") == _scan(db, "malaysia")
    if db.engine.dialect.name == "sqlite":
        with db.engine.connect() as conn:
            conn.execute(text(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rank) VALUES ('integrity-check', 1)"))


@pytest.mark.postgres
def test_postgresql_role_without_extension_rights_still_migrates_and_searches(
    pg_server: PgServer, caplog: pytest.LogCaptureFixture
) -> None:
    role = f"wb_limited_{uuid.uuid4().hex[:8]}"
    with pg_server.database() as url:
        parsed = make_url(url)
        dbname = parsed.database
        with psycopg.connect(
            host=str(pg_server.root), port=pg_server.port, user=pg_server.user, dbname=dbname, autocommit=True
        ) as admin:
            admin.execute(f"CREATE ROLE {role} LOGIN")
            admin.execute(f"GRANT USAGE, CREATE ON SCHEMA public TO {role}")  # tables yes, extensions no
        db = open_database(parsed.set(username=role).render_as_string(hide_password=False))
        try:
            _fill(db)
            with db.engine.connect() as conn:
                names = conn.execute(text("SELECT indexname FROM pg_indexes WHERE tablename = 'cases'")).scalars().all()
            assert PG_INDEX not in names
            assert "no trigram index for case search" in caplog.text
            assert _found(db, "malaysia") == _scan(db, "malaysia") != set()
        finally:
            db.dispose()
    with psycopg.connect(
        host=str(pg_server.root), port=pg_server.port, user=pg_server.user, dbname="postgres", autocommit=True
    ) as admin:
        admin.execute(f"DROP ROLE {role}")


def test_search_index_survives_the_migrations_after_it(db: Database) -> None:
    """Later migrations that alter the cases table (0016 adds the part 744 end uses) keep its index triggers."""
    _fill(db)
    assert _found(db, "malaysia") == _scan(db, "malaysia") != set()
