"""Rule packs and local amendments through the CLI: import, refuse, diff, what moves, roll back.

Packs are built by code from the shipped data with a key made for the test, so every tamper
and every change is a small, visible edit.
"""

from __future__ import annotations

import gzip
import json
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workbench.cli.main import main
from workbench.export.keys import public_key_pem
from workbench.export.rulepack import build_pack
from workbench.rules.data import RULE_FILES, builtin_parts

WHEN = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


@pytest.fixture
def demo(sqlite_url: str, capsys: pytest.CaptureFixture[str], key: Ed25519PrivateKey, tmp_path: Path) -> str:
    assert _run(capsys, "--db", sqlite_url, "demo")[0] == 0
    pem = tmp_path / "publisher.pub.pem"
    pem.write_bytes(public_key_pem(key.public_key(), "Test publisher"))
    code, out, err = _run(capsys, "--db", sqlite_url, "rules", "trust", "add", str(pem))
    assert code == 0, err
    assert "Test publisher" in out
    return sqlite_url


def _pack(
    tmp_path: Path,
    key: Ed25519PrivateKey,
    version: int,
    edit: Callable[[dict[str, dict[str, object]]], None] | None = None,
    name: str = "pack.wbrules",
) -> Path:
    parts = builtin_parts()
    if edit is not None:
        docs = {n: json.loads(parts[n]) for n in RULE_FILES}
        edit(docs)
        parts = {n: (json.dumps(docs[n], ensure_ascii=False, indent=1) + "\n").encode() for n in RULE_FILES}
    path = tmp_path / name
    path.write_bytes(
        build_pack(
            parts,
            pack_version=version,
            publisher="Test publisher",
            ecfr_issue_date="2026-07-23",
            rulebook_version="test",
            rulebook_research_date="2026-12",
            sources={},
            private_key=key,
            created_at=WHEN,
        )
    )
    return path


def _three_changes(docs: dict[str, dict[str, object]]) -> None:
    """One Country Chart cell (France loses MT 1), one group membership (Viet Nam leaves D:1),
    one lifecycle entry (the Affiliates Rule suspension extended)."""
    chart = docs["country-chart.json"]["rows"]  # type: ignore[index]
    chart["FR"]["marks"] = [m for m in chart["FR"]["marks"] if m != "MT 1"]  # type: ignore[index]
    groups = docs["country-groups.json"]["groups"]  # type: ignore[index]
    groups["D:1"] = [c for c in groups["D:1"] if c != "VN"]  # type: ignore[index]
    for rule in docs["rulebook.json"]["rules"]:  # type: ignore[index,union-attr]
        if rule["id"] == "affiliates-2025":
            rule["enforcement"][-1]["from"] = "2027-11-10"


def _table_counts(url: str) -> dict[str, int]:
    with sqlite3.connect(url.removeprefix("sqlite:///")) as con:
        return {
            t: con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
            for t in ("rule_packs", "rule_amendments", "audit_log")
        }


def test_the_shipped_data_is_pack_1_and_a_pack_built_from_it_round_trips_byte_for_byte(
    capsys: pytest.CaptureFixture[str], demo: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, "--db", demo, "rules", "show", "--json")
    versions = json.loads(out)["versions"]
    assert [(v["version"], v["active"], v["shipped"]) for v in versions] == [(1, True, True)]
    pack = _pack(tmp_path, key, 2)
    code, out, err = _run(capsys, "--db", demo, "rules", "import", str(pack), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["changes"] == [] and result["moved"] == [] and result["checked"] == 10
    from workbench.export.rulepack import read_pack

    assert dict(read_pack(pack.read_bytes()).parts) == builtin_parts()
    code, out, _ = _run(capsys, "--db", demo, "check", "EC-2026-0042", "--json")
    assert json.loads(out)["data"]["rule_pack"] == "2"


def test_a_pack_changing_a_chart_cell_a_group_and_a_lifecycle_says_exactly_that_and_moves_one_case(
    capsys: pytest.CaptureFixture[str], demo: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    pack = _pack(tmp_path, key, 2, _three_changes)
    report = tmp_path / "update.xlsx"
    code, out, err = _run(capsys, "--db", demo, "rules", "import", str(pack), "--json", "--xlsx", str(report))
    assert code == 0, err
    result = json.loads(out)
    words = sorted(c["words"] for c in result["changes"])
    assert len(words) == 3, words
    assert any("France (FR) no longer has an X under MT 1" in w for w in words)
    assert any("(VN) removed from Country Group D:1" in w for w in words)
    assert any("affiliates-2025" in w and "2027-11-10" in w for w in words)
    moved = {m["reference"]: (m["outcome_before"], m["outcome_after"]) for m in result["moved"]}
    assert moved == {"EC-2026-0045": ("license_required", "nlr")}
    from openpyxl import load_workbook

    book = load_workbook(report, read_only=True)
    assert book.sheetnames == ["Summary", "Changes", "Cases moved"]
    assert [r[0] for r in book["Cases moved"].iter_rows(min_row=2, values_only=True)] == ["EC-2026-0045"]
    book.close()  # a read-only workbook keeps its file open until closed
    # "What would this have been under the data we had before?"
    code, out, _ = _run(capsys, "--db", demo, "check", "EC-2026-0045", "--rules", "1", "--json")
    assert json.loads(out)["outcome"] == "license_required"
    code, out, _ = _run(capsys, "--db", demo, "check", "EC-2026-0045", "--json")
    assert json.loads(out)["outcome"] == "nlr"
    # Rolling back names the same case, the other way round.
    code, out, err = _run(capsys, "--db", demo, "rules", "activate", "1", "--reason", "pack 2 withdrawn", "--json")
    assert code == 0, err
    assert {m["reference"]: m["outcome_after"] for m in json.loads(out)["moved"]} == {
        "EC-2026-0045": "license_required"
    }
    code, out, _ = _run(capsys, "--db", demo, "rules", "diff", "1", "2", "--json")
    assert len(json.loads(out)["changes"]) == 3


def _tampered_part(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    good = _pack(tmp_path, key, 2, name="good.wbrules")
    doc = json.loads(gzip.decompress(good.read_bytes()))
    doc["parts"]["country-groups.json"] = doc["parts"]["country-groups.json"].replace('"VN"', '"XX"', 1)
    out = tmp_path / "tampered.wbrules"
    out.write_bytes(gzip.compress(json.dumps(doc).encode()))
    return out


def _tampered_manifest(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    good = _pack(tmp_path, key, 2, name="good.wbrules")
    doc = json.loads(gzip.decompress(good.read_bytes()))
    doc["manifest"]["pack_version"] = 9
    out = tmp_path / "manifest.wbrules"
    out.write_bytes(gzip.compress(json.dumps(doc).encode()))
    return out


def _unsigned(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    good = _pack(tmp_path, key, 2, name="good.wbrules")
    doc = json.loads(gzip.decompress(good.read_bytes()))
    del doc["signature"]
    out = tmp_path / "unsigned.wbrules"
    out.write_bytes(gzip.compress(json.dumps(doc).encode()))
    return out


def _untrusted(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    return _pack(tmp_path, Ed25519PrivateKey.generate(), 2, name="stranger.wbrules")


def _truncated(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    good = _pack(tmp_path, key, 2, name="good.wbrules")
    out = tmp_path / "truncated.wbrules"
    out.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    return out


def _schema_error(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    def edit(docs: dict[str, dict[str, object]]) -> None:
        docs["rulebook.json"]["rules"][0]["grade"] = "Z"  # type: ignore[index]

    return _pack(tmp_path, key, 2, edit, name="schema.wbrules")


def _bomb(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    out = tmp_path / "bomb.wbrules"
    out.write_bytes(gzip.compress(b" " * (80 * 1024 * 1024)))
    return out


def _not_gzip(tmp_path: Path, key: Ed25519PrivateKey) -> Path:
    out = tmp_path / "text.wbrules"
    out.write_text("hello")
    return out


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (_tampered_part, "does not match the SHA-256"),
        (_tampered_manifest, "signature does not match"),
        (_unsigned, "not signed"),
        (_untrusted, "does not trust"),
        (_truncated, "truncated"),
        (_schema_error, "rulebook.json: $.rules[0].grade"),
        (_bomb, "expands to more than"),
        (_not_gzip, "not a rule pack"),
    ],
)
def test_a_bad_pack_is_refused_in_one_sentence_and_nothing_changes(
    capsys: pytest.CaptureFixture[str],
    demo: str,
    key: Ed25519PrivateKey,
    tmp_path: Path,
    make: Callable[[Path, Ed25519PrivateKey], Path],
    message: str,
) -> None:
    before = _table_counts(demo)
    code, _, err = _run(capsys, "--db", demo, "rules", "import", str(make(tmp_path, key)))
    assert code == 2
    assert message in err
    assert len(err.strip().splitlines()) == 1
    assert _table_counts(demo) == before


def test_an_older_pack_needs_allow_older_and_the_same_pack_twice_is_refused(
    capsys: pytest.CaptureFixture[str], demo: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    assert _run(capsys, "--db", demo, "rules", "import", str(_pack(tmp_path, key, 3, name="p3.wbrules")))[0] == 0
    code, _, err = _run(capsys, "--db", demo, "rules", "import", str(_pack(tmp_path, key, 2, name="p2.wbrules")))
    assert code == 2 and "--allow-older" in err
    code, _, err = _run(capsys, "--db", demo, "rules", "import", str(tmp_path / "p3.wbrules"))
    assert code == 2 and "already" in err
    code, _, err = _run(
        capsys, "--db", demo, "rules", "import", str(tmp_path / "p2.wbrules"), "--allow-older", "--no-recheck"
    )
    assert code == 0, err


def _amendment(tmp_path: Path, effective: str, amendment_id: str = "vn-leaves-d1") -> Path:
    path = tmp_path / f"{amendment_id}.json"
    path.write_text(
        json.dumps(
            {
                "format": "workbench-amendment/1",
                "id": amendment_id,
                "kind": "group_change",
                "source": "https://www.federalregister.gov/d/2026-99999 (hypothetical, for the test)",
                "reason": "Our reading of the new rule",
                "group_change": {
                    "id": amendment_id,
                    "country": "VN",
                    "group": "D:1",
                    "change": "remove",
                    "effective": effective,
                    "effective_basis": "Publication in the Federal Register.",
                    "later_date": None,
                    "later_event": None,
                    "rulebook": [],
                    "source": "https://www.federalregister.gov/d/2026-99999",
                    "unconfirmed": False,
                },
            }
        )
    )
    return path


@pytest.mark.parametrize(("effective", "moves"), [("2026-08-01", True), ("2026-09-01", False)])
def test_an_amendment_taking_a_destination_out_of_d1_moves_only_cases_dated_after_it(
    capsys: pytest.CaptureFixture[str], demo: str, tmp_path: Path, effective: str, moves: bool
) -> None:
    code, out, err = _run(capsys, "--db", demo, "rules", "amend", "add", str(_amendment(tmp_path, effective)), "--json")
    assert code == 0, err
    moved = {m["reference"] for m in json.loads(out)["moved"]}
    assert moved == ({"EC-2026-0045"} if moves else set())  # the Hanoi case is dated 2026-08-20
    code, out, _ = _run(capsys, "--db", demo, "check", "EC-2026-0045", "--json")
    result = json.loads(out)
    assert result["outcome"] == ("nlr" if moves else "license_required")
    assert result["data"]["amendments"] == "vn-leaves-d1"
    named = [f for f in result["findings"] if "local amendment vn-leaves-d1 by" in f["explanation"]]
    assert named, "the findings that used the amended membership must name the amendment"
    # Withdrawn, the pack's own data applies again.
    code, out, err = _run(
        capsys, "--db", demo, "rules", "amend", "withdraw", "vn-leaves-d1", "--reason", "wrong", "--json"
    )
    assert code == 0, err
    code, out, _ = _run(capsys, "--db", demo, "check", "EC-2026-0045", "--json")
    assert json.loads(out)["outcome"] == "license_required"
    code, out, _ = _run(capsys, "--db", demo, "rules", "amend", "list", "--all", "--json")
    assert [a["in_force"] for a in json.loads(out)] == [False]


def test_a_bad_amendment_is_refused_with_its_json_path(
    capsys: pytest.CaptureFixture[str], demo: str, tmp_path: Path
) -> None:
    path = _amendment(tmp_path, "2026-13-01")
    code, _, err = _run(capsys, "--db", demo, "rules", "amend", "add", str(path))
    assert code == 2 and "$.group_change.effective" in err
    lifecycle = tmp_path / "x.json"
    lifecycle.write_text(
        json.dumps(
            {
                "format": "workbench-amendment/1",
                "id": "x",
                "kind": "lifecycle",
                "source": "s",
                "reason": "r",
                "rule": "no-such-rule",
                "periods": [{"status": "suspended", "from": "2026-01-01"}],
            }
        )
    )
    code, _, err = _run(capsys, "--db", demo, "rules", "amend", "add", str(lifecycle))
    assert code == 2 and "no-such-rule" in err
    assert _table_counts(demo)["rule_amendments"] == 0


def test_a_pack_that_contradicts_an_amendment_is_reported_on_import(
    capsys: pytest.CaptureFixture[str], demo: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    extension = tmp_path / "ext.json"
    extension.write_text(
        json.dumps(
            {
                "format": "workbench-amendment/1",
                "id": "affiliates-suspension-2027",
                "kind": "lifecycle",
                "source": "hypothetical notice",
                "reason": "BIS extended the suspension",
                "rule": "affiliates-2025",
                "periods": [
                    {"status": "suspended", "from": "2026-11-10", "note": "extended through 2027-11-09"},
                    {"status": "enforced", "from": "2027-11-10"},
                ],
            }
        )
    )
    assert _run(capsys, "--db", demo, "rules", "amend", "add", str(extension), "--no-recheck")[0] == 0
    code, _, err = _run(capsys, "--db", demo, "rules", "import", str(_pack(tmp_path, key, 2)), "--no-recheck")
    assert code == 0
    assert "affiliates-suspension-2027" in err and "stays in force" in err


SHARED_ECFR = Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ecfr"


@pytest.mark.skipif(not SHARED_ECFR.is_dir(), reason="shared eCFR data not available")
def test_rules_build_turns_the_ecfr_parse_and_the_rulebook_into_pack_1_byte_for_byte(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from workbench.export.keys import generate_keypair
    from workbench.export.rulepack import read_pack_file
    from workbench.resources import resource

    keys = generate_keypair("Maintainer", tmp_path, b"correct horse battery", iterations=1000)
    secret = tmp_path / "pass.txt"
    secret.write_text("correct horse battery")
    out = tmp_path / "pack.wbrules"
    code, stdout, err = _run(
        capsys,
        "rules", "build", "--ecfr", str(SHARED_ECFR), "--rulebook", str(resource("rules/rulebook.json")),
        "--key", str(keys.private_key), "--passphrase-file", str(secret), "--pack-version", "2", "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert keys.fingerprint in stdout
    assert dict(read_pack_file(out).parts) == builtin_parts()
