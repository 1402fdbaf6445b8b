"""``party add|list|show|owners`` end to end: the issue's ownership scenario, JSON output, bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench.cli.main import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _write(tmp_path: Path, data: Any, name: str = "party.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return str(path)


def _owner(name: str, percent: object, **extra: Any) -> dict[str, Any]:
    return {
        "party": {"name": name, "country": "CN", **extra},
        "percent": percent,
        "as_of": "2025-09-01",
        "note": "company registry extract",
    }


SUBSIDIARY = {
    "format": "workbench-party/1",
    "name": "Shenzhen Bright Future Electronics Co., Ltd.",
    "country": "CN",
    "other_names": [{"kind": "own_script", "name": "深圳光明未来电子有限公司"}],
    "addresses": [{"lines": ["No. 8 Keji Road"], "city": "Shenzhen", "country": "CN"}],
    "owners": [
        _owner("Red Star Holdings", 30, listed_on=["entity_list"]),
        _owner("Blue Dragon Technology Group", 25, listed_on=["entity_list"]),
        _owner("Li Wei", 45, kind="individual"),
    ],
}


def _affiliates(capsys: pytest.CaptureFixture[str], db: str, day: str) -> dict[str, Any]:
    code, out, _ = run(capsys, "--db", db, "party", "owners", "1", "--as-of", day, "--json")
    assert code == 0
    report = json.loads(out)
    [finding] = [f for f in report["findings"] if f["rule"] == "ownership.affiliates"]
    return {"report": report, "finding": finding}


def test_30_plus_25_percent_entity_list_owners_through_the_affiliates_lifecycle(
    capsys: pytest.CaptureFixture[str], db_url: str, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--db", db_url, "party", "add", _write(tmp_path, SUBSIDIARY), "--json")
    assert code == 0
    added = json.loads(out)
    assert added["party"]["id"] == 1 and added["created"] == [1, 2, 3, 4]
    assert [(s["owner"], s["percent"]) for s in added["stakes"]] == [(2, "30"), (3, "25"), (4, "45")]

    october = _affiliates(capsys, db_url, "2025-10-15")
    assert october["finding"]["outcome"] == "license_required" and not october["finding"]["unconfirmed"]
    aggregate = october["report"]["aggregates"]["entity_list"]
    assert aggregate["total"] == "55" and aggregate["covered"]
    assert [p["listed"] for p in aggregate["paths"]] == [2, 3]
    assert october["report"]["aggregates"]["sdn"] is None

    march = _affiliates(capsys, db_url, "2026-03-01")
    assert march["finding"]["outcome"] == "nlr"
    assert "suspended the Affiliates Rule from 2025-11-10 through 2026-11-09" in march["finding"]["explanation"]

    november = _affiliates(capsys, db_url, "2026-11-20")
    assert november["finding"]["outcome"] == "license_required" and november["finding"]["unconfirmed"]

    code, out, _ = run(capsys, "--db", db_url, "party", "owners", "1", "--as-of", "2026-11-20")
    assert code == 0
    assert "30 %  Red Star Holdings (party 2) [Entity List] (as of 2025-09-01)" in out
    assert "Entity List: 55 % (30 % Red Star Holdings (party 2) + 25 % Blue Dragon Technology Group (party 3))" in out
    assert "[license_required UNCONFIRMED] ownership.affiliates" in out


def test_a_company_half_owned_by_an_sdn_is_prohibited(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    data = {
        "format": "workbench-party/1",
        "name": "Shadow Trading LLC",
        "country": "AE",
        "owners": [_owner("Sanctioned Oligarch", "50", kind="individual", listed_on=["sdn"])],
    }
    assert run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, data))[0] == 0
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "owners", "1", "--as-of", "2026-03-01", "--json")
    assert code == 0
    findings = {f["rule"]: f for f in json.loads(out)["findings"]}
    assert findings["ownership.ofac-50"]["outcome"] == "prohibited"


def test_list_show_and_ref_owners(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    assert run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, SUBSIDIARY))[0] == 0
    grandchild = {
        "format": "workbench-party/1",
        "name": "Bright Future Trading GmbH",
        "country": "DE",
        "owners": [{"ref": 1, "percent": 100, "as_of": "2026-01-01", "note": "Handelsregister"}],
    }
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, grandchild))
    assert code == 0 and "Added register party 5: Bright Future Trading GmbH (DE)." in out
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "list", "--search", "bright fut", "--json")
    assert [p["id"] for p in json.loads(out)["parties"]] == [5, 1]
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "show", "1", "--json")
    shown = json.loads(out)
    assert shown["other_names"] == [{"kind": "own_script", "name": "深圳光明未来电子有限公司"}]
    assert [h["owned"] for h in shown["holdings"]] == [5] and len(shown["owners"]) == 3
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "owners", "5", "--as-of", "2025-10-15", "--json")
    report = json.loads(out)
    assert report["aggregates"]["entity_list"]["total"] == "100"  # held by the covered subsidiary, in full
    paths = report["affiliates_rule"]["paths"]
    assert [[s["owned"] for s in p["stakes"]] for p in paths] == [[1, 5], [1, 5]]
    assert [p["listed"] for p in paths] == [2, 3]
    code, out, _ = run(capsys, "--db", sqlite_url, "audit", "verify", "--json")
    assert code == 0


@pytest.mark.parametrize(
    ("data", "fragment"),
    [
        (
            {
                "format": "workbench-party/1",
                "name": "X",
                "country": "DE",
                "owners": [{"ref": 42, "percent": 10, "as_of": "2025-01-01", "note": "n"}],
            },
            "$.owners[0].ref: there is no",
        ),
        (
            {
                "format": "workbench-party/1",
                "name": "X",
                "country": "DE",
                "owners": [_owner("Y", 10, identifiers=[{"scheme": "lei", "value": "506700GE1G29325QX364"}])],
            },
            "$.owners[0].party.identifiers[0].value",
        ),
        (
            {"format": "workbench-party/1", "name": "X", "country": "DE", "owners": [_owner("Y", "fifty")]},
            "$.owners[0].percent: 'fifty' is not a percentage",
        ),
    ],
)
def test_bad_party_files_exit_2_naming_file_and_path_and_store_nothing(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, data: dict[str, Any], fragment: str
) -> None:
    path = _write(tmp_path, data)
    code, out, err = run(capsys, "--db", sqlite_url, "party", "add", path)
    assert code == 2 and out == ""
    assert err.startswith(f"error: {path}: ") and fragment in err and err.count("\n") == 1
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "list", "--json")
    assert json.loads(out)["count"] == 0


def test_a_duplicate_lei_is_refused_and_nothing_of_the_file_is_kept(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    lei = [{"scheme": "lei", "value": "506700GE1G29325QX363"}]
    first = {"format": "workbench-party/1", "name": "GLEIF", "country": "CH", "identifiers": lei}
    assert run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, first))[0] == 0
    second = {
        "format": "workbench-party/1",
        "name": "New Sub",
        "country": "CH",
        "owners": [_owner("Same Legal Entity", 60, identifiers=lei)],
    }
    code, _, err = run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, second, "second.json"))
    assert (
        code == 2 and "$.owners[0].party: The LEI 506700GE1G29325QX363 is recorded already for register party 1" in err
    )
    code, out, _ = run(capsys, "--db", sqlite_url, "party", "list", "--json")
    assert json.loads(out)["count"] == 1
    code, _, err = run(capsys, "--db", sqlite_url, "party", "show", "7")
    assert code == 2 and "There is no register party 7" in err


def test_an_amendment_extending_the_affiliates_suspension_moves_a_shipment_dated_after_the_old_end(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    """Issue #16: the officer records the extension the day it is announced; the 30 % + 25 % subsidiary
    needs no licence under the Affiliates Rule on 2026-11-20, still does on 2025-10-15, and says why."""
    assert run(capsys, "--db", sqlite_url, "party", "add", _write(tmp_path, SUBSIDIARY))[0] == 0
    assert _affiliates(capsys, sqlite_url, "2026-11-20")["finding"]["outcome"] == "license_required"
    amendment = {
        "format": "workbench-amendment/1",
        "id": "affiliates-suspension-2027",
        "kind": "lifecycle",
        "rule": "affiliates-2025",
        "source": "hypothetical BIS notice extending the suspension (test)",
        "reason": "BIS extended the suspension by a year",
        "periods": [
            {"status": "suspended", "from": "2026-11-10", "note": "suspension extended through 2027-11-09"},
            {"status": "enforced", "from": "2027-11-10"},
        ],
    }
    code, _, err = run(capsys, "--db", sqlite_url, "rules", "amend", "add", _write(tmp_path, amendment, "a.json"))
    assert code == 0, err
    november = _affiliates(capsys, sqlite_url, "2026-11-20")["finding"]
    assert november["outcome"] == "nlr"
    assert "local amendment affiliates-suspension-2027 by" in november["explanation"]
    assert _affiliates(capsys, sqlite_url, "2025-10-15")["finding"]["outcome"] == "license_required"
    assert _affiliates(capsys, sqlite_url, "2027-11-10")["finding"]["outcome"] == "license_required"
