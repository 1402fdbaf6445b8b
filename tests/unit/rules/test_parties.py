"""Rule 7: listed parties (§744.11/744.16, part 764, §744.15, §744.21, §744.8) and screening results."""

from __future__ import annotations

import pytest

from tests.unit.rules._cases import h100_board, make_case, one, party
from workbench.domain.case import DocumentKind, DocumentRecord, Item, ListFlag
from workbench.domain.determination import Outcome
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


def test_unresolved_hit_is_an_open_item_not_an_outcome() -> None:
    listing = PartyListing(ListFlag.DENIED_PERSONS, "Denied Persons List", "ACME TRADING", resolved=False)
    d = evaluate(make_case("DE", [Item(description="chair", eccn="EAR99")]), party_listings={0: [listing]})
    assert d.outcome is Outcome.NLR and d.review_required
    assert one(d, "screening.unresolved").review
    assert any("ACME TRADING" in o for o in d.open_items)
