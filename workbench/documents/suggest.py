"""Suggestions read from a document's text: kind, dates, parties, countries, assurances, signatory.

Suggestions are never applied: ``suggest`` returns them with the evidence (the words of the
document that gave rise to each), the services return them to the caller, and the officer
accepts or ignores them. ``prefill`` picks the ones that are unambiguous enough to pre-fill
a form *shown as suggestions*.

What "reliably" means here:

* Dates are read only next to a cue ("valid until", "expires", "signed on", "date:") and
  only in unambiguous formats: ISO ``2026-03-14``, month names (``14 March 2026``,
  ``March 14, 2026``, ``14-Mar-2026``), and dotted day-first ``14.03.2026``. A numeric
  ``03/04/2026`` is skipped unless one part is above 12 (then the order is certain).
* A party is suggested only when its name (fuzzy, see ``names``) occurs in the text.
* The BIS-711 "multiple" scope (valid four years from signing) is *not* inferred: the form
  prints both the "single" and the "multiple" options and text extraction cannot see which
  box is ticked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workbench.documents.countries import find_countries
from workbench.documents.names import (
    BASIC_NORMALISER,
    SAME_NAME,
    NameNormaliser,
    find_name,
    printable,
    snippet,
    text_words,
)
from workbench.domain.case import Assurance, Case, DocumentKind, PartyRole
from workbench.domain.countries import country_name

MIN_YEAR, MAX_YEAR = 1990, 2100
_CUE_WINDOW = 50


class SuggestionField(StrEnum):
    KIND = "kind"
    SIGNED_DATE = "signed_date"
    VALID_FROM = "valid_from"
    VALID_UNTIL = "valid_until"
    SIGNATORY_NAME = "signatory_name"
    SIGNATORY_TITLE = "signatory_title"
    PARTY = "covers_parties"
    COUNTRY = "country"
    ASSURANCE = "assurances"

    @property
    def multiple(self) -> bool:
        """Fields that take several values (a document covers several parties)."""
        return self in (SuggestionField.PARTY, SuggestionField.COUNTRY, SuggestionField.ASSURANCE)


@dataclass(frozen=True, slots=True)
class Suggestion:
    field: SuggestionField
    value: str
    """JSON-ready: an ISO date, a party name exactly as in the case, a country code, an enum value."""
    label: str
    """What a form shows, e.g. 'Valid until 2027-03-31'."""
    evidence: str
    """The words of the document the suggestion was read from."""
    score: float = 1.0
    """Name similarity for parties; 1.0 for everything else."""


# --- dates -------------------------------------------------------------------------------------

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "sept": 9,
    "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(_MONTHS, key=len, reverse=True))
_ISO = re.compile(r"(?<![\d.])(\d{4})-(\d{1,2})-(\d{1,2})(?![\d])")
_DMY = re.compile(
    rf"(?<![\d.])(\d{{1,2}})(?:st|nd|rd|th)?(?:\s+of)?[\s./-]+({_MONTH})\.?,?[\s./-]+(\d{{4}})(?!\d)", re.IGNORECASE
)
_MDY = re.compile(rf"\b({_MONTH})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?!\d)", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\d./-])(\d{1,2})([./-])(\d{1,2})\2(\d{4})(?!\d)")

_CUES: tuple[tuple[SuggestionField, re.Pattern[str]], ...] = (
    (
        SuggestionField.VALID_UNTIL,
        re.compile(
            r"valid\s+(?:until|till|through|thru|to)|expir(?:y|es|ation|ing|ed)(?:\s+(?:on|date))?|"
            r"not\s+valid\s+after|valid\s+up\s+to|\buntil",
            re.IGNORECASE,
        ),
    ),
    (
        SuggestionField.VALID_FROM,
        re.compile(
            r"(?:valid|validity|period)[^.\n]{0,30}?\bfrom|valid\s+as\s+of|effective(?:\s+(?:from|date|on))?",
            re.IGNORECASE,
        ),
    ),
    (
        SuggestionField.SIGNED_DATE,
        re.compile(
            r"signed(?:\s+(?:on|at|this))?|date\s+of\s+(?:signature|signing|issue)|signature\s+date|\bdated|"
            r"issued\s+on|(?<!expiry )(?<!expiration )(?<!effective )(?<!end )(?<!start )\bdate\b",
            re.IGNORECASE,
        ),
    ),
)
_RANGE_TO = re.compile(r"^\s*(?:to|till|until|through|thru|-|–)\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class _FoundDate:
    value: date
    start: int
    end: int


def _make(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[_FoundDate]:
    """Every unambiguous date in ``text``, in order of appearance."""
    found: list[_FoundDate] = []

    def add(value: date | None, match: re.Match[str]) -> None:
        if value is None:
            return
        start, end = match.span()
        if any(start < f.end and f.start < end for f in found):
            return
        found.append(_FoundDate(value, start, end))

    for m in _ISO.finditer(text):
        add(_make(int(m[1]), int(m[2]), int(m[3])), m)
    for m in _DMY.finditer(text):
        add(_make(int(m[3]), _MONTHS[m[2].lower()], int(m[1])), m)
    for m in _MDY.finditer(text):
        add(_make(int(m[3]), _MONTHS[m[1].lower()], int(m[2])), m)
    for m in _NUMERIC.finditer(text):
        first, separator, second, year = int(m[1]), m[2], int(m[3]), int(m[4])
        if separator == "." or first > 12 or first == second:
            add(_make(year, second, first), m)  # day first: dotted dates, or the order is certain
        elif second > 12:
            add(_make(year, first, second), m)  # month first (US style), certain because day > 12
    found.sort(key=lambda f: f.start)
    return found


def _cue(text: str, begin: int, end: int) -> SuggestionField | None:
    """The field named by the cue closest before ``end`` (in ``text[begin:end]``)."""
    segment = text[begin:end]
    best: tuple[int, int, SuggestionField] | None = None
    for field, pattern in _CUES:
        for m in pattern.finditer(segment):
            key = (m.end(), m.end() - m.start(), field)
            if best is None or key[:2] > best[:2]:
                best = key
    return best[2] if best else None


def _date_suggestions(text: str) -> list[Suggestion]:
    out: list[Suggestion] = []
    previous: tuple[_FoundDate, SuggestionField | None] | None = None
    for found in find_dates(text):
        begin = max(previous[0].end if previous else 0, found.start - _CUE_WINDOW)
        field = _cue(text, begin, found.start)
        if (
            previous
            and previous[1] is SuggestionField.VALID_FROM
            and _RANGE_TO.match(text[previous[0].end : found.start])
        ):
            field = SuggestionField.VALID_UNTIL  # "valid from 1 May 2026 to 30 April 2027"
        previous = (found, field)
        if field is None:
            continue
        title = {
            SuggestionField.SIGNED_DATE: "Signed on",
            SuggestionField.VALID_FROM: "Valid from",
            SuggestionField.VALID_UNTIL: "Valid until",
        }[field]
        iso = found.value.isoformat()
        out.append(Suggestion(field, iso, f"{title} {iso}", snippet(text, found.start, found.end, 40)))
    return out


# --- kind, assurances, signatory ---------------------------------------------------------------

_KIND_PATTERNS: tuple[tuple[DocumentKind, re.Pattern[str]], ...] = (
    (
        DocumentKind.BIS_711,
        re.compile(r"statement\s+by\s+ultimate\s+consignee\s+and\s+purchaser|\bBIS[\s-]*711\b", re.IGNORECASE),
    ),
    (DocumentKind.NAC_NOTIFICATION, re.compile(r"notified\s+advanced\s+computing|\bNAC\s+notification", re.IGNORECASE)),
    (DocumentKind.UVL_STATEMENT, re.compile(r"unverified\s+list|\bUVL\s+statement", re.IGNORECASE)),
    (DocumentKind.IMPORT_CERTIFICATE, re.compile(r"(?:international\s+)?import\s+certificate", re.IGNORECASE)),
    (DocumentKind.LETTER_OF_ASSURANCE, re.compile(r"letter\s+of\s+assurance", re.IGNORECASE)),
    (
        DocumentKind.EUC,
        re.compile(r"end[\s-]*(?:user|use)\s+(?:certificate|statement|certification|undertaking)", re.IGNORECASE),
    ),
    (DocumentKind.DATASHEET, re.compile(r"\bdata\s*sheet\b|technical\s+specifications?", re.IGNORECASE)),
)
_KIND_WINDOW = 2000

_PROHIBITED_USES = r"(?:military|nuclear|chemical|biological|missiles?|weapons?\s+of\s+mass\s+destruction|WMD)"
_ASSURANCE_PATTERNS: tuple[tuple[Assurance, re.Pattern[str]], ...] = (
    (
        Assurance.NO_REEXPORT,
        re.compile(
            r"(?:will|shall|must)\s+not\s+(?:be\s+)?(?:re-?export|resell|re-?sell|re-?transfer|transfer|divert|"
            r"tran?s-?ship)\w*|not\s+(?:to\s+)?be\s+(?:re-?exported|resold|re-?transferred|diverted)|"
            r"\bno\s+re-?exports?\b|re-?export\w*[^.]{0,80}?\b(?:without|unless|except)\b[^.]{0,40}?"
            r"(?:authori[sz]|approv|consent|licen[cs]|permission)",
            re.IGNORECASE,
        ),
    ),
    (
        Assurance.NO_MILITARY_WMD,
        re.compile(
            rf"(?:not|never)\s+(?:be\s+)?(?:used|employed|intended|applied)\b[^.]{{0,200}}?\b{_PROHIBITED_USES}\b|"
            rf"\bno\s+{_PROHIBITED_USES}\s+(?:end[\s-]*)?(?:use|purpose|application)",
            re.IGNORECASE,
        ),
    ),
    (
        Assurance.END_USE_STATEMENT,
        re.compile(
            r"\bend[\s-]*use\s*(?:statement|:|of\s+the\s+(?:items?|goods|products?)|will\s+be|is)\b|"
            r"\b(?:will|shall)\s+be\s+used\s+(?:solely\s+|only\s+|exclusively\s+)?(?:for|as|in|by)\b|"
            r"\bintended\s+(?:end[\s-]*)?use\b|\bused\s+as\s+capital\s+equipment\b|\bspecific\s+end[\s-]*use\b",
            re.IGNORECASE,
        ),
    ),
)
_SIGNATORY = re.compile(
    r"(?:authori[sz]ed\s+signatory|name\s+of\s+(?:the\s+)?(?:authori[sz]ed\s+)?(?:signatory|official|signer)|"
    r"signatory|signed\s+by)[ \t]*[:\-][ \t]*([^\n\r:]{2,80})",
    re.IGNORECASE,
)
_TITLE = re.compile(r"(?:^|\n)[ \t]*(?:title|position|designation)[ \t]*:[ \t]*([^\n\r:]{2,80})", re.IGNORECASE)


def _kind_suggestion(text: str) -> list[Suggestion]:
    head = text[:_KIND_WINDOW]
    best: tuple[int, DocumentKind, re.Match[str]] | None = None
    for kind, pattern in _KIND_PATTERNS:
        m = pattern.search(head)
        if m and (best is None or m.start() < best[0]):
            best = (m.start(), kind, m)
    if best is None:
        return []
    _, kind, m = best
    label = f"Kind: {kind.value.replace('_', ' ')}"
    return [Suggestion(SuggestionField.KIND, kind.value, label, snippet(text, m.start(), m.end(), 30))]


def _assurance_suggestions(text: str) -> list[Suggestion]:
    out = []
    for assurance, pattern in _ASSURANCE_PATTERNS:
        m = pattern.search(text)
        if m:
            label = f"Assurance: {assurance.value.replace('_', ' ')}"
            out.append(Suggestion(SuggestionField.ASSURANCE, assurance.value, label, snippet(text, m.start(), m.end())))
    return out


def _signatory_suggestions(text: str) -> list[Suggestion]:
    out = []
    for field, pattern, title in (
        (SuggestionField.SIGNATORY_NAME, _SIGNATORY, "Signatory"),
        (SuggestionField.SIGNATORY_TITLE, _TITLE, "Signatory title"),
    ):
        m = pattern.search(text)
        if m:
            value = printable(m.group(1)).strip(" ,;")
            if value and sum(ch.isalpha() for ch in value) >= 2:
                out.append(Suggestion(field, value, f"{title}: {value}", snippet(text, m.start(), m.end(), 20)))
    return out


# --- parties and countries ---------------------------------------------------------------------


def _party_suggestions(text: str, case: Case, normaliser: NameNormaliser) -> list[Suggestion]:
    """Parties of the case named in the text (the applicant is the exporter, never "covered")."""
    words = text_words(text, normaliser)
    roles_by_name: dict[str, list[PartyRole]] = {}
    for party in case.parties:
        if party.role is not PartyRole.APPLICANT:
            roles_by_name.setdefault(party.name, []).append(party.role)
    out: list[Suggestion] = []
    named: dict[PartyRole, str] = {}
    for name, roles in roles_by_name.items():
        hit = find_name(name, words, normaliser, SAME_NAME)
        if hit is None:
            continue
        for role in roles:
            named.setdefault(role, name)
        role_text = ", ".join(r.value.replace("_", " ") for r in roles)
        out.append(
            Suggestion(
                SuggestionField.PARTY,
                name,
                f"Covers {name} ({role_text})",
                snippet(text, hit.start, hit.end),
                round(hit.score, 3),
            )
        )
    for role, assurance in (
        (PartyRole.ULTIMATE_CONSIGNEE, Assurance.CONSIGNEE_NAMED),
        (PartyRole.END_USER, Assurance.END_USER_NAMED),
    ):
        if role in named:
            out.append(
                Suggestion(
                    SuggestionField.ASSURANCE,
                    assurance.value,
                    f"Assurance: {assurance.value.replace('_', ' ')}",
                    f"the {role.value.replace('_', ' ')} {named[role]} is named in the document",
                )
            )
    return out


def _country_suggestions(text: str) -> list[Suggestion]:
    out = []
    seen: set[str] = set()
    for mention in find_countries(text):
        if mention.code in seen:
            continue
        seen.add(mention.code)
        out.append(
            Suggestion(
                SuggestionField.COUNTRY,
                mention.code,
                f"Names {country_name(mention.code)} ({mention.code})",
                snippet(text, mention.start, mention.end, 40),
            )
        )
    return out


def suggest(text: str, case: Case, normaliser: NameNormaliser = BASIC_NORMALISER) -> list[Suggestion]:
    """Everything that can be read reliably from ``text`` about a document of ``case``."""
    if not text.strip():
        return []
    return [
        *_kind_suggestion(text),
        *_date_suggestions(text),
        *_signatory_suggestions(text),
        *_party_suggestions(text, case, normaliser),
        *_country_suggestions(text),
        *_assurance_suggestions(text),
    ]


def prefill(suggestions: Iterable[Suggestion]) -> dict[SuggestionField, list[str]]:
    """Values a form may pre-fill (as suggestions): single-valued fields only when unambiguous.

    A single-valued field read with two different values (two "valid until" dates) is left
    out: the officer must choose, so nothing is pre-filled for it.
    """
    values: dict[SuggestionField, list[str]] = {}
    for s in suggestions:
        bucket = values.setdefault(s.field, [])
        if s.value not in bucket:
            bucket.append(s.value)
    return {f: v for f, v in values.items() if f.multiple or len(v) == 1}


def differences(
    suggestions: Sequence[Suggestion], recorded: Mapping[SuggestionField, Sequence[str]]
) -> list[Suggestion]:
    """Suggestions that disagree with what the officer recorded (for "the document says…" hints)."""
    out = []
    for s in suggestions:
        have = recorded.get(s.field)
        if have and s.value not in have and not s.field.multiple:
            out.append(s)
    return out
