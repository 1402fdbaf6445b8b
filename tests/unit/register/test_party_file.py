"""The workbench-party/1 format: shape and meaning checked, every error naming the JSON path."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import pytest

from workbench import resources
from workbench.domain.case import ListFlag
from workbench.domain.errors import InputFileError
from workbench.domain.register import IdentifierScheme, NameKind
from workbench.export.partyfile import MAX_OWNER_DEPTH, json_schema, parse_party_json, party_json


def _file(**overrides: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format": "workbench-party/1",
        "name": "Subsidiary Co",
        "country": "CN",
        "other_names": [{"kind": "own_script", "name": "子公司"}],
        "identifiers": [{"scheme": "lei", "value": "506700GE1G29325QX363"}],
        "listed_on": [],
        "owners": [
            {
                "party": {"name": "Red Star Holdings", "country": "CN", "listed_on": ["entity_list"]},
                "percent": 49.99,
                "as_of": "2025-09-01",
                "note": "registry extract",
            },
            {"ref": 7, "percent": None, "as_of": "2025-09-01", "document_sha256": "ab" * 32},
        ],
    }
    data.update(overrides)
    return data


def _parse(data: dict[str, Any]) -> Any:
    return parse_party_json(json.dumps(data), "sub.json")


def test_a_party_file_with_owners_parses_exactly() -> None:
    spec = _parse(_file())
    assert spec.party.name == "Subsidiary Co" and spec.party.other_names[0].kind is NameKind.OWN_SCRIPT
    assert spec.party.identifiers[0].scheme is IdentifierScheme.LEI
    first, second = spec.owners
    assert first.percent == Decimal("49.99") and first.party.party.listed_on == (ListFlag.ENTITY_LIST,)
    assert second.ref == 7 and second.percent is None and second.document_sha256 == "ab" * 32
    assert spec.count() == 2
    assert party_json(spec.party)["identifiers"] == [{"scheme": "lei", "value": "506700GE1G29325QX363", "label": ""}]


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"country": "China"}, "sub.json: $.country: 'China' is not an ISO 3166"),
        ({"identifiers": [{"scheme": "lei", "value": "506700GE1G29325QX364"}]}, "$.identifiers[0].value: '506700"),
        ({"owners": [{"ref": 1, "percent": 0, "as_of": "2025-01-01", "note": "n"}]}, "$.owners[0].percent: must be"),
        ({"owners": [{"ref": 1, "percent": "101", "as_of": "2025-01-01", "note": "n"}]}, "at most 100 (got 101)"),
        ({"owners": [{"ref": 1, "percent": 5, "as_of": "2025-01-01"}]}, "$.owners[0]: say where the stake is known"),
        ({"owners": [{"percent": 5, "as_of": "2025-01-01", "note": "n"}]}, 'either as "party"'),
        ({"owners": [{"ref": 1, "as_of": "2025-01-01", "note": "n"}]}, "$.owners[0].percent: is required"),
        ({"owners": [{"ref": 1, "percent": 5, "as_of": "soon", "note": "n"}]}, "$.owners[0].as_of"),
        ({"colour": "red"}, "$.colour: is not a field of a party file"),
        ({"listed_on": ["sdnx"]}, "$.listed_on[0]"),
        ({"kyc": {"status": "approved"}}, "$.kyc.date: a KYC status of approved needs the date and the officer"),
    ],
)
def test_errors_name_the_file_and_json_path(change: dict[str, Any], fragment: str) -> None:
    with pytest.raises(InputFileError) as exc:
        _parse(_file(**change))
    message = str(exc.value)
    assert fragment in message and "\n" not in message


def test_nesting_is_bounded() -> None:
    owner: dict[str, Any] = {"name": "Top", "country": "DE"}
    for level in range(MAX_OWNER_DEPTH + 2):
        owner = {
            "name": f"Level {level}",
            "country": "DE",
            "owners": [{"party": owner, "percent": 100, "as_of": "2025-01-01", "note": "n"}],
        }
    with pytest.raises(InputFileError, match="nested more than 10 levels"):
        _parse(_file(owners=owner["owners"]))


def test_shipped_schema_matches_the_model() -> None:
    assert json.loads(resources.read_text("schemas/party-1.schema.json")) == json_schema()
