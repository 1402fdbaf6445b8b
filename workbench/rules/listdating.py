"""Which restricted-party list version a check screened against, and whether it fits the as-of date.

Screening uses the active list version. A check as of a past date says so, and warns when
that version was published after the date (entries added since can show as hits, entries
removed since are missed) or when no list version in the workbench existed then.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from workbench.domain.determination import Determination, Finding, Outcome
from workbench.domain.screening_records import ListVersion

RULE = "screening.list-version"


def list_date(version: ListVersion) -> date:
    """The day a version describes: its publication date, else the day it was imported."""
    return version.publication_date or version.imported_at.date()


def list_version_finding(as_of: date, screened: ListVersion, versions: Sequence[ListVersion]) -> Finding:
    """One case-level finding naming the version screened against, with a warning when it does not fit."""
    published = list_date(screened)
    text = f"The parties were screened against list version {screened.label} (of {published.isoformat()})."
    warn = False
    if published > as_of:
        warn = True
        earlier = [v for v in versions if list_date(v) <= as_of]
        then = (
            f"the workbench holds {max(earlier, key=list_date).label} from then; screen against it if the check "
            "must show the lists as they stood"
            if earlier
            else "no list version in the workbench existed then"
        )
        text += (
            f" That version is newer than the as-of date {as_of.isoformat()}: parties listed since then can show "
            f"as hits and parties removed since are not found; {then}."
        )
    return Finding(RULE, Outcome.NLR, "15 CFR 744; 764 (screening)", "case", text, unconfirmed=warn)


def with_list_version(determination: Determination, finding: Finding, label: str) -> Determination:
    """The determination with the list-version finding and the version among its data versions."""
    versions = {**determination.data_versions, "lists": label}
    return replace(determination, findings=(*determination.findings, finding), data_versions=versions)
