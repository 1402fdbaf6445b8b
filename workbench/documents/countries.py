"""Country names mentioned in a document's text.

Used to suggest the country an EUC names and to warn when it names a country other than the
end user's. Names come from the domain's ISO 3166 table plus the usual alternative spellings
(``PRC``, ``Republic of Korea``, ``UAE``...). Some country names are also common words or
personal and place names (Jordan, Chad, Georgia, Turkey...): those count only after a word
that introduces a place ("in", "to", "from", "of", "country:"), so a signatory called Jordan
does not make an EUC "name" Jordan.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from workbench.domain.countries import country_names

_ALIASES: dict[str, tuple[str, ...]] = {
    "US": ("United States", "United States of America", "USA", "U.S.A.", "U.S."),
    "GB": ("United Kingdom", "Great Britain", "UK", "U.K."),
    "CN": ("China", "People's Republic of China", "PRC", "P.R.C.", "P.R. China"),
    "TW": ("Taiwan", "Republic of China (Taiwan)", "Chinese Taipei"),
    "HK": ("Hong Kong", "Hong Kong SAR"),
    "MO": ("Macau", "Macao", "Macau SAR", "Macao SAR"),
    "KR": ("South Korea", "Republic of Korea", "Korea, Republic of"),
    "KP": ("North Korea", "Democratic People's Republic of Korea", "DPRK"),
    "RU": ("Russia", "Russian Federation"),
    "AE": ("United Arab Emirates", "UAE", "U.A.E."),
    "VN": ("Vietnam", "Viet Nam"),
    "IR": ("Iran", "Islamic Republic of Iran"),
    "SY": ("Syria", "Syrian Arab Republic"),
    "LA": ("Laos", "Lao People's Democratic Republic"),
    "CZ": ("Czechia", "Czech Republic"),
    "NL": ("Netherlands", "The Netherlands", "Holland"),
    "TR": ("Turkey", "Türkiye", "Turkiye"),
    "CI": ("Côte d'Ivoire", "Cote d'Ivoire", "Ivory Coast"),
    "MM": ("Myanmar", "Burma"),
    "BO": ("Bolivia",),
    "VE": ("Venezuela",),
    "TZ": ("Tanzania",),
    "MD": ("Moldova",),
    "CD": ("Democratic Republic of the Congo", "DR Congo", "DRC"),
    "CG": ("Republic of the Congo",),
}

# Country names that are also everyday words or personal/place names elsewhere.
_AMBIGUOUS = frozenset(
    {
        "Jordan",
        "Chad",
        "Georgia",
        "Turkey",
        "Guinea",
        "Niger",
        "Dominica",
        "Jersey",
        "Israel",
        "Panama",
        "Mali",
        "Togo",
        "Cuba",
        "Peru",
        "China",
        "Oman",
        "Monaco",
        "Chile",
        "Malta",
        "Holland",
        "UK",
        "U.S.",
        "USA",
        "DRC",
        "Burma",
        "Laos",
    }
)
_CONTEXT = re.compile(
    r"(?:\bin|\bto|\bvia|\bfrom|\bof|\bwithin|\binto|\bcountry|\bdestination|\bnation|\blocated|\bbased|[,:(])\s*(?:the\s+)?$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class CountryMention:
    code: str
    name: str
    """The words as they appear in the text."""
    start: int
    end: int


@cache
def _patterns() -> list[tuple[re.Pattern[str], str, bool]]:
    names: dict[str, str] = {}
    for code, name in country_names().items():
        names.setdefault(name, code)
    for code, aliases in _ALIASES.items():
        for alias in aliases:
            names[alias] = code
    out = []
    # Longest names first, so "Papua New Guinea" is found before "Guinea".
    for name in sorted(names, key=len, reverse=True):
        if len(name) < 3 and "." not in name and name not in {"UK"}:
            continue
        spellings = sorted({name, name.upper()}, key=len, reverse=True)
        body = "|".join(re.escape(s).replace(r"\ ", r"\s+") for s in spellings)
        pattern = re.compile(rf"(?<![\w.])(?:{body})(?!\w|\.\w)")
        out.append((pattern, names[name], name in _AMBIGUOUS))
    return out


def find_countries(text: str) -> list[CountryMention]:
    """Countries named in ``text``, in order.

    Matching is case-sensitive (as written, or all capitals as on letterheads), so "china" the
    porcelain and "turkey" the bird are not countries.
    """
    taken: list[tuple[int, int]] = []
    mentions: list[CountryMention] = []
    for pattern, code, ambiguous in _patterns():
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < b and a < end for a, b in taken):
                continue
            if ambiguous and not _CONTEXT.search(text[max(0, start - 24) : start]):
                continue
            taken.append((start, end))
            mentions.append(CountryMention(code, match.group(), start, end))
    mentions.sort(key=lambda m: m.start)
    return mentions


def countries_named(text: str) -> set[str]:
    return {m.code for m in find_countries(text)}
