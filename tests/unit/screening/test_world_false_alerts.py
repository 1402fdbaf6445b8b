"""Issue #13, the false-alert rate: each rule named by the dev-set class of false alerts it removes.

Every test also keeps the true match beside it, so a rule that simply stopped matching fails.
"""

from __future__ import annotations

from workbench.domain.screening import EntryType, ListEntry
from workbench.screening.explain import describe
from workbench.screening.kinds import implied_kind
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener, score_pair
from workbench.screening.normalise import TokenKind, prepare

EL = "Entity List (EL) - Bureau of Industry and Security"
SDN = "Specially Designated Nationals (SDN) - Treasury Department"


def _entry(number: str, name: str, kind: EntryType | None, source: str = SDN) -> ListEntry:
    return ListEntry(number, source, name, kind, (), ())


def _hits(screener: Screener, name: str) -> list[str]:
    return [h.matched_name for h in screener.screen(name)]


def test_person_world_han_words_are_names_not_numerals_legal_forms_or_particles() -> None:
    # "li" was read as the Roman numeral 51 and "gu" as a legal form: both are Chinese names.
    assert [t.kind for t in prepare("颖 古").tokens] == [TokenKind.WORD, TokenKind.WORD]
    assert [t.kind for t in prepare("Li Wei").tokens] == [TokenKind.WORD, TokenKind.WORD]
    assert prepare("Fund VII").tokens[1].kind is TokenKind.NUMBER
    assert [t.kind for t in prepare("(유) 네오").tokens][1] is TokenKind.WORD  # 네오 is no legal form "NO"


def test_person_world_a_han_name_part_is_one_word_and_parts_are_never_run_together() -> None:
    assert [t.text for t in prepare("志文 陳").tokens] == ["zhiwen", "chen"]
    assert [t.text for t in prepare("陳志文").tokens] == ["chen", "zhiwen"]
    assert score_pair("志文 陳", "CHEN, Zhi", "Person")[0] < DEFAULT_THRESHOLD  # Zhiwen is not Zhi
    assert score_pair("鑫 吴", "Xinwu Technology")[0] < DEFAULT_THRESHOLD  # two parts are not "Xinwu"
    assert score_pair("陳志文", "CHEN Zhiwen", "Person")[0] >= DEFAULT_THRESHOLD
    assert score_pair("陳志文", "CHEN, Zhi Wen", "Person")[0] >= DEFAULT_THRESHOLD
    assert score_pair("华为技术有限公司", "Huawei Technologies Co., Ltd.")[0] >= DEFAULT_THRESHOLD


def test_person_world_hangul_matches_by_reading_not_by_look_alike_letters() -> None:
    assert score_pair("채원 김", "ROBERT CHAEGON KIM")[0] < DEFAULT_THRESHOLD
    assert score_pair("성민 김", "KIM, Sangman", "Person")[0] < DEFAULT_THRESHOLD
    assert score_pair("김정은", "Kim Jong Un", "Person")[0] == 1.0
    assert score_pair("박근혜", "Park Geun-hye", "Person")[0] >= DEFAULT_THRESHOLD  # eu/u: one reading
    _, explanation = score_pair("박근혜", "Park Geun-hye", "Person")
    assert any("Hangul in Revised Romanisation" in n for n in explanation.notes)


def test_org_world_a_legal_form_makes_an_organisation_against_a_listed_individual() -> None:
    screener = Screener([_entry("1", "PATRICIA", EntryType.INDIVIDUAL), _entry("2", "PATRICK", EntryType.ENTITY)])
    hits = screener.screen("Patrick LLC")
    assert [h.matched_name for h in hits] == ["PATRICK"]
    kind, reason = implied_kind(prepare("Patrick LLC"))
    assert kind is EntryType.ENTITY and "legal form" in reason
    # "SOE, Khin Maung" is a surname before its comma, not the legal form SOE.
    assert implied_kind(prepare("SOE, Khin Maung"))[0] is None


def test_org_world_a_han_company_is_not_a_listed_person_of_the_same_syllables() -> None:
    screener = Screener([_entry("1", "Tian Yi", None, EL), _entry("2", "CAIHONG", EntryType.INDIVIDUAL)])
    assert implied_kind(prepare("Tian Yi"), listed=True)[0] is EntryType.INDIVIDUAL
    assert _hits(screener, "天益信息有限公司") == []
    assert _hits(screener, "彩虹网络有限公司") == []
    assert _hits(screener, "Tian Yi") == ["Tian Yi"]  # the person's own name still hits
    hits = Screener([_entry("2", "CAIHONG", EntryType.INDIVIDUAL)]).screen("彩虹网络有限公司", threshold=0.5)
    assert "the entry an individual" in describe(hits[0].explanation)


def test_person_world_a_short_han_or_latin_personal_name_is_not_raised_against_a_vessel() -> None:
    screener = Screener([_entry("1", "FLORA", EntryType.VESSEL), _entry("2", "FU YUAN YU YUN 991", EntryType.VESSEL)])
    assert _hits(screener, "Flora Córdoba") == []
    assert _hits(screener, "云 傅") == []
    assert _hits(screener, "FLORA") == ["FLORA"]


def test_affiliate_contains_only_for_entries_that_can_have_subsidiaries() -> None:
    person = Screener([_entry("1", "BIN WU", EntryType.INDIVIDUAL)])
    assert _hits(person, "BIN WU Trading (Hong Kong) Limited") == []
    entity = Screener([_entry("1", "ANDRES MORALES", None, EL)])
    assert _hits(entity, "ANDRES MORALES Dubai Branch") == ["ANDRES MORALES"]


def test_org_world_most_of_the_party_name_unexplained_is_no_hit() -> None:
    screener = Screener([_entry("1", "HU, Shi", EntryType.INDIVIDUAL)])
    assert _hits(screener, "湖劍山世界") == []
    assert _hits(screener, "胡诗") == ["HU, Shi"]


def test_near_miss_a_known_name_is_not_a_misspelling_of_another() -> None:
    screener = Screener(
        [_entry("1", "Hansen Technologies Limited", None, EL), _entry("2", "MORGAN GOLDEN MINING, S.A. DE C.V.", None)]
    )
    assert _hits(screener, "Hanson LLC") == []  # Hanson is a surname of its own
    assert _hits(screener, "MORGGAN GOLDEN MINING, S.A. DE C.V.") == ["MORGAN GOLDEN MINING, S.A. DE C.V."]
    # Two known given names with a distinctive word left over: two people.
    assert score_pair("William Mitchell", "WILLIAM MICHAEL JOHNSON")[0] < DEFAULT_THRESHOLD


def test_org_world_a_three_letter_word_alone_carries_no_hit_when_other_words_differ() -> None:
    screener = Screener([_entry("1", "EKO DEVELOPMENT AND INVESTMENT COMPANY", EntryType.ENTITY)])
    assert _hits(screener, "(주) 에코") == []
    assert score_pair("BP plc", "BP")[0] >= DEFAULT_THRESHOLD  # only a legal form differs


def test_org_world_a_name_that_is_only_a_legal_form_is_not_indexed() -> None:
    entry = ListEntry("1", EL, "Example Holdings", EntryType.ENTITY, ("JSC",), ())
    screener = Screener([entry])
    assert all(item.text != "JSC" for item in screener.index.names)
    assert _hits(screener, "Mai Công ty Cổ phần") == []


def test_org_world_number_signs_and_vietnamese_single_member_llc() -> None:
    assert [t.text for t in prepare("Institute No. 28").tokens] == ["institute", "28"]
    assert [t.kind for t in prepare("Mai Mai Công ty TNHH MTV").tokens][-1] is TokenKind.LEGAL


def test_org_world_business_words_of_other_languages_weigh_little() -> None:
    listed = "INMOBILIARIA EL ESCORPION DEL NORTE S.A. DE C.V."
    assert score_pair("Inmobiliaria del Norte S.A.", listed)[0] < DEFAULT_THRESHOLD
    assert score_pair("Inmobiliaria Escorpion del Norte", listed)[0] >= DEFAULT_THRESHOLD


def test_org_world_a_word_from_another_script_has_no_typing_slips() -> None:
    screener = Screener([_entry("1", "PREDO", EntryType.INDIVIDUAL), _entry("2", "FESRC JSC", EntryType.ENTITY)])
    assert _hits(screener, "Продо") == []  # sounds like Predo, and is another word
    assert _hits(screener, "ФЕСРК АО") == ["FESRC JSC"]  # the same letters in Cyrillic


def test_person_world_an_initial_beside_another_spelt_out_name_is_not_that_name() -> None:
    score, explanation = score_pair("Адам Михеев", "MIKHEEV, Alexander A.", "Person")
    assert score < DEFAULT_THRESHOLD
    assert any("initial" in p.reason for p in explanation.penalties)
    assert score_pair("Александр Михеев", "MIKHEEV, Alexander A.", "Person")[0] >= DEFAULT_THRESHOLD


def test_person_world_a_chinese_or_korean_name_in_its_script_matches_only_as_a_whole() -> None:
    screener = Screener(
        [
            _entry("1", "Jin Ping Li", None, EL),
            _entry("2", "CHEN, Bing Shen", EntryType.INDIVIDUAL),
            _entry("3", "Su Bin", None, EL),
            _entry("4", "LI, Ping", EntryType.INDIVIDUAL),
            _entry("5", "KIM, Sang-ho", EntryType.INDIVIDUAL),
        ]
    )
    assert _hits(screener, "平 李") == ["LI, Ping"]  # Li Jin Ping has a given name of two syllables
    assert _hits(screener, "兵 陈") == []  # Chen Bing is not Chen Bing Shen
    assert _hits(screener, "수빈 이") == []  # Lee Su-bin: the surname Lee is not in "Su Bin"
    assert _hits(screener, "상호 김") == ["KIM, Sang-ho"]
    assert _hits(screener, "李金平") == ["Jin Ping Li"]  # the whole name still matches
    hit = Screener([_entry("1", "Jin Ping Li", None, EL)]).screen("平 李", threshold=0.5)[0]
    assert "matches only as a whole" in describe(hit.explanation)
    # The same in pinyin; a name of other Latin words may still leave out a middle name.
    chen = Screener([_entry("1", "CHEN, Bing Shen", EntryType.INDIVIDUAL), _entry("2", "SMITH, John Adam", None)])
    assert _hits(chen, "Chen Bing") == []
    assert _hits(chen, "Chen Bingshen") == ["CHEN, Bing Shen"]
    assert _hits(chen, "John Smith") == ["SMITH, John Adam"]


def test_person_world_a_pinyin_syllable_read_from_han_is_never_another_pinyin_syllable() -> None:
    # 常 is "chang" and 张 "zhang": the Wade-Giles CHANG may be 张, a pinyin ZHANG is never 常.
    person = EntryType.INDIVIDUAL
    screener = Screener([_entry("1", "ZHANG, Yu", person), _entry("2", "CHANG, Yu", person)])
    assert _hits(screener, "宇 常") == ["CHANG, Yu"]
    assert sorted(_hits(screener, "宇 张")) == ["CHANG, Yu", "ZHANG, Yu"]


def test_org_world_a_one_word_party_name_needs_more_than_a_slip_in_a_short_word() -> None:
    screener = Screener(
        [
            _entry("1", "HORAE", EntryType.VESSEL),
            _entry("2", "KASTOR", EntryType.INDIVIDUAL),
            _entry("3", "KALASHNIKOV", EntryType.ENTITY),
            _entry("4", "HORAE SHIPPING TRADE", EntryType.ENTITY),
        ]
    )
    assert _hits(screener, "Hörle") == []  # a German surname, one letter from a vessel's name
    assert _hits(screener, "Käster") == []
    assert _hits(screener, "Kalashnikof") == ["KALASHNIKOV"]  # one slip in a long word is still the name
    assert _hits(screener, "Horle Shipping Trade") == ["HORAE SHIPPING TRADE"]  # more words say the same


def test_org_world_spanish_register_abbreviations_are_legal_forms() -> None:
    # "S.Com." (sociedad comanditaria) and "S.Coop." were read as the word "com" and an initial.
    assert [t.kind for t in prepare("Industrias Cabo S.Com.").tokens][-1] is TokenKind.LEGAL
    assert [t.kind for t in prepare("Grupo S.Coop.").tokens][-1] is TokenKind.LEGAL
    screener = Screener([_entry("1", "Source Com", None, EL), _entry("2", "CABO INDUSTRIAS S.COM.", EntryType.ENTITY)])
    assert _hits(screener, "Industrias Cabo S.Com.") == ["CABO INDUSTRIAS S.COM."]


def test_org_world_stg_in_a_name_is_a_word_not_a_silent_partnership() -> None:
    # A stille Gesellschaft never trades under a name of its own (HGB 230), so "StG" is a word.
    assert [t.kind for t in prepare("OOO 'STG-EKO'").tokens][1] is TokenKind.WORD
    screener = Screener([_entry("1", "OOO 'STG-EKO'", None, EL)])
    assert _hits(screener, "(주) 에코") == []  # Eko alone is three letters of a two-word name
    assert _hits(screener, "STG EKO LLC") == ["OOO 'STG-EKO'"]


def test_org_world_across_kinds_one_shared_word_is_no_match() -> None:
    # A company named after a surname is not the person known by it, nor the vessel of that name.
    person = ListEntry("1", SDN, "MONTERO PINZON, Julio Cesar", EntryType.INDIVIDUAL, ("Moreno",), ("MX",))
    screener = Screener(
        [person, _entry("2", "ADLER", EntryType.VESSEL), _entry("3", "PUTIN, Vladimir", EntryType.INDIVIDUAL)]
    )
    assert _hits(screener, "Moreno LLC") == []
    assert _hits(screener, "Adler AG") == []
    assert _hits(screener, "Moreno") == ["Moreno"]  # the alias itself, kind unknown, is still raised
    assert _hits(screener, "Adler") == ["ADLER"]
    # Two words shared across kinds are a strong match: only the usual kind penalty applies.
    hits = screener.screen("Vladimir Putin LLC")
    assert [h.matched_name for h in hits] == ["PUTIN, Vladimir"]
    one_word = screener.screen("Moreno LLC", threshold=0.5)[0]
    assert "share one word only" in describe(one_word.explanation)


def test_org_world_a_vietnamese_personal_name_on_a_list_without_types_is_a_person() -> None:
    # The DPL and the ITAR debarred list carry no type; "DAN TRAN DANG" is a man, not the firm "Tran Dang".
    assert implied_kind(prepare("DAN TRAN DANG"), listed=True)[0] is EntryType.INDIVIDUAL
    assert implied_kind(prepare("HOANG, Van Nguyen"), listed=True)[0] is EntryType.INDIVIDUAL
    assert implied_kind(prepare("VIETNAM TRAN TRADING"), listed=True)[0] is EntryType.ENTITY
    assert implied_kind(prepare("TRAN MORALES"), listed=True)[0] is None  # Morales is no Vietnamese syllable
    screener = Screener(
        [_entry("1", "DAN TRAN DANG", None, "Denied Persons List (DPL) - Bureau of Industry and Security")]
    )
    assert _hits(screener, "Trần Đặng Công ty TNHH MTV") == []
    assert _hits(screener, "Đặng Trần Tập Đoàn") == []  # "Tập đoàn" (group) is a designation, as TNHH is
    assert _hits(screener, "Dan Tran Dang") == ["DAN TRAN DANG"]
    assert _hits(screener, "Đặng Trần Dân") == ["DAN TRAN DANG"]


def test_person_world_a_given_name_beside_a_place_or_a_look_alike_word_is_a_person() -> None:
    # "Trinidad", "Rico" are places and "Marini" looks like "marine": read as a company's words they
    # weighed as qualifiers, leaving the other name to carry a hit alone.
    for name in ("Emma Marini", "Rico Giralt", "Trinidad Arnal", "Lauren Chan"):
        assert implied_kind(prepare(name))[0] is EntryType.INDIVIDUAL, name
    for name in ("Emma Marine", "Emma Trading", "Emma Marini LLC", "Giralt Arnal"):
        assert implied_kind(prepare(name))[0] is not EntryType.INDIVIDUAL, name
    screener = Screener(
        [
            _entry("1", "EMMA LLC", EntryType.ENTITY),
            _entry("2", "GIRALT", EntryType.VESSEL),
            ListEntry("3", SDN, "QUINTERO, Ramon", EntryType.INDIVIDUAL, ("Arnel",), ()),
        ]
    )
    assert _hits(screener, "Emma Marini") == []
    assert _hits(screener, "Rico Giralt") == []
    assert _hits(screener, "Trinidad Arnal") == []
    assert _hits(screener, "Emma Shipping LLC") == ["EMMA LLC"]  # a qualifier beside the listed name
    assert _hits(screener, "Giralt") == ["GIRALT"]


def test_org_world_a_one_word_name_from_another_script_sounds_like_a_latin_one_only_when_long() -> None:
    # The surname Мишин reads "mishin", which sounds like "mission"; six letters are too few alone.
    screener = Screener(
        [_entry("1", "MISSION COMMUNICATIONS, LLC", EntryType.ENTITY), _entry("2", "KRIOGENMASH OAO", EntryType.ENTITY)]
    )
    assert _hits(screener, "Мишин Лтд") == []
    assert _hits(screener, "Криогенмаш") == ["KRIOGENMASH OAO"]  # a long word sounds like its own name
    assert _hits(screener, "Mission Communications") == ["MISSION COMMUNICATIONS, LLC"]
