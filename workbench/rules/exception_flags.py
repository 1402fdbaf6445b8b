"""Reading an ECCN's licence-exception block ("LVS: $500, except ...", "GBS: Yes, for ...").

The eCFR parse in ``ccl.json`` keeps each flag's text; this module turns one text into what
the exception check needs: whether the exception is open at all, the LVS value limit, the
paragraphs it is limited to or excludes, the reasons it is "N/A for", and whether prose the
parser cannot settle remains (then the officer must confirm the item falls within it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import Enum
from functools import lru_cache

from workbench.domain.eccn import eccn_head
from workbench.rules.ccl import ccl_entry

_FULL = re.compile(r"\b(\d[A-E]\d{3})((?:\.[a-z0-9]{1,4})*)")
_SHORT = re.compile(r"(?:(?<=[\s,(])|^)\.?([a-z](?:\.[a-z0-9]{1,4})+|\.[a-z])(?=[\s,.;)]|$)")
_VALUE = re.compile(r"\$\s?([\d,]+)")
_NA_REASONS = re.compile(r"N/A for ((?:(?:NS|MT|NP|CB|RS|CC|FC|EI|SL|AT|CW|UN)(?:\s*,\s*|\s+and\s+|\s*)?)+)")
_REASON = re.compile(r"\b(NS|MT|NP|CB|RS|CC|FC|EI|SL|AT|CW|UN)\b")


class Reach(Enum):
    """How a flag reaches an item's paragraph."""

    YES = "yes"
    NO = "no"
    CONFIRM = "confirm"
    """The flag's wording qualifies the item or the item's ECCN stops above the paragraphs named."""


@dataclass(frozen=True, slots=True)
class FlagTerms:
    text: str
    open: bool
    """The block names the exception for at least part of the entry ("Yes", "$500")."""
    value: int | None
    """The LVS value limit in US dollars, when the text states one."""
    include: tuple[str, ...]
    exclude: tuple[str, ...]
    confirm: tuple[str, ...]
    """Included paragraphs whose wording carries a condition ("b.2 (exported ... for civil telecommunications)")."""
    na_reasons: tuple[str, ...]
    qualified: bool


_SHORT_RANGE = re.compile(r"\.?([a-z])\.(\d+)\s+to\s+\.?\1\.(\d+)")


def _refs(segment: str, head: str) -> list[str]:
    """The paragraph references of ``head`` in ``segment``: full ("3A001.a.2"), short ("a.2", ".e"), ranges."""
    refs = [m.group(1) + m.group(2) for m in _FULL.finditer(segment) if m.group(1) == head and m.group(2)]
    rest = re.sub(r"\([^)]*\)", " ", _FULL.sub(" ", segment))  # parenthetical descriptions are not references
    for m in _SHORT_RANGE.finditer(rest):
        letter, low, high = m.group(1), int(m.group(2)), int(m.group(3))
        refs.extend(f"{head}.{letter}.{n}" for n in range(low, min(high, low + 50) + 1))
    rest = _SHORT_RANGE.sub(" ", rest)
    for m in _SHORT.finditer(rest):
        refs.append(f"{head}.{m.group(1).lstrip('.')}")
    return list(dict.fromkeys(refs))


def _top_level(text: str) -> list[tuple[str, bool]]:
    """Comma/semicolon chunks outside parentheses, each with whether it carries a parenthetical."""
    chunks: list[tuple[str, bool]] = []
    depth, paren = 0, False
    current: list[str] = []
    for ch in text:
        if ch == "(":
            depth += 1
            paren = True
        elif ch == ")":
            depth = max(0, depth - 1)
        if depth == 0 and ch in ",;":
            chunks.append(("".join(current), paren))
            current, paren = [], False
            continue
        current.append(ch)
    chunks.append(("".join(current), paren))
    return chunks


def _strip_parens(text: str) -> str:
    return re.sub(r"\([^)]*\)", " ", text)


@lru_cache(maxsize=4096)
def flag_terms(text: str, head: str) -> FlagTerms:
    clean = " ".join(text.split())
    low = clean.lower()
    value_match = _VALUE.search(clean)
    value = int(value_match.group(1).replace(",", "")) if value_match else None
    opened = low.startswith("yes") or value is not None
    na_reasons: list[str] = []
    for m in _NA_REASONS.finditer(clean):
        na_reasons.extend(_REASON.findall(m.group(1)))
    include: list[str] = []
    exclude: list[str] = []
    confirm: list[str] = []
    top = _strip_parens(clean)
    before, sep, after = top.partition(" except")
    if not sep and top.lower().startswith("except"):
        before, sep, after = "", "except", top[len("except") :]
    if sep:
        exclude.extend(_refs(after, head))
    mode_include = (
        opened
        and re.match(r"^yes,?\s*(for\b)?", low) is not None
        and bool(_FULL.search(before) or _SHORT.search(before.partition("for")[2]))
    )
    if mode_include:
        for chunk, paren in _top_level(clean.partition(" except")[0] if sep else clean):
            refs = _refs(chunk, head)
            include.extend(refs)
            words = re.sub(
                r"\b(yes|for|and|or|see|of|the|ear|to)\b|[\d.,:;§$()]|\b[a-z]\b", " ", _strip_parens(chunk).lower()
            )
            inner = [r for group in re.findall(r"\(([^)]*)\)", chunk) for r in _refs(group, head)]
            if inner:
                confirm.extend(inner)  # "(except .a.5.a when controlled for MT)": only those are in doubt
            elif paren or (refs and re.search(r"[a-z]{4,}", _FULL.sub(" ", words))):
                confirm.extend(refs)
    for m in re.finditer(r"N/A for ([^;]*)", clean):
        exclude.extend(_refs(m.group(1), head))
    prose = re.sub(r"\b(yes|n/a|for|and|or|see|of|the|ear|except)\b|[\d.,:;§$()]", " ", low)
    qualified = opened and not include and not exclude and value is None and bool(re.search(r"[a-z]{4,}", prose))
    if value is not None and re.search(r"\$\s?[\d,]+\s+for\b", clean):
        qualified = True  # "$500 for components": the value applies to part of the entry only
    return FlagTerms(
        clean,
        opened,
        value,
        tuple(dict.fromkeys(include)),
        tuple(dict.fromkeys(exclude)),
        tuple(dict.fromkeys(confirm)),
        tuple(na_reasons),
        qualified,
    )


def _under(eccn: str, ref: str) -> bool:
    return eccn == ref or eccn.startswith(ref + ".")


def terms_for(eccn: str, symbol: str) -> FlagTerms | None:
    """The terms of ``symbol``'s flag in ``eccn``'s block, or None when the block does not name it."""
    entry = ccl_entry(eccn)
    flag = entry.exceptions.get(symbol) if entry else None
    if flag is None:
        return None
    return flag_terms(flag.text, eccn_head(eccn))


def reach(eccn: str, terms: FlagTerms) -> Reach:
    """Whether the flag's paragraphs reach ``eccn`` (an ECCN with or without paragraph)."""
    if not terms.open:
        return Reach.NO
    if any(_under(eccn, ref) for ref in terms.exclude):
        return Reach.NO
    if terms.include and not any(_under(eccn, ref) for ref in terms.include):
        if any(_under(ref, eccn) for ref in terms.include):
            return Reach.CONFIRM
        return Reach.NO
    if any(_under(eccn, ref) for ref in terms.confirm):
        return Reach.CONFIRM
    bare = "." not in eccn
    if bare and (terms.include or terms.exclude):
        return Reach.CONFIRM
    return Reach.CONFIRM if terms.qualified else Reach.YES
