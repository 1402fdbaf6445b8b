"""Case items that reference the product library, and what a case import and a determination say about them.

A case item that references a product carries only what belongs to the shipment (quantity,
unit, unit value, currency, US content); everything the product's classification says comes
from the product as it is now. ``item_from_product`` is that resolution: the store applies it
whenever it loads or saves a case, so the rules keep reading one plain ``Item``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import Any, Final

from workbench.domain.case import CaseStatus, Item
from workbench.domain.products import ClassificationReview, Product

PRODUCT_ITEM_FIELDS: Final = (
    "description",
    "eccn",
    "manufacturer",
    "model",
    "tpp",
    "performance_density",
    "ics_per_unit",
    "datacenter",
    "prc_advanced_ic",
    "country_of_origin",
    "dram_bandwidth",
)
"""The item fields a referenced product decides (the rest belong to the shipment)."""


def item_from_product(item: Item, product: Product, product_id: int) -> Item:
    """``item`` with the product's current classification and figures, referencing ``product_id``.

    The product's country of origin and DRAM bandwidth win when the library records them; otherwise the
    item's own stay.
    """
    return replace(
        item,
        description=product.description,
        eccn=product.eccn,
        manufacturer=product.manufacturer,
        model=product.model,
        tpp=product.tpp,
        performance_density=product.performance_density,
        ics_per_unit=product.ics_per_unit,
        datacenter=product.datacenter,
        prc_advanced_ic=product.prc_advanced_ic,
        country_of_origin=product.country_of_origin or item.country_of_origin,
        dram_bandwidth=product.dram_bandwidth if product.dram_bandwidth is not None else item.dram_bandwidth,
        product_id=product_id,
    )


def item_differences(item: Item, product: Product) -> dict[str, tuple[Any, Any]]:
    """Fields where ``item`` says something else than the product: ``{field: (item's, product's)}``.

    A figure the item leaves out (None) says nothing, so it is no difference.
    """
    resolved = item_from_product(item, product, item.product_id or 1)
    return {
        name: (getattr(item, name), getattr(resolved, name))
        for name in PRODUCT_ITEM_FIELDS
        if getattr(item, name) is not None and getattr(item, name) != getattr(resolved, name)
    }


def match_key(manufacturer: str, model: str) -> tuple[str, str]:
    """Manufacturer and model as matching compares them: case and spacing do not matter."""
    return " ".join(manufacturer.split()).casefold(), " ".join(model.split()).casefold()


class MatchedBy(StrEnum):
    PART_NUMBER = "part_number"
    MANUFACTURER_MODEL = "manufacturer_model"
    CASE_ONLY = "case_only"


@dataclass(frozen=True, slots=True)
class ItemMatch:
    """How one item of an imported case file was matched to the product library."""

    position: int
    """1-based position of the item in the case."""
    matched_by: MatchedBy
    part_number: str | None = None
    note: str = ""
    """Why it stayed case-only, or what the file said that the product's record replaced."""

    @property
    def words(self) -> str:
        if self.matched_by is MatchedBy.PART_NUMBER:
            head = f"item {self.position}: product {self.part_number} (matched by part number)"
        elif self.matched_by is MatchedBy.MANUFACTURER_MODEL:
            head = f"item {self.position}: product {self.part_number} (matched by manufacturer and model)"
        else:
            head = f"item {self.position}: kept as a case-only item"
        return f"{head}; {self.note}" if self.note else head


@dataclass(frozen=True, slots=True)
class ProductUse:
    """A product as a determination used it: which one, which version, and the classification it had.

    Determinations are immutable: a later reclassification never changes this record.
    """

    item_position: int
    product_id: int
    part_number: str
    version: int
    eccn: str | None
    paragraph: str
    status: str
    approved_by: str = ""
    approved_on: date | None = None
    ccats_number: str = ""
    conflict: str | None = None
    """The assistant's conflict with the recorded ECCN at the time, if any."""

    @classmethod
    def of(cls, position: int, product_id: int, product: Product, review: ClassificationReview) -> ProductUse:
        return cls(
            item_position=position,
            product_id=product_id,
            part_number=product.part_number,
            version=product.version,
            eccn=product.eccn,
            paragraph=product.paragraph,
            status=product.status.value,
            approved_by=product.approved_by,
            approved_on=product.approved_on,
            ccats_number=product.ccats_number,
            conflict=review.conflict,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "item_position": self.item_position,
            "product_id": self.product_id,
            "part_number": self.part_number,
            "version": self.version,
            "eccn": self.eccn,
            "paragraph": self.paragraph,
            "status": self.status,
            "approved_by": self.approved_by,
            "approved_on": self.approved_on.isoformat() if self.approved_on else None,
            "ccats_number": self.ccats_number,
            "conflict": self.conflict,
        }

    @classmethod
    def from_dict(cls, raw: dict[str, Any]) -> ProductUse:
        approved = raw.get("approved_on")
        return cls(
            item_position=int(raw["item_position"]),
            product_id=int(raw["product_id"]),
            part_number=str(raw["part_number"]),
            version=int(raw["version"]),
            eccn=raw["eccn"],
            paragraph=str(raw.get("paragraph", "")),
            status=str(raw["status"]),
            approved_by=str(raw.get("approved_by", "")),
            approved_on=date.fromisoformat(approved) if approved else None,
            ccats_number=str(raw.get("ccats_number", "")),
            conflict=raw.get("conflict"),
        )

    @property
    def words(self) -> str:
        approval = f"approved by {self.approved_by} on {self.approved_on}" if self.approved_on else self.status
        eccn = self.eccn or "unclassified"
        return f"item {self.item_position}: product {self.part_number} v{self.version}, {eccn}, {approval}"


@dataclass(frozen=True, slots=True)
class CaseUsingProduct:
    """A case with items referencing a product (the product editor lists them; reclassifying re-checks them)."""

    reference: str
    title: str
    status: CaseStatus
    outcome: str | None
    positions: tuple[int, ...]
    """1-based positions of the items referencing the product."""
