"""What a name says about the kind of party it names, when nobody said so.

The officer's kind (``screen --type``) is the strong signal. Without it, some names still say
what they are: a legal form in any script (LLC, 有限公司, (주)) or a word only organisations carry
(Group, Trading, Sons) makes an organisation; a Chinese or Korean name written as a surname and
a given name of one to three characters, or two or three Latin words that are all known
personal or place names ("Lauren Chan"), or a known personal name beside words of no trade
("Emma Marini"), make an individual, as do two to four Vietnamese
syllables led or ended by a frequent Vietnamese family name. The same reading is made of a
listed name whose entry has no type (the Entity List, DPL and ISN rows carry none): "Tian Yi",
two pinyin syllables one of them a frequent surname, is a person. The matcher uses an implied
kind like a declared one, as a signal that only a strong name match survives, never as a filter.
"""

from __future__ import annotations

import re
from functools import cache

from workbench.domain.screening import EntryType
from workbench.screening.normalise import PreparedName, TokenKind, legal_words
from workbench.screening.romanise import surname_readings
from workbench.screening.variants import GIVEN_NAMES, tables
from workbench.screening.weights import generic_vocabulary, known_names, vocabulary_places

_SURNAME_FIRST = re.compile(r"^\s*[^\s,]+\s*,\s*[^,]+$")
_NATIVE_PART = re.compile(r"^(?:[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,3}|[\uac00-\ud7af]{1,3})$")
_PINYIN = re.compile(
    r"^(?:zh|ch|sh|[bpmfdtnlgkhjqxrzcsyw])?"
    r"(?:iang|iong|uang|ueng|ang|eng|ing|ong|ian|iao|uai|uan|van|ai|ei|ao|ou|an|en|er|ia|ie|iu|in|ua|uo|ui|un|ue"
    r"|ve|vn|a|o|e|i|u|v)$"
)
_VIETNAMESE_SYLLABLE = re.compile(
    r"^(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ng|nh|ch|[cmnpt])?$"
)


@cache
def organisation_words() -> frozenset[str]:
    return frozenset(tables().organisation_words)


@cache
def _korean_surnames() -> frozenset[str]:
    return frozenset(tables().korean_surnames)


def implied_kind(name: PreparedName, *, listed: bool = False) -> tuple[EntryType | None, str]:
    """The kind the name itself shows, and why; ``(None, "")`` when it does not show one.

    A ``listed`` name is read more cautiously: entities named like people ("Andres Morales")
    are common on the Entity List, so only the Chinese personal-name pattern makes a person.
    """
    tokens = name.tokens
    legal = [t.text for t in tokens if t.kind is TokenKind.LEGAL]
    lead = _SURNAME_FIRST.match(name.original)
    if legal and lead and tokens[0].kind is TokenKind.LEGAL and len(legal) == 1:
        legal = []  # "SOE, Khin Maung": a surname before its comma, not a legal form
    if legal:
        return EntryType.ENTITY, f"the name has a legal form ({legal[0]})"
    words = organisation_words()
    marker = next((t.text for t in tokens if t.kind is TokenKind.WORD and t.key in words), None)
    if marker is not None:
        return EntryType.ENTITY, f"the name has the word '{marker}', which organisations carry"
    if _native_personal(name.original) or _pinyin_personal(name) or _vietnamese_personal(name):
        return EntryType.INDIVIDUAL, "the name is a surname and a given name"
    personal = "" if listed else _known_personal(name)
    if personal:
        return EntryType.INDIVIDUAL, personal
    return None, ""


def chinese_or_korean_personal(name: PreparedName) -> bool:
    """A Chinese or Korean personal name: in its own script ("平 李"), or two or three pinyin syllables.

    Such a name matches only as a whole (``scoring.compare(whole_name=True)``).
    """
    return _native_personal(name.original) or _pinyin_personal(name)


def _native_personal(original: str) -> bool:
    """Two Han or Hangul parts of one to three characters (志文 陳, 云 傅, 채원 김).

    Companies are not written as two short parts; a Hangul pair needs a frequent surname too.
    """
    parts = original.split()
    if len(parts) != 2 or not all(_NATIVE_PART.match(p) for p in parts):
        return False
    if all("\u3400" <= p[0] <= "\ufaff" for p in parts):
        return True
    korean = _korean_surnames()
    return any(p in korean for p in parts)


def _known_personal(name: PreparedName) -> str:
    """Why two or three Latin words are a person's name, or "" when they are not.

    Each a known personal or place name ("Lauren Chan", "Flora Córdoba"), or one of them a known
    name and none a business word ("Emma Marini"): the others may be anything a surname may be, a
    place or a look-alike of a business word included ("Trinidad Arnal", "Christiane Allain"). Read
    as a company's, they would be taken for qualifiers and leave one word to carry the match alone.
    """
    tokens = name.tokens
    if not 2 <= len(tokens) <= 3 or "," in name.original or _non_latin(name):
        return ""
    if not all(t.kind is TokenKind.WORD for t in tokens):
        return ""
    names = known_names()
    known = [t.text in names or t.origin == GIVEN_NAMES for t in tokens]
    if all(known):
        return "every word of the name is a personal or place name"
    business = _business_words()
    if any(known) and all(t.text.isalpha() and t.key not in business for t in tokens):
        return "the name has a known personal name and no business or legal-form word"
    return ""


@cache
def _business_words() -> frozenset[str]:
    """Generic words of trade (Trading, Industries, Marine), places aside, and the words of legal forms (Co)."""
    return (generic_vocabulary() - vocabulary_places()) | legal_words()


def _non_latin(name: PreparedName) -> bool:
    return any(ord(ch) > 0x24F for ch in name.original if ch.isalpha())


def _vietnamese_personal(name: PreparedName) -> bool:
    """Two to four Vietnamese syllables, the first or last a frequent family name ("Dan Tran Dang").

    Some fourteen family names are borne by nine Vietnamese in ten, and a company carries a legal
    form or a word of trade beside them ("Tran Dang Cong ty TNHH").
    """
    tokens = name.tokens
    if not 2 <= len(tokens) <= 4:
        return False
    # "Van" and "Le" read as particles elsewhere: here they are a middle name and a family name.
    if not all(t.kind in (TokenKind.WORD, TokenKind.STOP) and _VIETNAMESE_SYLLABLE.match(t.text) for t in tokens):
        return False
    surnames = tables().vietnamese_surnames
    return tokens[0].text in surnames or tokens[-1].text in surnames


def _pinyin_personal(name: PreparedName) -> bool:
    """Two or three pinyin syllables, the first or last a frequent Chinese surname ("Tian Yi", "Wu Bin")."""
    tokens = name.tokens
    if not 2 <= len(tokens) <= 3 or not name.original.isascii():
        return False
    texts = [t.text for t in tokens]
    if not all(t.kind in (TokenKind.WORD, TokenKind.STOP) and _PINYIN.match(t.text) for t in tokens):
        return False
    surnames = surname_readings()
    return texts[0] in surnames or texts[-1] in surnames
