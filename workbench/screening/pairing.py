"""Pair the tokens of two names: which word of one may be which word (or run of words) of the other.

Each candidate pair carries a similarity and how it matched: the same key (abbreviation,
variant table, legal-form class), OSA edit similarity, the phonetic key, an initial, the same
Korean or Japanese reading, or two or three adjacent words written together ("JSCARGUMENT"
against "JSC ARGUMENT", "Ke Zi Le Su" against "Kezilesu"). Chinese syllables read from Han
characters match exactly or not at all. ``align`` pairs each token at most once, greedily by
similarity; ``scoring`` turns the pairs into a score. Screening compares a query with some forty
listed names, so the cases that cannot match are answered before any similarity is computed.
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA, Levenshtein

from workbench.domain.screening import MatchKind
from workbench.screening.normalise import NameKind, PreparedName, Token, TokenKind, phonetic
from workbench.screening.romanise import reading_key
from workbench.screening.variants import tables
from workbench.screening.weights import DISTINCTIVE, TokenStats

MIN_SIMILARITY = 0.75
"""Token pairs less similar than this are not aligned at all."""
PHONETIC_SIMILARITY = 0.88
INITIAL_SIMILARITY = 0.7
DOUBLED_SIMILARITY = 0.85
READING_SIMILARITY = 0.95
"""Two spellings of one Korean or Japanese reading (Gunhye, Geunhye): the same name, not the same letters."""
CONCAT_MIN = 0.86
CONCAT_SLACK = 2
"""Letters a join may differ in length from the word it is compared with."""
MAX_SYLLABLE_RUN = 6
MAX_SYLLABLE_LEN = 3
_JOINABLE = frozenset({TokenKind.WORD, TokenKind.NUMBER})
VAGUE_LEGAL = frozenset({"COMPANY", "CORPORATION"})
"""Legal forms too vague to tell two companies apart ("Company" against "Corporation")."""


@dataclass(frozen=True, slots=True)
class WeightedName:
    """A prepared name with its token weights, ready to be compared many times."""

    prepared: PreparedName
    kind: NameKind
    weights: tuple[float, ...]
    total: float
    distinctive: bool
    non_latin: bool
    joins: tuple[tuple[tuple[int, ...], str], ...]
    joins_read: tuple[bool, ...]
    """For each join, whether a word in it was read from Han, Hangul or kana."""
    joinable: dict[int, tuple[int, ...]]
    """For a length, the words and numbers within two letters of it: what a join of that length may be."""

    @property
    def tokens(self) -> tuple[Token, ...]:
        return self.prepared.tokens


def weigh(prepared: PreparedName, kind: NameKind, stats: TokenStats) -> WeightedName:
    tokens = prepared.tokens
    weights = tuple(stats.weight(t, kind) for t in tokens)
    joins = _joins(tokens)
    joinable: dict[int, tuple[int, ...]] = {}
    for j, t in enumerate(tokens):
        if t.kind in _JOINABLE:
            length = len(t.text)
            for near in range(length - CONCAT_SLACK, length + CONCAT_SLACK + 1):
                joinable[near] = (*joinable.get(near, ()), j)
    if any(_read(t) for t in tokens):
        joins_read = tuple(any(_read(tokens[k]) for k in span) for span, _text in joins)
    else:
        joins_read = (False,) * len(joins)
    return WeightedName(
        prepared=prepared,
        kind=kind,
        weights=weights,
        total=sum(weights) or 1.0,
        distinctive=any(w > DISTINCTIVE for w in weights),
        non_latin=not prepared.original.isascii() and any(ord(ch) > 0x24F for ch in prepared.original),
        joins=joins,
        joins_read=joins_read,
        joinable=joinable,
    )


@dataclass(frozen=True, slots=True)
class Pair:
    query: tuple[int, ...]
    listed: tuple[int, ...]
    similarity: float
    how: MatchKind


def token_similarity(a: Token, b: Token) -> tuple[float, MatchKind | None]:
    """Similarity of two tokens and how they matched; (0, None) when they do not."""
    if a.key == b.key:
        if a.text == b.text:
            return 1.0, MatchKind.EXACT
        if _two_syllables(a, b):
            return 0.0, None
        if a.kind is TokenKind.LEGAL:
            return 1.0, MatchKind.LEGAL_FORM
        return 1.0, MatchKind.VARIANT if a.origin or b.origin else MatchKind.ABBREVIATION
    ka, kb = a.kind, b.kind
    if a.syllable or b.syllable:
        return 0.0, None  # "long" and "hong" are two Chinese syllables, not a misspelling
    if a.sounded or b.sounded:
        # Hangul and kana are written by sound: the same reading in another romanisation, or another name.
        if ka is TokenKind.WORD and kb is TokenKind.WORD and reading_key(a.text) == reading_key(b.text):
            return (1.0 if a.text == b.text else READING_SIMILARITY), MatchKind.TRANSLITERATION
        return 0.0, None
    if ka is TokenKind.LEGAL or kb is TokenKind.LEGAL:
        if ka is kb:
            if a.key in VAGUE_LEGAL or b.key in VAGUE_LEGAL:
                return 0.8, MatchKind.LEGAL_FORM
            return 0.0, None
        if a.text == b.text:
            return 1.0, MatchKind.EXACT
        # A misspelt legal form ("LIMITDE") is a word on one side and the form on the other.
        if min(len(a.text), len(b.text)) >= 5:
            sim = OSA.normalized_similarity(a.text, b.text, score_cutoff=MIN_SIMILARITY)
            if sim >= 0.75:
                return sim, MatchKind.FUZZY
        return 0.0, None
    if ka is TokenKind.INITIAL or kb is TokenKind.INITIAL:
        if ka is kb:
            return 0.0, None
        word, initial = (b, a) if ka is TokenKind.INITIAL else (a, b)
        if word.kind is TokenKind.WORD and word.text[0] == initial.text:
            return INITIAL_SIMILARITY, MatchKind.INITIAL
        return 0.0, None
    if ka is not TokenKind.WORD or kb is not TokenKind.WORD:
        return 0.0, None
    ta, tb = a.text, b.text
    la, lb = len(ta), len(tb)
    if la < 3 or lb < 3:
        # "Jong-uun" for "Jong-un": a doubled letter is the only difference.
        if max(la, lb) >= 2 and _squeezed(ta) == _squeezed(tb):
            return DOUBLED_SIMILARITY, MatchKind.FUZZY
        return 0.0, None
    sim = 0.0
    if abs(la - lb) <= (1.0 - MIN_SIMILARITY) * max(la, lb):
        sim = OSA.normalized_similarity(ta, tb, score_cutoff=MIN_SIMILARITY)
    if a.key != ta or b.key != tb:
        sim = max(sim, OSA.normalized_similarity(a.key, b.key, score_cutoff=MIN_SIMILARITY))
    if (
        sim < PHONETIC_SIMILARITY
        and a.phonetic == b.phonetic
        and len(a.phonetic) >= 3
        and abs(la - lb) <= 1
        and OSA.normalized_similarity(ta, tb) >= 0.5
    ):
        return PHONETIC_SIMILARITY, MatchKind.PHONETIC
    return sim, MatchKind.FUZZY


def _two_syllables(a: Token, b: Token) -> bool:
    """Two pinyin spellings, at least one read from Han: two characters, not two romanisations of one.

    常 is read "chang" and 张 "zhang"; a Wade-Giles "CHANG" on the list may be 张, but a pinyin
    "ZHANG" is never 常.
    """
    if not (a.syllable or b.syllable):
        return False
    if a.syllable and b.syllable:
        return True
    other = b if a.syllable else a
    return other.text in tables().pinyin_surnames


def _joins(tokens: tuple[Token, ...]) -> tuple[tuple[tuple[int, ...], str], ...]:
    """Runs of two or three adjacent tokens written together ("van der bilt" -> "vanderbilt")."""
    n = len(tokens)
    if n < 2:
        return ()
    texts = [t.text.replace(" ", "") for t in tokens]
    legal = [t.kind is TokenKind.LEGAL for t in tokens]
    whole = [t.whole for t in tokens]
    out: list[tuple[tuple[int, ...], str]] = []
    for i in range(n - 1):
        if whole[i] or whole[i + 1]:
            continue  # a given name and a surname read from Han are two words ("鑫 吴" is not "Xinwu")
        if not (legal[i] and legal[i + 1]):
            out.append(((i, i + 1), texts[i] + texts[i + 1]))
            if legal[i] or legal[i + 1]:  # "ARGUMENT JSC" typed as "JSCARGUMENT"
                out.append(((i, i + 1), texts[i + 1] + texts[i]))
    for i in range(n - 2):
        if any(whole[i : i + 3]):
            continue
        if not (legal[i] and legal[i + 1] and legal[i + 2]):
            out.append(((i, i + 1, i + 2), texts[i] + texts[i + 1] + texts[i + 2]))
    # A word written as its syllables ("Ke Zi Le Su" for "Kezilesu"): runs of up to six short tokens.
    for i in range(n - 3):
        for j in range(i + 4, min(n, i + MAX_SYLLABLE_RUN) + 1):
            if any(legal[k] or whole[k] or len(texts[k]) > MAX_SYLLABLE_LEN for k in range(i, j)):
                break
            out.append((tuple(range(i, j)), "".join(texts[i:j])))
    return tuple(out)


def candidate_pairs(q: WeightedName, c: WeightedName) -> list[tuple[float, float, Pair]]:
    qt, ct = q.tokens, c.tokens
    found: list[tuple[float, float, Pair]] = []
    word, legal, initial = TokenKind.WORD, TokenKind.LEGAL, TokenKind.INITIAL
    for i, a in enumerate(qt):
        la = len(a.text)
        ka = a.kind
        for j, b in enumerate(ct):
            kb = b.kind
            if a.key != b.key:
                # Fast paths, each a case ``token_similarity`` answers with no match.
                if ka is word and kb is word:
                    lb = len(b.text)
                    # Two words too different in length can neither match nor sound alike.
                    if ((la < 3 or lb < 3) and _squeezed(a.text) != _squeezed(b.text)) or (
                        abs(la - lb) > 1
                        and abs(la - lb) > (1.0 - MIN_SIMILARITY) * max(la, lb)
                        and a.key == a.text
                        and b.key == b.text
                    ):
                        continue
                    if (
                        a.phonetic != b.phonetic
                        and la >= 3
                        and lb >= 3
                        and a.key == a.text
                        and b.key == b.text
                        and not (a.syllable or b.syllable or a.sounded or b.sounded)
                        and OSA.normalized_similarity(a.text, b.text, score_cutoff=MIN_SIMILARITY) < MIN_SIMILARITY
                    ):
                        continue  # two plain words neither alike in spelling nor in sound
                elif ka is legal or kb is legal:
                    # A legal form against another token matches only as the same text or a misspelling.
                    lb = len(b.text)
                    if ka is not kb and a.text != b.text and (min(la, lb) < 5 or abs(la - lb) > 0.25 * max(la, lb)):
                        continue
                elif ka is not initial and kb is not initial:
                    continue  # a particle or a number matches only itself
            sim, how = token_similarity(a, b)
            if how is not None and (sim >= MIN_SIMILARITY or how is MatchKind.INITIAL):
                if how is MatchKind.EXACT and (q.non_latin or c.non_latin):
                    how = MatchKind.TRANSLITERATION
                found.append((sim, q.weights[i] + c.weights[j], Pair((i,), (j,), sim, how)))
    for side_a, side_b, flip in ((q, c, False), (c, q, True)):
        if not side_a.joins or not side_b.joinable:
            continue
        by_length = side_b.joinable
        for (span, joined), span_read in zip(side_a.joins, side_a.joins_read, strict=True):
            for j in by_length.get(len(joined), ()):
                b = side_b.tokens[j]
                sim = Levenshtein.normalized_similarity(joined, b.text, score_cutoff=CONCAT_MIN)
                how = MatchKind.CONCATENATION
                if sim < 1.0 and (span_read or _read(b)):
                    # Words read from Han, Hangul or kana run together exactly, or by their reading.
                    alike = len(span) == 2 and not _han(b, side_a, span) and reading_key(joined) == reading_key(b.text)
                    sim = READING_SIMILARITY if alike else 0.0
                if sim < CONCAT_MIN and side_a.non_latin and _sounds_alike(joined, b):
                    # Syllables from a script written by sound (katakana "ba ra ku") against the Latin name.
                    sim, how = PHONETIC_SIMILARITY, MatchKind.TRANSLITERATION
                if sim >= CONCAT_MIN:
                    weight = sum(side_a.weights[k] for k in span) + side_b.weights[j]
                    pair = Pair((j,), span, sim, how) if flip else Pair(span, (j,), sim, how)
                    found.append((sim, weight, pair))
    # Ties broken by the token texts, not by position, so that compare(a, b) == compare(b, a); the
    # texts are joined only when two candidates tie on similarity and weight (rarely).
    found.sort(key=lambda f: (-f[0], -f[1]))
    if any(found[k][0] == found[k + 1][0] and found[k][1] == found[k + 1][1] for k in range(len(found) - 1)):
        found.sort(key=lambda f: (-f[0], -f[1], _pair_text(q, c, f[2])))
    return found


def _read(token: Token) -> bool:
    return token.syllable or token.sounded


def _han(token: Token, side: WeightedName, span: tuple[int, ...]) -> bool:
    return token.syllable or any(side.tokens[k].syllable for k in span)


def _squeezed(text: str) -> str:
    """The text with runs of one letter written once ("uun" -> "un")."""
    return "".join(ch for k, ch in enumerate(text) if k == 0 or ch != text[k - 1])


def _sounds_alike(joined: str, token: Token) -> bool:
    if token.kind is not TokenKind.WORD or not joined.isalpha():
        return False
    key = phonetic(joined)
    return len(key) >= 3 and key == token.phonetic and Levenshtein.normalized_similarity(joined, token.text) >= 0.5


def _pair_text(q: WeightedName, c: WeightedName, pair: Pair) -> tuple[str, str]:
    a = " ".join(q.tokens[i].text for i in pair.query)
    b = " ".join(c.tokens[j].text for j in pair.listed)
    return (a, b) if a <= b else (b, a)


def align(q: WeightedName, c: WeightedName) -> tuple[Pair, ...]:
    used_q: set[int] = set()
    used_c: set[int] = set()
    pairs: list[Pair] = []
    for _sim, _weight, pair in candidate_pairs(q, c):
        if used_q.isdisjoint(pair.query) and used_c.isdisjoint(pair.listed):
            used_q.update(pair.query)
            used_c.update(pair.listed)
            pairs.append(pair)
    return tuple(pairs)
