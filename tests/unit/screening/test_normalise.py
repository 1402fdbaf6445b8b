"""Each normalisation rule on its own."""

from __future__ import annotations

import pytest

from workbench.screening.matcher import DEFAULT_THRESHOLD, score_pair
from workbench.screening.normalise import NameKind, TokenKind, fold, prepare, repair


def keys(name: str, kind: NameKind = NameKind.ANY) -> list[str]:
    return [t.key for t in prepare(name, kind).tokens]


def test_nfkc_casefold_and_punctuation() -> None:
    assert fold("ＡＢＣ  Straße-Works, Inc.") == "abc strasse works inc"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Сергей Викторович Лавров", "sergey viktorovich lavrov"),
        ("Crédit Agricole", "credit agricole"),
        ("习近平", "xi jinping"),  # surname, then the given name as one word
    ],
)
def test_transliteration(text: str, expected: str) -> None:
    assert fold(text) == expected


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CO., LTD.", "COMPANY LIMITED"),
        ("LLC", "OOO"),
        ("ООО", "Limited Liability Company"),
        ("JSC", "AO"),
        ("АО", "Joint Stock Company"),
        ("GmbH", "G.m.b.H."),
    ],
)
def test_legal_forms_map_to_one_canonical_token(a: str, b: str) -> None:
    assert keys(f"Romashka {a}")[-1] == keys(f"Romashka {b}")[-1]
    assert prepare(f"Romashka {a}").tokens[-1].kind is TokenKind.LEGAL


@pytest.mark.parametrize(
    ("abbr", "word"),
    [
        ("TECH", "TECHNOLOGY"),
        ("INTL", "INTERNATIONAL"),
        ("GRP", "GROUP"),
        ("SVCS", "SERVICES"),
        ("SRVCES", "SERVICES"),
        ("MFG", "MANUFACTURING"),
        ("Int’l", "International"),
    ],
)
def test_trade_abbreviations(abbr: str, word: str) -> None:
    assert keys(f"Haige {abbr}") == keys(f"Haige {word}")


def test_last_first_order_for_people() -> None:
    assert prepare("MADURO MOROS, Nicolas", NameKind.PERSON).normalised == "nicolas maduro moros"
    assert prepare("Dr. Ahmed Khan", NameKind.PERSON).normalised == "ahmed khan"


def test_list_quirks() -> None:
    assert (
        repair("Sinobright Import and Export Company; and any successor, sub-unit, or subsidiary thereof")
        == "Sinobright Import and Export Company"
    )
    assert repair("Murat B\x81key") == "Murat Bükey"  # cp437 byte read as latin-1
    assert repair("CafÃ© Ltd") == "Café Ltd"  # UTF-8 read as cp1252
    assert repair("Iran?s Ministry") == "Iran's Ministry"  # BIS mojibake
    assert prepare(" ADRIAN MANUEL HERNANDEZ").normalised == "adrian manuel hernandez"


def test_initialisms_digits_and_initials() -> None:
    assert prepare("A.B.C. Company").tokens[0].text == "abc"
    assert prepare("Ig0r Sech1n").normalised == "igor sechin"
    kinds = [t.kind for t in prepare("Trust 2005 Fund VII J Smith").tokens]
    assert kinds == [
        TokenKind.WORD,
        TokenKind.NUMBER,
        TokenKind.WORD,
        TokenKind.NUMBER,
        TokenKind.INITIAL,
        TokenKind.WORD,
    ]


@pytest.mark.parametrize(
    ("words", "digits"),
    [
        ("Brigade Forty-Four", "brigade 44"),
        ("Brigade Forty 4", "brigade 44"),
        ("Seven Hundred and Three Research Institute", "703 research institute"),
        ("Three Thousand and Five", "3005"),
        ("Nineteen Hundred", "1900"),
        ("One Two Three Trading", "1 2 3 trading"),  # not one number: each word stays apart
        ("Twenty Thirty", "20 30"),
        ("Tom and Jerry", "tom and jerry"),
        ("Five and Ten Store", "5 and 10 store"),  # "and" joins only after hundred/thousand
    ],
)
def test_number_words_become_digits(words: str, digits: str) -> None:
    assert fold(words) == digits


def test_number_words_match_their_digits() -> None:
    assert score_pair("Brigade Forty-Four", "Brigade 44", "Organization")[0] == 1.0
    assert score_pair("Brigade Forty-Four", "Brigade 45", "Organization")[0] < DEFAULT_THRESHOLD
