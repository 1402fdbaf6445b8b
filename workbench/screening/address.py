"""Address matching: a party's address against the addresses list entries carry.

The Entity List, the SDN list and others publish addresses; a counterparty at a listed address
is a hit to review even when no name matches (a front company at the listed entity's office).
Addresses are compared as token sets after normalisation (case, accents, punctuation, the usual
abbreviations: "str." is "street", "rd" is "road"), with each token weighted by how rare it is
among the listed addresses, so a shared city or "district" says little and a street name,
house number and postcode say a lot. Two addresses match only in the same country, when both
carry enough street-level detail (three distinctive tokens: an entry listed at "Kabul, AF" never
matches anyone), and when the weighted share that agrees, blended toward the better-covered side,
reaches ``ADDRESS_THRESHOLD``; house numbers on both sides that disagree cost
``NUMBER_MISMATCH_PENALTY``.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from anyascii import anyascii
from rapidfuzz.distance import Levenshtein

from workbench.domain.screening import ListEntry
from workbench.screening.parsers._common import country_from_text

ADDRESS_THRESHOLD = 0.85
NUMBER_MISMATCH_PENALTY = 0.2
MIN_DETAIL_WEIGHT = 4.0
MIN_DETAIL_TOKENS = 3
"""Street-level detail an address needs: distinctive tokens and their weight (a city alone never matches)."""
MAX_POSTINGS = 400
"""Tokens on more listed addresses than this do not retrieve candidates (they still score)."""
MAX_CANDIDATES = 50

_ABBREVIATIONS = {
    "st": "street", "str": "street", "strasse": "street", "straße": "street", "ul": "street", "ulitsa": "street",
    "rd": "road", "ave": "avenue", "av": "avenue", "blvd": "boulevard", "bd": "boulevard", "ln": "lane",
    "dr": "drive", "hwy": "highway", "sq": "square", "pl": "place", "per": "lane", "pereulok": "lane",
    "pr": "prospekt", "prosp": "prospekt", "bldg": "building", "bld": "building", "blk": "block",
    "fl": "floor", "flr": "floor", "f": "floor", "rm": "room", "ste": "suite", "dist": "district",
    "no": "number", "nr": "number", "n": "north", "s": "south", "e": "east", "w": "west",
    "ctr": "centre", "center": "centre", "intl": "international", "ind": "industrial",
}  # fmt: skip
_GENERIC_WORDS = (
    "street road avenue boulevard lane drive highway square place prospekt building block floor room suite "
    "district number north south east west centre unit office tower city province county region area zone "
    "industrial park the of and de la le del di da du des rue via calle jalan"
)
_GENERIC = frozenset(_GENERIC_WORDS.split())
_GENERIC_WEIGHT = 0.25
_SPLIT = re.compile(r"[^0-9a-z]+")
_NUMBER_LETTER = re.compile(r"^(\d+)([a-z]{1,2})$")


@dataclass(frozen=True, slots=True)
class PreparedAddress:
    text: str
    country: str
    tokens: tuple[str, ...]


def address_tokens(text: str) -> tuple[str, ...]:
    """Normalised tokens of an address, in order, without the country (compared separately)."""
    flat = anyascii(unicodedata.normalize("NFKC", text)).casefold().replace("'", "")  # Queen's -> queens
    out: list[str] = []
    for raw in _SPLIT.split(flat):
        if not raw:
            continue
        split = _NUMBER_LETTER.match(raw)  # "26a" -> "26", "a" is noise for matching
        token = split.group(1) if split else raw
        out.append(_ABBREVIATIONS.get(token, token))
    return tuple(out)


def prepare_address(text: str, country: str | None = None) -> PreparedAddress | None:
    """``text`` ready to compare; the country from ``country`` or the address's last part (None if unknown)."""
    code = (country or "").strip().upper() or country_from_text(text.rsplit(",", 1)[-1]) or ""
    if not code:
        return None
    body = text
    if country is None and "," in text:
        body = text.rsplit(",", 1)[0]
    tokens = tuple(t for t in address_tokens(body) if t != code.lower())
    return PreparedAddress(text, code, tokens)


@dataclass(frozen=True, slots=True)
class AddressToken:
    query_token: str
    listed_token: str
    how: str | None
    weight: float
    contribution: float


@dataclass(frozen=True, slots=True)
class AddressMatch:
    entry: ListEntry
    party_address: str
    listed_address: str
    score: float
    tokens: tuple[AddressToken, ...]
    penalty: float

    def explanation(self) -> dict[str, Any]:
        """The JSON form stored with the hit (the same keys as a name explanation, plus ``match``)."""
        matched = [t for t in self.tokens if t.how]
        pieces = ", ".join(
            f"'{t.query_token}'" + ("" if t.how == "exact" else f" ~ '{t.listed_token}' ({t.how})") for t in matched
        )
        text = (
            f"Address match: the party's address '{self.party_address}' agrees with the address listed for "
            f"{self.entry.name} ('{self.listed_address}'), not its name. Matched {pieces}."
        )
        missing = [t.query_token or t.listed_token for t in self.tokens if not t.how]
        if missing:
            text += f" Not on both: {', '.join(repr(x) for x in missing)}."
        if self.penalty:
            text += f" A house number differs (-{self.penalty:.2f})."
        text += f" Score {self.score:.2f}."
        return {
            "match": "address",
            "text": text,
            "query": self.party_address,
            "listed_address": self.listed_address,
            "query_normalised": "",
            "listed_normalised": "",
            "name_score": 0.0,
            "country_adjustment": 0.0,
            "tokens": [
                {
                    "query_token": t.query_token,
                    "listed_token": t.listed_token,
                    "how": t.how,
                    "similarity": 1.0 if t.how == "exact" else (0.9 if t.how else 0.0),
                    "weight": round(t.weight, 4),
                    "contribution": round(t.contribution, 4),
                }
                for t in self.tokens
            ],
            "penalties": [{"reason": "a house number differs", "amount": self.penalty}] if self.penalty else [],
            "notes": ["address match: no name of the party matched this entry"],
        }


class AddressIndex:
    """Every listed address of a list version, by country and token, with token rarity."""

    def __init__(self, entries: Sequence[ListEntry], weights_from: AddressIndex | None = None) -> None:
        self.entries = tuple(entries)
        self.addresses: list[tuple[int, PreparedAddress]] = []
        for number, entry in enumerate(self.entries):
            for text in entry.addresses:
                prepared = prepare_address(text)
                if prepared is not None and prepared.tokens:
                    self.addresses.append((number, prepared))
        self._frequency: Counter[str]
        self._document_count: int
        if weights_from is not None:
            self._document_count, self._frequency = weights_from._document_count, weights_from._frequency
        else:
            self._frequency = Counter(t for _n, a in self.addresses for t in set(a.tokens))
            self._document_count = max(len(self.addresses), 1)
        self._weights: dict[str, float] = {}
        self._postings: dict[tuple[str, str], list[int]] = defaultdict(list)
        for aid, (_number, address) in enumerate(self.addresses):
            for token in set(address.tokens):
                if token not in _GENERIC:
                    self._postings[(address.country, token)].append(aid)

    def weight(self, token: str) -> float:
        known = self._weights.get(token)
        if known is None:
            if token in _GENERIC:
                known = _GENERIC_WEIGHT
            else:
                known = 1.0 + math.log((self._document_count + 1) / (self._frequency.get(token, 0) + 1))
            if len(self._weights) < 1_000_000:
                self._weights[token] = known
        return known

    def match(self, text: str, country: str, threshold: float = ADDRESS_THRESHOLD) -> list[AddressMatch]:
        """Listed addresses that ``text`` (an address in ``country``) matches, best first, one per entry."""
        query = prepare_address(text, country)
        if query is None or not self._detailed(query.tokens):
            return []
        votes: Counter[int] = Counter()
        for token in set(query.tokens):
            if token in _GENERIC:
                continue
            posting = self._postings.get((query.country, token), ())
            if len(posting) <= MAX_POSTINGS:
                for aid in posting:
                    votes[aid] += 1
        best: dict[int, AddressMatch] = {}
        for aid, shared in votes.most_common(MAX_CANDIDATES):
            if shared < 2:
                break
            number, listed = self.addresses[aid]
            if not self._detailed(listed.tokens):
                continue
            found = self._compare(query, listed, self.entries[number])
            if found.score >= threshold and (number not in best or found.score > best[number].score):
                best[number] = found
        return sorted(best.values(), key=lambda m: (-m.score, m.entry.entry_id))

    def _detailed(self, tokens: Iterable[str]) -> bool:
        distinctive = {t for t in tokens if t not in _GENERIC}
        return len(distinctive) >= MIN_DETAIL_TOKENS and sum(self.weight(t) for t in distinctive) >= MIN_DETAIL_WEIGHT

    def _compare(self, query: PreparedAddress, listed: PreparedAddress, entry: ListEntry) -> AddressMatch:
        left = list(dict.fromkeys(query.tokens))
        right = list(dict.fromkeys(listed.tokens))
        unmatched = set(right)
        pairs: list[AddressToken] = []
        matched_weight = 0.0
        for token in left:
            partner, how = None, None
            if token in unmatched:
                partner, how = token, "exact"
            elif len(token) >= 6 and not token.isdigit():
                partner = next(
                    (r for r in unmatched if len(r) >= 6 and not r.isdigit() and Levenshtein.distance(token, r) <= 1),
                    None,
                )
                how = "fuzzy" if partner else None
            weight = self.weight(token)
            if partner is not None:
                unmatched.discard(partner)
                matched_weight += weight
                pairs.append(AddressToken(token, partner, how, weight, weight))
            else:
                pairs.append(AddressToken(token, "", None, weight, 0.0))
        pairs.extend(AddressToken("", r, None, self.weight(r), 0.0) for r in right if r in unmatched)
        total_left = sum(self.weight(t) for t in left) or 1.0
        total_right = sum(self.weight(t) for t in right) or 1.0
        # Blended toward the better-covered side: a listed address with a postcode the party left out still matches.
        shares = sorted((matched_weight / total_left, matched_weight / total_right))
        share = 0.7 * shares[1] + 0.3 * shares[0]
        numbers_left = {t for t in left if t.isdigit() and len(t) <= 4}
        numbers_right = {t for t in right if t.isdigit() and len(t) <= 4}
        penalty = (
            NUMBER_MISMATCH_PENALTY if numbers_left and numbers_right and not numbers_left & numbers_right else 0.0
        )
        score = round(max(0.0, min(1.0, share - penalty)), 4)
        return AddressMatch(entry, query.text, listed.text, score, tuple(pairs), penalty)
