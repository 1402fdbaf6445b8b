"""Repositories, unit of work and migrations on SQLite and on a real PostgreSQL server."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from workbench.domain.case import Case, CaseStatus, Item, Party, PartyRole
from workbench.domain.errors import ConflictError, DuplicateError, NotFoundError
from workbench.services.cases import demo_cases
from workbench.store import Database, open_database
from workbench.store.db import alembic_config, create_database_engine, head_revision, schema_revision
from workbench.store.orm import Base, CaseRow, PartyRow
from workbench.store.search import include_object

SCHEMA_OPTS = {"compare_type": True, "include_object": include_object}


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _case(reference: str = "EC-T-1", **overrides: object) -> Case:
    fields: dict[str, object] = {
        "reference": reference,
        "title": "Test case",
        "transaction_date": date(2026, 3, 1),
        "export_from": "US",
        "destination": "DE",
        "parties": (Party(PartyRole.END_USER, "Beispiel GmbH", "DE"),),
        "items": (Item("GPU", eccn="3A090.a", quantity=2, unit_value=10),),
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


def test_migrations_create_the_schema_the_models_describe(db: Database) -> None:
    assert schema_revision(db.engine) == head_revision()
    with db.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts=SCHEMA_OPTS),
            Base.metadata,
        )
    assert diff == []
    assert {"cases", "parties", "items", "red_flag_answers", "case_documents"} <= set(
        inspect(db.engine).get_table_names()
    )


def test_upgrade_keeps_items_stored_before_ics_per_unit(db_url: str) -> None:
    engine = create_database_engine(db_url)
    command.upgrade(alembic_config(engine), "0006")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (reference, title, status, transaction_date, transaction_type, export_from,"
                " destination, end_use_description, end_use_ai_model_training, end_use_military, end_use_wmd,"
                " end_use_iaas, party_names, item_count, outcome, search_text, version, created_at, updated_at)"
                " VALUES ('EC-OLD-1', 'Stored by 0006', 'draft', '2026-01-02', 'export', 'US', 'DE', '', false,"
                " false, false, false, '', 1, NULL, 'ec-old-1', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO items (case_id, position, description, eccn, manufacturer, model, quantity, unit,"
                " unit_value, currency, tpp, performance_density, datacenter, prc_advanced_ic)"
                " SELECT id, 0, 'GPU', '3A090.a', '', '', '2', 'ea', '10', 'USD', 4800.0, 6.0, false, false"
                " FROM cases WHERE reference = 'EC-OLD-1'"
            )
        )
    engine.dispose()
    db = open_database(db_url)
    try:
        with db.uow("tester") as uow:
            item = uow.cases.get("EC-OLD-1").items[0]
        assert (item.ics_per_unit, item.tpp, item.quantity) == (1, 4800.0, 2)
    finally:
        db.dispose()


def test_opening_twice_is_idempotent(db_url: str) -> None:
    open_database(db_url).dispose()
    db = open_database(db_url)
    assert schema_revision(db.engine) == head_revision()
    db.dispose()


def test_every_demo_case_round_trips_through_the_database(db: Database) -> None:
    for case in demo_cases():
        with db.uow("tester") as uow:
            uow.cases.add(case)
            uow.commit()
        with db.uow("tester") as uow:
            stored = uow.cases.get(case.reference)
        assert replace(stored, version=0) == case
        assert stored.version == 1


def test_nothing_is_written_without_commit(db: Database) -> None:
    with db.uow("tester") as uow:
        uow.cases.add(_case())
    with db.uow("tester") as uow:
        assert not uow.cases.exists("EC-T-1")


def test_an_error_rolls_back_everything(db: Database) -> None:
    with pytest.raises(DuplicateError), db.uow("tester") as uow:
        uow.cases.add(_case("EC-T-1"))
        uow.cases.add(_case("EC-T-2"))
        uow.cases.add(_case("EC-T-1"))
        uow.commit()
    with db.uow("tester") as uow:
        assert uow.cases.references() == []


def test_get_missing_case(db: Database) -> None:
    with db.uow("tester") as uow, pytest.raises(NotFoundError, match="no case with reference 'EC-404'"):
        uow.cases.get("EC-404")


def test_save_updates_children_in_place_and_bumps_version(db: Database) -> None:
    with db.uow("tester") as uow:
        uow.cases.add(_case())
        uow.commit()
    with db.uow("tester") as uow:
        case = uow.cases.get("EC-T-1")
        party_ids = list(uow.session.scalars(select(PartyRow.id).order_by(PartyRow.position)))
    renamed = replace(case.parties[0], name="Beispiel AG")
    edited = replace(case, parties=(renamed, Party(PartyRole.PURCHASER, "Kaeufer KG", "AT")), items=())
    with db.uow("tester") as uow:
        saved = uow.cases.save(edited)
        uow.commit()
    assert saved.version == 2
    with db.uow("tester") as uow:
        again = uow.cases.get("EC-T-1")
        new_ids = list(uow.session.scalars(select(PartyRow.id).order_by(PartyRow.position)))
    assert [p.name for p in again.parties] == ["Beispiel AG", "Kaeufer KG"]
    assert again.items == ()
    assert new_ids[0] == party_ids[0]


def test_second_save_of_a_stale_copy_conflicts_and_loses_nothing(db: Database) -> None:
    with db.uow("tester") as uow:
        uow.cases.add(_case())
        uow.commit()
    with db.uow("tester") as uow:
        alice = uow.cases.get("EC-T-1")
    with db.uow("tester") as uow:
        bob = uow.cases.get("EC-T-1")
    with db.uow("tester") as uow:
        uow.cases.save(replace(alice, title="Alice's title"))
        uow.commit()
    with pytest.raises(ConflictError, match="changed by someone else"), db.uow("tester") as uow:
        uow.cases.save(replace(bob, title="Bob's title"))
        uow.commit()
    with db.uow("tester") as uow:
        assert uow.cases.get("EC-T-1").title == "Alice's title"


def test_simultaneous_saves_conflict_at_flush(db_url: str) -> None:
    """Both officers pass the version check; the database's version column stops the second."""
    db = open_database(db_url)
    try:
        with db.uow("tester") as uow:
            uow.cases.add(_case())
            uow.commit()
        first, second = db.uow("tester"), db.uow("tester")
        with first, second:
            a = first.cases.get("EC-T-1")
            b = second.cases.get("EC-T-1")
            first.cases.save(replace(a, title="first"))
            first.commit()
            with pytest.raises(ConflictError):
                second.cases.save(replace(b, title="second"))
                second.commit()
        with db.uow("tester") as uow:
            assert uow.cases.get("EC-T-1").title == "first"
    finally:
        db.dispose()


def test_summaries_search_filter_sort_and_page(db: Database) -> None:
    with db.uow("tester") as uow:
        for case in demo_cases():
            uow.cases.add(case)
        uow.commit()
    with db.uow("tester") as uow:
        assert uow.cases.count() == len(demo_cases())
        found = uow.cases.summaries("malaysia")
        assert {s.reference for s in found} == {"EC-2026-0042", "EC-2026-0044"}
        assert [s.reference for s in uow.cases.summaries("nusantara")] == ["EC-2026-0044"]
        assert uow.cases.summaries("50%_") == []
        assert [s.reference for s in uow.cases.summaries(statuses=(CaseStatus.IN_REVIEW,))] == ["EC-2026-0049"]
        by_ref = uow.cases.summaries(order_by="reference", descending=False, limit=3)
        assert [s.reference for s in by_ref] == ["EC-2025-0107", "EC-2025-0201", "EC-2026-0042"]
        page2 = uow.cases.summaries(order_by="reference", descending=False, offset=3, limit=3)
        assert page2[0].reference == "EC-2026-0043"
        assert uow.cases.count("phnom penh") == 2


def test_a_duplicate_key_from_a_race_is_a_conflict_but_other_breaches_are_not(db: Database) -> None:
    with db.uow("tester") as uow:
        uow.cases.add(_case())
        uow.commit()
    with db.uow("tester") as uow:
        case_id = uow.session.scalar(select(CaseRow.id).where(CaseRow.reference == "EC-T-1"))

    def party(case: int) -> PartyRow:
        return PartyRow(case_id=case, position=0, role="other", name="Twin", country="DE", address="", listed_on=[])

    with pytest.raises(ConflictError, match="at the same moment"), db.uow("tester") as uow:
        uow.session.add(party(case_id))  # position 0 is taken: what a concurrent writer would cause
        uow.session.flush()
    with pytest.raises(IntegrityError), db.uow("tester") as uow:
        uow.session.add(party(999))  # no such case: a defect, not a race, so not dressed up as one
        uow.session.flush()
    with db.uow("tester") as uow:
        assert [p.name for p in uow.cases.get("EC-T-1").parties] == ["Beispiel GmbH"]


def test_foreign_keys_are_enforced(db: Database) -> None:
    with db.engine.connect() as conn:
        with pytest.raises(Exception, match=r"(?i)foreign key"):
            conn.execute(
                text(
                    "INSERT INTO parties (case_id, position, role, name, country, address, listed_on)"
                    " VALUES (999, 0, 'other', 'x', 'DE', '', '[]')"
                )
            )
        conn.rollback()


def test_sqlite_uses_wal(sqlite_url: str) -> None:
    db = open_database(sqlite_url)
    with db.engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    db.dispose()


def test_party_kind_is_stored_and_parties_stored_before_it_are_unknown(db_url: str) -> None:
    from workbench.domain.case import EntryType

    engine = create_database_engine(db_url)
    command.upgrade(alembic_config(engine), "0007")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO cases (reference, title, status, transaction_date, transaction_type, export_from,"
                " destination, end_use_description, end_use_ai_model_training, end_use_military, end_use_wmd,"
                " end_use_iaas, party_names, item_count, outcome, search_text, version, created_at, updated_at)"
                " VALUES ('EC-OLD-2', 'Stored by 0007', 'draft', '2026-01-02', 'export', 'US', 'DE', '', false,"
                " false, false, false, 'Acme', 0, NULL, 'ec-old-2', 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO parties (case_id, position, role, name, country, address, listed_on)"
                " SELECT id, 0, 'end_user', 'Acme GmbH', 'DE', '', '[]' FROM cases WHERE reference = 'EC-OLD-2'"
            )
        )
    engine.dispose()
    db = open_database(db_url)
    try:
        with db.uow("tester") as uow:
            old = uow.cases.get("EC-OLD-2")
            # Migration 0013 made it a register party; its unknown kind became the register's default,
            # and the upgrade report says so.
            assert old.parties[0].kind is EntryType.ENTITY
            assert old.parties[0].register_id is not None
            assumed = [e for e in uow.audit.history("upgrade", "0013") if e.action == "kind_assumed"]
            assert assumed
            assert "EC-OLD-2 party 1" in assumed[0].reason
            party = replace(old.parties[0], register_id=None, kind=EntryType.INDIVIDUAL)
            uow.cases.save(replace(old, parties=(party,)))
            uow.commit()
        with db.uow("tester") as uow:
            assert uow.cases.get("EC-OLD-2").parties[0].kind is EntryType.INDIVIDUAL
    finally:
        db.dispose()


def test_region_origin_us_content_and_fdp_facts_are_stored(db: Database) -> None:
    from decimal import Decimal

    item = Item(
        "HBM stack", eccn="3A090.c", country_of_origin="KR", us_content_percent=Decimal("7.25"),
        us_technology_product=True, us_technology_plant=False,
    )
    case = _case(
        "EC-T-FDP", items=(item, Item("Cable")),
        parties=(Party(PartyRole.END_USER, "Tavria", "UA", region="UA-43"),), destination="UA",
    )
    with db.uow("tester") as uow:
        uow.cases.add(case)
        uow.commit()
    with db.uow("tester") as uow:
        stored = uow.cases.get("EC-T-FDP")
    assert replace(stored, version=0) == case
    assert stored.items[1].us_technology_product is None and stored.items[1].us_technology_plant is None
    assert stored.parties[0].region == "UA-43" and stored.items[0].us_content_percent == Decimal("7.25")


def test_tmp_and_rpl_facts_are_stored_and_cases_before_them_have_none(db: Database) -> None:
    from workbench.domain.case import ServicingKind, TemporaryPurpose, TransactionFacts

    facts = TransactionFacts(
        TemporaryPurpose.TOOLS_OF_TRADE, date(2027, 1, 31), ServicingKind.SERVICED_RETURN, False, "NLR"
    )
    case = replace(_case("EC-T-TMP", items=(Item("Probe station"),)), transaction_facts=facts)
    with db.uow("tester") as uow:
        uow.cases.add(case)
        uow.cases.add(_case("EC-T-NOTMP", items=(Item("Cable"),)))
        uow.commit()
    with db.uow("tester") as uow:
        stored = uow.cases.get("EC-T-TMP")
        plain = uow.cases.get("EC-T-NOTMP")
    assert replace(stored, version=0) == case
    assert not plain.transaction_facts.recorded
