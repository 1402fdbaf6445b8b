"""The product record: validation on construction, and the assistant's review of its classification."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workbench.domain.errors import ValidationError
from workbench.domain.products import (
    MAX_TPP,
    Product,
    ProductDocument,
    ProductStatus,
    part_key,
)
from workbench.rules.products import review

H100 = Product(
    part_number="900-21010-0000-000",
    description="NVIDIA H100 SXM5 80GB GPU",
    manufacturer="NVIDIA",
    model="H100 SXM5",
    eccn="3a090.A",
    tpp=15832,
    performance_density=19.4,
    datacenter=True,
    country_of_origin="tw",
)


def test_normalises_eccn_country_and_part_number() -> None:
    p = replace(H100, part_number="  900-21010   0000 ", ccats_number="g123456", ccats_date=date(2026, 1, 5))
    assert p.eccn == "3A090.a"
    assert p.country_of_origin == "TW"
    assert p.part_number == "900-21010 0000"
    assert p.ccats_number == "G123456"
    assert part_key("H100  sxm5 ") == part_key("h100 SXM5")


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"part_number": ""}, "part_number", "required"),
        ({"part_number": "-abc"}, "part_number", "not a usable part number"),
        ({"part_number": "x" * 101}, "part_number", "at most 100"),
        ({"description": "a\x00b"}, "description", "control characters"),
        ({"eccn": "4A9O.a"}, "eccn", "not a valid ECCN"),
        ({"tpp": float("nan")}, "tpp", "finite"),
        ({"tpp": float("inf")}, "tpp", "finite"),
        ({"tpp": -1.0}, "tpp", "negative"),
        ({"tpp": MAX_TPP * 10}, "tpp", "plausible maximum"),
        ({"tpp": True}, "tpp", "must be a number"),
        ({"performance_density": "19"}, "performance_density", "must be a number"),
        ({"dram_bandwidth": 1e308}, "dram_bandwidth", "plausible maximum"),
        ({"memory_bandwidth_density": -2.0}, "memory_bandwidth_density", "negative"),
        ({"ics_per_unit": 0}, "ics_per_unit", "between 1"),
        ({"ics_per_unit": 2.5}, "ics_per_unit", "whole number"),
        ({"datacenter": "yes"}, "datacenter", "true or false"),
        ({"country_of_origin": "XX"}, "country_of_origin", ""),
        ({"ccats_number": "123"}, "ccats_number", "not a CCATS number"),
        ({"ccats_date": date(2026, 1, 1)}, "ccats_number", "give both"),
        ({"status": "final"}, "status", "use one of draft, approved"),
        ({"status": ProductStatus.APPROVED}, "approved_by", "names the officer"),
        (
            {"status": ProductStatus.APPROVED, "eccn": None, "approved_by": "J", "approved_on": date(2026, 1, 1)},
            "status",
            "unclassified product cannot be approved",
        ),
        ({"approved_by": "Jane"}, "status", "draft product has no approval"),
        ({"reasoning": "r" * 8001}, "reasoning", "at most 8000"),
    ],
)
def test_refuses_invalid_values(changes: dict[str, object], field: str, words: str) -> None:
    with pytest.raises(ValidationError) as err:
        replace(H100, **changes)  # type: ignore[arg-type]
    assert err.value.field == field
    assert words in err.value.message


def test_approval_needs_officer_and_date_and_can_be_withdrawn() -> None:
    approved = H100.approved("Jane Officer", date(2026, 11, 30))
    assert approved.status is ProductStatus.APPROVED
    assert approved.approved_by == "Jane Officer"
    draft = approved.as_draft()
    assert draft.status is ProductStatus.DRAFT and draft.approved_on is None


def test_document_record_is_checked() -> None:
    doc = ProductDocument("datasheet", "h100.pdf", "AB" * 32)
    assert doc.sha256 == "ab" * 32
    with pytest.raises(ValidationError, match="plain file name"):
        ProductDocument("datasheet", "../h100.pdf", "ab" * 32)
    with pytest.raises(ValidationError, match="product document kind"):
        ProductDocument("euc", "h100.pdf", "ab" * 32)


def test_review_agrees_with_a_correct_classification() -> None:
    r = review(H100)
    assert r.proposed == "3A090.a"
    assert r.conflict is None
    assert r.agrees and r.state == "consistent"
    assert "3A090.a" in r.explanation
    assert r.rules_digest


def test_review_flags_an_approved_ear99_board_whose_figures_meet_3a090a() -> None:
    board = replace(
        H100, part_number="HGX-H100-8", description="NVIDIA HGX H100 8-GPU baseboard", eccn="EAR99", ics_per_unit=8
    ).approved("Jane Officer", date(2026, 11, 30))
    r = review(board)
    assert r.proposed == "4A090.a"  # a board: the assistant reads it as a computer/assembly
    assert r.state == "conflict"
    assert r.conflict is not None and "EAR99" in r.conflict and "3A090.a-level" in r.conflict
    assert board.eccn == "EAR99"  # the review never changes the record


def test_review_of_an_unclassified_product_proposes_or_says_what_is_missing() -> None:
    r = review(replace(H100, eccn=None))
    assert r.state == "unclassified" and r.proposed == "3A090.a"
    middling = review(replace(H100, eccn=None, tpp=3000.0, performance_density=None))
    assert middling.proposed is None and middling.missing == ("performance density",)
    none = review(replace(H100, eccn=None, tpp=None, performance_density=None))
    assert none.proposed is None and "No TPP" in none.explanation


def test_review_uses_the_datacenter_note() -> None:
    gaming = replace(
        H100,
        part_number="RTX-X",
        description="gaming GPU",
        eccn="3A090.b",
        tpp=3000.0,
        performance_density=4.0,
        datacenter=False,
    )
    r = review(gaming)
    assert r.proposed is None
    assert r.conflict is not None and "outside 3A090" in r.conflict
