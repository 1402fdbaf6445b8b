"""Bulk queries of the register rescreen: parties in id order with their last screening, the
entry keys of a list version, many parties' hits at once, and the cases a party appears in.

A rescreen walks 50,000 parties in chunks; each chunk is a handful of queries, never one per
party. Parties are read without their identifiers (screening does not read them).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from workbench.domain.case import ListFlag
from workbench.domain.register import Address, NameKind, OtherName, RegisterParty
from workbench.domain.register_screening import CaseLink, EntryKey, PartyHit, PartyScreeningStatus, Subject
from workbench.domain.screening import EntryType, ListEntry
from workbench.store.orm import CaseRow, ListEntryRow, PartyRow
from workbench.store.orm_register import PartyScreeningHitRow, PartyScreeningRunRow, RegisterPartyRow
from workbench.store.screening import _entry

_CHUNK = 500


def hit_row_values(party_id: int, fingerprint: str, hit: PartyHit, now: datetime) -> dict[str, object]:
    return {
        "party_id": party_id,
        "list_version_id": hit.list_version_id,
        "entry_id": hit.entry_id,
        "source_code": hit.source_code,
        "content_hash": hit.content_hash,
        "entry_name": hit.entry_name,
        "matched_name": hit.matched_name,
        "score": hit.score,
        "party_fingerprint": fingerprint,
        "explanation": hit.explanation,
        "screened_at": now,
    }


class RegisterWatchQueries:
    """Mixed into the party-screening repository (``uow.party_screening``)."""

    _session: Session

    def party_count(self) -> int:
        from sqlalchemy import func

        return int(self._session.scalar(select(func.count(RegisterPartyRow.id))) or 0)

    def subjects(self, after_id: int, limit: int) -> list[Subject]:
        """Up to ``limit`` parties with an id above ``after_id``, in id order."""
        run = PartyScreeningRunRow
        rows = self._session.execute(
            select(
                RegisterPartyRow.id,
                RegisterPartyRow.kind,
                RegisterPartyRow.name,
                RegisterPartyRow.country,
                RegisterPartyRow.other_names,
                RegisterPartyRow.addresses,
                RegisterPartyRow.listed_on,
                run.list_version_id,
                run.party_fingerprint,
            )
            .outerjoin(run, run.party_id == RegisterPartyRow.id)
            .where(RegisterPartyRow.id > after_id)
            .order_by(RegisterPartyRow.id)
            .limit(limit)
        )
        return [
            Subject(
                RegisterParty(
                    id=r.id,
                    kind=EntryType(r.kind),
                    name=r.name,
                    country=r.country,
                    other_names=tuple(OtherName(NameKind(o["kind"]), o["name"]) for o in r.other_names),
                    addresses=tuple(Address(a["country"], tuple(a["lines"]), a["city"]) for a in r.addresses),
                    listed_on=tuple(ListFlag(f) for f in r.listed_on),
                ),
                r.list_version_id,
                r.party_fingerprint,
            )
            for r in rows
        ]

    def statuses(self, party_ids: Sequence[int]) -> dict[int, PartyScreeningStatus]:
        """The screening status of each party, in three queries (a page of the Parties view)."""
        from workbench.store.register_screening import status_condition

        ids = list(party_ids)[:_CHUNK]
        if not ids:
            return {}

        def having(status: PartyScreeningStatus) -> set[int]:
            query = select(RegisterPartyRow.id).where(RegisterPartyRow.id.in_(ids), status_condition(status))
            return set(self._session.scalars(query))

        unscreened, unresolved, confirmed = (
            having(PartyScreeningStatus.NOT_SCREENED),
            having(PartyScreeningStatus.UNRESOLVED),
            having(PartyScreeningStatus.CONFIRMED),
        )
        out = {}
        for party_id in ids:
            if party_id in unscreened:
                out[party_id] = PartyScreeningStatus.NOT_SCREENED
            elif party_id in unresolved:
                out[party_id] = PartyScreeningStatus.UNRESOLVED
            elif party_id in confirmed:
                out[party_id] = PartyScreeningStatus.CONFIRMED
            else:
                out[party_id] = PartyScreeningStatus.CLEAR
        return out

    def run_versions(self) -> list[int]:
        """The list versions register parties were last screened against."""
        return sorted(self._session.scalars(select(PartyScreeningRunRow.list_version_id).distinct()))

    def entry_keys(self, version_id: int) -> dict[EntryKey, str]:
        """Every entry of a list version: (source code, entry id) -> content hash."""
        rows = self._session.execute(
            select(ListEntryRow.source_code, ListEntryRow.entry_id, ListEntryRow.content_hash).where(
                ListEntryRow.version_id == version_id
            )
        )
        return {(r.source_code, r.entry_id): r.content_hash for r in rows}

    def entries_by_key(self, version_id: int, keys: Iterable[EntryKey]) -> list[ListEntry]:
        wanted = set(keys)
        ids = sorted({entry_id for _source, entry_id in wanted})
        out: list[ListEntry] = []
        for start in range(0, len(ids), _CHUNK):
            rows = self._session.scalars(
                select(ListEntryRow)
                .where(ListEntryRow.version_id == version_id, ListEntryRow.entry_id.in_(ids[start : start + _CHUNK]))
                .order_by(ListEntryRow.id)
            )
            out.extend(_entry(r) for r in rows if (r.source_code, r.entry_id) in wanted)
        return out

    def stored_hits(self, party_ids: Sequence[int]) -> dict[int, list[PartyHit]]:
        """The stored hits of each party (decisions not applied: for comparing screenings)."""
        from workbench.store.register_screening import _hit

        out: dict[int, list[PartyHit]] = defaultdict(list)
        for start in range(0, len(party_ids), _CHUNK):
            rows = self._session.scalars(
                select(PartyScreeningHitRow)
                .where(PartyScreeningHitRow.party_id.in_(party_ids[start : start + _CHUNK]))
                .order_by(PartyScreeningHitRow.party_id, PartyScreeningHitRow.score.desc(), PartyScreeningHitRow.id)
            )
            for row in rows:
                out[row.party_id].append(_hit(row))
        return dict(out)

    def apply_delta(
        self, party_id: int, fingerprint: str, drop: Iterable[tuple[str, str, str]], add: Sequence[PartyHit]
    ) -> None:
        """Remove the hits keyed in ``drop`` and add ``add``; the rest of the party's hits stay as stored."""
        now = datetime.now(UTC)
        for source, entry_id, content_hash in drop:
            self._session.execute(
                delete(PartyScreeningHitRow).where(
                    PartyScreeningHitRow.party_id == party_id,
                    PartyScreeningHitRow.source_code == source,
                    PartyScreeningHitRow.entry_id == entry_id,
                    PartyScreeningHitRow.content_hash == content_hash,
                )
            )
        if add:
            self._session.execute(
                insert(PartyScreeningHitRow), [hit_row_values(party_id, fingerprint, h, now) for h in add]
            )

    def mark_screened(self, party_ids: Sequence[int], version_id: int, officer: str) -> None:
        """Record that these parties (screened before, same data) are now screened against ``version_id``."""
        now = datetime.now(UTC)
        for start in range(0, len(party_ids), _CHUNK):
            self._session.execute(
                update(PartyScreeningRunRow)
                .where(PartyScreeningRunRow.party_id.in_(party_ids[start : start + _CHUNK]))
                .values(list_version_id=version_id, screened_at=now, officer=officer)
            )

    def cases_of(self, party_ids: Iterable[int]) -> list[CaseLink]:
        """Every case with a party that references one of ``party_ids``."""
        ids = sorted(set(party_ids))
        out: list[CaseLink] = []
        for start in range(0, len(ids), _CHUNK):
            rows = self._session.execute(
                select(PartyRow.register_id, CaseRow.reference, CaseRow.status, CaseRow.title)
                .join(CaseRow, CaseRow.id == PartyRow.case_id)
                .where(PartyRow.register_id.in_(ids[start : start + _CHUNK]))
                .order_by(CaseRow.reference)
                .distinct()
            )
            out.extend(CaseLink(int(r.register_id), r.reference, r.status, r.title) for r in rows)
        return out
