"""In-memory candidate index over every name and alias of a list version.

Finding candidates must be cheap and must not miss: a name is retrieved through any of its
identifying tokens, written exactly, one or two edits away (deletion neighbourhoods), alike in
sound (phonetic key), or run together with its neighbour ("JSCARGUMENT"). Generic tokens only
retrieve names that consist of nothing else. The matcher then scores the best few hundred.
"""

from __future__ import annotations

import heapq
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.domain.screening import EntryType, ListEntry
from workbench.screening.kinds import implied_kind
from workbench.screening.normalise import NameKind, TokenKind, legal_form_only, prepare
from workbench.screening.normalise import phonetic as phonetic_key
from workbench.screening.pairing import WeightedName, weigh
from workbench.screening.weights import DISTINCTIVE, TokenStats, background_stats, generic_vocabulary

MIN_ENTRIES_FOR_OWN_STATS = 2000
"""Smaller lists (tests, custom lists) borrow token rarity from the shipped CSL snapshot."""
MAX_CANDIDATES = 60
FUZZY_QUALITY = 0.8
_PARENTHESIS = re.compile(r"\s*\(([^()]*)\)\s*")


def name_kind(entry_type: EntryType | None) -> NameKind:
    if entry_type is EntryType.INDIVIDUAL:
        return NameKind.PERSON
    if entry_type in (EntryType.VESSEL, EntryType.AIRCRAFT):
        return NameKind.OBJECT
    return NameKind.ANY


def name_variants(name: str) -> list[str]:
    """The name, and for "ACADEMY OF X (AASPT)" also the name without and the acronym alone."""
    variants = [name]
    if "(" in name and ")" in name:
        bare = " ".join(_PARENTHESIS.sub(" ", name).split())
        if bare and bare != name:
            variants.append(bare)
        for inner in _PARENTHESIS.findall(name):
            inner = inner.strip()
            if len(inner) >= 3 and inner.casefold() not in {"formerly", "aka"}:
                variants.append(inner)
    return variants


def _deletes(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True)
class IndexedName:
    entry: int
    text: str
    weighted: WeightedName
    implied: EntryType | None = None
    """The kind this name shows when its entry has no type (``kinds.implied_kind``)."""
    implied_reason: str = ""


class NameIndex:
    """Names of a list, their weights, and the lookup tables used to find candidates quickly."""

    def __init__(self, entries: Sequence[ListEntry], stats: TokenStats | None = None) -> None:
        self.entries = tuple(entries)
        prepared = []
        generic = generic_vocabulary()
        for number, entry in enumerate(self.entries):
            kind = name_kind(entry.entry_type)
            names = entry.names
            for name in dict.fromkeys(v for n in names for v in name_variants(n)):
                p = prepare(name, kind)
                if not p.tokens or legal_form_only(p.normalised) or all(t.kind is TokenKind.LEGAL for t in p.tokens):
                    continue  # "JSC" alone is a list artefact, not a name: it would match every JSC
                # A parenthesis that is only a place or a generic word ("(Beijing)") is no name of its own.
                if name not in names and not any(t.kind is TokenKind.WORD and t.key not in generic for t in p.tokens):
                    continue
                prepared.append((number, name, kind, p))
        if stats is None:
            if len(self.entries) >= MIN_ENTRIES_FOR_OWN_STATS:
                per_entry: dict[int, set[str]] = defaultdict(set)
                for number, _name, _kind, p in prepared:
                    per_entry[number].update(t.key for t in p.tokens)
                stats = TokenStats.from_token_sets(per_entry.values())
            else:
                stats = background_stats()
        self.stats = stats
        self.names: list[IndexedName] = []
        for number, name, kind, p in prepared:
            implied, reason = implied_kind(p, listed=True) if self.entries[number].entry_type is None else (None, "")
            self.names.append(IndexedName(number, name, weigh(p, kind, stats), implied, reason))
        self._postings: dict[str, list[int]] = defaultdict(list)
        singles: set[str] = set()
        for nid, item in enumerate(self.names):
            tokens, joined = self._index_keys(item.weighted)
            singles.update(tokens)
            for key in tokens | joined:
                self._postings[key].append(nid)
        deletes: dict[str, list[str]] = defaultdict(list)
        phonetic: dict[str, set[str]] = defaultdict(set)
        for key in singles:
            if len(key) >= 4 and key.isalpha():
                for i in range(len(key)):
                    deletes[key[:i] + key[i + 1 :]].append(key)
                phonetic[phonetic_key(key)].add(key)
        self._deletes = dict(deletes)
        self._phonetic = {k: sorted(v) for k, v in phonetic.items() if len(k) >= 3}

    @staticmethod
    def _index_keys(name: WeightedName) -> tuple[set[str], set[str]]:
        """Identifying token keys, and adjacent tokens run together (for "JSC ARGUMENT" ~ "JSCARGUMENT")."""
        tokens, weights = name.tokens, name.weights
        keys = {
            t.key
            for t, w in zip(tokens, weights, strict=True)
            if (w > DISTINCTIVE or not name.distinctive or t.kind is TokenKind.NUMBER) and t.kind is not TokenKind.STOP
        }
        return keys, {text for _span, text in name.joins if len(_span) == 2}

    def _similar_keys(self, key: str) -> dict[str, float]:
        """Vocabulary keys equal to, or one or two edits from, ``key``: key -> match quality."""
        found: dict[str, float] = {}
        if key in self._postings:
            found[key] = 1.0
        if len(key) >= 4 and key.isalpha():
            own = _deletes(key)
            for candidate in self._deletes.get(key, ()):
                found.setdefault(candidate, FUZZY_QUALITY)
            for d in own:
                if d in self._postings:
                    found.setdefault(d, FUZZY_QUALITY)
                for candidate in self._deletes.get(d, ()):
                    found.setdefault(candidate, FUZZY_QUALITY)
        return found

    def candidates(self, query: WeightedName, limit: int = MAX_CANDIDATES) -> list[int]:
        """Ids of the names most likely to match ``query``, best first."""
        score: dict[int, float] = defaultdict(float)
        tokens, weights = query.tokens, query.weights
        lookups: list[tuple[float, dict[str, float]]] = []
        for t, w in zip(tokens, weights, strict=True):
            if t.kind is TokenKind.STOP or (w <= DISTINCTIVE and query.distinctive and t.kind is not TokenKind.NUMBER):
                continue
            keys = self._similar_keys(t.key)
            if t.key != t.text:
                keys.update({k: q for k, q in self._similar_keys(t.text).items() if k not in keys})
            if t.kind is TokenKind.WORD and len(t.phonetic) >= 3:
                for k in self._phonetic.get(t.phonetic, ()):
                    keys.setdefault(k, FUZZY_QUALITY)
            lookups.append((w, keys))
        for i in range(len(tokens) - 1):
            if tokens[i].whole or tokens[i + 1].whole:
                continue
            joined = tokens[i].text.replace(" ", "") + tokens[i + 1].text.replace(" ", "")
            if joined in self._postings:
                lookups.append((weights[i] + weights[i + 1], {joined: 1.0}))
        for span, joined in query.joins:
            # A word typed as its syllables ("Ke Zi Le Su"): the listed word, exactly or one or two edits off.
            if len(span) >= 3 and len(joined) >= 6:
                keys = self._similar_keys(joined)
                if keys:
                    lookups.append((sum(weights[k] for k in span), keys))
        for weight, keys in lookups:
            best: dict[int, float] = {}
            for key, quality in keys.items():
                for nid in self._postings.get(key, ()):
                    if best.get(nid, 0.0) < quality:
                        best[nid] = quality
            for nid, quality in best.items():
                score[nid] += weight * quality
        # Ties broken by name id, so that results do not depend on hash order between runs.
        return heapq.nlargest(limit, score, key=lambda nid: (score[nid], -nid))
