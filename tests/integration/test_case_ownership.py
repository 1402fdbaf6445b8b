"""Ownership rules in the case checks (issue #14 acceptance): the Affiliates Rule with its lifecycle,
OFAC's 50 % rule, the ultimate parent's headquarters, ownership unknown, owners' screening."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workbench.domain.case import Case, Item, ListFlag, Party, PartyRole
from workbench.domain.determination import Outcome
from workbench.domain.ownership import Stake
from workbench.domain.register import Kyc, KycStatus, RegisterParty
from workbench.services import Workbench, open_workbench
from workbench.services.cases import create_case, get_case, save_case
from workbench.services.checks import check


@pytest.fixture
def wb(db_url: str) -> Iterator[Workbench]:
    workbench = open_workbench(db_url, officer="Alice Officer")
    yield workbench
    workbench.close()


def _party(wb: Workbench, name: str, country: str = "DE", **fields: object) -> int:
    with wb.uow() as uow:
        party = uow.register.add(RegisterParty(name, country, **fields))  # type: ignore[arg-type]
        uow.commit()
    assert party.id is not None
    return party.id


def _stake(wb: Workbench, owner: int, owned: int, percent: str | None) -> None:
    with wb.uow() as uow:
        uow.register.record_stake(
            Stake(owner, owned, None if percent is None else Decimal(percent), date(2025, 6, 1), note="registry")
        )
        uow.commit()


def _case(reference: str, party_id: int, day: date, *, destination: str = "DE", items: tuple[Item, ...] = ()) -> Case:
    return Case(
        reference=reference,
        title="Ownership",
        transaction_date=day,
        export_from="US",
        destination=destination,
        parties=(Party(PartyRole.END_USER, "picked from the register", destination, register_id=party_id),),
        items=items or (Item("Industrial sensor", eccn="EAR99", unit_value=Decimal(100)),),
    )


def _ownership(determination: object) -> list[object]:
    return [f for f in determination.findings if f.rule.startswith("ownership.")]  # type: ignore[attr-defined]


def test_affiliates_rule_over_the_lifecycle_and_ofac_50(wb: Workbench) -> None:
    el1 = _party(wb, "Listed One Ltd", "CN", listed_on=(ListFlag.ENTITY_LIST,))
    el2 = _party(wb, "Listed Two Ltd", "CN", listed_on=(ListFlag.ENTITY_LIST,))
    sub = _party(wb, "Joint Sub GmbH", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    _stake(wb, el1, sub, "30")
    _stake(wb, el2, sub, "25")
    create_case(wb, _case("EC-AFF-1", sub, date(2025, 10, 15)))
    case = get_case(wb, "EC-AFF-1")

    before = check(wb, case, stored=True)
    [affiliates] = [f for f in _ownership(before) if f.rule == "ownership.affiliates"]
    assert affiliates.outcome is Outcome.LICENSE_REQUIRED
    assert before.outcome is Outcome.LICENSE_REQUIRED
    text = affiliates.explanation
    assert "owned 55 % in aggregate" in text
    assert "30 % (Listed One Ltd (party 1)) + 25 % (Listed Two Ltd (party 2)) = 55 %" in text
    assert "Listed One Ltd (party 1) [Entity List] holds 30 % (as of 2025-06-01) of Joint Sub GmbH" in text
    assert not affiliates.unconfirmed

    suspended = check(wb, case, stored=True, as_of=date(2026, 3, 1))
    [paused] = [f for f in _ownership(suspended) if f.rule == "ownership.affiliates"]
    assert paused.outcome is Outcome.NLR
    assert paused.explanation.startswith(
        "Not enforced on 2026-03-01: BIS suspended the Affiliates Rule from 2025-11-10"
    )
    assert "through 2026-11-09" in paused.explanation
    assert "= 55 %" in paused.explanation

    later = check(wb, case, stored=True, as_of=date(2026, 11, 20))
    [again] = [f for f in _ownership(later) if f.rule == "ownership.affiliates"]
    assert again.outcome is Outcome.LICENSE_REQUIRED
    assert again.unconfirmed and "UNCONFIRMED" in again.explanation

    sdn = _party(wb, "Blocked Holdings", "RU", listed_on=(ListFlag.SDN,))
    company = _party(wb, "Half Owned LLC", "AE")
    _stake(wb, sdn, company, "50")
    create_case(wb, _case("EC-OFAC-1", company, date(2026, 3, 1), destination="AE"))
    blocked = check(wb, get_case(wb, "EC-OFAC-1"), stored=True)
    [ofac] = [f for f in _ownership(blocked) if f.rule == "ownership.ofac-50"]
    assert ofac.outcome is Outcome.PROHIBITED
    assert blocked.outcome is Outcome.PROHIBITED
    assert "50 % (Blocked Holdings (party 4)) = 50 %" in ofac.explanation


def test_49_99_is_below_and_a_chain_passes_coverage_down(wb: Workbench) -> None:
    el = _party(wb, "Listed Parent", "CN", listed_on=(ListFlag.ENTITY_LIST,))
    mid = _party(wb, "Covered Mid", "HK")
    low = _party(wb, "Chain End", "DE", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    near = _party(wb, "Nearly Owned", "DE", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    _stake(wb, el, mid, "50")
    _stake(wb, mid, low, "50")
    _stake(wb, el, near, "49.99")
    create_case(wb, _case("EC-CHAIN", low, date(2025, 10, 15)))
    create_case(wb, _case("EC-NEAR", near, date(2025, 10, 15)))
    chain = check(wb, get_case(wb, "EC-CHAIN"), stored=True)
    [finding] = [f for f in _ownership(chain) if f.rule == "ownership.affiliates"]
    assert finding.outcome is Outcome.LICENSE_REQUIRED
    assert "which holds 50 % (as of 2025-06-01) of Chain End" in finding.explanation
    nearly = check(wb, get_case(wb, "EC-NEAR"), stored=True)
    [below] = [f for f in _ownership(nearly) if f.rule == "ownership.affiliates"]
    assert below.outcome is Outcome.NLR
    assert "owned 49.99 % in aggregate by listed parties, below 50 %" in below.explanation
    assert nearly.outcome is Outcome.NLR


def test_ultimate_parent_headquarters_and_the_contradiction_warning(wb: Workbench) -> None:
    parent = _party(wb, "Dragon Holdings", "CN", headquarters_country="CN")
    subsidiary = _party(
        wb, "Euro Compute BV", "NL", headquarters_country="NL", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "A B")
    )
    _stake(wb, parent, subsidiary, "75")
    gpu = Item("Accelerator board", eccn="3A090.a", tpp=5000.0, performance_density=10.0, unit_value=Decimal(20000))
    create_case(wb, _case("EC-HQ", subsidiary, date(2026, 3, 1), destination="NL", items=(gpu,)))
    result = check(wb, get_case(wb, "EC-HQ"), stored=True)
    [warning] = [f for f in _ownership(result) if f.rule == "ownership.headquarters"]
    assert warning.review
    assert "ultimate parent Dragon Holdings" in warning.explanation
    assert "Dragon Holdings holds 75 % (as of 2025-06-01) of Euro Compute BV" in warning.explanation
    hq = [f for f in result.findings if f.rule == "adv-computing.headquarters"]
    assert hq, "the parent's headquarters in China feeds the advanced-computing headquarters rule"
    assert "headquartered in China" in hq[0].explanation


def test_ownership_unknown_is_an_open_item_on_a_licence_required_case(wb: Workbench) -> None:
    unknown = _party(wb, "Mystery Trading", "CN")
    gpu = Item("Accelerator board", eccn="3A090.a", tpp=5000.0, performance_density=10.0, unit_value=Decimal(20000))
    create_case(wb, _case("EC-UNK", unknown, date(2026, 3, 1), destination="CN", items=(gpu,)))
    case = get_case(wb, "EC-UNK")
    result = check(wb, case, stored=True)
    assert any("no ownership is recorded and KYC is not approved" in i for i in result.open_items)
    # KYC approval (or a recorded owner) closes it.
    with wb.uow() as uow:
        party = uow.register.get(unknown)
        uow.register.save(replace(party, kyc=Kyc(KycStatus.APPROVED, date(2026, 2, 1), "Alice Officer")))
        uow.commit()
    again = check(wb, get_case(wb, "EC-UNK"), stored=True)
    assert not any("no ownership is recorded" in i for i in again.open_items)
    # An NLR case with ordinary items asks nothing.
    plain = _party(wb, "Plain Customer GmbH")
    create_case(wb, _case("EC-PLAIN", plain, date(2026, 3, 1)))
    assert not any("no ownership" in i for i in check(wb, get_case(wb, "EC-PLAIN"), stored=True).open_items)


def test_a_significant_owner_never_screened_is_open_and_the_case_follows_the_register(wb: Workbench) -> None:
    owner = _party(wb, "Quarter Owner SA", "FR")
    held = _party(wb, "Held Company GmbH", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    _stake(wb, owner, held, "25")
    create_case(wb, _case("EC-OWN", held, date(2026, 3, 1)))
    result = check(wb, get_case(wb, "EC-OWN"), stored=True)
    assert any("owner Quarter Owner SA" in i and "never screened" in i for i in result.open_items)
    small = _party(wb, "Small Owner SA", "FR")
    _stake(wb, small, held, "24.99")
    again = check(wb, get_case(wb, "EC-OWN"), stored=True)
    assert not any("Small Owner" in i for i in again.open_items)
    save_case(wb, replace(get_case(wb, "EC-OWN"), title="still follows"))
    assert get_case(wb, "EC-OWN").parties[0].name == "Held Company GmbH"


def test_the_determination_snapshots_the_register_facts_and_keeps_them(wb: Workbench) -> None:
    from workbench.domain.record import DeterminationRecord
    from workbench.services.determinations import determination, determine

    el = _party(wb, "Listed Owner Co", "CN", listed_on=(ListFlag.ENTITY_LIST,))
    sub = _party(wb, "Owned Sub GmbH", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    _stake(wb, el, sub, "60")
    create_case(wb, _case("EC-SNAP", sub, date(2025, 10, 15)))
    create_case(
        wb,
        Case(
            "EC-PLAIN-SNAP",
            "Case only",
            date(2025, 10, 15),
            "US",
            "DE",
            parties=(Party(PartyRole.END_USER, "Case Only GmbH", "DE"),),
        ),
    )
    record = determine(wb, "EC-SNAP")
    data = record.to_dict()
    assert data["case"]["parties"][0]["register_id"] == sub
    assert [p["party_id"] for p in data["ownership"]["parties"]] == [el, sub]
    assert data["ownership"]["stakes"][0]["percent"] == "60"
    assert {r["relation"] for r in data["register_parties"]} >= {
        "party 1 (end user)",
        f"owner: 60 % of Owned Sub GmbH (party {sub})",
    }
    # The register changes afterwards; the stored determination does not.
    _stake(wb, el, sub, "10")
    stored = determination(wb, "EC-SNAP")
    assert stored.content_hash == record.content_hash
    assert stored.case.ownership is not None and stored.case.ownership.stakes[0].percent == Decimal(60)
    again = DeterminationRecord.from_json(stored.to_json())
    assert again.content_hash == record.content_hash
    # A case without register parties snapshots exactly the fields it always had.
    plain = determine(wb, "EC-PLAIN-SNAP").to_dict()
    assert not {"ownership", "register_parties", "owner_hits"} & plain.keys()
    assert not {"register_id", "region"} & plain["case"]["parties"][0].keys()


def test_an_annual_euc_on_file_for_the_party_covers_its_cases_while_valid(
    wb: Workbench, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.helpers.pdfs import text_pdf, write
    from workbench.cli.main import main
    from workbench.services.party_documents import party_documents

    customer = _party(wb, "Annual Customer GmbH", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    gpu = Item("Accelerator board", eccn="3A090.a", tpp=5000.0, performance_density=10.0, unit_value=Decimal(20000))
    create_case(wb, _case("EC-EUC-1", customer, date(2026, 3, 1), items=(gpu,)))
    create_case(wb, _case("EC-EUC-2", customer, date(2027, 2, 1), items=(gpu,)))

    def missing(reference: str) -> bool:
        return any("no valid EUC covers" in i for i in check(wb, get_case(wb, reference), stored=True).open_items)

    assert missing("EC-EUC-1")
    pdf = write(tmp_path / "euc-2026.pdf", text_pdf("End-user certificate 2026 for Annual Customer GmbH"))
    url = wb.database.url
    code = main(
        [
            "--db",
            url,
            "party",
            "attach",
            str(customer),
            str(pdf),
            "--kind",
            "euc",
            "--valid-from",
            "2026-01-01",
            "--valid-until",
            "2026-12-31",
            "--json",
        ]
    )
    assert code == 0
    out = capsys.readouterr().out
    assert '"valid_until": "2026-12-31"' in out
    assert [d.filename for d in party_documents(wb, customer)] == ["euc-2026.pdf"]
    assert not missing("EC-EUC-1")  # one annual EUC serves the case of March 2026 ...
    assert missing("EC-EUC-2")  # ... but not one shipped after it expired
    with pytest.raises(SystemExit):
        main(
            [
                "--db",
                url,
                "party",
                "attach",
                str(customer),
                str(pdf),
                "--kind",
                "datasheet",
                "--valid-until",
                "2026-12-31",
            ]
        )
    assert "invalid choice" in capsys.readouterr().err


def test_check_and_the_signed_workbook_name_the_chain_and_the_figures(
    wb: Workbench, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import openpyxl

    from workbench.cli.main import main
    from workbench.export.keys import generate_keypair
    from workbench.services.determinations import determine_and_sign

    el = _party(wb, "Listed Parent Co", "CN", listed_on=(ListFlag.ENTITY_LIST,))
    mid = _party(wb, "Covered Holding Ltd", "HK")
    sub = _party(wb, "Far Sub GmbH", kyc=Kyc(KycStatus.APPROVED, date(2025, 1, 2), "Alice Officer"))
    _stake(wb, el, mid, "70")
    _stake(wb, mid, sub, "55")
    create_case(wb, _case("EC-WB-OWN", sub, date(2025, 10, 15)))
    assert main(["--db", wb.database.url, "check", "EC-WB-OWN"]) == 0
    out = " ".join(capsys.readouterr().out.split())
    assert "Listed Parent Co (party 1) [Entity List] holds 70 % (as of 2025-06-01) of Covered Holding Ltd" in out
    assert "which holds 55 % (as of 2025-06-01) of Far Sub GmbH" in out
    assert "Sum of the direct stakes of owners that count: 55 % (Covered Holding Ltd (party 2)) = 55 %" in out

    keys = generate_keypair("Alice Officer", tmp_path, b"correct horse battery", iterations=1000)
    workbook = tmp_path / "signed.xlsx"
    determine_and_sign(
        wb,
        "EC-WB-OWN",
        key_path=keys.private_key,
        passphrase=b"correct horse battery",
        out=workbook,
        override_reason="Licence application filed; recorded for the file",
    )
    book = openpyxl.load_workbook(workbook, read_only=True)
    try:
        cells = " ".join(
            str(c)
            for sheet in book.worksheets
            for row in sheet.iter_rows(values_only=True)
            for c in row
            if c is not None
        )
    finally:
        book.close()  # a read-only workbook keeps its file open until closed
    assert "which holds 55 % (as of 2025-06-01) of Far Sub GmbH" in " ".join(cells.split())
