"""Persistence of list versions, list entries, screening hits, dispositions and the allow-list."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from workbench.domain.errors import NotFoundError
from workbench.domain.screening import DispositionDecision, EntryType, ListEntry, ParsedList
from workbench.domain.screening_records import Disposition, ListVersion, ScreeningRun, StoredHit
from workbench.store.orm import (
    AllowListRow,
    CaseRow,
    DispositionRow,
    ListEntryRow,
    ListVersionRow,
    ScreeningHitRow,
    ScreeningRunRow,
)

BATCH = 2000


def _version(row: ListVersionRow) -> ListVersion:
    return ListVersion(
        id=row.id,
        label=row.label,
        source_file=row.source_file,
        sha256=row.sha256,
        format=row.format,
        imported_at=row.imported_at if row.imported_at.tzinfo else row.imported_at.replace(tzinfo=UTC),
        imported_by=row.imported_by,
        publication_date=row.publication_date,
        rows_per_source=dict(row.rows_per_source),
        entry_count=row.entry_count,
        malformed_count=row.malformed_count,
        active=row.active,
    )


def _entry_values(version_id: int, entry: ListEntry) -> dict[str, object]:
    return {
        "version_id": version_id,
        "entry_id": entry.entry_id,
        "source": entry.source,
        "source_code": entry.source_code,
        "entry_type": entry.entry_type.value if entry.entry_type else None,
        "name": entry.name,
        "alt_names": list(entry.alt_names),
        "countries": list(entry.countries),
        "addresses": list(entry.addresses),
        "programs": list(entry.programs),
        "license_requirement": entry.license_requirement,
        "license_policy": entry.license_policy,
        "federal_register_notice": entry.federal_register_notice,
        "remarks": entry.remarks,
        "source_list_url": entry.source_list_url,
        "content_hash": entry.content_hash,
    }


def _entry(row: ListEntryRow) -> ListEntry:
    return ListEntry(
        entry_id=row.entry_id,
        source=row.source,
        source_code=row.source_code,
        name=row.name,
        entry_type=EntryType(row.entry_type) if row.entry_type else None,
        alt_names=tuple(row.alt_names),
        countries=tuple(row.countries),
        addresses=tuple(row.addresses),
        programs=tuple(row.programs),
        license_requirement=row.license_requirement,
        license_policy=row.license_policy,
        federal_register_notice=row.federal_register_notice,
        remarks=row.remarks,
        source_list_url=row.source_list_url,
    )


class SqlListRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def active(self) -> ListVersion | None:
        row = self._session.scalars(select(ListVersionRow).where(ListVersionRow.active.is_(True))).first()
        return _version(row) if row else None

    def get(self, version_id: int) -> ListVersion:
        row = self._session.get(ListVersionRow, version_id)
        if row is None:
            raise NotFoundError(f"There is no list version {version_id}.", cli_hint="see 'lists show'")
        return _version(row)

    def versions(self) -> list[ListVersion]:
        rows = self._session.scalars(select(ListVersionRow).order_by(ListVersionRow.id.desc()))
        return [_version(r) for r in rows]

    def add_version(
        self,
        parsed: ParsedList,
        *,
        label: str,
        source_file: str,
        sha256: str,
        imported_by: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> ListVersion:
        """Store a parsed list as a new version and make it the active one (same transaction)."""
        row = ListVersionRow(
            label=label,
            source_file=source_file,
            sha256=sha256,
            format=parsed.format.value,
            imported_at=datetime.now(UTC),
            imported_by=imported_by,
            publication_date=parsed.publication_date,
            rows_per_source=dict(parsed.rows_per_source),
            entry_count=len(parsed.entries),
            malformed_count=len(parsed.malformed),
            active=False,
        )
        self._session.add(row)
        self._session.flush()
        total = len(parsed.entries)
        for start in range(0, total, BATCH):
            chunk = parsed.entries[start : start + BATCH]
            self._session.execute(insert(ListEntryRow), [_entry_values(row.id, e) for e in chunk])
            if progress:
                progress(min(start + BATCH, total), total)
        self._session.execute(update(ListVersionRow).values(active=False))
        row.active = True
        self._session.flush()
        return _version(row)

    def entries(self, version_id: int) -> list[ListEntry]:
        rows = self._session.scalars(
            select(ListEntryRow).where(ListEntryRow.version_id == version_id).order_by(ListEntryRow.id)
        )
        return [_entry(r) for r in rows]

    def entry(self, version_id: int, source_code: str, entry_id: str) -> ListEntry | None:
        row = self._session.scalars(
            select(ListEntryRow).where(
                ListEntryRow.version_id == version_id,
                ListEntryRow.source_code == source_code,
                ListEntryRow.entry_id == entry_id,
            )
        ).first()
        return _entry(row) if row else None

    def allow_list(self) -> list[str]:
        return list(self._session.scalars(select(AllowListRow.name).order_by(AllowListRow.name)))

    def add_allowed(self, name: str, note: str = "") -> None:
        if name not in self.allow_list():
            self._session.add(AllowListRow(name=name, note=note))
            self._session.flush()

    def remove_allowed(self, name: str) -> None:
        self._session.execute(delete(AllowListRow).where(AllowListRow.name == name))


class SqlScreeningRepository:
    def __init__(self, session: Session) -> None:
        self._session = session

    def _case_id(self, reference: str) -> int:
        case_id = self._session.scalar(select(CaseRow.id).where(CaseRow.reference == reference))
        if case_id is None:
            raise NotFoundError(
                f"There is no case with reference '{reference}'.", cli_hint="check the reference with 'case list'"
            )
        return case_id

    def _dispositions(self, case_id: int) -> dict[tuple[str, str, str, str], Disposition]:
        rows = self._session.scalars(select(DispositionRow).where(DispositionRow.case_id == case_id))
        return {
            (r.party_name, r.source_code, r.entry_id, r.content_hash): Disposition(
                party_name=r.party_name,
                source_code=r.source_code,
                entry_id=r.entry_id,
                content_hash=r.content_hash,
                decision=DispositionDecision(r.decision),
                reason=r.reason,
                officer=r.officer,
                decided_at=r.decided_at,
            )
            for r in rows
        }

    def hits(self, reference: str) -> list[StoredHit]:
        """The case's stored hits with any disposition that still applies (same entry content)."""
        case_id = self._case_id(reference)
        decisions = self._dispositions(case_id)
        rows = self._session.scalars(
            select(ScreeningHitRow)
            .where(ScreeningHitRow.case_id == case_id)
            .order_by(ScreeningHitRow.party_position, ScreeningHitRow.score.desc(), ScreeningHitRow.id)
        )
        return [
            StoredHit(
                party_position=r.party_position,
                party_name=r.party_name,
                list_version_id=r.list_version_id,
                entry_id=r.entry_id,
                source_code=r.source_code,
                content_hash=r.content_hash,
                entry_name=r.entry_name,
                matched_name=r.matched_name,
                score=r.score,
                explanation=dict(r.explanation),
                disposition=decisions.get((r.party_name, r.source_code, r.entry_id, r.content_hash)),
            )
            for r in rows
        ]

    def last_run(self, reference: str) -> ScreeningRun | None:
        row = self._session.get(ScreeningRunRow, self._case_id(reference))
        if row is None:
            return None
        return ScreeningRun(row.list_version_id, row.screened_at, row.officer)

    def replace_hits(self, reference: str, version_id: int, hits: Sequence[StoredHit], officer: str) -> None:
        """Store the result of screening every party of the case (replacing the previous result)."""
        case_id = self._case_id(reference)
        now = datetime.now(UTC)
        self._session.execute(delete(ScreeningHitRow).where(ScreeningHitRow.case_id == case_id))
        for hit in hits:
            self._session.add(
                ScreeningHitRow(
                    case_id=case_id,
                    party_position=hit.party_position,
                    party_name=hit.party_name,
                    list_version_id=version_id,
                    entry_id=hit.entry_id,
                    source_code=hit.source_code,
                    content_hash=hit.content_hash,
                    entry_name=hit.entry_name,
                    matched_name=hit.matched_name,
                    score=hit.score,
                    explanation=hit.explanation,
                    screened_at=now,
                )
            )
        run = self._session.get(ScreeningRunRow, case_id)
        if run is None:
            self._session.add(
                ScreeningRunRow(case_id=case_id, list_version_id=version_id, screened_at=now, officer=officer)
            )
        else:
            run.list_version_id, run.screened_at, run.officer = version_id, now, officer
        self._session.flush()

    def decide(self, reference: str, hit: StoredHit, decision: DispositionDecision, reason: str, officer: str) -> None:
        case_id = self._case_id(reference)
        key = (hit.party_name, hit.source_code, hit.entry_id, hit.content_hash)
        row = self._session.scalars(
            select(DispositionRow).where(
                DispositionRow.case_id == case_id,
                DispositionRow.party_name == key[0],
                DispositionRow.source_code == key[1],
                DispositionRow.entry_id == key[2],
                DispositionRow.content_hash == key[3],
            )
        ).first()
        now = datetime.now(UTC)
        if row is None:
            self._session.add(
                DispositionRow(
                    case_id=case_id,
                    party_name=key[0],
                    source_code=key[1],
                    entry_id=key[2],
                    content_hash=key[3],
                    decision=decision.value,
                    reason=reason,
                    officer=officer,
                    decided_at=now,
                )
            )
        else:
            row.decision, row.reason, row.officer, row.decided_at = decision.value, reason, officer, now
        self._session.flush()

    def screened_among(self, references: Sequence[str]) -> set[str]:
        """Which of ``references`` have been screened at least once (a screening run is stored)."""
        if not references:
            return set()
        query = (
            select(CaseRow.reference)
            .join(ScreeningRunRow, ScreeningRunRow.case_id == CaseRow.id)
            .where(CaseRow.reference.in_(list(references)))
        )
        return set(self._session.scalars(query))

    def screened_references(self, statuses: Iterable[str]) -> list[str]:
        return list(
            self._session.scalars(
                select(CaseRow.reference).where(CaseRow.status.in_(list(statuses))).order_by(CaseRow.reference)
            )
        )
