"""Fixtures for the documents tests: an in-memory case, a workbench with a stored case, a store."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from workbench.documents.filestore import DocumentStore
from workbench.domain.case import Case, Item, Party, PartyRole
from workbench.services import Workbench, open_workbench
from workbench.services.cases import import_case_file

CASEFILES = Path(__file__).resolve().parents[2] / "data" / "casefiles"
REFERENCE = "EC-TEST-0001"
END_USER = "Example Data Centre Sdn Bhd"


def make_case(**overrides: object) -> Case:
    fields: dict[str, object] = {
        "reference": "EC-DOC-1",
        "title": "Wafer testers for Penang",
        "transaction_date": date(2026, 3, 14),
        "export_from": "US",
        "destination": "MY",
        "parties": (
            Party(PartyRole.APPLICANT, "Example Exporter Inc", "US"),
            Party(PartyRole.ULTIMATE_CONSIGNEE, "Bukit Semiconductor Sdn Bhd", "MY"),
            Party(PartyRole.END_USER, "Bukit Semiconductor Sdn Bhd", "MY"),
        ),
        "items": (Item("Wafer tester", eccn="3B991"), Item("Probe cards", eccn="3B991")),
    }
    fields.update(overrides)
    return Case(**fields)  # type: ignore[arg-type]


@pytest.fixture
def case() -> Case:
    return make_case()


@pytest.fixture
def store(tmp_path: Path) -> DocumentStore:
    return DocumentStore(tmp_path / "store")


@pytest.fixture
def wb(sqlite_url: str) -> Iterator[Workbench]:
    bench = open_workbench(sqlite_url, officer="tester")
    import_case_file(bench, CASEFILES / "valid.json")
    try:
        yield bench
    finally:
        bench.close()
