"""Findings of the rule engine and the determination they add up to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Outcome(StrEnum):
    """Rule outcomes, from least to most restrictive."""

    NLR = "nlr"
    LICENSE_EXCEPTION = "license_exception"
    LICENSE_REQUIRED = "license_required"
    PROHIBITED = "prohibited"

    @property
    def severity(self) -> int:
        return _SEVERITY[self]

    @property
    def label(self) -> str:
        return _LABELS[self]


_SEVERITY = {
    Outcome.NLR: 0,
    Outcome.LICENSE_EXCEPTION: 1,
    Outcome.LICENSE_REQUIRED: 2,
    Outcome.PROHIBITED: 3,
}
_LABELS = {
    Outcome.NLR: "No licence required (NLR)",
    Outcome.LICENSE_EXCEPTION: "Licence exception available",
    Outcome.LICENSE_REQUIRED: "Licence required",
    Outcome.PROHIBITED: "Prohibited without BIS authorisation",
}


def outcome_label(value: str | None) -> str:
    """How a stored outcome reads wherever the app shows one (``license_required`` -> "Licence required").

    The stored values keep the EAR's spelling; this and ``Outcome.label`` are the one mapping to words,
    so a new outcome gets its label in ``_LABELS`` and every list, dialog and message follows.
    """
    if not value:
        return ""
    try:
        return Outcome(value).label
    except ValueError:
        return value.replace("_", " ").capitalize()


class Posture(StrEnum):
    """How to read rules that are codified but not enforced."""

    ENFORCED = "enforced"
    """BIS's stated enforcement posture (the default)."""
    CODIFIED = "codified"
    """What-if: apply the codified text of the EAR, enforced or not."""


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    outcome: Outcome
    citation: str
    subject: str
    explanation: str
    unconfirmed: bool = False
    review: bool = False
    """The finding asks for an officer's review rather than deciding alone."""
    exception: str | None = None
    """The licence exception symbol when ``outcome`` is ``license_exception``."""
    covered_by: str | None = None
    """For a ``license_required`` finding: the recorded licence or licence exception that covers it."""


@dataclass(frozen=True, slots=True)
class Determination:
    case_reference: str
    as_of: date
    posture: Posture
    outcome: Outcome
    review_required: bool
    open_items: tuple[str, ...] = ()
    findings: tuple[Finding, ...] = ()
    data_versions: dict[str, str] = field(default_factory=dict)
    all_requirements_covered: bool | None = None
    """Set by the licence coverage check: every ``license_required`` finding is covered and nothing is
    prohibited. None when coverage was not checked."""
