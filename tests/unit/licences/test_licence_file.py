"""The workbench-licence/1 file: valid demo, errors naming file and JSON path, schema kept in step."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from workbench import resources
from workbench.domain.errors import InputFileError
from workbench.domain.licences import UnitBasis
from workbench.services.licences import json_schema, parse_licence_json, read_licence_file

DEMO = "demo/licences/d123456-ec-2026-0044.json"


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(resources.read_text(DEMO))
    return data


def test_demo_licence_parses_exactly() -> None:
    lic = parse_licence_json(resources.read_bytes(DEMO))
    assert lic.number == "D123456" and lic.destination == "MY"
    assert lic.items[0].quantity_limit == Decimal(64) and lic.items[0].basis is UnitBasis.NUMBER


def test_decimal_text_and_fractions_stay_exact() -> None:
    raw = _raw()
    raw["items"][0]["value"] = "16000000.10"
    assert parse_licence_json(json.dumps(raw)).items[0].value_limit == Decimal("16000000.10")


@pytest.mark.parametrize(
    ("mutate", "expected"),
    [
        (lambda r: r.pop("valid_from"), "$.valid_from: is required but missing"),
        (lambda r: r["items"][0].update(quantity=-1), "$.items[0].quantity"),
        (lambda r: r["items"][0].update(eccn="4A09"), "$.items[0].eccn: '4A09' is not a valid ECCN"),
        (lambda r: r["parties"][1].update(country="XX"), "$.parties[1].country"),
        (lambda r: r.update(colour="red"), "$.colour: is not a field of a licence file"),
        (lambda r: r.update(valid_until="2020-01-01"), "$.valid_until: the licence expires"),
        (lambda r: r.update(format="other/1"), "$.format"),
    ],
)
def test_errors_name_the_file_and_json_path(mutate: Any, expected: str) -> None:
    raw = _raw()
    mutate(raw)
    with pytest.raises(InputFileError) as err:
        parse_licence_json(json.dumps(raw), "lic.json")
    assert str(err.value).startswith("lic.json: ") and expected in str(err.value)


def test_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_licence_file(tmp_path / "none.json")
    bad = tmp_path / "bad.json"
    bad.write_text("[1]")
    with pytest.raises(InputFileError, match="must be a JSON object"):
        read_licence_file(bad)


def test_shipped_schema_matches_the_model() -> None:
    assert json.loads(resources.read_text("schemas/licence-1.schema.json")) == json_schema()
