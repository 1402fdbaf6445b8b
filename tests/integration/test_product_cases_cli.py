"""`product reclassify` lists the open cases it moves, before and after; `case import` says how each
item matched the library; `product cases` lists the cases using a product (text and --json)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.integration.test_cli import run
from workbench import resources


@pytest.fixture
def library(sqlite_url: str, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> str:
    product = tmp_path / "hgx.json"
    product.write_bytes(resources.read_bytes("demo/products/hgx-h100-8gpu.json"))
    assert run(capsys, "--db", sqlite_url, "product", "add", str(product))[0] == 0
    return sqlite_url


def _case_file(tmp_path: Path, reference: str, destination: str) -> Path:
    data = {
        "format": "workbench-case/1",
        "reference": reference,
        "title": "HGX boards",
        "transaction_date": "2026-11-28",
        "export_from": "US",
        "destination": destination,
        "parties": [{"role": "end_user", "name": "Example Data Centre", "country": destination}],
        "items": [
            {"description": "HGX board", "manufacturer": "NVIDIA", "model": "HGX H100 8-GPU", "quantity": 4},
            {"description": "Rails", "eccn": "EAR99"},
        ],
    }
    path = tmp_path / f"{reference}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_case_import_says_how_each_item_matched(
    capsys: pytest.CaptureFixture[str], library: str, tmp_path: Path
) -> None:
    code, out, err = run(capsys, "--db", library, "case", "import", str(_case_file(tmp_path, "EC-C-1", "CN")))
    assert code == 0, err
    assert "Item 1: product 935-24287-0000-000 (matched by manufacturer and model)" in out
    assert "Item 2: kept as a case-only item; the item names no manufacturer and model to match by" in out
    code, out, _ = run(
        capsys, "--db", library, "case", "import", str(_case_file(tmp_path, "EC-C-2", "MY")), "--json"
    )
    matches = json.loads(out)["item_products"]
    assert [(m["item"], m["matched_by"], m["part_number"]) for m in matches] == [
        (1, "manufacturer_model", "935-24287-0000-000"),
        (2, "case_only", None),
    ]
    code, out, _ = run(capsys, "--db", library, "product", "cases", "935-24287-0000-000", "--json")
    assert [(c["reference"], c["items"]) for c in json.loads(out)] == [("EC-C-1", [1]), ("EC-C-2", [1])]


def test_reclassify_prints_the_open_cases_before_and_after(
    capsys: pytest.CaptureFixture[str], library: str, tmp_path: Path
) -> None:
    for reference, destination in (("EC-C-1", "CN"), ("EC-C-2", "MY")):
        assert run(capsys, "--db", library, "case", "import", str(_case_file(tmp_path, reference, destination)))[0] == 0
    code, out, err = run(
        capsys,
        "--db",
        library,
        "product",
        "reclassify",
        "935-24287-0000-000",
        "--eccn",
        "EAR99",
        "--tpp",
        "10",
        "--pd",
        "0.1",
        "--no-datacenter",
        "--reason",
        "test: what an EAR99 record would move",
    )
    assert code == 0, err
    assert "Open cases using it: 2, re-checked: 2;" in out
    lines = [line for line in out.splitlines() if "EC-C-1" in line]
    assert lines and lines[0].startswith(" * EC-C-1: before ") and " | after " in lines[0]
    code, out, _ = run(
        capsys, "--db", library, "product", "reclassify", "935-24287-0000-000", "--eccn", "4A090.a",
        "--tpp", "15832", "--pd", "19.4", "--datacenter", "--reason", "back as it was", "--json",
    )
    data = json.loads(out)
    assert data["open_cases"] == 2 and data["checked"] == 2 and data["after"]["eccn"] == "4A090.a"
    first = data["cases"][0]
    assert first["reference"] == "EC-C-1" and first["changed"]
    assert first["before"]["outcome"] != first["after"]["outcome"]
