"""Fault tolerance: killed imports and exports, full disks, two processes on one PostgreSQL database."""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from workbench.domain.errors import WorkbenchError
from workbench.export.atomic import OutputFileError
from workbench.services import open_workbench
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import create_case, demo_cases
from workbench.services.determinations import determination_history
from workbench.services.screening import active_version, import_list, list_versions, screen_name
from workbench.store.backup import integrity_problems


def _plain_snapshot(folder: Path) -> Path:
    """The shipped snapshot uncompressed: the same entries in a file with another SHA-256."""
    import gzip

    from workbench import resources

    path = folder / "consolidated-2026-07-31.csv"
    path.write_bytes(gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")))
    return path


_IMPORT_FOREVER = textwrap.dedent(
    """
    import sys
    import time
    from pathlib import Path
    from workbench import resources
    from workbench.services import open_workbench
    from workbench.services.screening import import_list
    wb = open_workbench(sys.argv[1])
    files = [Path(str(resources.resource("lists/consolidated-2026-07-31.csv.gz"))), Path(sys.argv[2])]
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        started = time.monotonic()
        import_list(wb, files[n % 2], allow_shrink=True, rescreen=False)  # alternate: every import inserts
        print(f"imported {time.monotonic() - started:.3f}", flush=True)
    """
)


def test_sigkill_during_list_import_keeps_the_previous_version(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    url = f"sqlite:///{db}"
    wb = open_workbench(url)
    first = active_version(wb)
    wb.close()
    plain = _plain_snapshot(tmp_path)
    with subprocess.Popen(
        [sys.executable, "-c", _IMPORT_FOREVER, url, str(plain)], stdout=subprocess.PIPE, text=True
    ) as proc:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        # Wait for one import to complete (however loaded the machine is), then kill the child
        # part-way through the next one: a third of the time the last one took.
        done = proc.stdout.readline().split()
        assert done and done[0] == "imported", done
        time.sleep(float(done[1]) / 3)
        proc.kill()
        proc.wait()
    assert integrity_problems(db) == []
    wb = open_workbench(url)
    active = active_version(wb)
    assert active.entry_count == first.entry_count
    assert len(list_versions(wb)) >= 2  # imports did complete before the kill
    with wb.database.engine.connect() as conn:
        counts = conn.execute(
            text(
                "SELECT v.id, v.entry_count, COUNT(e.id) FROM list_versions v "
                "LEFT JOIN list_entries e ON e.version_id = v.id GROUP BY v.id, v.entry_count"
            )
        ).all()
    assert all(expected == stored for _, expected, stored in counts)  # no half-imported version
    assert verify_audit_chain(wb).ok
    wb.close()


_EXPORT_FOREVER = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from workbench.services import open_workbench
    from workbench.services.cases import export_case_file
    wb = open_workbench(sys.argv[1])
    out = Path(sys.argv[2])
    print("ready", flush=True)
    while True:
        export_case_file(wb, "EC-2026-0042", out)
    """
)


def test_sigkill_during_exports_never_leaves_a_partial_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'w.sqlite3'}"
    wb = open_workbench(url)
    create_case(wb, demo_cases()[0])
    wb.close()
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "case.json"
    for _ in range(3):
        with subprocess.Popen(
            [sys.executable, "-c", _EXPORT_FOREVER, url, str(out)], stdout=subprocess.PIPE, text=True
        ) as proc:
            assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
            time.sleep(0.4)
            proc.kill()
            proc.wait()
        if out.exists():
            from workbench.export.casefile import read_case_file

            assert read_case_file(out).reference == "EC-2026-0042"
    leftovers = [p.name for p in out_dir.iterdir() if p.name != "case.json"]
    # A killed writer can leave its temporary file behind, never a partial case.json.
    assert all(name.startswith(".case.json.") and name.endswith(".tmp") for name in leftovers)


def test_full_disk_during_export_is_a_clear_error_and_keeps_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.services.cases import export_case_file

    wb = open_workbench(f"sqlite:///{tmp_path / 'w.sqlite3'}")
    create_case(wb, demo_cases()[0])
    out = tmp_path / "case.json"
    out.write_text("previous export")

    def full(_fd: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError, match=r"No space left on device\. Nothing was written"):
        export_case_file(wb, "EC-2026-0042", out)
    assert out.read_text() == "previous export"
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".case")) == []
    wb.close()


def test_full_disk_during_list_import_is_a_clear_error_and_keeps_the_version(tmp_path: Path) -> None:
    db = tmp_path / "w.sqlite3"
    wb = open_workbench(f"sqlite:///{db}")
    first = active_version(wb)
    page_count = int(wb.database.engine.connect().execute(text("PRAGMA page_count")).scalar() or 0)
    wb.close()

    from sqlalchemy import event

    wb = open_workbench(f"sqlite:///{db}")

    def cap(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        cursor.execute(f"PRAGMA max_page_count={page_count + 50}")
        cursor.close()

    event.listen(wb.database.engine, "connect", cap)
    wb.database.engine.dispose()
    with pytest.raises(WorkbenchError, match="The disk is full"):
        import_list(wb, _plain_snapshot(tmp_path), rescreen=False, label="second copy")
    assert active_version(wb) == first
    assert len(list_versions(wb)) == 1
    wb.close()
    assert integrity_problems(db) == []


_OFFICER = textwrap.dedent(
    """
    import json
    import sys
    from dataclasses import replace
    from workbench.domain.errors import ConflictError
    from workbench.services import open_workbench
    from workbench.services.cases import get_case, save_case
    from workbench.services.determinations import determine
    from workbench.services.screening import screen_case
    wb = open_workbench(sys.argv[1], officer=sys.argv[2])
    counts = {"save": 0, "screen": 0, "determine": 0, "conflict": 0}
    messages = set()
    for i in range(int(sys.argv[3])):
        for action in ("save", "screen", "determine"):
            try:
                if action == "save":
                    case = get_case(wb, "EC-2026-0042")
                    # the other officer may have determined it: a change is then a new revision, with a reason
                    save_case(wb, replace(case, title=f"{sys.argv[2]} {i}"), revision_reason=f"round {i} edit")
                elif action == "screen":
                    screen_case(wb, "EC-2026-0042")
                else:
                    determine(wb, "EC-2026-0042")
                counts[action] += 1
            except ConflictError as exc:
                counts["conflict"] += 1
                messages.add(str(exc).split("(")[0])
    wb.close()
    print(json.dumps([counts, sorted(messages)]), flush=True)
    """
)
_ROUNDS = 12
_CONFLICT_MESSAGES = (
    "Case EC-2026-0042 was changed by someone else since you opened it",
    "Someone else saved this case at the same moment",
    "Case EC-2026-0042 was saved or determined by someone else while this determination was being prepared",
)


@pytest.mark.postgres
def test_two_officers_edit_screen_and_determine_one_case_at_once(pg_url: str) -> None:
    wb = open_workbench(pg_url, officer="setup")
    try:
        create_case(wb, demo_cases()[0])
        screen_name(wb, "warm up")  # import the shipped list once, before the race
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", _OFFICER, pg_url, name, str(_ROUNDS)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for name in ("Alice", "Bob")
        ]
        results: list[tuple[dict[str, int], list[str]]] = []
        for proc in procs:
            out, err = proc.communicate(timeout=300)
            assert proc.returncode == 0, err[-2000:]  # no crash: every clash is a clear conflict
            counts, messages = json.loads(out.strip().splitlines()[-1])
            results.append((counts, messages))
        total = {key: sum(counts[key] for counts, _ in results) for key in ("save", "screen", "determine", "conflict")}
        assert total["save"] + total["determine"] + total["conflict"] == 2 * 2 * _ROUNDS  # each saved or refused
        assert total["screen"] == 2 * _ROUNDS
        for _, messages in results:
            for message in messages:
                assert message.startswith(_CONFLICT_MESSAGES), message
        # No lost update: every save and determination that succeeded is in the database and the log.
        revisions = [d.revision for d in determination_history(wb, "EC-2026-0042")]
        assert revisions == list(range(1, total["determine"] + 1))
        history = case_history(wb, "EC-2026-0042")
        assert sum(1 for e in history if e.action == "determine" and e.field == "determination") == total["determine"]
        # A save after a determination is recorded as a revision (with its reason), others as updates.
        saves = sum(1 for e in history if e.action in ("update", "revise") and e.field == "title")
        assert saves == total["save"]
        report = verify_audit_chain(wb)
        assert report.ok, report.problem
    finally:
        wb.close()
