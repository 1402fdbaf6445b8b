"""Rule 7: listed parties (§744.11/744.16, part 764, §744.15, §744.21, §744.8) and screening results."""

from __future__ import annotations

import pytest

from tests.unit.rules._cases import h100_board, make_case, one, party
from workbench.domain.case import DocumentKind, DocumentRecord, Item, ListFlag
from workbench.domain.determination import Outcome, Standing
from workbench.rules.engine import evaluate
from workbench.rules.listing import PartyListing


@pytest.mark.parametrize(
    ("flag", "rule", "outcome", "review"),
    [
        (ListFlag.ENTITY_LIST, "listed.entity-list", Outcome.LICENSE_REQUIRED, False),
        (ListFlag.DENIED_PERSONS, "listed.denied-persons", Outcome.PROHIBITED, False),
        (ListFlag.UNVERIFIED, "listed.unverified", Outcome.NLR, True),
        (ListFlag.MILITARY_END_USER, "listed.meu", Outcome.LICENSE_REQUIRED, True),
        (ListFlag.SDN, "listed.sdn", Outcome.PROHIBITED, False),
    ],
)
def test_party_flags(flag: ListFlag, rule: str, outcome: Outcome, review: bool) -> None:
    d = evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")], [party("Acme", "DE", listed=[flag])]))
    f = one(d, rule)
    assert f.outcome is outcome and f.review is review
    assert f.subject == "party 1 (Acme)"


def test_entity_list_quotes_the_entry_and_bars_exceptions() -> None:
    listing = PartyListing(
        ListFlag.ENTITY_LIST, "Entity List", "ACME VN", "For all items subject to the EAR", "Presumption of denial"
    )
    item = h100_board(datacenter=False, description="Workstation GPU card")
    d = evaluate(make_case("VN", [item]), party_listings={0: [listing]})
    el = one(d, "listed.entity-list")
    assert "For all items subject to the EAR" in el.explanation and "Presumption of denial" in el.explanation
    dest = one(d, "adv-computing.destination")
    assert dest.outcome is Outcome.LICENSE_REQUIRED and dest.exception is None
    assert "ACA is not available" in dest.explanation


def test_unverified_list_needs_uvl_statement() -> None:
    case = make_case(
        "DE", [Item(description="chair", eccn="EAR99")], [party("Acme", "DE", listed=[ListFlag.UNVERIFIED])]
    )
    assert any("uvl statement" in o for o in evaluate(case).open_items)
    doc = DocumentRecord(kind=DocumentKind.UVL_STATEMENT, filename="uvl.pdf", covers_parties=("Acme",))
    from dataclasses import replace

    assert not any("uvl statement" in o for o in evaluate(replace(case, documents=(doc,))).open_items)


@pytest.mark.parametrize(
    ("flag", "outcome", "list_name"),
    [
        (ListFlag.ENTITY_LIST, Outcome.LICENSE_REQUIRED, "Entity List"),
        (ListFlag.DENIED_PERSONS, Outcome.PROHIBITED, "Denied Persons List"),
        (ListFlag.MILITARY_END_USER, Outcome.LICENSE_REQUIRED, "Military End-User List"),
        (ListFlag.SDN, Outcome.PROHIBITED, "OFAC Specially Designated Nationals and Blocked Persons List"),
    ],
)
def test_unresolved_hit_counts_as_a_match_provisionally(flag: ListFlag, outcome: Outcome, list_name: str) -> None:
    listing = PartyListing(flag, "Some list", "ACME TRADING", resolved=False)
    d = evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")]), party_listings={0: [listing]})
    assert d.outcome is outcome and d.review_required
    assert d.standing is Standing.PROVISIONAL
    condition = f"the {list_name} match for party 1 (Consignee Ltd) is confirmed"
    assert d.provisional_on == (condition,)
    assert condition in d.headline and d.headline.startswith("Provisional: ")
    assert "No licence required" not in d.headline
    f = one(d, "screening.unresolved")
    assert f.review and f.provisional == condition and f.outcome is outcome
    assert any("ACME TRADING" in o for o in d.open_items)


def test_cleared_hit_gives_the_outcome_without_it() -> None:
    """A false positive is dropped before the engine (services); without the listing the outcome is NLR."""
    case = make_case("DE", [Item(description="chair", eccn="EAR99")])
    open_hit = PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME", resolved=False)
    assert evaluate(case, party_listings={0: [open_hit]}).outcome is Outcome.LICENSE_REQUIRED
    cleared = evaluate(case, party_listings={})
    assert cleared.outcome is Outcome.NLR and not cleared.provisional_on
    assert not any(f.provisional for f in cleared.findings)


def test_unresolved_entity_list_hit_quotes_the_entry_scope() -> None:
    listing = PartyListing(
        ListFlag.ENTITY_LIST, "Entity List", "ACME VN", "For all items subject to the EAR", "Presumption of denial",
        resolved=False,
    )
    d = evaluate(make_case("VN", [Item(description="chair", eccn="EAR99")]), party_listings={0: [listing]})
    f = one(d, "screening.unresolved")
    assert "For all items subject to the EAR" in f.explanation and "Presumption of denial" in f.explanation


def test_unresolved_hit_bars_licence_exceptions_provisionally() -> None:
    """An exception the list would bar becomes a provisional licence requirement."""
    item = h100_board(datacenter=False, description="Workstation GPU card")
    firm = evaluate(make_case("VN", [item]))
    assert one(firm, "adv-computing.destination").outcome is Outcome.LICENSE_EXCEPTION
    listing = PartyListing(ListFlag.UNVERIFIED, "Unverified List", "ACME VN", resolved=False)
    d = evaluate(make_case("VN", [item]), party_listings={0: [listing]})
    dest = one(d, "adv-computing.destination")
    assert dest.outcome is Outcome.LICENSE_REQUIRED and dest.exception is None
    assert dest.provisional == "the Unverified List match for party 1 (Consignee Ltd) is confirmed"
    assert d.standing is Standing.PROVISIONAL and d.firm_outcome.severity < Outcome.LICENSE_REQUIRED.severity


def test_firm_finding_at_least_as_restrictive_is_not_provisional() -> None:
    open_hit = PartyListing(ListFlag.ENTITY_LIST, "Entity List", "ACME", resolved=False)
    case = make_case("DE", [Item(description="chair", eccn="EAR99")], [party("Acme", "DE", listed=[ListFlag.SDN])])
    d = evaluate(case, party_listings={0: [open_hit]})
    assert d.outcome is Outcome.PROHIBITED and not d.provisional_on
    assert d.standing is Standing.OPEN and d.headline.startswith("Prohibited without BIS authorisation (at least)")
