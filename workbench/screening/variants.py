"""Name-variant knowledge as data: ``resources/screening/name_variants.json``, with a source per table.

Given names and Chinese surnames spelt differently by different romanisations share one key
(Mohamed, Muhammad, Mohammed -> ``muhammad``; Chang, Cheung -> ``zhang``), so they match as
one word; particles written together or apart are split the same way ("Abdul Rahman" and
"Abd al-Rahman"); a few spelling rules bring the systems for Russian names together (Iu/Yu,
-iy/-y, ks/x). Which table made two words one is kept, so the explanation can say so.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache

from workbench import resources

VARIANTS_FILE = "screening/name_variants.json"
GIVEN_NAMES = "given-name table"
CHINESE_SURNAMES = "Chinese surname table (Wade-Giles / pinyin)"
KOREAN_SURNAMES = "Korean surname table (Revised / McCune-Reischauer)"
SPELLING_RULES = "romanisation spelling rules"


@dataclass(frozen=True, slots=True)
class VariantTables:
    keys: dict[str, tuple[str, str]]
    """Folded word -> (shared key, the table it comes from)."""
    split: dict[str, tuple[str, ...]]
    same: dict[str, str]
    rules: tuple[tuple[re.Pattern[str], str], ...]
    native_legal: tuple[tuple[str, str], ...]
    """(legal form in its own script, canonical class), longest first."""
    chinese_surnames: frozenset[str]
    japanese_surnames: frozenset[str]
    japanese_kanji: frozenset[str]
    korean_surnames: frozenset[str]
    generic: dict[str, str]
    """Generic business words of CJK names (科技, 정보통신) -> the English word the lists write."""
    organisation_words: frozenset[str] = frozenset()
    """Words only organisations carry (group, trading, sons): a name with one is an organisation's."""
    pinyin_surnames: frozenset[str] = frozenset()
    """The pinyin spelling that heads each Chinese surname class (zhang, not chang or cheung)."""
    vietnamese_surnames: frozenset[str] = frozenset()
    """The most frequent Vietnamese family names, written as the lists write them (nguyen, tran)."""


def _ascii_key(word: str) -> str:
    from anyascii import anyascii

    return re.sub(r"[^a-z0-9]+", "", anyascii(word).casefold())


@cache
def tables() -> VariantTables:
    raw = json.loads(resources.read_text(VARIANTS_FILE))
    keys: dict[str, tuple[str, str]] = {}
    for table, label in (("given_names", GIVEN_NAMES), ("chinese_surname_romanisations", CHINESE_SURNAMES)):
        for group in raw[table]["classes"]:
            canonical = _ascii_key(group[0])
            for word in group:
                keys.setdefault(_ascii_key(word), (canonical, label))
    korean = raw["korean_surnames"]["surnames"]
    for spellings in korean.values():
        canonical = _ascii_key(spellings[0])
        for word in spellings:
            keys.setdefault(_ascii_key(word), (canonical, KOREAN_SURNAMES))
    legal = raw["native_legal_forms"]["forms"]
    surnames = raw["chinese_surnames"]
    japanese = raw["japanese_markers"]
    return VariantTables(
        keys=keys,
        split={k: tuple(v) for k, v in raw["particles"]["split"].items()},
        same=dict(raw["particles"]["same"]),
        rules=tuple((re.compile(a), b) for a, b in raw["spelling_rules"]["rules"]),
        native_legal=tuple(sorted(legal.items(), key=lambda kv: -len(kv[0]))),
        chinese_surnames=frozenset(surnames["single"]) | frozenset(surnames["compound"]),
        japanese_surnames=frozenset(japanese["surnames"]),
        japanese_kanji=frozenset(japanese["kanji"]),
        korean_surnames=frozenset(korean),
        generic=dict(raw["native_generic_words"]["words"]),
        organisation_words=frozenset(raw["organisation_words"]["words"]),
        pinyin_surnames=frozenset(_ascii_key(group[0]) for group in raw["chinese_surname_romanisations"]["classes"]),
        vietnamese_surnames=frozenset(_ascii_key(name) for name in raw["vietnamese_surnames"]["surnames"]),
    )


def variant_key(word: str) -> tuple[str, str] | None:
    """(shared key, table) when a variant table or spelling rule gives ``word`` another key."""
    data = tables()
    found = data.keys.get(word)
    if found is not None:
        return found if found[0] != word else (word, found[1])
    if len(word) < 2 or not word.isalpha():
        return None
    key = word
    for pattern, replacement in data.rules:
        key = pattern.sub(replacement, key)
    if key != word:
        found = data.keys.get(key)
        return found if found is not None else (key, SPELLING_RULES)
    return None


def split_particles(words: list[str]) -> list[str]:
    """'abdul rahman' -> 'abd al rahman'; 'abdulrahman' stays one word."""
    data = tables()
    if not any(w in data.split for w in words):
        return words
    out: list[str] = []
    for word in words:
        out.extend(data.split.get(word, (word,)))
    return out


def particle_key(word: str) -> str:
    """The shared key of a particle ('el' and 'al'; 'ibn', 'ben' and 'bin')."""
    return tables().same.get(word, word)
