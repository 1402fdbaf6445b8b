"""Local amendments applied over a pack, and the pack file reader's refusals, without a database."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from tools.write_schema import AMENDMENT_TARGET, render_amendment
from workbench.domain.rulepacks import Amendment
from workbench.export.rulepack import RulePackError, build_pack, read_pack
from workbench.rules.amend import AmendmentError, apply_amendments, data_on, dated_parameters, read_amendment
from workbench.rules.data import builtin_parts, builtin_rule_data, rule_data_from_parts


def _lifecycle(periods: list[dict[str, str]]) -> Amendment:
    return Amendment("ext", "lifecycle", "affiliates-2025", date(2026, 11, 10), "src", "why", {"periods": periods})


def test_the_amendment_schema_in_resources_is_current() -> None:
    assert AMENDMENT_TARGET.read_text(encoding="utf-8") == render_amendment()


def test_a_lifecycle_amendment_replaces_the_periods_from_its_first_date_and_keeps_the_earlier_ones() -> None:
    parts = apply_amendments(
        builtin_parts(),
        [_lifecycle([{"status": "suspended", "from": "2026-11-10"}, {"status": "enforced", "from": "2027-11-10"}])],
    )
    rule = rule_data_from_parts(parts).rulebook.rule("affiliates-2025")
    assert [(p.status, p.since.isoformat()) for p in rule.enforcement] == [
        ("enforced", "2025-09-29"),
        ("suspended", "2025-11-10"),
        ("suspended", "2026-11-10"),
        ("enforced", "2027-11-10"),
    ]
    assert rule.status_on(date(2026, 11, 20)).status == "suspended"  # type: ignore[union-attr]


def test_a_withdrawn_amendment_is_not_applied() -> None:
    withdrawn = Amendment(
        "ext",
        "lifecycle",
        "affiliates-2025",
        date(2026, 11, 10),
        "s",
        "r",
        {"periods": [{"status": "suspended", "from": "2026-11-10"}]},
        withdrawn_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    assert apply_amendments(builtin_parts(), [withdrawn]) == builtin_parts()


def test_a_parameter_amendment_applies_only_on_and_after_its_date() -> None:
    pointer = "/classification/paragraphs/0/any_of/0/tpp_min"
    base = builtin_rule_data()
    current = base.advanced.model_dump(mode="json", by_alias=True)["classification"]["paragraphs"][0]["any_of"][0][
        "tpp_min"
    ]
    amendment = Amendment("tpp", "parameter", pointer, date(2027, 1, 1), "s", "r", {"value": current + 1000})
    data = base.model_copy(update={"parameters": dated_parameters([amendment])})
    before = data_on(data, date(2026, 12, 31)).advanced.model_dump(mode="json", by_alias=True)
    after = data_on(data, date(2027, 1, 1)).advanced.model_dump(mode="json", by_alias=True)
    assert before["classification"]["paragraphs"][0]["any_of"][0]["tpp_min"] == current
    assert after["classification"]["paragraphs"][0]["any_of"][0]["tpp_min"] == current + 1000


def test_a_parameter_pointer_that_names_nothing_is_refused() -> None:
    amendment = Amendment("x", "parameter", "/no/such/path", date(2026, 1, 1), "s", "r", {"value": 1})
    data = builtin_rule_data().model_copy(update={"parameters": dated_parameters([amendment])})
    with pytest.raises(AmendmentError, match="names no value"):
        data_on(data, date(2026, 6, 1))


@pytest.mark.parametrize(
    ("document", "where"),
    [
        ({"format": "workbench-amendment/1", "id": "UPPER", "kind": "rule", "source": "s", "reason": "r"}, "$.id"),
        ({"format": "workbench-amendment/2", "id": "a", "kind": "rule", "source": "s", "reason": "r"}, "$.format"),
        ({"format": "workbench-amendment/1", "id": "a", "kind": "rule", "source": "s", "reason": ""}, "$.reason"),
        ({"format": "workbench-amendment/1", "id": "a", "kind": "rule", "source": "s", "reason": "r", "x": 1}, "$.x"),
    ],
)
def test_amendment_files_are_checked_field_by_field(document: dict[str, object], where: str) -> None:
    with pytest.raises(AmendmentError, match=f"^f.json: {where.replace('$', '[$]')}"):
        read_amendment(json.dumps(document).encode(), "f.json")


def test_an_amendment_of_a_kind_without_its_content_is_refused() -> None:
    document = {"format": "workbench-amendment/1", "id": "a", "kind": "lifecycle", "source": "s", "reason": "r"}
    with pytest.raises(AmendmentError, match="needs 'rule'"):
        read_amendment(json.dumps(document).encode(), "f.json")


def test_a_pack_reader_checks_signature_and_each_part_hash() -> None:
    key = Ed25519PrivateKey.generate()
    content = build_pack(
        builtin_parts(),
        pack_version=2,
        publisher="P",
        ecfr_issue_date="2026-07-23",
        rulebook_version="v",
        rulebook_research_date="2026-12",
        sources={},
        private_key=key,
        created_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    pack = read_pack(content)
    assert pack.version == 2 and dict(pack.parts) == builtin_parts()
    with pytest.raises(RulePackError, match="not gzip"):
        read_pack(b"PK\x03\x04")
    with pytest.raises(RulePackError, match="data after its end"):
        read_pack(content + b"garbage")
