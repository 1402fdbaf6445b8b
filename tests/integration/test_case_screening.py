"""Cases screen their register parties at party level: a decision made once applies in every case,
and a case cannot be signed while a party or an owner of 25 % or more has an unresolved hit."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workbench import resources
from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.domain.determination import Outcome
from workbench.domain.ownership import Stake
from workbench.domain.record import SignOff, SignOffError
from workbench.domain.register import Kyc, KycStatus, RegisterParty
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.domain.screening import DispositionDecision
from workbench.services import Workbench, open_workbench
from workbench.services.case_register import party_statuses
from workbench.services.cases import create_case, get_case
from workbench.services.checks import check
from workbench.services.determinations import build_record
from workbench.services.screening import case_hits, decide, import_list, screen_case

LISTED = "Huawei Technologies Co., Ltd."


@pytest.fixture(scope="module")
def rows() -> tuple[list[str], list[dict[str, str]]]:
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    chosen = [r for i, r in enumerate(reader) if i % 400 == 0 or r["name"] == LISTED]
    return list(reader.fieldnames or []), chosen


@pytest.fixture
def wb(db_url: str, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]) -> Iterator[Workbench]:
    bench = open_workbench(db_url, officer="Jane Officer")
    fields, chosen = rows
    path = tmp_path / "small.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(chosen)
    import_list(bench, path, rescreen=False)
    try:
        yield bench
    finally:
        bench.close()


def _add(wb: Workbench, party: RegisterParty) -> int:
    with wb.uow() as uow:
        stored = uow.register.add(party)
        uow.commit()
    assert stored.id is not None
    return stored.id


def _case(reference: str, register_id: int, country: str = "CN") -> Case:
    return Case(
        reference=reference,
        title="Register screening",
        transaction_date=date(2026, 3, 1),
        export_from="US",
        destination=country,
        parties=(Party(PartyRole.END_USER, "x", country, register_id=register_id),),
        items=(Item("Industrial sensor", eccn="EAR99", unit_value=Decimal(100)),),
    )


def test_a_decision_on_a_register_party_applies_in_every_case(wb: Workbench) -> None:
    listed = _add(wb, RegisterParty(LISTED, "CN", kyc=Kyc(KycStatus.APPROVED, date(2026, 1, 5), "Jane Officer")))
    create_case(wb, _case("EC-SCR-A", listed))
    create_case(wb, _case("EC-SCR-B", listed))
    assert party_statuses(wb, get_case(wb, "EC-SCR-A")) == [PartyScreeningStatus.NOT_SCREENED]

    screen_case(wb, "EC-SCR-A")
    assert party_statuses(wb, get_case(wb, "EC-SCR-B")) == [PartyScreeningStatus.UNRESOLVED]
    hits = [h for h in case_hits(wb, "EC-SCR-A") if h.source_code == "EL"]
    assert hits and all(h.party_position == 1 and h.disposition is None for h in hits)
    record = build_record(wb, "EC-SCR-A")
    with pytest.raises(SignOffError, match="open item"):
        SignOff.of(record).require()

    for hit in case_hits(wb, "EC-SCR-A"):
        decision = DispositionDecision.TRUE_MATCH if hit.source_code == "EL" else DispositionDecision.FALSE_POSITIVE
        decide(wb, "EC-SCR-A", hit, decision, "same legal entity, registration checked")
    # Decided once, in case A: case B sees the party's decision without deciding anything.
    assert party_statuses(wb, get_case(wb, "EC-SCR-B")) == [PartyScreeningStatus.CONFIRMED]
    assert all(h.disposition is not None for h in case_hits(wb, "EC-SCR-B"))
    other = build_record(wb, "EC-SCR-B")
    assert not [row for row in other.screening if row.disposition is None]
    assert other.determination.outcome is Outcome.LICENSE_REQUIRED
    assert any(f.rule.startswith("parties.") or "Entity List" in f.explanation for f in other.determination.findings)


def test_an_owner_of_25_percent_with_an_unresolved_hit_keeps_the_case_open(wb: Workbench) -> None:
    owner = _add(wb, RegisterParty(LISTED, "CN"))
    held = _add(
        wb, RegisterParty("Quiet Meadow Sensors GmbH", "DE", kyc=Kyc(KycStatus.APPROVED, date(2026, 1, 5), "J"))
    )
    with wb.uow() as uow:
        uow.register.record_stake(Stake(owner, held, Decimal(30), date(2026, 1, 1), note="registry extract"))
        uow.commit()
    create_case(wb, _case("EC-OWNER", held, "DE"))
    from workbench.services.register_screening import screen_party

    screen_party(wb, owner)
    result = check(wb, get_case(wb, "EC-OWNER"), stored=True)
    assert any(
        f"owner {LISTED}" in i and "holds 30 % of Quiet Meadow Sensors GmbH" in i and "unresolved" in i
        for i in result.open_items
    )
    record = build_record(wb, "EC-OWNER")
    with pytest.raises(SignOffError):
        SignOff.of(record).require()
    assert SignOff(record.case.reference, record.open_items, "owner checked by phone with the customer").allowed
