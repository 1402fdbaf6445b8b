"""Part 744 end uses and Entity List entries read for their own scope (end-use-rules.json).

Cited texts: §744.1(a) (744.2-744.4 nuclear, missile, chemical/biological end uses), §744.23 (87 FR 62186;
88 FR 73424, effective 2023-11-17), §744.6, §744.21(a), and the Entity List "License Requirement" and
"License Review Policy" columns as the CSL of 2026-07-31 publishes them.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import by_rule, make_case, one, party
from workbench.domain.case import EndUse, Item, ListFlag
from workbench.domain.determination import Outcome, Posture, Standing
from workbench.export.casefile import case_to_json, parse_case_json
from workbench.rules.checks import elscope
from workbench.rules.context import Context
from workbench.rules.data import rule_data
from workbench.rules.engine import evaluate
from workbench.rules.groups import group_table
from workbench.rules.listing import PartyListing

NLR, LR = Outcome.NLR, Outcome.LICENSE_REQUIRED
CHAIR = Item(description="office chair", eccn="EAR99", unit_value=Decimal(50))
ETCHER = Item(description="etch tool", eccn="3B001.c.1.a", unit_value=Decimal(1000))


@pytest.mark.parametrize(
    ("flag", "rule", "citation"),
    [
        ("nuclear", "end-use.nuclear", "15 CFR 744.2(a)"),
        ("missile", "end-use.missile", "15 CFR 744.3(a)"),
        ("chem_bio", "end-use.chem-bio", "15 CFR 744.4(a)"),
    ],
)
def test_wmd_end_uses_told_apart_reach_all_items(flag: str, rule: str, citation: str) -> None:
    # §744.1(a): these sections prohibit exports of items subject to the EAR (EAR99 included) to those end uses.
    d = evaluate(make_case("DE", [CHAIR], end_use=EndUse(**{flag: True})))
    f = one(d, rule)
    assert f.outcome is LR and f.citation == citation and "all items subject to the EAR" in f.explanation
    assert f.review_policy and "Case-by-case" in f.review_policy


def test_legacy_wmd_flag_still_reads_and_asks_for_the_kind() -> None:
    d = evaluate(make_case("DE", [CHAIR], end_use=EndUse(wmd=True)))
    assert one(d, "end-use.wmd").outcome is LR
    assert any("which (nuclear 744.2" in o for o in d.open_items)


def test_old_case_files_without_the_new_end_uses_read_unchanged() -> None:
    case = make_case("DE", [CHAIR], end_use=EndUse(wmd=True))
    raw = case_to_json(case)
    assert "nuclear" not in raw["end_use"]  # added fields at their default are not written
    assert parse_case_json(__import__("json").dumps(raw)).end_use == case.end_use


@pytest.mark.parametrize(
    ("day", "outcome"),
    [
        (date(2023, 11, 16), NLR),  # the day before the SME rule (88 FR 73424) took effect
        (date(2023, 11, 17), LR),  # the day it took effect
    ],
)
def test_sme_end_use_from_its_effective_date(day: date, outcome: Outcome) -> None:
    d = evaluate(make_case("CN", [ETCHER], on=day, end_use=EndUse(sme=True)))
    assert one(d, "end-use.744-23").outcome is outcome


def test_advanced_ic_end_use_reaches_ccl_items_only() -> None:
    # 744.23 advanced-node IC end use: items subject to the EAR and specified on the CCL (scope UNCONFIRMED).
    only_ear99 = evaluate(make_case("CN", [CHAIR], end_use=EndUse(advanced_ic=True)))
    assert one(only_ear99, "end-use.744-23").outcome is NLR
    with_ccl = evaluate(make_case("CN", [CHAIR, ETCHER], end_use=EndUse(advanced_ic=True)))
    f = one(with_ccl, "end-use.744-23")
    assert f.outcome is LR and "item 2" in f.explanation and "not the EAR99 item 1" in f.explanation
    assert f.unconfirmed


def test_supercomputer_end_use_outside_d5_asks_where_it_is() -> None:
    d = evaluate(make_case("DE", [CHAIR], end_use=EndUse(supercomputer=True)))
    f = one(d, "end-use.744-23")
    assert f.outcome is NLR and f.review
    assert any("supercomputer end use is located" in o for o in d.open_items)


def test_us_person_support_is_a_licence_for_the_activity() -> None:
    d = evaluate(make_case("CN", [CHAIR], end_use=EndUse(us_person_support=True)))
    f = one(d, "end-use.us-person")
    assert f.outcome is LR and "activity" in f.explanation


@pytest.mark.parametrize(
    ("destination", "day", "outcome"),
    [
        # 744.21(a) as on eCFR 2020-08-11: China, Russia, Venezuela.
        ("CN", date(2024, 1, 10), LR),
        ("VE", date(2024, 1, 10), LR),
        ("DE", date(2024, 1, 10), NLR),
        # 89 FR 18780 (effective 2024-03-15) made Nicaragua subject to 744.21: day before / day of.
        ("NI", date(2024, 3, 14), NLR),
        ("NI", date(2024, 3, 15), LR),
    ],
)
def test_military_end_use_rule_by_744_21_destination(destination: str, day: date, outcome: Outcome) -> None:
    d = evaluate(make_case(destination, [CHAIR], end_use=EndUse(military=True), on=day))
    f = one(d, "end-use.meu-destinations")
    assert f.outcome is outcome
    if destination == "NI" and outcome is NLR:
        assert "added to 15 CFR 744.21(a) on 2024-03-15 (89 FR 18780" in f.explanation
    if outcome is LR:
        assert any("Supp. 2 to part 744" in o for o in d.open_items)  # item list not bundled: named, not silent


# --- Entity List entries read for their scope ---------------------------------------------------

ALL_ITEMS = "For all items subject to the EAR. (See §744.11 of the EAR)"
FOOTNOTE_1 = "For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2"
CCL_ONLY = "For items on the CCL and listed in supplement no. 7 to part 746 of the EAR"
PROJECTS = "For all items subject to the EAR when used in projects specified in § 746.8(a)(4) of the EAR"
# The one CSL row (2026-07-31) that names the CCL only for its review policy: its scope is all items.
ALL_CASE_BY_CASE_CCL = "For all items subject to the EAR, with case-by-case basis for items listed on the CCL"
# No bundled entry names ECCNs; §744.16(a) reaches "any items included in the License Requirement column", so
# a column naming ECCNs reaches those ECCNs and their paragraphs (the form's reading is UNCONFIRMED).
ECCN_LIST = "For items classified under ECCN 3A001 (See §744.11 of the EAR)"
AMPLIFIER = Item(description="microwave amplifier", eccn="3A001.a.3", unit_value=Decimal(100))


def _listed(requirement: str, policy: str = "Presumption of denial.") -> dict[int, list[PartyListing]]:
    return {0: [PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME", requirement, policy)]}


@pytest.mark.parametrize(
    ("requirement", "items", "outcome", "phrase"),
    [
        (ALL_ITEMS, [CHAIR], LR, "all items subject to the EAR"),
        (CCL_ONLY, [CHAIR], NLR, "No item of the case is on the CCL"),
        (CCL_ONLY, [CHAIR, ETCHER], LR, "it reaches item 2"),
        (FOOTNOTE_1, [CHAIR], LR, "footnote 1"),
        (PROJECTS, [CHAIR], LR, "projects the entry names"),
        # "all items subject to the EAR" is read before the CCL words (it was read as CCL-only, so EAR99 NLR).
        (ALL_CASE_BY_CASE_CCL, [CHAIR], LR, "all items subject to the EAR, so every item"),
        # §744.16(a), an ECCN-list column: it reaches the 3A001 paragraph, not the EAR99 chair ...
        (ECCN_LIST, [CHAIR, AMPLIFIER], LR, "it reaches item 2; not item 1 (EAR99)"),
        # ... nor an item under another ECCN: no licence from this entry.
        (ECCN_LIST, [ETCHER], NLR, "not item 1 (3B001.c.1.a). No item of the case is classified under those ECCNs"),
    ],
)
def test_entity_list_entry_scope(requirement: str, items: list[Item], outcome: Outcome, phrase: str) -> None:
    d = evaluate(make_case("CN", items, [party("Acme", "CN")]), party_listings=_listed(requirement))
    f = one(d, "listed.entity-list")
    assert f.outcome is outcome and phrase in f.explanation


def test_eccn_list_reading_is_flagged_unconfirmed() -> None:
    d = evaluate(make_case("CN", [AMPLIFIER], [party("Acme", "CN")]), party_listings=_listed(ECCN_LIST))
    f = one(d, "listed.entity-list")
    assert f.unconfirmed and "read as such UNCONFIRMED" in f.explanation
    plain = evaluate(make_case("CN", [AMPLIFIER], [party("Acme", "CN")]), party_listings=_listed(ALL_ITEMS))
    assert not one(plain, "listed.entity-list").unconfirmed


@pytest.mark.parametrize(
    ("requirement", "scope"),
    [
        (ALL_ITEMS, "all"),
        (FOOTNOTE_1, "all"),
        (CCL_ONLY, "ccl"),
        (PROJECTS, "projects"),
        (ALL_CASE_BY_CASE_CCL, "all"),
        (ECCN_LIST, "eccns"),
        # ECCNs named beside EAR99, or the word ECCN with no ECCN: not read (every item, and the officer is asked).
        ("For items classified under ECCN 3A001 and EAR99 items", "unknown"),
        ("For items classified under the ECCNs in the entry", "unknown"),
        ("See entry in § 744.11 for the items", "unknown"),
        ("", "none"),
    ],
)
def test_entity_list_column_forms(requirement: str, scope: str) -> None:
    # end-use-rules.json entity_list.scopes: the first form whose words the column contains is its reading.
    case = make_case("CN", [CHAIR])
    ctx = Context(case, case.transaction_date, Posture.ENFORCED, rule_data(), group_table(), {}, ())
    reading = elscope.read(ctx, requirement)
    assert reading.scope == scope and reading.unconfirmed is (scope == "eccns")


@pytest.mark.parametrize(
    ("policy", "label"),
    [
        ("Presumption of denial.", "Presumption of denial"),
        ("Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items", "Policy of approval"),
        ("See §§ 744.2(d), 744.3(d), and 744.4(d) of this part.", "Case-by-case"),
        ("Policy of denial. See §§ 746.8(b) and 744.21(e).", "Presumption of denial"),
    ],
)
def test_entity_list_review_policy_is_the_entrys_own(policy: str, label: str) -> None:
    d = evaluate(make_case("CN", [CHAIR], [party("Acme", "CN")]), party_listings=_listed(ALL_ITEMS, policy))
    f = one(d, "listed.entity-list")
    assert f.review_policy and f.review_policy.startswith(label) and policy.rstrip(".") in f.review_policy


def test_entity_list_policy_per_item() -> None:
    # The entry's column distinguishes CCL items (case-by-case) from EAR99 items (presumption of approval).
    policy = "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items"
    d = evaluate(make_case("CN", [CHAIR, ETCHER], [party("Acme", "CN")]), party_listings=_listed(ALL_ITEMS, policy))
    text = one(d, "listed.entity-list").review_policy or ""
    assert "Case-by-case review for item 2" in text and "Policy of approval for item 1 (EAR99)" in text


def test_flagged_party_without_an_entry_is_read_at_the_widest_scope() -> None:
    d = evaluate(make_case("CN", [CHAIR], [party("Acme", "CN", listed=[ListFlag.ENTITY_LIST])]))
    f = one(d, "listed.entity-list")
    assert f.outcome is LR and "widest scope" in f.explanation
    assert f.review_policy and f.review_policy.startswith("Not known")
    assert not by_rule(d, "end-use.744-23")


# --- Unresolved Entity List hits read for their entry's scope, as confirmed ones are ----------------
# §744.11(a)/§744.16: a licence is required for the items the entry's "License Requirement" column names;
# an unresolved hit gives that requirement provisionally ("if the match is confirmed").

UNCLEAR = "See entry in § 744.11 for the items"


def _unresolved(requirement: str) -> dict[int, list[PartyListing]]:
    hit = PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME", requirement, "Presumption of denial.", False)
    return {0: [hit]}


@pytest.mark.parametrize(
    ("requirement", "items", "outcome", "phrase", "open_phrase"),
    [
        # "For all items subject to the EAR": every item, EAR99 included (CSL Entity List rows, 2026-07-31).
        (ALL_ITEMS, [CHAIR], LR, "every item of the case needs a licence", None),
        # "For items on the CCL ...": EAR99 items are outside it, so a confirmed match would require nothing.
        (CCL_ONLY, [CHAIR], NLR, "requires no licence for it even if the match is confirmed", None),
        (CCL_ONLY, [CHAIR, ETCHER], LR, "it reaches item 2", None),
        # Footnote 1 entries (§734.9(e)(1)): the FDP rule is named beside the all-items scope.
        (FOOTNOTE_1, [CHAIR], LR, "footnote 1", None),
        # "... when used in projects specified in §746.8(a)(4)": the project question becomes an open item.
        (PROJECTS, [CHAIR], LR, "projects the entry names", "projects the Entity List entry names"),
        # Wording the engine does not read: widest scope, and the officer is asked to read the entry.
        (UNCLEAR, [CHAIR], LR, "not one the engine reads", "read the Entity List entry's licence requirement"),
        # No column from the screening source: widest scope, said so.
        ("", [CHAIR], LR, "gives no licence-requirement column", None),
    ],
)
def test_unresolved_entity_list_hit_is_scoped_by_its_entry(
    requirement: str, items: list[Item], outcome: Outcome, phrase: str, open_phrase: str | None
) -> None:
    d = evaluate(make_case("CN", items, [party("Acme", "CN")]), party_listings=_unresolved(requirement))
    f = one(d, "screening.unresolved")
    assert f.outcome is outcome and phrase in f.explanation
    assert f.provisional == "the Entity List match for party 1 (Acme) is confirmed"
    assert any('resolve the possible Entity List match "ACME"' in o for o in d.open_items)
    if open_phrase:
        assert any(open_phrase in o for o in d.open_items)
    # The same entry confirmed gives the same outcome: the provisional finding is the confirmed one, if confirmed.
    confirmed = evaluate(make_case("CN", items, [party("Acme", "CN")]), party_listings=_listed(requirement))
    assert one(confirmed, "listed.entity-list").outcome is outcome


def test_unresolved_hit_on_an_entry_that_misses_the_items_does_not_raise_the_outcome() -> None:
    # A CCL-only entry and an EAR99-only case: not provisional (confirming it changes nothing), but still open.
    d = evaluate(make_case("CN", [CHAIR], [party("Acme", "CN")]), party_listings=_unresolved(CCL_ONLY))
    assert d.outcome is NLR and not d.provisional_on
    assert d.standing is Standing.OPEN and "No licence required" not in d.headline


def test_two_unresolved_hits_for_one_party_are_each_read_for_their_own_entry() -> None:
    hits = [
        PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME CCL", CCL_ONLY, "Presumption of denial.", False),
        PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME ALL", ALL_ITEMS, "Presumption of denial.", False),
    ]
    d = evaluate(make_case("CN", [CHAIR], [party("Acme", "CN")]), party_listings={0: hits})
    found = {("ACME CCL" in f.explanation): f for f in by_rule(d, "screening.unresolved")}
    assert found[True].outcome is NLR and found[False].outcome is LR
    assert d.outcome is LR and d.provisional_on == ("the Entity List match for party 1 (Acme) is confirmed",)
