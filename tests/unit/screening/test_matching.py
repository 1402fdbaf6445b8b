"""Screening and pair scoring: hits, explanations, allow-list, country, type, properties."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbench.domain.screening import MatchKind
from workbench.screening.explain import describe, explanation_to_dict
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener, score_pair
from workbench.screening.normalise import prepare
from workbench.screening.pairing import token_similarity

NAME_WORDS = [
    "zhongguancun",
    "rostec",
    "haige",
    "volkov",
    "kalashnikov",
    "baikal",
    "tupolev",
    "sinobright",
    "almaz",
    "antey",
    "novator",
    "kintex",
    "elbit",
    "sukhoi",
    "irkut",
]
GENERIC = [
    "trading",
    "international",
    "technology",
    "company",
    "group",
    "beijing",
    "shenzhen",
    "industrial",
    "limited",
    "services",
    "moscow",
    "global",
    "electronics",
    "co",
    "ltd",
    "llc",
    "jsc",
]


def test_variants_of_a_listed_name_hit(small_screener: Screener) -> None:
    for query in (
        "HUAWEI TECH CO LIMITED",
        "Huawei Technologies Company Limited",
        "Rosoboroneksport JSC",
        "Vladimir Putin",
        "Zhongguancun Quantum Systems Tech",
        "JSCARGUMENT",
        "ARGUMENTJSC",
        "Argument AO",
    ):
        hits = small_screener.screen(query)
        assert hits, query
        assert hits[0].score >= DEFAULT_THRESHOLD


def test_generic_words_alone_do_not_hit(small_screener: Screener) -> None:
    for query in (
        "International Trading Company",
        "Beijing Technology Co Ltd",
        "Asia Trading Co",
        "Quantum Systems Technology",
    ):
        assert small_screener.screen(query) == [], query


def test_explanation_says_what_matched_and_how(small_screener: Screener) -> None:
    hit = small_screener.screen("HUAWEI TECH CO LIMITED")[0]
    by_query = {t.query_token: t for t in hit.explanation.matched}
    assert by_query["huawei"].how is MatchKind.EXACT
    assert by_query["tech"].how is MatchKind.ABBREVIATION and by_query["tech"].listed_token == "technologies"
    assert by_query["co limited"].how is MatchKind.LEGAL_FORM
    assert by_query["huawei"].contribution > by_query["co limited"].contribution
    assert abs(sum(t.contribution for t in hit.explanation.tokens) - hit.explanation.name_score) < 0.02
    text = describe(hit.explanation)
    assert "'huawei'" in text and "abbreviation" in text
    assert explanation_to_dict(hit.explanation)["tokens"][0]["how"] in {"exact", "abbreviation", "legal-form"}


def test_unmatched_and_penalties_are_explained() -> None:
    score, explanation = score_pair("Banco Santander Chile", "Banco Santander Mexico", "Company")
    assert any("chile" in p.reason and "mexico" in p.reason for p in explanation.penalties)
    assert "Not in the query" in describe(explanation) or "Not on the list entry" in describe(explanation)
    assert score < 1.0


def test_country_raises_or_lowers_but_never_creates(small_screener: Screener) -> None:
    base = small_screener.screen("Rosoboronexport")[0].score
    assert small_screener.screen("Rosoboronexport", country="RU")[0].score > base
    assert small_screener.screen("Rosoboronexport", country="DE")[0].score < base
    assert small_screener.screen("Asia Trading", country="HK") == []
    hit = small_screener.screen("Rosoboronexport", country="DE")[0]
    assert hit.explanation.country_adjustment < 0


def test_type_signal_and_limit(small_screener: Screener) -> None:
    # The kind lowers a listed individual for an organisation; only the person's own name survives it.
    as_person = small_screener.screen("Vladimir Putin", entry_type="individual")
    as_company = small_screener.screen("Vladimir Putin", entry_type="entity")
    assert as_person and (not as_company or as_company[0].score < as_person[0].score)
    assert len(small_screener.screen("Huawei", limit=0)) == 0


def test_allow_list_suppresses_own_names(small_screener: Screener) -> None:
    assert small_screener.screen("Huawei Technologies Co Ltd", allow_list=["Huawei Technologies Co., Ltd."]) == []
    assert small_screener.screen("Rosoboronexport", allow_list=["Huawei Technologies Co., Ltd."])


def test_hit_key_pins_entry_content(small_screener: Screener) -> None:
    hit = small_screener.screen("Vladimir Putin")[0]
    assert hit.key == ("SDN", "3", hit.entry.content_hash)
    assert hit.matched_name == "PUTIN, Vladimir Vladimirovich"


name = st.lists(st.sampled_from(NAME_WORDS), min_size=1, max_size=3, unique=True)
generic = st.lists(st.sampled_from(GENERIC), min_size=0, max_size=3, unique=True)


@settings(max_examples=60, deadline=None)
@given(
    a=st.lists(st.sampled_from(NAME_WORDS + GENERIC), min_size=1, max_size=5),
    b=st.lists(st.sampled_from(NAME_WORDS + GENERIC), min_size=1, max_size=5),
    schema=st.sampled_from([None, "Person", "Company"]),
)
def test_score_pair_is_symmetric(a: list[str], b: list[str], schema: str | None) -> None:
    assert score_pair(" ".join(a), " ".join(b), schema)[0] == score_pair(" ".join(b), " ".join(a), schema)[0]


# Legal forms are read as phrases ("COMPANY LIMITED", and two-letter forms only at either end of
# a name), so word order is a property of the other words.
WORDS_ANY_ORDER = NAME_WORDS + [w for w in GENERIC if w not in {"company", "limited", "co", "ltd", "llc", "jsc"}]


@settings(max_examples=60, deadline=None)
@given(
    words=st.lists(st.sampled_from(WORDS_ANY_ORDER), min_size=1, max_size=5, unique=True),
    other=st.lists(st.sampled_from(WORDS_ANY_ORDER), min_size=1, max_size=5, unique=True),
    data=st.data(),
)
def test_order_and_case_do_not_change_the_score(words: list[str], other: list[str], data: st.DataObject) -> None:
    shuffled = data.draw(st.permutations(words))
    base = score_pair(" ".join(words), " ".join(other))[0]
    assert score_pair(" ".join(shuffled).upper(), " ".join(other))[0] == base


@settings(max_examples=80, deadline=None)
@given(shared=generic.filter(bool), mine=name, theirs=name)
def test_generic_tokens_are_never_sufficient(shared: list[str], mine: list[str], theirs: list[str]) -> None:
    if set(mine) & set(theirs):
        return
    score, _ = score_pair(" ".join(shared + mine), " ".join(shared + theirs), "Company")
    assert score < DEFAULT_THRESHOLD
    only_generic, _ = score_pair(" ".join(shared), " ".join(shared + theirs), "Company")
    assert only_generic < DEFAULT_THRESHOLD


@settings(max_examples=40, deadline=None)
@given(words=name, extra=generic)
def test_identical_names_score_one(words: list[str], extra: list[str]) -> None:
    text = " ".join(words + extra)
    assert score_pair(text, text)[0] == 1.0


def test_katakana_syllables_match_the_latin_name_by_sound() -> None:
    score, explanation = score_pair("Barack Obama", "バラク・オバマ", "Person")
    assert score >= DEFAULT_THRESHOLD
    assert "transliteration" in describe(explanation)
    assert score_pair("バラク・オバマ", "Barack Obama", "Person")[0] == score  # symmetric
    assert score_pair("Boris Obama", "バラク・オバマ", "Person")[0] < DEFAULT_THRESHOLD
    # Only syllables written by sound are joined this way: Latin spellings still need CONCAT_MIN.
    assert score_pair("Ba Ra Ku Obama", "Barack Obama", "Person")[0] < score_pair("Barack Obama", "バラク・オバマ")[0]


def test_a_doubled_letter_in_a_short_name_part_still_matches() -> None:
    score, explanation = score_pair("Kim Jong-uun", "Kim Jong-un", "Person")
    assert score >= DEFAULT_THRESHOLD and "'uun' ~ 'un' (fuzzy" in describe(explanation)
    assert token_similarity(prepare("uun").tokens[0], prepare("un").tokens[0])[1] is MatchKind.FUZZY
    assert token_similarity(prepare("oon").tokens[0], prepare("un").tokens[0]) == (0.0, None)  # other letters
