"""Shared fixtures: isolated data directories, SQLite and a real PostgreSQL server."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from tests.helpers.pgserver import PgServer, find_pg_bin

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Never touch the real user data directory or a configured database."""
    data = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("WORKBENCH_DATA_DIR", str(data))
    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    return data


@pytest.fixture(autouse=True)
def _shipped_rule_data() -> Iterator[None]:
    """A test that imports a rule pack must not leave it active for the next test."""
    yield
    from workbench.rules.data import activate_rule_data

    activate_rule_data(None)


@pytest.fixture(scope="session")
def pg_server() -> Iterator[PgServer]:
    bindir = find_pg_bin()
    if bindir is None:
        if os.environ.get("WORKBENCH_REQUIRE_PG"):
            pytest.fail("WORKBENCH_REQUIRE_PG is set but no PostgreSQL server binaries (pg_ctl) were found")
        pytest.skip("no PostgreSQL server binaries installed (set WORKBENCH_REQUIRE_PG=1 to fail instead)")
    server = PgServer(bindir)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def pg_url(pg_server: PgServer) -> Iterator[str]:
    with pg_server.database() as url:
        yield url


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'workbench.sqlite3'}"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Every repository test runs on SQLite and on a real PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'workbench.sqlite3'}"
    else:
        with request.getfixturevalue("pg_server").database() as url:
            yield url


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the repository")
    return SHARED
