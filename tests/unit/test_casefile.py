"""The workbench-case/1 format: round trips, and errors naming file, JSON path and problem."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tools.write_schema import TARGET, render
from workbench import resources
from workbench.domain.errors import InputFileError
from workbench.export.casefile import case_to_json, parse_case_json, read_case_file, write_case_file

DATA = Path(__file__).resolve().parents[1] / "data" / "casefiles"
DEMO = json.loads(resources.read_text("demo/index.json"))["cases"]


@pytest.mark.parametrize("name", DEMO)
def test_demo_case_files_round_trip_unchanged(name: str) -> None:
    raw = json.loads(resources.read_text(f"demo/{name}"))
    assert case_to_json(parse_case_json(json.dumps(raw))) == raw


def test_ics_per_unit_round_trips_and_is_checked() -> None:
    raw = json.loads(resources.read_text(f"demo/{DEMO[0]}"))
    raw["items"][0]["ics_per_unit"] = 8
    case = parse_case_json(json.dumps(raw))
    assert case.items[0].ics_per_unit == 8 and case_to_json(case) == raw
    for bad, problem in ((0, "greater than or equal to 1"), ("8", "valid integer")):
        raw["items"][0]["ics_per_unit"] = bad
        with pytest.raises(InputFileError, match=rf"\$\.items\[0\]\.ics_per_unit: .*{problem}"):
            parse_case_json(json.dumps(raw))


def test_minimal_file_gets_defaults() -> None:
    case = parse_case_json(
        '{"format": "workbench-case/1", "reference": "EC-9", "title": "t", "transaction_date": "2026-01-02",'
        ' "export_from": "us", "destination": "de"}'
    )
    assert (case.export_from, case.destination, case.status.value, case.parties) == ("US", "DE", "draft", ())


@pytest.mark.parametrize(
    ("file", "expected"),
    [
        ("not-json.json", "is not valid JSON: Expecting value at line 3, column 12."),
        ("wrong-format.json", "$.format: unsupported format 'workbench-case/9'"),
        ("unknown-country.json", "$.parties[1].country: 'QQ' is not an ISO 3166 two-letter country code"),
        ("malformed-eccn.json", "$.items[0].eccn: '4A9O.a' is not a valid ECCN"),
        ("negative-quantity.json", "$.items[0].quantity: must not be negative (got -16)"),
    ],
)
def test_bad_files_name_file_path_and_problem(file: str, expected: str) -> None:
    path = DATA / file
    with pytest.raises(InputFileError) as err:
        read_case_file(path)
    message = str(err.value)
    assert message.startswith(str(path) + ": ")
    assert expected in message
    assert "\n" not in message


@pytest.mark.parametrize(
    ("patch", "expected"),
    [
        ({"colour": "red"}, "$.colour: is not a field of a case file"),
        ({"title": None}, "$.title: Input should be a valid string"),
        ({"transaction_date": "2026-13-01"}, "$.transaction_date:"),
        ({"transaction_type": "smuggle"}, "$.transaction_type: 'smuggle' is not allowed; use one of"),
        ({"end_use": {"description": "x", "wmd": "maybe"}}, "$.end_use.wmd:"),
    ],
)
def test_shape_errors(patch: dict[str, object], expected: str) -> None:
    raw = json.loads((DATA / "valid.json").read_text())
    raw.update(patch)
    with pytest.raises(InputFileError, match=None) as err:
        parse_case_json(json.dumps(raw), "x.json")
    assert expected in str(err.value)


def test_missing_file_and_folder(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        read_case_file(tmp_path / "nope.json")
    with pytest.raises(InputFileError, match="is a folder"):
        read_case_file(tmp_path)


def test_non_object_and_non_utf8() -> None:
    with pytest.raises(InputFileError, match="must be a JSON object, not list"):
        parse_case_json("[]", "x.json")
    with pytest.raises(InputFileError, match="not UTF-8"):
        parse_case_json(b'{"title": "\xff"}', "x.json")


def test_write_is_atomic_and_reads_back(tmp_path: Path) -> None:
    case = read_case_file(DATA / "valid.json")
    out = tmp_path / "out.json"
    write_case_file(case, out)
    assert read_case_file(out) == case
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]


def test_schema_in_resources_is_current() -> None:
    assert TARGET.read_text(encoding="utf-8") == render(), "run 'make schema' to regenerate the JSON Schema"


def test_documents_and_red_flags_round_trip() -> None:
    raw = json.loads((DATA / "valid.json").read_text())
    raw["documents"] = [
        {
            "kind": "euc",
            "filename": "euc-signed.pdf",
            "sha256": "ab" * 32,
            "issuer": "Example Data Centre Sdn Bhd",
            "signatory_name": "Aminah Binti Rahman",
            "signatory_title": "Chief Operating Officer",
            "signed_date": "2026-10-01",
            "valid_from": "2026-10-01",
            "valid_until": "2027-09-30",
            "covers_parties": ["Example Data Centre Sdn Bhd"],
            "covers_items": [1],
            "assurances": ["end_use_statement", "no_reexport_without_authorisation"],
            "note": "original held by sales",
        }
    ]
    raw["red_flags"] = [{"id": "kyc-01", "answer": "no", "note": "checked website"}]
    assert case_to_json(parse_case_json(json.dumps(raw))) == raw
    raw["documents"][0]["covers_items"] = [2]
    with pytest.raises(InputFileError, match=r"\$\.documents\[0\]\.covers_items\[0\]: item 2 does not exist"):
        parse_case_json(json.dumps(raw), "x.json")
    raw["documents"][0]["covers_items"] = [1]
    raw["documents"][0]["assurances"] = ["pinky_promise"]
    with pytest.raises(InputFileError, match=r"\$\.documents\[0\]\.assurances\[0\]: 'pinky_promise' is not allowed"):
        parse_case_json(json.dumps(raw), "x.json")


def test_party_kind_is_optional_and_omitted_when_unknown() -> None:
    raw = json.loads(resources.read_text(f"demo/{DEMO[0]}"))
    assert all("kind" not in p for p in raw["parties"])  # files written before the kind existed
    assert case_to_json(parse_case_json(json.dumps(raw))) == raw  # read and written back unchanged
    raw["parties"][0]["kind"] = "individual"
    case = parse_case_json(json.dumps(raw))
    assert case.parties[0].kind == "individual" and case_to_json(case) == raw
    raw["parties"][0]["kind"] = "company"
    with pytest.raises(InputFileError, match=r"\$\.parties\[0\]\.kind: "):
        parse_case_json(json.dumps(raw))


def test_region_origin_us_content_and_fdp_facts_are_optional_and_round_trip() -> None:
    raw = json.loads(resources.read_text(f"demo/{DEMO[0]}"))
    added = ("country_of_origin", "us_content_percent", "us_technology_product", "us_technology_plant")
    assert all(k not in i for i in raw["items"] for k in added) and all("region" not in p for p in raw["parties"])
    raw["items"][0].update(
        {"country_of_origin": "TW", "us_content_percent": 12.5, "us_technology_product": True,
         "us_technology_plant": False}
    )
    raw["parties"][0].update({"country": "UA", "region": "UA-43"})
    case = parse_case_json(json.dumps(raw))
    item = case.items[0]
    assert (item.country_of_origin, str(item.us_content_percent), item.us_technology_product) == ("TW", "12.5", True)
    assert case.parties[0].region == "UA-43" and case_to_json(case) == raw
    for patch, where in (
        ({"us_content_percent": 100.5}, r"\$\.items\[0\]\.us_content_percent"),
        ({"us_technology_plant": "maybe"}, r"\$\.items\[0\]\.us_technology_plant"),
        ({"country_of_origin": "XX"}, r"\$\.items\[0\]"),
    ):
        bad = json.loads(json.dumps(raw))
        bad["items"][0].update(patch)
        with pytest.raises(InputFileError, match=where):
            parse_case_json(json.dumps(bad))
    bad = json.loads(json.dumps(raw))
    bad["parties"][0]["region"] = "UA-99"
    with pytest.raises(InputFileError, match=r"\$\.parties\[0\].*region"):
        parse_case_json(json.dumps(bad))


def test_tmp_and_rpl_facts_are_optional_and_round_trip() -> None:
    """Files without the facts read and write as before; with them they round-trip (issue #17, 740.9/740.10)."""
    raw = json.loads(resources.read_text(f"demo/{DEMO[0]}"))
    assert "transaction_facts" not in raw and "transaction_facts" not in case_to_json(parse_case_json(json.dumps(raw)))
    raw["transaction_facts"] = {
        "temporary_purpose": "exhibition",
        "return_by": "2027-03-01",
        "servicing": "replacement_parts",
        "improves_equipment": False,
        "original_authorisation": "D1234567",
    }
    case = parse_case_json(json.dumps(raw))
    facts = case.transaction_facts
    assert facts.temporary_purpose == "exhibition" and str(facts.return_by) == "2027-03-01"
    assert facts.improves_equipment is False and facts.original_authorisation == "D1234567"
    assert case_to_json(case) == raw
    for patch, problem in (
        ({"temporary_purpose": "holiday"}, "$.transaction_facts.temporary_purpose"),
        ({"return_by": "2027-02-30"}, "$.transaction_facts.return_by"),
        ({"servicing": "upgrade"}, "$.transaction_facts.servicing"),
    ):
        bad = {**raw, "transaction_facts": {**raw["transaction_facts"], **patch}}
        with pytest.raises(InputFileError, match=problem.replace("$", r"\$").replace(".", r"\.")):
            parse_case_json(json.dumps(bad), "c.json")
