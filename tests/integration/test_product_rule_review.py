"""A rule-data change reviews the product library: `rules import` and `rules activate` list the products
whose proposed classification changed (issue #15: a new advanced-computing threshold)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tests.integration.test_rule_packs import _pack, _run
from workbench.export.keys import public_key_pem

ACCELERATOR = {
    "format": "workbench-product/1",
    "part_number": "ACC-4000",
    "description": "Inference accelerator IC",
    "manufacturer": "Example Semiconductor",
    "model": "X4",
    "eccn": "3A090.b",
    "tpp": 4000,
    "performance_density": 2.0,
    "datacenter": True,
}


def _lower_the_a_threshold(docs: dict[str, dict[str, object]]) -> None:
    """3A090.a from TPP 3500 instead of 4800 (a made-up amendment of the threshold)."""
    paragraphs = docs["advanced-computing.json"]["classification"]["paragraphs"]  # type: ignore[index]
    paragraphs[0]["any_of"][0]["tpp_min"] = 3500  # type: ignore[index]


@pytest.fixture
def library(sqlite_url: str, capsys: pytest.CaptureFixture[str], key: Ed25519PrivateKey, tmp_path: Path) -> str:
    pem = tmp_path / "publisher.pub.pem"
    pem.write_bytes(public_key_pem(key.public_key(), "Test publisher"))
    assert _run(capsys, "--db", sqlite_url, "rules", "trust", "add", str(pem))[0] == 0
    product = tmp_path / "acc.json"
    product.write_text(json.dumps(ACCELERATOR), encoding="utf-8")
    assert _run(capsys, "--db", sqlite_url, "product", "add", str(product))[0] == 0
    return sqlite_url


@pytest.fixture
def key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.generate()


def test_a_new_threshold_lists_the_products_whose_proposal_changes_and_a_roll_back_lists_them_again(
    capsys: pytest.CaptureFixture[str], library: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    pack = _pack(tmp_path, key, 2, _lower_the_a_threshold)
    code, out, err = _run(capsys, "--db", library, "rules", "import", str(pack), "--json")
    assert code == 0, err
    result = json.loads(out)
    assert result["products_reviewed"] == 1
    [changed] = result["products_changed"]
    assert (changed["part_number"], changed["proposed_before"], changed["proposed_after"]) == (
        "ACC-4000",
        "3A090.b",
        "3A090.a",
    )
    assert changed["conflict_before"] is None and "3A090.a" in changed["conflict_after"]
    code, out, _ = _run(capsys, "--db", library, "product", "list", "--conflicts", "--json")
    assert [p["part_number"] for p in json.loads(out)["products"]] == ["ACC-4000"]

    code, out, err = _run(capsys, "--db", library, "rules", "activate", "1", "--reason", "roll back the test pack")
    assert code == 0, err
    assert "Products reviewed with the new rule data: 1; proposal changed: 1" in out
    assert "product ACC-4000: proposed 3A090.a (conflict) → 3A090.b" in out


def test_a_rule_change_that_moves_no_product_says_so(
    capsys: pytest.CaptureFixture[str], library: str, key: Ed25519PrivateKey, tmp_path: Path
) -> None:
    code, out, err = _run(capsys, "--db", library, "rules", "import", str(_pack(tmp_path, key, 2)))
    assert code == 0, err
    assert "Products reviewed with the new rule data: 0; proposal changed: 0" in out
