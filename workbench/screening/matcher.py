"""Screen a name against a list version, and score a pair of names.

Scores are in 0..1: the share of the two names' identifying weight that matches, blended
toward the better-covered side (see ``scoring``), less penalties. 1.0 means the same name after
normalisation. ``DEFAULT_THRESHOLD`` is the one documented cut-off for a hit: chosen on the
OpenSanctions name benchmark (dev half) and the CSL variant set so that misspellings, dropped
legal forms and reordered words of a listed name still hit while a shared generic word or a
shared given name alone does not.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from workbench.domain.screening import EntryType, Explanation, ListEntry, ScreeningHit
from workbench.screening.explain import build_explanation
from workbench.screening.index import MAX_CANDIDATES, NameIndex, name_kind
from workbench.screening.kinds import chinese_or_korean_personal, implied_kind
from workbench.screening.normalise import NameKind, prepare
from workbench.screening.pairing import WeightedName, weigh
from workbench.screening.scoring import PairScore, carrying_pairs, compare, compare_at_least
from workbench.screening.weights import TokenStats, background_stats

DEFAULT_THRESHOLD = 0.78
COUNTRY_MATCH_BONUS = 0.05
COUNTRY_MISMATCH_PENALTY = 0.05
KIND_MISMATCH_PENALTY = 0.15
"""An organisation screened against a listed individual (or the reverse): only a strong name match stays."""
KIND_MISMATCH_ONE_WORD_PENALTY = 0.25
"""The same when the names share one word only: the company "Moreno LLC" is not the person known as
"Moreno", nor "Adler AG" the vessel ADLER, however exactly the word matches."""
KIND_MATCH_BONUS = 0.02
ALLOW_LIST_SCORE = 0.95
"""A query this close to one of the organisation's own names is never screened as a hit."""

_SCHEMA_KINDS = {
    "person": NameKind.PERSON,
    "individual": NameKind.PERSON,
    "company": NameKind.ORGANISATION,
    "organization": NameKind.ORGANISATION,
    "organisation": NameKind.ORGANISATION,
    "legalentity": NameKind.ORGANISATION,
    "entity": NameKind.ORGANISATION,
    "vessel": NameKind.OBJECT,
    "aircraft": NameKind.OBJECT,
}


def schema_kind(schema: str | EntryType | None) -> NameKind:
    """Name kind for an OpenSanctions schema (Person, Company…) or an ``EntryType``."""
    if schema is None:
        return NameKind.ANY
    return _SCHEMA_KINDS.get(str(schema).strip().casefold(), NameKind.ANY)


def score_pair(
    name1: str, name2: str, schema: str | None = None, stats: TokenStats | None = None
) -> tuple[float, Explanation]:
    """Score two names against each other (symmetric); token rarity from the shipped CSL by default."""
    kind = schema_kind(schema)
    stats = stats or background_stats()
    a = weigh(prepare(name1, kind), kind, stats)
    b = weigh(prepare(name2, kind), kind, stats)
    result = compare(a, b)
    return round(result.score, 4), build_explanation(a, b, result)


def _country_adjustment(entry: ListEntry, country: str | None) -> tuple[float, str]:
    if not country or not entry.countries:
        return 0.0, ""
    code = country.strip().upper()
    if code in entry.countries:
        return COUNTRY_MATCH_BONUS, f"country {code} is on the list entry"
    return -COUNTRY_MISMATCH_PENALTY, f"country {code} is not among the entry's ({', '.join(entry.countries)})"


_KIND_WORDS: dict[EntryType, str] = {
    EntryType.ENTITY: "an organisation",
    EntryType.INDIVIDUAL: "an individual",
    EntryType.VESSEL: "a vessel",
    EntryType.AIRCRAFT: "an aircraft",
}


_NOT_AFFILIATED = frozenset({EntryType.INDIVIDUAL, EntryType.VESSEL, EntryType.AIRCRAFT})
"""Entries whose name a party's name cannot "contain" as a subsidiary's contains its parent's."""


def _kind_adjustment(
    entry_type: EntryType | None,
    wanted: EntryType | None,
    *,
    declared: bool,
    query_reason: str,
    entry_reason: str,
    one_word: bool,
) -> tuple[float, str]:
    """The kind signal: the party's kind (declared, or shown by its name) against the entry's.

    ``declared`` says both kinds were recorded (the officer's, the list's); a kind only shown by
    a name can cost a weak match its hit but never raises one. ``one_word``: the names share one
    distinctive word only, which across two kinds is no match on its own.
    """
    if wanted is None or entry_type is None:
        return 0.0, ""
    party = f"the party name is {_KIND_WORDS[wanted]}'s ({query_reason})" if query_reason else ""
    party = party or f"the party is {_KIND_WORDS[wanted]}"
    listed = f"the listed name {_KIND_WORDS[entry_type]}'s ({entry_reason})" if entry_reason else ""
    listed = listed or f"the entry {_KIND_WORDS[entry_type]}"
    if entry_type is wanted:
        if not declared:
            return 0.0, ""
        return KIND_MATCH_BONUS, f"the party and the entry are both {_KIND_WORDS[wanted].split()[-1]}s"
    if one_word:
        return -KIND_MISMATCH_ONE_WORD_PENALTY, f"{party}, {listed}, and the names share one word only"
    return -KIND_MISMATCH_PENALTY, f"{party}, {listed}"


class Screener:
    """A list version ready for screening: build once per list version, then screen many names."""

    def __init__(
        self, entries: Sequence[ListEntry], *, stats: TokenStats | None = None, allow_list: Iterable[str] = ()
    ) -> None:
        self.index = NameIndex(entries, stats)
        self.allow_list: tuple[WeightedName, ...] = ()
        self.set_allow_list(allow_list)

    @property
    def entries(self) -> tuple[ListEntry, ...]:
        return self.index.entries

    def set_allow_list(self, names: Iterable[str]) -> None:
        """The organisation's own names: queries that are one of them never raise a hit."""
        self.allow_list = tuple(weigh(prepare(n), NameKind.ANY, self.index.stats) for n in names if n.strip())

    def is_allowed(self, name: str, extra: Iterable[str] = ()) -> bool:
        query = weigh(prepare(name), NameKind.ANY, self.index.stats)
        own = (*self.allow_list, *(weigh(prepare(n), NameKind.ANY, self.index.stats) for n in extra))
        return any(compare(query, mine).score >= ALLOW_LIST_SCORE for mine in own)

    def screen(
        self,
        name: str,
        *,
        country: str | None = None,
        entry_type: EntryType | str | None = None,
        threshold: float = DEFAULT_THRESHOLD,
        limit: int = 10,
        allow_list: Iterable[str] = (),
    ) -> list[ScreeningHit]:
        """Hits for ``name`` at or above ``threshold``, best first, at most one per list entry.

        ``entry_type`` is the party's kind when the officer knows it: a strong signal, never a
        filter. An entry of another kind needs a name match strong enough to survive
        ``KIND_MISMATCH_PENALTY`` (a company and a person of the very same name are still shown);
        one of the same kind gains a little. Unknown kind: name only.
        """
        wanted = EntryType(entry_type) if entry_type else None
        allow = tuple(allow_list)
        if (self.allow_list or allow) and self.is_allowed(name, allow):
            return []
        kind = name_kind(wanted) if wanted else NameKind.ANY
        query = weigh(prepare(name, kind), kind, self.index.stats)
        if not query.tokens:
            return []
        party_kind, party_reason = (wanted, "") if wanted else implied_kind(query.prepared)
        if wanted is None and party_kind is EntryType.INDIVIDUAL:
            # A person's surname is never a qualifier: weigh the words as a person's ("Flora Córdoba").
            query = weigh(query.prepared, NameKind.PERSON, self.index.stats)
        whole_name = party_kind is not EntryType.ENTITY and chinese_or_korean_personal(query.prepared)
        best: dict[int, tuple[float, int, PairScore, float, str]] = {}
        names = self.index.names
        for nid in self.index.candidates(query, max(MAX_CANDIDATES, 4 * limit)):
            item = names[nid]
            entry = self.index.entries[item.entry]
            entry_kind = entry.entry_type or item.implied
            # A country or kind never lifts a score below the threshold, so none below it can hit.
            result = compare_at_least(
                query,
                item.weighted,
                threshold,
                affiliate=entry.entry_type not in _NOT_AFFILIATED,
                screening=True,
                whole_name=whole_name,
            )
            if result is None or result.score < threshold:
                continue
            adjust, note = _country_adjustment(entry, country)
            kind_adjust, kind_note = _kind_adjustment(
                entry_kind,
                party_kind,
                declared=wanted is not None and entry.entry_type is not None,
                query_reason=party_reason,
                entry_reason=item.implied_reason if entry.entry_type is None else "",
                one_word=len(carrying_pairs(query, item.weighted, result.pairs)) == 1,
            )
            if kind_note:
                adjust += kind_adjust
                note = f"{note}; {kind_note}" if note else kind_note
            if adjust > 0 and result.score < threshold:
                adjust, note = 0.0, ""  # a country or kind can raise a hit, never create one
            final = max(0.0, min(1.0, result.score + adjust))
            if final < threshold:
                continue
            if item.entry not in best or final > best[item.entry][0]:
                best[item.entry] = (final, nid, result, adjust, note)
        ranked = sorted(best.values(), key=lambda b: (-b[0], names[b[1]].text))[: max(limit, 0)]
        hits = []
        for final, nid, result, adjust, note in ranked:
            item = names[nid]
            explanation = build_explanation(query, item.weighted, result, adjust, note)
            hits.append(ScreeningHit(self.index.entries[item.entry], item.text, round(final, 4), explanation))
        return hits


def build_screener(entries: Sequence[ListEntry], allow_list: Iterable[str] = ()) -> Screener:
    return Screener(entries, allow_list=allow_list)
