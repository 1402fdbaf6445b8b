"""The Entity List bar on licence exceptions holds only for the items the entry's column reaches.

Cited text (15 CFR 744.16, govregs rendering, resources/rules/part744.json "entity_list"):
(a) a licence is required for "any items included in the License Requirement column of an entry";
(b) "No license exceptions are available for exports, reexports or transfers (in-country) to listed
entities ... of specified items", save, for entities added under §744.20, "to the extent specified on
the Entity List" (an entry that names License Exception GOV keeps GOV). Denied Persons, UVL, MEU and SDN
bars stay case-wide. Column wordings are those of the CSL of 2026-07-31 (shared data/csl) unless noted.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import by_rule, make_case, party, with_bars_applied
from workbench.domain.case import Item, ListFlag
from workbench.domain.determination import Determination, Finding, Outcome
from workbench.rules.engine import evaluate
from workbench.rules.listing import PartyListing

LE, LR = Outcome.LICENSE_EXCEPTION, Outcome.LICENSE_REQUIRED
BAR = "15 CFR 744.16(b) bars licence exceptions"
CONDITION = "the Entity List match for party 1 (Acme) is confirmed"

ALL_ITEMS = "For all items subject to the EAR. (See §744.11 of the EAR)"
CCL_ONLY = "For items on the CCL and listed in supplement no. 7 to part 746 of the EAR"
PROJECTS = "For all items subject to the EAR when used in projects specified in § 746.8(a)(4) of the EAR"
GOV_ENTRY = (
    "For all items subject to the EAR. (See §§ 734.9(g),3 746.8(a)(3), and 744.21(b) of the EAR) This license "
    "requirement may be overcome by License Exception GOV under § 740.11(b)(2) and (e)."
)
# No bundled entry names ECCNs (its reading is UNCONFIRMED); 744.16(a) reaches the items the column includes.
ECCN_LIST = "For items classified under ECCN 3A001 (See §744.11 of the EAR)"
UNREADABLE = "See entry in § 744.11 for the items"

# Brazil (Country Group B, X in NS 2): 1A003 at $200 takes LVS (§740.3(b)), 3A001.a.3 takes GBS (§740.4).
LVS_ITEM = Item(description="protective part", eccn="1A003", unit_value=Decimal(200))
GBS_ITEM = Item(description="microwave amplifier", eccn="3A001.a.3", unit_value=Decimal(100))
CHAIR = Item(description="office chair", eccn="EAR99", unit_value=Decimal(50))
ETCHER = Item(description="etch tool", eccn="3B001.c.1.a", unit_value=Decimal(1000))


def _hit(requirement: str, resolved: bool, flag: ListFlag = ListFlag.ENTITY_LIST) -> dict[int, list[PartyListing]]:
    return {0: [PartyListing(flag, "Entity List", "ACME", requirement, "Presumption of denial.", resolved)]}


def _ns2(d: Determination) -> dict[str, Finding]:
    return {f.subject: f for f in by_rule(d, "country-chart.NS2")}


def test_without_a_listing_both_brazil_items_take_an_exception() -> None:
    """The baseline the rows below change: LVS for item 1, GBS for item 2."""
    found = _ns2(evaluate(make_case("BR", [LVS_ITEM, GBS_ITEM], [party("Acme", "BR")])))
    assert (found["item 1"].exception, found["item 2"].exception) == ("LVS", "GBS")


@pytest.mark.parametrize("resolved", [True, False], ids=["confirmed", "unresolved"])
@pytest.mark.parametrize(
    ("requirement", "kept", "phrase"),
    [
        # §744.16(b) with (a): "For all items subject to the EAR" reaches both items, so both lose their exception.
        (ALL_ITEMS, {}, "reaches all items subject to the EAR, this item among them"),
        # §744.16(b): "items on the CCL" reaches 1A003 and 3A001.a.3 alike.
        (CCL_ONLY, {}, "reaches items on the CCL only, this item among them"),
        # §744.16(b): an entry naming 3A001 reaches 3A001.a.3 (item 2), not 1A003 (item 1), which keeps LVS.
        (ECCN_LIST, {"item 1": "LVS"}, "reaches items classified under 3A001 only"),
        # §744.16(b), project-limited entry: the case does not say, so every item is taken as reached.
        (PROJECTS, {}, "so every item is taken as reached"),
        # §744.16(b), a column the engine cannot read: today's behaviour, every item barred, and said so.
        (UNREADABLE, {}, "wording the engine does not read, so every item is taken as reached"),
        # §744.16(b), no column from the screening source: the widest scope, said so.
        ("", {}, "is not recorded, so every item is taken as reached"),
    ],
    ids=["all-items", "ccl-only", "eccn-list", "projects", "unreadable", "no-column"],
)
def test_entity_list_bar_holds_for_the_items_the_entry_reaches(
    requirement: str, kept: dict[str, str], phrase: str, resolved: bool
) -> None:
    d = evaluate(
        make_case("BR", [LVS_ITEM, GBS_ITEM], [party("Acme", "BR")]), party_listings=_hit(requirement, resolved)
    )
    for subject, f in _ns2(d).items():
        if subject in kept:
            assert f.outcome is LE and f.exception == kept[subject] and f.provisional is None
            assert "which does not include this item, so 15 CFR 744.16(b) leaves License Exception" in f.explanation
            assert "bars licence exceptions" not in f.explanation  # rules.coverage reads those words as a bar
            assert resolved or "even if the match is confirmed" in f.explanation
        else:
            assert f.outcome is LR and f.exception is None
            assert phrase in f.explanation and BAR in f.explanation
            assert f.provisional == (None if resolved else CONDITION)
            assert f.explanation.endswith("A licence is required." if resolved else "if that match is confirmed.")


@pytest.mark.parametrize("resolved", [True, False], ids=["confirmed", "unresolved"])
@pytest.mark.parametrize(
    ("requirement", "spp"),
    [
        # §744.16(b): a CCL-only entry does not reach the EAR99 chair, which keeps SPP (§740.5(a)); §740.5(b)
        # bars SPP only where a part 744 end-user control requires a licence, and this entry requires none for it.
        (CCL_ONLY, LE),
        # The same case with an all-items entry: the chair loses SPP (§740.5(b) if confirmed, §744.16(b) if not).
        (ALL_ITEMS, LR),
    ],
    ids=["ccl-only", "all-items"],
)
def test_ccl_only_entry_leaves_spp_to_the_ear99_item_of_a_mixed_syria_case(
    requirement: str, spp: Outcome, resolved: bool
) -> None:
    case = make_case("SY", [CHAIR, ETCHER], [party("Acme", "SY")], on=date(2026, 11, 28))
    d = evaluate(case, party_listings=_hit(requirement, resolved))
    found = {f.subject: f for f in by_rule(d, "embargo.syria")}
    chair, etcher = found["item 1"], found["item 2"]
    assert chair.outcome is spp and (chair.exception == "SPP") is (spp is LE)
    assert etcher.outcome is LR  # §746.9(a): the CCL item needs a licence either way
    if spp is LE:
        assert "reaches items on the CCL only, which does not include this item" in chair.explanation
        assert chair.provisional is None
    elif resolved:
        assert "part 744" in chair.explanation and "A licence is required" in chair.explanation
    else:
        assert BAR in chair.explanation and chair.provisional == CONDITION


# --- the bar applied to findings directly: every scope form, GOV and the case-wide lists ---------------------


def _apply(
    items: list[Item], exceptions: list[str], listing: PartyListing, *, extra_subject: str | None = None
) -> dict[str, Finding]:
    """Findings ending in ``exceptions`` (one per item, as the exception checks write them), then the bar."""
    case = make_case("BR", items, [party("Acme", "BR")])
    return with_bars_applied(case, exceptions, {0: [listing]}, as_of=case.transaction_date, extra_subject=extra_subject)


def _listing(requirement: str, resolved: bool = True, flag: ListFlag = ListFlag.ENTITY_LIST) -> PartyListing:
    return PartyListing(flag, "list", "ACME", requirement, "Presumption of denial.", resolved)


@pytest.mark.parametrize("resolved", [True, False], ids=["confirmed", "unresolved"])
@pytest.mark.parametrize(
    ("requirement", "items", "exceptions", "kept"),
    [
        # §744.16(b), all items: both items lose their exceptions.
        (ALL_ITEMS, [CHAIR, ETCHER], ["LVS", "GBS"], set()),
        # §744.16(b), CCL only: the EAR99 chair keeps its exception, the CCL etcher loses its own.
        (CCL_ONLY, [CHAIR, ETCHER], ["LVS", "GBS"], {"item 1"}),
        # §744.16(b), named ECCNs (UNCONFIRMED form): 3A001.a.3 inside loses GBS; 3B001.c.1.a outside keeps LVS.
        (ECCN_LIST, [GBS_ITEM, ETCHER], ["GBS", "LVS"], {"item 2"}),
        # §744.16(b), unreadable column: every item, as before.
        (UNREADABLE, [CHAIR, ETCHER], ["LVS", "GBS"], set()),
        # §744.16(b) "to the extent specified on the Entity List": the entry names GOV, so GOV survives; LVS does not.
        (GOV_ENTRY, [CHAIR, ETCHER], ["GOV", "LVS"], {"item 1"}),
        # An entry that does not name GOV bars GOV like any other exception.
        (ALL_ITEMS, [CHAIR, ETCHER], ["GOV", "LVS"], set()),
        # GOV named on a CCL-only entry: the chair (outside) keeps LVS, the etcher (inside) keeps GOV.
        (
            CCL_ONLY + ". This license requirement may be overcome by License Exception GOV",
            [CHAIR, ETCHER],
            ["LVS", "GOV"],
            {"item 1", "item 2"},
        ),
    ],
    ids=["all-items", "ccl-only-mixed", "eccn-list", "unreadable", "gov-named", "gov-not-named", "gov-ccl"],
)
def test_entity_list_bar_per_item(
    requirement: str, items: list[Item], exceptions: list[str], kept: set[str], resolved: bool
) -> None:
    found = _apply(items, exceptions, _listing(requirement, resolved))
    for subject, f in found.items():
        if subject in kept:
            assert f.outcome is LE and f.exception and f.provisional is None
            assert "bars licence exceptions" not in f.explanation
        else:
            assert f.outcome is LR and f.exception is None and BAR in f.explanation
            assert (f.provisional is None) is resolved


@pytest.mark.parametrize(
    ("flag", "exceptions", "kept"),
    [
        # §744.21 / part744.json: the MEU list keeps only GOV, for every item whatever its classification.
        (ListFlag.MILITARY_END_USER, ["GOV", "LVS"], {"item 1"}),
        # Part 764: a Denied Persons listing bars every exception for every item (no entry scope).
        (ListFlag.DENIED_PERSONS, ["GOV", "LVS"], set()),
    ],
    ids=["meu-gov", "dpl"],
)
def test_other_lists_bar_every_item(flag: ListFlag, exceptions: list[str], kept: set[str]) -> None:
    # A CCL-only wording on a non-Entity List hit is ignored: these bars are case-wide.
    found = _apply([CHAIR, ETCHER], exceptions, _listing(CCL_ONLY, flag=flag))
    for subject, f in found.items():
        assert (f.outcome is LE) is (subject in kept)
        if subject not in kept:
            assert "and that list bars licence exceptions" in f.explanation and "744.16(b)" not in f.explanation


@pytest.mark.parametrize(
    ("items", "outcome"),
    [
        # A finding about the destination is barred when the entry reaches any item of the case ...
        ([CHAIR, ETCHER], LR),
        # ... and kept when it reaches none (a CCL-only entry, EAR99 items only).
        ([CHAIR], LE),
    ],
)
def test_finding_about_the_case_is_barred_when_any_item_is_reached(items: list[Item], outcome: Outcome) -> None:
    found = _apply(items, ["LVS"] * len(items), _listing(CCL_ONLY), extra_subject="destination (Brazil)")
    dest = found["destination (Brazil)"]
    assert dest.outcome is outcome
    assert ("any item of this case" in dest.explanation) is (outcome is LE)
