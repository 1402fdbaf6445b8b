"""Dated regulation: a case is judged by the text in force on its date (issue #17 item 2).

Each row cites the text it follows; boundary rows are the day before and the day a rule took effect.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.rules._cases import by_rule, h100_board, make_case, one
from workbench.domain.case import Item
from workbench.domain.determination import Outcome, Posture, Standing
from workbench.rules.engine import evaluate

HBM = Item(description="HBM3E 12-high stack", eccn="3A090.c", manufacturer="SK hynix")
WEIGHTS = Item(description="Frontier model weights", eccn="4E091")
# A 4A090.a computer not designed or marketed for datacenters keeps NAC/ACA (Note to 3A090, ear-facts.md 2.2).
WORKSTATION = h100_board(description="Workstation with one accelerator", datacenter=False, quantity=1)


@pytest.mark.parametrize(
    ("day", "evaluated"),
    [
        (date(2023, 10, 16), False),  # the day before the October 2023 rules were released
        (date(2023, 10, 17), True),  # 88 FR 73458 / 73424 released; the earliest date the rule data describes
    ],
)
def test_the_engine_does_not_evaluate_dates_before_its_rule_data(day: date, evaluated: bool) -> None:
    d = evaluate(make_case("CN", [h100_board()], on=day))
    skipped = by_rule(d, "data.not-evaluated")
    assert bool(skipped) is not evaluated
    if not evaluated:
        assert [f.rule for f in d.findings] == ["data.not-evaluated"]  # nothing guessed
        assert d.standing is Standing.OPEN and "2023-10-17" in d.open_items[0]
    else:
        assert any(f.outcome is Outcome.LICENSE_REQUIRED for f in d.findings)


@pytest.mark.parametrize(
    ("day", "outcome", "rule"),
    [
        # 89 FR 96790 (FR Doc 2024-28270), DATES: "This rule is effective December 2, 2024."
        (date(2024, 12, 1), Outcome.NLR, "data.eccn-dating"),
        (date(2024, 12, 2), Outcome.LICENSE_REQUIRED, "adv-computing.destination"),
    ],
)
def test_hbm_is_controlled_from_the_december_2024_rule(day: date, outcome: Outcome, rule: str) -> None:
    d = evaluate(make_case("CN", [HBM], on=day))
    f = one(d, rule)
    assert f.outcome is outcome
    if rule == "data.eccn-dating":
        assert "89 FR 96790" in f.citation and not by_rule(d, "adv-computing.destination")
        assert any("classify it under the CCL as it stood on 2024-12-01" in o for o in d.open_items)


def test_hbm_in_the_compliance_window_says_the_compliance_date_is_unconfirmed() -> None:
    inside = one(evaluate(make_case("CN", [HBM], on=date(2024, 12, 30))), "data.compliance-window")
    assert inside.unconfirmed and "2024-12-31" in inside.explanation
    assert not by_rule(evaluate(make_case("CN", [HBM], on=date(2024, 12, 31))), "data.compliance-window")


@pytest.mark.parametrize(
    ("day", "posture", "rs_required", "note"),
    [
        # ECCN 4E091 added by 90 FR 4544, effective 2025-01-13 (ear-facts.md 1.1)
        (date(2025, 1, 12), Posture.CODIFIED, False, "data.eccn-dating"),
        # in force but the compliance date (2025-05-15) not reached
        (date(2025, 1, 13), Posture.CODIFIED, False, "dated.posture"),
        (date(2025, 5, 14), Posture.CODIFIED, False, "dated.posture"),
        # codified text from the compliance date: "To or within any destination worldwide. See § 742.6(a)(13)."
        (date(2025, 5, 15), Posture.CODIFIED, True, None),
        # BIS does not enforce the Diffusion rule (2025-05-13): codified but unenforced (ear-facts.md 1.5)
        (date(2025, 5, 15), Posture.ENFORCED, False, "dated.posture"),
    ],
)
def test_model_weights_by_date_and_posture(day: date, posture: Posture, rs_required: bool, note: str | None) -> None:
    d = evaluate(make_case("DE", [WEIGHTS], on=day), posture=posture)
    rs = [f for f in by_rule(d, "ccl-scope.RS") if f.outcome is Outcome.LICENSE_REQUIRED]
    assert bool(rs) is rs_required
    if note:
        assert one(d, note)
    if note == "dated.posture" and posture is Posture.ENFORCED:
        assert "would not enforce" in one(d, note).explanation


@pytest.mark.parametrize(
    ("destination", "day", "exception", "aes", "notified"),
    [
        # AC/S IFR (88 FR 73458): one License Exception NAC from 2023-11-17 covering D:1/D:4; notification only for
        # Macau/D:5 (AES C67), none elsewhere (C68 "NAC (NO notification required)", CBP CSMS #61882672)
        ("VN", date(2023, 11, 17), "NAC", "C68", False),
        ("VN", date(2024, 4, 3), "NAC", "C68", False),
        # 89 FR 23876: NAC/ACA split from 2024-04-04; ACA for D:1/D:4 outside Macau/D:5, no notification, C68
        ("VN", date(2024, 4, 4), "ACA", "C68", False),
        ("CN", date(2023, 11, 17), "NAC", "C67", True),
        ("CN", date(2024, 4, 3), "NAC", "C67", True),
        # NAC for Macau and D:5 after the split, notified, AES C67 (ear-facts.md 2.5)
        ("CN", date(2024, 4, 4), "NAC", "C67", True),
    ],
)
def test_nac_as_it_stood(destination: str, day: date, exception: str, aes: str, notified: bool) -> None:
    d = evaluate(make_case(destination, [WORKSTATION], on=day))
    f = one(d, "adv-computing.destination")
    assert f.outcome is Outcome.LICENSE_EXCEPTION and f.exception == exception
    assert f"AES code {aes}" in f.explanation
    assert any("requires prior notification" in o for o in d.open_items) is notified
    if day < date(2024, 4, 4):
        assert "89 FR 23876" in f.explanation  # the single exception is named with its end
    assert f.unconfirmed is notified  # only the reported 25-day lead time of a notified NAC is UNCONFIRMED


def test_before_the_acs_rule_the_advanced_computing_parameters_are_named_not_applied() -> None:
    d = evaluate(make_case("CN", [h100_board()], on=date(2023, 11, 16)))
    f = one(d, "data.eccn-dating")
    assert "87 FR 62186" in f.explanation and "600 GB/s" in f.explanation and f.review
    assert not by_rule(evaluate(make_case("CN", [h100_board()], on=date(2023, 11, 17))), "data.eccn-dating")


@pytest.mark.parametrize(("day", "dated"), [(date(2024, 12, 1), True), (date(2024, 12, 2), False)])
def test_sme_entries_of_the_december_2024_rule(day: date, dated: bool) -> None:
    tool = Item(description="Advanced-node deposition tool", eccn="3B993")
    found = by_rule(evaluate(make_case("CN", [tool], on=day)), "data.eccn-dating")
    assert bool(found) is dated
    if dated:
        assert found[0].unconfirmed  # that 89 FR 96790 created (not revised) 3B993 is UNCONFIRMED


def test_a_rule_pack_changing_a_date_is_reported_by_json_pointer() -> None:
    import json

    from workbench.rules.data import builtin_parts, rule_data_from_parts
    from workbench.rules.diff import diff_rule_data

    parts = builtin_parts()
    dated = json.loads(parts["dated-regulation.json"])
    dated["entries"][0]["from"] = "2024-12-03"
    changed = rule_data_from_parts({**parts, "dated-regulation.json": json.dumps(dated).encode()})
    changes, _ = diff_rule_data(rule_data_from_parts(parts), changed)
    assert [(c.area, c.subject, c.after) for c in changes] == [("dated_regulation", "/entries/0/from", "2024-12-03")]
    # and the HBM requirement moves with the data, not with code
    from workbench.rules.data import using_rule_data

    with using_rule_data(changed):
        d = evaluate(make_case("CN", [HBM], on=date(2024, 12, 2)))
    assert one(d, "data.eccn-dating")


@pytest.mark.parametrize(("day", "left"), [(date(2025, 12, 31), False), (date(2026, 1, 1), True)])
def test_an_entry_that_left_the_ccl_is_not_applied_after_its_last_day(day: date, left: bool) -> None:
    import json

    from workbench.rules.data import builtin_parts, rule_data_from_parts, using_rule_data

    parts = builtin_parts()
    dated = json.loads(parts["dated-regulation.json"])
    dated["entries"][0]["to"] = "2025-12-31"  # a what-if: 3A090.c removed after 2025-12-31
    with using_rule_data(rule_data_from_parts({**parts, "dated-regulation.json": json.dumps(dated).encode()})):
        d = evaluate(make_case("CN", [HBM], on=day))
    gone = by_rule(d, "data.eccn-dating")
    assert bool(gone) is left and bool(by_rule(d, "adv-computing.destination")) is not left
    if left:
        assert "had left the CCL (2025-12-31)" in gone[0].explanation
