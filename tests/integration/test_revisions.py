"""A determined case is not silently editable: a change needs a reason and starts a new revision."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from workbench.cli.main import main
from workbench.domain.case import CaseStatus
from workbench.domain.errors import ConflictError, RevisionReasonRequired
from workbench.export.casefile import dumps_case
from workbench.services import Workbench, open_workbench
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import get_case, list_cases, load_demo, save_case
from workbench.services.determinations import determination, determine


@pytest.fixture
def wb(db_url: str) -> Workbench:
    workbench = open_workbench(db_url, officer="Alice Officer")
    load_demo(workbench)
    yield workbench  # type: ignore[misc]
    workbench.close()


def _outcome(wb: Workbench, reference: str) -> str | None:
    return next(r.outcome for r in list_cases(wb, reference).rows if r.reference == reference)


def test_editing_a_determined_case_needs_a_reason_and_starts_a_new_revision(wb: Workbench) -> None:
    first = determine(wb, "EC-2026-0043")
    case = get_case(wb, "EC-2026-0043")
    assert case.status is CaseStatus.DETERMINED and _outcome(wb, "EC-2026-0043") == first.determination.outcome
    edited = replace(case, title="H100 boards to Frankfurt, quantity corrected")
    with pytest.raises(RevisionReasonRequired, match=r"is determined .* give the reason"):
        save_case(wb, edited)
    assert get_case(wb, "EC-2026-0043").title == case.title  # nothing written

    saved = save_case(wb, edited, revision_reason="Customer corrected the quantity on the purchase order")
    assert saved.status is CaseStatus.IN_REVIEW and saved.title == edited.title
    assert _outcome(wb, "EC-2026-0043") is None  # no outcome until it is determined again
    revise = [e for e in case_history(wb, "EC-2026-0043") if e.action == "revise"]
    assert {e.field for e in revise} >= {"status", "outcome", "title"}
    assert all(e.reason == "Customer corrected the quantity on the purchase order" for e in revise)
    assert next(e for e in revise if e.field == "status").after == "in_review"
    assert determination(wb, "EC-2026-0043").content_hash == first.content_hash  # the signed revision stays
    second = determine(wb, "EC-2026-0043")
    assert second.revision == 2 and get_case(wb, "EC-2026-0043").status is CaseStatus.DETERMINED
    assert verify_audit_chain(wb).ok


def test_a_determined_case_does_not_go_back_silently(wb: Workbench) -> None:
    stale = get_case(wb, "EC-2026-0043")  # an editor opened before the determination
    determine(wb, "EC-2026-0043")
    with pytest.raises(ConflictError):  # the determination bumped the version: the copy is stale
        save_case(wb, replace(stale, title="Edited in an editor opened before the determination"))
    fresh = get_case(wb, "EC-2026-0043")
    assert fresh.status is CaseStatus.DETERMINED
    with pytest.raises(RevisionReasonRequired):
        save_case(wb, fresh.with_status(CaseStatus.DRAFT))
    back = save_case(wb, fresh.with_status(CaseStatus.DRAFT), revision_reason="Rework the classification")
    assert back.status is CaseStatus.DRAFT and _outcome(wb, "EC-2026-0043") is None


def test_an_undetermined_case_saves_without_a_reason(wb: Workbench) -> None:
    case = get_case(wb, "EC-2026-0044")
    saved = save_case(wb, replace(case, title="Edited while still a draft"))
    assert saved.status is case.status and not any(e.action == "revise" for e in case_history(wb, case.reference))


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_case_import_over_a_determined_case(
    sqlite_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    wb = open_workbench(sqlite_url, officer="Alice Officer")
    try:
        load_demo(wb)
        determine(wb, "EC-2026-0043")
        path = tmp_path / "ec-2026-0043.json"
        path.write_text(dumps_case(replace(get_case(wb, "EC-2026-0043"), title="Re-imported")), encoding="utf-8")
    finally:
        wb.close()
    code, _, err = _run(capsys, "--db", sqlite_url, "case", "import", str(path))
    assert code == 2 and "is determined" in err and "reason" in err and len(err.strip().splitlines()) == 1
    code, out, err = _run(
        capsys, "--db", sqlite_url, "case", "import", str(path), "--reason", "Title corrected", "--json"
    )
    assert code == 0, err
    result = json.loads(out)
    assert (result["imported"], result["status"]) == ("EC-2026-0043", "in_review")
    code, out, _ = _run(capsys, "--db", sqlite_url, "audit", "log", "EC-2026-0043", "--json")
    assert code == 0 and "Title corrected" in out and "revise" in out
    # An undetermined case of that reference is still refused without a reason (a duplicate).
    code, _, err = _run(capsys, "--db", sqlite_url, "case", "import", str(path))
    assert code == 2 and "already exists" in err
