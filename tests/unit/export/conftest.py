"""Fixtures: the demo record signed once per test into a temporary folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.unit.export.sample import demo_record, fixed_clock, officer_key
from workbench.export.keys import public_key_pem
from workbench.export.signing import sign_and_write


@pytest.fixture
def signed(tmp_path: Path) -> Path:
    path = tmp_path / "EC-2026-0042.xlsx"
    sign_and_write(demo_record(), officer_key(), path, "Jane Officer", now=fixed_clock)
    return path


@pytest.fixture
def officer_pem() -> bytes:
    return public_key_pem(officer_key().public_key(), "Jane Officer")
