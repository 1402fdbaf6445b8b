"""The "done when" cases of the issue, built from the reference, in both postures.

Enforced posture: 15 CFR 742.6(a)(6)(iii) as BIS enforces it (D:1, D:4, D:5 excluding
A:5/A:6, plus Macau; headquarters rule for D:5/Macau parents). Codified posture: the AI
Diffusion rule's text (90 FR 4544): worldwide licence, AIA for Tier 1, LPP elsewhere,
nothing for Tier 3.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.unit.rules._cases import h100_board, make_case, one, party
from workbench.domain.case import EndUse, Item, PartyRole
from workbench.domain.determination import Outcome, Posture
from workbench.rules.engine import evaluate

E, C = Posture.ENFORCED, Posture.CODIFIED
NLR, LE, LR, PRO = Outcome.NLR, Outcome.LICENSE_EXCEPTION, Outcome.LICENSE_REQUIRED, Outcome.PROHIBITED


@pytest.mark.parametrize(
    ("destination", "posture", "outcome", "rule", "exception"),
    [
        # Germany: A:5 -> outside the enforced scope; codified Tier 1 -> AIA (§740.27).
        ("DE", E, NLR, "adv-computing.destination", None),
        ("DE", C, LE, "diffusion.worldwide", "AIA"),
        # Israel: D:4 but also A:6 -> excluded; codified Tier 2 -> LPP (§740.29).
        ("IL", E, NLR, "adv-computing.destination", None),
        ("IL", C, LE, "diffusion.worldwide", "LPP"),
        # Vietnam: D:1 -> licence; datacenter 3A090.a items get no ACA.
        ("VN", E, LR, "adv-computing.destination", None),
        ("VN", C, LE, "diffusion.worldwide", "LPP"),
        # Saudi Arabia: D:4 -> licence.
        ("SA", E, LR, "adv-computing.destination", None),
        ("SA", C, LE, "diffusion.worldwide", "LPP"),
    ],
)
def test_h100_boards_by_destination(
    destination: str, posture: Posture, outcome: Outcome, rule: str, exception: str | None
) -> None:
    d = evaluate(make_case(destination, [h100_board()]), posture=posture)
    assert d.outcome is outcome
    assert d.posture is posture
    f = one(d, rule)
    assert f.outcome is outcome
    assert f.exception == exception
    assert "item 1" in f.explanation and "4A090.a" in f.explanation


def test_enforced_explanation_names_groups_and_posture() -> None:
    f = one(evaluate(make_case("VN", [h100_board()])), "adv-computing.destination")
    assert f.citation == "15 CFR 742.6(a)(6)(iii)"
    assert "D:1" in f.explanation and "Posture enforced" in f.explanation and "2025-05-13" in f.explanation


@pytest.mark.parametrize("posture", [E, C])
def test_malaysian_datacenter_with_chinese_parent(posture: Posture) -> None:
    # Headquarters rule, §742.6(a)(6)(iii)(A) (BIS guidance of 2026-05-31); Tier 3 under the codified text.
    parties = [party("KL Compute Sdn Bhd", "MY", hq="CN")]
    d = evaluate(make_case("MY", [h100_board()], parties), posture=posture)
    assert d.outcome is LR
    hq = one(d, "adv-computing.headquarters")
    assert hq.outcome is LR
    assert hq.citation == "15 CFR 742.6(a)(6)(iii)(A)"
    assert "KL Compute" in hq.explanation and "China" in hq.explanation
    if posture is E:
        assert one(d, "adv-computing.destination").outcome is NLR
    else:
        assert "Tier 3" in one(d, "diffusion.worldwide").explanation


def test_headquarters_rule_offers_nac_for_non_datacenter_items() -> None:
    # §740.8(a): NAC for entities headquartered in D:5/Macau, not for datacenter 3A090.a items.
    item = h100_board(datacenter=False, description="Workstation GPU card")
    d = evaluate(make_case("MY", [item], [party("KL Compute", "MY", hq="CN")]))
    hq = one(d, "adv-computing.headquarters")
    assert (hq.outcome, hq.exception) == (LE, "NAC")
    assert any("NAC" in o and "notification" in o for o in d.open_items)


def test_vietnam_non_datacenter_item_uses_aca() -> None:
    item = h100_board(datacenter=False, description="Workstation GPU card")
    f = one(evaluate(make_case("VN", [item])), "adv-computing.destination")
    assert (f.outcome, f.exception) == (LE, "ACA")


@pytest.mark.parametrize("posture", [E, C])
@pytest.mark.parametrize(
    ("manufacturer", "model", "description"),
    [
        ("Huawei", "Ascend 910B", "AI accelerator"),
        ("HUAWEI TECHNOLOGIES", "ASCEND-910C", "accelerator card"),
        ("", "", "Huwaei Ascend910D training module"),
        ("HiSilicon", "910B", "NPU"),
        ("", "", "Acsend 910 B cluster"),
    ],
)
def test_ascend_anywhere_is_prohibited(posture: Posture, manufacturer: str, model: str, description: str) -> None:
    # GP10, §736.2(b)(10), BIS guidance of 2025-05-13.
    item = Item(description=description, manufacturer=manufacturer, model=model)
    d = evaluate(make_case("DE", [item]), posture=posture)
    f = one(d, "gp10.prc-advanced-ic")
    assert d.outcome is PRO and f.outcome is PRO
    assert f.citation == "15 CFR 736.2(b)(10)"


def test_other_huawei_products_and_flagged_ics() -> None:
    assert not [
        f
        for f in evaluate(make_case("DE", [Item(description="Huawei P60 phone", manufacturer="Huawei")])).findings
        if f.rule == "gp10.prc-advanced-ic"
    ]
    flagged = Item(description="PRC accelerator", prc_advanced_ic=True)
    assert evaluate(make_case("DE", [flagged])).outcome is PRO


@pytest.mark.parametrize(
    ("day", "outcome", "window_note"),
    [
        (date(2025, 6, 1), LR, False),  # Cambodia in D:5: 3A090.c to Macau or D:5 needs a licence
        (date(2025, 11, 6), LR, False),
        (date(2025, 11, 7), NLR, True),  # State's list controls from 2025-11-07 (note to D:5)
        (date(2026, 2, 2), NLR, True),
        (date(2026, 2, 3), NLR, False),  # BIS conformed D:5
        (date(2026, 6, 15), NLR, False),
    ],
)
def test_hbm_to_cambodia(day: date, outcome: Outcome, window_note: bool) -> None:
    # §742.6(a)(6)(i)(B): RS for 3A090.c to or within Macau or D:5.
    hbm = Item(description="HBM3E stack", eccn="3A090.c")
    d = evaluate(make_case("KH", [hbm], on=day))
    f = one(d, "adv-computing.destination")
    assert f.outcome is outcome
    assert f.citation == "15 CFR 742.6(a)(6)(i)(B)"
    assert ("falls between the two dates" in f.explanation) is window_note
    if window_note:
        assert "2025-11-07" in f.explanation and "2026-02-03" in f.explanation


@pytest.mark.parametrize(
    ("day", "eccn", "outcome", "exception"),
    [
        (date(2025, 9, 1), "EAR99", PRO, None),  # §746.9 before the 2025-09-02 rule
        (date(2025, 9, 2), "EAR99", LE, "SPP"),  # §740.5(a): EAR99 to Syria
        (date(2026, 6, 1), "EAR99", LE, "SPP"),
        (date(2025, 9, 2), "5A992.c", LR, None),  # §746.9(a): CCL items still need a licence
    ],
)
def test_syria(day: date, eccn: str, outcome: Outcome, exception: str | None) -> None:
    item = Item(description="Office furniture" if eccn == "EAR99" else "Mass-market router", eccn=eccn)
    d = evaluate(make_case("SY", [item], on=day))
    f = one(d, "embargo.syria")
    assert (f.outcome, f.exception) == (outcome, exception)
    assert d.outcome is outcome


def test_syria_spp_barred_by_part_744() -> None:
    # §740.5(b): SPP does not authorize what a part 744 end-use/end-user control requires a licence for.
    item = Item(description="Office furniture", eccn="EAR99")
    d = evaluate(make_case("SY", [item], end_use=EndUse(military=True), on=date(2026, 1, 5)))
    f = one(d, "embargo.syria")
    assert f.outcome is LR and "part 744" in f.explanation


@pytest.mark.parametrize(
    ("tpp", "quantity", "outcome"),
    [
        (26900.0, 1000, LE),  # exactly the LPP cap of 26,900,000 TPP (§740.29(a))
        (26900.0, 1001, LR),  # one board over the cap
    ],
)
def test_lpp_cap_boundary(tpp: float, quantity: int, outcome: Outcome) -> None:
    item = h100_board(quantity=quantity, tpp=tpp)
    f = one(evaluate(make_case("IL", [item]), posture=C), "diffusion.worldwide")
    assert f.outcome is outcome


@pytest.mark.parametrize(
    ("boards", "ics_per_unit", "outcome"),
    [
        (212, 8, LE),  # 1,696 H100s: 26,851,072 TPP, within the cap ("about 1,699 H100e")
        (213, 8, LR),  # 1,704 H100s: 26,977,728 TPP, over it
        (213, 1, LE),  # the same boards read as one IC each would wrongly pass by a factor of eight
    ],
)
def test_lpp_counts_every_ic_of_a_multi_gpu_board(boards: int, ics_per_unit: int, outcome: Outcome) -> None:
    item = h100_board(quantity=boards, tpp=15832.0, ics_per_unit=ics_per_unit)
    f = one(evaluate(make_case("IL", [item]), posture=C), "diffusion.worldwide")
    assert f.outcome is outcome
    assert f"{15832 * ics_per_unit * boards:,} TPP (TPP x ICs per unit x quantity)" in f.explanation


@pytest.mark.parametrize(
    ("day", "posture", "applied"),
    [
        (date(2025, 5, 12), C, False),  # before the compliance date 2025-05-15
        (date(2025, 5, 13), C, False),
        (date(2025, 5, 15), C, True),
        (date(2025, 5, 15), E, False),  # not enforced since 2025-05-13
        (date(2025, 1, 12), C, False),  # before the rule took effect
    ],
)
def test_diffusion_lifecycle(day: date, posture: Posture, applied: bool) -> None:
    d = evaluate(make_case("IL", [h100_board()], on=day), posture=posture)
    assert bool([f for f in d.findings if f.rule == "diffusion.worldwide"]) is applied
    if not applied and day >= date(2025, 1, 13):
        assert one(d, "diffusion.posture").outcome is NLR


def test_ai_training_for_d5_parent() -> None:
    # BIS policy statement of 2025-05-13 (part 744 end-use controls).
    parties = [party("Cloud GmbH", "DE", role=PartyRole.END_USER, hq="CN")]
    case = make_case("DE", [h100_board()], parties, end_use=EndUse(ai_model_training=True))
    d = evaluate(case)
    assert one(d, "ai-training.d5-hq").outcome is LR
    before = evaluate(case, as_of=date(2025, 5, 12))
    assert not [f for f in before.findings if f.rule == "ai-training.d5-hq"]


def test_iaas_is_a_red_flag_for_review() -> None:
    d = evaluate(make_case("DE", [h100_board()], end_use=EndUse(iaas=True)))
    f = one(d, "ai-training.iaas")
    assert f.review and d.review_required


@pytest.mark.parametrize(
    ("destination", "rule", "outcome"),
    [
        ("CU", "embargo.cuba", PRO),
        ("IR", "embargo.iran", PRO),
        ("KP", "embargo.north-korea", PRO),
        ("RU", "embargo.russia", LR),
        ("BY", "embargo.belarus", LR),
    ],
)
def test_embargoes(destination: str, rule: str, outcome: Outcome) -> None:
    # Part 746: §746.2 Cuba, §746.7 Iran, §746.4 North Korea, §746.8 Russia/Belarus (CCL items).
    d = evaluate(make_case(destination, [Item(description="Router", eccn="5A992.c")]))
    assert one(d, rule).outcome is outcome


@pytest.mark.parametrize(
    ("day", "unconfirmed"),
    [(date(2025, 6, 1), True), (date(2026, 8, 1), False)],
)
def test_uae_b_level_named_explicitly_and_unconfirmed_before_snapshot(day: date, unconfirmed: bool) -> None:
    # §742.6(a)(6)(iii)(B) names the UAE; its move to A:5 (about 2026-07-10) is UNCONFIRMED (reference section 7).
    item = h100_board(eccn="4A090.b", tpp=3000.0, performance_density=4.0)
    f = one(evaluate(make_case("AE", [item], on=day)), "adv-computing.destination")
    assert f.outcome in (LR, LE)
    assert f.unconfirmed is unconfirmed
    assert ("UNCONFIRMED" in f.explanation) is unconfirmed
