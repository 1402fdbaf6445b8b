"""Build a labelled screening set from the CSL: spelling variants of listed names, and clean names.

    python tools/make_variant_set.py [--list resources/lists/consolidated-2026-07-31.csv.gz]
                                     [--seed 7] [--variants 1500] [--clean 1500] --out variants.csv

Variants (``expected`` = the entry id that must be hit) are made from listed entity and person
names by one transformation each: legal-form swap, trade abbreviation, word order, a typo,
dropped city prefix, words run together, Cyrillic spelling of a Russian entity. Clean names
(``expected`` empty) are company and person names assembled from generic business vocabulary
and invented distinctive words, checked not to reuse any distinctive listed word. Seeded and
deterministic: the same seed and list give the same file.
"""

from __future__ import annotations

import argparse
import csv
import random
import re
import sys
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workbench.domain.screening import EntryType, ListEntry  # noqa: E402
from workbench.screening.normalise import fold  # noqa: E402
from workbench.screening.parsers import parse_list  # noqa: E402

LEGAL_SWAPS = [
    ("CO., LTD.", "COMPANY LIMITED"), ("CO., LTD", "CO LIMITED"), ("CO. LTD.", "COMPANY LTD"),
    ("COMPANY LIMITED", "CO., LTD."), ("LIMITED", "LTD"), ("LTD", "LIMITED"), ("LLC", "L.L.C."),
    ("LLC", "LIMITED LIABILITY COMPANY"), ("OOO", "LLC"), ("JSC", "JOINT STOCK COMPANY"),
    ("JOINT STOCK COMPANY", "JSC"), ("OJSC", "OAO"), ("PJSC", "PUBLIC JOINT STOCK COMPANY"), ("AO", "JSC"),
    ("CORPORATION", "CORP."), ("CORP", "CORPORATION"), ("INC", "INCORPORATED"), ("GMBH", "G.M.B.H."),
]
ABBREVIATIONS = [
    ("TECHNOLOGY", "TECH"), ("TECHNOLOGIES", "TECH"), ("INTERNATIONAL", "INTL"), ("GROUP", "GRP"),
    ("SERVICES", "SVCS"), ("MANUFACTURING", "MFG"), ("COMPANY", "CO"), ("INDUSTRIAL", "IND"),
    ("ENGINEERING", "ENGG"), ("ELECTRONICS", "ELEC"), ("EQUIPMENT", "EQUIP"), ("TRADING", "TRDG"),
    ("COMMUNICATIONS", "COMM"), ("DEVELOPMENT", "DEV"), ("MANAGEMENT", "MGMT"), ("HOLDING", "HLDG"),
    ("INVESTMENT", "INV"), ("CORPORATION", "CORP"), ("INSTITUTE", "INST"), ("LABORATORY", "LAB"),
    ("UNIVERSITY", "UNIV"), ("NATIONAL", "NATL"), ("SYSTEMS", "SYS"), ("AND", "&"),
]
CITY_PREFIXES = ("BEIJING", "SHANGHAI", "SHENZHEN", "GUANGZHOU", "WUHAN", "CHENGDU", "TIANJIN", "HANGZHOU",
                 "NANJING", "XIAN", "XI'AN", "MOSCOW", "HONG KONG", "DUBAI", "TEHRAN", "HEFEI", "CHANGSHA",
                 "DALIAN", "QINGDAO", "SUZHOU", "ZHUHAI", "XIAMEN", "HARBIN", "SHENYANG", "CHONGQING")
RU_LEGAL = {"JSC": "АО", "OJSC": "ОАО", "PJSC": "ПАО", "LLC": "ООО", "OOO": "ООО", "CJSC": "ЗАО", "AO": "АО",
            "OAO": "ОАО", "ZAO": "ЗАО", "PAO": "ПАО", "JOINT STOCK COMPANY": "АО",
            "LIMITED LIABILITY COMPANY": "ООО"}
_LATIN_TO_CYRILLIC = [
    ("shch", "щ"), ("sch", "щ"), ("zh", "ж"), ("kh", "х"), ("ts", "ц"), ("ch", "ч"), ("sh", "ш"), ("yu", "ю"),
    ("ya", "я"), ("yo", "ё"), ("ye", "е"), ("a", "а"), ("b", "б"), ("v", "в"), ("g", "г"), ("d", "д"),
    ("e", "е"), ("z", "з"), ("i", "и"), ("y", "ы"), ("k", "к"), ("l", "л"), ("m", "м"), ("n", "н"), ("o", "о"),
    ("p", "п"), ("r", "р"), ("s", "с"), ("t", "т"), ("u", "у"), ("f", "ф"), ("h", "х"), ("c", "к"), ("x", "кс"),
    ("w", "в"), ("j", "й"), ("q", "к"),
]

CLEAN_GENERIC = ["Trading", "Technology", "International", "Group", "Industrial", "Logistics", "Solutions",
                 "Systems", "Electronics", "Engineering", "Global", "Holdings", "Manufacturing", "Services",
                 "Supply", "Components", "Precision", "Instruments", "Energy", "Materials", "Partners",
                 "Consulting", "Pacific", "Digital", "Industries", "Devices", "Automation", "Networks"]
CLEAN_LEGAL = ["Co., Ltd.", "LLC", "Inc.", "GmbH", "Ltd", "S.A.", "B.V.", "AG", "Pte Ltd", "Corporation",
               "S.r.l.", "Oy", "AB", "Sp. z o.o.", "Pty Ltd", "K.K.", "plc", ""]
CLEAN_PLACES = ["Shenzhen", "Dubai", "Singapore", "Hamburg", "Rotterdam", "Ohio", "Texas", "Bavaria", "Kyoto",
                "Ontario", "Lyon", "Milan", "Penang", "Busan", "Gdansk", "Izmir", "Osaka", "Monterrey", ""]
GIVEN = ["James", "Maria", "Wei", "Anna", "Carlos", "Priya", "Lukas", "Sofia", "Kenji", "Olga", "Ahmed",
         "Fatima", "John", "Elena", "Hiroshi", "Laura", "Pierre", "Ingrid", "Mateo", "Chloe", "Arjun", "Nina"]
SYLLABLES = ["vor", "tal", "mex", "qui", "bran", "sol", "dex", "ora", "lum", "zen", "kor", "vela", "tri",
             "nov", "arc", "pix", "sel", "ryn", "gal", "bor", "fen", "tis", "mar", "lex", "ond", "cre", "vys"]


def _sub(name: str, old: str, new: str) -> str | None:
    pattern = re.compile(rf"(?<![A-Za-z]){re.escape(old)}(?![A-Za-z])", re.IGNORECASE)
    return pattern.sub(new, name, count=1) if pattern.search(name) else None


_LEGAL_WORDS = {"co", "ltd", "llc", "jsc", "ojsc", "pjsc", "cjsc", "oao", "zao", "ooo", "ao", "pao", "inc", "corp",
                "company", "limited", "corporation", "joint", "stock", "liability", "obshchestvo", "otkrytoe",
                "zakrytoe", "aktsionernoe", "ogranichennoi", "ogranichennoy", "otvetstvennostyu",
                "otvetstvennostiu", "s", "sa", "de", "cv", "gmbh", "ag", "plc", "srl", "bv", "kompaniya",
                "incorporated", "public", "private", "pte", "pvt", "sarl"}


def _plain(word: str) -> bool:
    """A word of the name itself, not of its legal form."""
    return fold(word) not in _LEGAL_WORDS and fold(word).isalpha()


def _distinctive_rest(words: list[str]) -> bool:
    from workbench.screening.weights import generic_vocabulary

    generic = generic_vocabulary()
    return any(_plain(w) and fold(w) not in generic and len(fold(w)) >= 3 for w in words)


def legal_swap(name: str, rng: random.Random) -> str | None:
    options = [(o, n) for o, n in LEGAL_SWAPS if _sub(name, o, n)]
    if not options:
        return None
    old, new = rng.choice(options)
    return _sub(name, old, new)


def abbreviate(name: str, rng: random.Random) -> str | None:
    options = [(o, n) for o, n in ABBREVIATIONS if _sub(name, o, n)]
    if not options:
        return None
    old, new = rng.choice(options)
    return _sub(name, old, new)


def word_order(name: str, rng: random.Random) -> str | None:
    if "," in name:
        last, _, first = name.partition(",")
        if first.strip():
            return f"{first.strip()} {last.strip()}"
    words = name.split()
    spots = [i for i in range(len(words) - 1) if _plain(words[i]) and _plain(words[i + 1])]
    if not spots:
        return None
    i = rng.choice(spots)
    words[i], words[i + 1] = words[i + 1], words[i]
    return " ".join(words)


def typo(name: str, rng: random.Random) -> str | None:
    words = name.split()
    long_words = [i for i, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long_words:
        return None
    i = rng.choice(long_words)
    w = words[i]
    pos = rng.randrange(1, len(w) - 1)
    kind = rng.choice(("drop", "swap", "double", "replace"))
    if kind == "drop":
        w = w[:pos] + w[pos + 1:]
    elif kind == "swap":
        w = w[:pos] + w[pos + 1] + w[pos] + w[pos + 2:]
    elif kind == "double":
        w = w[:pos] + w[pos] + w[pos:]
    else:
        w = w[:pos] + rng.choice("aeiou") + w[pos + 1:]
    words[i] = w
    return " ".join(words)


def drop_city(name: str, rng: random.Random) -> str | None:
    for city in CITY_PREFIXES:
        if name.upper().startswith(city + " ") and len(name.split()) > len(city.split()) + 1:
            rest = name[len(city):].strip()
            return rest if _distinctive_rest(rest.split()) else None
    return None


def concatenate(name: str, rng: random.Random) -> str | None:
    words = name.split()
    spots = [i for i in range(len(words) - 1) if _plain(words[i]) and _plain(words[i + 1])]
    if not spots:
        return None
    i = rng.choice(spots)
    return " ".join([*words[:i], words[i] + words[i + 1], *words[i + 2:]])


def to_cyrillic(name: str, rng: random.Random) -> str | None:
    """Write a transliterated Russian name in Cyrillic (only names that are not English words)."""
    from workbench.screening.weights import generic_vocabulary

    text = f" {fold(name).upper()} "
    for phrase in sorted(RU_LEGAL, key=len, reverse=True):
        text = text.replace(f" {phrase} ", f" {RU_LEGAL[phrase]} ")
    words = text.split()
    plain = [w for w in words if w.isascii()]
    if len(words) < 2 or not plain or any(w.lower() in generic_vocabulary() for w in plain):
        return None
    out = []
    for word in words:
        if not word.isascii():
            out.append(word)
            continue
        text = word.lower()
        result = ""
        while text:
            for latin, cyr in _LATIN_TO_CYRILLIC:
                if text.startswith(latin):
                    result += cyr
                    text = text[len(latin):]
                    break
            else:
                result += text[0]
                text = text[1:]
        out.append(result.upper())
    return " ".join(out)


TRANSFORMS: dict[str, Callable[[str, random.Random], str | None]] = {
    "legal-form": legal_swap,
    "abbreviation": abbreviate,
    "word-order": word_order,
    "typo": typo,
    "city-prefix": drop_city,
    "concatenation": concatenate,
    "cyrillic": to_cyrillic,
}


def _eligible(entry: ListEntry, transform: str) -> bool:
    if transform == "cyrillic":
        return "RU" in entry.countries and entry.entry_type is not EntryType.INDIVIDUAL
    return entry.entry_type in (None, EntryType.ENTITY, EntryType.INDIVIDUAL)


def variants(entries: list[ListEntry], n: int, rng: random.Random) -> list[dict[str, str]]:
    rows: list[dict[str, str]] = []
    per_kind = max(n // len(TRANSFORMS), 1)
    for kind, transform in TRANSFORMS.items():
        pool = [e for e in entries if _eligible(e, kind)]
        rng.shuffle(pool)
        made = 0
        for entry in pool:
            if made >= per_kind:
                break
            name = rng.choice(entry.names)
            if len(fold(name).split()) < 2 and kind not in ("typo", "cyrillic"):
                continue
            variant = transform(name, rng)
            if not variant or fold(variant) == fold(name):
                continue
            rows.append({"query": variant, "kind": kind, "expected": entry.entry_id, "source_name": name})
            made += 1
    return rows


def _invented(rng: random.Random, listed_words: set[str]) -> str:
    while True:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 3)))).capitalize()
        if word.lower() not in listed_words:
            return word


def clean_names(entries: list[ListEntry], n: int, rng: random.Random) -> list[dict[str, str]]:
    listed_words = {w for e in entries for name in e.names for w in fold(name).split()}
    rows: list[dict[str, str]] = []
    while len(rows) < n:
        if rng.random() < 0.2:
            name = f"{rng.choice(GIVEN)} {_invented(rng, listed_words)}"
            kind = "clean-person"
        else:
            parts = [rng.choice(CLEAN_PLACES), _invented(rng, listed_words),
                     *rng.sample(CLEAN_GENERIC, rng.choice((1, 2))), rng.choice(CLEAN_LEGAL)]
            name = " ".join(p for p in parts if p)
            kind = "clean-company"
        rows.append({"query": name, "kind": kind, "expected": "", "source_name": ""})
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--list", type=Path, default=ROOT / "resources/lists/consolidated-2026-07-31.csv.gz")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--variants", type=int, default=1400)
    parser.add_argument("--clean", type=int, default=1400)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args(argv)
    entries = list(parse_list(args.list).entries)
    rng = random.Random(args.seed)
    rows = variants(entries, args.variants, rng) + clean_names(entries, args.clean, rng)
    with args.out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["query", "kind", "expected", "source_name"])
        writer.writeheader()
        writer.writerows(rows)
    print(f"wrote {len(rows)} rows to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
