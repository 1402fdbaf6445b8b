"""Score two prepared names by aligning their tokens, weighted by how much each token identifies.

Each query token is paired with at most one listed token (or two or three adjacent tokens
joined, for "JSCARGUMENT" against "JSC ARGUMENT"), greedily by similarity (``pairing``). A
pair counts ``credit_of(similarity)`` of its weight. The name score blends how much of each
side's identifying weight is matched:

    score = ALPHA * max(coverage_query, coverage_listed) + (1 - ALPHA) * min(coverage_query, coverage_listed)

so extra distinctive words on either side pull the score down, while extra generic words barely
do. It is symmetric in its two arguments. Penalties: each side keeping a word the other lacks
(AL-RAWI vs AL-TIKRITI, Systems vs Industries), a single shared distinctive word beside an
unmatched one ("Olga X" vs "OLGA"), different specific legal forms (LLC vs JSC), and a cap
below any threshold when only generic words matched, or when the only distinctive word shared
matched approximately (a one-word listed name fuzzily inside a longer name). A query that
contains every word of the listed name exactly, plus only qualifiers (places, generic words,
legal forms: "… (Hong Kong) Limited", "… Shanghai Branch"), "contains the listed name".
"""

from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz.distance import OSA

from workbench.domain.screening import MatchKind, Penalty
from workbench.screening.normalise import Token, TokenKind, legal_words
from workbench.screening.pairing import MIN_SIMILARITY, VAGUE_LEGAL, Pair, WeightedName, align
from workbench.screening.weights import DISTINCTIVE, known_names, vocabulary_places

ALPHA = 0.7
SHARPNESS = 1.0
"""A fuzzy pair counts ``1 - SHARPNESS * (1 - similarity)`` of its weight: near-misses count less."""
CONFLICT_PENALTY = 0.6
"""Times the smaller share of unmatched distinctive weight when both names have some."""
LEGAL_CONFLICT_PENALTY = 0.1
GENERIC_ONLY_CAP = 0.5
WORD_CONFLICT_PENALTY = 0.1
THIN_OVERLAP_PENALTY = 0.1
"""At least this when each name keeps a word the other lacks (BAE Systems vs BAE Industries)."""
APPROXIMATE_ONLY_CAP = 0.7
"""The score when the one distinctive word shared matched only approximately (below any threshold)."""
STRONG_FUZZY = 0.9
"""A single approximate match this close (one slip in a long word) still carries a hit."""
MIN_SLIP_LENGTH = 5
"""Below this length one wrong letter makes another name (Neve, Neveu)."""
MIN_SLIP_LENGTH_ALONE = 7
"""A party name of one word ("Hörle", "Schmitt") is one slip from many listed words of five or six
letters; alone it carries a hit on a slip only in a longer word."""
MAX_SHORT_WORD = 3
"""A word this short identifies little: alone it carries a hit only when nothing else differs."""
MIN_SOUND_LENGTH = 6
MIN_SOUND_SPELLING = 0.6
"""Shorter words read from another script only sound like a Latin one: they carry no hit alone."""
CONTAINS_SCORE = 0.86
"""The least score of a query that contains the listed name exactly, plus only qualifiers."""
CONTAINS_NOTE = "contains the listed name"
_EXACTISH = frozenset(
    {MatchKind.EXACT, MatchKind.ABBREVIATION, MatchKind.VARIANT, MatchKind.LEGAL_FORM, MatchKind.TRANSLITERATION}
)
_SIGNIFICANT = frozenset({TokenKind.INITIAL, TokenKind.WORD})


@dataclass(frozen=True, slots=True)
class PairScore:
    score: float
    name_score: float
    pairs: tuple[Pair, ...]
    coverage_query: float
    coverage_listed: float
    penalties: tuple[Penalty, ...]
    notes: tuple[str, ...] = ()


def _thin_overlap(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> Penalty | None:
    """One shared distinctive word, and another distinctive word that only one name has ("Olga X" ~ "OLGA")."""
    shared = [
        p for p in pairs if max(sum(q.weights[i] for i in p.query), sum(c.weights[j] for j in p.listed)) > DISTINCTIVE
    ]
    if len(shared) != 1:
        return None
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    extra = [t.text for i, t in enumerate(q.tokens) if i not in used_q and q.weights[i] > DISTINCTIVE]
    extra += [t.text for j, t in enumerate(c.tokens) if j not in used_c and c.weights[j] > DISTINCTIVE]
    if not extra:
        return None
    return Penalty(f"only one distinctive word shared, {', '.join(extra)} unmatched", THIN_OVERLAP_PENALTY)


def _legal_conflict(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> Penalty | None:
    specific_q = {t.key for t in q.tokens if t.kind is TokenKind.LEGAL and t.key not in VAGUE_LEGAL}
    specific_c = {t.key for t in c.tokens if t.kind is TokenKind.LEGAL and t.key not in VAGUE_LEGAL}
    if not specific_q or not specific_c or specific_q & specific_c:
        return None
    matched_legal = any(q.tokens[p.query[0]].kind is TokenKind.LEGAL for p in pairs if len(p.query) == 1)
    if matched_legal:
        return None
    forms = f"{'/'.join(sorted(specific_q))} vs {'/'.join(sorted(specific_c))}"
    return Penalty(f"different legal forms ({forms})", LEGAL_CONFLICT_PENALTY)


def credit_of(similarity: float) -> float:
    return max(0.0, 1.0 - SHARPNESS * (1.0 - similarity))


def _token_conflict(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> Penalty | None:
    """Both names keep a distinctive token the other lacks (AL-RAWI vs AL-TIKRITI): likely two parties."""
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    if not pairs:
        return None
    lost_q = _lost(q, used_q)
    lost_c = _lost(c, used_c)
    if not lost_q or not lost_c:
        return None
    share_q = sum(q.weights[i] for i in lost_q) / q.total
    share_c = sum(c.weights[j] for j in lost_c) / c.total
    amount = CONFLICT_PENALTY * min(share_q, share_c)
    # Each side keeps its own word: a different place, line of business or given name.
    amount = max(amount, WORD_CONFLICT_PENALTY)
    words = f"{' '.join(q.tokens[i].text for i in lost_q)} / {' '.join(c.tokens[j].text for j in lost_c)}"
    return Penalty(f"words on both sides unmatched ({words})", round(amount, 4))


def _lost(name: WeightedName, used: set[int]) -> list[int]:
    """Unmatched tokens that say who, where or what: words, initials and numbers (not particles, legal forms)."""
    return [i for i, t in enumerate(name.tokens) if i not in used and t.kind in _SIGNIFICANT]


def compare(
    q: WeightedName, c: WeightedName, *, affiliate: bool = False, screening: bool = False, whole_name: bool = False
) -> PairScore:
    """Score the query name ``q`` against the listed name ``c`` (symmetric in the two).

    With ``affiliate`` (screening a party against a list entry that can have subsidiaries), a
    query that contains the listed name exactly plus qualifiers is raised. With ``screening``, a
    party name most of whose identifying words the listed name does not explain is no hit
    ("Hu Jian Shan Shi Jie" is not "HU, Shi"). With ``whole_name`` (a Chinese or Korean personal
    name, in its script or in pinyin), only the whole name is a hit: every syllable of the party
    name and every name word of the listed one matched ("李平" is not "Jin Ping Li"). These rules
    are the ones not symmetric.
    """
    result = compare_at_least(q, c, 0.0, affiliate=affiliate, screening=screening, whole_name=whole_name)
    assert result is not None  # every score reaches 0
    return result


def compare_at_least(
    q: WeightedName,
    c: WeightedName,
    floor: float,
    *,
    affiliate: bool = False,
    screening: bool = False,
    whole_name: bool = False,
) -> PairScore | None:
    """``compare``, or None when the pair cannot score ``floor``.

    Every rule after the alignment lowers the name score, except "contains the listed name", so
    a pair whose name score is below the floor is known to fall short before the rules run:
    screening skips them for the many candidates that share a word and no more.
    """
    pairs = align(q, c)
    matched_q = matched_c = 0.0
    carries = False
    for p in pairs:
        wq = sum(q.weights[i] for i in p.query)
        wc = sum(c.weights[j] for j in p.listed)
        credit = credit_of(p.similarity)
        matched_q += credit * wq
        matched_c += credit * wc
        if max(wq, wc) > DISTINCTIVE:
            carries = True
    cov_q = min(matched_q / q.total, 1.0)
    cov_c = min(matched_c / c.total, 1.0)
    name_score = ALPHA * max(cov_q, cov_c) + (1 - ALPHA) * min(cov_q, cov_c)
    contained = affiliate and _contains(q, c, pairs)
    if name_score < floor and not (contained and floor <= CONTAINS_SCORE):
        return None
    penalties: list[Penalty] = []
    clash = _token_conflict(q, c, pairs)
    if clash is not None:
        penalties.append(clash)
    thin = _thin_overlap(q, c, pairs)
    if thin is not None:
        penalties.append(thin)
    if clash is None and thin is None:
        uncorroborated = _uncorroborated(q, c, pairs)
        if uncorroborated is not None:
            penalties.append(uncorroborated)
    conflict = _legal_conflict(q, c, pairs)
    if conflict is not None:
        penalties.append(conflict)
    score = name_score - sum(p.amount for p in penalties)
    notes: list[str] = []
    if contained:
        if score < CONTAINS_SCORE:
            score = CONTAINS_SCORE
        notes.append(CONTAINS_NOTE)
        carries = True
    # Names made only of generic words may still match each other when nothing is left over.
    used_q = sum(len(p.query) for p in pairs)
    used_c = sum(len(p.listed) for p in pairs)
    identical = used_q == len(q.tokens) and used_c == len(c.tokens) and min(cov_q, cov_c) >= 0.8
    if not carries and not identical and score > GENERIC_ONLY_CAP:
        penalties.append(Penalty("only generic words matched", round(score - GENERIC_ONLY_CAP, 4)))
        score = GENERIC_ONLY_CAP
    approximate = _approximate_only(q, c, pairs, screening=screening)
    if approximate is None and screening:
        approximate = _unexplained(q, pairs)
    if approximate is None:
        approximate = _short_only(q, c, pairs)
    if approximate is None and whole_name:
        approximate = _partial_native_name(q, c, pairs)
    if approximate is not None and score > APPROXIMATE_ONLY_CAP and not notes:
        penalties.append(Penalty(approximate, round(score - APPROXIMATE_ONLY_CAP, 4)))
        score = APPROXIMATE_ONLY_CAP
    return PairScore(
        score=max(0.0, min(1.0, score)),
        name_score=name_score,
        pairs=pairs,
        coverage_query=cov_q,
        coverage_listed=cov_c,
        penalties=tuple(penalties),
        notes=tuple(notes),
    )


def _exactish(pair: Pair) -> bool:
    return pair.similarity >= 0.999 and (pair.how in _EXACTISH or pair.how is MatchKind.CONCATENATION)


def carrying_pairs(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> list[Pair]:
    """The pairs that carry a match: a distinctive word on one side or the other."""
    return [p for p in pairs if _pair_weight(q, c, p) > DISTINCTIVE]


def _pair_weight(q: WeightedName, c: WeightedName, pair: Pair) -> float:
    return max(sum(q.weights[i] for i in pair.query), sum(c.weights[j] for j in pair.listed))


_LETTER_FOLDS = (("ph", "f"), ("kh", "h"), ("ks", "x"), ("c", "k"), ("w", "v"), ("y", "i"), ("j", "i"))


def _same_letters(a: str, b: str) -> bool:
    """One word in two alphabets: the letters differ only as scripts transcribe them (ФЕСРК, FESRC)."""
    for x, y in _LETTER_FOLDS:
        a, b = a.replace(x, y), b.replace(x, y)
    return a == b


def _two_names(a: str, b: str, *, query_side: bool) -> bool:
    """Two different known names (Mitchell, Michael), not one name misspelt.

    Screening a party, the party's word being a name of its own is enough ("Hanson LLC" is not
    "Hansen Technologies" mistyped); between two names of unknown roles, both must be names.
    """
    if a == b:
        return False
    names = known_names()
    return a in names and (query_side or b in names)


def _approximate_only(
    q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...], *, screening: bool = False
) -> str | None:
    """The reason to cap when the one distinctive word shared matched only approximately."""
    carrying = carrying_pairs(q, c, pairs)
    if len(carrying) != 1 or _exactish(carrying[0]):
        return None
    pair = carrying[0]
    a = " ".join(q.tokens[i].text for i in pair.query)
    b = " ".join(c.tokens[j].text for j in pair.listed)
    ja, jb = a.replace(" ", ""), b.replace(" ", "")
    spelling = OSA.normalized_similarity(ja, jb)
    # A slip in the one shared word is still the name, unless either name has more to say or
    # the word is short or its first letter differs (Colin, Tolin); two words that only sound
    # alike (Garcia, Grace) are not.
    # A word read from another script has no typing slips: it only sounds like a Latin one (rule below).
    alone = screening and _one_word(q)
    least = MIN_SLIP_LENGTH_ALONE if alone else MIN_SLIP_LENGTH
    slip = min(len(ja), len(jb)) >= least and ja[0] == jb[0] and q.non_latin == c.non_latin
    if spelling >= STRONG_FUZZY or (
        spelling >= MIN_SIMILARITY
        and slip
        and not _unmatched_distinctive(q, c, pairs)
        and not _two_names(ja, jb, query_side=screening)
    ):
        return None
    if (q.non_latin or c.non_latin) and (
        _same_letters(ja, jb)
        or (
            pair.how is MatchKind.PHONETIC
            and min(len(ja), len(jb)) >= (MIN_SLIP_LENGTH_ALONE if alone else MIN_SOUND_LENGTH)
            and spelling >= MIN_SOUND_SPELLING
        )
    ):
        # A name from another script sounds like the Latin one (КРИОГЕНМАШ, Cryogenmash); short
        # words read from a script without vowels sound like too many others (שמיר, Samir), and a
        # party name of one word, like a slip, needs seven letters (Мишин is not "Mission").
        return None
    return f"the only distinctive word shared matched approximately ({a} ~ {b})"


def _one_word(name: WeightedName) -> bool:
    """The name has one word that says who (beside legal forms and particles)."""
    return sum(1 for t in name.tokens if t.kind in _SIGNIFICANT) == 1


def _uncorroborated(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> Penalty | None:
    """A word matched only approximately while the other name keeps a distinctive word unmatched.

    "William Mitchell" against "WILLIAM MICHAEL JOHNSON": Mitchell and Michael are two names,
    and nothing in the query answers for Johnson.
    """
    borrowed = _borrowed_initial(q, c, pairs)
    if borrowed is not None:
        return borrowed
    loose = [p for p in pairs if _pair_weight(q, c, p) > DISTINCTIVE and p.similarity < STRONG_FUZZY]
    loose = [p for p in loose if p.how in (MatchKind.FUZZY, MatchKind.PHONETIC)]
    if not loose or not _unmatched_distinctive(q, c, pairs):
        return None
    p = loose[0]
    a = " ".join(q.tokens[i].text for i in p.query)
    b = " ".join(c.tokens[j].text for j in p.listed)
    if not _two_names(a, b, query_side=False):
        return None
    return Penalty(f"{a} and {b} are two names, and a distinctive word is unmatched", WORD_CONFLICT_PENALTY)


def _borrowed_initial(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> Penalty | None:
    """A name matched to an initial while the other side spells out another name with that letter.

    "Adam Mikheev" against "MIKHEEV, Alexander A.": the A. stands beside Alexander, not for Adam.
    """
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    for p in pairs:
        if p.how is not MatchKind.INITIAL:
            continue
        a, b = q.tokens[p.query[0]], c.tokens[p.listed[0]]
        word, other, used = (a, c, used_c) if b.kind is TokenKind.INITIAL else (b, q, used_q)
        rival = next(
            (
                t
                for k, t in enumerate(other.tokens)
                if k not in used and t.kind is TokenKind.WORD and t.text[0] == word.text[0]
            ),
            None,
        )
        if rival is not None and rival.key != word.key:
            return Penalty(
                f"{word.text} matched an initial, but the other name spells it {rival.text}", WORD_CONFLICT_PENALTY
            )
    return None


def _short_only(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> str | None:
    """The reason to cap when the one distinctive word shared is very short and the names differ beside it.

    "Eko JSC" and "EKO DEVELOPMENT AND INVESTMENT COMPANY" share three letters; "BP plc" and "BP"
    differ only by a legal form and stay one name.
    """
    carrying = carrying_pairs(q, c, pairs)
    if len(carrying) != 1 or len(carrying[0].query) != 1 or len(carrying[0].listed) != 1:
        return None
    word = q.tokens[carrying[0].query[0]].text
    if len(word) > MAX_SHORT_WORD or not word.isalpha():
        return None
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    other = [t.text for i, t in enumerate(q.tokens) if i not in used_q and _differs(t)]
    other += [t.text for j, t in enumerate(c.tokens) if j not in used_c and _differs(t)]
    if not other:
        return None
    return f"the only distinctive word shared is short ({word}), and {', '.join(other)} differ"


def _partial_native_name(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> str | None:
    """The reason to cap when a Chinese or Korean name matches only part of the listed name, or the reverse.

    Such names are a surname and a given name of one or two syllables drawn from a few hundred
    readings, so thousands of people share each part: "李平" (Li Ping) and "LI, Jin Ping" are
    two names, as are "수빈 이" (Lee Su-bin) and "SU, Bin". The given name is one word written in
    syllables, so a syllable more or less is another given name.
    """
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    left = [t.text for i, t in enumerate(q.tokens) if i not in used_q and t.kind in _SIGNIFICANT]
    left += [t.text for j, t in enumerate(c.tokens) if j not in used_c and t.kind in _SIGNIFICANT]
    if not left:
        return None
    return f"a Chinese or Korean name matches only as a whole, and {', '.join(left)} unmatched"


def _differs(token: Token) -> bool:
    """A word that makes another name: not a place ("Xian"), nor a word of a legal form ("Pte", "Private")."""
    return token.kind is TokenKind.WORD and token.key not in vocabulary_places() and token.key not in legal_words()


def _unexplained(q: WeightedName, pairs: tuple[Pair, ...]) -> str | None:
    """The reason to cap when the party name's distinctive words weigh more unmatched than matched."""
    used = {i for p in pairs for i in p.query}
    matched = sum(q.weights[i] for i in used if q.weights[i] > DISTINCTIVE)
    missing = [
        i for i, t in enumerate(q.tokens) if i not in used and q.weights[i] > DISTINCTIVE and t.kind in _SIGNIFICANT
    ]
    if not missing or sum(q.weights[i] for i in missing) <= matched:
        return None
    words = ", ".join(q.tokens[i].text for i in missing)
    return f"most of what identifies the party name is not in the listed name ({words})"


def _unmatched_distinctive(q: WeightedName, c: WeightedName, pairs: tuple[Pair, ...]) -> bool:
    used_q = {i for p in pairs for i in p.query}
    used_c = {j for p in pairs for j in p.listed}
    return any(w > DISTINCTIVE for i, w in enumerate(q.weights) if i not in used_q) or any(
        w > DISTINCTIVE for j, w in enumerate(c.weights) if j not in used_c
    )


def _contains(outer: WeightedName, inner: WeightedName, pairs: tuple[Pair, ...]) -> bool:
    """``outer`` holds every word of ``inner`` exactly, and beside them only qualifiers."""
    used_outer: set[int] = set()
    used_inner: set[int] = set()
    for p in pairs:
        if not _exactish(p) or any(outer.tokens[k].kind is TokenKind.LEGAL for k in p.query) != any(
            inner.tokens[k].kind is TokenKind.LEGAL for k in p.listed
        ):
            continue
        used_outer.update(p.query)
        used_inner.update(p.listed)
    significant = [k for k, t in enumerate(inner.tokens) if t.kind in _SIGNIFICANT or t.kind is TokenKind.NUMBER]
    if len(significant) < 2 and not inner.distinctive:
        return False
    if any(k not in used_inner for k in significant):
        return False
    if len(used_outer) == len(outer.tokens):
        return False  # the same name, not one containing the other
    # Qualifiers: places, generic words, legal forms; never a Chinese syllable (a given name).
    if not all(
        k in used_outer or (outer.weights[k] <= DISTINCTIVE and not outer.tokens[k].syllable)
        for k in range(len(outer.tokens))
    ):
        return False
    # A name of generic words only ("Defense Industries Organization") is contained when it leads,
    # qualifiers after it ("… Shanghai Branch"); "Asia International Trading" is another company.
    return inner.distinctive or max(used_outer) < len(used_outer) + _leading_stops(outer, used_outer)


def _leading_stops(name: WeightedName, used: set[int]) -> int:
    return sum(1 for k, t in enumerate(name.tokens) if k not in used and k < max(used) and t.kind is TokenKind.STOP)
