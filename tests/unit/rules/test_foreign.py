"""Foreign-made items: subject to the EAR or not (issue #17 item 4), each finding with the facts used.

15 CFR 734.3(a)(1)-(2): items in the US and US-origin items are subject to the EAR; 734.4(c)/(d): a
foreign-made item is not subject when its US-controlled content does not exceed 10 % (E:1/E:2) or 25 %
(elsewhere); 734.9(h), (k), (e)(1)/(e)(2), (f): foreign direct product rules reach it regardless of content.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import by_rule, h100_board, make_case, one, party
from workbench.domain.case import Case, Item, ListFlag, PartyRole, TransactionType
from workbench.domain.determination import Outcome
from workbench.rules.engine import evaluate
from workbench.rules.listing import PartyListing

NO_FDP = {"us_technology_product": False, "us_technology_plant": False}


def reexport(
    destination: str, items: list[Item], parties=(), *, origin: str = "TW", on: date = date(2026, 11, 28)
) -> Case:
    case = make_case(destination, items, parties, export_from=origin, on=on)
    return replace(case, transaction_type=TransactionType.REEXPORT)


def switch(**kw: object) -> Item:
    fields: dict[str, object] = {"description": "Network switch", "eccn": "5A992.c", "country_of_origin": "TW"}
    fields.update(kw)
    return Item(**fields)  # type: ignore[arg-type]


def test_a_foreign_made_item_exported_from_the_us_is_subject() -> None:
    d = evaluate(make_case("DE", [switch(us_content_percent=Decimal(0))]))
    assert "734.3(a)(1)" in one(d, "jurisdiction.in-us").citation


def test_a_us_origin_item_abroad_is_subject() -> None:
    assert (
        "734.3(a)(2)"
        in one(evaluate(reexport("DE", [switch(country_of_origin="US")])), "jurisdiction.us-origin").citation
    )


def test_an_item_abroad_without_origin_is_an_open_item() -> None:
    d = evaluate(reexport("DE", [switch(country_of_origin=None)]))
    assert one(d, "jurisdiction.origin-unknown").review
    assert any("record its country of origin" in o for o in d.open_items)


@pytest.mark.parametrize(
    ("destination", "percent", "subject"),
    [
        ("DE", "25", False),  # 734.4(d): "does not exceed 25 %"
        ("DE", "25.0001", True),
        ("CU", "10", False),  # 734.4(c): 10 % for E:2 (Cuba)
        ("CU", "10.5", True),
        ("IR", "10.5", True),  # E:1
    ],
)
def test_de_minimis_levels(destination: str, percent: str, subject: bool) -> None:
    d = evaluate(reexport(destination, [switch(us_content_percent=Decimal(percent), **NO_FDP)]))
    if subject:
        f = one(d, "jurisdiction.de-minimis")
        assert f"{Decimal(percent).normalize():f} %" in f.explanation
    else:
        f = one(d, "jurisdiction.not-subject")
        assert "made in Taiwan" in f.explanation and "Not evaluated" in f.explanation
        assert ("10 %" if destination in {"CU", "IR"} else "25 %") in f.explanation


def test_unknown_us_content_is_an_open_item_and_the_item_stays_subject() -> None:
    d = evaluate(reexport("DE", [switch(**NO_FDP)]))
    assert one(d, "jurisdiction.undetermined").review
    assert any("US-controlled content is not recorded" in o for o in d.open_items)


def _gpu(**kw: object) -> Item:
    return h100_board(country_of_origin="TW", us_content_percent=Decimal(3), **kw)


def test_advanced_computing_fdp_reaches_a_foreign_made_board_to_china() -> None:
    # 734.9(h): direct product of US technology, destined within the advanced-computing scope
    d = evaluate(reexport("CN", [_gpu(us_technology_product=True)]))
    assert "734.9(h)" in one(d, "jurisdiction.fdp").citation
    assert one(d, "adv-computing.destination").outcome is Outcome.LICENSE_REQUIRED


def test_unknown_fdp_facts_are_open_items_and_the_licence_stands_meanwhile() -> None:
    d = evaluate(reexport("CN", [_gpu()]))
    assert one(d, "jurisdiction.undetermined").review
    assert any("734.9(h)" in o and "us_technology_product" in o for o in d.open_items)
    assert one(d, "adv-computing.destination").outcome is Outcome.LICENSE_REQUIRED


def test_a_board_no_fdp_rule_reaches_is_not_subject_and_needs_no_licence() -> None:
    d = evaluate(reexport("CN", [_gpu(**NO_FDP)]))
    f = one(d, "jurisdiction.not-subject")
    assert "3 %" in f.explanation and "734.9(h)" not in f.citation
    assert not [x for x in d.findings if x.outcome is Outcome.LICENSE_REQUIRED]


@pytest.mark.parametrize(("day", "subject"), [(date(2024, 12, 1), False), (date(2024, 12, 2), True)])
def test_sme_fdp_rule_from_the_december_2024_rule(day: date, subject: bool) -> None:
    # 734.9(k) (added by 89 FR 96790, effective 2024-12-02): 3B001.c etc. to Macau or D:5
    tool = Item(
        description="Etch tool",
        eccn="3B001.c",
        country_of_origin="JP",
        us_content_percent=Decimal(0),
        us_technology_product=True,
        us_technology_plant=False,
    )
    d = evaluate(reexport("CN", [tool], origin="JP", on=day))
    assert bool(by_rule(d, "jurisdiction.fdp")) is subject
    assert bool(by_rule(d, "jurisdiction.not-subject")) is not subject


def _listed(requirement: str) -> dict[int, tuple[PartyListing, ...]]:
    return {0: (PartyListing(ListFlag.ENTITY_LIST, "Entity List", "Listed Co", requirement),)}


def test_entity_list_footnote_1_reaches_a_foreign_made_item() -> None:
    # 734.9(e)(1): footnote 1 entity as a party; the entry's licence requirement names 734.9(e)(1)
    case = reexport(
        "CN", [switch(us_content_percent=Decimal(1), us_technology_product=True)], [party("Listed Co", "CN")]
    )
    d = evaluate(
        case, party_listings=_listed("For all items subject to the EAR. (See §§ 734.9(e)(1) and 744.11(a)(2)(i))")
    )
    assert "734.9(e)" in one(d, "jurisdiction.fdp").citation


def test_an_item_not_subject_to_the_ear_is_not_licensed_for_a_listed_party() -> None:
    case = reexport(
        "CN", [switch(us_content_percent=Decimal(1), us_technology_product=True)], [party("Listed Co", "CN")]
    )
    d = evaluate(case, party_listings=_listed("For all items subject to the EAR."))
    assert one(d, "jurisdiction.not-subject")
    assert not [f for f in d.findings if f.outcome is Outcome.LICENSE_REQUIRED]
    assert any("No item of the case is subject to the EAR" in f.explanation for f in d.findings)


def test_an_entity_list_flag_without_its_entry_text_asks_for_the_footnote() -> None:
    case = reexport(
        "CN",
        [switch(us_content_percent=Decimal(1), us_technology_product=True)],
        [party("Listed Co", "CN", listed=[ListFlag.ENTITY_LIST])],
    )
    d = evaluate(case)
    assert any("footnote 1 or 4" in o for o in d.open_items)


def test_crimea_fdp_rule_reaches_via_the_party_region() -> None:
    from workbench.domain.case import Party

    consignee = Party(role=PartyRole.ULTIMATE_CONSIGNEE, name="Krym", country="UA", region="UA-43")
    d = evaluate(reexport("UA", [switch(us_content_percent=Decimal(0), us_technology_product=True)], [consignee]))
    assert "734.9(f)" in one(d, "jurisdiction.fdp").citation
    assert one(d, "regions.crimea").outcome is Outcome.LICENSE_REQUIRED
