"""Licences on SQLite and PostgreSQL: schema, repository, audit, services and the CLI commands."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from openpyxl import load_workbook

import workbench.cli.main as cli_main
from workbench import resources
from workbench.cli import licences as cli_licences
from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.licences import Licence
from workbench.services import applications, licences
from workbench.services.bootstrap import Workbench, open_workbench
from workbench.services.cases import load_demo
from workbench.services.licences import ShipmentRefusedError
from workbench.store import open_database
from workbench.store.licences import SqlLicenceRepository
from workbench.store.orm import Base
from workbench.store.search import include_object
from workbench.store.uow import SqlUnitOfWork

SCHEMA_OPTS = {"compare_type": True, "include_object": include_object}

DEMO_FILE = Path(str(resources.resource("demo/licences/d123456-ec-2026-0044.json")))
D = Decimal


@pytest.fixture(autouse=True)
def _uow_has_licences(monkeypatch: pytest.MonkeyPatch) -> None:
    """Until ``SqlUnitOfWork.licences`` exists, give the unit of work the repository it will have."""
    if not hasattr(SqlUnitOfWork, "licences"):
        monkeypatch.setattr(
            SqlUnitOfWork,
            "licences",
            property(lambda self: SqlLicenceRepository(self.session, self.audit)),
            raising=False,
        )
    if cli_licences not in cli_main.COMMAND_MODULES:
        monkeypatch.setattr(cli_main, "COMMAND_MODULES", [*cli_main.COMMAND_MODULES, cli_licences])


@pytest.fixture
def wb(db_url: str) -> Iterator[Workbench]:
    bench = open_workbench(db_url, "Jane Officer")
    load_demo(bench)
    try:
        yield bench
    finally:
        bench.close()


def _licence(wb: Workbench) -> Licence:
    return licences.record_licence_file(wb, DEMO_FILE)


def test_migrations_create_the_licence_tables_the_models_describe(db_url: str) -> None:
    db = open_database(db_url)
    try:
        with db.engine.connect() as conn:
            diff = compare_metadata(
                MigrationContext.configure(conn, opts=SCHEMA_OPTS),
                Base.metadata,
            )
        assert diff == []
        assert {"licences", "licence_parties", "licence_items", "licence_shipments"} <= set(Base.metadata.tables)
    finally:
        db.dispose()


def test_licences_round_trip_exactly_and_are_audited(wb: Workbench) -> None:
    lic = _licence(wb)
    with pytest.raises(DuplicateError):
        _licence(wb)
    [status] = licences.list_licences(wb, as_of=date(2026, 9, 1))
    assert status.licence == lic and status.valid
    with wb.uow() as uow:
        [entry] = uow.audit.history("licence", "D123456")
        assert entry.action == "create" and entry.officer == "Jane Officer"
        assert entry.after["items"][0]["value_limit"] == "16000000"
    with pytest.raises(NotFoundError):
        licences.get_licence(wb, "D000000")


def test_shipments_decrement_exactly_refuse_and_warn(wb: Workbench) -> None:
    _licence(wb)
    first = licences.ship(
        wb, "d123456", "EC-2026-0044", quantity=D(60), value=D("15000000.25"), shipped_on=date(2026, 9, 2)
    )
    assert first.balance.remaining_quantity == D(4) and first.balance.remaining_value == D("999999.75")
    with pytest.raises(ShipmentRefusedError, match="4 remaining \\(quantity licence, \\+0 tolerance on quantity\\)"):
        licences.ship(wb, "D123456", "EC-2026-0044", quantity=D(5), value=D(1), shipped_on=date(2026, 9, 3))
    with pytest.raises(ShipmentRefusedError, match="expired on 2028-08-14"):
        licences.ship(wb, "D123456", "EC-2026-0044", quantity=D(1), value=D(1), shipped_on=date(2028, 8, 15))
    with pytest.raises(ShipmentRefusedError, match="is for Malaysia, the case goes to Vietnam"):
        licences.ship(wb, "D123456", "EC-2026-0045", quantity=D(1), value=D(1), shipped_on=date(2026, 9, 3))
    last = licences.ship(
        wb, "D123456", "EC-2026-0044", quantity=D(4), value=D("4999999.75"), shipped_on=date(2028, 8, 1)
    )
    assert any("25% value tolerance" in w for w in last.warnings)
    assert any("expires in 13 days" in w for w in last.warnings)
    [status] = licences.list_licences(wb, as_of=date(2028, 8, 1))
    assert status.balances[0].shipped_value == D(20_000_000)
    assert "fully shipped" in status.warnings[-1]
    with wb.uow() as uow:
        ships = [e for e in uow.audit.history("licence", "D123456") if e.action == "ship"]
        assert [(e.field, e.before, e.after) for e in ships[:2]] == [
            ("items[1].shipped_quantity", "0", "60"),
            ("items[1].shipped_value", "0", "15000000.25"),
        ]
        assert uow.audit.verify().ok


def test_concurrent_shipments_never_overdraw(wb: Workbench, db_url: str) -> None:
    _licence(wb)
    results: list[str] = []
    start = threading.Barrier(3)

    def ship_one() -> None:
        bench = open_workbench(db_url, "worker")
        start.wait()
        try:
            licences.ship(bench, "D123456", "EC-2026-0044", quantity=D(40), value=D(1), shipped_on=date(2026, 9, 2))
            results.append("ok")
        except Exception as exc:  # refused or busy: either way not recorded
            results.append(type(exc).__name__)
        finally:
            bench.close()

    threads = [threading.Thread(target=ship_one) for _ in range(3)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results) == ["ShipmentRefusedError", "ShipmentRefusedError", "ok"]
    assert licences.get_licence(wb, "D123456").balances[0].shipped_quantity == D(40)


def test_check_with_licences_names_the_covering_licence(wb: Workbench) -> None:
    before = licences.check_with_licences(wb, "EC-2026-0044")
    assert before.determination.all_requirements_covered is False
    _licence(wb)
    after = licences.check_with_licences(wb, "EC-2026-0044")
    assert after.determination.all_requirements_covered is True and after.gaps == ()
    other = licences.check_with_licences(wb, "EC-2026-0045")
    assert other.determination.all_requirements_covered is False


def test_application_files_are_written_together(wb: Workbench, tmp_path: Path) -> None:
    out = applications.write_application_files(
        wb,
        "EC-2026-0044",
        xlsx=tmp_path / "a.xlsx",
        json_path=tmp_path / "a.json",
        bis711=tmp_path / "b.docx",
        prepared_on=date(2026, 8, 1),
    )
    assert len(out.written) == 3
    assert load_workbook(tmp_path / "a.xlsx")["BIS-748P"]["A1"].value == "Block"
    assert json.loads((tmp_path / "a.json").read_text())["case"] == "EC-2026-0044"
    assert docx.Document(str(tmp_path / "b.docx")).paragraphs[0].text.startswith("Statement by Ultimate")
    with pytest.raises(Exception, match="does not qualify for a NAC notification"):
        applications.write_application_files(wb, "EC-2026-0044", xlsx=tmp_path / "c.xlsx", nac=tmp_path / "n.json")
    assert not (tmp_path / "c.xlsx").exists()  # nothing written when one file cannot be built


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_application_and_licence_commands(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    db = ["--db", sqlite_url, "--officer", "Jane Officer"]
    assert _run(capsys, *db, "demo")[0] == 0
    code, out, err = _run(
        capsys,
        *db,
        "application",
        "draft",
        "EC-2026-0044",
        "--out",
        str(tmp_path / "a.xlsx"),
        "--json",
        str(tmp_path / "a.json"),
        "--bis711",
        str(tmp_path / "b.docx"),
    )
    assert code == 0, err
    assert "wrote" in out and "Block 14 Employer ID number" in out
    code, out, err = _run(
        capsys,
        *db,
        "application",
        "draft",
        "EC-2026-0044",
        "--out",
        str(tmp_path / "c.xlsx"),
        "--nac",
        str(tmp_path / "n.json"),
    )
    assert code == 2 and "NAC" in err and len(err.strip().splitlines()) == 1
    code, out, err = _run(capsys, *db, "license", "add", str(DEMO_FILE))
    assert code == 0 and "Recorded licence D123456" in out
    code, _, err = _run(capsys, *db, "license", "add", str(DEMO_FILE))
    assert code == 2 and "recorded already" in err
    code, out, err = _run(
        capsys,
        *db,
        "license",
        "ship",
        "D123456",
        "EC-2026-0044",
        "--quantity",
        "60",
        "--value",
        "15,000,000",
        "--date",
        "2026-09-02",
    )
    assert code == 0 and "Remaining: 4 / USD 1,000,000" in out
    code, out, err = _run(
        capsys,
        *db,
        "license",
        "ship",
        "D123456",
        "EC-2026-0044",
        "--quantity",
        "5",
        "--value",
        "1",
        "--date",
        "2026-09-03",
    )
    assert code == 2 and "4 remaining" in err
    code, out, _ = _run(capsys, *db, "licence", "list", "--json", "--as-of", "2026-09-03")
    [row] = json.loads(out)
    assert row["items"][0]["remaining_quantity"] == "4" and row["valid"] is True
    code, out, err = _run(capsys, *db, "license", "list", "--as-of", "2028-08-01")
    assert code == 0 and "licence D123456" in out and "expires in 13 days" in err
    code, _, err = _run(capsys, *db, "license", "ship", "D123456", "EC-2026-0044", "--quantity", "x", "--value", "1")
    assert code == 2 and "not a number" in err
