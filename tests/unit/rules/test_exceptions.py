"""Licence exceptions for Country Chart requirements (part 740), per reason for control and destination.

Each case cites the text it follows: the ECCN's licence-exception block (ccl.json, eCFR 2026-07-23),
the section of part 740 (exception-rules.json) and §738.4(a)(2) (each reason overcome separately).
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from tests.unit.rules._cases import by_rule, h100_board, make_case, one, party
from workbench.domain.case import Assurance, DocumentKind, DocumentRecord, EncryptionClass, Item, ListFlag
from workbench.domain.determination import Outcome, Posture
from workbench.rules.data import rule_data
from workbench.rules.engine import evaluate
from workbench.rules.exception_flags import FlagTerms, Reach, reach, terms_for
from workbench.rules.listing import PartyListing

NLR, LE, LR = Outcome.NLR, Outcome.LICENSE_EXCEPTION, Outcome.LICENSE_REQUIRED


def _item(eccn: str, value: str = "100", **kw: object) -> Item:
    return Item(description="part", eccn=eccn, unit_value=Decimal(value), **kw)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("eccn", "symbol", "expected"),
    [
        # 3B001 LVS: "$500, except ... 3B001.a.4, c, d, f.1, ..." -> a.4 excluded, .b within.
        ("3B001.a.4", "LVS", Reach.NO),
        ("3B001.b", "LVS", Reach.YES),
        # 3B001 GBS: "Yes, except a.3 (...), c.1.a (...), ... .f (lithography equipment) and .q".
        ("3B001.a.3", "GBS", Reach.NO),
        ("3B001.f.1", "GBS", Reach.NO),
        ("3B001.b", "GBS", Reach.YES),
        # 3A001 GBS: "Yes for 3A001.a.1.b, a.2 to a.14 (except .a.5.a when controlled for MT), b.2 (exported ...
        # for use in civil telecommunications applications) ...": a.3 within the range, a.5.a and b.2 to confirm.
        ("3A001.a.3", "GBS", Reach.YES),
        ("3A001.a.5.a", "GBS", Reach.CONFIRM),
        ("3A001.b.2", "GBS", Reach.CONFIRM),
        ("3A001.a.1.a", "GBS", Reach.NO),
        # A bare ECCN stops above the paragraphs the block names.
        ("3A001", "GBS", Reach.CONFIRM),
        # 4A003 LVS: "$5000; N/A for 4A003.b, c, and z."
        ("4A003.b", "LVS", Reach.NO),
        ("4A003.g", "LVS", Reach.YES),
        # 1E002 TSR: "Yes, except for 1E002.e and .f."
        ("1E002.e", "TSR", Reach.NO),
        ("1E002.a", "TSR", Reach.YES),
        # 3A090 LVS: "N/A".
        ("3A090.a", "LVS", Reach.NO),
    ],
)
def test_flag_reach(eccn: str, symbol: str, expected: Reach) -> None:
    terms = terms_for(eccn, symbol)
    assert terms is not None
    assert reach(eccn, terms) is expected


def _terms(eccn: str, symbol: str) -> FlagTerms:
    terms = terms_for(eccn, symbol)
    assert terms is not None, f"{eccn} has no {symbol} flag"
    return terms


def test_lvs_value_limits_read_per_eccn() -> None:
    assert _terms("1A003", "LVS").value == 200
    assert _terms("3B001.b", "LVS").value == 500
    assert _terms("4A003.g", "LVS").value == 5000
    # "N/A for MT, NP; ..." (3A001 LVS) names reasons the exception does not cover and states no value.
    terms = _terms("3A001.a.2", "LVS")
    assert terms.value is None and set(terms.na_reasons) == {"MT", "NP"}


@pytest.mark.parametrize(
    ("value", "quantity", "outcome", "exception"),
    [
        # §740.3(b): net value of the same order under the same ECCN must not exceed the LVS value (1A003: $200).
        ("200", 1, LE, "LVS"),
        ("100", 2, LE, "LVS"),  # the order total counts: 2 x $100 = $200
        ("200.01", 1, LR, None),  # one cent over the limit
        ("101", 2, LR, None),
    ],
)
def test_lvs_boundary_to_brazil(value: str, quantity: int, outcome: Outcome, exception: str | None) -> None:
    # 1A003: NS 2; Brazil has an X in NS 2 and is in Country Group B; GBS is N/A; Brazil is in neither A:5 nor A:6.
    d = evaluate(make_case("BR", [_item("1A003", value, quantity=Decimal(quantity))]))
    f = one(d, "country-chart.NS2")
    assert f.outcome is outcome and f.exception == exception
    if exception:
        assert f.citation.endswith("; 15 CFR 740.3(b)")
        assert "15 CFR 738.4(a)(2)" in f.citation  # the requirement it answers stays cited beside it
    else:
        assert "above the LVS limit of $200" in f.explanation
        assert "TMP (15 CFR 740.9)" in f.explanation and "RPL (15 CFR 740.10)" in f.explanation  # named, not silent


def test_lvs_sums_every_item_of_the_same_eccn_entry() -> None:
    d = evaluate(make_case("BR", [_item("1A003", "150"), _item("1A003", "150")]))
    assert all(f.outcome is LR for f in by_rule(d, "country-chart.NS2"))


def test_lvs_without_a_value_is_an_open_item_not_a_pass() -> None:
    d = evaluate(make_case("BR", [_item("1A003", "0")]))
    f = one(d, "country-chart.NS2")
    assert f.outcome is LR and f.review
    assert any("License Exception LVS" in o and "net value" in o for o in d.open_items)


def test_gbs_for_ns_only_requirements_in_group_b() -> None:
    # §740.4: Country Group B, NS-only requirement, "GBS-Yes": 3A001.a.3 to Brazil (NS 2 X).
    d = evaluate(make_case("BR", [_item("3A001.a.3")]))
    f = one(d, "country-chart.NS2")
    assert f.outcome is LE and f.exception == "GBS" and f.citation.endswith("; 15 CFR 740.4")


def test_gbs_not_for_excluded_destinations() -> None:
    # §740.4 excludes Ukraine even though it is in Country Group B (NS 2 X for Ukraine).
    d = evaluate(make_case("UA", [_item("3A001.a.3", "100000")]))
    for f in by_rule(d, "country-chart.NS2"):
        assert f.exception != "GBS"


def test_gbs_not_when_another_reason_also_needs_a_licence() -> None:
    # 6A008.b: NS 2 and MT 1 to Brazil; GBS covers NS-only requirements, and §740.2(a)(5) bars MT items.
    d = evaluate(make_case("BR", [_item("6A008.b", "100000")]))
    ns = one(d, "country-chart.NS2")
    assert ns.outcome is LR
    assert "740.2(a)(5)" in ns.explanation


@pytest.mark.parametrize(
    ("destination", "outcome", "citation"),
    [
        # 1A003 worth $500 (over LVS): Israel is in A:6 -> STA (c)(2) covers NS-only requirements.
        ("IL", LE, "15 CFR 740.20(c)(2)"),
        # Singapore is also A:6.
        ("SG", LE, "15 CFR 740.20(c)(2)"),
        # Brazil is in neither A:5 nor A:6.
        ("BR", LR, None),
    ],
)
def test_sta_by_country_group(destination: str, outcome: Outcome, citation: str | None) -> None:
    d = evaluate(make_case(destination, [_item("1A003", "500")]))
    f = one(d, "country-chart.NS2")
    assert f.outcome is outcome
    if citation:
        assert f.exception == "STA" and f.citation.endswith(citation)
        # the conditions of §740.20(d) are open until the consignee statement is recorded
        assert any("License Exception STA" in o and "prior statement" in o for o in d.open_items)


def test_sta_conditions_met_by_a_recorded_consignee_statement() -> None:
    doc = DocumentRecord(kind=DocumentKind.LETTER_OF_ASSURANCE, filename="sta.pdf", assurances=(Assurance.NO_REEXPORT,))
    case = make_case("IL", [_item("1A003", "500")])
    from dataclasses import replace

    d = evaluate(replace(case, documents=(doc,)))
    assert one(d, "country-chart.NS2").exception == "STA"
    assert not any("License Exception STA" in o for o in d.open_items)


def test_sta_barred_by_the_eccn_paragraph() -> None:
    # 3B001: "STA may not be used to ship 3B001.c.1.a, c.1.c, and .q to ... A:5 or A:6". 3B001.c.1.a to Israel:
    # its NS row is worldwide (§742.4(a)(5)); STA is refused by the ECCN's paragraph.
    d = evaluate(make_case("IL", [_item("3B001.c.1.a", "100000")]))
    for f in d.findings:
        if f.subject == "item 1" and f.outcome is LR and f.rule.startswith(("country-chart.", "ccl-scope.")):
            assert f.exception is None
            assert "STA paragraph bars it" in f.explanation or "STA" not in (f.exception or "")


def test_advanced_computing_items_take_no_country_chart_exception() -> None:
    # §740.2(a)(13) (UNCONFIRMED paragraph): 3A001.z.1.b is b-level; its NS 2 requirement to Brazil is not GBS-eligible.
    d = evaluate(make_case("BR", [_item("3A001.z.1.b", "100")]))
    f = one(d, "country-chart.NS2")
    assert f.outcome is LR and "740.2(a)(13)" in f.explanation and f.unconfirmed


def test_each_reason_overcome_separately_and_mt_bars() -> None:
    # 6A008 MT row is qualified ("usable in systems controlled for MT reasons"): the bar is named with its condition.
    d = evaluate(make_case("BR", [_item("6A008.d", "100")]))
    mt = one(d, "country-chart.MT1")
    assert mt.outcome is LR and mt.exception is None


# --- ENC (§740.17) ----------------------------------------------------------------------------


def _crypto(cls: EncryptionClass | None, filed: date | None) -> Item:
    return Item(description="VPN gateway", eccn="5A002.a", encryption=cls, encryption_filed_on=filed)


def test_enc_b1_to_germany_overcomes_ns_and_ei() -> None:
    # Issue #17: "licence required for encryption items to Germany where License Exception ENC applies".
    d = evaluate(make_case("DE", [_crypto(EncryptionClass.B1, date(2026, 1, 5))]))
    ns, ei = one(d, "country-chart.NS1"), one(d, "country-chart.EI")
    for f in (ns, ei):
        assert f.outcome is LE and f.exception == "ENC" and f.citation.endswith("15 CFR 740.17(b)(1)")
    assert ei.citation.startswith("15 CFR 742.15(a)")  # EI requirement of §742.15(a) beside the exception
    assert d.outcome is LE
    assert not any("check the EI requirement" in o for o in d.open_items)


def test_ei_not_required_to_canada() -> None:
    # §742.15(a): a licence for EI items to all destinations except Canada.
    d = evaluate(make_case("CA", [_crypto(None, None)]))
    assert one(d, "country-chart.EI").outcome is NLR


def test_enc_without_the_740_17_paragraph_is_an_open_item() -> None:
    d = evaluate(make_case("DE", [_crypto(None, None)]))
    assert one(d, "country-chart.NS1").outcome is LR
    assert any("License Exception ENC" in o and "740.17 paragraph" in o for o in d.open_items)
    assert d.standing.value == "open"


def test_enc_mass_market_asks_for_the_ecccn_correction() -> None:
    d = evaluate(make_case("DE", [_crypto(EncryptionClass.MASS_MARKET, date(2026, 1, 5))]))
    assert one(d, "country-chart.NS1").outcome is LR
    assert any("5A992.c" in o for o in d.open_items)


@pytest.mark.parametrize(
    ("days", "outcome"),
    [
        (29, LR),  # the day before the 30-day wait ends
        (30, LE),  # the day it ends: exports outside Supp. 3 may begin
    ],
)
def test_enc_b3_thirty_day_wait_outside_supp3(days: int, outcome: Outcome) -> None:
    # BIS (media.bis.gov, 740.17(b)(2)/(b)(3)): a 30-day wait after the classification request outside Supp. 3.
    filed = date(2026, 10, 1)
    d = evaluate(make_case("IN", [_crypto(EncryptionClass.B3, filed)], on=filed + timedelta(days=days)))
    f = one(d, "country-chart.NS1")
    assert f.outcome is outcome
    if outcome is LE:
        assert f.citation.endswith("15 CFR 740.17(b)(3)")
    else:
        assert "from 2026-10-31" in f.explanation


def test_enc_b2_outside_supp3_asks_about_government_end_users() -> None:
    d = evaluate(make_case("IN", [_crypto(EncryptionClass.B2, date(2026, 1, 5))]))
    assert one(d, "country-chart.NS1").outcome is LR
    assert any('"government end user"' in o for o in d.open_items)


def test_enc_b2_immediately_to_supp3() -> None:
    d = evaluate(make_case("FR", [_crypto(EncryptionClass.B2, date(2026, 11, 27))]))
    assert one(d, "country-chart.NS1").exception == "ENC"


def test_entity_list_party_bars_enc() -> None:
    # §740.2 / §744.16: no licence exceptions for Entity List parties; the exception becomes a requirement.
    parties = [party("Listed GmbH", "DE", listed=[ListFlag.ENTITY_LIST])]
    d = evaluate(make_case("DE", [_crypto(EncryptionClass.B1, date(2026, 1, 5))], parties))
    f = one(d, "country-chart.NS1")
    assert f.outcome is LR and "not available" in f.explanation


def test_provisional_entity_list_hit_makes_the_exception_provisional() -> None:
    listings = {0: [PartyListing(ListFlag.ENTITY_LIST, "Entity List", "LISTED GMBH", resolved=False)]}
    d = evaluate(make_case("DE", [_crypto(EncryptionClass.B1, date(2026, 1, 5))]), party_listings=listings)
    f = one(d, "country-chart.NS1")
    assert f.outcome is LR and f.provisional


# --- exceptions named by the advanced-computing rules cite their section -------------------------


def test_nac_and_aia_findings_cite_the_exception_section() -> None:
    # NAC (§740.8(a)): non-datacenter 4A090.a to China; AIA (§740.27): codified posture to a Tier 1 destination.
    item = h100_board(datacenter=False)
    nac = one(evaluate(make_case("CN", [item])), "adv-computing.destination")
    assert nac.exception == "NAC" and "740.8(a)" in nac.citation
    d = evaluate(make_case("DE", [h100_board()], on=date(2025, 6, 1)), posture=Posture.CODIFIED)
    aia = [f for f in d.findings if f.exception == "AIA"]
    assert aia and all("740.27" in f.citation for f in aia)


def test_exception_rules_checked_against_the_ecfr_catalogue() -> None:
    """Every exception the engine grants is a section of the eCFR 2026-07-23 catalogue and a flag the CCL uses;
    CIV, named as removed, is in neither."""
    data = rule_data()
    catalogue = data.exceptions.exceptions
    flags = {symbol for entry in data.ccl.entries.values() for symbol in entry.exceptions}
    for symbol, rule in data.exception_rules.exceptions.items():
        assert symbol in catalogue, symbol
        section = catalogue[symbol].section
        assert rule.citation.startswith(f"15 CFR {section}"), (symbol, rule.citation, section)
        for cited in (
            rule.citation_a5,
            rule.citation_a6,
            *(p.citation for p in rule.paragraphs.values()),
            *(p.citation for p in rule.purposes.values()),
            *(k.citation for k in rule.kinds.values()),
        ):
            assert cited is None or cited.startswith(f"15 CFR {section}("), cited
        # STA's block paragraphs only restrict it; TMP and RPL are transaction-based (no ECCN block names them)
        assert rule.flag in flags or rule.kind in ("sta", "tmp", "rpl"), symbol
    assert "CIV" not in catalogue and "CIV" not in flags
    for symbol, entry in data.exception_rules.not_evaluated.items():
        if symbol in catalogue:
            assert entry.citation == catalogue[symbol].citation
