"""The refresh guard, and the diff of hit sets after rescreening."""

from __future__ import annotations

import dataclasses

import pytest

from workbench.domain.screening import ListEntry, ListFormat, MalformedRow, ParsedList
from workbench.screening.guard import GuardPolicy, RefreshRefused, check_refresh
from workbench.screening.matcher import Screener
from workbench.screening.rescreen import diff_hits

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


def parsed(counts: dict[str, int], malformed: int = 0) -> ParsedList:
    entries = tuple(ListEntry(f"{s}-{i}", s, f"Name {i}") for s, n in counts.items() for i in range(n))
    rows = sum(counts.values()) + malformed
    bad = tuple(MalformedRow(i + 2, "has 3 fields where the header has 29") for i in range(malformed))
    return ParsedList(ListFormat.CSL_CSV, entries, counts, bad, None, rows)


def test_small_changes_pass() -> None:
    check_refresh({EL: 1000, SDN: 500}, parsed({EL: 990, SDN: 470}))
    check_refresh({EL: 100}, parsed({EL: 60}))  # 40 % but only 40 rows
    check_refresh(None, parsed({EL: 5}))


def test_sharp_shrink_is_refused_with_the_numbers() -> None:
    with pytest.raises(RefreshRefused, match=r"SDN 500 -> 300 rows.*stays active"):
        check_refresh({EL: 1000, SDN: 500}, parsed({EL: 1000, SDN: 300}), "consolidated.csv")


def test_vanished_source_is_refused() -> None:
    with pytest.raises(RefreshRefused, match="EL 20 -> 0"):
        check_refresh({EL: 20, SDN: 500}, parsed({SDN: 500}))


def test_unparseable_or_mostly_malformed_is_refused() -> None:
    with pytest.raises(RefreshRefused, match="no list entry"):
        check_refresh(None, parsed({}))
    with pytest.raises(RefreshRefused, match="line 2"):
        check_refresh(None, parsed({EL: 10}, malformed=5))
    check_refresh(None, parsed({EL: 10}, malformed=5), policy=GuardPolicy(max_malformed_share=0.5))


def test_rescreen_diff_new_gone_and_changed_content() -> None:
    a = ListEntry("1", EL, "Kalashnikov Concern")
    b = ListEntry("2", EL, "Tupolev PJSC")
    before = Screener([a, b]).screen("Kalashnikov Concern") + Screener([a, b]).screen("Tupolev")
    changed = dataclasses.replace(a, alt_names=("Izhmash",))
    c = ListEntry("3", EL, "Kalashnikov Group")
    after_screener = Screener([changed, c])
    after = after_screener.screen("Kalashnikov Concern", limit=5) + after_screener.screen("Tupolev")
    diff = diff_hits(before, after)
    assert {h.entry.entry_id for h in diff.gone} == {"1", "2"}  # 1 changed content, 2 left the list
    assert {h.entry.entry_id for h in diff.new} >= {"1"}
    assert diff.changed
    assert a.content_hash != changed.content_hash
    assert a.content_hash == dataclasses.replace(a).content_hash
