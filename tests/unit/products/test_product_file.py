"""The workbench-product/1 file: the demo parses, errors name file and JSON path, schema kept in step."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from workbench import resources
from workbench.domain.errors import InputFileError
from workbench.domain.products import ProductStatus
from workbench.export.productfile import json_schema, parse_product_json, product_to_json, read_product_file

DEMO = "demo/products/hgx-h100-8gpu.json"


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.read_text(DEMO))
    return data


def test_demo_product_parses_and_round_trips() -> None:
    product = parse_product_json(resources.read_bytes(DEMO))
    assert product.eccn == "4A090.a" and product.ics_per_unit == 8 and product.status is ProductStatus.APPROVED
    assert parse_product_json(json.dumps(product_to_json(product))) == product


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.pop("part_number"), "$.part_number: is required but missing"),
        (lambda r: r.update(format="workbench-product/2"), "$.format"),
        (lambda r: r.update(colour="green"), "$.colour: is not a field of a product file"),
        (lambda r: r.update(tpp=-5), "$.tpp: must not be negative"),
        (lambda r: r.update(tpp=1e12), "$.tpp: Input should be less than or equal to"),
        (lambda r: r.update(eccn="3A09.a"), "$.eccn: '3A09.a' is not a valid ECCN"),
        (lambda r: r.update(country_of_origin="ZZ"), "$.country_of_origin"),
        (lambda r: r.update(approved_by=""), "$.approved_by: an approved classification names the officer"),
        (lambda r: r.update(ics_per_unit=0), "$.ics_per_unit"),
        (lambda r: r.update(description="x" * 2001), "$.description"),
    ],
)
def test_errors_name_the_file_and_path(mutate: Any, expected: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(InputFileError) as err:
        parse_product_json(json.dumps(raw), "h100.json")
    message = str(err.value)
    assert message.startswith("h100.json: ")
    assert expected in message
    assert "\n" not in message


def test_non_finite_figures_are_refused() -> None:
    text = resources.read_text(DEMO).replace('"tpp": 15832', '"tpp": NaN')
    with pytest.raises(InputFileError, match="NaN, which is not a JSON number"):
        parse_product_json(text, "nan.json")


def test_oversized_and_missing_files_are_refused(tmp_path: Path) -> None:
    big = tmp_path / "big.json"
    big.write_bytes(b" " * (1024 * 1024 + 1))
    with pytest.raises(InputFileError, match="limited to"):
        read_product_file(big)
    with pytest.raises(InputFileError, match="no such file"):
        read_product_file(tmp_path / "none.json")


def test_shipped_schema_matches_the_model() -> None:
    assert json.loads(resources.read_text("schemas/product-1.schema.json")) == json_schema()
