"""SQLAlchemy implementations of the repository protocols in ``workbench.domain.ports``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from workbench.domain.audit import Change, diff
from workbench.domain.case import Case, CaseStatus, CaseSummary
from workbench.domain.errors import (
    ConflictError,
    DuplicateError,
    NotFoundError,
    RevisionReasonRequired,
    ValidationError,
)
from workbench.export.casefile import case_to_json
from workbench.store import case_parties
from workbench.store.audit import SqlAuditLog
from workbench.store.mapping import apply_case_to_row, case_from_row
from workbench.store.orm import CaseRow
from workbench.store.product_items import resolve_items
from workbench.store.search import MIN_TRIGRAM_WORD, fts_word_filter, uses_fts

_SORTABLE = {
    "reference": CaseRow.reference,
    "title": CaseRow.title,
    "status": CaseRow.status,
    "transaction_date": CaseRow.transaction_date,
    "destination": CaseRow.destination,
    "outcome": CaseRow.outcome,
    "updated_at": CaseRow.updated_at,
}


def audit_json(case: Case) -> dict[str, Any]:
    """The case as the audit chain records it: the case file, plus each party's register reference."""
    data = case_to_json(case)
    for party, entry in zip(case.parties, data["parties"], strict=True):
        if party.register_id is not None:
            entry["register_id"] = party.register_id
    return data


def _reference_changes(before: Case | None, after: Case) -> list[Change]:
    """Items that start or stop referencing a library product (case files do not show the reference)."""
    old = [i.product_id for i in before.items] if before else []
    changes = []
    for position, item in enumerate(after.items, start=1):
        was = old[position - 1] if position <= len(old) else None
        if item.product_id != was:
            changes.append(Change(f"items[{position}].product_id", was, item.product_id))
    return changes


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class SqlCaseRepository:
    """Cases; every add and save is recorded in the audit log within the same transaction."""

    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    def _row(self, reference: str) -> CaseRow:
        row = self._session.scalars(
            select(CaseRow)
            .where(CaseRow.reference == reference)
            .options(
                selectinload(CaseRow.parties),
                selectinload(CaseRow.items),
                selectinload(CaseRow.red_flags),
                selectinload(CaseRow.documents),
            )
        ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"There is no case with reference '{reference}'.", cli_hint="check the reference with 'case list'"
            )
        return row

    def _load(self, row: CaseRow) -> Case:
        """The stored case with its register parties and library products resolved to their current records."""
        case = case_parties.resolve(self._session, case_from_row(row), case_parties.stored_positions(row.parties))
        return resolve_items(self._session, case)

    def _apply(self, case: Case, row: CaseRow) -> None:
        apply_case_to_row(case, row)
        case_parties.link(self._session, case, row.parties)

    def get(self, reference: str) -> Case:
        return self._load(self._row(reference))

    def get_many(self, references: Sequence[str]) -> list[Case]:
        """Many cases at once (a re-check of hundreds): a few queries a batch instead of five a case."""
        rows = self._session.scalars(
            select(CaseRow)
            .where(CaseRow.reference.in_(list(references)))
            .options(
                selectinload(CaseRow.parties),
                selectinload(CaseRow.items),
                selectinload(CaseRow.red_flags),
                selectinload(CaseRow.documents),
            )
        )
        found = {row.reference: self._load(row) for row in rows}
        return [found[r] for r in references if r in found]

    def exists(self, reference: str) -> bool:
        found = self._session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
        return found is not None

    def add(self, case: Case) -> Case:
        if self.exists(case.reference):
            raise DuplicateError(
                f"A case with reference '{case.reference}' already exists; "
                "give the new case another reference or edit the existing one."
            )
        case = resolve_items(self._session, case_parties.resolve(self._session, case))
        now = datetime.now(UTC)
        row = CaseRow(created_at=now, updated_at=now)
        self._session.add(row)
        self._apply(case, row)
        self._session.flush()
        created = [Change("", None, audit_json(case)), *_reference_changes(None, case)]
        self._audit.record("case", case.reference, "create", created)
        return self._load(row)

    def save(self, case: Case, *, revision_reason: str | None = None) -> Case:
        """Save an edited case. A determined case is never changed silently: changing its content, or
        moving it back to draft or review, needs ``revision_reason`` and starts a new revision (status
        in review unless draft was asked for, outcome cleared, the reason in the audit chain). A copy
        read before the determination is refused as stale (the determination bumped the version)."""
        row = self._row(case.reference)
        if row.version != case.version:
            raise ConflictError(
                f"Case {case.reference} was changed by someone else since you opened it "
                f"(your copy is version {case.version}, the database has version {row.version}); "
                "reload the case and apply your changes again."
            )
        stored = CaseStatus(row.status)
        case = resolve_items(self._session, case_parties.resolve(self._session, case))
        current = self._load(row)
        changes = diff(audit_json(current), audit_json(case)) + _reference_changes(current, case)
        content = [c for c in changes if c.field != "status"]
        if stored is CaseStatus.CLOSED and changes:
            raise ValidationError("status", f"case {case.reference} is closed and cannot be changed")
        if case.status is not stored and not current.can_move_to(case.status):
            raise ValidationError("status", f"a {stored.value} case cannot be moved to {case.status.value}")
        revise = stored is CaseStatus.DETERMINED and (
            bool(content) or case.status in (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
        )
        reason = " ".join((revision_reason or "").split())
        if revise and len(reason) < 5:
            raise RevisionReasonRequired(
                f"Case {case.reference} is determined (outcome {(row.outcome or 'none').replace('_', ' ')}); "
                "changing it starts a new revision: give the reason for the change (a few words)."
            )
        if revise and case.status is CaseStatus.DETERMINED:
            case = replace(case, status=CaseStatus.IN_REVIEW)
        before_outcome = row.outcome
        self._apply(case, row)
        if revise:
            row.outcome = None
        # Touching the row always bumps its version, even when only children changed.
        row.updated_at = datetime.now(UTC)
        self._session.flush()
        if revise:
            revision = [Change("status", stored.value, case.status.value), Change("outcome", before_outcome, None)]
            self._audit.record("case", case.reference, "revise", [*revision, *content], reason=reason)
        elif changes:
            self._audit.record("case", case.reference, "update", changes)
        return self._load(row)

    def delete(self, reference: str) -> None:
        """Remove the case and its parts (callers log the deletion with the whole case)."""
        self._session.delete(self._row(reference))
        self._session.flush()

    def references(self) -> list[str]:
        return list(self._session.scalars(select(CaseRow.reference).order_by(CaseRow.reference)))

    def _filters(
        self, search: str, statuses: tuple[CaseStatus, ...], outcomes: tuple[str, ...] = ()
    ) -> list[ColumnElement[bool]]:
        filters: list[ColumnElement[bool]] = []
        indexed = bool(search.strip()) and uses_fts(self._session.connection())
        for word in search.casefold().split():
            if indexed and len(word) >= MIN_TRIGRAM_WORD:
                filters.append(fts_word_filter(CaseRow.id, word))
            else:
                filters.append(CaseRow.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
        if statuses:
            filters.append(CaseRow.status.in_([s.value for s in statuses]))
        if outcomes:
            filters.append(CaseRow.outcome.in_(list(outcomes)))
        return filters

    def count(self, search: str = "", statuses: tuple[CaseStatus, ...] = (), outcomes: tuple[str, ...] = ()) -> int:
        query = select(func.count(CaseRow.id)).where(*self._filters(search, statuses, outcomes))
        return int(self._session.scalar(query) or 0)

    def summaries(
        self,
        search: str = "",
        statuses: tuple[CaseStatus, ...] = (),
        *,
        outcomes: tuple[str, ...] = (),
        offset: int = 0,
        limit: int = 100,
        order_by: str = "updated_at",
        descending: bool = True,
    ) -> list[CaseSummary]:
        column = _SORTABLE.get(order_by, CaseRow.updated_at)
        ordering = [column.desc() if descending else column.asc(), CaseRow.id.desc() if descending else CaseRow.id]
        query = (
            select(
                CaseRow.reference,
                CaseRow.title,
                CaseRow.status,
                CaseRow.transaction_date,
                CaseRow.destination,
                CaseRow.party_names,
                CaseRow.item_count,
                CaseRow.outcome,
                CaseRow.updated_at,
            )
            .where(*self._filters(search, statuses, outcomes))
            .order_by(*ordering)
            .offset(offset)
            .limit(limit)
        )
        return [
            CaseSummary(
                reference=r.reference,
                title=r.title,
                status=CaseStatus(r.status),
                transaction_date=r.transaction_date,
                destination=r.destination,
                party_names=r.party_names,
                item_count=r.item_count,
                outcome=r.outcome,
                updated_at=r.updated_at.isoformat(timespec="seconds"),
            )
            for r in self._session.execute(query)
        ]
