"""What the workbench keeps of screening: list versions, a case's hits, officers' dispositions."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from workbench.domain.screening import DispositionDecision


@dataclass(frozen=True, slots=True)
class ListVersion:
    id: int
    label: str
    source_file: str
    sha256: str
    format: str
    imported_at: datetime
    imported_by: str
    publication_date: date | None
    rows_per_source: dict[str, int]
    entry_count: int
    malformed_count: int
    active: bool

    def age_days(self, today: date) -> int:
        """Days since publication (or import, when the publication date is unknown)."""
        reference = self.publication_date or self.imported_at.date()
        return (today - reference).days


@dataclass(frozen=True, slots=True)
class Disposition:
    party_name: str
    source_code: str
    entry_id: str
    content_hash: str
    decision: DispositionDecision
    reason: str
    officer: str
    decided_at: datetime


@dataclass(frozen=True, slots=True)
class StoredHit:
    """A hit as stored with the case; ``disposition`` is None while unresolved."""

    party_position: int
    party_name: str
    list_version_id: int
    entry_id: str
    source_code: str
    content_hash: str
    entry_name: str
    matched_name: str
    score: float
    explanation: dict[str, Any] = field(default_factory=dict)
    disposition: Disposition | None = None

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.source_code, self.entry_id, self.content_hash)

    @property
    def resolved(self) -> bool:
        return self.disposition is not None

    @property
    def is_true_match(self) -> bool:
        return self.disposition is not None and self.disposition.decision is DispositionDecision.TRUE_MATCH


@dataclass(frozen=True, slots=True)
class ScreeningRun:
    list_version_id: int
    screened_at: datetime
    officer: str
