"""A customer master imports and is screened in one step, with an XLSX report of the hits (issue #14)."""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from workbench import resources
from workbench.cli.main import main
from workbench.services import open_workbench
from workbench.services.screening import import_list

LISTED = "Huawei Technologies Co., Ltd."


def _small_list(path: Path) -> Path:
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    chosen = [r for i, r in enumerate(reader) if i % 300 == 0 or r["name"] == LISTED]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(reader.fieldnames or []), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(chosen)
    return path


@pytest.fixture
def db(db_url: str, tmp_path: Path) -> str:
    bench = open_workbench(db_url, officer="Jane Officer")
    try:
        import_list(bench, _small_list(tmp_path / "small.csv"), rescreen=False)
    finally:
        bench.close()
    return db_url


def _master(tmp_path: Path) -> Path:
    path = tmp_path / "master.csv"
    path.write_text(
        "name,country,address_lines,city\n"
        f'"{LISTED}",CN,Bantian,Shenzhen\n'
        "Quiet Meadow Bakery Ltd,IE,1 Main Street,Cork\n",
        encoding="utf-8",
    )
    return path


def test_an_imported_master_is_screened_and_its_hits_reported(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    report = tmp_path / "screening.xlsx"
    code = main(["--db", db, "party", "import", str(_master(tmp_path)), "--report", str(report), "--json"])
    out = json.loads(capsys.readouterr().out)
    assert code == 0
    statuses = {p["party"]: p["status"] for p in out["screening"]["parties"]}
    listed_id, bakery_id = out["created"]
    assert statuses == {listed_id: "unresolved", bakery_id: "clear"}
    book = load_workbook(report)
    hits = list(book["Hits"].iter_rows(min_row=2, values_only=True))
    assert hits and all(row[0] == listed_id for row in hits)
    assert hits[0][5] == LISTED and hits[0][8]  # the listed name, and why it matched
    parties = {row[0]: row[3] for row in book["Parties"].iter_rows(min_row=2, values_only=True)}
    assert parties == {listed_id: "unresolved", bakery_id: "clear"}


def test_a_report_that_cannot_be_written_is_refused_before_anything_is_imported(
    capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "r.xlsx"
    assert main(["--db", db, "party", "import", str(_master(tmp_path)), "--report", str(missing)]) == 2
    assert "does not exist" in capsys.readouterr().err
    assert main(["--db", db, "party", "import", str(_master(tmp_path)), "--report", str(tmp_path / "r.csv")]) == 2
    assert ".xlsx" in capsys.readouterr().err
    assert main(["--db", db, "party", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["count"] == 0


def test_no_screen_imports_only(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    assert main(["--db", db, "party", "import", str(_master(tmp_path)), "--no-screen"]) == 0
    out = capsys.readouterr().out
    assert "Imported 2 of 2 rows" in out and "Screened" not in out
