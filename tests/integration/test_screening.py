"""Screening through the services and the CLI: list versions, guard, cases, dispositions, rescreening."""

from __future__ import annotations

import csv
import gzip
import io
import json
from dataclasses import replace
from pathlib import Path

import pytest

from workbench import resources
from workbench.cli.main import main
from workbench.domain.errors import ValidationError
from workbench.domain.screening import DispositionDecision
from workbench.screening.guard import RefreshRefused
from workbench.services import Workbench, open_workbench
from workbench.services import screening as screening_service
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import get_case, load_demo, save_case
from workbench.services.checks import check, load_case_or_file
from workbench.services.screening import (
    DEFAULT_THRESHOLD,
    active_version,
    add_allowed_name,
    case_hits,
    decide,
    import_list,
    list_versions,
    rescreen_open_cases,
    screen_case,
    screen_name,
    warm_up,
)

KEEP = ("Harbin Institute of Technology", "Huawei Technologies Co., Ltd.")


def _snapshot_rows() -> tuple[list[str], list[dict[str, str]]]:
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    return list(reader.fieldnames or []), list(reader)


def _write(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture(scope="module")
def small_rows() -> tuple[list[str], list[dict[str, str]]]:
    """~600 real entries: every 50th row plus the entities the demo cases name."""
    fields, rows = _snapshot_rows()
    chosen = [r for i, r in enumerate(rows) if i % 50 == 0 or r["name"] in KEEP]
    return fields, chosen


@pytest.fixture
def wb(db_url: str, tmp_path: Path, small_rows: tuple[list[str], list[dict[str, str]]]) -> Workbench:
    workbench = open_workbench(db_url, officer="Screening Officer")
    fields, rows = small_rows
    import_list(workbench, _write(tmp_path / "csl-small.csv", fields, rows), rescreen=False)
    load_demo(workbench)
    yield workbench  # type: ignore[misc]
    workbench.close()


def test_import_creates_an_active_version_with_counts(wb: Workbench) -> None:
    version = active_version(wb)
    assert version.active
    assert version.entry_count > 500
    assert sum(version.rows_per_source.values()) == version.entry_count
    assert len(version.sha256) == 64
    assert verify_audit_chain(wb).ok


def test_screen_a_misspelt_name(wb: Workbench) -> None:
    _, hits = screen_name(wb, "Harbin Institute of Technolgy", country="CN")
    assert hits
    assert hits[0].entry.name == "Harbin Institute of Technology"
    assert hits[0].entry.source_code == "EL"
    _, none = screen_name(wb, "International Trading Company")
    assert none == []


def test_same_file_twice_is_refused(wb: Workbench, tmp_path: Path) -> None:
    with pytest.raises(Exception, match="already the active list version"):
        import_list(wb, tmp_path / "csl-small.csv")


def test_sharp_shrink_is_refused_and_the_current_version_stays(
    wb: Workbench, tmp_path: Path, small_rows: tuple[list[str], list[dict[str, str]]]
) -> None:
    fields, rows = small_rows
    shrunk = [r for r in rows if "Entity List" not in r["source"]] + [r for r in rows if "Entity List" in r["source"]][
        :3
    ]
    before = active_version(wb)
    with pytest.raises(RefreshRefused, match=r"would shrink EL \d+ -> 3 rows"):
        import_list(wb, _write(tmp_path / "shrunk.csv", fields, shrunk))
    assert active_version(wb) == before
    assert len(list_versions(wb)) == 1
    forced = import_list(wb, tmp_path / "shrunk.csv", allow_shrink=True, rescreen=False)
    assert active_version(wb) == forced.version


def test_case_screening_dispositions_survive_rescreening_until_the_entry_changes(
    wb: Workbench, tmp_path: Path, small_rows: tuple[list[str], list[dict[str, str]]]
) -> None:
    screen_case(wb, "EC-2026-0049")
    hits = [h for h in case_hits(wb, "EC-2026-0049") if h.entry_name == "Harbin Institute of Technology"]
    assert len(hits) == 1 and hits[0].disposition is None
    decide(wb, "EC-2026-0049", hits[0], DispositionDecision.TRUE_MATCH, "Same university, same address in Harbin")

    # A new list version in which the entry is unchanged: the decision holds.
    fields, rows = small_rows
    extra = [dict(r, _id=r["_id"] + "-x", name=r["name"] + " Holdings") for r in rows[:5]]
    result = import_list(wb, _write(tmp_path / "v2.csv", fields, rows + extra))
    assert active_version(wb).id == result.version.id
    again = [h for h in case_hits(wb, "EC-2026-0049") if h.entry_name == "Harbin Institute of Technology"]
    assert again[0].disposition is not None
    assert again[0].disposition.decision is DispositionDecision.TRUE_MATCH

    # The listed entry itself changes: the decision re-opens.
    changed = [
        dict(r, remarks="Amended entry") if r["name"] == "Harbin Institute of Technology" else r for r in rows + extra
    ]
    result = import_list(wb, _write(tmp_path / "v3.csv", fields, changed))
    reopened = [h for h in case_hits(wb, "EC-2026-0049") if h.entry_name == "Harbin Institute of Technology"]
    assert reopened[0].disposition is None
    assert any(c.reference == "EC-2026-0049" for c in result.rescreened)
    assert verify_audit_chain(wb).ok


def test_session_threshold_sets_the_cut_off_and_is_audited(wb: Workbench) -> None:
    case = get_case(wb, "EC-2026-0049")
    near = replace(case.parties[-1], name="Harbin Engineering Institute")  # scores about 0.72 against HIT
    save_case(wb, replace(case, parties=(*case.parties, near)))

    def hit_names() -> list[tuple[str, float]]:
        screen_case(wb, "EC-2026-0049")
        return [(h.party_name, h.score) for h in case_hits(wb, "EC-2026-0049")]

    assert not any(name == near.name for name, _ in hit_names())
    wb.set_screening_threshold(0.6)
    loose = hit_names()
    assert any(name == near.name and 0.6 <= score < DEFAULT_THRESHOLD for name, score in loose)
    wb.set_screening_threshold(0.99)
    assert all(score >= 0.99 for _, score in hit_names())
    history = case_history(wb, "EC-2026-0049")
    recorded = [e.after for e in history if e.action == "screen" and e.field == "threshold"]
    assert recorded == ["0.78", "0.60", "0.99"]
    with pytest.raises(ValidationError, match=r"screening threshold: must be between 0\.50 and 1\.00"):
        wb.set_screening_threshold(0.2)
    assert wb.screening_threshold == 0.99


def test_cancelled_rescreening_keeps_done_cases_and_names_the_rest(wb: Workbench) -> None:
    for reference in ("EC-2026-0042", "EC-2026-0049", "EC-2026-0044"):
        screen_case(wb, reference)
    calls: list[tuple[int, int]] = []
    report = rescreen_open_cases(wb, progress=lambda d, t: calls.append((d, t)), cancel=lambda: len(calls) > 1)
    assert calls[0][0] == 0 and len(calls) == 2  # started, one case done, then cancelled
    total = calls[0][1]
    assert total >= 3 and len(report.not_rescreened) == total - 1
    assert rescreen_open_cases(wb).not_rescreened == []


def test_a_new_process_reuses_the_index_from_disk(wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening_service, "_screeners", {})  # a new process: builds, then caches on disk
    first = screen_name(wb, "Harbin Institute of Technology")[1]
    monkeypatch.setattr(screening_service, "_screeners", {})  # another new process

    def no_build(*_args: object) -> None:
        raise AssertionError("the index was rebuilt instead of read from the cache")

    monkeypatch.setattr(screening_service, "build_screener", no_build)
    again = screen_name(wb, "Harbin Institute of Technology")[1]
    assert [(h.entry.entry_id, h.score) for h in again] == [(h.entry.entry_id, h.score) for h in first]


def test_warm_up_loads_only_a_cached_index(wb: Workbench, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(screening_service, "_screeners", {})
    version = active_version(wb)
    assert warm_up(wb) is None  # nothing on disk yet: no build at start, the first screening builds
    assert screening_service._screeners == {}
    screen_name(wb, "Harbin Institute of Technology")  # builds and caches on disk
    monkeypatch.setattr(screening_service, "_screeners", {})  # the next start
    assert warm_up(wb) == version
    assert version.sha256 in screening_service._screeners


def test_check_uses_screening_and_dispositions(wb: Workbench) -> None:
    case, stored = load_case_or_file(wb, "EC-2026-0049")
    determination = check(wb, case, stored=stored)
    assert determination.review_required
    assert any("Harbin" in item for item in determination.open_items)
    screen_case(wb, "EC-2026-0049")
    hit = next(h for h in case_hits(wb, "EC-2026-0049") if h.entry_name == "Harbin Institute of Technology")
    decide(wb, "EC-2026-0049", hit, DispositionDecision.TRUE_MATCH, "Confirmed against the Entity List entry")
    confirmed = check(wb, case, stored=True)
    assert not any("Harbin" in item and "resolve" in item for item in confirmed.open_items)
    assert any(f.rule.startswith("listed.entity") for f in confirmed.findings)


def test_allow_list_suppresses_own_names(wb: Workbench) -> None:
    assert screen_name(wb, "Harbin Institute of Technology")[1]
    add_allowed_name(wb, "Harbin Institute of Technology", "test: pretend it is us")
    assert screen_name(wb, "Harbin Institute of Technology")[1] == []


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_screen_json_batch_and_pairs(wb: Workbench, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = wb.database.url
    code, out, _ = _cli(capsys, "--db", url, "screen", "Harbin Inst. of Technology", "--json")
    assert code == 0
    result = json.loads(out)
    assert set(result) >= {"query", "list_version", "threshold", "matches"}
    assert result["matches"][0]["name"] == "Harbin Institute of Technology"
    assert set(result["matches"][0]) >= {"entry_id", "source", "name", "matched_name", "score", "explanation"}

    batch = tmp_path / "in.csv"
    batch.write_text("id,name,country\n1,Harbin Institute of Technology,CN\n2,Zzyzx Quilting Circle,US\n")
    code, _, err = _cli(capsys, "--db", url, "screen", "--batch", str(batch), "--out", str(tmp_path / "out.csv"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text())))
    assert [r["id"] for r in rows if r["entry_id"]] == ["1"]
    assert [r["id"] for r in rows if not r["entry_id"]] == ["2"]

    pairs = tmp_path / "pairs.csv"
    pairs.write_text(
        "name1,name2,schema\nSiemens AG,Siemens Aktiengesellschaft,Company\nSiemens AG,Bosch GmbH,Company\n"
    )
    code, _, _ = _cli(capsys, "--db", url, "screen", "--pairs", str(pairs), "--out", str(tmp_path / "scored.csv"))
    assert code == 0
    scored = list(csv.DictReader(io.StringIO((tmp_path / "scored.csv").read_text())))
    assert [r["match"] for r in scored] == ["true", "false"]

    code, _, err = _cli(capsys, "--db", url, "screen", "--batch", str(pairs), "--out", str(tmp_path / "x.csv"))
    assert code == 2
    assert "missing column(s) id, name" in err


def test_cli_lists_and_case_screening(wb: Workbench, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    url = wb.database.url
    code, out, _ = _cli(capsys, "--db", url, "lists", "show", "--json")
    assert code == 0
    assert json.loads(out)["active"]["entries"] > 500
    code, out, _ = _cli(capsys, "--db", url, "screening", "run", "EC-2026-0049", "--json")
    assert code == 0
    hit = next(h for h in json.loads(out)["hits"] if h["name"] == "Harbin Institute of Technology")
    code, out, _ = _cli(
        capsys,
        "--db",
        url,
        "screening",
        "decide",
        "EC-2026-0049",
        "--party",
        str(hit["party"]),
        "--entry",
        hit["entry_id"],
        "--decision",
        "true_match",
        "--reason",
        "Same entity, checked address",
    )
    assert code == 0
    code, out, _ = _cli(capsys, "--db", url, "screening", "show", "EC-2026-0049", "--json")
    assert any(h["disposition"] == "true_match" for h in json.loads(out)["hits"])
    bad = tmp_path / "bad.csv"
    bad.write_text("this is not a list\n")
    code, _, err = _cli(capsys, "--db", url, "lists", "import", str(bad))
    assert code == 2
    assert "neither the Consolidated Screening List" in err


def test_cli_warns_when_the_list_is_old(
    wb: Workbench,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    small_rows: tuple[list[str], list[dict[str, str]]],
) -> None:
    fields, rows = small_rows
    dated = _write(tmp_path / "consolidated-2026-07-31.csv", fields, [*rows, dict(rows[0], _id="extra")])
    import_list(wb, dated, rescreen=False)  # publication date read from the file name
    url = wb.database.url
    monkeypatch.setenv("WORKBENCH_LIST_MAX_AGE_DAYS", "100000")
    assert _cli(capsys, "--db", url, "screen", "Acme")[2] == ""
    monkeypatch.setenv("WORKBENCH_LIST_MAX_AGE_DAYS", "1")
    _, _, err = _cli(capsys, "--db", url, "screen", "Acme")
    assert "days old, older than 1 days" in err
    _, _, err = _cli(capsys, "--db", url, "check", "EC-2026-0042")
    assert "import a current Consolidated Screening List" in err


def test_screening_state_never_screened_and_the_entry_behind_a_hit(wb: Workbench) -> None:
    from dataclasses import replace as replace_case

    from workbench.services.cases import get_case, list_cases, save_case
    from workbench.services.screening import hit_entries, never_screened, screening_state

    references = ["EC-2026-0042", "EC-2026-0049"]
    assert never_screened(wb, references) == set(references)
    assert not screening_state(wb, "EC-2026-0049").screened
    screen_case(wb, "EC-2026-0049")
    assert never_screened(wb, references) == {"EC-2026-0042"}
    page = list_cases(wb, limit=100)
    assert "EC-2026-0042" in page.never_screened and "EC-2026-0049" not in page.never_screened
    state = screening_state(wb, "EC-2026-0049")
    assert state.screened and state.officer == "Screening Officer" and "csl-small.csv" in state.version_label
    assert not state.parties_changed
    hits = case_hits(wb, "EC-2026-0049")
    entries = hit_entries(wb, hits)
    harbin = next(h for h in hits if h.entry_name == "Harbin Institute of Technology")
    assert entries[harbin.key].name == "Harbin Institute of Technology" and entries[harbin.key].addresses
    case = get_case(wb, "EC-2026-0049")
    save_case(wb, replace_case(case, title=case.title + " (rev)"))
    assert not screening_state(wb, "EC-2026-0049").parties_changed, "a title edit is not a party change"
    case = get_case(wb, "EC-2026-0049")
    save_case(wb, replace_case(case, parties=case.parties[:-1]))
    assert screening_state(wb, "EC-2026-0049").parties_changed
    screen_case(wb, "EC-2026-0049")
    assert not screening_state(wb, "EC-2026-0049").parties_changed


def test_cli_batch_type_is_a_signal_and_checked(
    wb: Workbench, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    url = wb.database.url
    batch = tmp_path / "typed.csv"
    batch.write_text("id,name,type\n1,Harbin Institute of Technology,individual\n2,Harbin Institute of Technology,\n")
    code, _, _ = _cli(capsys, "--db", url, "screen", "--batch", str(batch), "--out", str(tmp_path / "out.csv"))
    assert code == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "out.csv").read_text())))
    # An exact name is still raised for a party recorded as of another kind: the kind is no filter.
    assert {r["id"] for r in rows if r["entry_id"]} == {"1", "2"}
    batch.write_text("id,name,type\n1,Harbin Institute of Technology,company\n")
    code, _, err = _cli(capsys, "--db", url, "screen", "--batch", str(batch), "--out", str(tmp_path / "out.csv"))
    assert code == 2 and "line 2: type 'company' is not one of" in err and len(err.strip().splitlines()) == 1


def test_case_import_warns_about_names_that_lie_and_screening_still_hits(
    wb: Workbench, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = json.loads(resources.read_text(f"demo/{json.loads(resources.read_text('demo/index.json'))['cases'][0]}"))
    raw["reference"] = "EC-LIE-1"
    raw["parties"][0]["name"] = "Hu\u0430wei Technologies Co.\u200b, Ltd.\u202e"
    raw["parties"][0]["kind"] = "entity"
    path = tmp_path / "lie.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    code, out, err = _cli(capsys, "--db", wb.database.url, "case", "import", str(path))
    assert code == 0 and "Imported case EC-LIE-1" in out
    assert "Warning: party 1" in err and "U+202E" in err and "Cyrillic а for a" in err
    screening_service.screen_case(wb, "EC-LIE-1")
    hits = [h for h in screening_service.case_hits(wb, "EC-LIE-1") if h.party_position == 1]
    assert any(h.entry_name == "Huawei Technologies Co., Ltd." for h in hits)
    assert any("mapped Cyrillic а → a" in h.explanation["text"] for h in hits)
