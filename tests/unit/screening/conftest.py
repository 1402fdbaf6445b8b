"""Fixtures: the shared real list files (skipped when ../shared is absent) and small screeners."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbench.domain.screening import EntryType, ListEntry
from workbench.screening.matcher import Screener

SHARED = Path(__file__).resolve().parents[3].parent / "shared"
DATA = Path(__file__).resolve().parent / "data"
SNAPSHOT = Path(__file__).resolve().parents[3] / "resources" / "lists" / "consolidated-2026-07-31.csv.gz"


@pytest.fixture(scope="session")
def shared() -> Path:
    if not (SHARED / "data" / "csl").is_dir():
        pytest.skip("../shared (the real list files) is not beside the repository")
    return SHARED


@pytest.fixture(scope="session")
def small_screener() -> Screener:
    entries = [
        ListEntry(
            "1",
            "Entity List (EL) - Bureau of Industry and Security",
            "Huawei Technologies Co., Ltd.",
            EntryType.ENTITY,
            ("Huawei",),
            ("CN",),
        ),
        ListEntry(
            "2",
            "Specially Designated Nationals (SDN) - Treasury Department",
            "ROSOBORONEXPORT OAO",
            EntryType.ENTITY,
            ("ROSOBORONEKSPORT", "RUSSIAN DEFENSE EXPORT ROSOBORONEXPORT"),
            ("RU",),
        ),
        ListEntry(
            "3",
            "Specially Designated Nationals (SDN) - Treasury Department",
            "PUTIN, Vladimir Vladimirovich",
            EntryType.INDIVIDUAL,
            (),
            ("RU",),
        ),
        ListEntry(
            "4",
            "Entity List (EL) - Bureau of Industry and Security",
            "Beijing Zhongguancun Quantum Systems Technology Co., Ltd.",
            None,
            (),
            ("CN",),
        ),
        ListEntry(
            "5",
            "Entity List (EL) - Bureau of Industry and Security",
            "Asia International Trading Company",
            None,
            (),
            ("HK",),
        ),
        ListEntry(
            "6",
            "Specially Designated Nationals (SDN) - Treasury Department",
            "ARGUMENT JSC",
            EntryType.ENTITY,
            (),
            ("RU",),
        ),
    ]
    return Screener(entries)
