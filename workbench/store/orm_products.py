"""Tables of the product library: products and the documents on file for them.

A product row also keeps the classification assistant's last review (proposed ECCN, the
conflict if any, and the digest of the rule data it was made with), so the library can be
filtered by conflict without re-running the assistant, and a change of rule data can be
found by comparing digests.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.store.orm import Base


class ProductRow(Base):
    __tablename__ = "products"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    part_number: Mapped[str] = mapped_column(String(100))
    part_key: Mapped[str] = mapped_column(String(100), unique=True)
    """The part number case-folded with single spaces: two spellings are one product."""
    description: Mapped[str] = mapped_column(Text)
    manufacturer: Mapped[str] = mapped_column(String(500), default="")
    model: Mapped[str] = mapped_column(String(500), default="")
    eccn: Mapped[str | None] = mapped_column(String(40), nullable=True, index=True)
    paragraph: Mapped[str] = mapped_column(Text, default="")
    reasoning: Mapped[str] = mapped_column(Text, default="")
    tpp: Mapped[float | None] = mapped_column(Float, nullable=True)
    performance_density: Mapped[float | None] = mapped_column(Float, nullable=True)
    ics_per_unit: Mapped[int] = mapped_column(Integer, default=1)
    datacenter: Mapped[bool] = mapped_column(Boolean, default=False)
    prc_advanced_ic: Mapped[bool] = mapped_column(Boolean, default=False)
    dram_bandwidth: Mapped[float | None] = mapped_column(Float, nullable=True)
    memory_bandwidth_density: Mapped[float | None] = mapped_column(Float, nullable=True)
    country_of_origin: Mapped[str | None] = mapped_column(String(2), nullable=True)
    ccats_number: Mapped[str] = mapped_column(String(20), default="")
    ccats_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    approved_by: Mapped[str] = mapped_column(String(200), default="")
    approved_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    proposed_eccn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    conflict: Mapped[str | None] = mapped_column(Text, nullable=True)
    has_conflict: Mapped[bool] = mapped_column(Boolean, default=False)
    review_explanation: Mapped[str] = mapped_column(Text, default="")
    review_digest: Mapped[str] = mapped_column(String(64), default="")
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    documents: Mapped[list[ProductDocumentRow]] = relationship(
        back_populates="product", cascade="all, delete-orphan", order_by="ProductDocumentRow.id"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class ProductDocumentRow(Base):
    """A file of the content-addressed document store on file for a product (datasheet, CCATS)."""

    __tablename__ = "product_documents"
    __table_args__ = (UniqueConstraint("product_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    product_id: Mapped[int] = mapped_column(ForeignKey("products.id", ondelete="CASCADE"), index=True)
    sha256: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(20))
    filename: Mapped[str] = mapped_column(String(255))
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    added_by: Mapped[str] = mapped_column(String(200))

    product: Mapped[ProductRow] = relationship(back_populates="documents")


# Phase 2 matches case items to products by manufacturer and model.
Index("ix_products_manufacturer_model", ProductRow.manufacturer, ProductRow.model)
# The library's filters list in part-number order straight from these, without sorting.
Index("ix_products_conflict_part", ProductRow.has_conflict, ProductRow.part_key)
Index("ix_products_status_part", ProductRow.status, ProductRow.part_key)
