"""Persistence of party-level screening: each register party's latest hits and its decisions.

``status_condition`` expresses a party's screening status in SQL, so the register list can
filter 100,000 parties by it without loading their hits.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import ColumnElement, and_, delete, exists, func, not_, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from workbench.domain.register_screening import PartyDisposition, PartyHit, PartyScreeningStatus, applying
from workbench.domain.screening import DispositionDecision
from workbench.store.orm_register import (
    PartyDispositionRow,
    PartyScreeningHitRow,
    PartyScreeningRunRow,
    RegisterPartyRow,
)
from workbench.store.register_watch import RegisterWatchQueries


def _applies(
    hit: type[PartyScreeningHitRow], fingerprint: ColumnElement[str] | InstrumentedAttribute[str]
) -> ColumnElement[bool]:
    return (
        exists()
        .where(
            PartyDispositionRow.party_id == hit.party_id,
            PartyDispositionRow.source_code == hit.source_code,
            PartyDispositionRow.entry_id == hit.entry_id,
            PartyDispositionRow.content_hash == hit.content_hash,
            PartyDispositionRow.party_fingerprint == fingerprint,
        )
        .correlate_except(PartyDispositionRow)
    )


def _unresolved_hit() -> ColumnElement[bool]:
    h = PartyScreeningHitRow
    return exists().where(h.party_id == RegisterPartyRow.id, not_(_applies(h, RegisterPartyRow.fingerprint)))


def _true_match() -> ColumnElement[bool]:
    h = PartyScreeningHitRow
    return exists().where(
        h.party_id == RegisterPartyRow.id,
        exists()
        .where(
            PartyDispositionRow.party_id == h.party_id,
            PartyDispositionRow.source_code == h.source_code,
            PartyDispositionRow.entry_id == h.entry_id,
            PartyDispositionRow.content_hash == h.content_hash,
            PartyDispositionRow.party_fingerprint == RegisterPartyRow.fingerprint,
            PartyDispositionRow.decision == DispositionDecision.TRUE_MATCH.value,
        )
        .correlate_except(PartyDispositionRow),
    )


def status_condition(status: PartyScreeningStatus) -> ColumnElement[bool]:
    """Register parties whose screening status is ``status`` (for ``RegisterPartyRow`` queries)."""
    screened = exists().where(PartyScreeningRunRow.party_id == RegisterPartyRow.id)
    if status is PartyScreeningStatus.NOT_SCREENED:
        return not_(screened)
    if status is PartyScreeningStatus.UNRESOLVED:
        return _unresolved_hit()
    settled = and_(screened, not_(_unresolved_hit()))
    if status is PartyScreeningStatus.CONFIRMED:
        return and_(settled, _true_match())
    return and_(settled, not_(_true_match()))


def _disposition(row: PartyDispositionRow) -> PartyDisposition:
    return PartyDisposition(
        party_id=row.party_id,
        source_code=row.source_code,
        entry_id=row.entry_id,
        content_hash=row.content_hash,
        party_fingerprint=row.party_fingerprint,
        decision=DispositionDecision(row.decision),
        reason=row.reason,
        officer=row.officer,
        decided_at=row.decided_at if row.decided_at.tzinfo else row.decided_at.replace(tzinfo=UTC),
    )


def _hit(row: PartyScreeningHitRow) -> PartyHit:
    return PartyHit(
        party_id=row.party_id,
        list_version_id=row.list_version_id,
        entry_id=row.entry_id,
        source_code=row.source_code,
        content_hash=row.content_hash,
        entry_name=row.entry_name,
        matched_name=row.matched_name,
        score=row.score,
        party_fingerprint=row.party_fingerprint,
        explanation=dict(row.explanation),
        first_seen=row.screened_at if row.screened_at.tzinfo else row.screened_at.replace(tzinfo=UTC),
    )


class SqlPartyScreeningRepository(RegisterWatchQueries):
    def __init__(self, session: Session) -> None:
        self._session = session

    def _decisions(self, party_id: int) -> list[PartyDisposition]:
        rows = self._session.scalars(select(PartyDispositionRow).where(PartyDispositionRow.party_id == party_id))
        return [_disposition(r) for r in rows]

    def decisions(self, party_id: int) -> list[PartyDisposition]:
        """Every decision recorded on the party's hits (``applying`` says which still apply)."""
        return self._decisions(party_id)

    def hits(self, party_id: int, fingerprint: str) -> list[PartyHit]:
        decisions = self._decisions(party_id)
        rows = self._session.scalars(
            select(PartyScreeningHitRow)
            .where(PartyScreeningHitRow.party_id == party_id)
            .order_by(PartyScreeningHitRow.score.desc(), PartyScreeningHitRow.id)
        )
        return [applying(_hit(r), decisions, fingerprint) for r in rows]

    def screened(self, party_id: int) -> bool:
        found = self._session.scalar(
            select(PartyScreeningRunRow.party_id).where(PartyScreeningRunRow.party_id == party_id)
        )
        return found is not None

    def replace_hits(
        self, party_id: int, version_id: int, fingerprint: str, hits: list[PartyHit], officer: str
    ) -> None:
        now = datetime.now(UTC)
        # A hit found again keeps the time it was first seen: the inbox's age is how long it has waited.
        first_seen = {
            (r.source_code, r.entry_id, r.content_hash): r.screened_at
            for r in self._session.execute(
                select(
                    PartyScreeningHitRow.source_code,
                    PartyScreeningHitRow.entry_id,
                    PartyScreeningHitRow.content_hash,
                    PartyScreeningHitRow.screened_at,
                ).where(PartyScreeningHitRow.party_id == party_id)
            )
        }
        self._session.execute(delete(PartyScreeningHitRow).where(PartyScreeningHitRow.party_id == party_id))
        self._session.add_all(
            PartyScreeningHitRow(
                party_id=party_id,
                list_version_id=version_id,
                entry_id=h.entry_id,
                source_code=h.source_code,
                content_hash=h.content_hash,
                entry_name=h.entry_name,
                matched_name=h.matched_name,
                score=h.score,
                party_fingerprint=fingerprint,
                explanation=h.explanation,
                screened_at=first_seen.get(h.key, now),
            )
            for h in hits
        )
        run = self._session.get(PartyScreeningRunRow, party_id)
        if run is None:
            run = PartyScreeningRunRow(party_id=party_id)
            self._session.add(run)
        run.list_version_id = version_id
        run.party_fingerprint = fingerprint
        run.screened_at = now
        run.officer = officer
        self._session.flush()

    def decide(self, hit: PartyHit, fingerprint: str, decision: DispositionDecision, reason: str, officer: str) -> None:
        """Insert the decision; a unique key makes a second decision on the same facts a conflict."""
        self._session.add(
            PartyDispositionRow(
                party_id=hit.party_id,
                source_code=hit.source_code,
                entry_id=hit.entry_id,
                content_hash=hit.content_hash,
                party_fingerprint=fingerprint,
                decision=decision.value,
                reason=reason,
                officer=officer,
                decided_at=datetime.now(UTC),
            )
        )
        self._session.flush()

    def unresolved(
        self,
        limit: int = 200,
        *,
        sources: tuple[str, ...] = (),
        countries: tuple[str, ...] = (),
        older_than_days: int | None = None,
        newer_than_days: int | None = None,
        offset: int = 0,
    ) -> list[PartyHit]:
        """Open hits, highest score first, filtered by list (source code), party country and age in days."""
        h = PartyScreeningHitRow
        query = (
            select(h, RegisterPartyRow.fingerprint)
            .join(RegisterPartyRow, RegisterPartyRow.id == h.party_id)
            .where(
                not_(_applies(h, RegisterPartyRow.fingerprint)),
                *self._inbox_filters(sources, countries, older_than_days, newer_than_days),
            )
            .order_by(h.score.desc(), h.party_id, h.id)
            .offset(offset)
            .limit(limit)
        )
        out = []
        for row, fingerprint in self._session.execute(query):
            out.append(applying(_hit(row), self._decisions(row.party_id), fingerprint))
        return out

    def unresolved_count(
        self,
        *,
        sources: tuple[str, ...] = (),
        countries: tuple[str, ...] = (),
        older_than_days: int | None = None,
        newer_than_days: int | None = None,
    ) -> int:
        h = PartyScreeningHitRow
        query = (
            select(func.count(h.id))
            .join(RegisterPartyRow, RegisterPartyRow.id == h.party_id)
            .where(
                not_(_applies(h, RegisterPartyRow.fingerprint)),
                *self._inbox_filters(sources, countries, older_than_days, newer_than_days),
            )
        )
        return int(self._session.scalar(query) or 0)

    def unresolved_sources(self) -> list[str]:
        """The lists open hits are on (the inbox's list filter offers these)."""
        h = PartyScreeningHitRow
        query = (
            select(h.source_code)
            .join(RegisterPartyRow, RegisterPartyRow.id == h.party_id)
            .where(not_(_applies(h, RegisterPartyRow.fingerprint)))
            .distinct()
        )
        return sorted(self._session.scalars(query))

    @staticmethod
    def _inbox_filters(
        sources: tuple[str, ...], countries: tuple[str, ...], older: int | None, newer: int | None
    ) -> list[ColumnElement[bool]]:
        h = PartyScreeningHitRow
        now = datetime.now(UTC)
        filters: list[ColumnElement[bool]] = []
        if sources:
            filters.append(h.source_code.in_(list(sources)))
        if countries:
            filters.append(RegisterPartyRow.country.in_(list(countries)))
        if older is not None:
            filters.append(h.screened_at <= now - timedelta(days=older))
        if newer is not None:
            filters.append(h.screened_at >= now - timedelta(days=newer))
        return filters
