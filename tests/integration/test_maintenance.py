"""Backups, restores, retention and fault tolerance of the local database."""

from __future__ import annotations

import hashlib
import logging
import sqlite3
import subprocess
import sys
import textwrap
import time
import zipfile
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.domain.case import CaseStatus
from workbench.domain.errors import NotFoundError
from workbench.services import open_workbench
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import create_case, demo_cases, get_case, list_cases, save_case
from workbench.services.maintenance import (
    RetentionError,
    backup,
    backup_due,
    delete_case,
    documents_dir,
    restore,
    retention_until,
)
from workbench.store.backup import BackupError, integrity_problems
from workbench.store.uow import DatabaseBusyError


def _db(tmp_path: Path) -> Path:
    return tmp_path / "live.sqlite3"


def test_backup_and_restore_round_trip(tmp_path: Path) -> None:
    wb = open_workbench(f"sqlite:///{_db(tmp_path)}")
    for case in demo_cases():
        create_case(wb, case)
    content = b"%PDF-1.4 pretend"
    sha = hashlib.sha256(content).hexdigest()
    stored = documents_dir() / sha[:2] / sha[2:]
    stored.parent.mkdir(parents=True)
    stored.write_bytes(content)
    (documents_dir() / "ab").mkdir()
    (documents_dir() / "ab" / ("ab" * 31)).write_bytes(b"not the document its name says")
    assert backup_due(wb, 7)
    result = backup(wb, tmp_path / "backup.zip")
    assert not backup_due(wb, 7)
    assert result.files == 2
    names = set(zipfile.ZipFile(result.path).namelist())
    assert names == {"workbench.sqlite3", f"documents/{sha[:2]}/{sha[2:]}", "manifest.json"}
    assert result.skipped == (f"documents/ab/{'ab' * 31}",)  # damaged: a restore would refuse it
    save_case(wb, replace(get_case(wb, "EC-2026-0042"), title="changed after the backup"))
    wb.close()
    stored.unlink()

    with pytest.raises(BackupError, match="exists; restoring would replace it"):
        restore(tmp_path / "backup.zip", _db(tmp_path))
    restore(tmp_path / "backup.zip", _db(tmp_path), force=True)
    wb = open_workbench(f"sqlite:///{_db(tmp_path)}")
    assert get_case(wb, "EC-2026-0042").title == "GPU servers for a Kuala Lumpur data centre"
    assert list_cases(wb).total == len(demo_cases())
    assert verify_audit_chain(wb).ok
    assert stored.read_bytes() == b"%PDF-1.4 pretend"
    wb.close()


def test_damaged_backups_are_refused_before_anything_changes(tmp_path: Path) -> None:
    wb = open_workbench(f"sqlite:///{_db(tmp_path)}")
    create_case(wb, demo_cases()[0])
    good = backup(wb, tmp_path / "good.zip").path
    wb.close()
    bad = tmp_path / "bad.zip"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(bad, "w") as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename == "workbench.sqlite3":
                data = data[:-10] + b"x" * 10
            dst.writestr(item, data)
    before = _db(tmp_path).read_bytes()
    with pytest.raises(BackupError, match="does not match its SHA-256"):
        restore(bad, _db(tmp_path), force=True)
    (tmp_path / "junk.zip").write_bytes(b"not a zip")
    with pytest.raises(BackupError, match="is not a workbench backup"):
        restore(tmp_path / "junk.zip", _db(tmp_path), force=True)
    assert _db(tmp_path).read_bytes() == before


def test_cli_backup_restore(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{_db(tmp_path)}"
    assert main(["--db", url, "demo"]) == 0
    assert main(["--db", url, "backup", "--out", str(tmp_path / "b.zip")]) == 0
    assert "Backup written" in capsys.readouterr().out
    assert main(["--db", url, "restore", str(tmp_path / "b.zip")]) == 2
    assert "add --force" in capsys.readouterr().err
    assert main(["--db", url, "restore", str(tmp_path / "b.zip"), "--force"]) == 0


@pytest.mark.postgres
def test_backup_on_postgresql_points_to_server_tools(pg_url: str, tmp_path: Path) -> None:
    wb = open_workbench(pg_url)
    try:
        with pytest.raises(BackupError, match="pg_dump"):
            backup(wb, tmp_path / "b.zip")
    finally:
        wb.close()


def test_retention_guards_deletion(sqlite_url: str) -> None:
    wb = open_workbench(sqlite_url, officer="Alice")
    create_case(wb, demo_cases()[0])
    assert retention_until(wb, "EC-2026-0042") is None
    delete_case(wb, "EC-2026-0042")
    with pytest.raises(NotFoundError):
        get_case(wb, "EC-2026-0042")

    case = create_case(wb, demo_cases()[0])
    save_case(wb, case.with_status(CaseStatus.DETERMINED))
    keep = retention_until(wb, "EC-2026-0042")
    assert keep is not None and keep.year == date.today().year + 5
    with pytest.raises(RetentionError, match="must be kept until"):
        delete_case(wb, "EC-2026-0042")
    with pytest.raises(Exception, match="at least 10 characters"):
        delete_case(wb, "EC-2026-0042", reason="oops")
    delete_case(wb, "EC-2026-0042", reason="Duplicate of EC-2026-0043 entered in error")
    history = case_history(wb, "EC-2026-0042")
    assert history[-1].action == "delete"
    assert history[-1].reason == "Duplicate of EC-2026-0043 entered in error"
    assert history[-1].before["reference"] == "EC-2026-0042"
    assert verify_audit_chain(wb).ok
    wb.close()


def test_locked_database_gives_a_clear_message(tmp_path: Path) -> None:
    wb = open_workbench(f"sqlite:///{_db(tmp_path)}")
    create_case(wb, demo_cases()[0])
    holder = sqlite3.connect(str(_db(tmp_path)), timeout=0)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        start = time.monotonic()
        with pytest.raises(DatabaseBusyError, match="locked by another program"):
            save_case(wb, replace(demo_cases()[0], title="x", version=1))
        assert time.monotonic() - start >= 4  # it waited (retried) before giving up
    finally:
        holder.rollback()
        holder.close()
    save_case(wb, replace(get_case(wb, "EC-2026-0042"), title="after the lock"))
    wb.close()


_KILL_SCRIPT = textwrap.dedent(
    """
    import sys
    from dataclasses import replace
    from workbench.domain.case import Item
    from workbench.services import open_workbench
    from workbench.services.cases import get_case, save_case
    wb = open_workbench(sys.argv[1])
    n = 0
    print("ready", flush=True)
    while True:
        n += 1
        case = get_case(wb, "EC-2026-0042")
        items = tuple(Item(f"item {n}-{i}", eccn="EAR99", quantity=i) for i in range(200))
        save_case(wb, replace(case, title=f"save {n}", items=items))
    """
)


def test_sigkill_during_saves_leaves_a_sound_database(tmp_path: Path) -> None:
    url = f"sqlite:///{_db(tmp_path)}"
    wb = open_workbench(url)
    create_case(wb, demo_cases()[0])
    wb.close()
    with subprocess.Popen([sys.executable, "-c", _KILL_SCRIPT, url], stdout=subprocess.PIPE, text=True) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        time.sleep(1.5)
        proc.kill()
        proc.wait()
    assert integrity_problems(_db(tmp_path)) == []
    wb = open_workbench(url)
    case = get_case(wb, "EC-2026-0042")
    n = int(case.title.removeprefix("save ")) if case.title.startswith("save ") else 0
    if n:
        assert [i.description for i in case.items] == [f"item {n}-{i}" for i in range(200)]
    assert verify_audit_chain(wb).ok
    wb.close()


@pytest.mark.postgres
def test_the_log_never_shows_the_database_password(pg_url: str, caplog: pytest.LogCaptureFixture) -> None:
    with_password = pg_url.replace("postgres@", "postgres:s3cret-pw@")
    caplog.set_level(logging.INFO)
    wb = open_workbench(with_password)  # the test server trusts local connections, so any password works
    try:
        assert "s3cret-pw" not in caplog.text and "opened database" in caplog.text
        assert "s3cret-pw" not in wb.database_label
    finally:
        wb.close()
