"""The Commerce Control List as the engine and the UI see it.

Public helpers: ``ccl_heading(eccn)`` and ``ccl_eccns()`` (for completion in the UI).
Engine helpers: ``ccl_entry`` and ``control_match``, which decides whether one
"License Requirements" row of an entry reaches an item's ECCN paragraph.
"""

from __future__ import annotations

import difflib
from enum import Enum

from workbench.domain.eccn import EAR99, eccn_head
from workbench.rules.data import CclEntry, Control, per_rule_data, rule_data


class Match(Enum):
    """How a control row reaches an item's classification."""

    APPLIES = "applies"
    CONDITIONAL = "conditional"
    """The row is qualified ("except for civil telecommunications", "software for ...")."""
    UNSPECIFIED = "unspecified"
    """The row names a paragraph but the item's ECCN stops above it (e.g. bare 3A001)."""
    NO = "no"


def ccl_entry(eccn: str | None) -> CclEntry | None:
    if not eccn or eccn == EAR99:
        return None
    return rule_data().ccl.entries.get(eccn_head(eccn))


def ccl_heading(eccn: str) -> str | None:
    """The CCL heading of ``eccn``'s entry, or None if it is not on the CCL (e.g. EAR99)."""
    entry = ccl_entry(eccn)
    return entry.heading if entry else None


@per_rule_data
def _eccns() -> tuple[str, ...]:
    return tuple(sorted(rule_data().ccl.entries))


def ccl_eccns() -> list[str]:
    """Every ECCN entry on the CCL (five-character heads), sorted."""
    return list(_eccns())


def _under(eccn: str, paragraph: str) -> bool:
    return eccn == paragraph or eccn.startswith(paragraph + ".")


def control_match(eccn: str, control: Control) -> Match:
    """Whether ``control`` applies to an item classified ``eccn`` (an ECCN with or without paragraph)."""
    if any(_under(eccn, p) for p in control.except_paragraphs):
        return Match.NO
    if control.entire:
        return Match.CONDITIONAL if control.qualified else Match.APPLIES
    if any(_under(eccn, p) for p in control.paragraphs):
        return Match.CONDITIONAL if control.qualified else Match.APPLIES
    if any(_under(p, eccn) for p in control.paragraphs):
        return Match.UNSPECIFIED
    return Match.NO


def exception_flag(eccn: str, symbol: str) -> tuple[bool, str]:
    """Whether the entry's licence-exception flag for ``symbol`` covers ``eccn``.

    A flag reads like "Yes, for 3A090.a." (those paragraphs) or "Yes" (the whole
    entry) or "N/A". Returns (eligible, the flag text).
    """
    entry = ccl_entry(eccn)
    flag = entry.exceptions.get(symbol) if entry else None
    if flag is None or not flag.yes:
        return False, flag.text if flag else ""
    return (not flag.paragraphs or any(_under(eccn, p) for p in flag.paragraphs)), flag.text


def _parents(paragraph: str) -> list[str]:
    """``z.1.a`` -> ``["z", "z.1", "z.1.a"]``."""
    parts = paragraph.split(".")
    return [".".join(parts[: i + 1]) for i in range(len(parts))]


def _nearest(wanted: str, choices: list[str], limit: int = 3) -> list[str]:
    close = difflib.get_close_matches(wanted, choices, n=limit, cutoff=0.0)
    return close or choices[:limit]


def eccn_problem(eccn: str) -> str | None:
    """Why a well-formed ECCN is not on the CCL data (entry or paragraph), with the nearest real ones.

    None when it is on the list, or when the data does not record the entry's paragraphs (only
    the eCFR parse's deep categories carry them) so the paragraph cannot be checked.
    """
    if not eccn or eccn == EAR99 or eccn.split(".", 1)[0].endswith("Y521"):
        return None
    head, _, paragraph = eccn.partition(".")
    entries = rule_data().ccl.entries
    entry = entries.get(head)
    if entry is None:
        same_group = [e for e in _eccns() if e[:2] == head[:2]] or list(_eccns())
        near = ", ".join(sorted(_nearest(head, same_group)))
        return f"{head} is not an entry on the Commerce Control List; the nearest entries are {near}"
    if not paragraph or not entry.paragraphs:
        return None
    known = set(entry.paragraphs)
    if paragraph in known or any(p.startswith(paragraph + ".") for p in known):
        return None
    deepest = ""
    for parent in _parents(paragraph)[:-1]:
        if parent in known:
            deepest = parent
    prefix = f"{deepest}." if deepest else ""
    children = sorted(p for p in known if p.startswith(prefix) and "." not in p[len(prefix) :])
    if not children:
        return None  # the data stops above this paragraph: it cannot be checked
    near = ", ".join(f"{head}.{p}" for p in sorted(_nearest(paragraph, children)))
    return f"{eccn} is not a paragraph of {head} on the Commerce Control List; did you mean {near}?"
