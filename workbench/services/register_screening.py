"""Screening register parties: every name and address of the party against the active list, decisions that
belong to the party, and the screening inbox across the register.

The matcher is reached only through ``services.screening`` (its cached screener and the
allow-list). A decision is pinned to the entry's content hash and the party's screened-data
fingerprint, so it applies in every case the party appears in until one of them changes.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from weakref import WeakKeyDictionary

from workbench.domain.audit import Change
from workbench.domain.case import ListFlag
from workbench.domain.countries import country_code
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import PartyHit, PartyScreeningStatus, status_of
from workbench.domain.screening import DispositionDecision, ListEntry, list_flag
from workbench.domain.screening_records import ListVersion
from workbench.screening.address import AddressIndex
from workbench.screening.matcher import Screener
from workbench.screening.party import screen_register_party, screen_register_party_entries
from workbench.services.bootstrap import Workbench
from workbench.services.screening import allow_list, screener

Progress = Callable[[int, int], None]
MAX_INBOX = 1_000
MAX_AGE_DAYS = 36_500

_address_indexes: WeakKeyDictionary[Screener, AddressIndex] = WeakKeyDictionary()
_address_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class PartyScreening:
    party: RegisterParty
    version: ListVersion
    hits: tuple[PartyHit, ...]
    new: tuple[PartyHit, ...]
    gone: tuple[PartyHit, ...]

    @property
    def status(self) -> PartyScreeningStatus:
        return status_of(list(self.hits), screened=True)


def address_index(built: Screener) -> AddressIndex:
    """The address index of a built list version, made once per screener (a tenth of a second)."""
    with _address_lock:
        found = _address_indexes.get(built)
        if found is None:
            found = _address_indexes[built] = AddressIndex(built.entries)
    return found


def party_hits_with_entries(
    built: Screener, party: RegisterParty, version_id: int, allowed: list[str], threshold: float
) -> list[tuple[PartyHit, ListEntry]]:
    """The party's hits (names and addresses, as ``screen_party`` finds them), each with the entry it hit."""
    return screen_register_party_entries(built, address_index(built), party, version_id, allowed, threshold)


def screen_party(wb: Workbench, party_id: int) -> PartyScreening:
    """Screen every name of the party (with its country and kind), store the hits, audit what changed."""
    version, built = screener(wb)
    allowed = allow_list(wb)
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        before = uow.party_screening.hits(party_id, party.fingerprint)
        hits = screen_register_party(built, address_index(built), party, version.id, allowed, wb.screening_threshold)
        uow.party_screening.replace_hits(party_id, version.id, party.fingerprint, hits, wb.officer)
        stored = uow.party_screening.hits(party_id, party.fingerprint)
        old = {h.key for h in before}
        now = {h.key for h in stored}
        new = tuple(h for h in stored if h.key not in old)
        gone = tuple(h for h in before if h.key not in now)
        uow.audit.record(
            "party",
            str(party_id),
            "screen",
            [
                Change("list_version", None, version.label),
                Change("threshold", None, f"{wb.screening_threshold:.2f}"),
                Change("fingerprint", None, party.fingerprint),
                *(Change("hit", None, f"{h.source_code} {h.entry_id} {h.entry_name}") for h in new),
                *(Change("hit", f"{h.source_code} {h.entry_id} {h.entry_name}", None) for h in gone),
            ],
        )
        uow.commit()
    return PartyScreening(party, version, tuple(stored), new, gone)


def party_hits(wb: Workbench, party_id: int) -> tuple[RegisterParty, list[PartyHit], PartyScreeningStatus]:
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        hits = uow.party_screening.hits(party_id, party.fingerprint)
        screened = uow.party_screening.screened(party_id)
    return party, hits, status_of(hits, screened)


def decide(wb: Workbench, party_id: int, entry_id: str, decision: DispositionDecision, reason: str) -> PartyHit:
    """Record a true-match or false-positive decision on the party's hit on ``entry_id``.

    It holds in every case the party appears in until the entry or the party's screened data
    changes; two officers deciding the same hit at once: the second gets a conflict.
    """
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError("reason", "explain the decision in a few words, so an auditor can follow it")
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        hits = [h for h in uow.party_screening.hits(party_id, party.fingerprint) if h.entry_id == entry_id.strip()]
        if not hits:
            raise NotFoundError(
                f"Register party {party_id} has no screening hit on entry {entry_id}; screen the party again.",
                cli_hint=f"'party screen {party_id}' shows its hits",
            )
        hit = hits[0]
        if hit.party_fingerprint != party.fingerprint:
            raise ValidationError(
                "party",
                f"register party {party_id} was edited since it was screened; screen it again "
                "and decide on the new result",
            )
        if hit.resolved:
            assert hit.disposition is not None
            raise ValidationError(
                "entry",
                f"the hit on {hit.source_code} {entry_id} is decided already ({hit.disposition.decision.value} by "
                f"{hit.disposition.officer}); it reopens by itself if the entry or the party changes",
            )
        chosen = DispositionDecision(decision)
        uow.party_screening.decide(hit, party.fingerprint, chosen, reason, wb.officer)
        uow.audit.record(
            "party",
            str(party_id),
            "disposition",
            [Change(f"{hit.source_code} {hit.entry_id}", None, chosen.value)],
            reason=reason,
        )
        uow.commit()
        [decided] = [h for h in uow.party_screening.hits(party_id, party.fingerprint) if h.key == hit.key]
    return decided


@dataclass(frozen=True, slots=True)
class InboxFilter:
    """The inbox's filters: lists (source codes), party countries, and the hit's age in days."""

    sources: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    older_than_days: int | None = None
    newer_than_days: int | None = None

    def __post_init__(self) -> None:
        for name in ("older_than_days", "newer_than_days"):
            value = getattr(self, name)
            if value is not None and not 0 <= value <= MAX_AGE_DAYS:
                raise ValidationError(name, f"must be a number of days between 0 and {MAX_AGE_DAYS:,} (got {value})")
        object.__setattr__(self, "sources", tuple(s.strip().upper() for s in self.sources if s.strip()))
        object.__setattr__(self, "countries", tuple(country_code(c, "country") for c in self.countries))

    def query(self) -> dict[str, Any]:
        return {
            "sources": self.sources,
            "countries": self.countries,
            "older_than_days": self.older_than_days,
            "newer_than_days": self.newer_than_days,
        }


@dataclass(frozen=True, slots=True)
class InboxRow:
    hit: PartyHit
    party_name: str
    party_country: str


def inbox_page(
    wb: Workbench, where: InboxFilter | None = None, *, offset: int = 0, limit: int = 200
) -> tuple[int, list[InboxRow]]:
    """(how many unresolved hits match, one page of them), highest score first: an officer's queue."""
    if not 1 <= limit <= MAX_INBOX:
        raise ValidationError("limit", f"must be between 1 and {MAX_INBOX:,} (got {limit})")
    if offset < 0:
        raise ValidationError("offset", f"must be 0 or more (got {offset})")
    where = where or InboxFilter()
    with wb.uow() as uow:
        total = uow.party_screening.unresolved_count(**where.query())
        hits = uow.party_screening.unresolved(limit, offset=offset, **where.query())
        ids = {h.party_id for h in hits}
        names = uow.register.names(ids)
        countries = {pid: uow.register.get(pid).country for pid in ids}
    return total, [InboxRow(h, names.get(h.party_id, ""), countries.get(h.party_id, "")) for h in hits]


def inbox(wb: Workbench, limit: int = 200, where: InboxFilter | None = None) -> list[tuple[PartyHit, str]]:
    """Every unresolved hit across the register, highest score first, with the party's name."""
    return [(row.hit, row.party_name) for row in inbox_page(wb, where, limit=limit)[1]]


def inbox_lists(wb: Workbench) -> list[str]:
    """The lists (source codes) that unresolved hits are on: the inbox's list filter."""
    with wb.uow() as uow:
        return uow.party_screening.unresolved_sources()


def confirmed_listings(wb: Workbench, party_ids: set[int]) -> dict[int, tuple[ListFlag, ...]]:
    """The lists each party is confirmed on by a true-match decision that still applies."""
    out: dict[int, tuple[ListFlag, ...]] = {}
    with wb.uow() as uow:
        for party_id in sorted(party_ids):
            party = uow.register.get(party_id)
            flags = {
                flag
                for h in uow.party_screening.hits(party_id, party.fingerprint)
                if h.is_true_match and (flag := list_flag(h.source_code)) is not None
            }
            if flags:
                out[party_id] = tuple(sorted(flags))
    return out
