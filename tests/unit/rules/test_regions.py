"""Region-level sanctions, 15 CFR 746.6 (issue #17 item 6), with Country Chart footnote 9 quoted.

Footnote 9 to Ukraine's row: "See § 746.6 of the EAR for additional license requirements for exports and
reexports to the Crimea region of Ukraine and the so-called Donetsk People's Republic (DNR) and Luhansk
People's Republic (LNR) regions of Ukraine and transfers (in-country) within [them] for all items subject to
the EAR, other than food and medicine designated as EAR99 ..." (eCFR 2026-07-23).
"""

from __future__ import annotations

import pytest

from tests.unit.rules._cases import by_rule, make_case, one
from workbench.domain.case import Item, Party, PartyRole
from workbench.domain.determination import Outcome
from workbench.rules.engine import evaluate

ROUTER = Item(description="Enterprise router", eccn="5A992.c")


def _case(
    region: str | None,
    role: PartyRole = PartyRole.ULTIMATE_CONSIGNEE,
    address: str = "",
    country: str = "UA",
    items: tuple[Item, ...] = (ROUTER,),
):
    consignee = Party(role=role, name="Tavria Trade LLC", country=country, region=region, address=address)
    return make_case("UA" if country == "UA" else country, items, [consignee])


@pytest.mark.parametrize(
    ("region", "rule", "review"),
    [
        ("UA-43", "regions.crimea", False),  # Autonomous Republic of Crimea
        ("UA-40", "regions.crimea", False),  # Sevastopol
        ("UA-14", "regions.dnr", True),  # Donetsk oblast: wider than the so-called DNR region
        ("UA-09", "regions.lnr", True),  # Luhansk oblast: wider than the so-called LNR region
    ],
)
def test_a_consignee_in_a_covered_region_needs_a_licence(region: str, rule: str, review: bool) -> None:
    d = evaluate(_case(region))
    f = one(d, rule)
    assert f.outcome is Outcome.LICENSE_REQUIRED and f.citation == "15 CFR 746.6(a)(1)"
    assert "footnote 9" in f.explanation and "§ 746.6" in f.explanation
    assert f.review is review
    assert any("confirm whether the address lies" in o for o in d.open_items) is review


def test_a_party_elsewhere_in_ukraine_is_named_as_outside_the_regions() -> None:
    d = evaluate(_case("UA-30"))  # Kyiv city
    assert not [f for f in d.findings if f.rule.startswith("regions.") and f.outcome is Outcome.LICENSE_REQUIRED]
    assert not by_rule(d, "regions.not-set")
    unset = one(evaluate(_case(None)), "regions.not-set")
    assert "footnote 9" in unset.explanation and unset.outcome is Outcome.NLR


def test_a_purchaser_in_crimea_is_a_diversion_question_not_a_shipment_there() -> None:
    d = evaluate(_case("UA-43", role=PartyRole.PURCHASER))
    f = one(d, "regions.crimea")
    assert f.outcome is Outcome.NLR and f.review
    assert any("confirm no item will be exported" in o for o in d.open_items)


def test_ear99_items_name_the_food_and_medicine_exemption() -> None:
    f = one(evaluate(_case("UA-43", items=(Item(description="Medical gloves", eccn="EAR99"),))), "regions.crimea")
    assert "food and medicine designated EAR99" in f.explanation and f.review


@pytest.mark.parametrize(
    ("address", "country", "region"),
    [
        ("vul. Lenina 12, Sevastopol 299011", "UA", "crimea"),
        ("ул. Киевская 5, Симферополь, Республика Крым", "RU", "crimea"),  # recorded as Russia
        ("вул. Артема 1, Донецьк", "UA", "dnr"),
        ("Luhansk, Oboronna St 2", "UA", "lnr"),
        ("Alchevsk", "UA", "lnr"),
    ],
)
def test_an_address_in_a_covered_region_without_a_region_is_a_warning(address: str, country: str, region: str) -> None:
    d = evaluate(_case(None, address=address, country=country))
    f = one(d, "regions.address")
    assert f.review and f.outcome is Outcome.NLR and "footnote 9" in f.explanation
    assert "set its region" in f.explanation if country == "UA" else "record the country as Ukraine" in f.explanation
    assert any(o.startswith("party 1 (Tavria Trade LLC): the address names") for o in d.open_items)
    assert region in {"crimea", "dnr", "lnr"}


@pytest.mark.parametrize(
    "address",
    [
        "Khreshchatyk 1, Kyiv",
        "Donetskaya Street 4, Kharkiv",
        "Crimean Lane 3, London",
        "Sosong District, Pyongyang, DPR Korea",  # "DPR" is not the so-called DNR
        "ul. Lenina 1, Sverdlovsk oblast, Yekaterinburg",  # the Russian Sverdlovsk, not the Luhansk town
    ],
)
def test_addresses_outside_the_regions_are_not_flagged(address: str) -> None:
    assert not by_rule(evaluate(_case(None, address=address)), "regions.address")
