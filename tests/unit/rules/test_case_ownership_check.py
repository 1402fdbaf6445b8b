"""The ownership check of the rule engine on plain ownership facts (no database): OFAC at exactly
50 %, the Affiliates Rule through a chain, a circle in the data refused as an open item, the
ultimate parent's headquarters, and the facts' snapshot round trip."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, Item, ListFlag, Party, PartyRole
from workbench.domain.case_ownership import OwnershipFacts, PartyFacts
from workbench.domain.determination import Outcome
from workbench.domain.ownership import Stake
from workbench.rules.engine import evaluate


def _stake(owner: int, owned: int, percent: str) -> Stake:
    return Stake(owner, owned, Decimal(percent), date(2025, 6, 1), note="registry")


def _case(day: date, facts: OwnershipFacts, party_id: int = 3, destination: str = "DE") -> Case:
    case = Case(
        "EC-UNIT-OWN",
        "unit",
        day,
        "US",
        destination,
        parties=(Party(PartyRole.END_USER, "Target GmbH", destination, register_id=party_id),),
        items=(Item("Sensor", eccn="EAR99", unit_value=Decimal(10)),),
    )
    return replace(case, ownership=facts)


PARTIES = (
    PartyFacts(1, "Blocked One", "RU", listed_on=(ListFlag.SDN,)),
    PartyFacts(2, "Listed Two", "CN", listed_on=(ListFlag.ENTITY_LIST,)),
    PartyFacts(3, "Target GmbH", "DE", kyc_approved=True),
    PartyFacts(4, "Middle Ltd", "HK"),
)


def _rules(result: object, prefix: str = "ownership.") -> list[object]:
    return [f for f in result.findings if f.rule.startswith(prefix)]  # type: ignore[attr-defined]


def test_exactly_fifty_percent_by_an_sdn_is_blocked_and_49_99_is_not() -> None:
    blocked = evaluate(_case(date(2026, 3, 1), OwnershipFacts((_stake(1, 3, "50"),), PARTIES)))
    assert blocked.outcome is Outcome.PROHIBITED
    assert any(f.rule == "ownership.ofac-50" for f in _rules(blocked))
    below = evaluate(_case(date(2026, 3, 1), OwnershipFacts((_stake(1, 3, "49.99"),), PARTIES)))
    assert not any(f.rule == "ownership.ofac-50" for f in _rules(below))
    assert below.outcome is not Outcome.PROHIBITED


def test_coverage_passes_down_a_chain_in_full() -> None:
    facts = OwnershipFacts((_stake(2, 4, "50"), _stake(4, 3, "50")), PARTIES)
    result = evaluate(_case(date(2025, 10, 15), facts))
    [finding] = [f for f in _rules(result) if f.rule == "ownership.affiliates"]  # type: ignore[attr-defined]
    assert finding.outcome is Outcome.LICENSE_REQUIRED  # type: ignore[attr-defined]
    assert (
        "Listed Two (party 2) [Entity List] holds 50 % (as of 2025-06-01) of Middle Ltd (party 4), which holds 50 %"
        in (
            finding.explanation  # type: ignore[attr-defined]
        )
    )


def test_a_circle_in_the_ownership_data_is_refused_as_an_open_item() -> None:
    facts = OwnershipFacts((_stake(3, 4, "60"), _stake(4, 3, "60")), PARTIES)
    result = evaluate(_case(date(2026, 3, 1), facts))
    assert any("ownership data refused" in i and "circle" in i for i in result.open_items)
    assert not _rules(result)


def test_the_ultimate_parents_headquarters_is_used_and_a_contradiction_warns() -> None:
    parties = (
        *PARTIES[:2],
        PartyFacts(3, "Target GmbH", "DE", "DE", kyc_approved=True),
        PartyFacts(5, "Top Co", "CN", "CN"),
    )
    facts = OwnershipFacts((_stake(5, 3, "51"),), parties)
    case = _case(date(2026, 3, 1), facts)
    case = replace(case, parties=(replace(case.parties[0], headquarters_country="DE"),))
    [warning] = [f for f in _rules(evaluate(case)) if f.rule == "ownership.headquarters"]  # type: ignore[attr-defined]
    assert warning.review and "Top Co holds 51 % (as of 2025-06-01) of Target GmbH" in warning.explanation  # type: ignore[attr-defined]
    # 50 % exactly is no majority: no parent, no headquarters finding.
    even = _case(date(2026, 3, 1), OwnershipFacts((_stake(5, 3, "50"),), parties))
    assert not [f for f in _rules(evaluate(even)) if f.rule == "ownership.headquarters"]  # type: ignore[attr-defined]


def test_the_facts_round_trip_through_their_snapshot_form() -> None:
    facts = OwnershipFacts((_stake(2, 4, "50"), _stake(4, 3, "12.5")), PARTIES, date(2026, 3, 1))
    assert OwnershipFacts.from_dict(facts.to_dict()) == facts
    assert "problem" not in facts.to_dict()
