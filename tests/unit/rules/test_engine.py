"""Determination: outcome order, review, stable order, JSON shape, red flags, public helpers."""

from __future__ import annotations

import json
from datetime import date

from tests.unit.rules._cases import h100_board, make_case, one, party
from workbench.domain.case import Item, RedFlagAnswer, RedFlagAnswerValue
from workbench.domain.determination import Outcome, Posture
from workbench.rules.ccl import ccl_eccns, ccl_heading
from workbench.rules.engine import determination_to_json, evaluate
from workbench.rules.redflags import checklist


def _all_no(advanced: bool) -> list[RedFlagAnswer]:
    return [RedFlagAnswer(f.id, RedFlagAnswerValue.NO) for f in checklist(advanced)]


def test_json_shape_and_versions() -> None:
    d = evaluate(make_case("VN", [h100_board()]), as_of=date(2026, 11, 28))
    out = determination_to_json(d)
    assert out["case"] == "EC-2026-0042" and out["as_of"] == "2026-11-28" and out["posture"] == "enforced"
    assert out["outcome"] == "license_required" and isinstance(out["review_required"], bool)
    assert out["data"]["ecfr"] == "2026-07-23" and out["data"]["rules"]
    f = out["findings"][0]
    assert {"rule", "outcome", "citation", "subject", "explanation", "data"} <= set(f)
    json.dumps(out)


def test_most_restrictive_first_and_deterministic() -> None:
    case = make_case(
        "CN",
        [
            Item(description="part", eccn="3A001.a.2"),
            h100_board(),
            Item(description="Ascend 910B", manufacturer="Huawei"),
        ],
    )
    a, b = evaluate(case), evaluate(case)
    assert a == b
    severities = [f.outcome.severity for f in a.findings]
    assert severities == sorted(severities, reverse=True)
    assert a.outcome is Outcome.PROHIBITED


def test_as_of_defaults_to_transaction_date_and_posture_is_stated() -> None:
    d = evaluate(make_case("DE", [h100_board()], on=date(2025, 7, 1)), posture=Posture.CODIFIED)
    assert d.as_of == date(2025, 7, 1) and d.posture is Posture.CODIFIED


def test_red_flags_on_advanced_computing_case() -> None:
    # Supp. 3 to part 732 and the 2025-05-13 diversion guidance: unanswered flags need review on AC cases.
    case = make_case("DE", [h100_board()])
    assert evaluate(case).review_required
    answered = make_case("DE", [h100_board()], red_flags=_all_no(True))
    d = evaluate(answered)
    assert not d.review_required and d.outcome is Outcome.NLR
    flags = _all_no(True)
    flags[0] = RedFlagAnswer(flags[0].flag_id, RedFlagAnswerValue.YES, note="address matches a DPL entry")
    d = evaluate(make_case("DE", [h100_board()], red_flags=flags))
    assert d.review_required and one(d, "redflags.kyc").review


def test_non_advanced_case_needs_no_answers() -> None:
    d = evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")]))
    assert not d.review_required
    assert not [f for f in d.findings if f.rule == "redflags.diversion"]


def test_checklist_and_ccl_helpers() -> None:
    assert len(checklist(True)) > len(checklist(False))
    assert all(f.source and f.applies_to in ("all", "advanced_computing") for f in checklist(True))
    assert ccl_heading("3A090.a") and ccl_heading("EAR99") is None
    assert "4A090" in ccl_eccns()


def test_proposed_classification_is_used_and_reviewed() -> None:
    item = Item(description="AI server", tpp=15832, datacenter=True)
    d = evaluate(make_case("VN", [item]))
    assert one(d, "classification.proposed").review
    assert one(d, "adv-computing.destination").outcome is Outcome.LICENSE_REQUIRED


def test_contradiction_applies_the_stricter_level() -> None:
    item = h100_board(eccn="4A090.b")
    d = evaluate(make_case("VN", [item], [party("X", "VN")]))
    assert one(d, "classification.contradiction").review
    assert "a-level" in one(d, "adv-computing.destination").explanation


def test_open_items_extra() -> None:
    d = evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")]), open_items_extra=["EUC missing"])
    assert d.open_items == ("EUC missing",) and d.review_required
