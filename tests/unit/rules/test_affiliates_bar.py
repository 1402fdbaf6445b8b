"""A party the Affiliates Rule covers loses licence exceptions exactly as its listed owners' listings would.

Cited text:
- Supp. No. 8 to part 744, paragraph (b) (FR Doc 2025-19001; eCFR as rendered by customsmobile.com, revised
  2025-11-12): a foreign entity "owned, directly or indirectly, individually or in aggregate, 50 percent or
  more" by Entity List entities, MEU List entities or §744.8(a)(1) SDNs needs a licence "to the same degree
  as if" the transaction were with the listed owner. That this carries the owner's restrictions on licence
  exceptions is read from secondary sources only (part744.json ``affiliates_bar``: UNCONFIRMED).
- 15 CFR 744.16(b): no licence exceptions "to listed entities ... of specified items" (an Entity List owner's
  bar holds for the items its entry's column reaches); §744.21 (MEU): only GOV; §744.8 (SDN): every item.
- rulebook.json ``affiliates-2025``: enforced from 2025-09-29, suspended 2025-11-10 through 2026-11-09,
  enforced again from 2026-11-10 (UNCONFIRMED).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import by_rule, make_case, party, with_bars_applied
from workbench.domain.case import Item, ListFlag, Party, PartyRole
from workbench.domain.case_ownership import OwnershipFacts, PartyFacts
from workbench.domain.determination import Finding, Outcome
from workbench.domain.ownership import Stake
from workbench.rules.engine import evaluate
from workbench.rules.listing import PartyListing

EL, MEU, SDN = ListFlag.ENTITY_LIST, ListFlag.MILITARY_END_USER, ListFlag.SDN
LE, LR = Outcome.LICENSE_EXCEPTION, Outcome.LICENSE_REQUIRED
IN_FORCE = date(2025, 10, 15)
RULE = "and the Affiliates Rule (Supp. No. 8 to part 744, paragraph (b); FR Doc 2025-19001, 90 FR 47201"

ALL_ITEMS = "For all items subject to the EAR. (See §744.11 of the EAR)"
CCL_ONLY = "For items on the CCL and listed in supplement no. 7 to part 746 of the EAR"
SPARED = (
    "extends to it the Entity List restrictions of Red Star (register party 1), but its entry's licence requirement "
    "reaches items on the CCL only, which does not include this item, so 15 CFR 744.16(b) leaves License Exception "
    "LVS available here."
)
CHAIR = Item(description="office chair", eccn="EAR99", unit_value=Decimal(50))
ETCHER = Item(description="etch tool", eccn="3B001.c.1.a", unit_value=Decimal(1000))
# Brazil (Country Group B, X in NS 2): 1A003 at $200 takes LVS (§740.3(b)).
LVS_ITEM = Item(description="protective part", eccn="1A003", unit_value=Decimal(200))

TARGET = 3
NAMES = {1: "Red Star", 2: "Blue Dragon", 5: "Private Owner"}


def _stake(owner: int, percent: str, owned: int = TARGET) -> Stake:
    return Stake(owner, owned, Decimal(percent), date(2025, 6, 1), note="registry")


def _facts(stakes: tuple[Stake, ...], listed: dict[int, tuple[ListFlag, ...]]) -> OwnershipFacts:
    parties = [PartyFacts(TARGET, "Target Ltda", "BR")]
    parties += [PartyFacts(i, name, "CN", listed_on=listed.get(i, ())) for i, name in NAMES.items()]
    return OwnershipFacts(stakes, tuple(parties))


def _parties(owner_in_case: bool) -> list[Party]:
    target = replace(party("Target Ltda", "BR"), register_id=TARGET)
    if not owner_in_case:
        return [target]
    return [target, replace(party("Red Star", "CN", role=PartyRole.PURCHASER), register_id=1)]


def _apply(
    facts: OwnershipFacts,
    exceptions: list[str],
    *,
    owner_listing: PartyListing | None = None,
    on: date = IN_FORCE,
) -> dict[str, Finding]:
    """A chair (EAR99) and an etcher (3B001) each ending in a licence exception, then the bars.

    With ``owner_listing`` the owner Red Star (register party 1) is also case party 2 with that match.
    """
    items = [CHAIR, ETCHER]
    case = replace(make_case("BR", items, _parties(owner_listing is not None), on=on), ownership=facts)
    return with_bars_applied(case, exceptions, {1: [owner_listing]} if owner_listing else {}, as_of=on)


def _el(requirement: str, resolved: bool = True) -> PartyListing:
    return PartyListing(EL, "Entity List", "RED STAR", requirement, "Presumption of denial.", resolved)


@pytest.mark.parametrize(
    ("stakes", "listed", "owner_listing", "exceptions", "kept", "phrase"),
    [
        # Supp. 8 (b) with §744.16(b): the owner's all-items entry (known: Red Star is also party 2) reaches both
        # items, so the affiliate loses both exceptions.
        (
            (_stake(1, "60"),),
            {1: (EL,)},
            _el(ALL_ITEMS),
            ["LVS", "GBS"],
            set(),
            "extends to it the Entity List restrictions of Red Star (register party 1), whose entry's licence "
            "requirement reaches all items subject to the EAR, this item among them, and 15 CFR 744.16(b) bars",
        ),
        # Supp. 8 (b) with §744.16(b): a CCL-only entry does not reach the EAR99 chair, which keeps LVS; the
        # CCL etcher loses GBS.
        (
            (_stake(1, "60"),),
            {1: (EL,)},
            _el(CCL_ONLY),
            ["LVS", "GBS"],
            {"item 1"},
            "Entity List restrictions of Red Star (register party 1), whose entry's licence requirement reaches "
            "items on the CCL only, this item among them",
        ),
        # Supp. 8 (b): the ownership facts carry no entry column, so every item is taken as reached, and said so.
        (
            (_stake(1, "60"),),
            {1: (EL,)},
            None,
            ["LVS", "GBS"],
            set(),
            "whose entry's licence requirement is not in the case's ownership data, so every item is taken as reached",
        ),
        # Supp. 8 (b) with §744.21: an MEU owner leaves only GOV, for every item.
        (
            (_stake(2, "60"),),
            {2: (MEU,)},
            None,
            ["GOV", "LVS"],
            {"item 1"},
            "extends to it the MEU List restrictions of Blue Dragon (register party 2), and that list bars licence "
            "exceptions",
        ),
        # Supp. 8 (b) with §744.8: an SDN owner bars every exception, GOV too, case-wide.
        (
            (_stake(1, "50"),),
            {1: (SDN,)},
            None,
            ["GOV", "LVS"],
            set(),
            "SDN List restrictions of Red Star (register party 1) (if designated under a programme listed in "
            "§744.8(a)(1)), and that list bars licence exceptions",
        ),
        # Supp. 8 (b) "individually or in aggregate": 25 % + 25 % from two Entity List owners is 50 %.
        (
            (_stake(1, "25"), _stake(2, "25"), _stake(5, "50")),
            {1: (EL,), 2: (EL,)},
            None,
            ["LVS", "GBS"],
            set(),
            "is owned 50 % in aggregate by Red Star (register party 1) [Entity List] and Blue Dragon (register "
            "party 2) [Entity List]",
        ),
        # Supp. 8 (b) "50 percent or more": 49.9 % passes nothing on; both exceptions stay.
        ((_stake(1, "49.9"), _stake(5, "50.1")), {1: (EL,)}, None, ["LVS", "GBS"], {"item 1", "item 2"}, ""),
        # Supp. 8 (b) "directly or indirectly": Red Star [EL] holds 60 % of Blue Dragon [MEU], which holds 50 %
        # of the target; the Entity List bar comes down through Blue Dragon and reaches every item.
        (
            (_stake(1, "60", owned=2), _stake(2, "50")),
            {1: (EL,), 2: (MEU,)},
            None,
            ["GOV", "LVS"],
            set(),
            "Entity List restrictions of Blue Dragon (register party 2) (carried down from the listed owners above)",
        ),
    ],
    ids=["el-all-items", "el-ccl-only", "el-no-entry", "meu-gov", "sdn", "aggregate-50", "below-50", "chain"],
)
def test_affiliate_bar_follows_the_owners_listing(
    stakes: tuple[Stake, ...],
    listed: dict[int, tuple[ListFlag, ...]],
    owner_listing: PartyListing | None,
    exceptions: list[str],
    kept: set[str],
    phrase: str,
) -> None:
    found = _apply(_facts(stakes, listed), exceptions, owner_listing=owner_listing)
    for subject in ("item 1", "item 2"):
        f = found[subject]
        if subject in kept:
            assert f.outcome is LE and f.exception and "bars licence exceptions" not in f.explanation
            if owner_listing is not None:  # kept by the owner's entry scope: the finding says why
                assert SPARED in f.explanation
            else:  # below 50 %, or an exception the owner's list allows (GOV for MEU): nothing to say
                assert "Affiliates Rule" not in f.explanation
        else:
            assert f.outcome is LR and f.exception is None and f.provisional is None
            assert RULE in f.explanation and phrase in f.explanation
            assert f.unconfirmed and "UNCONFIRMED" in f.explanation  # part744.json affiliates_bar
            assert f.explanation.endswith("A licence is required.")


@pytest.mark.parametrize(
    ("on", "barred", "unconfirmed_period"),
    [
        # rulebook affiliates-2025: not in effect before 2025-09-29 ...
        (date(2025, 9, 28), False, False),
        # ... effective 2025-09-29 (FR Doc 2025-19001, DATES) ...
        (date(2025, 9, 29), True, False),
        # ... the day before the suspension still enforced ...
        (date(2025, 11, 9), True, False),
        # ... suspended from 2025-11-10 (Fenwick; ear-facts.md section 6): no bar from affiliation ...
        (date(2025, 11, 10), False, False),
        # ... through 2026-11-09 ...
        (date(2026, 11, 9), False, False),
        # ... and enforced again from 2026-11-10, that period UNCONFIRMED (an extension not ruled out).
        (date(2026, 11, 10), True, True),
    ],
    ids=["2025-09-28", "2025-09-29", "2025-11-09", "2025-11-10", "2026-11-09", "2026-11-10"],
)
def test_the_bar_follows_the_rules_lifecycle(on: date, barred: bool, unconfirmed_period: bool) -> None:
    case = replace(
        make_case("BR", [LVS_ITEM], _parties(False), on=on), ownership=_facts((_stake(1, "60"),), {1: (EL,)})
    )
    [ns2] = by_rule(evaluate(case), "country-chart.NS2")
    if barred:
        assert ns2.outcome is LR and ns2.exception is None
        assert "License Exception LVS is not available: party 1 (Target Ltda) is owned 60 % in aggregate" in (
            ns2.explanation
        )
        assert RULE in ns2.explanation
        assert ("its enforcement from 2026-11-10 is UNCONFIRMED" in ns2.explanation) is unconfirmed_period
    else:
        assert ns2.outcome is LE and ns2.exception == "LVS"
        assert "Affiliates Rule" not in ns2.explanation


def test_an_owner_with_an_unresolved_hit_makes_no_affiliate() -> None:
    """Ownership counts confirmed matches and declared listings only (case_ownership.PartyFacts.listed_on); an
    owner's unresolved hit is an open item that keeps the case from being signed (services.case_register). Here
    the owner is also party 2: its own hit bars the exceptions provisionally (§744.16(b)), the ownership does not.
    """
    found = _apply(_facts((_stake(1, "60"),), {}), ["LVS", "GBS"], owner_listing=_el(ALL_ITEMS, resolved=False))
    for f in found.values():
        assert f.outcome is LR and f.provisional == "the Entity List match for party 2 (Red Star) is confirmed"
        assert "Affiliates Rule" not in f.explanation
    # The same owner without any hit: the exceptions stay, nothing is passed on.
    clear = _apply(_facts((_stake(1, "60"),), {}), ["LVS", "GBS"])
    assert all(f.outcome is LE for f in clear.values())
