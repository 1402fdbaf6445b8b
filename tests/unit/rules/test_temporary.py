"""License Exceptions TMP (15 CFR 740.9) and RPL (740.10), read from the case's transaction facts.

Each row cites the paragraph it follows (eCFR text, resources/rules/exception-rules.json "TMP"/"RPL").
The baseline is 1A003 worth $500 to Brazil: NS 2 needs a licence (738.4(a)(2)), LVS ($200) and GBS
(N/A) fail and Brazil is in neither A:5 nor A:6, so only TMP or RPL can overcome the requirement.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from tests.unit.rules._cases import make_case, one
from workbench.domain.case import EndUse, Item, ServicingKind, TemporaryPurpose, TransactionFacts
from workbench.domain.determination import Determination, Outcome, Posture
from workbench.domain.record import _case_from_dict as case_from_dict
from workbench.domain.record import _case_to_dict as case_to_dict
from workbench.rules.checks.temporary import rpl_verdict, tmp_verdict, years_after
from workbench.rules.context import Context, item_info
from workbench.rules.data import rule_data
from workbench.rules.engine import evaluate
from workbench.rules.extdata import ExceptionRule
from workbench.rules.groups import group_table

LE, LR = Outcome.LICENSE_EXCEPTION, Outcome.LICENSE_REQUIRED
DAY = date(2026, 11, 28)
P = TemporaryPurpose
S = ServicingKind


def _run(
    facts: TransactionFacts,
    destination: str = "BR",
    eccn: str = "1A003",
    *,
    on: date = DAY,
    end_use: EndUse | None = None,
) -> Determination:
    item = Item(description="part", eccn=eccn, unit_value=Decimal(500))
    case = make_case(destination, [item], on=on, end_use=end_use)
    return evaluate(replace(case, transaction_facts=facts))


def _ns2(d: Determination) -> tuple[Outcome, str | None, str, str]:
    f = one(d, "country-chart.NS2")
    return f.outcome, f.exception, f.citation, f.explanation


@pytest.mark.parametrize(
    ("facts", "on", "outcome", "cited", "says"),
    [
        # 740.9(a)(14): back "no later than one year after the date of export": the day a year on is in time ...
        (TransactionFacts(P.EXHIBITION, date(2027, 11, 28)), DAY, LE, "15 CFR 740.9(a)(5)", "back by 2027-11-28"),
        # ... the day after is not (a longer stay needs a BIS licence, 740.9(a)(14)(iii)).
        (TransactionFacts(P.EXHIBITION, date(2027, 11, 29)), DAY, LR, None, "later than one year"),
        # The same export day: in time.
        (TransactionFacts(P.TOOLS_OF_TRADE, DAY), DAY, LE, "15 CFR 740.9(a)(1)", "tools of trade"),
        # A return date before the export is a recording error, not a pass.
        (TransactionFacts(P.TOOLS_OF_TRADE, date(2026, 11, 27)), DAY, LR, None, "before the transaction date"),
        # 29 February: a year on is read as 28 February (the earlier day), 1 March is late.
        (TransactionFacts(P.INSPECTION_REPAIR, date(2029, 2, 28)), date(2028, 2, 29), LE, "740.9(a)(6)", "repaired"),
        (TransactionFacts(P.INSPECTION_REPAIR, date(2029, 3, 1)), date(2028, 2, 29), LR, None, "later than one year"),
        # 740.9(a)(8): Mexico only (IMMEX), four years; to Brazil it does not apply.
        (TransactionFacts(P.ASSEMBLY_MEXICO, date(2027, 1, 1)), DAY, LR, None, "for shipments to Mexico"),
        # 740.9(a)(4) kits and (a)(10) U.S. person's facility: commodities (1A003 is one), one year.
        (TransactionFacts(P.REPLACEMENT_KIT, date(2027, 5, 1)), DAY, LE, "15 CFR 740.9(a)(4)", "kit of replacement"),
        (TransactionFacts(P.US_SUBSIDIARY, date(2027, 5, 1)), DAY, LE, "15 CFR 740.9(a)(10)", "U.S. person"),
    ],
)
def test_tmp_paragraphs_and_the_one_year_return(
    facts: TransactionFacts, on: date, outcome: Outcome, cited: str | None, says: str
) -> None:
    got, exception, citation, text = _ns2(_run(facts, on=on))
    assert got is outcome and says in text
    if cited:
        assert exception == "TMP" and citation.endswith(cited)
        assert "15 CFR 738.4(a)(2)" in citation  # the requirement it answers stays cited beside it
    else:
        assert exception is None


def test_assembly_in_mexico_runs_four_years() -> None:
    # 740.9(a)(8): "no later than four years after the date of export". Mexico has no NS 2 X, so the verdict is
    # read directly: four years to the day is in time, a day more is not.
    ctx = _context(TransactionFacts(P.ASSEMBLY_MEXICO, date(2030, 11, 28)), "MX")
    assert tmp_verdict(ctx, ctx.items[0], _rule("TMP"), False).available
    late = _context(TransactionFacts(P.ASSEMBLY_MEXICO, date(2030, 11, 29)), "MX")
    assert "later than 4 years" in tmp_verdict(late, late.items[0], _rule("TMP"), False).why_not


def test_tmp_without_a_return_date_keeps_the_requirement_with_an_open_item() -> None:
    d = _run(TransactionFacts(P.EXHIBITION))
    outcome, exception, _, _ = _ns2(d)
    assert outcome is LR and exception is None and one(d, "country-chart.NS2").review
    assert any("License Exception TMP (15 CFR 740.9(a)(5))" in o and "by 2027-11-28" in o for o in d.open_items)


def test_tmp_conditions_are_open_items_when_it_is_used() -> None:
    d = _run(TransactionFacts(P.EXHIBITION, date(2027, 6, 1)))
    assert one(d, "country-chart.NS2").review
    assert any("120 days at one site" in o for o in d.open_items)  # 740.9(a)(5)
    assert any("purchase order" in o for o in d.open_items)  # 740.9(a) opening words


def test_technology_is_named_as_not_evaluated_under_tmp() -> None:
    # 740.9(a)(3) carries technology only for U.S. persons abroad: not evaluated, and said so.
    d = _run(TransactionFacts(P.TOOLS_OF_TRADE, date(2027, 1, 1)), eccn="1E001")
    f = one(d, "country-chart.NS2")
    assert f.outcome is LR and "740.9(a)(3)" in f.explanation and "does not evaluate" in f.explanation


@pytest.mark.parametrize(
    ("purpose", "says"),
    [
        # 740.2(a)(5)(i): MT items go under TMP kits for listed ECCNs (6A008 is one), as vehicle replacement parts.
        (P.REPLACEMENT_KIT, "spacecraft, manned aircraft"),
        # Any other TMP paragraph: barred for an MT-controlled item.
        (P.EXHIBITION, "MT-controlled"),
    ],
)
def test_mt_items_only_through_the_740_2_carve_out(purpose: TemporaryPurpose, says: str) -> None:
    d = _run(TransactionFacts(purpose, date(2027, 1, 1)), eccn="6A008.b")
    f = one(d, "country-chart.MT1")
    assert f.outcome is LR and says in f.explanation


def test_advanced_computing_items_stay_barred_from_tmp_and_rpl() -> None:
    # 740.2 (advanced-computing paragraph, UNCONFIRMED number): TMP and RPL are not among the exceptions named.
    facts = TransactionFacts(P.EXHIBITION, date(2027, 1, 1), S.REPLACEMENT_PARTS, False, "D123456")
    f = one(_run(facts, eccn="3A001.z.1.b"), "country-chart.NS2")
    assert f.outcome is LR and f.exception is None and "740.2(a)(13)" in f.explanation


@pytest.mark.parametrize(
    ("facts", "outcome", "cited", "says"),
    [
        # 740.10(a): one-for-one parts, not improving the equipment, under a recorded earlier authority.
        (
            TransactionFacts(servicing=S.REPLACEMENT_PARTS, improves_equipment=False, original_authorisation="NLR"),
            LE,
            "15 CFR 740.10(a)",
            "earlier authority NLR",
        ),
        # 740.10(a)(2)(i): a part that improves the equipment is not a replacement part.
        (
            TransactionFacts(servicing=S.REPLACEMENT_PARTS, improves_equipment=True, original_authorisation="NLR"),
            LR,
            None,
            "740.10(a)(2)(i) excludes",
        ),
        # 740.10(b)(2): return of a serviced item; (b)(2)(i) servicing may not improve it.
        (
            TransactionFacts(servicing=S.SERVICED_RETURN, improves_equipment=False, original_authorisation="D1"),
            LE,
            "15 CFR 740.10(b)(2)",
            "servicing",
        ),
        # 740.10(b)(3): replacement of a defective item exported before in its present form.
        (
            TransactionFacts(servicing=S.DEFECTIVE_REPLACEMENT, improves_equipment=False, original_authorisation="D1"),
            LE,
            "15 CFR 740.10(b)(3)",
            "defective",
        ),
    ],
)
def test_rpl_branches(facts: TransactionFacts, outcome: Outcome, cited: str | None, says: str) -> None:
    got, exception, citation, text = _ns2(_run(facts))
    assert got is outcome and says in text
    assert (exception == "RPL" and citation.endswith(cited)) if cited else exception is None


@pytest.mark.parametrize(
    ("facts", "missing"),
    [
        (TransactionFacts(servicing=S.REPLACEMENT_PARTS, original_authorisation="NLR"), "basic characteristics"),
        (TransactionFacts(servicing=S.REPLACEMENT_PARTS, improves_equipment=False), "earlier export's authority"),
    ],
)
def test_rpl_missing_fact_is_an_open_item_naming_it(facts: TransactionFacts, missing: str) -> None:
    d = _run(facts)
    assert _ns2(d)[0] is LR
    assert any("License Exception RPL (15 CFR 740.10(a))" in o and missing in o for o in d.open_items)


def test_rpl_parts_not_for_a_nuclear_end_use() -> None:
    # 740.10(a)(3)(iii): no replacement parts for the 744.2(a) nuclear activities.
    facts = TransactionFacts(servicing=S.REPLACEMENT_PARTS, improves_equipment=False, original_authorisation="NLR")
    f = one(_run(facts, end_use=EndUse(nuclear=True)), "country-chart.NS2")
    assert f.exception != "RPL" and "740.10(a)(3)(iii)" in f.explanation


def test_rpl_to_d1_outside_the_prc_adds_the_d1_conditions() -> None:
    # 740.10(b)(3)(ii)(B): to D:1 (not the PRC) within the warranty or 12 months; Vietnam is D:1.
    facts = TransactionFacts(servicing=S.DEFECTIVE_REPLACEMENT, improves_equipment=False, original_authorisation="D1")
    d = _run(facts, destination="VN")
    assert one(d, "country-chart.NS2").exception == "RPL"
    assert any("within 12 months of the original shipment" in o for o in d.open_items)


@pytest.mark.parametrize(
    ("facts", "symbol", "says"),
    [
        # 740.9(a)(1), (a)(5): "all destinations except Country Group E:1" (Syria is E:1).
        (TransactionFacts(P.TOOLS_OF_TRADE, date(2027, 1, 1)), "TMP", "Country Group E:1, which 15 CFR 740.9(a)(1)"),
        (TransactionFacts(P.EXHIBITION, date(2027, 1, 1)), "TMP", "Country Group E:1, which 15 CFR 740.9(a)(5)"),
        # 740.10(b)(2)(iv), (b)(3)(i)(E): no serviced return or replacement to E:1.
        (
            TransactionFacts(servicing=S.SERVICED_RETURN, improves_equipment=False, original_authorisation="D1"),
            "RPL",
            "740.10(b)(2)(iv)",
        ),
    ],
)
def test_e1_destinations_excluded(facts: TransactionFacts, symbol: str, says: str) -> None:
    # Syria's embargo finding (part 746) decides the case; the verdict is read directly for its exclusion.
    ctx = _context(facts, "SY")
    verdict = (tmp_verdict if symbol == "TMP" else rpl_verdict)(ctx, ctx.items[0], _rule(symbol), False)
    assert not verdict.available and says in verdict.why_not


def test_rpl_parts_to_e1_ask_what_the_repaired_commodity_is() -> None:
    # 740.10(a)(3)(iv): to E:1 only if the commodity repaired is neither an aircraft nor NS-controlled.
    facts = TransactionFacts(servicing=S.REPLACEMENT_PARTS, improves_equipment=False, original_authorisation="NLR")
    ctx = _context(facts, "SY")
    verdict = rpl_verdict(ctx, ctx.items[0], _rule("RPL"), False)
    assert not verdict.available and any("740.10(a)(3)(iv)" in u for u in verdict.unknown)


def test_a_case_without_the_facts_names_them_and_what_is_not_evaluated() -> None:
    f = one(_run(TransactionFacts()), "country-chart.NS2")
    assert f.outcome is LR
    assert "TMP: the case records no temporary export" in f.explanation
    assert "RPL: the case records no servicing or replacement" in f.explanation
    assert "Not evaluated: TMP (15 CFR 740.9): the parts of TMP the case does not record" in f.explanation


def test_years_after_boundaries() -> None:
    assert years_after(date(2026, 11, 28), 1) == date(2027, 11, 28)
    assert years_after(date(2028, 2, 29), 1) == date(2029, 2, 28)
    assert years_after(date(2028, 2, 29), 4) == date(2032, 2, 29)


def test_facts_left_out_of_the_record_when_none_is_recorded() -> None:
    # Records of cases without the facts serialise as before (no "transaction_facts" key), so old hashes hold.
    case = make_case("BR", [Item(description="part", eccn="1A003", unit_value=Decimal(500))])
    assert "transaction_facts" not in case_to_dict(case)
    recorded = case_to_dict(replace(case, transaction_facts=TransactionFacts(P.EXHIBITION)))
    assert recorded["transaction_facts"]["temporary_purpose"] == "exhibition"
    assert case_from_dict(recorded).transaction_facts == TransactionFacts(P.EXHIBITION)


def _rule(symbol: str) -> ExceptionRule:
    return rule_data().exception_rules.exceptions[symbol]


def _context(facts: TransactionFacts, destination: str) -> Context:
    case = replace(make_case(destination, [Item(description="part", eccn="1A003")]), transaction_facts=facts)
    return Context(
        case=case,
        as_of=case.transaction_date,
        posture=Posture.ENFORCED,
        data=rule_data(),
        groups=group_table(),
        listings={},
        items=(item_info(1, case.items[0]),),
    )
