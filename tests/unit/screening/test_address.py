"""Address matching: a party at a listed address is a hit to review, explained as an address match;
a shared city, another house number or another country is not."""

from __future__ import annotations

import pytest

from tests.unit.screening.conftest import SHARED
from workbench.domain.register import Address, RegisterParty
from workbench.domain.screening import ListEntry
from workbench.screening.address import AddressIndex, address_tokens
from workbench.screening.matcher import Screener
from workbench.screening.parsers import parse_list
from workbench.screening.party import screen_register_party

SUBSET = SHARED / "data" / "csl" / "consolidated-2023-11-subset.csv"

ENTRIES = (
    ListEntry(
        "EL-1",
        "Entity List (EL) - Bureau of Industry and Security",
        "Xiamen Pinnacle Photonics Co., Ltd.",
        addresses=("Room 1802, 18/F, 31 Jinrong Street, Xicheng District, Beijing, 100033, CN", "Kabul, AF"),
        countries=("CN",),
    ),
    ListEntry(
        "SDN-2",
        "Specially Designated Nationals (SDN) - Treasury Department",
        "VTB BANK PUBLIC JOINT STOCK COMPANY",
        addresses=("43, bld.1, Vorontsovskaya str., Moscow, 109044, RU",),
        countries=("RU",),
    ),
)


@pytest.fixture(scope="module")
def index() -> AddressIndex:
    return AddressIndex(ENTRIES)


def test_tokens_are_normalised_and_abbreviations_expanded() -> None:
    assert address_tokens("43, bld.1, Vorontsovskaya Str., MOSCOW") == (
        "43",
        "building",
        "1",
        "vorontsovskaya",
        "street",
        "moscow",
    )
    assert address_tokens("Straße 7a") == ("street", "7")
    assert address_tokens("99 Queen’s Road") == ("99", "queens", "road")


@pytest.mark.parametrize(
    "text",
    [
        "31 Jinrong St., Xicheng District, Beijing 100033",
        "Rm 1802, 18F, 31 JINRONG STREET, XICHENG DIST., BEIJING",
        "31 Jinrongg Street, Xicheng District, Beijing, 100033",  # one letter off
    ],
)
def test_the_listed_address_written_differently_matches(index: AddressIndex, text: str) -> None:
    [match] = index.match(text, "CN")
    assert match.entry.entry_id == "EL-1" and match.score >= 0.85


@pytest.mark.parametrize(
    ("text", "country"),
    [
        ("33 Jinrong Street, Xicheng District, Beijing 100033", "CN"),  # another house number
        ("31 Jinrong Street, Xicheng District, Beijing 100033", "TW"),  # another country
        ("Kabul", "AF"),  # a city alone: the entry's "Kabul, AF" matches nobody
        ("Xicheng District, Beijing", "CN"),
        ("12 Lenin Street, Moscow", "RU"),
    ],
)
def test_a_shared_city_another_number_or_country_is_no_match(index: AddressIndex, text: str, country: str) -> None:
    assert index.match(text, country) == []


def test_an_address_match_alone_is_a_hit_shown_as_such() -> None:
    screener = Screener(ENTRIES)
    party = RegisterParty(
        "Bright Harbour Trading Ltd",
        "CN",
        id=7,
        addresses=(Address("CN", ("Room 1802, 31 Jinrong Street", "Xicheng District"), "Beijing"),),
    )
    [hit] = screen_register_party(screener, AddressIndex(ENTRIES), party, 1, (), 0.78)
    assert hit.by_address and hit.entry_id == "EL-1"
    assert hit.matched_name.startswith("Room 1802, 18/F, 31 Jinrong Street")
    text = hit.explanation["text"]
    assert text.startswith("Address match: the party's address") and "not its name" in text
    assert hit.explanation["notes"] == ["address match: no name of the party matched this entry"]


def test_a_name_and_address_match_stays_one_name_hit_with_a_note() -> None:
    screener = Screener(ENTRIES)
    party = RegisterParty(
        "VTB Bank PJSC", "RU", id=8, addresses=(Address("RU", ("Vorontsovskaya str. 43, bld. 1",), "Moscow"),)
    )
    hits = screen_register_party(screener, AddressIndex(ENTRIES), party, 1, (), 0.78)
    [hit] = [h for h in hits if h.entry_id == "SDN-2"]
    assert not hit.by_address and hit.explanation["match"] == "name"
    assert any("matches the listed" in n for n in hit.explanation["notes"])
    assert hit.explanation["address_match"]["match"] == "address"


def test_without_addresses_screening_is_by_name_only() -> None:
    screener = Screener(ENTRIES)
    party = RegisterParty("Bright Harbour Trading Ltd", "CN", id=9)
    assert screen_register_party(screener, AddressIndex(ENTRIES), party, 1, (), 0.78) == []


@pytest.mark.skipif(not SUBSET.is_file(), reason="../shared is not beside the repository")
def test_real_listed_addresses_match_and_a_city_never_does() -> None:
    index = AddressIndex(parse_list(SUBSET).entries)
    found = index.match("29 Bolshaya Morskaya Street, St Petersburg 190000", "RU")
    assert found and found[0].entry.name.startswith("VTB BANK")
    found = index.match("60th Floor, The Center, 99 Queen's Road Central, Hong Kong", "CN")
    assert {m.entry.name for m in found} >= {"China Mobile Limited"}
    for city, country in (("Kabul", "AF"), ("Havana", "CU"), ("Moscow", "RU"), ("Tehran, Iran", "IR")):
        assert index.match(city, country) == []
