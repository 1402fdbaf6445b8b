"""A licence satisfies the rule engine only for matching parties, items, destination, dates and balance."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from tests.unit.licences._fixtures import D, demo, licence_0044, shipment, two_item_case, with_purchaser
from workbench.domain.case import ListFlag
from workbench.domain.case_ownership import OwnershipFacts, PartyFacts
from workbench.domain.determination import Outcome
from workbench.domain.licences import LicenceKind, LicenceParty
from workbench.domain.ownership import Stake
from workbench.rules.coverage import cover, gaps
from workbench.rules.engine import determination_to_json, evaluate

DAY = date(2026, 9, 1)


def _required(d: object) -> list[tuple[str, str | None]]:
    return [(f.rule, f.covered_by) for f in d.findings if f.outcome is Outcome.LICENSE_REQUIRED]  # type: ignore[attr-defined]


def test_matching_licence_covers_every_requirement_and_json_says_so() -> None:
    case = demo("EC-2026-0044")
    d = evaluate(case)
    assert d.outcome is Outcome.LICENSE_REQUIRED and d.all_requirements_covered is None
    covered = cover(d, case, [licence_0044()], DAY)
    assert _required(covered) == [("adv-computing.headquarters", "D123456"), ("ai-training.d5-hq", "D123456")]
    assert covered.all_requirements_covered is True
    assert covered.outcome is Outcome.LICENSE_REQUIRED  # still required, now met
    out = determination_to_json(covered)
    assert out["all_requirements_covered"] is True
    assert {f["covered_by"] for f in out["findings"] if f["outcome"] == "license_required"} == {"D123456"}


def test_uncovered_json_keeps_the_fields() -> None:
    out = determination_to_json(evaluate(demo("EC-2026-0044")))
    assert out["all_requirements_covered"] is None
    assert all(f["covered_by"] is None for f in out["findings"])


def _not_covered(case: object, licence: object, day: date = DAY, shipments: tuple[object, ...] = ()) -> None:
    d = cover(evaluate(case), case, [licence], day, shipments=shipments)  # type: ignore[arg-type,list-item]
    assert d.all_requirements_covered is False
    assert all(covered is None for _, covered in _required(d))


def test_other_parties_do_not_match() -> None:
    case = demo("EC-2026-0044")
    _not_covered(case, licence_0044(consignee="Another Cloud Sdn Bhd"))
    _not_covered(with_purchaser(case, "Reseller Pte Ltd"), licence_0044())  # the licence names no purchaser
    assert (
        "purchaser Reseller Pte Ltd (SG) is not named"
        in gaps(with_purchaser(case, "Reseller Pte Ltd"), [licence_0044()], DAY)[0]
    )


def test_names_match_ignoring_case_and_punctuation_but_not_country() -> None:
    case = demo("EC-2026-0044")
    assert cover(
        evaluate(case), case, [licence_0044(consignee="NUSANTARA cloud sdn-bhd")], DAY
    ).all_requirements_covered


def test_other_items_destination_and_dates_do_not_match() -> None:
    case = demo("EC-2026-0044")
    _not_covered(case, licence_0044(eccn="4A090.b"))
    _not_covered(case, licence_0044(destination="SG"))
    _not_covered(case, licence_0044(), day=date(2026, 8, 14))
    _not_covered(case, licence_0044(), day=date(2028, 8, 15))
    assert cover(evaluate(case), case, [licence_0044()], date(2028, 8, 14)).all_requirements_covered


def test_remaining_balance_must_take_what_the_case_still_ships() -> None:
    case = demo("EC-2026-0044")  # 64 boards at 250,000
    other_case = (shipment(1, 250_000, ref="EC-2026-0042"),)
    _not_covered(case, licence_0044(), shipments=other_case)
    ok = cover(evaluate(case), case, [licence_0044()], DAY, shipments=(shipment(10, 2_500_000),))
    assert ok.all_requirements_covered  # the case's own shipments are already decremented
    small = licence_0044(value=D(10_000_000))  # 16,000,000 > 12,500,000 ceiling
    _not_covered(case, small)
    assert "of value remaining" in gaps(case, [small], DAY)[0]


def test_item_findings_are_covered_item_by_item() -> None:
    case = two_item_case()
    d = cover(evaluate(case), case, [licence_0044()], DAY)
    item1 = [f for f in d.findings if f.subject == "item 1" and f.outcome is Outcome.LICENSE_REQUIRED]
    assert item1 and all(f.covered_by == "D123456" for f in item1)
    assert "5A992.c is not on licence D123456" in gaps(case, [licence_0044()], DAY)[0]


def test_a_party_finding_needs_every_item_covered() -> None:
    case = demo("EC-2026-0049")  # entity-listed end user: the finding's subject is the party
    lic = replace(
        licence_0044(destination="CN", eccn="3A992.a", quantity=D(3), value=D(84_000), valid_from=date(2026, 1, 1)),
        parties=tuple(LicenceParty(p.role, p.name, p.country) for p in case.parties),
    )
    d = cover(evaluate(case), case, [lic], case.transaction_date)
    assert _required(d) == [("listed.entity-list", "D123456")] and d.all_requirements_covered
    exception = replace(lic, kind=LicenceKind.LICENCE_EXCEPTION, exception_symbol="GOV", number="GOV-1")
    d = cover(evaluate(case), case, [exception], case.transaction_date)
    assert _required(d) == [("listed.entity-list", None)]  # exceptions never cover a listed party


def test_an_exception_never_covers_the_requirement_of_an_affiliate_of_a_listed_owner() -> None:
    """Supp. No. 8 to part 744 (b): a party 60 % owned by an Entity List entity takes on its restrictions, so a
    recorded exception (GOV) covers its requirement no more than the owner's own (above); a licence does."""
    case = demo("EC-2026-0049")
    user = replace(case.parties[1], listed_on=(), register_id=3)
    facts = OwnershipFacts(
        (Stake(1, 3, D(60), date(2025, 6, 1), note="registry"),),
        (PartyFacts(1, "Parent Co", "CN", listed_on=(ListFlag.ENTITY_LIST,)), PartyFacts(3, user.name, "CN")),
    )
    case = replace(case, parties=(case.parties[0], user), ownership=facts, transaction_date=date(2025, 10, 15))
    lic = replace(
        licence_0044(destination="CN", eccn="3A992.a", quantity=D(3), value=D(84_000), valid_from=date(2025, 1, 1)),
        parties=tuple(LicenceParty(p.role, p.name, p.country) for p in case.parties),
    )
    d = evaluate(case)
    assert _required(cover(d, case, [lic], case.transaction_date)) == [("ownership.affiliates", "D123456")]
    exception = replace(lic, kind=LicenceKind.LICENCE_EXCEPTION, exception_symbol="GOV", number="GOV-1")
    assert _required(cover(d, case, [exception], case.transaction_date)) == [("ownership.affiliates", None)]


def test_a_recorded_exception_covers_for_review_and_a_licence_is_preferred() -> None:
    case = demo("EC-2026-0044")
    nac = licence_0044(kind=LicenceKind.LICENCE_EXCEPTION, symbol="NAC", number="A-NAC-1")
    d = cover(evaluate(case), case, [nac], DAY)
    assert {c for _, c in _required(d)} == {"A-NAC-1"} and d.review_required
    assert all(f.review for f in d.findings if f.covered_by)
    both = cover(evaluate(case), case, [nac, licence_0044(number="Z999999")], DAY)
    assert {c for _, c in _required(both)} == {"Z999999"}


def test_prohibited_findings_keep_the_case_uncovered() -> None:
    case = demo("EC-2026-0046")
    d = cover(evaluate(case), case, [], case.transaction_date)
    assert d.all_requirements_covered is False


def test_nothing_required_is_trivially_covered() -> None:
    case = demo("EC-2026-0042")
    assert cover(evaluate(case), case, [], DAY).all_requirements_covered is True
