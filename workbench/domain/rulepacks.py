"""Rule-data versions as records: imported rule packs, trusted publishers, local amendments.

Rule data is versioned like restricted-party lists: one pack is active, earlier ones are kept
so a check can be re-run "under the data we had in July", and an officer's own reading of a
development (a local amendment) stays in force over later packs until it is withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True, slots=True)
class StoredRulePack:
    version: int
    sha256: str
    publisher: str
    fingerprint: str
    ecfr_issue_date: str
    rulebook_version: str
    rulebook_research_date: str
    created_at: str
    imported_at: datetime | None
    imported_by: str
    active: bool
    note: str = ""
    builtin: bool = False
    """Pack 1, shipped inside the package (not stored in the database)."""

    @property
    def label(self) -> str:
        return f"pack {self.version}" + (" (shipped)" if self.builtin else "")


@dataclass(frozen=True, slots=True)
class TrustedPublisher:
    fingerprint: str
    name: str
    public_key_pem: str
    added_at: datetime | None
    added_by: str
    builtin: bool = False


@dataclass(frozen=True, slots=True)
class Amendment:
    """An officer's local change to the rule data, in the rulebook's own shape."""

    id: str
    kind: str
    """``lifecycle`` (an enforcement period for a rule), ``rule`` (a new or replacing rule record),
    ``group_change`` (a country joins or leaves a Country Group from a date) or ``parameter``
    (an advanced-computing parameter, by JSON pointer)."""
    target: str
    """The rule id, the group change id, or the JSON pointer the amendment changes."""
    effective: date
    source: str
    reason: str
    body: dict[str, Any]
    """The rulebook-shaped content (period, rule record, group change, or ``{"value": …}``)."""
    recorded_by: str = ""
    recorded_at: datetime | None = None
    withdrawn_at: datetime | None = None
    withdrawn_by: str = ""
    withdrawal_reason: str = ""

    @property
    def in_force(self) -> bool:
        return self.withdrawn_at is None

    def attribution(self) -> str:
        """How a finding names it: "local amendment by A. Officer on 2026-12-03: …"."""
        when = self.recorded_at.date().isoformat() if self.recorded_at else self.effective.isoformat()
        return (
            f"local amendment {self.id} by {self.recorded_by or 'an officer'} on {when}: {self.summary()}"
            f" (source: {self.source}; reason: {self.reason})"
        )

    def summary(self) -> str:
        body = self.body
        if self.kind == "lifecycle":
            period = body.get("period", {})
            until = f" (note: {period['note']})" if period.get("note") else ""
            return f"rule {self.target} is {period.get('status', '?')} from {period.get('from', '?')}{until}"
        if self.kind == "rule":
            return f"rule {self.target} ({body.get('rule', {}).get('title', '')}) effective {self.effective}"
        if self.kind == "group_change":
            change = body.get("change", {})
            verb = "joins" if change.get("change") == "add" else "leaves"
            return f"{change.get('country', '?')} {verb} Country Group {change.get('group', '?')} from {self.effective}"
        return f"advanced-computing parameter {self.target} set to {body.get('value')!r} from {self.effective}"
