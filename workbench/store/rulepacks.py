"""Persistence of rule packs, trusted publishers and local amendments, audit-logged.

Packs are stored whole (the signed file's bytes) so a later check "under the data we had in
July" reads exactly what was imported; the shipped pack 1 is not stored, and is active when no
stored pack is.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from workbench.domain.audit import Change
from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.rulepacks import Amendment, StoredRulePack, TrustedPublisher
from workbench.store.audit import SqlAuditLog
from workbench.store.orm_rulepacks import RuleAmendmentRow, RulePackRow, RulePublisherRow


def _pack(row: RulePackRow) -> StoredRulePack:
    return StoredRulePack(
        version=row.version,
        sha256=row.sha256,
        publisher=row.publisher,
        fingerprint=row.fingerprint,
        ecfr_issue_date=row.ecfr_issue_date,
        rulebook_version=row.rulebook_version,
        rulebook_research_date=row.rulebook_research_date,
        created_at=row.created_at,
        imported_at=row.imported_at,
        imported_by=row.imported_by,
        active=row.active,
        note=row.note,
    )


def _amendment(row: RuleAmendmentRow) -> Amendment:
    return Amendment(
        id=row.amendment_id,
        kind=row.kind,
        target=row.target,
        effective=row.effective,
        source=row.source,
        reason=row.reason,
        body=dict(row.body),
        recorded_by=row.recorded_by,
        recorded_at=row.recorded_at,
        withdrawn_at=row.withdrawn_at,
        withdrawn_by=row.withdrawn_by,
        withdrawal_reason=row.withdrawal_reason,
    )


class SqlRulePackRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    # --- packs -----------------------------------------------------------------------------------

    def packs(self) -> list[StoredRulePack]:
        rows = self._session.scalars(select(RulePackRow).order_by(RulePackRow.version))
        return [_pack(r) for r in rows]

    def active_pack(self) -> StoredRulePack | None:
        row = self._session.scalars(select(RulePackRow).where(RulePackRow.active.is_(True))).first()
        return _pack(row) if row else None

    def content(self, version: int) -> bytes:
        row = self._session.scalars(select(RulePackRow).where(RulePackRow.version == version)).first()
        if row is None:
            raise NotFoundError(
                f"There is no imported rule pack {version}.", cli_hint="'rules show' lists the versions"
            )
        return row.content

    def add_pack(self, pack: StoredRulePack, content: bytes, *, activate: bool) -> None:
        if self._session.scalars(select(RulePackRow.id).where(RulePackRow.version == pack.version)).first():
            raise DuplicateError(
                f"Rule pack {pack.version} is imported already; activate it instead.",
                cli_hint=f"'rules activate {pack.version}' makes it active",
            )
        if activate:
            self._session.execute(update(RulePackRow).values(active=False))
        self._session.add(
            RulePackRow(
                version=pack.version,
                sha256=pack.sha256,
                publisher=pack.publisher,
                fingerprint=pack.fingerprint,
                ecfr_issue_date=pack.ecfr_issue_date,
                rulebook_version=pack.rulebook_version,
                rulebook_research_date=pack.rulebook_research_date,
                created_at=pack.created_at,
                note=pack.note,
                content=content,
                imported_at=datetime.now(UTC),
                imported_by=self._audit.officer,
                active=activate,
            )
        )
        self._session.flush()
        self._audit.record(
            "rule_pack",
            str(pack.version),
            "import",
            [
                Change("sha256", None, pack.sha256),
                Change("publisher", None, f"{pack.publisher} ({pack.fingerprint})"),
                Change("ecfr_issue_date", None, pack.ecfr_issue_date),
                Change("rulebook_version", None, pack.rulebook_version),
                Change("active", None, activate),
            ],
        )

    def activate(self, version: int | None, previous: int, reason: str = "") -> None:
        """Make ``version`` the active pack (None: the shipped pack 1)."""
        if (
            version is not None
            and not self._session.scalars(select(RulePackRow.id).where(RulePackRow.version == version)).first()
        ):
            raise NotFoundError(
                f"There is no imported rule pack {version}.", cli_hint="'rules show' lists the versions"
            )
        self._session.execute(update(RulePackRow).values(active=False))
        if version is not None:
            self._session.execute(update(RulePackRow).where(RulePackRow.version == version).values(active=True))
        self._audit.record(
            "rule_pack", str(version or 1), "activate", [Change("active_pack", previous, version or 1)], reason
        )

    # --- publishers ------------------------------------------------------------------------------

    def publishers(self) -> list[TrustedPublisher]:
        rows = self._session.scalars(select(RulePublisherRow).order_by(RulePublisherRow.id))
        return [TrustedPublisher(r.fingerprint, r.name, r.public_key_pem, r.added_at, r.added_by) for r in rows]

    def add_publisher(self, fingerprint: str, name: str, public_key_pem: str) -> None:
        exists = select(RulePublisherRow.id).where(RulePublisherRow.fingerprint == fingerprint)
        if self._session.scalars(exists).first():
            raise DuplicateError(f"The publisher key {fingerprint} is trusted already.")
        self._session.add(
            RulePublisherRow(
                fingerprint=fingerprint,
                name=name,
                public_key_pem=public_key_pem,
                added_at=datetime.now(UTC),
                added_by=self._audit.officer,
            )
        )
        self._session.flush()
        self._audit.record("rule_publisher", fingerprint, "trust", [Change("name", None, name)])

    # --- amendments ------------------------------------------------------------------------------

    def amendments(self, *, include_withdrawn: bool = False) -> list[Amendment]:
        query = select(RuleAmendmentRow).order_by(RuleAmendmentRow.recorded_at, RuleAmendmentRow.id)
        if not include_withdrawn:
            query = query.where(RuleAmendmentRow.withdrawn_at.is_(None))
        return [_amendment(r) for r in self._session.scalars(query)]

    def add_amendment(self, amendment: Amendment) -> Amendment:
        exists = select(RuleAmendmentRow.id).where(RuleAmendmentRow.amendment_id == amendment.id)
        if self._session.scalars(exists).first():
            raise DuplicateError(
                f"A local amendment with id {amendment.id} exists already; give the new one another id."
            )
        row = RuleAmendmentRow(
            amendment_id=amendment.id,
            kind=amendment.kind,
            target=amendment.target,
            effective=amendment.effective,
            source=amendment.source,
            reason=amendment.reason,
            body=amendment.body,
            recorded_at=datetime.now(UTC),
            recorded_by=self._audit.officer,
        )
        self._session.add(row)
        self._session.flush()
        self._audit.record(
            "rule_amendment",
            amendment.id,
            "add",
            [
                Change("kind", None, amendment.kind),
                Change("target", None, amendment.target),
                Change("effective", None, amendment.effective.isoformat()),
                Change("body", None, amendment.body),
                Change("source", None, amendment.source),
            ],
            amendment.reason,
        )
        return _amendment(row)

    def withdraw_amendment(self, amendment_id: str, reason: str) -> None:
        row = self._session.scalars(
            select(RuleAmendmentRow).where(RuleAmendmentRow.amendment_id == amendment_id)
        ).first()
        if row is None or row.withdrawn_at is not None:
            raise NotFoundError(f"There is no local amendment {amendment_id} in force; 'rules amendments' lists them.")
        row.withdrawn_at = datetime.now(UTC)
        row.withdrawn_by = self._audit.officer
        row.withdrawal_reason = reason
        self._session.flush()
        self._audit.record("rule_amendment", amendment_id, "withdraw", [Change("in_force", True, False)], reason)
