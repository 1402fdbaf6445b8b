"""Tables for imported rule packs, the publisher keys an organisation trusts, and local amendments."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.store.orm import Base


class RulePackRow(Base):
    __tablename__ = "rule_packs"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version: Mapped[int] = mapped_column(Integer, unique=True)
    sha256: Mapped[str] = mapped_column(String(64))
    publisher: Mapped[str] = mapped_column(String(300))
    fingerprint: Mapped[str] = mapped_column(String(100))
    ecfr_issue_date: Mapped[str] = mapped_column(String(10))
    rulebook_version: Mapped[str] = mapped_column(String(100))
    rulebook_research_date: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[str] = mapped_column(String(40))
    note: Mapped[str] = mapped_column(Text, default="")
    content: Mapped[bytes] = mapped_column(LargeBinary)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(200))
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class RulePublisherRow(Base):
    __tablename__ = "rule_publishers"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    fingerprint: Mapped[str] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    public_key_pem: Mapped[str] = mapped_column(Text)
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    added_by: Mapped[str] = mapped_column(String(200))


class RuleAmendmentRow(Base):
    __tablename__ = "rule_amendments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    amendment_id: Mapped[str] = mapped_column(String(100), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    target: Mapped[str] = mapped_column(String(300))
    effective: Mapped[date] = mapped_column(Date)
    source: Mapped[str] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    withdrawn_by: Mapped[str] = mapped_column(String(200), default="")
    withdrawal_reason: Mapped[str] = mapped_column(Text, default="")
