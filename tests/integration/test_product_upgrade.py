"""Migration 0015 on a database at revision 0012 with real cases: items become products, with a report."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest
import sqlalchemy as sa
from alembic import command
from alembic.script import ScriptDirectory

from tests.integration.test_cli import run
from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.domain.products import Product
from workbench.services import product_cases as pc
from workbench.services import products as ps
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.bootstrap import Workbench, open_workbench
from workbench.services.cases import create_case, get_case
from workbench.store.db import alembic_config, create_database_engine, open_database, schema_revision
from workbench.store.orm import Base

BOARD = {"manufacturer": "NVIDIA", "model": "HGX H100 8-GPU", "eccn": "4A090.a", "tpp": 15832.0,
         "performance_density": 19.4, "ics_per_unit": 8, "datacenter": True}


def _case(reference: str, *items: Item) -> Case:
    return Case(
        reference=reference,
        title="Servers",
        transaction_date=date(2026, 11, 28),
        export_from="US",
        destination="MY",
        parties=(Party(PartyRole.END_USER, "Example Data Centre Sdn Bhd", "MY"),),
        items=items,
    )


def _before_0015(url: str) -> None:
    """A database the workbench wrote just before migration 0015: cases with items, one product in the library.

    0015 moves data only, so the workbench of the revision before it writes what the current code writes,
    but for the columns later migrations add (0018's TMP/RPL facts, empty in every older row): they are
    added for the writing and dropped again, so the database is exactly at the revision before 0015.
    """
    engine = create_database_engine(url)
    try:
        config = alembic_config(engine)
        before = ScriptDirectory.from_config(config).get_revision("0015").down_revision
        assert isinstance(before, str)
        command.upgrade(config, before)
        later = _add_later_columns(engine)
    finally:
        engine.dispose()
    old = Workbench(database=open_database(url, migrate=False), officer="Old Officer")
    try:
        board = Item(description="HGX H100 board", quantity=Decimal(4), **BOARD)  # type: ignore[arg-type]
        create_case(old, _case("EC-U-1", board, Item(description="Rack rails", eccn="EAR99")))
        create_case(
            old,
            _case(
                "EC-U-2",
                Item(description="8-GPU HGX baseboard", quantity=Decimal(2), **{**BOARD, "manufacturer": "nvidia "}),
                Item(description="NIC", manufacturer="Acme", model="NIC 100G", eccn="5A992.c"),
            ),
        )
        create_case(
            old,
            _case(
                "EC-U-3",
                Item(description="HGX H100 board", **BOARD),  # type: ignore[arg-type]
                Item(description="NIC", manufacturer="Acme", model="NIC 100G", eccn="5A991.b"),  # another ECCN
                Item(description="GPU", manufacturer="AMD", model="MI300X", eccn="3A090.a", tpp=20000.0),
            ),
        )
        create_case(
            old,
            _case("EC-U-4", Item(description="GPU", manufacturer="AMD", model="MI300X", eccn="3A090.a", tpp=21000.0)),
        )
        ps.add_product(
            old,
            Product(part_number="SW-48", description="48-port switch", manufacturer="Acme", model="Switch 48",
                    eccn="5A992.c"),
        )
        create_case(old, _case("EC-U-5", Item(description="Switch", manufacturer="ACME", model="switch 48",
                                              eccn="5A992.c")))
    finally:
        old.database.dispose()
    engine = create_database_engine(url)
    try:
        with engine.begin() as conn:
            for table, column in later:
                conn.execute(sa.text(f"ALTER TABLE {table} DROP COLUMN {column}"))
    finally:
        engine.dispose()


def _add_later_columns(engine: sa.Engine) -> list[tuple[str, str]]:
    """Add, nullable, the columns today's mapping has and the database at this revision lacks."""
    added: list[tuple[str, str]] = []
    inspector = sa.inspect(engine)
    with engine.begin() as conn:
        for table in Base.metadata.sorted_tables:
            present = {c["name"] for c in inspector.get_columns(table.name)}
            for column in table.columns:
                if column.name not in present:
                    kind = column.type.compile(dialect=engine.dialect)
                    conn.execute(sa.text(f"ALTER TABLE {table.name} ADD COLUMN {column.name} {kind}"))
                    added.append((table.name, column.name))
    return added


@pytest.fixture
def upgraded(db_url: str) -> Iterator[Workbench]:
    _before_0015(db_url)
    bench = open_workbench(db_url, "Jane Officer")  # upgrades to head
    yield bench
    bench.close()


def test_items_with_the_same_maker_model_and_eccn_become_one_product(upgraded: Workbench) -> None:
    wb = upgraded
    assert schema_revision(wb.database.engine) is not None
    board = pc.upgrade_report(wb)
    assert board is not None
    made = {(m["manufacturer"].strip(), m["model"], m["eccn"]): m for m in board.products_made}
    hgx = made[("NVIDIA", "HGX H100 8-GPU", "4A090.a")]
    assert [(w["case"], w["item"]) for w in hgx["items"]] == [("EC-U-1", 1), ("EC-U-2", 1), ("EC-U-3", 1)]
    part = hgx["part_number"]
    assert part == pc_made_up("NVIDIA", "HGX H100 8-GPU", "4A090.a") and part.startswith("MIG-")
    product = ps.get_product(wb, part).view.product
    assert (product.eccn, product.tpp, product.ics_per_unit, product.status.value) == ("4A090.a", 15832, 8, "draft")
    assert product.description == "HGX H100 board"  # the most common description of the group
    one = get_case(wb, "EC-U-1").items
    two = get_case(wb, "EC-U-2").items
    assert one[0].product_id == two[0].product_id is not None
    assert (two[0].quantity, two[0].description) == (2, "HGX H100 board")
    assert one[1].product_id is None  # no manufacturer and model: stays case-only

    # Same maker and model but another ECCN: two products, not merged.
    nic = [m for m in board.products_made if m["model"] == "NIC 100G"]
    assert sorted(m["eccn"] for m in nic) == ["5A991.b", "5A992.c"]
    assert len({m["part_number"] for m in nic}) == 2

    # Same maker, model and ECCN but other figures: kept case-only, said why.
    kept = [k for k in board.kept_case_only if k["model"] == "MI300X"]
    assert len(kept) == 1 and "disagree on the figures" in kept[0]["why"]
    assert get_case(wb, "EC-U-4").items[0].product_id is None and get_case(wb, "EC-U-4").items[0].tpp == 21000

    # A library product of that maker, model, ECCN and figures is used, not duplicated.
    assert [(x["part_number"], x["items"]) for x in board.linked_to_existing] == [
        ("SW-48", [{"case": "EC-U-5", "item": 1}])
    ]
    switch = get_case(wb, "EC-U-5").items[0].product_id
    assert switch is not None and pc.part_numbers(wb, [switch]) == {switch: "SW-48"}


def test_the_upgrade_is_in_the_audit_chain_and_the_cli_reports_it(
    upgraded: Workbench, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = upgraded
    assert verify_audit_chain(wb).ok
    report = pc.upgrade_report(wb)
    assert report is not None
    part = next(m["part_number"] for m in report.products_made if m["model"] == "HGX H100 8-GPU")
    entries = [e for e in case_history(wb, "EC-U-2") if e.action == "upgrade"]
    assert {e.field for e in entries} == {"items[1].product_id", "items[1].description", "items[2].product_id"}
    assert {e.field for e in entries if part in e.reason} == {"items[1].product_id", "items[1].description"}
    history = ps.get_product(wb, part).history
    assert history[0].action == "upgrade" and "made up" in history[0].reason

    code, out, _ = run(capsys, "--db", db_url, "product", "upgrade-report")
    items = "EC-U-1 item 1, EC-U-2 item 1, EC-U-3 item 1"
    assert code == 0 and f"made {part}: NVIDIA HGX H100 8-GPU, 4A090.a ({items})" in out
    assert "kept case-only: AMD MI300X" in out and "linked to SW-48: EC-U-5 item 1" in out
    code, out, _ = run(capsys, "--db", db_url, "product", "upgrade-report", "--json")
    data = json.loads(out)
    assert code == 0 and data["upgraded"] and len(data["kept_case_only"]) == 1


def test_a_new_database_has_nothing_to_upgrade(wb_fresh: Workbench) -> None:
    assert pc.upgrade_report(wb_fresh) is None


@pytest.fixture
def wb_fresh(sqlite_url: str) -> Iterator[Workbench]:
    bench = open_workbench(sqlite_url, "Jane Officer")
    yield bench
    bench.close()


def pc_made_up(manufacturer: str, model: str, eccn: str) -> str:
    import importlib

    module = importlib.import_module("workbench.store.migrations.versions.0015_items_become_products")
    return str(module.made_up_part_number(manufacturer, model, eccn))
