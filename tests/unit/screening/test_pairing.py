"""The fast paths of token pairing and of screening give the answers of the plain rules.

``pairing.candidate_pairs`` skips token pairs that cannot match before computing any
similarity, and looks up joins by length; ``scoring.compare_at_least`` stops before the
penalty rules when the name score cannot reach the floor. Each is checked here against the
unoptimised reading on listed names of the shipped CSL and on spellings of them built by code
(typos, split and joined words, initials, legal forms, other scripts), so a fast path that
drops a real pair fails.
"""

from __future__ import annotations

import dataclasses
import random
from collections.abc import Iterator

import pytest

from workbench.domain.screening import MatchKind
from workbench.screening.matcher import Screener
from workbench.screening.normalise import NameKind, prepare
from workbench.screening.pairing import (
    CONCAT_SLACK,
    MIN_SIMILARITY,
    Pair,
    WeightedName,
    candidate_pairs,
    token_similarity,
    weigh,
)
from workbench.screening.parsers import parse_list
from workbench.screening.scoring import compare, compare_at_least

from .conftest import SNAPSHOT

_OTHER_SCRIPTS = ("李金平", "陳志文", "김상호", "이수빈", "Калашников", "ООО Ромашка", "株式会社トヨタ", "محمد علي")
_LEGAL = ("Ltd", "LLC", "OOO", "GmbH", "Co., Ltd.", "JSC", "S.A.")


def _respell(name: str, rng: random.Random) -> str:
    words = name.split()
    if not words:
        return name
    k = rng.randrange(len(words))
    word = words[k]
    how = rng.randrange(8)
    if how == 0 and len(word) > 3:  # a letter dropped
        cut = rng.randrange(len(word))
        words[k] = word[:cut] + word[cut + 1 :]
    elif how == 1 and len(word) > 3:  # two letters swapped
        cut = rng.randrange(len(word) - 1)
        words[k] = word[:cut] + word[cut + 1] + word[cut] + word[cut + 2 :]
    elif how == 2 and len(word) >= 6:  # a word split into syllables
        words[k : k + 1] = [word[:2], word[2:4], word[4:]]
    elif how == 3 and len(words) >= 2 and k < len(words) - 1:  # two words run together
        words[k : k + 2] = [word + words[k + 1]]
    elif how == 4:  # an initial
        words[k] = word[0] + "."
    elif how == 5:
        words.append(rng.choice(_LEGAL))
    elif how == 6:
        words.insert(rng.randrange(len(words) + 1), rng.choice(_OTHER_SCRIPTS))
    else:
        words.append(word)  # a word twice
    return " ".join(words)


@pytest.fixture(scope="module")
def pairs_of_names() -> list[tuple[WeightedName, WeightedName]]:
    """Queries and the listed names the index offers them, as screening compares them."""
    rng = random.Random(13)
    entries = list(parse_list(SNAPSHOT).entries)
    screener = Screener(rng.sample(entries, 3000))
    listed = [name for entry in screener.entries for name in entry.names]
    queries = [_respell(rng.choice(listed), rng) for _ in range(400)] + list(_OTHER_SCRIPTS)
    out = []
    for text in queries:
        query = weigh(prepare(text, NameKind.ANY), NameKind.ANY, screener.index.stats)
        for nid in screener.index.candidates(query, 40):
            out.append((query, screener.index.names[nid].weighted))
    assert len(out) > 5000
    return out


def _single(found: list[tuple[float, float, Pair]]) -> list[Pair]:
    return sorted((p for _s, _w, p in found if len(p.query) == len(p.listed) == 1), key=repr)


def _joined(found: list[tuple[float, float, Pair]]) -> list[Pair]:
    return sorted((p for _s, _w, p in found if len(p.query) > 1 or len(p.listed) > 1), key=repr)


def _every_token_pair(q: WeightedName, c: WeightedName) -> Iterator[Pair]:
    for i, a in enumerate(q.tokens):
        for j, b in enumerate(c.tokens):
            sim, how = token_similarity(a, b)
            if how is not None and (sim >= MIN_SIMILARITY or how is MatchKind.INITIAL):
                if how is MatchKind.EXACT and (q.non_latin or c.non_latin):
                    how = MatchKind.TRANSLITERATION
                yield Pair((i,), (j,), sim, how)


def _scanned(name: WeightedName) -> WeightedName:
    """The name with its join lookup built by scanning every token, for every length."""
    joinable = {
        length: tuple(
            j
            for j, t in enumerate(name.tokens)
            if t.kind.name in ("WORD", "NUMBER") and abs(len(t.text) - length) <= CONCAT_SLACK
        )
        for length in range(0, 120)
    }
    return dataclasses.replace(name, joinable={k: v for k, v in joinable.items() if v})


def test_skipped_token_pairs_are_exactly_those_the_rules_do_not_match(pairs_of_names) -> None:
    matched = 0
    for q, c in pairs_of_names:
        expected = sorted(_every_token_pair(q, c), key=repr)
        assert _single(candidate_pairs(q, c)) == expected, (q.prepared.original, c.prepared.original)
        matched += bool(expected)
    assert matched > 1000  # the corpus pairs many names, not only strangers


@pytest.mark.parametrize(
    ("query", "listed"),
    [
        ("Kim Jong Un", "KIM Jong Uun"),  # two letters against three, a doubled letter apart
        ("Bold Ts", "BOLD TTS"),  # the same, their phonetic keys apart
        ("Argument LIMITDE", "ARGUMENT LIMITED"),  # a misspelt legal form is a word
        ("Argument Limited", "ARGUMENT LTD"),  # two spellings of one legal form
        ("A. Mikheev", "MIKHEEV, Alexander"),  # an initial
        ("Bank of Ningbo No 7", "BANK OF NINGBO NO 7"),  # particles and numbers match themselves
        ("Mohamed Aly", "MUHAMMAD ALI"),  # variant tables
        ("김상호", "KIM, Sang-ho"),  # read from Hangul
        ("李金平", "LI, Jin Ping"),  # read from Han
    ],
)
def test_each_fast_path_keeps_the_pairs_of_its_class(query: str, listed: str) -> None:
    stats = Screener([]).index.stats
    q = weigh(prepare(query, NameKind.ANY), NameKind.ANY, stats)
    c = weigh(prepare(listed, NameKind.ANY), NameKind.ANY, stats)
    expected = sorted(_every_token_pair(q, c), key=repr)
    assert expected
    assert _single(candidate_pairs(q, c)) == expected


def test_joins_found_by_length_are_those_found_by_scanning(pairs_of_names) -> None:
    joins = 0
    for q, c in pairs_of_names:
        found = _joined(candidate_pairs(q, c))
        assert found == _joined(candidate_pairs(_scanned(q), _scanned(c))), (q.prepared.original, c.prepared.original)
        joins += len(found)
    assert joins > 20


@pytest.mark.parametrize("floor", [0.5, 0.78, 0.9])
def test_compare_at_least_stops_only_where_the_score_falls_short(pairs_of_names, floor: float) -> None:
    stopped = 0
    for q, c in pairs_of_names:
        for affiliate in (False, True):
            full = compare(q, c, affiliate=affiliate, screening=True)
            quick = compare_at_least(q, c, floor, affiliate=affiliate, screening=True)
            if quick is None:
                assert full.score < floor, (q.prepared.original, c.prepared.original)
                stopped += 1
            else:
                assert quick == full
    assert stopped > len(pairs_of_names) // 2
