"""Determination snapshots and the product library: the products used are recorded, and records from
before (without products, item origins, register ids) re-serialise byte for byte, keeping their hashes."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date

from tests.unit.export.sample import demo_record
from workbench.domain.case import Item
from workbench.domain.product_items import ProductUse, item_differences, item_from_product
from workbench.domain.products import ClassificationReview, Product, ProductStatus
from workbench.domain.record import DeterminationRecord

HGX = Product(
    part_number="935-24287-0000-000",
    description="NVIDIA HGX H100 8-GPU baseboard",
    manufacturer="NVIDIA",
    model="HGX H100 8-GPU",
    eccn="4A090.a",
    tpp=15832,
    performance_density=19.4,
    ics_per_unit=8,
    datacenter=True,
    country_of_origin="TW",
    status=ProductStatus.APPROVED,
    approved_by="Jane Officer",
    approved_on=date(2026, 11, 30),
    version=3,
)


def test_a_record_without_products_has_none_of_the_new_fields_and_keeps_its_hash() -> None:
    record = demo_record()
    text = record.to_json()
    raw = json.loads(text)
    assert "products" not in raw
    for item in raw["case"]["items"]:
        assert not {"product_id", "country_of_origin", "us_content_percent"} & set(item)
    for party in raw["case"]["parties"]:
        assert not {"region", "register_id"} & set(party)
    again = DeterminationRecord.from_json(text)
    assert again.to_json() == text and again.content_hash == record.content_hash


def test_a_record_keeps_the_products_it_used_and_round_trips() -> None:
    base = demo_record()
    items = (item_from_product(base.case.items[0], HGX, 42), *base.case.items[1:])
    use = ProductUse.of(1, 42, HGX, ClassificationReview("4A090.a", "4A090.a", "meets 3A090.a"))
    record = replace(base, case=replace(base.case, items=items), products=(use,))
    raw = json.loads(record.to_json())
    assert raw["products"] == [
        {
            "item_position": 1,
            "product_id": 42,
            "part_number": "935-24287-0000-000",
            "version": 3,
            "eccn": "4A090.a",
            "paragraph": "",
            "status": "approved",
            "approved_by": "Jane Officer",
            "approved_on": "2026-11-30",
            "ccats_number": "",
            "conflict": None,
        }
    ]
    assert raw["case"]["items"][0]["product_id"] == 42 and raw["case"]["items"][0]["country_of_origin"] == "TW"
    again = DeterminationRecord.from_json(record.to_json())
    assert again.products == (use,) and again.content_hash == record.content_hash
    assert "v3, 4A090.a, approved by Jane Officer on 2026-11-30" in use.words


def test_an_item_takes_the_products_classification_and_keeps_the_shipments_facts() -> None:
    item = Item(description="board", eccn="EAR99", quantity=16, unit_value=250000, currency="EUR", tpp=None)
    resolved = item_from_product(item, HGX, 7)
    assert (resolved.eccn, resolved.tpp, resolved.ics_per_unit, resolved.product_id) == ("4A090.a", 15832, 8, 7)
    assert (resolved.quantity, resolved.unit_value, resolved.currency) == (16, 250000, "EUR")
    assert resolved.country_of_origin == "TW"
    no_origin = replace(HGX, country_of_origin=None)
    assert item_from_product(replace(item, country_of_origin="MX"), no_origin, 7).country_of_origin == "MX"
    # What the item said differently; a figure it leaves out (tpp None) says nothing.
    assert set(item_differences(item, HGX)) == {"description", "eccn", "manufacturer", "model", "ics_per_unit",
                                                "datacenter"}
