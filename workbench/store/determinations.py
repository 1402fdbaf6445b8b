"""Persistence of determination records and the signed workbooks written from them."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from workbench.domain.audit import Change
from workbench.domain.case import CaseStatus
from workbench.domain.errors import ConflictError, NotFoundError
from workbench.domain.record import DeterminationRecord, DeterminationSummary, WorkbookRecord
from workbench.store.audit import SqlAuditLog
from workbench.store.orm import CaseRow, DeterminationRow, SignedWorkbookRow


class SqlDeterminationRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    def _case(self, reference: str) -> CaseRow:
        row = self._session.scalars(select(CaseRow).where(CaseRow.reference == reference)).first()
        if row is None:
            raise NotFoundError(
                f"There is no case with reference '{reference}'.", cli_hint="check the reference with 'case list'"
            )
        return row

    def next_revision(self, reference: str) -> int:
        case = self._case(reference)
        latest = self._session.scalar(
            select(func.max(DeterminationRow.revision)).where(DeterminationRow.case_id == case.id)
        )
        return int(latest or 0) + 1

    def add(self, record: DeterminationRecord) -> None:
        """Store the snapshot, mark the case determined with its outcome, and log both.

        The case row is locked first (PostgreSQL; SQLite serialises writers anyway), so a
        determination prepared from a case that another officer has since saved or
        determined is refused with a clear message instead of failing on the revision.
        """
        reference = record.case.reference
        case = self._session.scalars(select(CaseRow).where(CaseRow.reference == reference).with_for_update()).first()
        if case is None:
            raise NotFoundError(
                f"There is no case with reference '{reference}'.", cli_hint="check the reference with 'case list'"
            )
        latest = self._session.scalar(
            select(func.max(DeterminationRow.revision)).where(DeterminationRow.case_id == case.id)
        )
        if case.version != record.case.version or record.revision != int(latest or 0) + 1:
            raise ConflictError(
                f"Case {reference} was saved or determined by someone else while this determination was being "
                f"prepared (now at version {case.version}, determination revision {int(latest or 0)}); "
                "nothing was stored: review the case and determine it again."
            )
        self._session.add(
            DeterminationRow(
                case_id=case.id,
                revision=record.revision,
                outcome=record.determination.outcome.value,
                determined_at=record.determined_at,
                officer=record.officer,
                content_hash=record.content_hash,
                record_json=record.to_json(),
            )
        )
        before_status, before_outcome = case.status, case.outcome
        case.status = CaseStatus.DETERMINED.value
        case.outcome = record.determination.outcome.value
        self._session.flush()
        self._audit.record(
            "case",
            record.case.reference,
            "determine",
            [
                Change("determination", None, {"revision": record.revision, "sha256": record.content_hash}),
                Change("status", before_status, case.status),
                Change("outcome", before_outcome, case.outcome),
            ],
            reason=record.override_reason or "",
        )

    def _row(self, reference: str, revision: int | None) -> DeterminationRow:
        case = self._case(reference)
        query = select(DeterminationRow).where(DeterminationRow.case_id == case.id)
        if revision is None:
            query = query.order_by(DeterminationRow.revision.desc())
        else:
            query = query.where(DeterminationRow.revision == revision)
        row = self._session.scalars(query).first()
        if row is None:
            which = f"revision {revision}" if revision else "a determination"
            raise NotFoundError(
                f"Case {reference} has no {which}; determine and sign it first.",
                cli_hint=f"determine it with 'determine {reference}'",
            )
        return row

    def get(self, reference: str, revision: int | None = None) -> DeterminationRecord:
        """A stored record (latest by default), re-read from its own JSON and checked against its hash."""
        row = self._row(reference, revision)
        record = DeterminationRecord.from_json(row.record_json, f"determination {reference} r{row.revision}")
        if record.content_hash != row.content_hash:
            raise NotFoundError(
                f"Determination {reference} revision {row.revision} does not match its stored hash; "
                "it was altered in the database. Restore from a backup and verify the audit trail.",
                cli_hint="check the audit trail with 'audit verify'",
            )
        return record

    def history(self, reference: str) -> list[DeterminationSummary]:
        case = self._case(reference)
        rows = self._session.scalars(
            select(DeterminationRow).where(DeterminationRow.case_id == case.id).order_by(DeterminationRow.revision)
        )
        return [DeterminationSummary(r.revision, r.outcome, r.determined_at, r.officer, r.content_hash) for r in rows]

    def add_workbook(self, reference: str, revision: int, workbook: WorkbookRecord) -> None:
        row = self._row(reference, revision)
        self._session.add(
            SignedWorkbookRow(
                determination_id=row.id,
                path=workbook.path,
                file_sha256=workbook.file_sha256,
                signer=workbook.signer,
                fingerprint=workbook.fingerprint,
                signed_at=workbook.signed_at,
            )
        )
        self._session.flush()
        self._audit.record(
            "case",
            reference,
            "sign",
            [
                Change(
                    "workbook",
                    None,
                    {
                        "revision": revision,
                        "path": workbook.path,
                        "sha256": workbook.file_sha256,
                        "fingerprint": workbook.fingerprint,
                    },
                )
            ],
        )

    def workbooks(self, reference: str) -> list[WorkbookRecord]:
        case = self._case(reference)
        rows = self._session.execute(
            select(DeterminationRow.revision, SignedWorkbookRow)
            .join(SignedWorkbookRow, SignedWorkbookRow.determination_id == DeterminationRow.id)
            .where(DeterminationRow.case_id == case.id)
            .order_by(SignedWorkbookRow.id)
        )
        return [WorkbookRecord(rev, w.path, w.file_sha256, w.signer, w.fingerprint, w.signed_at) for rev, w in rows]
