"""Script-aware romanisation: each script read the way its names are read.

anyascii reads Japanese kanji with Chinese readings and runs Han characters together. Here
Han names are read as Chinese in pinyin syllables (pypinyin), unless the name is Japanese
(kana, a Japanese legal form, a frequent Japanese surname or a kanji only Japanese uses),
when it is read by its Japanese readings (cutlet over the UniDic dictionary, Hepburn, long
vowels written once as on the lists: Sato, Ito). Hangul is written in Revised Romanisation word
by word (hangul-romanize's syllable tables with the RR consonant rules); other scripts go
through anyascii. All these libraries are MIT or BSD licensed. Legal forms
in their own script (有限公司, 株式会社, (주), ООО…) become their Latin class first, so that they
are weighed as legal forms and never read as words.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from anyascii import anyascii

from workbench.screening.variants import tables

PINYIN = "Han read as Chinese pinyin (pypinyin)"
JAPANESE = "Japanese read by its Japanese readings (cutlet)"
GENERIC = "business words of the name's script written as the lists write them (科技 -> technology)"
HANGUL = "Hangul in Revised Romanisation, McCune-Reischauer vowels (hangul-romanize)"

_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f々〆]")
_KANA = re.compile("[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f]")
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_RUN = re.compile(
    "(?P<cjk>[\u3040-\u30ff\u31f0-\u31ff\uff66-\uff9f\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f々〆ー]+)"
    "|(?P<hangul>[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+)"
)
_ALPHABETIC_LEGAL = re.compile(r"[^\W\d_]")
_LONG_VOWEL = re.compile(r"(?<=o)[ou](?![aeiou])|(?<=u)u")
"""Satou -> Sato, Oono -> Ono, Yuuki -> Yuki: Hepburn as the lists write it, without macrons."""
# Revised Romanisation: initials, vowels and finals by the position of the jamo in a syllable.
_RR_INITIALS = ("g", "kk", "n", "d", "tt", "r", "m", "b", "pp", "s", "ss", "", "j", "jj", "ch", "k", "t", "p", "h")
_RR_FINALS = (
    "",
    "k",
    "k",
    "k",
    "n",
    "n",
    "n",
    "t",
    "l",
    "k",
    "m",
    "p",
    "l",
    "l",
    "p",
    "l",
    "m",
    "p",
    "p",
    "t",
    "t",
    "ng",
    "t",
    "t",
    "k",
    "t",
    "p",
    "t",
)


@dataclass(frozen=True, slots=True)
class Romanised:
    text: str
    notes: tuple[str, ...]
    syllables: frozenset[str]
    """Words read from Han characters as Chinese: they match exactly or not at all."""
    read: frozenset[str] = frozenset()
    """Words read from Han, kana or Hangul: never a legal form, a particle or a Roman numeral ("li", "an", "do")."""
    whole: frozenset[str] = frozenset()
    """Words that are one name part of their script ("志文" -> "zhiwen"): never run together with a neighbour."""
    sounded: frozenset[str] = frozenset()
    """Words read from Hangul or kana, scripts written by sound: they match by their reading (``reading_key``)."""


@cache
def _legal_patterns() -> tuple[tuple[re.Pattern[str], str], ...]:
    out = []
    for raw, canonical in tables().native_legal:
        form = unicodedata.normalize("NFKC", raw)  # names are compared in NFKC (Thai ำ decomposes)
        body = re.escape(form)
        if _HAN.search(form) or _KANA.search(form) or _HANGUL.search(form) or "\u0e00" <= form[0] <= "\u0e7f":
            # Scripts written without spaces: the form stands anywhere, two-character ones at the end only.
            pattern = body + (r"(?=\W*$)" if len(form) <= 2 else "")
        else:
            pattern = r"(?<!\w)" + body + (r"(?!\w)" if _ALPHABETIC_LEGAL.search(form[-1]) else "")
        out.append((re.compile(pattern, re.IGNORECASE), f" {canonical.lower()} "))
    return tuple(out)


MIN_GENERIC_RUN = 4
"""Runs shorter than this are personal names: no business words are looked for in them."""


@cache
def _generic_pattern() -> re.Pattern[str] | None:
    words = sorted(tables().generic, key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words)) if words else None


def _pieces(run: str) -> list[tuple[str, bool]]:
    """The run cut at generic business words: (text, is a generic word translated)."""
    pattern = _generic_pattern()
    if pattern is None or len(run) < MIN_GENERIC_RUN:
        return [(run, False)]
    out: list[tuple[str, bool]] = []
    last = 0
    for match in pattern.finditer(run):
        if match.start() > last:
            out.append((run[last : match.start()], False))
        out.append((tables().generic[match.group()], True))
        last = match.end()
    if last < len(run):
        out.append((run[last:], False))
    return out


def replace_native_legal_forms(text: str) -> str:
    """有限公司 -> ' llc ', (주) -> ' jsc ': the Latin class of each legal form written in its own script."""
    if text.isascii():
        return text
    for pattern, latin in _legal_patterns():
        if pattern.search(text):
            text = pattern.sub(latin, text)
    return text


def is_japanese(text: str) -> bool:
    """Kana, a Japanese legal form, a frequent Japanese surname or a kanji only Japanese uses."""
    if not (_HAN.search(text) or _KANA.search(text)):
        return False
    if _KANA.search(text) or "会社" in text or "(株)" in text or "㈱" in text:
        return True
    data = tables()
    if any(ch in data.japanese_kanji for ch in text):
        return True
    parts = [p for p in re.split(r"[\s・,、]+", text) if p]
    return any(p in data.japanese_surnames for p in parts) or (
        len(parts) == 1 and any(text.startswith(s) and len(text) - len(s) in (1, 2, 3) for s in data.japanese_surnames)
    )


@cache
def _cutlet() -> Any:
    import cutlet

    reader = cutlet.Cutlet("hepburn")
    reader.use_foreign_spelling = False  # katakana as written (バラク -> baraku), not as an English word
    return reader


def _rr_rule(now: tuple[str, Any], pre: tuple[str, Any] | None = None, post: Any = None) -> str:
    from hangul_romanize.rule import REVISED_VOWELS

    char, syllable = now
    if syllable is None:
        return char
    initial = _RR_INITIALS[syllable.initial]
    if syllable.initial == 5 and (pre is None or pre[1] is None):
        initial = "r"  # ㄹ opening a word
    return f"{initial}{REVISED_VOWELS[syllable.vowel]}{_RR_FINALS[syllable.final]}"


@lru_cache(maxsize=16_384)
def _pinyin(run: str) -> tuple[str, ...]:
    from pypinyin import lazy_pinyin

    return tuple(anyascii(s) for s in lazy_pinyin(run, v_to_u=True))


MAX_NAME_RUN = 3
"""A Han run this short is one name part (a given name, a surname, a brand): its syllables form one word."""


def _han_words(run: str, alone: bool) -> tuple[list[str], bool]:
    """Pinyin words of a Han run, and whether they are whole name parts.

    A short run is one word of the name ("志文" -> "zhiwen", "和泰" -> "hetai"), as names and
    brands are romanised; a name written as one run ("陳志文") is its surname and its given name.
    Longer runs, whose word boundaries are unknown, stay syllables that may be run together.
    """
    words = [w for w in _pinyin(run) if w.strip()]
    if not all(w.isalpha() for w in words) or len(words) != len(run):
        return words, False
    if alone and 2 <= len(run) <= 4:
        # A personal name: its surname (the frequent ones known; else one character of a
        # three-character name), then its given name.
        surnames = tables().chinese_surnames
        for length in (2, 1):
            if run[:length] in surnames and 1 <= len(run) - length <= 2:
                return ["".join(words[:length]), "".join(words[length:])], True
        if len(run) == 3:
            return [words[0], "".join(words[1:])], True
    if len(run) <= MAX_NAME_RUN:
        return ["".join(words)], True
    return words, False


_READING_FOLDS = (
    ("eo", "o"),
    ("eu", "u"),
    ("ou", "o"),
    ("oo", "o"),
    ("uu", "u"),
    ("wo", "o"),
    ("sh", "s"),
    ("ch", "j"),
    ("ts", "s"),
    ("k", "g"),
    ("t", "d"),
    ("p", "b"),
    ("r", "l"),
    ("f", "h"),
    ("zh", "j"),
    ("z", "j"),
    ("u", "o"),
)


@lru_cache(maxsize=65_536)
def reading_key(word: str) -> str:
    """A Korean or Japanese reading with the differences between romanisations folded.

    Revised and McCune-Reischauer Korean, Hepburn and Kunrei Japanese disagree on vowels (eo/o,
    eu/u, long vowels; the o and u that names are written with for ㅓ, ㅗ and ㅜ: Myung, Myong) and on
    voicing and aspiration (k/g, t/d, p/b, ch/j, r/l): "Geun-hye" and "Gunhye", "Ri" and "Li" read
    alike; "Chaewon" and "Chaegon" are two names.
    """
    key = word.replace(" ", "").replace("-", "")
    for a, b in _READING_FOLDS:
        key = key.replace(a, b)
    return "".join(ch for k, ch in enumerate(key) if k == 0 or ch != key[k - 1])


@cache
def surname_readings() -> frozenset[str]:
    """The pinyin of the frequent Chinese surnames (li, xi, wu…), as Latin words."""
    return frozenset(w.casefold() for s in tables().chinese_surnames for w in _pinyin(s) if w.isalpha())


@lru_cache(maxsize=16_384)
def _hangul(run: str) -> str:
    from hangul_romanize import Transliter

    # The vowels ㅓ and ㅡ as McCune-Reischauer writes them without breves (and as the lists do:
    # 정은 -> Jong Un, not Jeong Eun); the consonants stay Revised (surname table for the rest).
    return str(Transliter(_rr_rule).translit(run)).replace("eo", "o").replace("eu", "u")


def _korean_surname(run: str, text: str) -> int:
    """Length of the surname of a Korean personal name written as one word (김민준 -> 1), else 0."""
    if run != text.strip() or not 3 <= len(run) <= 4:
        return 0
    surnames = tables().korean_surnames
    for length in (2, 1):
        if run[:length] in surnames and len(run) - length in (1, 2):
            return length
    return 0


@lru_cache(maxsize=16_384)
def _japanese(run: str) -> tuple[str, ...]:
    words = anyascii(_cutlet().romaji(run)).casefold().split()
    return tuple(_LONG_VOWEL.sub("", w) for w in words)


@lru_cache(maxsize=65_536)
def romanise(text: str, japanese: bool | None = None) -> Romanised:
    """Latin text for ``text``; which romanisation was used; the words that are Chinese syllables.

    ``japanese`` is decided on the name before its legal form was replaced, when the caller has it.
    """
    if text.isascii():
        return Romanised(text, (), frozenset())
    notes: list[str] = []
    syllables: set[str] = set()
    read: set[str] = set()
    whole_words: set[str] = set()
    sounded: set[str] = set()
    if japanese is None:
        japanese = is_japanese(text)
    out: list[str] = []
    last = 0
    whole_text = text.strip()
    for match in _RUN.finditer(text):
        out.append(anyascii(text[last : match.start()]))
        last = match.end()
        whole = match.group()
        hangul = match.lastgroup == "hangul"
        surname = _korean_surname(whole, text) if hangul else 0
        pieces = [(whole[:surname], False), (whole[surname:], False)] if surname else _pieces(whole)
        for run, translated in pieces:
            if translated:
                out.append(f" {run} ")
                if GENERIC not in notes:
                    notes.append(GENERIC)
            elif hangul:
                word = _hangul(run)
                read.update(word.casefold().split())
                sounded.update(word.casefold().split())
                out.append(f" {word} ")
                if HANGUL not in notes:
                    notes.append(HANGUL)
            elif japanese:
                words = list(_japanese(run))
                read.update(words)
                sounded.update(words)
                out.append(" " + " ".join(words) + " ")
                if JAPANESE not in notes:
                    notes.append(JAPANESE)
            else:
                words, parts = _han_words(run, alone=len(pieces) == 1 and whole_text == run)
                folded = {w.casefold() for w in words if w.isalpha()}
                syllables.update(folded)
                read.update(folded)
                if parts:
                    whole_words.update(folded)
                out.append(" " + " ".join(words) + " ")
                if PINYIN not in notes:
                    notes.append(PINYIN)
    out.append(anyascii(text[last:]))
    return Romanised(
        "".join(out), tuple(notes), frozenset(syllables), frozenset(read), frozenset(whole_words), frozenset(sounded)
    )
