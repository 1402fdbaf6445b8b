"""Tables for licences, their parties and item lines, and the shipments made against them.

Shipments name the case by reference rather than by foreign key: they are Part 762 records
of what was exported under the licence and must outlive a case deleted after retention.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Date, DateTime, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.store.orm import Base, DecimalText


class LicenceRow(Base):
    __tablename__ = "licences"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    exception_symbol: Mapped[str | None] = mapped_column(String(3), nullable=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    destination: Mapped[str] = mapped_column(String(2), index=True)
    conditions: Mapped[str] = mapped_column(Text, default="")
    application_reference: Mapped[str] = mapped_column(String(500), default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))

    parties: Mapped[list[LicencePartyRow]] = relationship(
        back_populates="licence", cascade="all, delete-orphan", order_by="LicencePartyRow.position"
    )
    items: Mapped[list[LicenceItemRow]] = relationship(
        back_populates="licence", cascade="all, delete-orphan", order_by="LicenceItemRow.line"
    )


class LicencePartyRow(Base):
    __tablename__ = "licence_parties"
    __table_args__ = (UniqueConstraint("licence_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2))

    licence: Mapped[LicenceRow] = relationship(back_populates="parties")


class LicenceItemRow(Base):
    __tablename__ = "licence_items"
    __table_args__ = (UniqueConstraint("licence_id", "line"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id", ondelete="CASCADE"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    eccn: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(Text)
    unit_basis: Mapped[str] = mapped_column(String(20))
    quantity_limit: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    value_limit: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    currency: Mapped[str] = mapped_column(String(3))

    licence: Mapped[LicenceRow] = relationship(back_populates="items")


class LicenceShipmentRow(Base):
    __tablename__ = "licence_shipments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    licence_id: Mapped[int] = mapped_column(ForeignKey("licences.id"), index=True)
    line: Mapped[int] = mapped_column(Integer)
    case_reference: Mapped[str] = mapped_column(String(64), index=True)
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    value: Mapped[Decimal] = mapped_column(DecimalText)
    shipped_on: Mapped[date] = mapped_column(Date)
    officer: Mapped[str] = mapped_column(String(200))
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index("ix_licence_shipments_line", LicenceShipmentRow.licence_id, LicenceShipmentRow.line)
