"""Findings of the rule engine and the determination they add up to.

An outcome is only *determined* when nothing is open: a finding resting on an unresolved
screening hit is *provisional* (its outcome is the consequence if the match is confirmed), and
while anything is open or provisional the headline says so and never reads "NLR".
"""

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
    provisional: str | None = None
    """Set when the finding rests on an unresolved screening hit: the condition under which it holds,
    e.g. "the Entity List match for party 2 (Acme) is confirmed". The outcome is the consequence if it is."""
    review_policy: str | None = None
    """For a licence requirement: how BIS reviews an application (presumption of denial, case-by-case,
    policy of approval), as the text says for this reason, destination, party and item, with its citation."""

    @property
    def label(self) -> str:
        """The outcome as a reader should take it: never plain NLR for something still open."""
        if self.provisional:
            return f"{self.outcome.label} if confirmed (provisional)"
        if self.review and self.outcome is Outcome.NLR:
            return "Open: needs review"
        return self.outcome.label


class Standing(StrEnum):
    """How far a determination has got."""

    DETERMINED = "determined"
    """Nothing open: the outcome is the determination."""
    PROVISIONAL = "provisional"
    """The outcome rests on unresolved screening hits: it holds if they are confirmed."""
    OPEN = "open"
    """Open items or findings needing review: the outcome is not yet determined."""

    @property
    def label(self) -> str:
        return {"determined": "Determined", "provisional": "Provisional", "open": "Open items"}[self.value]


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

    @property
    def firm_outcome(self) -> Outcome:
        """The most restrictive finding that does not rest on an unresolved hit."""
        return max((f.outcome for f in self.findings if not f.provisional), key=_severity, default=Outcome.NLR)

    @property
    def provisional_on(self) -> tuple[str, ...]:
        """The conditions the outcome rests on (empty when no unresolved hit raises it)."""
        if self.outcome.severity <= self.firm_outcome.severity:
            return ()
        return tuple(dict.fromkeys(f.provisional for f in self.findings if f.provisional and f.outcome is self.outcome))

    @property
    def standing(self) -> Standing:
        return standing_of(self, self.open_items)

    @property
    def headline(self) -> str:
        return headline_of(self, self.open_items)


def _severity(outcome: Outcome) -> int:
    return outcome.severity


def standing_of(determination: Determination, open_items: tuple[str, ...]) -> Standing:
    """Provisional when an unresolved hit raises the outcome; open with anything open; else determined."""
    if determination.provisional_on:
        return Standing.PROVISIONAL
    if open_items or determination.review_required:
        return Standing.OPEN
    return Standing.DETERMINED


def headline_of(determination: Determination, open_items: tuple[str, ...]) -> str:
    """The one-line outcome every surface shows (Checks banner, CLI, dashboard, case list, workbook).

    No headline reads NLR (or an available licence exception) while anything is open: open items
    could still raise the outcome. A licence requirement or prohibition already found is named,
    since open items can only add to it.
    """
    count = len(open_items)
    items = f"open items: {count}" if count else "review required"
    kind = standing_of(determination, open_items)
    if kind is Standing.PROVISIONAL:
        conditions = " and ".join(determination.provisional_on)
        label = determination.outcome.label
        return f"Provisional: {label[0].lower()}{label[1:]} if {conditions} · {items}"
    if kind is Standing.OPEN:
        if determination.outcome.severity >= Outcome.LICENSE_REQUIRED.severity:
            return f"{determination.outcome.label} (at least) · {items}"
        return f"{items[0].upper()}{items[1:]} — outcome not yet determined"
    return determination.outcome.label
