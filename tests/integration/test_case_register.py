"""Cases that reference register parties (issue #14 phase 2): resolution on load and save, and the
upgrade of a database built at revision 0012, on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from workbench.domain.case import Case, DocumentKind, DocumentRecord, ListFlag, Party, PartyRole
from workbench.domain.errors import NotFoundError
from workbench.domain.register import Address, RegisterParty
from workbench.domain.screening import EntryType
from workbench.store import Database, open_database
from workbench.store.db import alembic_config, create_database_engine


@pytest.fixture
def db(db_url: str) -> Iterator[Database]:
    database = open_database(db_url)
    yield database
    database.dispose()


def _register(db: Database, party: RegisterParty) -> RegisterParty:
    with db.uow("Jane Officer") as uow:
        stored = uow.register.add(party)
        uow.commit()
    return stored


def _case(*parties: Party, documents: tuple[DocumentRecord, ...] = ()) -> Case:
    return Case(
        reference="EC-REG-1",
        title="Register parties",
        transaction_date=date(2026, 3, 1),
        export_from="US",
        destination="DE",
        parties=parties,
        documents=documents,
    )


def test_a_case_party_takes_the_register_partys_current_data(db: Database) -> None:
    reg = _register(
        db,
        RegisterParty(
            "Beispiel GmbH",
            "DE",
            addresses=(Address("DE", ("Hafenstrasse 1",), "Hamburg"), Address("DE", ("Lager 7",), "Bremen")),
            headquarters_country="CN",
            listed_on=(ListFlag.ENTITY_LIST,),
        ),
    )
    assert reg.id is not None
    # What the case editor sends: the register id, a role, the second address; the rest is stale or typed.
    party = Party(PartyRole.END_USER, "old name", "FR", address="Lager 7, Bremen, DE", register_id=reg.id)
    euc = DocumentRecord(DocumentKind.EUC, "euc.pdf", covers_parties=("old name",))
    with db.uow("Jane Officer") as uow:
        stored = uow.cases.add(_case(party, Party(PartyRole.PURCHASER, "Case Only Ltd", "GB"), documents=(euc,)))
        uow.commit()
    got = stored.parties[0]
    assert (got.name, got.country, got.address, got.headquarters_country, got.kind, got.listed_on) == (
        "Beispiel GmbH",
        "DE",
        "Lager 7, Bremen, DE",
        "CN",
        EntryType.ENTITY,
        (ListFlag.ENTITY_LIST,),
    )
    assert got.register_id == reg.id
    assert stored.parties[1].register_id is None and stored.parties[1].name == "Case Only Ltd"
    assert stored.documents[0].covers_parties == ("Beispiel GmbH",)

    # The register party is renamed and its addresses edited: the case follows, documents too.
    with db.uow("Jane Officer") as uow:
        current = uow.register.get(reg.id)
        uow.register.save(
            replace(
                current,
                name="Beispiel Logistik GmbH",
                addresses=(Address("DE", ("Lager 9",), "Bremen"), *current.addresses[:1]),
            )
        )
        uow.commit()
    with db.uow("Jane Officer") as uow:
        case = uow.cases.get("EC-REG-1")
        assert case.parties[0].name == "Beispiel Logistik GmbH"
        # The chosen address was position 1 (Lager 7); it is now Hafenstrasse 1: the position holds.
        assert case.parties[0].address == "Hafenstrasse 1, Hamburg, DE"
        assert case.documents[0].covers_parties == ("Beispiel Logistik GmbH",)
        # Saving keeps the reference; the audit records it.
        saved = uow.cases.save(replace(case, title="Renamed"))
        uow.commit()
        assert saved.parties[0].register_id == reg.id
        created = uow.audit.history("case", "EC-REG-1")[0]
        assert created.after["parties"][0]["register_id"] == reg.id


def test_a_case_cannot_reference_a_party_missing_from_the_register(db: Database) -> None:
    with db.uow("Jane Officer") as uow, pytest.raises(NotFoundError, match="register party 999"):
        uow.cases.add(_case(Party(PartyRole.END_USER, "Ghost", "DE", register_id=999)))


CASE_SQL = (
    "INSERT INTO cases (reference, title, status, transaction_date, transaction_type, export_from,"
    " destination, end_use_description, end_use_ai_model_training, end_use_military, end_use_wmd,"
    " end_use_iaas, party_names, item_count, outcome, search_text, version, created_at, updated_at)"
    " VALUES (:ref, 'Stored by 0012', 'draft', '2026-01-02', 'export', 'US', 'DE', '', false,"
    " false, false, false, '', 0, NULL, :search, 1, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
)
PARTY_SQL = (
    "INSERT INTO parties (case_id, position, role, name, country, address, headquarters_country, listed_on, kind)"
    " SELECT id, :pos, :role, :name, :country, :address, :hq, :listed, :kind FROM cases WHERE reference = :ref"
)


def test_upgrade_from_0012_turns_case_parties_into_register_parties_and_reports_merges(db_url: str) -> None:
    engine = create_database_engine(db_url)
    command.upgrade(alembic_config(engine), "0012")
    rows = [
        # The same distributor in three cases, spelt with different case and spacing: one party.
        ("EC-A", 0, "end_user", "Acme  GmbH", "DE", "Hafenstrasse 1, Hamburg", None, "[]", "entity"),
        ("EC-B", 0, "end_user", "ACME GmbH", "DE", "hafenstrasse 1,  Hamburg", None, "[]", "entity"),
        ("EC-C", 1, "purchaser", "acme gmbh", "DE", "Hafenstrasse 1\nHamburg", None, "[]", "entity"),
        # Same name and country, another address: kept apart and reported.
        ("EC-C", 0, "end_user", "Acme GmbH", "DE", "Industrieweg 4, Munich", None, "[]", "entity"),
        # Same name, country and address but declared on the Entity List in one case: kept apart.
        ("EC-D", 0, "end_user", "Acme GmbH", "DE", "Hafenstrasse 1, Hamburg", None, '["entity_list"]', "entity"),
        # Unknown kind (stored before kinds existed).
        ("EC-D", 1, "purchaser", "Solo Trading", "GB", "", None, "[]", None),
    ]
    with engine.begin() as conn:
        for ref in ("EC-A", "EC-B", "EC-C", "EC-D"):
            conn.execute(text(CASE_SQL), {"ref": ref, "search": ref.lower()})
        for ref, pos, role, name, country, address, hq, listed, kind in rows:
            conn.execute(
                text(PARTY_SQL),
                {
                    "ref": ref,
                    "pos": pos,
                    "role": role,
                    "name": name,
                    "country": country,
                    "address": address,
                    "hq": hq,
                    "listed": listed,
                    "kind": kind,
                },
            )
    engine.dispose()
    db = open_database(db_url)
    try:
        with db.uow("tester") as uow:
            cases = {ref: uow.cases.get(ref) for ref in ("EC-A", "EC-B", "EC-C", "EC-D")}
            ids = {(ref, p.role.value): p.register_id for ref, case in cases.items() for p in case.parties}
            assert all(ids.values())
            merged = ids[("EC-A", "end_user")]
            assert ids[("EC-B", "end_user")] == merged == ids[("EC-C", "purchaser")]
            assert ids[("EC-C", "end_user")] != merged
            assert ids[("EC-D", "end_user")] not in (merged, ids[("EC-C", "end_user")])
            assert uow.register.count() == 4
            # The case keeps its own address text and the register has the address as lines.
            assert cases["EC-B"].parties[0].address == "hafenstrasse 1,  Hamburg"
            assert cases["EC-D"].parties[0].listed_on == (ListFlag.ENTITY_LIST,)
            report = uow.audit.history("upgrade", "0013")
            actions = [e.action for e in report]
            assert actions.count("merge") == 1
            merge = next(e for e in report if e.action == "merge")
            assert "EC-A party 1, EC-B party 1, EC-C party 2" in merge.reason
            kept = [e.reason for e in report if e.action == "kept_apart"]
            assert any("Industrieweg 4" in r for r in kept)
            assert any("entity_list" in r for r in kept)
            summary = next(e for e in report if e.action == "summary")
            assert summary.reason.startswith("6 case parties: 4 register parties created, 1 of them merged")
            assert uow.audit.verify().ok
    finally:
        db.dispose()


def test_a_case_file_import_matches_parties_to_the_register_or_creates_them(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    from workbench.cli.main import main
    from workbench.export.casefile import write_case_file
    from workbench.services import open_workbench

    wb = open_workbench(sqlite_url, officer="Jane Officer")
    try:
        with wb.uow() as uow:
            known = uow.register.add(RegisterParty("Beispiel GmbH", "DE", headquarters_country="CN"))
            uow.register.add(RegisterParty("Twin Ltd", "GB", addresses=(Address("GB", ("1 High St",)),)))
            uow.register.add(RegisterParty("Twin Ltd", "GB", addresses=(Address("GB", ("2 Low St",)),)))
            uow.commit()
    finally:
        wb.close()
    case = replace(
        _case(
            Party(PartyRole.END_USER, "BEISPIEL  gmbh", "DE"),
            Party(PartyRole.PURCHASER, "Brand New Trading", "FR", address="5 Rue Neuve\nParis"),
            Party(PartyRole.INTERMEDIATE_CONSIGNEE, "Twin Ltd", "GB"),
        ),
        reference="EC-IMPORT-1",
    )
    path = tmp_path / "case.json"
    write_case_file(case, path)
    assert main(["--db", sqlite_url, "case", "import", str(path), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [(r["match"], r["register_id"]) for r in out["register"]] == [
        ("matched", known.id),
        ("created", 4),
        ("case_only", None),
    ]
    assert "headquarters CN in the register, none in the file" in out["register"][0]["note"]
    assert "register parties 2, 3" in out["register"][2]["note"]
    wb = open_workbench(sqlite_url, officer="Jane Officer")
    try:
        with wb.uow() as uow:
            stored = uow.cases.get("EC-IMPORT-1")
            assert stored.parties[0].name == "Beispiel GmbH" and stored.parties[0].headquarters_country == "CN"
            created = uow.register.get(4)
            assert created.addresses[0].lines == ("5 Rue Neuve", "Paris")
        # Exported unchanged in format: no register ids in the file.
        from workbench.services.cases import export_case_file

        exported = json.loads(export_case_file(wb, "EC-IMPORT-1", None))
        assert "register_id" not in exported["parties"][0]
    finally:
        wb.close()
    case2 = replace(case, reference="EC-IMPORT-2")
    write_case_file(case2, path)
    assert main(["--db", sqlite_url, "case", "import", str(path)]) == 0
    text_out = capsys.readouterr().out
    assert "party 2 (Brand New Trading): matched register party 4 by name and country" in text_out
