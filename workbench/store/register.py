"""Persistence of the counterparty register: parties and ownership stakes, every change audited.

Audit entries use entity ``party`` and the party id as key; a stake is recorded on the owned
party's history (field ``owners[OWNER_ID]``), so a party's history shows who came to own it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import ColumnElement, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from workbench.domain.audit import Change, diff
from workbench.domain.case import ListFlag
from workbench.domain.errors import ConflictError, DuplicateError, NotFoundError
from workbench.domain.ownership import OwnershipGraph, Stake
from workbench.domain.register import (
    Address,
    Identifier,
    IdentifierScheme,
    Kyc,
    KycStatus,
    NameKind,
    OtherName,
    RegisterParty,
    RegisterRepository,
    RegisterSummary,
    normalise_for_search,
)
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.domain.screening import EntryType
from workbench.export.partyfile import party_json
from workbench.store.audit import SqlAuditLog
from workbench.store.orm import AuditHeadRow
from workbench.store.orm_register import OwnershipStakeRow, RegisterIdentifierRow, RegisterPartyRow
from workbench.store.register_screening import status_condition
from workbench.store.register_search import party_match_count, party_word_filter, uses_party_fts
from workbench.store.search import MIN_TRIGRAM_WORD

MAX_GRAPH_STAKES = 20_000
"""Stakes loaded around one party (its owners upwards, what it owns downwards)."""
_CHUNK = 500
SORT_AT_MOST = 2_000
"""Up to this many matches a page is read and sorted; beyond, the name index is walked in order."""


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _value_key(value: str) -> str:
    return "".join(value.split()).casefold()


def apply_party_to_row(party: RegisterParty, row: RegisterPartyRow) -> None:
    row.kind = party.kind.value
    row.name = party.name
    row.name_key = normalise_for_search(party.name)[:500]
    row.country = party.country
    row.headquarters_country = party.headquarters_country
    row.other_names = [{"kind": o.kind.value, "name": o.name} for o in party.other_names]
    row.addresses = [{"lines": list(a.lines), "city": a.city, "country": a.country} for a in party.addresses]
    row.website = party.website
    row.notes = party.notes
    row.kyc_status = party.kyc.status.value
    row.kyc_date = party.kyc.decided_on
    row.kyc_officer = party.kyc.officer
    row.kyc_note = party.kyc.note
    row.listed_on = [flag.value for flag in party.listed_on]
    row.fingerprint = party.fingerprint
    row.search_text = party.search_text
    wanted = [(i.scheme.value, i.label, i.value) for i in party.identifiers]
    if [(x.scheme, x.label, x.value) for x in row.identifiers] != wanted:
        row.identifiers.clear()
        row.identifiers.extend(
            RegisterIdentifierRow(position=n, scheme=s, label=label, value=v, value_key=_value_key(v))
            for n, (s, label, v) in enumerate(wanted)
        )


def _party(row: RegisterPartyRow) -> RegisterParty:
    return RegisterParty(
        id=row.id,
        version=row.version,
        kind=EntryType(row.kind),
        name=row.name,
        country=row.country,
        headquarters_country=row.headquarters_country,
        other_names=tuple(OtherName(NameKind(o["kind"]), o["name"]) for o in row.other_names),
        addresses=tuple(Address(a["country"], tuple(a["lines"]), a["city"]) for a in row.addresses),
        identifiers=tuple(Identifier(IdentifierScheme(i.scheme), i.value, i.label) for i in row.identifiers),
        website=row.website,
        notes=row.notes,
        kyc=Kyc(KycStatus(row.kyc_status), row.kyc_date, row.kyc_officer, row.kyc_note),
        listed_on=tuple(ListFlag(flag) for flag in row.listed_on),
    )


def _stake(row: OwnershipStakeRow) -> Stake:
    return Stake(row.owner_id, row.owned_id, row.percent, row.as_of, row.document_sha256, row.note)


def stake_json(stake: Stake) -> dict[str, Any]:
    return {
        "owner": stake.owner_id,
        "percent": None if stake.percent is None else format(stake.percent, "f"),
        "as_of": stake.as_of.isoformat(),
        "document_sha256": stake.document_sha256,
        "note": stake.note,
    }


def _name_order(sort: bool) -> ColumnElement[str]:
    """Sort by name. With ``sort``, by an expression, so the planner reads the (few) matches and
    sorts them rather than walking the name index and testing every row (900 ms on 100,000
    parties for a rare word); without, it walks the index, which is quick when many match."""
    return (RegisterPartyRow.name_key + "") if sort else RegisterPartyRow.name_key  # type: ignore[return-value]


_BATCH = 1_000


class SqlRegisterRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    # --- parties ----------------------------------------------------------------------------

    def _row(self, party_id: int) -> RegisterPartyRow:
        row = self._session.scalars(
            select(RegisterPartyRow)
            .where(RegisterPartyRow.id == party_id)
            .options(selectinload(RegisterPartyRow.identifiers))
        ).one_or_none()
        if row is None:
            raise NotFoundError(
                f"There is no register party {party_id}.", cli_hint="'party list --search' finds register parties"
            )
        return row

    def _check_identifiers(self, party: RegisterParty) -> None:
        """An LEI identifies one legal entity: a second party with the same LEI is a duplicate."""
        lei = party.lei
        if lei is None:
            return
        query = select(RegisterIdentifierRow.party_id).where(
            RegisterIdentifierRow.scheme == IdentifierScheme.LEI.value,
            RegisterIdentifierRow.value_key == lei.casefold(),
        )
        if party.id is not None:
            query = query.where(RegisterIdentifierRow.party_id != party.id)
        other = self._session.scalar(query.limit(1))
        if other is not None:
            raise DuplicateError(
                f"The LEI {lei} is recorded already for register party {other}; "
                f'use that party ("ref": {other}) instead of adding it again.'
            )

    def add(self, party: RegisterParty) -> RegisterParty:
        self._check_identifiers(party)
        now = datetime.now(UTC)
        row = RegisterPartyRow(created_at=now, updated_at=now)
        apply_party_to_row(party, row)
        self._session.add(row)
        self._session.flush()
        self._audit.record("party", str(row.id), "create", [Change("", None, party_json(party))])
        return replace(party, id=row.id, version=row.version)

    def add_many(self, parties: Sequence[RegisterParty]) -> list[RegisterParty]:
        """Store many new parties (a bulk import): the same rows and audit entries as ``add`` each,
        flushed a thousand at a time and audited in one statement, not four statements a party."""
        stored: list[RegisterParty] = []
        now = datetime.now(UTC)
        for start in range(0, len(parties), _BATCH):
            rows = []
            for party in parties[start : start + _BATCH]:
                self._check_identifiers(party)
                row = RegisterPartyRow(created_at=now, updated_at=now)
                apply_party_to_row(party, row)
                self._session.add(row)
                rows.append((party, row))
            self._session.flush()
            stored.extend(replace(party, id=row.id, version=row.version) for party, row in rows)
        self._audit.record_many(
            [("party", str(p.id), "create", [Change("", None, party_json(p))], "") for p in stored]
        )
        return stored

    def get(self, party_id: int) -> RegisterParty:
        return _party(self._row(party_id))

    def exists(self, party_id: int) -> bool:
        return self._session.scalar(select(RegisterPartyRow.id).where(RegisterPartyRow.id == party_id)) is not None

    def save(self, party: RegisterParty) -> RegisterParty:
        if party.id is None:
            raise NotFoundError("This party has not been stored yet; add it to the register first.")
        row = self._row(party.id)
        if row.version != party.version:
            raise ConflictError(
                f"Register party {party.id} ({row.name}) was changed by someone else since you opened it "
                f"(your copy is version {party.version}, the database has version {row.version}); "
                "reload the party and apply your changes again."
            )
        self._check_identifiers(party)
        changes = diff(party_json(_party(row)), party_json(party))
        if not changes:
            return _party(row)
        apply_party_to_row(party, row)
        row.updated_at = datetime.now(UTC)
        self._session.flush()
        self._audit.record("party", str(party.id), "update", changes)
        return _party(row)

    def names(self, party_ids: Iterable[int]) -> dict[int, str]:
        ids = sorted(set(party_ids))
        out: dict[int, str] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = ids[start : start + _CHUNK]
            rows = self._session.execute(
                select(RegisterPartyRow.id, RegisterPartyRow.name).where(RegisterPartyRow.id.in_(chunk))
            )
            out.update((row.id, row.name) for row in rows)
        return out

    def declared_listings(self, party_ids: Iterable[int]) -> dict[int, tuple[ListFlag, ...]]:
        """The lists each of ``party_ids`` is declared to be on (parties on none are left out)."""
        ids = sorted(set(party_ids))
        out: dict[int, tuple[ListFlag, ...]] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = self._session.execute(
                select(RegisterPartyRow.id, RegisterPartyRow.listed_on).where(
                    RegisterPartyRow.id.in_(ids[start : start + _CHUNK])
                )
            )
            out.update((row.id, tuple(ListFlag(f) for f in row.listed_on)) for row in rows if row.listed_on)
        return out

    def _filters(
        self,
        search: str,
        kyc: tuple[KycStatus, ...],
        countries: tuple[str, ...],
        status: PartyScreeningStatus | None = None,
        *,
        walk: bool = False,
    ) -> list[ColumnElement[bool]]:
        """The conditions of a search; with ``walk`` the word filter tests ids as the name index is
        walked (SQLite's planner would otherwise look every match up by id and sort them all)."""
        filters: list[ColumnElement[bool]] = []
        indexed = bool(search.strip()) and uses_party_fts(self._session.connection())
        id_column: Any = (RegisterPartyRow.id + 0) if walk else RegisterPartyRow.id
        words = normalise_for_search(search).split()
        long_words = [w for w in words if indexed and len(w) >= MIN_TRIGRAM_WORD]
        if long_words:  # one index query for all of them: its matches, not each word's, are read
            filters.append(party_word_filter(id_column, *long_words))
        for word in words:
            if word not in long_words:
                filters.append(RegisterPartyRow.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
        if kyc:
            filters.append(RegisterPartyRow.kyc_status.in_([k.value for k in kyc]))
        if countries:
            filters.append(RegisterPartyRow.country.in_(list(countries)))
        if status is not None:
            filters.append(status_condition(status))
        return filters

    def count(
        self,
        search: str = "",
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
    ) -> int:
        query = select(func.count(RegisterPartyRow.id)).where(*self._filters(search, kyc, countries, status))
        return int(self._session.scalar(query) or 0)

    def summaries(
        self,
        search: str = "",
        *,
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[RegisterSummary]:
        return self.page(search, kyc=kyc, countries=countries, status=status, offset=offset, limit=limit)[1]

    def page(
        self,
        search: str = "",
        *,
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[int, list[RegisterSummary]]:
        """(how many match, one page of them sorted by name).

        The count comes first, and cheaply: for words the trigram index answers alone, from the
        index itself. It decides the page's plan: many matches are found by walking the name
        index in order until the page is full (a few hundred rows read); few are read and
        sorted. Sorting many (the old plan) read every match's row: 150-200 ms for a common
        word over 100,000 parties.
        """
        words = normalise_for_search(search).split()
        filtered = bool(words) or bool(kyc) or bool(countries) or status is not None
        total = self._fast_count(words) if words and not (kyc or countries or status) else None
        if total is None:
            total = self.count(search, kyc, countries, status)
        columns: list[Any] = [
            RegisterPartyRow.id,
            RegisterPartyRow.name,
            RegisterPartyRow.kind,
            RegisterPartyRow.country,
            RegisterPartyRow.kyc_status,
            RegisterPartyRow.other_names,
            RegisterPartyRow.updated_at,
        ]
        if total == 0 or offset >= total:
            return total, []
        walk = not filtered or total > SORT_AT_MOST
        query = (
            select(RegisterPartyRow.id)
            .where(*self._filters(search, kyc, countries, status, walk=walk))
            .order_by(_name_order(not walk), RegisterPartyRow.id)
            .offset(offset)
            .limit(limit)
        )
        ids = list(self._session.scalars(query))
        rows = {r.id: r for r in self._session.execute(select(*columns).where(RegisterPartyRow.id.in_(ids)))}
        return total, [
            RegisterSummary(
                id=r.id,
                name=r.name,
                kind=EntryType(r.kind),
                country=r.country,
                kyc_status=KycStatus(r.kyc_status),
                other_names=len(r.other_names),
                updated_at=r.updated_at.isoformat(timespec="seconds"),
            )
            for r in (rows[i] for i in ids if i in rows)
        ]

    def _fast_count(self, words: list[str]) -> int | None:
        """How many parties contain every word, from the trigram index alone (None: it cannot tell)."""
        connection = self._session.connection()
        if any(len(w) < MIN_TRIGRAM_WORD for w in words) or not uses_party_fts(connection):
            return None
        return party_match_count(connection, words)

    def find_by_identifier(self, identifier: Identifier) -> list[int]:
        query = select(RegisterIdentifierRow.party_id).where(
            RegisterIdentifierRow.scheme == identifier.scheme.value,
            RegisterIdentifierRow.value_key == _value_key(identifier.value),
        )
        if identifier.scheme is IdentifierScheme.OTHER:
            query = query.where(func.lower(RegisterIdentifierRow.label) == identifier.label.casefold())
        return sorted(set(self._session.scalars(query)))

    def find_by_name(self, name: str, country: str) -> list[int]:
        """Parties whose normalised name (or other name) and country agree with ``name`` and ``country``.

        The candidates come from indexes (the name, and the trigram index over every name), never
        from a scan, so matching each row of a large import stays fast.
        """
        key = normalise_for_search(name)
        if not key:
            return []
        candidates: list[ColumnElement[bool]] = [RegisterPartyRow.name_key == key[:500]]
        connection = self._session.connection()
        if len(key) >= MIN_TRIGRAM_WORD and uses_party_fts(connection):
            candidates.append(party_word_filter(RegisterPartyRow.id, key))
        elif connection.dialect.name == "postgresql":
            candidates.append(RegisterPartyRow.search_text.contains(key, autoescape=True))
        query = select(RegisterPartyRow.id).where(RegisterPartyRow.country == country, or_(*candidates))
        matches = []
        for party_id in self._session.scalars(query.order_by(RegisterPartyRow.id)):
            party = self.get(party_id)
            if key in {normalise_for_search(n) for n in party.names}:
                matches.append(party_id)
        return matches

    # --- ownership --------------------------------------------------------------------------

    def _stakes_where(self, column: Any, ids: set[int]) -> list[Stake]:
        out: list[Stake] = []
        ordered = sorted(ids)
        for start in range(0, len(ordered), _CHUNK):
            rows = self._session.scalars(select(OwnershipStakeRow).where(column.in_(ordered[start : start + _CHUNK])))
            out.extend(_stake(r) for r in rows)
        return out

    def _walk(self, party_id: int, *, up: bool, budget: int) -> list[Stake]:
        column = OwnershipStakeRow.owned_id if up else OwnershipStakeRow.owner_id
        seen = {party_id}
        frontier = {party_id}
        found: list[Stake] = []
        while frontier and len(found) <= budget:
            stakes = self._stakes_where(column, frontier)
            found.extend(stakes)
            nxt = {s.owner_id if up else s.owned_id for s in stakes} - seen
            seen |= nxt
            frontier = nxt
        if len(found) > budget:
            raise ConflictError(
                f"The ownership around register party {party_id} has more than {budget:,} stakes; "
                "it is too large to evaluate in one go."
            )
        return found

    def ownership(self, party_id: int, *, owned: bool = True) -> OwnershipGraph:
        """The stakes above ``party_id`` (its owners, theirs …) and, with ``owned``, below it; with names."""
        stakes = {(s.owner_id, s.owned_id): s for s in self._walk(party_id, up=True, budget=MAX_GRAPH_STAKES)}
        if owned:
            stakes.update(
                {(s.owner_id, s.owned_id): s for s in self._walk(party_id, up=False, budget=MAX_GRAPH_STAKES)}
            )
        ids = {party_id} | {p for pair in stakes for p in pair}
        return OwnershipGraph(tuple(stakes.values()), self.names(ids))

    def record_stake(self, stake: Stake) -> OwnershipGraph:
        """Record (or replace) ``owner``'s stake in ``owned``; refused, naming the circle, if it closes one.

        Returns the graph above the owner, with the owned party's direct stakes and the new one
        (for the over-100 % warning).
        """
        # One stake writer at a time (the audit head row's lock): two stakes recorded at once
        # could otherwise each pass the circle check and close a circle together.
        self._session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq))
        for party_id in (stake.owner_id, stake.owned_id):
            if not self.exists(party_id):
                raise NotFoundError(f"There is no register party {party_id}; record the party before its stakes.")
        # A circle closes only if the owned party is already above the owner; the owned party's
        # direct owners are enough for the over-100 % warning.
        above_owner = self._walk(stake.owner_id, up=True, budget=MAX_GRAPH_STAKES)
        direct = self._stakes_where(OwnershipStakeRow.owned_id, {stake.owned_id})
        stakes = {(s.owner_id, s.owned_id): s for s in (*above_owner, *direct)}
        ids = {stake.owner_id, stake.owned_id} | {p for pair in stakes for p in pair}
        graph = OwnershipGraph(tuple(stakes.values()), self.names(ids)).with_stake(stake)  # refuses a circle
        row = self._session.scalars(
            select(OwnershipStakeRow).where(
                OwnershipStakeRow.owner_id == stake.owner_id, OwnershipStakeRow.owned_id == stake.owned_id
            )
        ).one_or_none()
        before = stake_json(_stake(row)) if row is not None else None
        if row is None:
            row = OwnershipStakeRow(owner_id=stake.owner_id, owned_id=stake.owned_id)
            self._session.add(row)
        row.percent = stake.percent
        row.as_of = stake.as_of
        row.document_sha256 = stake.document_sha256
        row.note = stake.note
        row.recorded_at = datetime.now(UTC)
        row.recorded_by = self._audit.officer
        self._session.flush()
        after = stake_json(stake)
        if before != after:
            self._audit.record(
                "party", str(stake.owned_id), "ownership", [Change(f"owners[{stake.owner_id}]", before, after)]
            )
        return graph

    def remove_stake(self, owner_id: int, owned_id: int, reason: str) -> None:
        row = self._session.scalars(
            select(OwnershipStakeRow).where(
                OwnershipStakeRow.owner_id == owner_id, OwnershipStakeRow.owned_id == owned_id
            )
        ).one_or_none()
        if row is None:
            raise NotFoundError(f"Register party {owner_id} holds no recorded stake in party {owned_id}.")
        before = stake_json(_stake(row))
        self._session.delete(row)
        self._session.flush()
        self._audit.record("party", str(owned_id), "ownership", [Change(f"owners[{owner_id}]", before, None)], reason)


if TYPE_CHECKING:
    _conforms: type[RegisterRepository] = SqlRegisterRepository
