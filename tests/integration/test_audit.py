"""The audit trail: recorded with the change, field by field, hash-chained, tamper-evident."""

from __future__ import annotations

import json
import threading
from dataclasses import replace

import pytest
from sqlalchemy import text

from workbench.cli.main import main
from workbench.domain.errors import DuplicateError
from workbench.services import Workbench, open_workbench
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import create_case, demo_cases, get_case, save_case


@pytest.fixture
def wb(db_url: str) -> Workbench:
    workbench = open_workbench(db_url, officer="Alice Officer")
    yield workbench  # type: ignore[misc]
    workbench.close()


def _edit(wb: Workbench) -> None:
    case = create_case(wb, demo_cases()[0])
    party = replace(case.parties[1], name="Renamed Sdn Bhd")
    save_case(wb, replace(case, title="New title", parties=(case.parties[0], party, *case.parties[2:])))


def test_changes_are_recorded_field_by_field_with_officer(wb: Workbench) -> None:
    _edit(wb)
    history = case_history(wb, "EC-2026-0042")
    assert [e.action for e in history] == ["create", "update", "update"]
    assert history[0].after["reference"] == "EC-2026-0042"
    updates = {e.field: (e.before, e.after) for e in history[1:]}
    assert updates == {
        "parties[1].name": ("Example Data Centre Sdn Bhd", "Renamed Sdn Bhd"),
        "title": ("GPU servers for a Kuala Lumpur data centre", "New title"),
    }
    assert {e.officer for e in history} == {"Alice Officer"}
    assert all(e.at.endswith("+00:00") for e in history)
    assert verify_audit_chain(wb).ok


def test_a_rolled_back_change_leaves_no_entry(wb: Workbench) -> None:
    create_case(wb, demo_cases()[0])
    with pytest.raises(DuplicateError), wb.uow() as uow:
        uow.cases.add(demo_cases()[1])
        uow.cases.add(demo_cases()[0])
    report = verify_audit_chain(wb)
    assert report.ok and report.entries == 1


@pytest.mark.parametrize(
    ("tamper", "seq", "fragment"),
    [
        ("UPDATE audit_log SET after = '\"Forged\"' WHERE seq = 2", 2, "was altered"),
        ("UPDATE audit_log SET officer = 'Mallory' WHERE seq = 1", 1, "was altered"),
        ("DELETE FROM audit_log WHERE seq = 2", 2, "missing (deleted)"),
        ("DELETE FROM audit_log WHERE seq = 3", 3, "entries after 2 were deleted"),
        (
            "INSERT INTO audit_log (seq, at, officer, entity, entity_key, action, field, reason, prev_hash, hash)"
            " SELECT 4, at, officer, entity, entity_key, action, 'x', '', hash, hash FROM audit_log WHERE seq = 3",
            4,
            "was altered, or inserted",
        ),
        ("UPDATE audit_log SET seq = seq + 10 WHERE seq = 2", 2, "missing (deleted)"),
    ],
)
def test_tampering_is_detected_at_the_first_broken_entry(wb: Workbench, tamper: str, seq: int, fragment: str) -> None:
    _edit(wb)
    with wb.database.engine.begin() as conn:
        conn.execute(text(tamper))
    report = verify_audit_chain(wb)
    assert not report.ok
    assert report.first_broken_seq == seq
    assert fragment in report.problem


def test_cli_audit_verify_and_log(wb: Workbench, capsys: pytest.CaptureFixture[str]) -> None:
    _edit(wb)
    url = wb.database.url
    assert main(["--db", url, "audit", "verify"]) == 0
    assert "intact: 3 entries" in capsys.readouterr().out
    assert main(["--db", url, "audit", "log", "EC-2026-0042"]) == 0
    out = capsys.readouterr().out
    assert "update title" in out and "New title" in out
    assert main(["--db", url, "--officer", "Bob", "audit", "log", "EC-2026-0042", "--json"]) == 0
    assert len(json.loads(capsys.readouterr().out)) == 3
    with wb.database.engine.begin() as conn:
        conn.execute(text("UPDATE audit_log SET field = 'status' WHERE seq = 3"))
    assert main(["--db", url, "audit", "verify"]) == 3
    assert "BROKEN at entry 3" in capsys.readouterr().out


def test_concurrent_writers_keep_one_consistent_chain(db_url: str) -> None:
    """Two officers saving different cases at the same time still produce one unbroken chain."""
    setup = open_workbench(db_url, officer="setup")
    for case in demo_cases()[:2]:
        create_case(setup, case)
    errors: list[BaseException] = []

    def work(officer: str, reference: str) -> None:
        wb = open_workbench(db_url, officer=officer)
        try:
            for i in range(15):
                case = get_case(wb, reference)
                save_case(wb, replace(case, title=f"{officer} edit {i}"))
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            wb.close()

    threads = [
        threading.Thread(target=work, args=("Alice", demo_cases()[0].reference)),
        threading.Thread(target=work, args=("Bob", demo_cases()[1].reference)),
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    report = verify_audit_chain(setup)
    assert report.ok, report.problem
    assert report.entries == 2 + 30
    setup.close()
