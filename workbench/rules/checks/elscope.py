"""Which of a case's items an Entity List entry reaches, read from the entry's "License Requirement" column.

15 CFR 744.16(a) requires a licence for the items "included in the License Requirement column" of an
entry, and 744.16(b) makes no licence exceptions available to listed entities for those specified items.
Both follow from one reading, kept here so the licence requirement (``enduse.entity_scope``), the bar on
licence exceptions (``parties.exception_bars``) and the part 744 restriction of License Exception SPP
(``embargo``) never disagree about an item. The words that name each form are rule data
(``end-use-rules.json`` ``entity_list.scopes``); a column none of them names is read as every item.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.domain.eccn import EAR99
from workbench.rules.context import Context, ItemInfo

ENTITY_LIST_RULES = ("listed.entity-list",)
"""The rules of findings about a confirmed Entity List listing."""

_ECCN = re.compile(r"\b[0-9][A-E][0-9]{3}(?:\.[a-z0-9]+)*")
_ITEM = re.compile(r"^item (\d+)$")


@dataclass(frozen=True, slots=True)
class Reading:
    """An entry's licence-requirement column as the engine reads it."""

    scope: str
    """``all``, ``ccl``, ``eccns``, ``projects``, ``unknown`` (wording not read) or ``none`` (no column)."""
    notes: tuple[str, ...] = ()
    """The footnote texts the column's markers name."""
    gov: bool = False
    """The column says License Exception GOV may overcome the requirement."""
    eccns: tuple[str, ...] = ()
    """For ``eccns``: the ECCNs the column names."""
    unconfirmed: bool = False


def read(ctx: Context, requirement: str) -> Reading:
    """Read ``requirement`` (the column's text, empty when the source gives none)."""
    if not requirement.strip():
        return Reading("none")
    reading = ctx.data.end_use_rules.entity_list
    low = " ".join(requirement.split()).lower()
    scope, unconfirmed = "unknown", False
    for words in reading.scopes:
        if any(w in low for w in words.words):
            scope, unconfirmed = words.scope, words.unconfirmed
            break
    eccns: tuple[str, ...] = ()
    if scope == "eccns":
        eccns = tuple(dict.fromkeys(_ECCN.findall(requirement)))
        if not eccns or "ear99" in low:
            scope, unconfirmed = "unknown", False  # no ECCN found, or EAR99 named beside them: not read
    compact = requirement.replace(" ", "")
    notes = tuple(f.text for f in reading.footnotes if any(p.replace(" ", "") in compact for p in f.patterns))
    gov = any(w in low for w in reading.gov_words)
    return Reading(scope, notes, gov, eccns, unconfirmed)


def _named(eccn: str, listed: str) -> bool:
    """An item's ECCN is one the column names, a paragraph of it, or a bare heading above it (undecided)."""
    return eccn == listed or eccn.startswith(listed + ".") or listed.startswith(eccn + ".")


def covers(reading: Reading, info: ItemInfo) -> bool:
    """Whether the entry reaches the item; an unclassified item counts as reached until it is classified."""
    if reading.scope == "ccl":
        return info.level is not None or info.eccn != EAR99
    if reading.scope == "eccns":
        if not info.eccn:
            return True
        classes = {info.eccn, info.ac_eccn or info.eccn}
        return any(_named(c, listed) for c in classes for listed in reading.eccns)
    return True  # all items; projects and wording not read are taken at the widest scope


def reached(ctx: Context, reading: Reading) -> frozenset[int] | None:
    """The case's items (1-based positions) the entry reaches; None when it reaches every item."""
    if reading.scope not in ("ccl", "eccns") or not ctx.items:
        return None
    return frozenset(info.index for info in ctx.items if covers(reading, info))


def item_index(subject: str) -> int | None:
    """3 from a finding subject "item 3"; None for a case, destination or party subject."""
    m = _ITEM.match(subject)
    return int(m.group(1)) if m else None


def scope_phrase(reading: Reading) -> str:
    """The items an entry limited to the CCL or to named ECCNs reaches, for its licence-requirement finding."""
    if reading.scope == "eccns":
        flag = " (a column naming ECCNs, read as such UNCONFIRMED)" if reading.unconfirmed else ""
        return f"items classified under {', '.join(reading.eccns)} only{flag}"
    return "items on the CCL only"


def reach_phrase(reading: Reading, requirement: str) -> str:
    """What the entry's licence requirement reaches, completing "whose entry's licence requirement ..."."""
    if reading.scope == "all":
        return "reaches all items subject to the EAR"
    if reading.scope in ("ccl", "eccns"):
        return f"reaches {scope_phrase(reading)}"
    if reading.scope == "projects":
        return (
            "reaches items used in the projects the entry names, which the case does not settle, "
            "so every item is taken as reached"
        )
    if reading.scope == "none":
        return "is not recorded, so every item is taken as reached"
    return f'reads "{requirement[:120]}", wording the engine does not read, so every item is taken as reached'
