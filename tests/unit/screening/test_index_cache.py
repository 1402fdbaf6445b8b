"""The on-disk screener cache: same hits after a round trip, misses when stale, survives damage."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from workbench.domain.screening import EntryType, ListEntry
from workbench.screening import index_cache
from workbench.screening.index_cache import KEEP, cache_path, load_screener, save_screener
from workbench.screening.matcher import Screener

SHA = "ab" * 32
ENTRIES = [
    ListEntry("1", "Entity List (EL) - Bureau of Industry and Security", "Sinobright Import and Export Co., Ltd."),
    ListEntry("2", "Entity List (EL) - Bureau of Industry and Security", "Almaz-Antey Air and Space Defence Corp"),
    ListEntry(
        "3",
        "Specially Designated Nationals (SDN) - Treasury Department",
        "VOLKOV, Ivan Petrovich",
        entry_type=EntryType.INDIVIDUAL,
        countries=("RU",),
    ),
]
QUERIES = ["Sinobright Imp & Exp Co Ltd", "Almaz Antey", "Ivan Volkov", "Unrelated Bakery GmbH"]


def _hits(screener: Screener) -> list[list[tuple[str, float]]]:
    return [[(h.entry.entry_id, round(h.score, 6)) for h in screener.screen(q)] for q in QUERIES]


def test_round_trip_gives_the_same_hits(tmp_path: Path) -> None:
    built = Screener(ENTRIES)
    path = save_screener(tmp_path, SHA, built)
    assert path == cache_path(tmp_path, SHA) and path.is_file()
    assert oct(path.stat().st_mode & 0o777) == "0o600"  # the user's own file
    loaded = load_screener(tmp_path, SHA)
    assert loaded is not None and loaded is not built
    assert _hits(loaded) == _hits(built) and any(_hits(built))
    assert not list(tmp_path.glob(".tmp-*"))


def test_another_list_or_changed_code_misses(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    save_screener(tmp_path, SHA, Screener(ENTRIES))
    assert load_screener(tmp_path, "cd" * 32) is None
    monkeypatch.setattr(index_cache, "code_fingerprint", lambda: "f" * 64)
    assert load_screener(tmp_path, SHA) is None


def test_damaged_file_is_discarded(tmp_path: Path) -> None:
    path = save_screener(tmp_path, SHA, Screener(ENTRIES))
    assert path is not None
    path.write_bytes(path.read_bytes()[:1000])
    assert load_screener(tmp_path, SHA) is None
    assert not path.exists()
    path.write_bytes(b"\x80\x05K\x01.")  # a valid pickle of something else
    assert load_screener(tmp_path, SHA) is None


def test_only_the_newest_few_are_kept(tmp_path: Path) -> None:
    built = Screener(ENTRIES)
    for n in range(KEEP + 2):
        path = save_screener(tmp_path, f"{n:02d}" * 32, built)
        assert path is not None
        os.utime(path, (1_000_000 + n, 1_000_000 + n))
    kept = sorted(p.name for p in tmp_path.glob("screener-*.pickle"))
    assert len(kept) == KEEP
    assert all(not name.startswith(("screener-0000", "screener-0101")) for name in kept)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes to read-only directories")
def test_unwritable_directory_costs_only_time(tmp_path: Path) -> None:
    tmp_path.chmod(0o500)
    try:
        assert save_screener(tmp_path, SHA, Screener(ENTRIES)) is None
    finally:
        tmp_path.chmod(0o700)
    assert list(tmp_path.iterdir()) == []


def test_a_file_in_place_of_the_directory_costs_only_time(tmp_path: Path) -> None:
    blocker = tmp_path / "cache"
    blocker.write_text("not a directory")
    assert save_screener(blocker, SHA, Screener(ENTRIES)) is None
    assert blocker.read_text() == "not a directory"
