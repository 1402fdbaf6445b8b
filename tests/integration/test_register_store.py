"""The register's repository on SQLite and PostgreSQL: round trips, locking, search, stakes, audit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from workbench.domain.errors import ConflictError, DuplicateError, NotFoundError
from workbench.domain.ownership import OwnershipCycleError, Stake
from workbench.domain.register import (
    Address,
    Identifier,
    IdentifierScheme,
    Kyc,
    KycStatus,
    NameKind,
    OtherName,
    RegisterParty,
)
from workbench.domain.screening import EntryType
from workbench.store import Database, open_database

LEI = "506700GE1G29325QX363"


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _party(name: str = "Beispiel Handels GmbH", country: str = "DE", **overrides: object) -> RegisterParty:
    fields: dict[str, object] = {
        "name": name,
        "country": country,
        "other_names": (OtherName(NameKind.OWN_SCRIPT, "拜斯皮尔贸易有限公司"),),
        "addresses": (Address("DE", ("Hafenstrasse 1", "Haus B"), "Hamburg"),),
        "identifiers": (Identifier(IdentifierScheme.TAX_ID, "DE 123 456 789"),),
    }
    fields.update(overrides)
    return RegisterParty(**fields)  # type: ignore[arg-type]


def _add(db: Database, *parties: RegisterParty) -> list[RegisterParty]:
    with db.uow("Jane Officer") as uow:
        stored = [uow.register.add(p) for p in parties]
        uow.commit()
    return stored


def test_a_party_round_trips_exactly_and_is_audited(db: Database) -> None:
    party = _party(
        kind=EntryType.ENTITY,
        headquarters_country="CN",
        identifiers=(Identifier(IdentifierScheme.LEI, LEI), Identifier("other", "31-123-4567", "DUNS")),
        website="https://beispiel.example",
        notes="Distributor since 2019",
        kyc=Kyc(KycStatus.APPROVED, date(2026, 2, 1), "Jane Officer", "site visit"),
    )
    [stored] = _add(db, party)
    assert stored.id is not None and stored.version == 1
    with db.uow("Jane Officer") as uow:
        loaded = uow.register.get(stored.id)
        [entry] = uow.audit.history("party", str(stored.id))
    assert loaded == stored
    assert replace(loaded, id=None, version=0) == party
    assert loaded.fingerprint == party.fingerprint
    assert entry.action == "create" and entry.after["identifiers"][0]["value"] == LEI


def test_saving_a_stale_copy_is_a_conflict_and_changes_are_audited_by_field(db: Database) -> None:
    [stored] = _add(db, _party())
    assert stored.id is not None
    with db.uow("Jane Officer") as uow:
        saved = uow.register.save(replace(stored, notes="New note", country="AT"))
        uow.commit()
    assert saved.version == 2 and saved.fingerprint != stored.fingerprint
    with db.uow("John Officer") as uow, pytest.raises(ConflictError, match="version 1, the database has version 2"):
        uow.register.save(replace(stored, notes="stale"))
    with db.uow("Jane Officer") as uow:
        fields = {e.field for e in uow.audit.history("party", str(stored.id)) if e.action == "update"}
        assert fields == {"notes", "country"}
        assert uow.audit.verify().ok


def test_a_second_party_with_the_same_lei_is_refused(db: Database) -> None:
    _add(db, _party(identifiers=(Identifier("lei", LEI),)))
    with pytest.raises(DuplicateError, match="recorded already for register party 1"):
        _add(db, _party("Another Name Ltd", "GB", identifiers=(Identifier("lei", LEI.lower()),)))


def test_search_matches_any_name_and_identifier(db: Database) -> None:
    _add(
        db,
        _party(),
        _party(
            "Red Star Trading Co", "CN", other_names=(OtherName(NameKind.FORMER, "Hong Xing Import"),), identifiers=()
        ),
        _party("Blue River AB", "SE", other_names=(), identifiers=(), kyc=Kyc(KycStatus.IN_PROGRESS)),
    )
    with db.uow("Jane Officer") as uow:
        repo = uow.register
        assert repo.count() == 3
        assert [s.name for s in repo.summaries("handels")] == ["Beispiel Handels GmbH"]
        assert [s.name for s in repo.summaries("XING imp")] == ["Red Star Trading Co"]
        assert [s.name for s in repo.summaries("贸易")] == ["Beispiel Handels GmbH"]
        assert repo.count("de 123 456") == 1
        assert repo.count("ab") == 1  # short word: the LIKE fallback
        assert [s.name for s in repo.summaries(kyc=(KycStatus.IN_PROGRESS,))] == ["Blue River AB"]
        assert repo.count(countries=("CN", "SE")) == 2
        assert [s.name for s in repo.summaries(limit=2)] == ["Beispiel Handels GmbH", "Blue River AB"]
        assert repo.find_by_identifier(Identifier("tax_id", "de123456789")) == [1]
        assert repo.find_by_name("hong xing  IMPORT", "CN") == [2]
        assert repo.find_by_name("Hong Xing", "CN") == []


def _stake(owner: int, owned: int, percent: str | None) -> Stake:
    return Stake(owner, owned, None if percent is None else Decimal(percent), date(2026, 1, 5), note="registry extract")


def test_stakes_are_recorded_replaced_audited_and_never_close_a_circle(db: Database) -> None:
    a, b, c = _add(db, _party("Alpha Holding"), _party("Beta Ltd"), _party("Gamma GmbH"))
    assert a.id == 1 and b.id == 2 and c.id == 3
    with db.uow("Jane Officer") as uow:
        uow.register.record_stake(_stake(1, 2, "60"))
        uow.register.record_stake(_stake(2, 3, "49.99"))
        uow.commit()
    with db.uow("Jane Officer") as uow, pytest.raises(OwnershipCycleError) as exc:
        uow.register.record_stake(_stake(3, 1, "10"))
    assert "Alpha Holding (party 1) → Beta Ltd (party 2) → Gamma GmbH (party 3) → Alpha Holding (party 1)" in str(
        exc.value
    )
    with db.uow("Jane Officer") as uow:
        uow.register.record_stake(_stake(2, 3, "50"))
        uow.commit()
    with db.uow("Jane Officer") as uow:
        graph = uow.register.ownership(2)
        assert [(s.owner_id, s.percent) for s in graph.owners_of(3)] == [(2, Decimal(50))]
        assert [s.owned_id for s in graph.holdings_of(1)] == [2]
        assert graph.label(1) == "Alpha Holding (party 1)"
        changes = [e for e in uow.audit.history("party", "3") if e.action == "ownership"]
        assert [(e.before, e.after["percent"]) for e in changes][1][1] == "50"
        assert changes[1].before["percent"] == "49.99"
    with db.uow("Jane Officer") as uow:
        uow.register.remove_stake(2, 3, "sold to a private investor")
        uow.commit()
    with db.uow("Jane Officer") as uow:
        assert uow.register.ownership(3).owners_of(3) == ()
        with pytest.raises(NotFoundError):
            uow.register.record_stake(_stake(1, 99, "10"))
        assert uow.audit.verify().ok


def test_migration_0009_downgrades_and_upgrades_cleanly(db_url: str) -> None:
    from alembic import command
    from sqlalchemy import inspect

    from workbench.store.db import alembic_config, create_database_engine, head_revision, schema_revision

    engine = create_database_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "head")
        assert "party_dispositions" in inspect(engine).get_table_names()
        command.downgrade(alembic_config(engine), "0007")
        names = set(inspect(engine).get_table_names())
        assert not names & {"register_parties", "register_identifiers", "ownership_stakes", "party_screening_hits"}
        assert not any(n.startswith("register_parties_fts") for n in names)
        command.upgrade(alembic_config(engine), "head")
        assert schema_revision(engine) == head_revision()
    finally:
        engine.dispose()
