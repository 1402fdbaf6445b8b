"""Rule 1: the Country Chart, §738.4(a)(2): each reason for control separately; no X is not clearance."""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.rules._cases import by_rule, make_case
from workbench.domain.case import Item
from workbench.domain.determination import Outcome
from workbench.rules.engine import evaluate


@pytest.mark.parametrize(
    ("eccn", "destination", "expected"),
    [
        # 3A001.a.2: NS entire entry -> NS 2; AT 1. China has NS 2, Germany has not (Supp. 1 to part 738).
        ("3A001.a.2", "CN", {"country-chart.NS2": Outcome.LICENSE_REQUIRED, "country-chart.AT1": Outcome.NLR}),
        ("3A001.a.2", "DE", {"country-chart.NS2": Outcome.NLR, "country-chart.AT1": Outcome.NLR}),
        # Hong Kong has no row and takes China's (85 FR 83788).
        ("3A001.a.2", "HK", {"country-chart.NS2": Outcome.LICENSE_REQUIRED}),
        # 5A992.c: AT only; no X anywhere in the 2026 chart.
        ("5A992.c", "CN", {"country-chart.AT1": Outcome.NLR}),
    ],
)
def test_reasons_against_columns(eccn: str, destination: str, expected: dict[str, Outcome]) -> None:
    d = evaluate(make_case(destination, [Item(description="part", eccn=eccn)]))
    for rule, outcome in expected.items():
        found = by_rule(d, rule)
        assert found and all(f.outcome is outcome for f in found), rule


def test_no_x_is_not_clearance() -> None:
    d = evaluate(make_case("DE", [Item(description="part", eccn="3A001.a.2")]))
    f = by_rule(d, "country-chart.NS2")[0]
    assert "not clearance" in f.explanation and "General Prohibitions Four through Ten" in f.explanation


def test_each_reason_reported_separately() -> None:
    d = evaluate(make_case("CN", [Item(description="MMIC amplifier", eccn="3A001.b.2")]))
    rules = {f.rule for f in d.findings if f.rule.startswith("country-chart.")}
    assert {"country-chart.NS1", "country-chart.NS2", "country-chart.RS1", "country-chart.AT1"} <= rules
    # the NS 1 row is qualified ("except ... civil telecommunications"): license_required with review
    ns1 = by_rule(d, "country-chart.NS1")[0]
    assert ns1.outcome is Outcome.LICENSE_REQUIRED and ns1.review


def test_bare_eccn_asks_for_the_paragraph() -> None:
    d = evaluate(make_case("CN", [Item(description="part", eccn="3A001")]))
    assert any(f.review and "does not say which paragraph" in f.explanation for f in by_rule(d, "country-chart.NS1"))


def test_embargoed_row_points_to_part_746() -> None:
    d = evaluate(make_case("IR", [Item(description="part", eccn="3A001.a.2")]))
    assert by_rule(d, "country-chart.part746")[0].outcome is Outcome.NLR
    assert not by_rule(d, "country-chart.NS2")


def test_chart_rows_before_the_ecfr_issue_are_unconfirmed() -> None:
    # Reference section 8 item 6: 2025 Country Chart rows UNCONFIRMED.
    d = evaluate(make_case("CN", [Item(description="part", eccn="3A001.a.2")], on=date(2025, 6, 1)))
    assert by_rule(d, "country-chart.NS2")[0].unconfirmed


def test_stated_scope_rows_and_all_destination_entries() -> None:
    # 3B001.c: NS "to or within Macau or D:5" (§742.4(a)(4)); 0A983: licence to all destinations (§738.3(a)(1)).
    d = evaluate(make_case("CN", [Item(description="etcher", eccn="3B001.c")]))
    assert by_rule(d, "ccl-scope.NS")[0].outcome is Outcome.LICENSE_REQUIRED
    d = evaluate(make_case("DE", [Item(description="restraint", eccn="0A983")]))
    assert by_rule(d, "country-chart.all-destinations")[0].outcome is Outcome.LICENSE_REQUIRED
