"""Table mapping. Rows are persistence records; repositories convert them to domain objects."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Dialect,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    false,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class DecimalText(TypeDecorator[Decimal]):
    """Exact decimals on every backend (SQLite has no decimal type), stored as canonical text."""

    impl = String(40)
    cache_ok = True

    def process_bind_param(self, value: Decimal | None, dialect: Dialect) -> str | None:
        return None if value is None else format(value, "f")

    def process_result_value(self, value: Any, dialect: Dialect) -> Decimal | None:
        return None if value is None else Decimal(value)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class CaseRow(Base):
    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    reference: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    status: Mapped[str] = mapped_column(String(20), index=True)
    transaction_date: Mapped[date] = mapped_column(Date)
    transaction_type: Mapped[str] = mapped_column(String(30))
    export_from: Mapped[str] = mapped_column(String(2))
    destination: Mapped[str] = mapped_column(String(2))
    end_use_description: Mapped[str] = mapped_column(Text, default="")
    end_use_ai_model_training: Mapped[bool] = mapped_column(Boolean, default=False)
    end_use_military: Mapped[bool] = mapped_column(Boolean, default=False)
    end_use_wmd: Mapped[bool] = mapped_column(Boolean, default=False)
    end_use_iaas: Mapped[bool] = mapped_column(Boolean, default=False)
    end_use_nuclear: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_missile: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_chem_bio: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_supercomputer: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_advanced_ic: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_sme: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    end_use_us_person_support: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    # TMP/RPL transaction facts (migration 0018); NULL / empty: not recorded.
    temporary_purpose: Mapped[str | None] = mapped_column(String(30), nullable=True)
    return_by: Mapped[date | None] = mapped_column(Date, nullable=True)
    servicing: Mapped[str | None] = mapped_column(String(30), nullable=True)
    improves_equipment: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    original_authorisation: Mapped[str] = mapped_column(String(200), default="", server_default="")
    outcome: Mapped[str | None] = mapped_column(String(30), nullable=True, index=True)
    search_text: Mapped[str] = mapped_column(Text, default="")
    party_names: Mapped[str] = mapped_column(Text, default="")
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    parties: Mapped[list[PartyRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="PartyRow.position"
    )
    items: Mapped[list[ItemRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="ItemRow.position"
    )
    red_flags: Mapped[list[RedFlagRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="RedFlagRow.position"
    )
    documents: Mapped[list[DocumentRow]] = relationship(
        back_populates="case", cascade="all, delete-orphan", order_by="DocumentRow.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class PartyRow(Base):
    __tablename__ = "parties"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    role: Mapped[str] = mapped_column(String(30))
    name: Mapped[str] = mapped_column(String(500))
    country: Mapped[str] = mapped_column(String(2))
    address: Mapped[str] = mapped_column(Text, default="")
    headquarters_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    listed_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    kind: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """EntryType value (entity, individual, vessel, aircraft); NULL when not recorded."""
    region: Mapped[str | None] = mapped_column(String(6), nullable=True)
    register_id: Mapped[int | None] = mapped_column(
        ForeignKey("register_parties.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    register_address: Mapped[int | None] = mapped_column(Integer, nullable=True)
    """Which of the register party's addresses applies (0-based); NULL: the case's own address text."""

    case: Mapped[CaseRow] = relationship(back_populates="parties")


class ItemRow(Base):
    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    description: Mapped[str] = mapped_column(Text)
    eccn: Mapped[str | None] = mapped_column(String(40), nullable=True)
    manufacturer: Mapped[str] = mapped_column(String(500), default="")
    model: Mapped[str] = mapped_column(String(500), default="")
    quantity: Mapped[Decimal] = mapped_column(DecimalText)
    unit: Mapped[str] = mapped_column(String(20))
    unit_value: Mapped[Decimal] = mapped_column(DecimalText)
    currency: Mapped[str] = mapped_column(String(3))
    tpp: Mapped[float | None] = mapped_column(Float, nullable=True)
    performance_density: Mapped[float | None] = mapped_column(Float, nullable=True)
    datacenter: Mapped[bool] = mapped_column(Boolean, default=False)
    prc_advanced_ic: Mapped[bool] = mapped_column(Boolean, default=False)
    ics_per_unit: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    country_of_origin: Mapped[str | None] = mapped_column(String(2), nullable=True)
    us_content_percent: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    us_technology_product: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    us_technology_plant: Mapped[bool | None] = mapped_column(Boolean, nullable=True)
    product_id: Mapped[int | None] = mapped_column(
        ForeignKey("products.id", ondelete="RESTRICT"), nullable=True, index=True
    )
    dram_bandwidth: Mapped[float | None] = mapped_column(Float, nullable=True)
    encryption: Mapped[str | None] = mapped_column(String(20), nullable=True)
    """EncryptionClass value (b1, b2, b3, mass_market, not_eligible); NULL when not recorded."""
    encryption_filed_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    case: Mapped[CaseRow] = relationship(back_populates="items")


class RedFlagRow(Base):
    __tablename__ = "red_flag_answers"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    flag_id: Mapped[str] = mapped_column(String(64))
    answer: Mapped[str] = mapped_column(String(10))
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[CaseRow] = relationship(back_populates="red_flags")


class DocumentRow(Base):
    __tablename__ = "case_documents"
    __table_args__ = (UniqueConstraint("case_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64), default="")
    issuer: Mapped[str] = mapped_column(String(500), default="")
    signatory_name: Mapped[str] = mapped_column(String(500), default="")
    signatory_title: Mapped[str] = mapped_column(String(500), default="")
    signed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    covers_parties: Mapped[list[str]] = mapped_column(JSON, default=list)
    covers_items: Mapped[list[int]] = mapped_column(JSON, default=list)
    assurances: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")

    case: Mapped[CaseRow] = relationship(back_populates="documents")


class AuditEntryRow(Base):
    """One field change; append-only, hash-chained (see ``workbench.store.audit``)."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer, unique=True)
    at: Mapped[str] = mapped_column(String(40))
    officer: Mapped[str] = mapped_column(String(200))
    entity: Mapped[str] = mapped_column(String(40))
    entity_key: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(40))
    field: Mapped[str] = mapped_column(String(300), default="")
    before: Mapped[str | None] = mapped_column(Text, nullable=True)
    after: Mapped[str | None] = mapped_column(Text, nullable=True)
    reason: Mapped[str] = mapped_column(Text, default="")
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class AuditHeadRow(Base):
    """The single row holding the chain's last sequence number and hash."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(Integer)
    last_hash: Mapped[str] = mapped_column(String(64))


class ListVersionRow(Base):
    """One imported restricted-party list file; exactly one version is active."""

    __tablename__ = "list_versions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    label: Mapped[str] = mapped_column(String(200))
    source_file: Mapped[str] = mapped_column(String(500))
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    format: Mapped[str] = mapped_column(String(20))
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    imported_by: Mapped[str] = mapped_column(String(200))
    publication_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    rows_per_source: Mapped[dict[str, int]] = mapped_column(JSON)
    entry_count: Mapped[int] = mapped_column(Integer)
    malformed_count: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(Boolean, default=False, index=True)


class ListEntryRow(Base):
    __tablename__ = "list_entries"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id", ondelete="CASCADE"), index=True)
    entry_id: Mapped[str] = mapped_column(String(100))
    source: Mapped[str] = mapped_column(String(300))
    source_code: Mapped[str] = mapped_column(String(40))
    entry_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    name: Mapped[str] = mapped_column(Text)
    alt_names: Mapped[list[str]] = mapped_column(JSON)
    countries: Mapped[list[str]] = mapped_column(JSON)
    addresses: Mapped[list[str]] = mapped_column(JSON)
    programs: Mapped[list[str]] = mapped_column(JSON)
    license_requirement: Mapped[str] = mapped_column(Text, default="")
    license_policy: Mapped[str] = mapped_column(Text, default="")
    federal_register_notice: Mapped[str] = mapped_column(Text, default="")
    remarks: Mapped[str] = mapped_column(Text, default="")
    source_list_url: Mapped[str] = mapped_column(Text, default="")
    content_hash: Mapped[str] = mapped_column(String(64))


class ScreeningHitRow(Base):
    """The latest screening of a case's parties: one row per hit (none when a party is clear)."""

    __tablename__ = "screening_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_position: Mapped[int] = mapped_column(Integer)
    party_name: Mapped[str] = mapped_column(String(500))
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    entry_id: Mapped[str] = mapped_column(String(100))
    source_code: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    entry_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float)
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ScreeningRunRow(Base):
    """When a case was last screened, against which list version (also when nothing hit)."""

    __tablename__ = "screening_runs"

    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), primary_key=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    officer: Mapped[str] = mapped_column(String(200))


class DispositionRow(Base):
    """An officer's decision on a hit, pinned to the listed entry's content hash."""

    __tablename__ = "dispositions"
    __table_args__ = (UniqueConstraint("case_id", "party_name", "source_code", "entry_id", "content_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    party_name: Mapped[str] = mapped_column(String(500))
    source_code: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class AllowListRow(Base):
    """The organisation's own names, never raised as hits."""

    __tablename__ = "allow_list"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(500), unique=True)
    note: Mapped[str] = mapped_column(Text, default="")


class DeterminationRow(Base):
    """An immutable determination snapshot; re-determining adds a revision, never rewrites one."""

    __tablename__ = "determinations"
    __table_args__ = (UniqueConstraint("case_id", "revision"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(Integer)
    outcome: Mapped[str] = mapped_column(String(30))
    determined_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    officer: Mapped[str] = mapped_column(String(200))
    content_hash: Mapped[str] = mapped_column(String(64))
    record_json: Mapped[str] = mapped_column(Text)


class SignedWorkbookRow(Base):
    """A workbook written for a determination: where, by which key, and its file hash."""

    __tablename__ = "signed_workbooks"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    determination_id: Mapped[int] = mapped_column(ForeignKey("determinations.id", ondelete="CASCADE"), index=True)
    path: Mapped[str] = mapped_column(Text)
    file_sha256: Mapped[str] = mapped_column(String(64))
    signer: Mapped[str] = mapped_column(String(200))
    fingerprint: Mapped[str] = mapped_column(String(200))
    signed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index("ix_cases_destination", CaseRow.destination)
Index("ix_list_entries_lookup", ListEntryRow.version_id, ListEntryRow.source_code, ListEntryRow.entry_id)
Index("ix_screening_hits_case_party", ScreeningHitRow.case_id, ScreeningHitRow.party_position)
Index("ix_audit_log_entity", AuditEntryRow.entity, AuditEntryRow.entity_key)


# Tables defined in their own modules register on the same metadata when imported.
from workbench.store import orm_licences, orm_products, orm_register, orm_rulepacks  # noqa: E402, F401
