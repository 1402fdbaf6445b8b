"""``workbench-cli product …``: every command with and without --json, exit 2 with one line on bad input."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import workbench.cli.main as cli_main
from tests.helpers.pdfs import text_pdf, write
from workbench import resources

DEMO = Path(str(resources.resource("demo/products/hgx-h100-8gpu.json")))
PART = "935-24287-0000-000"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exc:  # argparse usage errors
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(sqlite_url: str) -> list[str]:
    return ["--db", sqlite_url, "--officer", "Jane Officer"]


def test_add_list_show_classify(capsys: pytest.CaptureFixture[str], db: list[str]) -> None:
    code, out, err = _run(capsys, *db, "product", "add", str(DEMO))
    assert code == 0 and out.startswith(f"Added {PART}  4A090.a  [approved by Jane Officer on 2026-11-30]"), err
    code, _, err = _run(capsys, *db, "product", "add", str(DEMO))
    assert code == 2 and err.count("\n") == 1 and "in the library already" in err

    code, out, _ = _run(capsys, *db, "product", "list", "--search", "hgx h100", "--json")
    listed = json.loads(out)
    assert code == 0 and listed["total"] == 1 and listed["products"][0]["eccn"] == "4A090.a"
    code, out, _ = _run(capsys, *db, "product", "list", "--eccn", "3A090")
    assert code == 0 and out == "No products match.\n"

    code, out, _ = _run(capsys, *db, "product", "show", PART.lower(), "--json")
    shown = json.loads(out)
    assert code == 0 and shown["review"]["state"] == "consistent" and shown["history"][0]["action"] == "create"
    code, out, _ = _run(capsys, *db, "product", "show", PART)
    assert "reasoning: Each of the eight H100" in out and "DRAM bandwidth (GB/s): 3,350" in out

    code, out, _ = _run(capsys, *db, "product", "classify", PART, "--json")
    classified = json.loads(out)
    assert code == 0 and classified["review"]["proposed"] == "4A090.a"
    assert classified["changed_since_stored"] is False


def test_reclassify_prints_before_and_after_and_needs_a_reason(
    capsys: pytest.CaptureFixture[str], db: list[str]
) -> None:
    _run(capsys, *db, "product", "add", str(DEMO))
    code, _, err = _run(capsys, *db, "product", "reclassify", PART, "--eccn", "EAR99")
    assert code == 2 and "--reason" in err
    code, out, err = _run(
        capsys,
        *db,
        "product",
        "reclassify",
        PART,
        "--eccn",
        "EAR99",
        "--tpp",
        "15832",
        "--no-datacenter",
        "--reason",
        "BIS CCATS G123456 says EAR99",
    )
    assert code == 0, err
    before, after = (line for line in out.splitlines() if line.startswith(("before:", "after:")))
    assert "4A090.a" in before and "datacenter" in before
    assert "EAR99" in after and "not datacenter" in after and "CONFLICT" in after
    assert "CONFLICT TO RESOLVE (approved)" in out
    code, out, _ = _run(capsys, *db, "product", "list", "--conflicts", "--json")
    assert [p["part_number"] for p in json.loads(out)["products"]] == [PART]
    code, out, _ = _run(capsys, *db, "audit", "verify")
    assert code == 0
    code, _, err = _run(capsys, *db, "product", "reclassify", PART, "--eccn", "EAR99", "--tpp", "inf", "--reason", "x")
    assert code == 2 and "--tpp" in err


def test_approve_and_attach(capsys: pytest.CaptureFixture[str], db: list[str], tmp_path: Path) -> None:
    raw = json.loads(DEMO.read_text())
    raw.update(status="draft", approved_by="", approved_on=None, eccn="EAR99")
    draft = tmp_path / "draft.json"
    draft.write_text(json.dumps(raw))
    _run(capsys, *db, "product", "add", str(draft))
    code, _, err = _run(capsys, *db, "product", "approve", PART)
    assert code == 2 and "contradicts" in err
    code, out, _ = _run(capsys, *db, "product", "approve", PART, "--reason", "per-unit figures", "--json")
    assert code == 0 and json.loads(out)["status"] == "approved"
    pdf = write(tmp_path / "ccats.pdf", text_pdf("CCATS G123456"))
    code, out, _ = _run(capsys, *db, "product", "attach", PART, str(pdf), "--kind", "ccats", "--json")
    assert code == 0 and json.loads(out)["kind"] == "ccats"
    code, _, err = _run(capsys, *db, "product", "attach", PART, str(tmp_path / "none.pdf"))
    assert code == 2 and err.count("\n") == 1


def test_import_reports_and_refuses_bad_files(
    capsys: pytest.CaptureFixture[str], db: list[str], tmp_path: Path
) -> None:
    master = tmp_path / "master.csv"
    master.write_text(
        "part_number,description,eccn,tpp,performance_density,datacenter\n"
        "A-1,H100 GPU,3A090.a,15832,19.4,yes\nB-2,Gaming GPU,EAR99,5285,8.7,no\nC-3,New accelerator,,4900,,yes\n",
        encoding="utf-8",
    )
    code, out, err = _run(capsys, *db, "product", "import", str(master))
    assert code == 0, err
    assert "Imported 3 products" in out and "1 in conflict" in out and "1 unclassified" in out
    assert "row 3: B-2 recorded EAR99, assistant 3A090.a" in out
    assert "row 4: C-3 unclassified; the assistant proposes 3A090.a" in out
    code, out, err = _run(capsys, *db, "product", "import", str(master), "--json")
    assert code == 2 and "row 2: part number 'A-1' is in the library already" in err and "(and 2 more problems" in err

    other = tmp_path / "other.csv"
    other.write_text("SKU,Text\nD-4,Cable\n", encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text('{"columns": {"part_number": "SKU", "description": "Text"}}', encoding="utf-8")
    code, out, _ = _run(capsys, *db, "product", "import", str(other), "--mapping", str(mapping), "--json")
    report = json.loads(out)
    assert code == 0 and report["imported"] == 1 and report["rows"][0]["state"] == "unclassified"

    mapping.write_text('{"columns": {"part_numbr": "SKU"}}', encoding="utf-8")
    code, _, err = _run(capsys, *db, "product", "import", str(other), "--mapping", str(mapping))
    assert code == 2 and "$.columns.part_numbr: is not a product field" in err
    fake = tmp_path / "fake.xlsx"
    fake.write_bytes(b"not a zip")
    code, _, err = _run(capsys, *db, "product", "import", str(fake))
    assert code == 2 and "is not an XLSX workbook" in err


def test_review_says_when_there_is_nothing_to_do(capsys: pytest.CaptureFixture[str], db: list[str]) -> None:
    _run(capsys, *db, "product", "add", str(DEMO))
    code, out, _ = _run(capsys, *db, "product", "review")
    assert code == 0 and out.startswith("Every product was reviewed with the current rule data")
    code, out, _ = _run(capsys, *db, "product", "review", "--json")
    assert code == 0 and json.loads(out) == {"reviewed": 0, "changed": []}
