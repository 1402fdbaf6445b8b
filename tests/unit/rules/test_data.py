"""The rule data: generated files are up to date with tools/build_rule_data.py, and all files validate."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from workbench.resources import read_text
from workbench.rules.data import RULE_FILES, rule_data

ROOT = Path(__file__).resolve().parents[3]
SOURCE = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "ecfr"
GENERATED = ("country-groups.json", "country-chart.json", "ccl.json", "license-exceptions.json")


def _build_module():  # type: ignore[no-untyped-def]
    spec = importlib.util.spec_from_file_location("build_rule_data", ROOT / "tools" / "build_rule_data.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not SOURCE.is_dir(), reason="shared eCFR data not available")
def test_generated_resources_are_up_to_date(tmp_path: Path) -> None:
    build = _build_module()
    assert build.main(["--source", str(SOURCE), "--out", str(tmp_path)]) == 0
    for name in GENERATED:
        assert (tmp_path / name).read_text(encoding="utf-8") == read_text(f"rules/{name}"), (
            f"resources/rules/{name} is stale: run tools/build_rule_data.py"
        )


@pytest.mark.parametrize("name", GENERATED)
def test_generated_files_record_provenance(name: str) -> None:
    data = json.loads(read_text(f"rules/{name}"))
    assert data["ecfr_issue_date"] == "2026-07-23"
    assert data["source_url"].startswith("https://www.ecfr.gov/api/versioner/v1/full/2026-07-23/")
    assert data["generated_by"] == "tools/build_rule_data.py"
    assert data["citation"]


def test_all_rule_files_validate_and_versions_are_stable() -> None:
    data = rule_data()
    assert set(RULE_FILES) >= {"rulebook.json", "group-changes.json"}
    assert data.versions["ecfr"] == "2026-07-23"
    assert data.versions["rules"] == data.rulebook.version
    assert len(data.versions["rules_digest"]) == 16


def test_country_chart_keeps_all_16_columns() -> None:
    # Supp. 1 to part 738: CB1-3, NP1-2, NS1-2, MT1, RS1-2, FC1, CC1-3, AT1-2.
    assert len(rule_data().chart.columns) == 16


@pytest.mark.parametrize(
    ("rule_id", "published", "effective", "compliance"),
    [
        # 90 FR 4544: published 2025-01-15, effective 2025-01-13, compliance 2025-05-15 (reference 1.1).
        ("ai-diffusion", "2025-01-15", "2025-01-13", "2025-05-15"),
        ("syria-2025", "2025-09-02", "2025-09-02", None),
    ],
)
def test_rulebook_lifecycle(rule_id: str, published: str, effective: str, compliance: str | None) -> None:
    record = rule_data().rulebook.rule(rule_id)
    assert str(record.published) == published
    assert str(record.effective) == effective
    assert (str(record.compliance_date) if record.compliance_date else None) == compliance


def test_diffusion_not_enforced_since_announcement() -> None:
    from datetime import date

    record = rule_data().rulebook.rule("ai-diffusion")
    assert record.status_on(date(2025, 5, 12)).status == "enforced"  # type: ignore[union-attr]
    assert record.status_on(date(2025, 5, 13)).status == "not_enforced"  # type: ignore[union-attr]
    assert record.status_on(date(2025, 1, 12)) is None


def test_unconfirmed_facts_stay_flagged() -> None:
    # Reference section 8 lists the UNCONFIRMED facts; those the data carries keep the flag.
    data = rule_data()
    assert data.rulebook.rule("uae-a5-2026").unconfirmed
    assert data.advanced.diffusion.tier2_allocation.unconfirmed
    assert data.advanced.exceptions["NAC"].lead_time_unconfirmed
    assert any(c.id == "uae-a5-addition" and c.unconfirmed for c in data.group_changes.changes)
