"""Ownership rules for a register party: the Affiliates Rule through its lifecycle, OFAC 50 %, red flag 29."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from workbench.domain.case import ListFlag
from workbench.domain.determination import Outcome
from workbench.domain.ownership import OwnershipGraph, Stake
from workbench.rules.listing import PartyListing
from workbench.rules.ownership import evaluate_ownership

EL, MEU, SDN = ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER, ListFlag.SDN
KNOWN = date(2025, 9, 1)
NAMES = {1: "Red Star Holdings", 2: "Blue Dragon Ltd", 3: "Subsidiary Co", 4: "Grandchild GmbH", 5: "Private Owner"}


def _s(owner: int, owned: int, percent: str | None) -> Stake:
    return Stake(owner, owned, None if percent is None else Decimal(percent), KNOWN, note="annual report")


def _two_listed_owners() -> OwnershipGraph:
    return OwnershipGraph((_s(1, 3, "30"), _s(2, 3, "25"), _s(5, 3, "45")), NAMES)


def _affiliates(day: date, graph: OwnershipGraph | None = None, listed: dict[int, list[ListFlag]] | None = None):  # type: ignore[no-untyped-def]
    result = evaluate_ownership(3, graph or _two_listed_owners(), listed or {1: [EL], 2: [EL]}, day)
    return [f for f in result.findings if f.rule == "ownership.affiliates"]


def test_30_plus_25_needs_a_licence_while_the_rule_is_in_force() -> None:
    [finding] = _affiliates(date(2025, 10, 15))
    assert finding.outcome is Outcome.LICENSE_REQUIRED
    assert not finding.unconfirmed
    text = finding.explanation
    assert "owned 55 % in aggregate" in text
    assert "Red Star Holdings (party 1) [Entity List] holds 30 % (as of 2025-09-01) of Subsidiary Co (party 3)" in text
    assert "30 % (Red Star Holdings (party 1)) + 25 % (Blue Dragon Ltd (party 2)) = 55 %" in text
    assert "no licence exceptions" in text


def test_the_same_facts_are_not_enforced_during_the_suspension() -> None:
    [finding] = _affiliates(date(2026, 3, 1))
    assert finding.outcome is Outcome.NLR
    assert "Not enforced on 2026-03-01" in finding.explanation
    assert "from 2025-11-10 through 2026-11-09" in finding.explanation
    assert "= 55 %" in finding.explanation and "Were it enforced" in finding.explanation


def test_after_the_suspension_a_licence_is_required_again_flagged_unconfirmed() -> None:
    [finding] = _affiliates(date(2026, 11, 20))
    assert finding.outcome is Outcome.LICENSE_REQUIRED
    assert finding.unconfirmed
    assert "UNCONFIRMED" in finding.explanation


def test_before_the_rule_took_effect_ownership_passes_nothing_on() -> None:
    assert _affiliates(date(2025, 9, 28)) == []


@pytest.mark.parametrize(("percent", "outcome"), [("49.99", Outcome.NLR), ("50", Outcome.LICENSE_REQUIRED)])
def test_the_line_is_exact(percent: str, outcome: Outcome) -> None:
    graph = OwnershipGraph((_s(1, 3, percent),), NAMES)
    [finding] = _affiliates(date(2025, 10, 15), graph, {1: [EL]})
    assert finding.outcome is outcome
    assert f"owned {percent} % in aggregate" in finding.explanation


def test_a_chain_through_a_covered_entity_is_shown_step_by_step() -> None:
    graph = OwnershipGraph((_s(1, 2, "60"), _s(2, 3, "50"), _s(3, 4, "100")), NAMES)
    result = evaluate_ownership(4, graph, {1: [MEU]}, date(2025, 10, 15))
    [finding] = [f for f in result.findings if f.rule == "ownership.affiliates"]
    assert finding.outcome is Outcome.LICENSE_REQUIRED and finding.review
    assert (
        "Red Star Holdings (party 1) [MEU List] holds 60 % (as of 2025-09-01) of Blue Dragon Ltd (party 2), which "
        "holds 50 % (as of 2025-09-01) of Subsidiary Co (party 3), which holds 100 % (as of 2025-09-01) of "
        "Grandchild GmbH (party 4)"
    ) in finding.explanation
    assert "744.21" in finding.explanation and "GOV" in finding.explanation


def test_owners_on_two_lists_apply_the_most_restrictive_and_quote_the_entry() -> None:
    entries = {
        1: [PartyListing(EL, "Entity List", "RED STAR", "For all items subject to the EAR", "Presumption of denial")]
    }
    result = evaluate_ownership(3, _two_listed_owners(), {1: [EL], 2: [MEU]}, date(2025, 10, 15), entries=entries)
    [finding] = [f for f in result.findings if f.rule == "ownership.affiliates"]
    text = finding.explanation
    assert "most restrictive" in text
    assert text.index("Entity List (Supp. 4") < text.index("Military End-User List")
    assert "licence requirement For all items subject to the EAR, review policy Presumption of denial" in text


def test_a_company_50_percent_owned_by_an_sdn_is_prohibited() -> None:
    graph = OwnershipGraph((_s(1, 3, "50"), _s(5, 3, "50")), NAMES)
    result = evaluate_ownership(3, graph, {1: [SDN]}, date(2026, 3, 1))
    [ofac] = [f for f in result.findings if f.rule == "ownership.ofac-50"]
    assert ofac.outcome is Outcome.PROHIBITED
    assert "OFAC" in ofac.citation and "79 FR 47726" in ofac.citation
    assert "owned 50 % in aggregate" in ofac.explanation
    # 49.99 % by an SDN: not blocked.
    graph = OwnershipGraph((_s(1, 3, "49.99"),), NAMES)
    assert not [
        f for f in evaluate_ownership(3, graph, {1: [SDN]}, date(2026, 3, 1)).findings if f.rule == "ownership.ofac-50"
    ]


def test_a_listed_owner_without_a_percentage_is_an_open_item() -> None:
    graph = OwnershipGraph((_s(1, 3, None), _s(5, 3, "60")), NAMES)
    result = evaluate_ownership(3, graph, {1: [EL]}, date(2025, 10, 15))
    [flag] = [f for f in result.findings if f.rule == "ownership.red-flag-29"]
    assert flag.review and flag.outcome is Outcome.NLR
    [item] = result.open_items
    assert "Red Star Holdings (party 1)" in item and "red flag 29" in item


def test_nothing_is_found_without_listed_owners() -> None:
    result = evaluate_ownership(3, _two_listed_owners(), {}, date(2025, 10, 15))
    assert result.findings == () and result.open_items == () and result.affiliates is None
