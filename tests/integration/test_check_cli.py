"""workbench-cli check: case files and stored cases, as-of dates and postures."""

from __future__ import annotations

import json

import pytest

from workbench import resources
from workbench.cli.main import main


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def demo_db(sqlite_url: str, capsys: pytest.CaptureFixture[str]) -> str:
    assert _run(capsys, "--db", sqlite_url, "demo")[0] == 0
    return sqlite_url


def test_check_a_case_file_without_storing_it(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: object
) -> None:
    path = resources.resource("demo/ec-2026-0046.json")
    code, out, _ = _run(capsys, "--db", sqlite_url, "check", str(path), "--json")
    assert code == 0
    result = json.loads(out)
    assert result["case"] == "EC-2026-0046"
    assert result["outcome"] == "prohibited"
    assert result["posture"] == "enforced"
    assert any(f["rule"] == "gp10.prc-advanced-ic" and "736.2(b)(10)" in f["citation"] for f in result["findings"])
    assert result["data"]["ecfr"] == "2026-07-23"
    code, out, _ = _run(capsys, "--db", sqlite_url, "case", "list", "--json")
    assert json.loads(out)["total"] == 0


@pytest.mark.parametrize(
    ("reference", "extra", "outcome"),
    [
        ("EC-2026-0044", [], "license_required"),  # Malaysian data centre, parent in China: HQ rule
        ("EC-2025-0107", [], "license_required"),  # HBM to Cambodia while it was in D:5
        ("EC-2026-0047", [], "nlr"),  # HBM to Cambodia after the arms embargo was lifted
        ("EC-2025-0201", ["--as-of", "2025-08-01"], "prohibited"),  # Syria before SPP
        ("EC-2025-0201", [], "license_exception"),  # Syria after 2025-09-02: SPP
        ("EC-2026-0043", [], "nlr"),  # H100 boards to Germany, enforced posture
        ("EC-2026-0043", ["--posture", "codified"], "license_exception"),  # codified: AIA for Tier 1
    ],
)
def test_check_stored_demo_cases(
    capsys: pytest.CaptureFixture[str], demo_db: str, reference: str, extra: list[str], outcome: str
) -> None:
    code, out, _ = _run(capsys, "--db", demo_db, "check", reference, "--json", *extra)
    assert code == 0
    result = json.loads(out)
    assert result["outcome"] == outcome
    assert all(f["citation"] and f["explanation"] for f in result["findings"])


def test_human_output_and_bad_input(capsys: pytest.CaptureFixture[str], demo_db: str) -> None:
    code, out, _ = _run(capsys, "--db", demo_db, "check", "EC-2026-0044")
    assert code == 0
    assert out.startswith("EC-2026-0044: Licence required (at least) · open items: ")
    assert "Findings:" in out and "screened against list version CSL 2026-07-31" in out
    code, out, _ = _run(capsys, "--db", demo_db, "check", "EC-2026-0044", "--as-of", "2025-03-01", "--json")
    result = json.loads(out)
    screened = next(f for f in result["findings"] if f["rule"] == "screening.list-version")
    assert "newer than the as-of date 2025-03-01" in screened["explanation"] and screened["unconfirmed"]
    assert result["data"]["lists"].startswith("CSL 2026-07-31")
    assert any(f["rule"] == "data.ccl-issue" for f in result["findings"])
    code, _, err = _run(capsys, "--db", demo_db, "check", "EC-2026-0044", "--as-of", "28/11/2026")
    assert code == 2
    assert "is not a date" in err
    code, _, err = _run(capsys, "--db", demo_db, "check", "missing.json")
    assert code == 2
    assert "no such file" in err


def test_unresolved_hit_makes_the_outcome_provisional_until_cleared(
    capsys: pytest.CaptureFixture[str], demo_db: str
) -> None:
    """EC-2026-0048's consignee scores an SDN hit: prohibited if confirmed, in the file check and the stored one."""
    condition = (
        "the OFAC Specially Designated Nationals and Blocked Persons List match for party 2 "
        "(OOO Tekhnologii Budushchego) is confirmed"
    )
    path = resources.resource("demo/ec-2026-0048.json")
    for target in (str(path), "EC-2026-0048"):
        code, out, _ = _run(capsys, "--db", demo_db, "check", target, "--json")
        result = json.loads(out)
        assert code == 0 and result["outcome"] == "prohibited" and result["standing"] == "provisional"
        assert result["provisional_on"] == [condition] and result["determined_outcome"] is None
        assert result["headline"].startswith(f"Provisional: prohibited without BIS authorisation if {condition}")
        hit = next(f for f in result["findings"] if f["rule"] == "screening.unresolved")
        assert hit["provisional"] == condition and hit["outcome"] == "prohibited"
    code, out, _ = _run(capsys, "--db", demo_db, "check", "EC-2026-0048")
    assert out.startswith(f"EC-2026-0048: Provisional: prohibited without BIS authorisation if {condition}")
    assert _run(capsys, "--db", demo_db, "screening", "run", "EC-2026-0048")[0] == 0
    code, _, err = _run(
        capsys, "--db", demo_db, "screening", "decide", "EC-2026-0048", "--party", "2", "--entry", "34764",
        "--decision", "false_positive", "--reason", "Different company: registered in Kazan, other directors",
    )
    assert code == 0, err
    code, out, _ = _run(capsys, "--db", demo_db, "check", "EC-2026-0048", "--json")
    result = json.loads(out)
    assert result["standing"] != "provisional" and result["provisional_on"] == []
    assert not any(f["rule"] == "screening.unresolved" for f in result["findings"])
    assert result["outcome"] != "prohibited" and "NLR" not in result["headline"]
