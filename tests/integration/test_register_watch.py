"""Continuous screening: a list import rescreens the register by delta and reports new hits, hits
gone and the cases they touch; Cancel names the parties that keep their earlier result; a full
rescreen finds what the delta found."""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import update

from workbench import resources
from workbench.domain.case import Case, CaseStatus, Item, Party, PartyRole
from workbench.domain.register import Address, RegisterParty
from workbench.domain.screening import DispositionDecision
from workbench.services import Workbench, open_workbench, register_watch
from workbench.services import register as registry
from workbench.services import register_screening as party_screening
from workbench.services.cases import create_case
from workbench.services.screening import import_list
from workbench.store.orm import CaseRow, PartyRow

HUAWEI = "Huawei Technologies Co., Ltd."
FIELDS_OF_NEW = {"type": "Entity", "programs": "EAR", "license_requirement": "For all items subject to the EAR."}


@pytest.fixture(scope="module")
def rows() -> tuple[list[str], list[dict[str, str]]]:
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    chosen = [r for i, r in enumerate(reader) if i % 200 == 0 or r["name"] == HUAWEI]
    return list(reader.fieldnames or []), chosen


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _new_entry(template: dict[str, str], entry_id: str, name: str, address: str) -> dict[str, str]:
    return {
        **{k: "" for k in template},
        **FIELDS_OF_NEW,
        "_id": entry_id,
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "name": name,
        "addresses": address,
    }


def _link(wb: Workbench, reference: str, register_id: int) -> None:
    """Point the case's first party at a register party (the case editor's picker does this)."""
    with wb.uow() as uow:
        case_id = uow.session.scalar(
            CaseRow.__table__.select().with_only_columns(CaseRow.id).where(CaseRow.reference == reference)
        )
        uow.session.execute(update(PartyRow).where(PartyRow.case_id == case_id).values(register_id=register_id))
        uow.commit()


def _case(reference: str, status: CaseStatus, name: str) -> Case:
    return Case(
        reference=reference,
        title=f"Shipment {reference}",
        transaction_date=date(2026, 3, 1),
        export_from="US",
        destination="CN",
        status=status,
        parties=(Party(PartyRole.END_USER, name, "CN"),),
        items=(Item("GPU", eccn="3A090.a", quantity=2, unit_value=10),),
    )


@pytest.fixture
def wb(db_url: str, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]) -> Iterator[Workbench]:
    bench = open_workbench(db_url, officer="Jane Officer")
    fields, chosen = rows
    import_list(bench, _write(tmp_path / "v1.csv", fields, chosen), rescreen=False)
    with bench.uow() as uow:
        uow.register.add(RegisterParty(HUAWEI, "CN"))  # 1: hit on v1, its entry removed in v2
        uow.register.add(RegisterParty("Quiet Meadow Bakery Ltd", "IE"))  # 2: clear throughout
        uow.register.add(RegisterParty("Zhongke Brightway Photonics Co., Ltd.", "CN"))  # 3: listed in v2
        uow.register.add(
            RegisterParty(  # 4: at the address of an entity listed in v2, under another name
                "Harbour Light Trading Ltd",
                "CN",
                addresses=(Address("CN", ("Room 1802, 31 Jinrong Street", "Xicheng District"), "Beijing"),),
            )
        )
        uow.commit()
    try:
        yield bench
    finally:
        bench.close()


def _v2(tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]) -> Path:
    fields, chosen = rows
    kept = [r for r in chosen if r["name"] != HUAWEI]
    template = kept[0]
    kept.append(_new_entry(template, "new-1", "Zhongke Brightway Photonics Co. Ltd", "Shenzhen, CN"))
    kept.append(
        _new_entry(
            template,
            "new-2",
            "Pinnacle Optoelectronic Research Institute",
            "Room 1802, 18/F, 31 Jinrong Street, Xicheng District, Beijing, 100033, CN",
        )
    )
    return _write(tmp_path / "v2.csv", fields, kept)


def test_a_list_import_rescreens_the_register_by_delta_and_names_the_cases(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]
) -> None:
    first = register_watch.rescreen_register(wb)
    assert first.screened_full == 4 and first.screened_delta == 0
    assert {c.party_id for c in first.changes} == {1}
    create_case(wb, _case("EC-W-1", CaseStatus.DRAFT, HUAWEI))
    create_case(wb, _case("EC-W-2", CaseStatus.DETERMINED, "Zhongke Brightway Photonics"))
    create_case(wb, _case("EC-W-3", CaseStatus.DRAFT, "Bakery"))
    _link(wb, "EC-W-1", 1)
    _link(wb, "EC-W-2", 3)
    _link(wb, "EC-W-3", 2)
    with wb.uow() as uow:
        uow.register.add(RegisterParty("Brightway Zhongke Photonics Ltd", "CN"))  # 5: new since the last screening
        uow.commit()

    result = import_list(wb, _v2(tmp_path, rows))
    report = result.register
    assert report is not None and not report.full and not report.cancelled
    assert (report.entries_added, report.entries_changed, report.entries_removed) == (2, 0, 1)
    assert report.screened_delta == 4 and report.screened_full == 1
    by_party = {c.party_id: c for c in report.changes}
    assert set(by_party) == {1, 3, 4, 5}
    assert [h.entry_name for h in by_party[1].gone] == [HUAWEI] and not by_party[1].new
    assert [c.reference for c in by_party[1].cases] == ["EC-W-1"] and by_party[1].cases[0].open
    [new] = by_party[3].new
    assert new.entry_id == "new-1" and not new.by_address
    [touched] = by_party[3].cases
    assert touched.reference == "EC-W-2" and not touched.open and touched.retained_until is not None
    [by_address] = by_party[4].new
    assert by_address.entry_id == "new-2" and by_address.by_address
    assert by_address.explanation["text"].startswith("Address match")
    assert [h.entry_id for h in by_party[5].new] == ["new-1"]

    # The stored screening is what a full screening finds now.
    _, hits, _ = party_screening.party_hits(wb, 4)
    assert [h.entry_id for h in hits] == ["new-2"]
    again = register_watch.rescreen_register(wb)
    assert again.current == 5 and not again.changes
    full = register_watch.rescreen_register(wb, full=True)
    assert full.screened_full == 5 and not full.changes

    # Past the retention period a determined case is no longer named; an open one still is.
    later = register_watch._with_cases(wb, report.changes, date(2040, 1, 1))
    assert {c.party_id: [t.reference for t in c.cases] for c in later}[3] == []
    with wb.uow() as uow:
        assert uow.audit.verify().ok
        assert "rescreen" in {e.action for e in uow.audit.history("register", "screening")}


def test_a_changed_entry_reopens_its_decision_and_shows_as_gone_and_new(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]
) -> None:
    register_watch.rescreen_register(wb)
    _, hits, _ = party_screening.party_hits(wb, 1)
    el = next(h for h in hits if h.source_code == "EL")
    party_screening.decide(wb, 1, el.entry_id, DispositionDecision.TRUE_MATCH, "same company, checked the LEI")
    fields, chosen = rows
    changed = [{**r, "remarks": "Amended: additional addresses."} if r["_id"] == el.entry_id else r for r in chosen]
    report = import_list(wb, _write(tmp_path / "v2.csv", fields, changed)).register
    assert report is not None and report.entries_changed == 1
    [change] = report.changes
    assert [h.entry_id for h in change.new] == [h.entry_id for h in change.gone] == [el.entry_id]
    _, hits, status = party_screening.party_hits(wb, 1)
    reopened = next(h for h in hits if h.entry_id == el.entry_id)
    assert not reopened.resolved and "the list entry has changed" in reopened.reopened
    assert status.value == "unresolved"


def test_cancel_names_the_parties_that_keep_their_earlier_result(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    register_watch.rescreen_register(wb)
    import_list(wb, _v2(tmp_path, rows), rescreen=False)
    monkeypatch.setattr(register_watch, "CHUNK", 2)
    calls = iter(range(100))
    progress: list[tuple[int, int]] = []
    report = register_watch.rescreen_register(
        wb, cancel=lambda: next(calls) >= 1, progress=lambda d, t: progress.append((d, t))
    )
    assert report.cancelled and report.not_rescreened == [3, 4]
    assert report.screened_delta == 2 and progress[-1] == (2, 4)
    text = report.not_rescreened_text()
    assert "2 register parties keep their earlier screening result" in text
    assert "Zhongke Brightway Photonics Co., Ltd. (party 3)" in text
    _, hits, _ = party_screening.party_hits(wb, 3)
    assert hits == []  # still the v1 result
    resumed = register_watch.rescreen_register(wb)
    assert resumed.current == 2 and resumed.screened_delta == 2
    assert {c.party_id for c in resumed.changes} == {3, 4}


def test_the_cli_prints_the_report_of_a_list_import(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]], capsys: pytest.CaptureFixture[str]
) -> None:
    from workbench.cli.main import main

    register_watch.rescreen_register(wb)
    create_case(wb, _case("EC-W-9", CaseStatus.IN_REVIEW, "Zhongke"))
    _link(wb, "EC-W-9", 3)
    path = _v2(tmp_path, rows)
    assert main(["--db", wb.database.url, "lists", "import", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Register rescreened by delta" in out and "2 added and 0 changed entries" in out
    assert "Zhongke Brightway Photonics Co., Ltd. (party 3):" in out
    assert "new hit: EL new-1 Zhongke Brightway Photonics Co. Ltd" in out
    assert "touches case EC-W-9 (Shipment EC-W-9; open)" in out
    assert "new hit by address: EL new-2" in out
    assert main(["--db", wb.database.url, "party", "screen", "--all", "--json"]) == 0
    full = json.loads(capsys.readouterr().out)
    assert full["mode"] == "full" and full["screened_full"] == 4 and full["changes"] == []
    code = main(["--db", wb.database.url, "screening", "inbox", "--list", "EL", "--country", "CN", "--json"])
    assert code == 0
    inbox = json.loads(capsys.readouterr().out)
    assert {h["entry_id"] for h in inbox} >= {"new-1", "new-2"}
    assert all(h["source"] == "EL" and h["party_country"] == "CN" for h in inbox)
    assert {h["match"] for h in inbox} == {"name", "address"} and all(h["age_days"] == 0 for h in inbox)
    assert main(["--db", wb.database.url, "screening", "inbox", "--older-than", "3", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    assert main(["--db", wb.database.url, "screening", "inbox", "--list", "SDN"]) == 0
    assert capsys.readouterr().out.strip().endswith("0 unresolved hits")
    assert main(["--db", wb.database.url, "screening", "inbox", "--country", "XX"]) == 2
    assert "country" in capsys.readouterr().err


def test_registry_edits_are_screened_in_full_by_the_next_rescreen(wb: Workbench) -> None:
    register_watch.rescreen_register(wb)
    party = registry.get_party(wb, 2)
    with wb.uow() as uow:
        uow.register.save(replace(party, name="Huawei Technologies Co Ltd"))
        uow.commit()
    report = register_watch.rescreen_register(wb)
    assert report.screened_full == 1 and report.current == 3
    assert [c.party_id for c in report.changes] == [2]


def test_worker_processes_find_what_one_process_finds(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]], monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.screening import parallel

    monkeypatch.setattr(parallel, "MIN_PARALLEL", 1)
    alone = register_watch.rescreen_register(wb, full=True, workers=1)
    forked = register_watch.rescreen_register(wb, full=True, workers=2)
    assert forked.screened_full == alone.screened_full == 4 and not forked.changes
    import_list(wb, _v2(tmp_path, rows), rescreen=False)
    delta = register_watch.rescreen_register(wb, workers=2)
    assert {c.party_id for c in delta.changes} == {1, 3, 4}
    assert [h.entry_id for h in next(c for c in delta.changes if c.party_id == 4).new] == ["new-2"]
