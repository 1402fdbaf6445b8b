"""workbench-cli: exit codes, one-line messages, unchanged database on bad input."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from workbench.cli.main import build_parser, main

DATA = Path(__file__).resolve().parents[1] / "data" / "casefiles"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # argparse usage errors and --help
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def _references(capsys: pytest.CaptureFixture[str], db: str) -> list[str]:
    code, out, _ = run(capsys, "--db", db, "case", "list", "--json")
    assert code == 0
    return sorted(c["reference"] for c in json.loads(out)["cases"])


@pytest.mark.parametrize(
    ("file", "fragment"),
    [
        ("missing.json", "no such file"),
        ("not-json.json", "is not valid JSON"),
        ("wrong-format.json", "unsupported format"),
        ("unknown-country.json", "not an ISO 3166 two-letter country code"),
        ("malformed-eccn.json", "is not a valid ECCN"),
        ("negative-quantity.json", "must not be negative"),
    ],
)
def test_bad_case_files_exit_2_with_one_line_and_leave_the_database_unchanged(
    capsys: pytest.CaptureFixture[str], db_url: str, file: str, fragment: str
) -> None:
    assert run(capsys, "--db", db_url, "demo")[0] == 0
    before = _references(capsys, db_url)
    code, out, err = run(capsys, "--db", db_url, "case", "import", str(DATA / file))
    assert code == 2
    assert out == ""
    assert err.count("\n") == 1 and err.startswith("error: ") and fragment in err
    assert "Traceback" not in err
    assert _references(capsys, db_url) == before


def test_import_export_round_trip(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "import", str(DATA / "valid.json"), "--json")
    case_only = {
        "item": 1,
        "matched_by": "case_only",
        "part_number": None,
        "note": "no product of NVIDIA HGX H100 SXM5 8-GPU in the library",
    }
    result = json.loads(out)
    assert code == 0 and result.pop("register")[0]["match"] == "created"
    assert result == {"imported": "EC-TEST-0001", "parties": 3, "items": 1, "item_products": [case_only]}
    target = tmp_path / "back.json"
    code, _, err = run(capsys, "--db", sqlite_url, "case", "export", "EC-TEST-0001", "--out", str(target))
    assert code == 0 and "Wrote" in err
    # The parties became register parties; a party whose kind the file left out takes the register's
    # (an organisation, its default): everything else comes back as it was.
    expected = json.loads((DATA / "valid.json").read_text())
    for party in expected["parties"]:
        party.setdefault("kind", "entity")
    assert json.loads(target.read_text()) == expected
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "export", "EC-TEST-0001")
    assert json.loads(out) == expected


def test_duplicate_import_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert run(capsys, "--db", sqlite_url, "case", "import", str(DATA / "valid.json"))[0] == 0
    code, _, err = run(capsys, "--db", sqlite_url, "case", "import", str(DATA / "valid.json"))
    assert code == 2 and "already exists" in err


def test_show_list_and_missing_case(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert run(capsys, "--db", sqlite_url, "demo")[0] == 0
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "show", "EC-2026-0042")
    assert code == 0 and "Malaysia (MY)" in out and "4A090.a" in out
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "show", "EC-2026-0042", "--json")
    assert json.loads(out)["items"][0]["tpp"] == 15832
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "list", "--status", "in_review")
    assert code == 0 and "EC-2026-0049" in out and "EC-2026-0042" not in out
    code, _, err = run(capsys, "--db", sqlite_url, "case", "show", "EC-404")
    assert code == 2 and err.strip() == (
        "error: There is no case with reference 'EC-404'; check the reference with 'case list'."
    )
    code, out, _ = run(capsys, "--db", sqlite_url, "demo")
    assert "already in the database" in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "case")
    assert code == 2 and "required" in err
    code, _, err = run(capsys, "frobnicate")
    assert code == 2 and "invalid choice" in err


def test_bad_database_url_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "--db", "not a url", "case", "list")
    assert code == 2 and "is not a database URL" in err


def test_corrupt_database_file_exits_2(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    db = tmp_path / "broken.sqlite3"
    db.write_bytes(b"this is not a database" * 100)
    code, _, err = run(capsys, "--db", f"sqlite:///{db}", "case", "list")
    assert code == 2 and "restore the database from a backup" in err


def test_internal_error_exits_1_without_traceback(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.services import cases

    def boom(*_: object, **__: object) -> None:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(cases, "list_cases", boom)
    code, _, err = run(capsys, "--db", sqlite_url, "case", "list")
    assert code == 1 and err.startswith("internal error: RuntimeError: disk on fire") and "Traceback" not in err


def _subcommand_paths() -> list[list[str]]:
    parser = build_parser()
    paths: list[list[str]] = [[]]

    def walk(p: object, prefix: list[str]) -> None:
        for action in getattr(p, "_actions", []):
            choices = getattr(action, "choices", None)
            if isinstance(choices, dict):
                for name, sub in choices.items():
                    paths.append([*prefix, name])
                    walk(sub, [*prefix, name])

    walk(parser, [])
    return paths


@pytest.mark.parametrize("path", _subcommand_paths(), ids=lambda p: " ".join(p) or "root")
def test_every_subcommand_has_help(capsys: pytest.CaptureFixture[str], path: list[str]) -> None:
    code, out, _ = run(capsys, *path, "--help")
    assert code == 0 and out.startswith("usage: workbench-cli")


def test_console_script_entry_point(sqlite_url: str) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "workbench.cli.main", "--db", sqlite_url, "case", "list"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No cases" in result.stdout


def test_tmp_and_rpl_facts_import_and_show(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    """The facts are set through the case file (issue #17); 'case show' names them."""
    raw = json.loads((DATA / "valid.json").read_text())
    raw["transaction_facts"] = {"temporary_purpose": "exhibition", "servicing": "replacement_parts"}
    path = tmp_path / "tmp.json"
    path.write_text(json.dumps(raw))
    code, _, err = run(capsys, "--db", sqlite_url, "case", "import", str(path))
    assert code == 0, err
    code, out, _ = run(capsys, "--db", sqlite_url, "case", "show", raw["reference"])
    assert "temporary export (TMP): exhibition, return date not recorded" in out
    assert "servicing (RPL): replacement_parts, improves the equipment: not known, earlier authority: not" in out
    raw["transaction_facts"] = {"return_by": "soon"}
    path.write_text(json.dumps(raw))
    code, _, err = run(capsys, "--db", sqlite_url, "case", "import", str(path))
    assert code == 2 and "$.transaction_facts.return_by" in err
