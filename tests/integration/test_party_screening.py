"""Party-level screening: decisions pinned to the entry and the party's screened data, the inbox,
the status filter, confirmed hits feeding the ownership rules, and a racing decision refused."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workbench import resources
from workbench.domain.errors import ConflictError, NotFoundError, ValidationError
from workbench.domain.ownership import Stake
from workbench.domain.register import NameKind, OtherName, RegisterParty
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.domain.screening import DispositionDecision
from workbench.services import Workbench, open_workbench
from workbench.services import register as registry
from workbench.services import register_screening as party_screening
from workbench.services.screening import import_list

KEEP = ("Huawei Technologies Co., Ltd.", "Harbin Institute of Technology")


@pytest.fixture(scope="module")
def rows() -> tuple[list[str], list[dict[str, str]]]:
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    chosen = [r for i, r in enumerate(reader) if i % 200 == 0 or r["name"] in KEEP]
    return list(reader.fieldnames or []), chosen


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def wb(db_url: str, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]) -> Iterator[Workbench]:
    bench = open_workbench(db_url, officer="Jane Officer")
    fields, chosen = rows
    import_list(bench, _write(tmp_path / "small.csv", fields, chosen), rescreen=False)
    with bench.uow() as uow:
        uow.register.add(RegisterParty("Huawei Technologies Co., Ltd.", "CN"))
        uow.register.add(RegisterParty("Quiet Meadow Bakery Ltd", "IE"))
        uow.commit()
    try:
        yield bench
    finally:
        bench.close()


def _el_hit(wb: Workbench) -> str:
    _, hits, _ = party_screening.party_hits(wb, 1)
    return next(h.entry_id for h in hits if h.source_code == "EL")


def test_a_decision_stays_until_the_party_changes_and_then_reopens_saying_why(wb: Workbench) -> None:
    result = party_screening.screen_party(wb, 1)
    assert result.status is PartyScreeningStatus.UNRESOLVED and result.new
    assert party_screening.screen_party(wb, 2).status is PartyScreeningStatus.CLEAR
    assert registry.list_parties(wb, status=PartyScreeningStatus.UNRESOLVED)[0] == 1
    assert [s.id for s in registry.list_parties(wb, status=PartyScreeningStatus.CLEAR)[1]] == [2]
    inbox = party_screening.inbox(wb)
    assert inbox and all(h.party_id == 1 for h, _ in inbox)
    assert [h.score for h, _ in inbox] == sorted((h.score for h, _ in inbox), reverse=True)

    for hit in result.hits:
        party_screening.decide(
            wb, 1, hit.entry_id, DispositionDecision.FALSE_POSITIVE, "different legal entity, checked"
        )
    assert party_screening.screen_party(wb, 1).status is PartyScreeningStatus.CLEAR
    assert party_screening.inbox(wb) == []
    with pytest.raises(ValidationError, match="decided already"):
        party_screening.decide(wb, 1, result.hits[0].entry_id, DispositionDecision.TRUE_MATCH, "changed my mind")

    party = registry.get_party(wb, 1)
    with wb.uow() as uow:
        uow.register.save(replace(party, other_names=(OtherName(NameKind.ALIAS, "HW Tech"),)))
        uow.commit()
    _, hits, status = party_screening.party_hits(wb, 1)
    assert status is PartyScreeningStatus.UNRESOLVED
    assert all("the party's names, addresses or country have changed" in h.reopened for h in hits)
    with pytest.raises(ValidationError, match="edited since it was screened"):
        party_screening.decide(wb, 1, hits[0].entry_id, DispositionDecision.FALSE_POSITIVE, "still not them")
    with wb.uow() as uow:
        assert uow.audit.verify().ok
        actions = {e.action for e in uow.audit.history("party", "1")}
    assert {"create", "screen", "disposition", "update"} <= actions


def test_a_changed_list_entry_reopens_the_decision(
    wb: Workbench, tmp_path: Path, rows: tuple[list[str], list[dict[str, str]]]
) -> None:
    party_screening.screen_party(wb, 1)
    entry = _el_hit(wb)
    party_screening.decide(wb, 1, entry, DispositionDecision.FALSE_POSITIVE, "another Huawei entity, checked")
    fields, chosen = rows
    changed = [dict(r, remarks="amended entry") if r["name"] == KEEP[0] else r for r in chosen]
    import_list(wb, _write(tmp_path / "amended.csv", fields, changed), rescreen=False)
    party_screening.screen_party(wb, 1)
    _, hits, _ = party_screening.party_hits(wb, 1)
    [reopened] = [h for h in hits if h.entry_id == entry]
    assert not reopened.resolved and "the list entry has changed" in reopened.reopened


def test_a_confirmed_entity_list_hit_feeds_the_ownership_rules(wb: Workbench) -> None:
    with wb.uow() as uow:
        sub = uow.register.add(RegisterParty("Huawei Subsidiary Trading", "MY"))
        assert sub.id == 3
        uow.register.record_stake(Stake(1, 3, Decimal(60), date(2025, 9, 1), note="annual report"))
        uow.commit()
    report = registry.ownership_report(wb, 3, date(2025, 10, 15))
    assert report.evaluation.findings == ()
    party_screening.screen_party(wb, 1)
    party_screening.decide(wb, 1, _el_hit(wb), DispositionDecision.TRUE_MATCH, "same LEI as the listed entity")
    assert registry.list_parties(wb, status=PartyScreeningStatus.UNRESOLVED)[0] == 1  # other hits still open
    report = registry.ownership_report(wb, 3, date(2025, 10, 15))
    [finding] = report.evaluation.findings
    assert finding.outcome.value == "license_required" and "60 %" in finding.explanation


def test_two_officers_deciding_the_same_hit_at_once_one_wins(wb: Workbench) -> None:
    party_screening.screen_party(wb, 1)
    party = registry.get_party(wb, 1)
    first, second = wb.database.uow("Officer A"), wb.database.uow("Officer B")
    with first as a, second as b:
        hit_a = a.party_screening.hits(1, party.fingerprint)[0]
        hit_b = b.party_screening.hits(1, party.fingerprint)[0]
        a.party_screening.decide(hit_a, party.fingerprint, DispositionDecision.TRUE_MATCH, "listed entity", "A")
        a.commit()
        with pytest.raises(ConflictError, match="at the same moment"), wb.database.uow("Officer B") as again:
            again.party_screening.decide(hit_b, party.fingerprint, DispositionDecision.FALSE_POSITIVE, "no", "B")
            again.commit()
    with pytest.raises(NotFoundError, match="no screening hit on entry nope"):
        party_screening.decide(wb, 1, "nope", DispositionDecision.TRUE_MATCH, "a reason")


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from workbench.cli.main import main

    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_the_cli_screens_decides_and_shows_the_inbox(wb: Workbench, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    db = wb.database.url
    code, out, _ = _cli(capsys, "--db", db, "party", "screen", "1", "--json")
    assert code == 0
    screened = json.loads(out)
    assert screened["status"] == "unresolved" and screened["hits"][0]["explanation"]["query"]
    entry = next(h["entry_id"] for h in screened["hits"] if h["source"] == "EL")
    code, out, _ = _cli(capsys, "--db", db, "screening", "inbox", "--json")
    assert code == 0 and {h["party_name"] for h in json.loads(out)} == {"Huawei Technologies Co., Ltd."}
    code, out, _ = _cli(
        capsys, "--db", db, "party", "decide", "1", "--entry", entry, "--decision", "true_match",
        "--reason", "same legal entity",
    )  # fmt: skip
    assert code == 0 and f"Recorded true_match for party 1 on EL {entry}" in out
    code, out, _ = _cli(capsys, "--db", db, "party", "screen", "--all")
    assert code == 0 and "Screened 2 register parties" in out
    code, out, _ = _cli(capsys, "--db", db, "party", "list", "--status", "not_screened", "--json")
    assert json.loads(out)["count"] == 0
    code, _, err = _cli(
        capsys, "--db", db, "party", "decide", "1", "--entry", entry, "--decision", "maybe", "--reason", "x"
    )
    assert code == 2 and "invalid choice" in err
    code, _, err = _cli(capsys, "--db", db, "party", "decide", "9", "--entry", entry, "--decision", "true_match",
                        "--reason", "a reason")  # fmt: skip
    assert code == 2 and err.startswith("error: There is no register party 9")


def test_two_officers_deciding_at_once_on_postgresql_the_second_gets_a_conflict(wb: Workbench) -> None:
    """A real race: B reads the hit as open while A's decision is written but not committed; B's insert
    waits on A's row lock and fails when A commits. One decision stands; B is told clearly."""
    import threading
    import time

    from sqlalchemy import text

    if not wb.database.url.startswith("postgresql"):
        pytest.skip("SQLite lets one writer in at a time; the race is PostgreSQL's")
    party_screening.screen_party(wb, 1)
    entry = _el_hit(wb)
    officer_b = open_workbench(wb.database.url, officer="Officer B")
    outcome: list[BaseException | str] = []

    def decide_as_b() -> None:
        try:
            party_screening.decide(officer_b, 1, entry, DispositionDecision.FALSE_POSITIVE, "a different company")
            outcome.append("recorded")
        except BaseException as exc:
            outcome.append(exc)

    try:
        with wb.database.uow("Officer A") as a:
            party = a.register.get(1)
            [hit] = [h for h in a.party_screening.hits(1, party.fingerprint) if h.entry_id == entry]
            a.party_screening.decide(hit, party.fingerprint, DispositionDecision.TRUE_MATCH, "listed", "Officer A")
            racer = threading.Thread(target=decide_as_b)
            racer.start()
            deadline = time.monotonic() + 30
            with wb.database.engine.connect() as watcher:  # wait until B is blocked on A's row
                while not watcher.execute(text("SELECT count(*) FROM pg_locks WHERE NOT granted")).scalar():
                    assert time.monotonic() < deadline, "officer B never reached the insert"
                    assert racer.is_alive(), f"officer B finished without waiting: {outcome}"
                    time.sleep(0.05)
            a.commit()
        racer.join(30)
    finally:
        officer_b.close()
    [result] = outcome
    assert isinstance(result, ConflictError), result
    assert "Someone else recorded the same thing at the same moment" in str(result)
    _, hits, _ = party_screening.party_hits(wb, 1)
    [decided] = [h for h in hits if h.entry_id == entry]
    assert decided.disposition is not None and decided.disposition.officer == "Officer A"
    assert decided.disposition.decision is DispositionDecision.TRUE_MATCH
