"""Classification assistant: ECCN 3A090 parameters and the datacenter note (eCFR 2026-07-23)."""

from __future__ import annotations

import pytest

from workbench.rules.classify import ac_level, contradiction, suggest_eccn


@pytest.mark.parametrize(
    ("tpp", "pd", "datacenter", "expected", "missing"),
    [
        # 3A090.a.1: TPP >= 4800
        (4800, None, True, "3A090.a", ()),
        (4799, None, True, None, ("performance density",)),
        # 3A090.a.2: TPP >= 1600 and PD >= 5.92
        (4799, 5.92, True, "3A090.a", ()),
        (1600, 5.92, True, "3A090.a", ()),
        (1599, 5.92, True, None, ()),
        # 3A090.b.1: 2400 <= TPP < 4800 and 1.6 <= PD < 5.92
        (4799, 5.91, True, "3A090.b", ()),
        (2400, 1.6, True, "3A090.b", ()),
        (2399, 1.6, True, None, ()),
        (2400, 1.59, True, None, ()),
        # 3A090.b.2: TPP >= 1600 and 3.2 <= PD < 5.92
        (1600, 3.2, True, "3A090.b", ()),
        (1600, 3.19, True, None, ()),
        # Note: not designed or marketed for datacenters and TPP < 4800 -> not 3A090
        (4799, 5.92, False, None, ()),
        # ... but TPP >= 4800 stays 3A090 (NAC/ACA may apply)
        (4800, None, False, "3A090.a", ()),
    ],
)
def test_thresholds(
    tpp: float, pd: float | None, datacenter: bool, expected: str | None, missing: tuple[str, ...]
) -> None:
    s = suggest_eccn(tpp, pd, datacenter, description="accelerator chip", computer=False)
    assert s.eccn == expected
    assert s.missing == missing
    assert s.explanation


def test_non_datacenter_high_tpp_points_to_nac_aca() -> None:
    assert suggest_eccn(4800, None, False, computer=False).nac_aca


@pytest.mark.parametrize(
    ("description", "expected"),
    [("HGX H100 8-GPU baseboard", "4A090.a"), ("AI server", "4A090.a"), ("GPU die", "3A090.a")],
)
def test_ic_or_computer(description: str, expected: str) -> None:
    assert suggest_eccn(15832, None, True, description=description).eccn == expected


def test_no_tpp_no_proposal() -> None:
    assert suggest_eccn(None, None, True).eccn is None


@pytest.mark.parametrize(
    ("eccn", "level"),
    [
        ("3A090.a", "a"),
        ("4A090.b", "b"),
        ("3A090.c", "hbm"),
        ("3A001.z.1.a", "a"),
        ("3A001.z.4.b", "b"),
        ("4A004.z.1", "a"),
        ("5A992.z.2", "b"),
        ("5D002.z.9.a", "a"),
        ("3A090", None),
        ("5A992.c", None),
    ],
)
def test_levels_of_z_paragraphs(eccn: str, level: str | None) -> None:
    # Note to 3A090 and the .z paragraphs (reference section 2.3).
    assert ac_level(eccn) == level


@pytest.mark.parametrize(
    ("eccn", "tpp", "pd", "contradicts"),
    [
        ("3A090.b", 5000, None, True),  # figures meet .a
        ("EAR99", 4800, None, True),  # figures meet .a
        ("4A090.a", 1000, None, True),  # below the parameters
        ("4A090.a", 4800, None, False),
        ("3A090.b", 3000, 4.0, False),
        ("3A090", 5000, None, False),  # bare head is completed, not contradicted
        ("3A090.a", 4799, None, False),  # undecidable without PD
    ],
)
def test_contradictions(eccn: str, tpp: float, pd: float | None, contradicts: bool) -> None:
    assert (contradiction(eccn, tpp, pd, True) is not None) is contradicts
