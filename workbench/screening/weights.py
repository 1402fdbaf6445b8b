"""How much a token says about identity: rarity on the lists, damped for generic vocabulary.

A token that many listed entries share (TECHNOLOGY, TRADING, MOHAMMAD) identifies little; one
that few share (ROSOBORONEXPORT) identifies a lot. Business words, legal forms, places and
particles are capped low whatever their rarity, so they can never make a hit on their own.
"""

from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache

from workbench import resources
from workbench.screening.normalise import NameKind, Token, TokenKind, fold
from workbench.screening.variants import VARIANTS_FILE

LEGAL_WEIGHT = 0.15
STOP_WEIGHT = 0.05
INITIAL_WEIGHT = 0.25
NUMBER_WEIGHT = 0.3
"""Series and vintage numbers (Fund VII, Trust 2005-1) mark siblings of one family, not other parties."""
GENERIC_CAP = 0.2
MIN_WORD_WEIGHT = 0.25
PATRONYMIC_FACTOR = 0.5
_PATRONYMIC = re.compile(r"\w{3,}(?:ovich|evich|ovych|evych|ovna|evna|ivna|ichna|ogly|oglu|kyzy)$")
DISTINCTIVE = 0.3
"""Tokens weighing more than this can carry a hit; generic vocabulary always weighs less."""


@cache
def generic_vocabulary() -> frozenset[str]:
    """Business words, trade-abbreviation words, and place names (countries, recurring list cities)."""
    raw = json.loads(resources.read_text("screening/name_data.json"))
    words = set(raw["generic_words"]) | set(raw["abbreviations"]) | vocabulary_places()
    words |= set(json.loads(resources.read_text(VARIANTS_FILE))["generic_words_other_languages"]["words"])
    return frozenset(words - set(raw["stopwords"]))


@cache
def _generic_deletes() -> dict[str, frozenset[str]]:
    """Deletion neighbourhood of generic and legal-form words, to spot their misspellings."""
    raw = json.loads(resources.read_text("screening/name_data.json"))
    words = set(generic_vocabulary()) - vocabulary_places()
    for form in raw["legal_forms"]:
        for alias in form["aliases"]:
            words.update(w for w in fold(alias).split() if len(w) >= 5)
    out: dict[str, set[str]] = {}
    for word in words:
        if len(word) >= 5:
            out.setdefault(word, set()).add(word)
            for i in range(len(word)):
                out.setdefault(word[:i] + word[i + 1 :], set()).add(word)
    return {k: frozenset(v) for k, v in out.items()}


def misspelt_generic(word: str) -> bool:
    """True for an unknown word one or two edits from a generic or legal word ("LIMITDE", "INVST")."""
    if len(word) < 6 or not word.isalpha():
        return False
    table = _generic_deletes()
    if word in table:
        return True
    return any(word[:i] + word[i + 1 :] in table for i in range(len(word)))


@cache
def known_names() -> frozenset[str]:
    """Personal and place names of an English word list (``known_names.json``, see NOTICE.md).

    A word that is a name of its own is not taken for a misspelling of another: "Hanson" is
    not "Hansen" mistyped, while "Morggan" may well be "Morgan".
    """
    raw = json.loads(resources.read_text("screening/known_names.json"))
    return frozenset(raw["names"])


@cache
def vocabulary_places() -> frozenset[str]:
    """Words of country names and of cities that recur in the lists' addresses."""
    raw = json.loads(resources.read_text("screening/name_data.json"))
    words: set[str] = set()
    for place in raw["place_names"]:
        words.update(w for w in fold(place).split() if len(w) >= 3)
    return frozenset(words - set(raw["stopwords"]) - set(raw["generic_words"]))


@dataclass(frozen=True, slots=True)
class TokenStats:
    """Document frequencies of token keys over a list (one count per entry, aliases included)."""

    df: Mapping[str, int]
    entries: int
    _memo: dict[tuple[str, TokenKind, bool], float] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def from_token_sets(cls, token_sets: Iterable[set[str]]) -> TokenStats:
        counts: Counter[str] = Counter()
        n = 0
        for tokens in token_sets:
            counts.update(tokens)
            n += 1
        return cls(dict(counts), n)

    def rarity(self, key: str) -> float:
        """1.0 for a token on one entry, falling with the log of how many entries share it."""
        n = max(self.entries, 2)
        df = min(max(self.df.get(key, 1), 1), n)
        return math.log(n / df) / math.log(n) if df > 1 else 1.0

    def weight(self, token: Token, kind: NameKind = NameKind.ANY) -> float:
        memo_key = (token.key, token.kind, kind is NameKind.PERSON)
        found = self._memo.get(memo_key)
        if found is None:
            found = self._memo[memo_key] = self._weight(token, kind)
        return found

    def _weight(self, token: Token, kind: NameKind) -> float:
        if token.kind is TokenKind.LEGAL:
            return LEGAL_WEIGHT
        if token.kind is TokenKind.STOP:
            return STOP_WEIGHT
        if token.kind is TokenKind.INITIAL:
            return INITIAL_WEIGHT
        if token.kind is TokenKind.NUMBER:
            return NUMBER_WEIGHT
        rarity = max(self.rarity(token.key), MIN_WORD_WEIGHT)
        if rarity >= 1.0 and kind is not NameKind.PERSON and misspelt_generic(token.key):
            return GENERIC_CAP
        if _PATRONYMIC.match(token.key):
            # A father's name is often left out ("Sergey Lavrov" for "Sergey Viktorovich Lavrov").
            return rarity * PATRONYMIC_FACTOR
        if kind is not NameKind.PERSON and token.key in generic_vocabulary():
            return min(rarity, GENERIC_CAP)
        return rarity


@cache
def background_stats() -> TokenStats:
    """Token frequencies of the shipped CSL snapshot: the rarity used when no list is at hand."""
    raw = json.loads(resources.read_text("screening/token_stats.json"))
    return TokenStats(raw["df"], int(raw["entries"]))
