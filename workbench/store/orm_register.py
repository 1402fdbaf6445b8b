"""Tables of the counterparty register: parties, their identifiers, and ownership stakes.

Names and addresses are JSON on the party row: they are always read and written with the
party, never queried one by one, and bounded by the domain (50 names, 20 addresses). Search
goes through ``search_text`` (every name and identifier, normalised) with a trigram index
(``workbench.store.register_search``), so it needs no join. Identifiers get their own table
because they are looked up by value (LEI, registration number) to match incoming parties.
KYC status is four columns on the party (filtered on in the Parties view); its history is the
audit chain. Stakes reference parties by id and are unique per owner and owned party.
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Date, DateTime, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.store.orm import Base, DecimalText


class RegisterPartyRow(Base):
    __tablename__ = "register_parties"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(500))
    name_key: Mapped[str] = mapped_column(String(500), index=True)
    """The name normalised (NFKC, case-folded, single spaces): sorting and duplicate checks."""
    country: Mapped[str] = mapped_column(String(2))
    headquarters_country: Mapped[str | None] = mapped_column(String(2), nullable=True)
    other_names: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    addresses: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    website: Mapped[str] = mapped_column(String(300), default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    kyc_status: Mapped[str] = mapped_column(String(20), index=True)
    kyc_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    kyc_officer: Mapped[str] = mapped_column(String(200), default="")
    kyc_note: Mapped[str] = mapped_column(Text, default="")
    listed_on: Mapped[list[str]] = mapped_column(JSON, default=list)
    fingerprint: Mapped[str] = mapped_column(String(64))
    search_text: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, nullable=False)

    identifiers: Mapped[list[RegisterIdentifierRow]] = relationship(
        back_populates="party", cascade="all, delete-orphan", order_by="RegisterIdentifierRow.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 (SQLAlchemy reads it as a class attribute)


class RegisterIdentifierRow(Base):
    __tablename__ = "register_identifiers"
    __table_args__ = (UniqueConstraint("party_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    scheme: Mapped[str] = mapped_column(String(20))
    label: Mapped[str] = mapped_column(String(60), default="")
    value: Mapped[str] = mapped_column(String(100))
    value_key: Mapped[str] = mapped_column(String(100))
    """The value case-folded without spaces, for matching."""

    party: Mapped[RegisterPartyRow] = relationship(back_populates="identifiers")


class OwnershipStakeRow(Base):
    """``owner_id`` holds ``percent`` of ``owned_id`` directly (NULL: the percentage is not known)."""

    __tablename__ = "ownership_stakes"
    __table_args__ = (UniqueConstraint("owner_id", "owned_id"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id"))
    owned_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id"), index=True)
    percent: Mapped[Decimal | None] = mapped_column(DecimalText, nullable=True)
    as_of: Mapped[date] = mapped_column(Date)
    document_sha256: Mapped[str] = mapped_column(String(64), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    recorded_by: Mapped[str] = mapped_column(String(200))


class PartyScreeningRunRow(Base):
    """When a register party was last screened, against which list version and which screened data."""

    __tablename__ = "party_screening_runs"

    party_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id", ondelete="CASCADE"), primary_key=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    party_fingerprint: Mapped[str] = mapped_column(String(64))
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    officer: Mapped[str] = mapped_column(String(200))


class PartyScreeningHitRow(Base):
    """The latest screening of a register party: one row per hit (none when it is clear)."""

    __tablename__ = "party_screening_hits"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id", ondelete="CASCADE"), index=True)
    list_version_id: Mapped[int] = mapped_column(ForeignKey("list_versions.id"))
    entry_id: Mapped[str] = mapped_column(String(100))
    source_code: Mapped[str] = mapped_column(String(40))
    content_hash: Mapped[str] = mapped_column(String(64))
    entry_name: Mapped[str] = mapped_column(Text)
    matched_name: Mapped[str] = mapped_column(Text)
    score: Mapped[float] = mapped_column(Float, index=True)
    party_fingerprint: Mapped[str] = mapped_column(String(64))
    explanation: Mapped[dict[str, Any]] = mapped_column(JSON)
    screened_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PartyDispositionRow(Base):
    """An officer's decision on a party's hit, pinned to the entry content and the party's screened data."""

    __tablename__ = "party_dispositions"
    __table_args__ = (UniqueConstraint("party_id", "source_code", "entry_id", "content_hash", "party_fingerprint"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id", ondelete="CASCADE"))
    source_code: Mapped[str] = mapped_column(String(40))
    entry_id: Mapped[str] = mapped_column(String(100))
    content_hash: Mapped[str] = mapped_column(String(64))
    party_fingerprint: Mapped[str] = mapped_column(String(64))
    decision: Mapped[str] = mapped_column(String(20))
    reason: Mapped[str] = mapped_column(Text)
    officer: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


Index("ix_register_identifiers_lookup", RegisterIdentifierRow.scheme, RegisterIdentifierRow.value_key)
Index("ix_register_parties_country_name", RegisterPartyRow.country, RegisterPartyRow.name_key)


class PartyDocumentRow(Base):
    """An EUC or BIS-711 on file for a register party (the file is in the document store): it covers
    the party's cases while it is valid."""

    __tablename__ = "party_documents"
    __table_args__ = (UniqueConstraint("party_id", "sha256"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    party_id: Mapped[int] = mapped_column(ForeignKey("register_parties.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    filename: Mapped[str] = mapped_column(String(255))
    sha256: Mapped[str] = mapped_column(String(64))
    issuer: Mapped[str] = mapped_column(String(500), default="")
    signatory_name: Mapped[str] = mapped_column(String(500), default="")
    signatory_title: Mapped[str] = mapped_column(String(500), default="")
    signed_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_until: Mapped[date | None] = mapped_column(Date, nullable=True)
    assurances: Mapped[list[str]] = mapped_column(JSON, default=list)
    note: Mapped[str] = mapped_column(Text, default="")
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    added_by: Mapped[str] = mapped_column(String(200))
