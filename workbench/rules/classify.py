"""Classification assistant for advanced-computing items (3A090 / 4A090 and the .z paragraphs).

``suggest_eccn(tpp, pd, datacenter)`` proposes an ECCN from the figures using the
3A090 parameters in ``advanced-computing.json`` (eCFR 2026-07-23 text); the engine
uses ``contradiction`` to warn when a given ECCN disagrees with the figures, and
``ac_level`` to know which advanced-computing level an ECCN stands for.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbench.rules.data import Band, per_rule_data, rule_data

_LEVEL_RANK = {None: 0, "b": 1, "a": 2}


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A proposed classification and the reasoning an officer can check."""

    eccn: str | None
    """e.g. ``4A090.a``; None when the figures put the item outside 3A090 or are incomplete."""
    paragraph: str | None
    """``a`` or ``b`` (of 3A090), or None."""
    explanation: str
    missing: tuple[str, ...] = ()
    """Facts needed before a paragraph can be proposed (e.g. performance density)."""
    nac_aca: bool = False
    """Not designed for datacenters and TPP >= 4800: licence exceptions NAC/ACA may apply."""


@per_rule_data
def _patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    return tuple((re.compile(p.pattern), p.level) for p in rule_data().advanced.levels.patterns)


def ac_level(eccn: str | None) -> str | None:
    """``a``, ``b`` or ``hbm`` for 3A090-type ECCNs (3A090.a, 4A090.b, 5A992.z.1 ...), else None."""
    if not eccn:
        return None
    for pattern, level in _patterns():
        if pattern.search(eccn):
            return level
    return None


def in_ac_family(eccn: str | None) -> bool:
    """True for 3A090, 4A090 and the .z paragraphs, with or without a lower paragraph."""
    if not eccn:
        return False
    return any(eccn == f or eccn.startswith(f + ".") for f in rule_data().advanced.levels.families)


def _band(band: Band, tpp: float, pd: float | None) -> bool | None:
    """True/False when the band is decided by the figures, None when PD is needed but missing."""
    if band.tpp_min is not None and tpp < band.tpp_min:
        return False
    if band.tpp_below is not None and tpp >= band.tpp_below:
        return False
    if band.pd_min is None and band.pd_below is None:
        return True
    if pd is None:
        return None
    if band.pd_min is not None and pd < band.pd_min:
        return False
    return not (band.pd_below is not None and pd >= band.pd_below)


def _fmt(value: float) -> str:
    return f"{value:,.2f}".rstrip("0").rstrip(".")


def paragraph_for(tpp: float, pd: float | None, datacenter: bool) -> Suggestion:
    """Which paragraph of 3A090 the figures meet (ECCN left to ``suggest_eccn``)."""
    rules = rule_data().advanced.classification
    figures = f"TPP {_fmt(tpp)}" + (f", performance density {_fmt(pd)}" if pd is not None else "")
    note = rules.datacenter_note
    if not datacenter and tpp < note.tpp_below:
        return Suggestion(
            None,
            None,
            f"{figures}: the item is not flagged as designed or marketed for datacenters and its TPP is "
            f"below {_fmt(note.tpp_below)}, so 3A090.a and .b do not apply ({note.citation}). " + rules.lower_tier_hint,
        )
    undecided = False
    for rule in rules.paragraphs:
        results = [_band(b, tpp, pd) for b in rule.any_of]
        if True in results:
            nac = not datacenter and tpp >= note.tpp_below
            extra = (
                " The item is not designed or marketed for datacenters, so licence exceptions NAC/ACA may be available."
                if nac
                else ""
            )
            return Suggestion(
                None,
                rule.paragraph,
                f"{figures} meets 3A090.{rule.paragraph} ({rule.text}).{extra}",
                nac_aca=nac,
            )
        undecided = undecided or None in results
    if undecided:
        return Suggestion(
            None,
            None,
            f"{figures}: with a TPP between 1600 and 4800 the paragraph depends on the performance density "
            "(TPP divided by the applicable die area); give it to classify the item.",
            missing=("performance density",),
        )
    return Suggestion(None, None, f"{figures} is below the 3A090.a and .b parameters. " + rules.lower_tier_hint)


@per_rule_data
def _computer_words() -> re.Pattern[str]:
    words = rule_data().advanced.classification.computer_words
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")s?\b")


def _is_computer(description: str) -> bool:
    return _computer_words().search(description.lower()) is not None


def suggest_eccn(
    tpp: float | None,
    pd: float | None,
    datacenter: bool,
    *,
    description: str = "",
    computer: bool | None = None,
) -> Suggestion:
    """Propose 3A090.x (an IC) or 4A090.x (a computer, board or assembly containing one).

    ``computer`` overrides the guess made from words in ``description``.
    """
    if tpp is None:
        return Suggestion(None, None, "No TPP given: the assistant cannot place the item against 3A090.")
    result = paragraph_for(tpp, pd, datacenter)
    if result.paragraph is None:
        return result
    rules = rule_data().advanced.classification
    is_computer = _is_computer(description) if computer is None else computer
    head = rules.computer_eccn if is_computer else rules.ic_eccn
    why = (
        "a computer, board or assembly containing such an IC (4A090)"
        if is_computer
        else "an integrated circuit (3A090)"
    )
    return Suggestion(
        f"{head}.{result.paragraph}",
        result.paragraph,
        f"{result.explanation} Proposed {head}.{result.paragraph}, read as {why}.",
        nac_aca=result.nac_aca,
    )


def contradiction(eccn: str | None, tpp: float | None, pd: float | None, datacenter: bool) -> str | None:
    """Explain how a given ECCN disagrees with the figures, or None if it does not (or can't tell)."""
    if tpp is None or not eccn:
        return None
    given = ac_level(eccn)
    if given == "hbm":
        return None
    figures = paragraph_for(tpp, pd, datacenter)
    if figures.missing:
        return None
    computed = figures.paragraph
    if given == computed:
        return None
    if given is None and not in_ac_family(eccn) and computed is None:
        return None
    if given is None and in_ac_family(eccn):
        return None  # e.g. bare 3A090: the figures complete it rather than contradict it
    want = f"3A090.{computed}-level" if computed else "outside 3A090"
    return f"the item is classified {eccn}, but {figures.explanation} That makes it {want}."


def stricter(level_a: str | None, level_b: str | None) -> str | None:
    """The more restrictive of two advanced-computing levels (a > b > none)."""
    return level_a if _LEVEL_RANK.get(level_a, 0) >= _LEVEL_RANK.get(level_b, 0) else level_b
