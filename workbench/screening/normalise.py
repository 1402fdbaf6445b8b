"""Name normalisation: from any spelling of a name to comparable tokens.

Layers, in order: repair list quirks (mojibake, the ISN "and any successor…" suffix, leading
spaces), Unicode NFKC, invisible characters removed and look-alike letters mapped (``clean``),
legal forms of each script to their Latin class, script-aware romanisation (``romanise``:
pinyin, Japanese readings, Revised Romanisation, else anyascii), casefold, punctuation
(initialisms like ``A.B.C.`` are joined, other punctuation splits), "LAST, First" order for
people, then token classes: legal forms collapse to a canonical class (``CO., LTD.`` and
``COMPANY LIMITED`` and ``OOO`` -> ``LLC``), trade abbreviations to their word (``INTL`` ->
``international``), particles are stopwords, digits and initials are marked; given names and surnames spelt by
different romanisations share a key (``variants``).
"""

from __future__ import annotations

import contextlib
import json
import re
import unicodedata
from dataclasses import dataclass, replace
from enum import StrEnum
from functools import cache, lru_cache

from workbench import resources
from workbench.screening.clean import clean
from workbench.screening.romanise import is_japanese, replace_native_legal_forms, romanise
from workbench.screening.variants import particle_key, split_particles, tables, variant_key


class NameKind(StrEnum):
    ANY = "any"
    PERSON = "person"
    ORGANISATION = "organisation"
    OBJECT = "object"


class TokenKind(StrEnum):
    WORD = "word"
    LEGAL = "legal"
    STOP = "stop"
    NUMBER = "number"
    INITIAL = "initial"


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    """Normalised surface form (ASCII, lower case)."""
    key: str
    """Comparison key: the canonical word of an abbreviation, the class of a legal form, else ``text``."""
    kind: TokenKind
    phonetic: str
    origin: str = ""
    """The variant table or spelling rule that gave this word its key (empty: none)."""
    syllable: bool = False
    """A word read from Han characters as Chinese: it matches exactly or not at all."""
    whole: bool = False
    """One name part of its script ("志文" -> "zhiwen"): never run together with a neighbour."""
    sounded: bool = False
    """Read from Hangul or kana: it matches a word that reads alike, never a mere look-alike."""


@dataclass(frozen=True, slots=True)
class PreparedName:
    original: str
    tokens: tuple[Token, ...]
    notes: tuple[str, ...] = ()
    """What normalisation did beyond the usual: characters removed or mapped, romanisation used."""

    @property
    def normalised(self) -> str:
        return " ".join(t.text for t in self.tokens)


@dataclass(frozen=True, slots=True)
class _NameData:
    legal: dict[str, list[tuple[tuple[str, ...], str]]]
    abbreviations: dict[str, str]
    stopwords: frozenset[str]
    person_prefixes: dict[str, tuple[tuple[str, ...], ...]]
    object_prefixes: dict[str, tuple[tuple[str, ...], ...]]
    short_legal: frozenset[str]


_ISN_SUFFIX = re.compile(
    r"[;,]?\s*and any successors?,?\s*sub-?units?,?\s*or subsidiar(?:y|ies)\s*thereof\.?", re.IGNORECASE
)
_UTF8_MOJIBAKE = re.compile("[ÃÂâÐÑ][\u0080-\u00bf\u2018-\u203a\u0152-\u0178]")
_C1 = re.compile("[\u0080-\u009f]")
_BIS_APOSTROPHE = re.compile(r"(?<=\w)\?(?=s\b)")
_POSSESSIVE = re.compile(r"(?<=\w)['’`]s\b")
_APOSTROPHES = re.compile("['’`ʻʼʿʾ´]")
_INITIALISM = re.compile(r"\b(?:[a-z0-9]\.){2,}(?:[a-z0-9]\b)?|\b[a-z]\.[a-z]\b")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ROMAN = re.compile(r"^(?=[ivxl]{2,})x{0,3}(?:ix|iv|v?i{0,3})$|^(?:xl|l)x{0,3}(?:ix|iv|v?i{0,3})$")
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g"}
_LEET_DIGIT = re.compile(r"(?<=[a-z])[0134589]{1,2}(?=[a-z])")
_UNITS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen")
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_NUMBER_WORDS: dict[str, tuple[str, int]] = {
    **{w: ("unit", n) for n, w in enumerate(_UNITS)},
    **{w: ("teen", 10 + n) for n, w in enumerate(_TEENS)},
    **{w: ("tens", 20 + 10 * n) for n, w in enumerate(_TENS)},
    "fourty": ("tens", 40),
    "hundred": ("hundred", 100),
    "thousand": ("thousand", 1000),
}
# Which kind of number word may follow which within one number ("forty four", "seven hundred and three").
_MAY_FOLLOW: dict[str, set[str | None]] = {
    "unit": {None, "tens", "hundred", "thousand"},
    "teen": {None, "hundred", "thousand"},
    "tens": {None, "hundred", "thousand"},
    "hundred": {"unit", "teen"},
    "thousand": {"unit", "teen", "tens", "hundred"},
}


def repair(text: str) -> str:
    """Undo the encoding damage found in the lists (UTF-8 read as cp1252, cp437 bytes, BIS ``?s``)."""
    if _UTF8_MOJIBAKE.search(text):
        with contextlib.suppress(UnicodeEncodeError, UnicodeDecodeError):
            text = text.encode("cp1252").decode("utf-8")
    if _C1.search(text):
        text = _C1.sub(lambda m: bytes([ord(m.group())]).decode("cp437"), text)
    text = _BIS_APOSTROPHE.sub("'", text)
    return _ISN_SUFFIX.sub("", text).strip()


def reorder_person(text: str) -> str:
    """'MADURO MOROS, Nicolas' -> 'Nicolas MADURO MOROS' (one comma, both sides non-empty)."""
    if text.count(",") == 1:
        last, first = (part.strip() for part in text.split(","))
        if last and first:
            return f"{first} {last}"
    return text


@dataclass(frozen=True, slots=True)
class Folded:
    text: str
    notes: tuple[str, ...]
    syllables: frozenset[str]
    read: frozenset[str] = frozenset()
    whole: frozenset[str] = frozenset()
    sounded: frozenset[str] = frozenset()


@lru_cache(maxsize=131_072)
def fold_name(text: str, kind: NameKind = NameKind.ANY) -> Folded:
    """``fold`` with what it did: the notes for the explanation and the words that are Chinese syllables."""
    text = unicodedata.normalize("NFKC", repair(text))
    cleaned = clean(text)
    notes = [cleaned.note()] if cleaned.changed else []
    japanese = is_japanese(cleaned.text)
    text = replace_native_legal_forms(cleaned.text)
    if kind is NameKind.PERSON:
        text = reorder_person(text)
    romanised = romanise(text, japanese)
    notes.extend(romanised.notes)
    text = romanised.text.casefold()
    text = _POSSESSIVE.sub("", text)
    text = _APOSTROPHES.sub("", text).replace("&", " and ").replace("+", " and ")
    text = _INITIALISM.sub(lambda m: m.group().replace(".", ""), text)
    text = _NON_ALNUM.sub(" ", text)
    text = _LEET_DIGIT.sub(lambda m: "".join(_LEET[c] for c in m.group()), text)
    words = split_particles(numbers_to_digits(_number_signs(text.split())))
    return Folded(
        " ".join(words), tuple(notes), romanised.syllables, romanised.read, romanised.whole, romanised.sounded
    )


_NUMBER_SIGNS = frozenset({"no", "nr", "nos"})


def _number_signs(words: list[str]) -> list[str]:
    """ "No. 28" is the number 28: the sign says nothing of its own (and "no" is also a Korean name)."""
    if not any(w in _NUMBER_SIGNS for w in words):
        return words
    return [
        w for i, w in enumerate(words) if not (w in _NUMBER_SIGNS and i + 1 < len(words) and words[i + 1].isdigit())
    ]


def fold(text: str, kind: NameKind = NameKind.ANY) -> str:
    """Repair, clean, romanise, casefold and strip punctuation; the result is ``[a-z0-9 ]``."""
    return fold_name(text, kind).text


def numbers_to_digits(words: list[str]) -> list[str]:
    """English number words become digits, so "Brigade Forty-Four" and "Brigade 44" are one name.

    Only well-formed runs are joined ("seven hundred and three" -> 703, "forty 4" -> 44);
    "one two" stays two numbers. Both sides of a comparison pass through here, so a name
    with number words matches its digit spelling and itself alike.
    """
    if not any(w in _NUMBER_WORDS for w in words):
        return words
    out: list[str] = []
    total = current = 0
    last: str | None = None

    def flush() -> None:
        nonlocal total, current, last
        if last is not None:
            out.append(str(total + current))
        total = current = 0
        last = None

    for i, word in enumerate(words):
        kind, value = _NUMBER_WORDS.get(word, ("", 0))
        if not kind and last == "tens" and len(word) == 1 and word.isdigit():
            kind, value = "unit", int(word)  # "forty 4"
        if not kind:
            following = words[i + 1] if i + 1 < len(words) else ""
            if word == "and" and last in {"hundred", "thousand"} and following in _NUMBER_WORDS:
                continue
            flush()
            out.append(word)
            continue
        if last not in _MAY_FOLLOW[kind]:
            flush()
        if kind == "hundred":
            current = (current or 1) * 100
        elif kind == "thousand":
            total += (current or 1) * 1000
            current = 0
        else:
            current += value
        last = kind
    flush()
    return out


@lru_cache(maxsize=131_072)
def phonetic(token: str) -> str:
    """A coarse sound key: first letter, then the consonant skeleton with common spellings merged."""
    if not token or not token.isalpha():
        return token
    t = token
    for a, b in (
        ("sch", "s"),
        ("tch", "c"),
        ("ph", "f"),
        ("ck", "k"),
        ("kh", "h"),
        ("gh", "g"),
        ("dh", "d"),
        ("th", "t"),
        ("sh", "s"),
        ("ch", "c"),
        ("zh", "j"),
        ("q", "k"),
        ("x", "ks"),
        ("z", "s"),
        ("w", "v"),
        ("y", "i"),
        ("c", "k"),
        ("j", "i"),
        ("dz", "j"),
        ("ts", "s"),
    ):
        t = t.replace(a, b)
    head, rest = t[0], t[1:]
    if head in "aeiou":
        head = "a"
    skeleton = [ch for ch in rest if ch not in "aeiouh"]
    out = [head]
    for ch in skeleton:
        if ch != out[-1]:
            out.append(ch)
    return "".join(out)


@cache
def _name_data() -> _NameData:
    raw = json.loads(resources.read_text("screening/name_data.json"))
    exclude = set(raw["legal_form_exclude"])
    legal: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    short: set[str] = set()
    seen: dict[tuple[str, ...], str] = {}
    for form in raw["legal_forms"]:
        for alias in form["aliases"]:
            tokens = tuple(fold(alias).split())
            if not tokens or " ".join(tokens) in exclude:
                continue
            seen[tokens] = form["canonical"]
            if len(tokens) == 1 and len(tokens[0]) <= 2:
                short.add(tokens[0])
    for tokens, canonical in seen.items():
        legal.setdefault(tokens[0], []).append((tokens, canonical))
    for options in legal.values():
        options.sort(key=lambda o: -len(o[0]))
    abbreviations: dict[str, str] = {}
    for word, variants in raw["abbreviations"].items():
        abbreviations[word] = word
        for variant in variants:
            abbreviations[fold(variant)] = word

    def phrases(items: list[str]) -> dict[str, tuple[tuple[str, ...], ...]]:
        by_first: dict[str, list[tuple[str, ...]]] = {}
        for phrase in {tuple(fold(x).split()) for x in items if fold(x)}:
            by_first.setdefault(phrase[0], []).append(phrase)
        return {k: tuple(sorted(v, key=lambda p: -len(p))) for k, v in by_first.items()}

    return _NameData(
        legal=legal,
        abbreviations=abbreviations,
        stopwords=frozenset(raw["stopwords"]),
        person_prefixes=phrases(raw["person_prefixes"]),
        object_prefixes=phrases(raw["object_prefixes"]),
        short_legal=frozenset(short),
    )


@cache
def legal_words() -> frozenset[str]:
    """Every word of every legal form ("private", "pte", "limited"): none of them names a party."""
    return frozenset(w for options in _name_data().legal.values() for phrase, _ in options for w in phrase)


def legal_form_only(folded: str) -> bool:
    """True when the whole folded name is one legal form ("jsc", "co ltd"): a list artefact, no name."""
    words = tuple(folded.split())
    return bool(words) and any(phrase == words for phrase, _ in _name_data().legal.get(words[0], ()))


def reload_name_data() -> None:
    """Forget the cached vocabulary (after ``tools/build_name_data.py`` rewrote it)."""
    _name_data.cache_clear()
    _word_token.cache_clear()
    _read_token.cache_clear()
    legal_words.cache_clear()
    fold_name.cache_clear()
    prepare.cache_clear()


def _strip_prefix(words: list[str], prefixes: dict[str, tuple[tuple[str, ...], ...]]) -> list[str]:
    for prefix in prefixes.get(words[0], ()) if words else ():
        if len(words) > len(prefix) and tuple(words[: len(prefix)]) == prefix:
            return words[len(prefix) :]
    return words


@lru_cache(maxsize=262_144)
def _word_token(word: str) -> Token:
    data = _name_data()
    key = data.abbreviations.get(word)
    if key is not None:
        return Token(word, key, TokenKind.WORD, phonetic(key))
    if word.isdigit() or (not word.isalpha() and any(c.isdigit() for c in word)):
        return Token(word, word, TokenKind.NUMBER, word)
    if _ROMAN.match(word) and word not in _name_words():
        return Token(word, word, TokenKind.NUMBER, word)
    if len(word) == 1:
        return Token(word, word, TokenKind.INITIAL, word)
    if word in data.stopwords:
        return Token(word, particle_key(word), TokenKind.STOP, word)
    variant = variant_key(word) if word not in _plain_words() else None
    if variant is not None:
        key, origin = variant
        return Token(word, key, TokenKind.WORD, phonetic(key), origin=origin)
    return Token(word, word, TokenKind.WORD, phonetic(word))


@lru_cache(maxsize=65_536)
def _read_token(word: str) -> Token:
    """A word read from Han, kana or Hangul: a name word whatever Latin particle or numeral it spells."""
    variant = variant_key(word) if word not in _plain_words() else None
    if variant is not None:
        return Token(word, variant[0], TokenKind.WORD, phonetic(variant[0]), origin=variant[1])
    return Token(word, word, TokenKind.WORD, phonetic(word))


@cache
def _name_words() -> frozenset[str]:
    """Words of the variant tables (given names, surnames): "Li" and "Xi" are names, not Roman numerals."""
    from workbench.screening.romanise import surname_readings

    return frozenset(tables().keys) | surname_readings()


@cache
def _plain_words() -> frozenset[str]:
    """Business words and place names keep their own key whatever the variant tables say."""
    from workbench.screening.weights import generic_vocabulary

    return generic_vocabulary()


def tokens_of(
    folded: str,
    kind: NameKind = NameKind.ANY,
    syllables: frozenset[str] = frozenset(),
    read: frozenset[str] = frozenset(),
    whole: frozenset[str] = frozenset(),
    sounded: frozenset[str] = frozenset(),
) -> tuple[Token, ...]:
    """Classify the words of a folded name; legal forms only where a company name can have one."""
    data = _name_data()
    words = folded.split()
    if kind is NameKind.PERSON:
        words = _strip_prefix(words, data.person_prefixes)
    elif kind is NameKind.OBJECT:
        words = _strip_prefix(words, data.object_prefixes)
    out: list[Token] = []
    i = 0
    person = kind is NameKind.PERSON
    while i < len(words):
        word = words[i]
        matched = False
        if word in read:
            # Legal forms of the script were replaced before it was read: what is left is the name.
            token = _read_token(word)
            out.append(replace(token, syllable=word in syllables, whole=word in whole, sounded=word in sounded))
            i += 1
            continue
        # People have no legal form, except when a company was typed in as a person's name.
        if len(words) > 1 and (not person or (i == len(words) - 1 and len(word) >= 3)):
            for phrase, canonical in data.legal.get(word, ()):
                n = len(phrase)
                if tuple(words[i : i + n]) != phrase:
                    continue
                # A bare two-letter form (AO, SA, AG) only counts at either end of the name.
                if n == 1 and word in data.short_legal and 0 < i < len(words) - 1:
                    continue
                if n == len(words):
                    continue
                out.append(Token(" ".join(phrase), canonical, TokenKind.LEGAL, canonical))
                i += n
                matched = True
                break
        if not matched:
            token = _word_token(word)
            if word in syllables and token.kind is TokenKind.WORD:
                token = replace(token, syllable=True)
            out.append(token)
            i += 1
    return tuple(out)


@lru_cache(maxsize=262_144)
def prepare(name: str, kind: NameKind = NameKind.ANY) -> PreparedName:
    """Normalise ``name`` into tokens; cached because lists and batches repeat names."""
    folded = fold_name(name, kind)
    tokens = tokens_of(folded.text, kind, folded.syllables, folded.read, folded.whole, folded.sounded)
    return PreparedName(name, tokens, folded.notes)
