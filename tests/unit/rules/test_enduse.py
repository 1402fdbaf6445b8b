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
from workbench.domain.determination import Outcome
from workbench.export.casefile import case_to_json, parse_case_json
from workbench.rules.engine import evaluate
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


@pytest.mark.parametrize(("destination", "outcome"), [("CN", LR), ("VE", LR), ("DE", NLR)])
def test_military_end_use_rule_by_744_21_destination(destination: str, outcome: Outcome) -> None:
    d = evaluate(make_case(destination, [CHAIR], end_use=EndUse(military=True)))
    f = one(d, "end-use.meu-destinations")
    assert f.outcome is outcome
    if outcome is LR:
        assert any("Supp. 2 to part 744" in o for o in d.open_items)  # item list not bundled: named, not silent


# --- Entity List entries read for their scope ---------------------------------------------------

ALL_ITEMS = "For all items subject to the EAR. (See §744.11 of the EAR)"
FOOTNOTE_1 = "For all items subject to the EAR, see §§ 734.9(e)1 and 744.11 of the EAR2"
CCL_ONLY = "For items on the CCL and listed in supplement no. 7 to part 746 of the EAR"
PROJECTS = "For all items subject to the EAR when used in projects specified in § 746.8(a)(4) of the EAR"


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
    ],
)
def test_entity_list_entry_scope(requirement: str, items: list[Item], outcome: Outcome, phrase: str) -> None:
    d = evaluate(make_case("CN", items, [party("Acme", "CN")]), party_listings=_listed(requirement))
    f = one(d, "listed.entity-list")
    assert f.outcome is outcome and phrase in f.explanation


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
