"""Issue #13 and #12 §3: each rule named by the dev-set class it serves (screening-variants-dev.csv)."""

from __future__ import annotations

import pytest

from workbench import resources
from workbench.domain.screening import EntryType, ListEntry, MatchKind
from workbench.screening import index_cache
from workbench.screening.clean import clean, name_warnings
from workbench.screening.explain import describe
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener, score_pair
from workbench.screening.normalise import TokenKind, prepare
from workbench.screening.scoring import CONTAINS_NOTE

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


def _screener(*entries: ListEntry) -> Screener:
    return Screener(list(entries))


def test_translit_ar_given_names_share_a_key_and_the_table_is_named() -> None:
    score, explanation = score_pair("NAZZAL, Mohamed Aly", "NAZZAL, Muhammad Ali", "Person")
    assert score >= DEFAULT_THRESHOLD
    assert any(t.how is MatchKind.VARIANT for t in explanation.matched)
    assert "'mohamed' ~ 'muhammad': given-name table" in explanation.notes
    assert score_pair("NAZZAL, Mohamed", "NAZZAL, Mahmoud", "Person")[0] < score  # another name, not a variant


def test_translit_ar_abdul_is_abd_al() -> None:
    joined = [t.text for t in prepare("'Abdul Rahman bin 'Umayr").tokens]
    apart = [t.text for t in prepare("'Abd al-Rahman bin 'Umayr").tokens]
    assert joined == apart == ["abd", "al", "rahman", "bin", "umayr"]


def test_translit_ru_spelling_rules_bring_the_systems_together() -> None:
    assert score_pair("MAO, Iu Hua", "MAO, Yu Hua", "Person")[0] >= DEFAULT_THRESHOLD
    assert score_pair("GAO, Ian", "GAO, Yan", "Person")[0] >= DEFAULT_THRESHOLD
    assert prepare("Vasiliy").tokens[0].key == prepare("Vasily").tokens[0].key
    assert prepare("Alexeyevich").tokens[0].key == prepare("Alexeevich").tokens[0].key
    # Place words keep their own key: "Shanghai" is no Russian ending.
    assert prepare("Shanghai").tokens[0].key == "shanghai"


def test_pinyin_split_syllables_are_joined_back() -> None:
    listed = ListEntry("1", EL, "Kezilesu Kyrgyz Autonomous Prefecture Public Security Bureau", EntryType.ENTITY)
    hits = _screener(listed).screen("Ke Zi Le Su Kyrgyz Autonomous Prefecture Public Security Bureau")
    assert [h.entry.entry_id for h in hits] == ["1"]
    assert any(t.how is MatchKind.CONCATENATION for t in hits[0].explanation.matched)


def test_affiliate_contains_the_listed_name_plus_qualifiers() -> None:
    listed = ListEntry("1", EL, "DEFENSE INDUSTRIES ORGANIZATION", EntryType.ENTITY)
    screener = _screener(listed)
    hits = screener.screen("DEFENSE INDUSTRIES ORGANIZATION Shanghai Branch")
    assert hits and CONTAINS_NOTE in hits[0].explanation.notes
    assert "Contains the listed name." in describe(hits[0].explanation)
    # Generic words in front make another company, and pair scores stay symmetric.
    assert screener.screen("Asia Defense Industries Organization") == []
    a, b = "BUZINESS WORLD Shanghai Branch", "BUZINESS WORLD"
    assert score_pair(a, b)[0] == score_pair(b, a)[0]


def test_near_miss_one_approximate_word_does_not_carry_a_hit() -> None:
    # org_world / near_miss: another surname that only sounds like a short listed name.
    score, explanation = score_pair("STEIN TRADE LIMITED", "STAN LLC")
    assert score < DEFAULT_THRESHOLD
    assert any("matched approximately" in p.reason for p in explanation.penalties)
    # A slip in a long word is still the listed name.
    assert score_pair("SBIRBANK EUROPE AG", "SBERBANK EUROPE AG")[0] >= DEFAULT_THRESHOLD


def test_org_world_han_syllables_match_exactly_or_not_at_all() -> None:
    prepared = prepare("龙 魏")
    assert all(t.syllable for t in prepared.tokens)
    assert score_pair("龙 魏", "Hong Wei Xian")[0] < DEFAULT_THRESHOLD
    assert "Han read as Chinese pinyin (pypinyin)" in prepared.notes


def test_org_world_legal_forms_and_business_words_of_each_script() -> None:
    for name, canonical in (
        ("时空盒数字传媒有限公司", "LLC"),
        ("株式会社井上運輸", "JSC"),
        ("(주) 코리아", "JSC"),
        ("ООО «Иванов»", "LLC"),
        ("บริษัท ไทย จำกัด", "LLC"),
    ):
        legal = [t.key for t in prepare(name).tokens if t.kind is TokenKind.LEGAL]
        assert canonical in legal, name
    assert [t.text for t in prepare("华为技术有限公司").tokens] == ["huawei", "technology", "llc"]
    assert score_pair("华为技术有限公司", "Huawei Technologies Co., Ltd.")[0] >= DEFAULT_THRESHOLD


def test_org_world_japanese_is_read_by_japanese_readings() -> None:
    prepared = prepare("株式会社井上運輸")
    assert [t.text for t in prepared.tokens][1:] == ["inoue", "transport"]  # not the Chinese "jing shang"
    assert "Japanese read by its Japanese readings (cutlet)" in prepared.notes
    assert [t.text for t in prepare("舞 山本").tokens] == ["mai", "yamamoto"]
    assert [t.text for t in prepare("佐藤 伊藤").tokens] == ["sato", "ito"]


def test_person_world_korean_revised_with_mccune_reischauer_surnames() -> None:
    score, explanation = score_pair("김정은", "KIM Jong Un", "Person")
    assert score >= DEFAULT_THRESHOLD
    assert any("Korean surname table" in n for n in explanation.notes)
    assert [t.text for t in prepare("김민준").tokens] == ["gim", "minjun"]  # split after the surname


def test_names_that_lie_hit_the_entity_list_entry(small_screener: Screener) -> None:
    spoofed = "Hu\u0430wei Technologies Co.\u200b, Ltd.\u202e"  # Cyrillic а, zero-width space, RLO
    hits = small_screener.screen(spoofed)
    assert hits and hits[0].entry.source_code == "EL" and hits[0].score >= 0.95
    text = describe(hits[0].explanation)
    assert "normalised: removed U+200B, U+202E; mapped Cyrillic а → a" in text
    assert name_warnings(spoofed) and "U+202E" in name_warnings(spoofed)[0]
    assert clean(spoofed).text == "Huawei Technologies Co., Ltd."


def test_names_that_lie_leave_real_scripts_alone() -> None:
    assert name_warnings("Huawei Technologies Co., Ltd.") == []
    assert name_warnings("ООО Ромашка") == []  # Cyrillic spelt in Cyrillic
    assert name_warnings("داروسازی\u200cبهوزان") == []  # Persian spelling uses the zero-width non-joiner
    assert clean("Ромашка").text == "Ромашка"


def test_party_kind_is_a_signal_not_a_filter() -> None:
    person = ListEntry("3", SDN, "PUTIN, Vladimir Vladimirovich", EntryType.INDIVIDUAL)
    screener = _screener(person)
    unknown = screener.screen("Vladimir Vladimirovich Putin")
    as_company = screener.screen("Vladimir Vladimirovich Putin", entry_type=EntryType.ENTITY)
    as_person = screener.screen("Vladimir Vladimirovich Putin", entry_type=EntryType.INDIVIDUAL)
    assert unknown and as_company and as_person  # a strong match is never hidden
    assert as_company[0].score < unknown[0].score <= as_person[0].score
    assert "the party is an organisation, the entry an individual" in describe(as_company[0].explanation).lower()
    weak = screener.screen("Vladimir Putin Trading", threshold=0.6)
    weak_company = screener.screen("Vladimir Putin Trading", entry_type="entity", threshold=0.6)
    assert len(weak_company) <= len(weak)


def test_index_cache_fingerprint_covers_the_variant_data(monkeypatch: pytest.MonkeyPatch) -> None:
    before = index_cache.code_fingerprint()
    real = resources.read_bytes

    def changed(name: str) -> bytes:
        data = real(name)
        return data + b" " if name == "screening/name_variants.json" else data

    index_cache.code_fingerprint.cache_clear()
    monkeypatch.setattr(resources, "read_bytes", changed)
    try:
        assert index_cache.code_fingerprint() != before
    finally:
        index_cache.code_fingerprint.cache_clear()
