"""Nothing silent about dates: the CCL issue, ECCNs not yet in their present form, rules not yet in force,
and the restricted-party list version a check screened against."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.unit.rules._cases import h100_board, make_case, one
from workbench.domain.case import Item
from workbench.domain.determination import Outcome, Standing
from workbench.domain.screening_records import ListVersion
from workbench.rules.engine import evaluate
from workbench.rules.listdating import list_version_finding


def test_a_check_before_the_ccl_issue_is_flagged_unconfirmed() -> None:
    d = evaluate(make_case("DE", [Item(description="router", eccn="5A992.c")], on=date(2026, 3, 1)))
    f = one(d, "data.ccl-issue")
    assert f.unconfirmed and "2026-07-23" in f.explanation and "5A992.c" in f.explanation
    later = evaluate(make_case("DE", [Item(description="router", eccn="5A992.c")], on=date(2026, 8, 1)))
    assert not [x for x in later.findings if x.rule == "data.ccl-issue"]


def test_an_advanced_computing_item_before_the_2023_rule_is_an_open_item() -> None:
    # 2023-11-01 lies between the earliest date the engine evaluates (2023-10-17) and the AC/S rule (2023-11-17).
    d = evaluate(make_case("DE", [h100_board()], on=date(2023, 11, 1)))
    f = one(d, "data.eccn-dating")
    assert f.review and "2023-11-17" in f.explanation and "88 FR 73458" in f.citation
    assert "600 GB/s" in f.explanation  # the October 2022 parameters, named rather than applied
    assert any("classify it under the CCL as it stood on 2023-11-01" in o for o in d.open_items)
    assert d.standing is not Standing.DETERMINED and "NLR" not in d.headline
    assert not [x for x in evaluate(make_case("DE", [h100_board()])).findings if x.rule == "data.eccn-dating"]


def test_model_weights_before_the_diffusion_rule() -> None:
    weights = Item(description="Model weights", eccn="4E091")
    f = one(evaluate(make_case("DE", [weights], on=date(2024, 6, 1))), "data.eccn-dating")
    assert "ECCN 4E091" in f.explanation and "2025-01-13" in f.explanation


def test_rules_not_yet_in_force_are_named() -> None:
    f = one(evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")], on=date(2025, 1, 1))),
            "data.rules-not-in-force")
    assert "Framework for Artificial Intelligence Diffusion" in f.explanation and "2025-01-13" in f.explanation
    assert f.outcome is Outcome.NLR


def _version(label: str, published: date) -> ListVersion:
    return ListVersion(
        1, label, "csl.csv", "00" * 32, "csl-csv", datetime(2026, 8, 1, tzinfo=UTC), "a", published, {}, 1, 0, True
    )


def test_list_version_is_named_and_warned_when_newer_than_the_date() -> None:
    current = _version("CSL 2026-07-31", date(2026, 7, 31))
    fits = list_version_finding(date(2026, 11, 1), current, [current])
    assert "CSL 2026-07-31" in fits.explanation and not fits.unconfirmed and "newer" not in fits.explanation
    early = list_version_finding(date(2025, 1, 1), current, [current])
    assert early.unconfirmed and "newer than the as-of date 2025-01-01" in early.explanation
    assert "no list version in the workbench existed then" in early.explanation
    older = _version("CSL 2024-12-01", date(2024, 12, 1))
    held = list_version_finding(date(2025, 1, 1), current, [older, current])
    assert "holds CSL 2024-12-01 from then" in held.explanation
