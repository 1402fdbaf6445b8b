"""The ``workbench-product/1`` JSON format: one product of the library, as a file.

Pydantic checks the shape, the domain the meaning; every error names the file, the JSON
path and the problem in one sentence. ``product_to_json`` is also what the audit log
records and what ``--json`` prints, so the three never drift apart.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.errors import ValidationError
from workbench.domain.products import (
    MAX_DESCRIPTION,
    MAX_DRAM_BANDWIDTH,
    MAX_ICS_PER_UNIT,
    MAX_MEMORY_BANDWIDTH_DENSITY,
    MAX_NAME,
    MAX_PARAGRAPH,
    MAX_PART_NUMBER,
    MAX_PERFORMANCE_DENSITY,
    MAX_REASONING,
    MAX_TPP,
    Product,
    ProductStatus,
)
from workbench.export.jsonfiles import domain_error, load_json_object, located, read_input_file, validate

FORMAT: Final = "workbench-product/1"
MAX_FILE_BYTES: Final = 1024 * 1024


class ProductFileModel(BaseModel):
    """A product of the library: its identity, classification with reasoning, and figures."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Workbench product file")

    format: Literal["workbench-product/1"]
    part_number: str = Field(min_length=1, max_length=MAX_PART_NUMBER, description="part number or SKU, unique")
    description: str = Field(min_length=1, max_length=MAX_DESCRIPTION)
    manufacturer: str = Field(default="", max_length=MAX_NAME)
    model: str = Field(default="", max_length=MAX_NAME)
    eccn: str | None = Field(
        default=None, max_length=40, description="e.g. 3A090.a, 4A090.a, 5A992.c, EAR99; null when not yet classified"
    )
    paragraph: str = Field(default="", max_length=MAX_PARAGRAPH, description="the CCL paragraph relied on")
    reasoning: str = Field(default="", max_length=MAX_REASONING, description="why, in the officer's words")
    tpp: float | None = Field(default=None, ge=0, le=MAX_TPP, allow_inf_nan=False, description="TPP of one IC")
    performance_density: float | None = Field(
        default=None, ge=0, le=MAX_PERFORMANCE_DENSITY, allow_inf_nan=False, description="of one IC"
    )
    ics_per_unit: int = Field(default=1, ge=1, le=MAX_ICS_PER_UNIT, description="advanced ICs in one unit")
    datacenter: bool = Field(default=False, description="designed or marketed for use in datacenters")
    prc_advanced_ic: bool = False
    dram_bandwidth: float | None = Field(
        default=None, ge=0, le=MAX_DRAM_BANDWIDTH, allow_inf_nan=False, description="DRAM bandwidth, GB/s"
    )
    memory_bandwidth_density: float | None = Field(
        default=None,
        ge=0,
        le=MAX_MEMORY_BANDWIDTH_DENSITY,
        allow_inf_nan=False,
        description="memory bandwidth density, GB/s/mm² (3A090.c, high-bandwidth memory)",
    )
    country_of_origin: str | None = Field(default=None, max_length=2, description="ISO 3166 alpha-2")
    ccats_number: str = Field(default="", max_length=20, description="if BIS classified it, e.g. G123456")
    ccats_date: date | None = None
    status: ProductStatus = ProductStatus.DRAFT
    approved_by: str = Field(default="", max_length=200)
    approved_on: date | None = None


def json_schema() -> dict[str, Any]:
    schema = ProductFileModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://workbench.invalid/schemas/product-1.schema.json"
    return schema


def product_fields(product: Product) -> dict[str, Any]:
    """The product's recorded fields as JSON-ready values (no format tag, no version)."""
    return {
        "part_number": product.part_number,
        "description": product.description,
        "manufacturer": product.manufacturer,
        "model": product.model,
        "eccn": product.eccn,
        "paragraph": product.paragraph,
        "reasoning": product.reasoning,
        "tpp": product.tpp,
        "performance_density": product.performance_density,
        "ics_per_unit": product.ics_per_unit,
        "datacenter": product.datacenter,
        "prc_advanced_ic": product.prc_advanced_ic,
        "dram_bandwidth": product.dram_bandwidth,
        "memory_bandwidth_density": product.memory_bandwidth_density,
        "country_of_origin": product.country_of_origin,
        "ccats_number": product.ccats_number,
        "ccats_date": product.ccats_date.isoformat() if product.ccats_date else None,
        "status": product.status.value,
        "approved_by": product.approved_by,
        "approved_on": product.approved_on.isoformat() if product.approved_on else None,
    }


def product_to_json(product: Product) -> dict[str, Any]:
    """A ``workbench-product/1`` document of ``product`` (``product add`` reads it back unchanged)."""
    return {"format": FORMAT, **product_fields(product)}


def model_to_product(model: ProductFileModel) -> Product:
    values = model.model_dump(exclude={"format"})
    product: Product = located("$", Product, **values)
    return product


def parse_product_json(data: bytes | str, source: str = "product file") -> Product:
    """Parse a product file's content; ``source`` names it in error messages."""
    model = validate(ProductFileModel, load_json_object(data, source, "product file"), source, "product file")
    try:
        return model_to_product(model)
    except ValidationError as exc:
        raise domain_error(source, exc) from None


def read_product_file(path: Path) -> Product:
    return parse_product_json(read_input_file(path, "product file", MAX_FILE_BYTES), str(path))
