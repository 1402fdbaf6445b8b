"""Screen one register party: every name, and every address, against a built list version.

Pure (no database): the services call it for one party, and the register rescreen calls it for
thousands in a row, possibly in worker processes. The best name hit per list entry is kept; an
entry matched only by an address becomes a hit of its own, explained as an address match; an
entry matched by both keeps its name hit, with a note that the address agrees too.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import PartyHit
from workbench.domain.screening import ListEntry, ScreeningHit
from workbench.screening.address import AddressIndex, AddressMatch
from workbench.screening.explain import explanation_to_dict
from workbench.screening.matcher import Screener

MAX_HITS_PER_NAME = 10
MAX_ADDRESS_HITS = 10


def screen_register_party(
    built: Screener,
    addresses: AddressIndex | None,
    party: RegisterParty,
    version_id: int,
    allowed: Sequence[str],
    threshold: float,
) -> list[PartyHit]:
    """The party's hits, best first: one per list entry, by name or, failing that, by address."""
    return [
        hit for hit, _entry in screen_register_party_entries(built, addresses, party, version_id, allowed, threshold)
    ]


def screen_register_party_entries(
    built: Screener,
    addresses: AddressIndex | None,
    party: RegisterParty,
    version_id: int,
    allowed: Sequence[str],
    threshold: float,
) -> list[tuple[PartyHit, ListEntry]]:
    """``screen_register_party``'s hits, each with the list entry it hit (a case's checks read the entry)."""
    assert party.id is not None
    entries: dict[tuple[str, str], ListEntry] = {}
    best: dict[tuple[str, str], tuple[ScreeningHit, str]] = {}
    for name in party.names:
        for hit in built.screen(
            name,
            country=party.country,
            entry_type=party.kind,
            threshold=threshold,
            limit=MAX_HITS_PER_NAME,
            allow_list=allowed,
        ):
            key = (hit.entry.source_code, hit.entry.entry_id)
            entries[key] = hit.entry
            if key not in best or hit.score > best[key][0].score:
                best[key] = (hit, name)
    fingerprint = party.fingerprint
    hits = {
        key: PartyHit(
            party_id=party.id,
            list_version_id=version_id,
            entry_id=hit.entry.entry_id,
            source_code=hit.entry.source_code,
            content_hash=hit.entry.content_hash,
            entry_name=hit.entry.name,
            matched_name=hit.matched_name,
            score=hit.score,
            party_fingerprint=fingerprint,
            explanation={"query": name, "match": "name", **explanation_to_dict(hit.explanation)},
        )
        for key, (hit, name) in best.items()
    }
    if addresses is not None and party.addresses and not (allowed and built.is_allowed(party.name, allowed)):
        by_entry: dict[tuple[str, str], AddressMatch] = {}
        for address in party.addresses:
            for found in addresses.match(address.one_line, address.country)[:MAX_ADDRESS_HITS]:
                key = (found.entry.source_code, found.entry.entry_id)
                entries[key] = found.entry
                if key not in by_entry or found.score > by_entry[key].score:
                    by_entry[key] = found
        for key, found in by_entry.items():
            if key in hits:
                named = hits[key]
                note = f"the party's address '{found.party_address}' matches the listed '{found.listed_address}' too"
                explanation = {**named.explanation, "address_match": found.explanation()}
                explanation["notes"] = [*explanation.get("notes", []), note]
                explanation["text"] = f"{explanation.get('text', '')} Address: {note}."
                hits[key] = replace(named, explanation=explanation)
            else:
                hits[key] = PartyHit(
                    party_id=party.id,
                    list_version_id=version_id,
                    entry_id=found.entry.entry_id,
                    source_code=found.entry.source_code,
                    content_hash=found.entry.content_hash,
                    entry_name=found.entry.name,
                    matched_name=found.listed_address,
                    score=found.score,
                    party_fingerprint=fingerprint,
                    explanation=found.explanation(),
                )
    ordered = sorted(hits.items(), key=lambda kv: (-kv[1].score, kv[1].source_code, kv[1].entry_id))
    return [(hit, entries[key]) for key, hit in ordered]
