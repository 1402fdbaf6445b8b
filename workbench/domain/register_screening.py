"""Screening at party level: a register party's hits and the decisions that belong to the party.

A decision is pinned to the list entry's content hash *and* to the party's screened-data
fingerprint (names, addresses, country): it applies while both are what they were when the
officer decided, and reopens, saying why, as soon as either changes.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Protocol

from workbench.domain.screening import DispositionDecision, ListEntry

if TYPE_CHECKING:
    from workbench.domain.register import RegisterParty

EntryKey = tuple[str, str]
"""(source code, entry id) of a list entry."""


class PartyScreeningStatus(StrEnum):
    NOT_SCREENED = "not_screened"
    CLEAR = "clear"
    """Screened; no hit, or every hit decided a false positive."""
    UNRESOLVED = "unresolved"
    """At least one hit without a decision that still applies."""
    CONFIRMED = "confirmed"
    """At least one hit decided a true match, and nothing unresolved."""


@dataclass(frozen=True, slots=True)
class PartyDisposition:
    party_id: int
    source_code: str
    entry_id: str
    content_hash: str
    party_fingerprint: str
    decision: DispositionDecision
    reason: str
    officer: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class PartyHit:
    """One hit of a register party's latest screening, with the decision that applies to it (if any)."""

    party_id: int
    list_version_id: int
    entry_id: str
    source_code: str
    content_hash: str
    entry_name: str
    matched_name: str
    score: float
    party_fingerprint: str
    """The party's screened-data fingerprint when it was screened."""
    explanation: dict[str, Any] = field(default_factory=dict)
    disposition: PartyDisposition | None = None
    reopened: str = ""
    """Why an earlier decision on this entry no longer applies ("" when there was none or it applies)."""
    first_seen: datetime | None = None
    """When screening first found this hit (on this entry content); the inbox's age."""

    @property
    def by_address(self) -> bool:
        """Matched by an address of the party, not by any of its names."""
        return self.explanation.get("match") == "address"

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source_code, self.entry_id, self.content_hash)

    @property
    def resolved(self) -> bool:
        return self.disposition is not None

    @property
    def is_true_match(self) -> bool:
        return self.disposition is not None and self.disposition.decision is DispositionDecision.TRUE_MATCH


def applying(hit: PartyHit, decisions: list[PartyDisposition], fingerprint: str) -> PartyHit:
    """``hit`` with the decision that applies to it, or with why an earlier decision reopened."""
    same_entry = [d for d in decisions if (d.source_code, d.entry_id) == (hit.source_code, hit.entry_id)]
    for decision in same_entry:
        if decision.content_hash == hit.content_hash and decision.party_fingerprint == fingerprint:
            return _with(hit, decision, "")
    if not same_entry:
        return hit
    last = max(same_entry, key=lambda d: d.decided_at)
    reasons = []
    if last.content_hash != hit.content_hash:
        reasons.append("the list entry has changed")
    if last.party_fingerprint != fingerprint:
        reasons.append("the party's names, addresses or country have changed")
    when = last.decided_at.date().isoformat()
    why = f"reopened: {' and '.join(reasons)} since {last.officer} decided {last.decision.value} on {when}"
    return _with(hit, None, why)


def _with(hit: PartyHit, disposition: PartyDisposition | None, reopened: str) -> PartyHit:
    from dataclasses import replace

    return replace(hit, disposition=disposition, reopened=reopened)


def status_of(hits: list[PartyHit], screened: bool) -> PartyScreeningStatus:
    if not screened:
        return PartyScreeningStatus.NOT_SCREENED
    if any(not h.resolved for h in hits):
        return PartyScreeningStatus.UNRESOLVED
    if any(h.is_true_match for h in hits):
        return PartyScreeningStatus.CONFIRMED
    return PartyScreeningStatus.CLEAR


@dataclass(frozen=True, slots=True)
class Subject:
    """A register party as screening reads it, with its last screening run (if any)."""

    party: RegisterParty
    run_version_id: int | None
    run_fingerprint: str | None


@dataclass(frozen=True, slots=True)
class CaseLink:
    """A case with a party that references a register party."""

    register_id: int
    reference: str
    status: str
    title: str


class PartyScreeningRepository(Protocol):
    def hits(self, party_id: int, fingerprint: str) -> list[PartyHit]:
        """The latest hits, each with the decision that applies under ``fingerprint``."""

    def screened(self, party_id: int) -> bool: ...

    def decisions(self, party_id: int) -> list[PartyDisposition]:
        """Every decision recorded on the party's hits (``applying`` says which still apply)."""

    def replace_hits(
        self, party_id: int, version_id: int, fingerprint: str, hits: list[PartyHit], officer: str
    ) -> None:
        """Store a party's screening (also when nothing hit)."""

    def decide(self, hit: PartyHit, fingerprint: str, decision: DispositionDecision, reason: str, officer: str) -> None:
        """Record a decision pinned to the entry content and ``fingerprint`` (``ConflictError`` if one exists)."""

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
        """Hits across the register without a decision that applies, highest score first."""

    def unresolved_count(
        self,
        *,
        sources: tuple[str, ...] = (),
        countries: tuple[str, ...] = (),
        older_than_days: int | None = None,
        newer_than_days: int | None = None,
    ) -> int: ...

    def unresolved_sources(self) -> list[str]: ...

    # The register rescreen's bulk queries -------------------------------------------------

    def party_count(self) -> int: ...

    def subjects(self, after_id: int, limit: int) -> list[Subject]:
        """Up to ``limit`` parties with an id above ``after_id``, in id order, with their last run."""

    def run_versions(self) -> list[int]:
        """The list versions register parties were last screened against."""

    def statuses(self, party_ids: Sequence[int]) -> dict[int, PartyScreeningStatus]:
        """The screening status of each of (at most 500) parties."""

    def entry_keys(self, version_id: int) -> dict[EntryKey, str]:
        """Every entry of a list version: (source code, entry id) -> content hash."""

    def entries_by_key(self, version_id: int, keys: Iterable[EntryKey]) -> list[ListEntry]: ...

    def stored_hits(self, party_ids: Sequence[int]) -> dict[int, list[PartyHit]]: ...

    def apply_delta(
        self, party_id: int, fingerprint: str, drop: Iterable[tuple[str, str, str]], add: Sequence[PartyHit]
    ) -> None: ...

    def mark_screened(self, party_ids: Sequence[int], version_id: int, officer: str) -> None: ...

    def cases_of(self, party_ids: Iterable[int]) -> list[CaseLink]: ...
