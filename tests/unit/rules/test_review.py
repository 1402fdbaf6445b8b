"""Licence review policy per finding (review-policies.json; advanced-computing.json review_policies).

Cited texts: part 742 review policies per reason (742.4(b)(1) NS, 742.5(b) MT, 742.6(b) RS, 742.15(b) EI;
UNCONFIRMED paragraph detail), 742.6(b) presumption of denial for Macau/D:5, and the January 2026 rule
(91 FR 1684, effective 2026-01-15): case-by-case for H200-class and lesser chips exported from the US to
China/Macau, with its conditions (ceilings TPP < 21,000 and DRAM bandwidth < 6,500 GB/s UNCONFIRMED).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import h100_board, make_case, one
from workbench.domain.case import Item, TransactionType
from workbench.domain.determination import Outcome
from workbench.rules.engine import determination_to_json, evaluate

LR = Outcome.LICENSE_REQUIRED


def _h200(**kw: object) -> Item:
    return h100_board(model="H200", tpp=15832.0, dram_bandwidth=4800.0, **kw)


@pytest.mark.parametrize(
    ("eccn", "destination", "rule", "label", "citation"),
    [
        # NS to China (D:1): case-by-case (742.4(b)(1)(ii)); NS to Brazil (not D:1): generally approved.
        ("3A001.a.3", "CN", "country-chart.NS2", "Case-by-case", "742.4(b)(1)(ii)"),
        ("1A003", "BR", "country-chart.NS2", "Policy of approval", "742.4(b)(1)(i)"),
        # RS 1 to China: case-by-case (742.6(b)(1)).
        ("6A008.j.1", "CN", "country-chart.RS1", "Case-by-case", "742.6(b)(1)"),
    ],
)
def test_policy_by_reason_and_destination(eccn: str, destination: str, rule: str, label: str, citation: str) -> None:
    item = Item(description="part", eccn=eccn, unit_value=Decimal(100000))
    f = one(evaluate(make_case(destination, [item])), rule)
    assert f.outcome is LR
    assert f.review_policy and f.review_policy.startswith(label) and citation in f.review_policy
    assert "UNCONFIRMED" in f.review_policy  # paragraph-level detail is not tied to a primary text


def test_exceptions_and_nlr_findings_carry_no_review_policy() -> None:
    d = evaluate(make_case("DE", [Item(description="part", eccn="3A001.a.2")]))
    assert all(f.review_policy is None for f in d.findings if f.outcome is not LR)


def test_every_requirement_has_a_policy_or_says_not_evaluated() -> None:
    d = evaluate(make_case("CN", [h100_board(), Item(description="part", eccn="3A001.a.3", unit_value=Decimal(9))]))
    for f in d.findings:
        if f.outcome is LR:
            assert f.review_policy, f.rule


def test_review_policy_in_json() -> None:
    d = evaluate(make_case("CN", [h100_board()]))
    data = determination_to_json(d)
    assert any(f["review_policy"] for f in data["findings"])


@pytest.mark.parametrize(
    ("day", "case_by_case"),
    [
        (date(2026, 1, 14), False),  # the day before 91 FR 1684 took effect: presumption of denial
        (date(2026, 1, 15), True),  # the day it took effect
    ],
)
def test_h200_policy_from_its_effective_date(day: date, case_by_case: bool) -> None:
    d = evaluate(make_case("CN", [_h200()], on=day))
    f = one(d, "adv-computing.destination")
    assert f.outcome is LR
    assert (f.review_policy or "").startswith("Case-by-case" if case_by_case else "Presumption of denial")
    checklist = [o for o in d.open_items if "January 2026 case-by-case review" in o]
    assert bool(checklist) is case_by_case
    if case_by_case:
        assert any("third-party" in o for o in checklist) and any("50 %" in o for o in checklist)
        assert any("remote-access" in o for o in checklist)


@pytest.mark.parametrize(
    ("tpp", "bandwidth", "expected"),
    [
        (20999.0, 6499.0, "Case-by-case"),  # just under both ceilings
        (21000.0, 4800.0, "Presumption of denial"),  # at the TPP ceiling
        (15832.0, 6500.0, "Presumption of denial"),  # at the bandwidth ceiling
    ],
)
def test_h200_ceilings_tested_against_the_items_figures(tpp: float, bandwidth: float, expected: str) -> None:
    d = evaluate(make_case("CN", [h100_board(tpp=tpp, dram_bandwidth=bandwidth)]))
    f = one(d, "adv-computing.destination")
    assert (f.review_policy or "").startswith(expected)
    assert bool([o for o in d.open_items if "January 2026 case-by-case review" in o]) is (expected == "Case-by-case")


def test_h200_without_bandwidth_asks_for_it() -> None:
    d = evaluate(make_case("CN", [h100_board()]))
    assert any("record the DRAM bandwidth" in o for o in d.open_items)
    assert not any("January 2026 case-by-case review" in o for o in d.open_items)


def test_h200_policy_only_for_exports_from_the_us() -> None:
    reexport = replace(make_case("CN", [_h200()], export_from="SG"), transaction_type=TransactionType.REEXPORT)
    f = one(evaluate(reexport), "adv-computing.destination")
    assert (f.review_policy or "").startswith("Presumption of denial") and "only exports from the United States" in (
        f.review_policy or ""
    )


def test_h200_checklist_not_listed_for_other_destinations() -> None:
    d = evaluate(make_case("VN", [_h200()]))
    assert not any("January 2026 case-by-case review" in o for o in d.open_items)
