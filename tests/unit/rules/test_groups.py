"""Effective-dated Country Groups (Supp. 1 to part 740) with the changes in group-changes.json."""

from __future__ import annotations

from datetime import date

import pytest

from workbench.rules.groups import group_table


@pytest.mark.parametrize(
    ("country", "day", "group", "member", "note"),
    [
        # Cambodia: State lifted the arms embargo 2025-11-07; BIS conformed D:5 2026-02-03 (reference section 3).
        ("KH", date(2025, 6, 1), "D:5", True, None),
        ("KH", date(2025, 11, 6), "D:5", True, None),
        ("KH", date(2025, 11, 7), "D:5", False, "2026-02-03"),
        ("KH", date(2026, 2, 2), "D:5", False, "2026-02-03"),
        ("KH", date(2026, 2, 3), "D:5", False, None),
        ("KH", date(2026, 6, 15), "D:1", True, None),
        # UAE in A:5 from about 2026-07-10 (UNCONFIRMED)
        ("AE", date(2025, 6, 1), "A:5", False, "UNCONFIRMED"),
        ("AE", date(2025, 6, 1), "D:4", True, "UNCONFIRMED"),
        ("AE", date(2026, 8, 1), "A:5", True, None),
        # Hong Kong takes China's groups (85 FR 83765)
        ("HK", date(2026, 1, 1), "D:5", True, "Hong Kong"),
        # Macau is not in D:5 (note to D:5)
        ("MO", date(2026, 1, 1), "D:5", False, None),
        ("MO", date(2026, 1, 1), "D:1", True, None),
    ],
)
def test_membership_on_date(country: str, day: date, group: str, member: bool, note: str | None) -> None:
    m = group_table().lookup(country, day)
    assert (group in m.groups) is member
    text = " ".join(m.notes)
    if note:
        assert note in text
    if note == "UNCONFIRMED":
        assert m.unconfirmed


def test_explicit_country_survives_group_exclusion() -> None:
    # 3A090.b scope names the UAE although it is in A:5 from 2026 (reference section 2.4 B).
    inside, _ = group_table().in_scope(
        "AE", date(2026, 8, 1), groups=("D:1", "D:4", "D:5"), countries=("AE",), exclude_groups=("A:5", "A:6")
    )
    assert inside
    inside, _ = group_table().in_scope("IL", date(2026, 8, 1), groups=("D:4",), exclude_groups=("A:6",))
    assert not inside
