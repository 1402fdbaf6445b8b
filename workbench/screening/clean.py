"""Names that lie: invisible characters, bidirectional controls and look-alike letters.

"Huawei Technologies Co., Ltd." typed with a Cyrillic а, a zero-width space and a right-to-left
override displays as the listed name but compares as another. Before screening, bidirectional
controls and invisible characters are removed, and letters of another script that look like
Latin letters (Unicode's confusables data, through the ``confusable_homoglyphs`` package) are
mapped to the Latin letter where they stand among Latin letters. What was done is returned as
plain notes for the hit explanation and as warnings for the officer (case import, editor).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from confusable_homoglyphs import confusables

_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
"""Bidirectional marks, embeddings, overrides and isolates."""
_JOINERS = frozenset("\u200c\u200d")
"""Zero-width (non-)joiners: part of Persian and Indic spelling, invisible elsewhere."""
_OTHER_INVISIBLE = frozenset("\u00ad\u034f\u115f\u1160\u17b4\u17b5\u180e\u3164\uffa0")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True, slots=True)
class Cleaned:
    text: str
    removed: tuple[str, ...]
    """Code points removed, as ``U+202E`` (each once, in order of appearance)."""
    mapped: tuple[tuple[str, str, str], ...]
    """(script, original letter, Latin letter) for each look-alike letter mapped."""
    joiners_in_script: bool
    """Only zero-width joiners inside a non-Latin script were removed (normal spelling there)."""

    @property
    def changed(self) -> bool:
        return bool(self.removed or self.mapped)

    def note(self) -> str:
        """'normalised: removed U+202E, U+200B, mapped Cyrillic а → a' (empty when nothing changed)."""
        parts = []
        if self.removed:
            parts.append("removed " + ", ".join(self.removed))
        if self.mapped:
            parts.append("mapped " + ", ".join(f"{script} {a} → {b}" for script, a, b in self.mapped))
        return f"normalised: {'; '.join(parts)}" if parts else ""


def _invisible(ch: str) -> bool:
    if ch in _BIDI or ch in _JOINERS or ch in _OTHER_INVISIBLE:
        return True
    category = unicodedata.category(ch)
    # Format characters (zero-width space, word joiner, BOM…) and variation selectors.
    return category == "Cf" or ("\ufe00" <= ch <= "\ufe0f") or ("\U000e0100" <= ch <= "\U000e01ef")


def _latin(ch: str) -> bool:
    return ch.isascii() or unicodedata.name(ch, "").startswith("LATIN")


@lru_cache(maxsize=4096)
def _latin_lookalike(ch: str) -> tuple[str, str] | None:
    """(script, ASCII letter) when ``ch`` is a letter of another script that looks like a Latin letter."""
    if ch.isascii() or not ch.isalpha() or _latin(ch):
        return None
    found = confusables.is_confusable(ch, greedy=True, preferred_aliases=["latin"])
    if not found:
        return None
    for entry in found:
        for glyph in entry["homoglyphs"]:
            target = glyph["c"]
            if len(target) == 1 and target.isascii() and target.isalpha():
                return str(entry["alias"]).title(), target
    return None


def _map_word(word: str, latin_name: bool) -> str | None:
    """The word with look-alike letters mapped, or None when it is to be left alone."""
    letters = [ch for ch in word if ch.isalpha()]
    has_latin = any(_latin(ch) for ch in letters)
    others = [ch for ch in letters if not _latin(ch)]
    if not others:
        return None
    lookalikes = {ch: _latin_lookalike(ch) for ch in set(others)}
    if has_latin:
        # A word mixing scripts: map every letter that has a Latin look-alike.
        if not any(lookalikes.values()):
            return None
    elif not (latin_name and all(lookalikes.values())):
        # A word wholly in another script is that script's spelling, unless the name around it is
        # Latin and every letter of it could pass for a Latin one ("Со." in a Latin name).
        return None
    return "".join(lookalikes[ch][1] if lookalikes.get(ch) else ch for ch in word)  # type: ignore[index]


@lru_cache(maxsize=65_536)
def clean(text: str) -> Cleaned:
    """Remove invisible and bidirectional characters, map look-alike letters in Latin names."""
    removed: dict[str, None] = {}
    joiners_only = True
    kept: list[str] = []
    for k, ch in enumerate(text):
        if not _invisible(ch):
            kept.append(ch)
            continue
        removed[f"U+{ord(ch):04X}"] = None
        if ch in _JOINERS:
            before = text[k - 1] if k else ""
            after = text[k + 1] if k + 1 < len(text) else ""
            if not ((before.isalpha() and not _latin(before)) or (after.isalpha() and not _latin(after))):
                joiners_only = False
        else:
            joiners_only = False
    out = "".join(kept)
    mapped: dict[tuple[str, str, str], None] = {}
    if not out.isascii():
        letters = [ch for ch in out if ch.isalpha()]
        latin_name = sum(_latin(ch) for ch in letters) > len(letters) / 2
        pieces: list[str] = []
        last = 0
        for match in _WORD.finditer(out):
            word = match.group()
            new = _map_word(word, latin_name)
            if new is None:
                continue
            for a, b in zip(word, new, strict=True):
                if a != b:
                    script = (_latin_lookalike(a) or ("", ""))[0]
                    mapped[(script, a, b)] = None
            pieces.append(out[last : match.start()])
            pieces.append(new)
            last = match.end()
        pieces.append(out[last:])
        out = "".join(pieces)
    return Cleaned(out, tuple(removed), tuple(mapped), bool(removed) and joiners_only and not mapped)


def name_warnings(name: str) -> list[str]:
    """What an officer should be told about a party name that does not read as it displays."""
    cleaned = clean(name)
    if not cleaned.changed or cleaned.joiners_in_script:
        return []
    parts = []
    if cleaned.removed:
        parts.append(f"invisible or right-to-left control characters ({', '.join(cleaned.removed)})")
    if cleaned.mapped:
        letters = ", ".join(f"{script} {a} for {b}" for script, a, b in cleaned.mapped)
        parts.append(f"look-alike letters from another script ({letters})")
    return [f"the name contains {' and '.join(parts)}; it is screened as '{cleaned.text}'"]
