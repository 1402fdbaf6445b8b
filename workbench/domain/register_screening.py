"""Screening at party level: a register party's hits and the decisions that belong to the party.

A decision is pinned to the list entry's content hash *and* to the party's screened-data
fingerprint (names, addresses, country): it applies while both are what they were when the
officer decided, and reopens, saying why, as soon as either changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any, Protocol

from workbench.domain.screening import DispositionDecision


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

    def unresolved(self, limit: int = 200) -> list[PartyHit]:
        """Hits across the register without a decision that applies, highest score first."""
