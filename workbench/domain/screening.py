"""Restricted-party screening: list entries, hits and their explanations, officer decisions.

Plain values only. The engine in ``workbench.screening`` produces them; the store persists
them; the UI shows them. ``ListEntry.content_hash`` is what a disposition is pinned to, so a
decision is re-opened as soon as the listed entry itself changes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

# EntryType is defined with the case's parties, whose kind uses the same vocabulary.
from workbench.domain.case import EntryType as EntryType
from workbench.domain.case import ListFlag


class MatchKind(StrEnum):
    """How a query token was paired with a listed token."""

    EXACT = "exact"
    LEGAL_FORM = "legal-form"
    ABBREVIATION = "abbreviation"
    PHONETIC = "phonetic"
    FUZZY = "fuzzy"
    TRANSLITERATION = "transliteration"
    INITIAL = "initial"
    CONCATENATION = "concatenation"
    VARIANT = "name-variant"
    """One name in two romanisations (a variant table or spelling rule says so)."""


class DispositionDecision(StrEnum):
    TRUE_MATCH = "true_match"
    FALSE_POSITIVE = "false_positive"


class ListFormat(StrEnum):
    CSL_CSV = "csl-csv"
    CSL_JSON = "csl-json"
    OFAC_SDN = "ofac-sdn"


# Short codes of the CSL source lists, keyed by a distinctive part of the full source name.
_SOURCE_CODES: tuple[tuple[str, str], ...] = (
    ("(SDN)", "SDN"),
    ("Entity List", "EL"),
    ("Denied Persons", "DPL"),
    ("Unverified List", "UVL"),
    ("Military End User", "MEU"),
    ("ITAR Debarred", "DTC"),
    ("Nonproliferation Sanctions", "ISN"),
    ("Sectoral Sanctions", "SSI"),
    ("Foreign Sanctions Evaders", "FSE"),
    ("Palestinian Legislative Council", "PLC"),
    ("Capta List", "CAP"),
    ("Correspondent Account or Payable-Through", "CAP"),
    ("(CMIC)", "CMIC"),
    ("Menu-Based", "NS-MBS"),
)

SDN_SOURCE = "Specially Designated Nationals (SDN) - Treasury Department"

_LIST_FLAGS: dict[str, ListFlag] = {
    "EL": ListFlag.ENTITY_LIST,
    "DPL": ListFlag.DENIED_PERSONS,
    "UVL": ListFlag.UNVERIFIED,
    "MEU": ListFlag.MILITARY_END_USER,
    "SDN": ListFlag.SDN,
}


def source_code(source: str) -> str:
    """Short code (EL, SDN, DPL…) of a CSL source name; the name itself when unknown."""
    for needle, code in _SOURCE_CODES:
        if needle.casefold() in source.casefold():
            return code
    return source.strip()


def list_flag(source_code_or_name: str) -> ListFlag | None:
    """The case's ``ListFlag`` a source corresponds to; ``None`` for lists a case does not flag."""
    return _LIST_FLAGS.get(source_code(source_code_or_name))


@dataclass(frozen=True, slots=True)
class ListEntry:
    """One entry of a restricted-party list, with its aliases as first-class names."""

    entry_id: str
    source: str
    name: str
    entry_type: EntryType | None = None
    alt_names: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    addresses: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()
    license_requirement: str = ""
    license_policy: str = ""
    federal_register_notice: str = ""
    remarks: str = ""
    source_list_url: str = ""
    source_code: str = field(default="")

    def __post_init__(self) -> None:
        if not self.source_code:
            object.__setattr__(self, "source_code", source_code(self.source))
        for name in ("alt_names", "countries", "addresses", "programs"):
            object.__setattr__(self, name, tuple(getattr(self, name)))

    @property
    def names(self) -> tuple[str, ...]:
        """Primary name first, then the aliases."""
        return (self.name, *self.alt_names)

    @property
    def list_flag(self) -> ListFlag | None:
        return _LIST_FLAGS.get(self.source_code)

    @property
    def content_hash(self) -> str:
        """SHA-256 of the entry's content in a canonical form (stable across imports and formats)."""
        payload = {
            "entry_id": self.entry_id,
            "source": self.source,
            "type": self.entry_type.value if self.entry_type else None,
            "name": self.name,
            "alt_names": sorted(self.alt_names),
            "countries": sorted(self.countries),
            "addresses": sorted(self.addresses),
            "programs": sorted(self.programs),
            "license_requirement": self.license_requirement,
            "license_policy": self.license_policy,
            "federal_register_notice": self.federal_register_notice,
            "remarks": self.remarks,
        }
        text = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class MalformedRow:
    line: int
    reason: str


@dataclass(frozen=True, slots=True)
class ParsedList:
    """What a list file yielded: entries, per-source counts and the rows that were skipped."""

    format: ListFormat
    entries: tuple[ListEntry, ...]
    rows_per_source: dict[str, int]
    malformed: tuple[MalformedRow, ...] = ()
    publication_date: date | None = None
    total_rows: int = 0

    @property
    def malformed_share(self) -> float:
        return len(self.malformed) / self.total_rows if self.total_rows else 0.0


@dataclass(frozen=True, slots=True)
class MatchToken:
    """One aligned token pair (or an unmatched token when the other side is empty)."""

    query_token: str
    listed_token: str
    how: MatchKind | None
    similarity: float
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class Penalty:
    reason: str
    amount: float


@dataclass(frozen=True, slots=True)
class Explanation:
    """Why a name pair scored what it did; ``name_score`` before the country adjustment."""

    query_normalised: str
    listed_normalised: str
    tokens: tuple[MatchToken, ...]
    penalties: tuple[Penalty, ...] = ()
    name_score: float = 0.0
    country_adjustment: float = 0.0
    notes: tuple[str, ...] = ()
    """What else produced the score: normalisation, romanisation, variant tables, containment."""

    @property
    def matched(self) -> tuple[MatchToken, ...]:
        return tuple(t for t in self.tokens if t.how is not None)


@dataclass(frozen=True, slots=True)
class ScreeningHit:
    entry: ListEntry
    matched_name: str
    score: float
    explanation: Explanation

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity used to diff hit sets and to pin dispositions: source, id, content hash."""
        return (self.entry.source_code, self.entry.entry_id, self.entry.content_hash)
