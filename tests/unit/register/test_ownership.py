"""Ownership aggregation: exact at the 50 % line, through chains without multiplying, cycles refused."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from workbench.domain.case import ListFlag
from workbench.domain.errors import ValidationError
from workbench.domain.ownership import OwnershipCycleError, OwnershipGraph, Stake, aggregate, percent_value

EL, MEU, SDN = ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER, ListFlag.SDN
DAY = date(2025, 9, 1)


def _s(owner: int, owned: int, percent: str | None) -> Stake:
    return Stake(owner, owned, None if percent is None else Decimal(percent), DAY, note="register extract")


@pytest.mark.parametrize(
    ("percent", "covered"), [("49.99", False), ("50", True), ("50.00", True), ("49.999999", False)]
)
def test_the_fifty_percent_line_is_exact(percent: str, covered: bool) -> None:
    graph = OwnershipGraph((_s(1, 2, percent),))
    result = aggregate(graph, {1: [EL]}, [EL])[2]
    assert result.total == Decimal(percent)
    assert result.covered is covered


def test_two_listed_owners_aggregate() -> None:
    graph = OwnershipGraph((_s(1, 3, "30"), _s(2, 3, "25"), _s(4, 3, "45")))
    result = aggregate(graph, {1: [EL], 2: [EL]}, [EL])[3]
    assert result.total == Decimal(55) and result.covered
    assert [(c.stake.owner_id, c.stake.percent) for c in result.contributions] == [(1, 30), (2, 25)]
    assert [p.root_id for p in result.paths] == [1, 2]


def test_lists_not_evaluated_do_not_count() -> None:
    graph = OwnershipGraph((_s(1, 3, "30"), _s(2, 3, "25")))
    assert aggregate(graph, {1: [EL], 2: [MEU]}, [SDN]) == {}
    result = aggregate(graph, {1: [EL], 2: [MEU]}, [EL, MEU])[3]
    assert result.covered and result.lists == {EL, MEU}


def test_a_covered_entity_passes_its_stakes_on_in_full() -> None:
    # 1 (listed) owns 50 % of 2, 2 owns 50 % of 3: 3 is covered (OFAC does not multiply to 25 %).
    graph = OwnershipGraph((_s(1, 2, "50"), _s(2, 3, "50"), _s(3, 4, "60")))
    results = aggregate(graph, {1: [SDN]}, [SDN])
    assert results[3].covered and results[3].total == 50
    assert results[4].covered
    [path] = results[4].paths
    assert path.root_id == 1 and [(s.owner_id, s.owned_id, s.percent) for s in path.stakes] == [
        (1, 2, 50),
        (2, 3, 50),
        (3, 4, 60),
    ]


def test_an_entity_below_fifty_passes_nothing_on() -> None:
    graph = OwnershipGraph((_s(1, 2, "49.99"), _s(2, 3, "100")))
    results = aggregate(graph, {1: [SDN]}, [SDN])
    assert not results[2].covered
    assert 3 not in results


def test_direct_and_indirect_stakes_add_up() -> None:
    # 1 listed owns 10 % of 3 directly and all of 2, which owns 40 % of 3: 50 % in aggregate.
    graph = OwnershipGraph((_s(1, 3, "10"), _s(1, 2, "100"), _s(2, 3, "40")))
    result = aggregate(graph, {1: [EL]}, [EL], party_id=3)[3]
    assert result.total == 50 and result.covered
    assert sorted(len(p.stakes) for p in result.paths) == [1, 2]


def test_unknown_percentages_of_listed_owners_are_reported() -> None:
    graph = OwnershipGraph((_s(1, 2, None), _s(3, 2, "20")))
    result = aggregate(graph, {1: [EL]}, [EL])[2]
    assert result.total == 0 and not result.covered
    assert [c.stake.owner_id for c in result.unknown] == [1]


def test_cycles_are_refused_naming_the_circle() -> None:
    stakes = (_s(1, 2, "60"), _s(2, 3, "60"), _s(3, 1, "10"))
    with pytest.raises(OwnershipCycleError) as exc:
        OwnershipGraph(stakes, {1: "Alpha Ltd", 2: "Beta Ltd", 3: "Gamma Ltd"})
    assert "Alpha Ltd (party 1) → Beta Ltd (party 2) → Gamma Ltd (party 3) → Alpha Ltd (party 1)" in str(exc.value)
    graph = OwnershipGraph(stakes[:2])
    with pytest.raises(OwnershipCycleError, match="circle"):
        graph.with_stake(stakes[2])
    with pytest.raises(ValidationError, match="cannot own itself"):
        _s(4, 4, "10")


def test_stakes_are_validated() -> None:
    for bad in ("0", "-1", "100.01", "abc", "NaN"):
        with pytest.raises(ValidationError):
            percent_value(bad)
    assert percent_value("12.5") == Decimal("12.5") and percent_value(100) == 100
    with pytest.raises(ValidationError, match="where the stake is known from"):
        Stake(1, 2, Decimal(10), DAY)
    with pytest.raises(ValidationError, match="two stakes"):
        OwnershipGraph((_s(1, 2, "10"), _s(1, 2, "20")))


def test_over_100_percent_is_a_warning_and_trees_go_both_ways() -> None:
    graph = OwnershipGraph((_s(1, 3, "60"), _s(2, 3, "50"), _s(3, 4, "100")), {3: "Gamma"})
    [warning] = graph.warnings()
    assert "Gamma (party 3)" in warning and "110 %" in warning
    up = graph.owners_tree(4)
    assert up.party_id == 4 and [c.party_id for c in up.children] == [3]
    assert [c.party_id for c in up.children[0].children] == [1, 2]
    down = graph.owned_tree(1)
    assert [c.party_id for c in down.children] == [3] and down.children[0].children[0].party_id == 4
    assert graph.owners_tree(4, max_depth=1).children[0].truncated
