"""What a case draws from the counterparty register when it is checked (issue #14, phase 2).

* ``with_ownership``: the ownership facts around the case's register parties (stakes above each,
  who is listed, headquarters, KYC), attached to the case as a plain value for the rule engine.
* ``owner_screening``: the owners holding 25 % or more (directly, at any level above a case
  party) and their screening, whose unresolved hits keep the case from being signed.
* ``party_statuses``: each case party's screening status at party level, as the case shows it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case, ListFlag
from workbench.domain.case_ownership import OwnershipFacts, PartyFacts
from workbench.domain.errors import ConflictError, DuplicateError
from workbench.domain.ownership import Stake
from workbench.domain.ports import UnitOfWork
from workbench.domain.record import OwnerHitRow, RegisterPartyRecord
from workbench.domain.register import KycStatus, RegisterParty, address_from_text
from workbench.domain.register_screening import PartyHit, PartyScreeningStatus, status_of
from workbench.domain.screening import EntryType, list_flag
from workbench.services.bootstrap import Workbench

OWNER_SCREENING_THRESHOLD = Decimal(25)
"""An owner holding this much or more of a case party (or of such an owner) must be screened clear."""


def gather_ownership(
    wb: Workbench, case: Case, *, listed_extra: dict[int, set[ListFlag]] | None = None
) -> OwnershipFacts | None:
    """The register's ownership facts around ``case``'s register parties (None: it references none)."""
    ids = sorted({p.register_id for p in case.parties if p.register_id is not None})
    if not ids:
        return None
    stakes: dict[tuple[int, int], Stake] = {}
    problem = ""
    with wb.uow() as uow:
        for party_id in ids:
            try:
                graph = uow.register.ownership(party_id, owned=False)
            except ConflictError as exc:
                problem = str(exc)
                continue
            stakes.update({(s.owner_id, s.owned_id): s for s in graph.stakes})
        members = sorted(set(ids) | {p for pair in stakes for p in pair})
        parties = []
        for party_id in members:
            party = uow.register.get(party_id)
            flags = set(party.listed_on)
            for hit in uow.party_screening.hits(party_id, party.fingerprint):
                if hit.is_true_match and (flag := list_flag(hit.source_code)) is not None:
                    flags.add(flag)
            flags |= (listed_extra or {}).get(party_id, set())
            parties.append(
                PartyFacts(
                    party_id,
                    party.name,
                    party.country,
                    party.headquarters_country,
                    tuple(f for f in ListFlag if f in flags),
                    party.kyc.status is KycStatus.APPROVED,
                    party.version,
                )
            )
    return OwnershipFacts(tuple(stakes.values()), tuple(parties), date.today(), problem)


def with_ownership(wb: Workbench, case: Case) -> Case:
    """``case`` with its ownership facts attached (unchanged when it references no register party)."""
    if case.ownership is not None:
        return case
    facts = gather_ownership(wb, case)
    return case if facts is None else replace(case, ownership=facts)


@dataclass(frozen=True, slots=True)
class OwnerScreening:
    """A register party whose screening matters to the case: a case party, or an owner of 25 % or more."""

    party_id: int
    name: str
    status: PartyScreeningStatus
    hits: tuple[PartyHit, ...]
    holding: str = ""
    """For an owner: what it holds, e.g. "30 % of Sub GmbH (party 12)"; empty for a case party."""


def significant_owners(facts: OwnershipFacts, case: Case) -> dict[int, str]:
    """Owners holding 25 % or more of a case party, or of such an owner, with what they hold."""
    names = facts.names()
    frontier = [p.register_id for p in case.parties if p.register_id is not None]
    seen = set(frontier)
    out: dict[int, str] = {}
    while frontier:
        owned = frontier.pop()
        for stake in facts.stakes:
            if stake.owned_id != owned or stake.percent is None or stake.percent < OWNER_SCREENING_THRESHOLD:
                continue
            if stake.owner_id not in seen:
                seen.add(stake.owner_id)
                frontier.append(stake.owner_id)
                out[stake.owner_id] = f"{stake.percent} % of {names.get(owned, '')} (party {owned})"
    return out


def owner_screening(wb: Workbench, case: Case) -> list[OwnerScreening]:
    """The stored party-level screening of every owner holding 25 % or more (not of the case parties)."""
    facts = case.ownership or gather_ownership(wb, case)
    if facts is None:
        return []
    owners = significant_owners(facts, case)
    out = []
    with wb.uow() as uow:
        for owner_id, holding in sorted(owners.items()):
            party = uow.register.get(owner_id)
            hits = uow.party_screening.hits(owner_id, party.fingerprint)
            status = status_of(hits, uow.party_screening.screened(owner_id))
            out.append(OwnerScreening(owner_id, party.name, status, tuple(hits), holding))
    return out


def owner_open_items(owners: list[OwnerScreening]) -> list[str]:
    """Open items for owners of 25 % or more that are unscreened or have an unresolved hit."""
    items = []
    for owner in owners:
        label = f"owner {owner.name} (register party {owner.party_id}, holds {owner.holding})"
        if owner.status is PartyScreeningStatus.NOT_SCREENED:
            items.append(f"{label} was never screened; screen it ('party screen {owner.party_id}')")
        for hit in owner.hits:
            if not hit.resolved:
                items.append(
                    f"{label}: unresolved screening hit {hit.entry_name} ({hit.source_code} {hit.entry_id}, score "
                    f"{hit.score:.2f}); decide it in the register "
                    f"('party decide {owner.party_id} --entry {hit.entry_id}')"
                )
    return items


def party_statuses(wb: Workbench, case: Case) -> list[PartyScreeningStatus | None]:
    """Each case party's screening status at party level (None for a case-only party)."""
    out: list[PartyScreeningStatus | None] = []
    with wb.uow() as uow:
        for party in case.parties:
            if party.register_id is None:
                out.append(None)
                continue
            stored = uow.register.get(party.register_id)
            hits = uow.party_screening.hits(party.register_id, stored.fingerprint)
            out.append(status_of(hits, uow.party_screening.screened(party.register_id)))
    return out


def register_records(wb: Workbench, case: Case) -> tuple[list[RegisterPartyRecord], list[OwnerHitRow]]:
    """The register parties a determination relies on, as they are now, and the owners' hits."""
    parties: list[RegisterPartyRecord] = []
    statuses = party_statuses(wb, case)
    with wb.uow() as uow:
        for position, (party, status) in enumerate(zip(case.parties, statuses, strict=True), 1):
            if party.register_id is None or status is None:
                continue
            stored = uow.register.get(party.register_id)
            parties.append(
                RegisterPartyRecord(
                    party.register_id,
                    stored.version,
                    stored.name,
                    f"party {position} ({party.role.value.replace('_', ' ')})",
                    status.value,
                    stored.fingerprint,
                )
            )
    hits: list[OwnerHitRow] = []
    owners = owner_screening(wb, case)
    with wb.uow() as uow:
        for owner in owners:
            stored = uow.register.get(owner.party_id)
            parties.append(
                RegisterPartyRecord(
                    owner.party_id,
                    stored.version,
                    owner.name,
                    f"owner: {owner.holding}",
                    owner.status.value,
                    stored.fingerprint,
                )
            )
            hits.extend(
                OwnerHitRow(
                    owner.party_id,
                    owner.name,
                    hit.entry_id,
                    hit.source_code,
                    hit.entry_name,
                    hit.matched_name,
                    hit.score,
                    hit.disposition.decision.value if hit.disposition else None,
                    hit.disposition.reason if hit.disposition else "",
                    hit.disposition.officer if hit.disposition else "",
                )
                for hit in owner.hits
            )
    return parties, hits


@dataclass(frozen=True, slots=True)
class PartyMatch:
    """How an imported case party was tied to the register."""

    position: int
    name: str
    how: str
    """``matched`` (name and country agree with one register party), ``created``, ``kept`` (the file
    party already named a register id) or ``case_only`` (several register parties agree: pick one)."""
    register_id: int | None
    note: str = ""


def match_parties(uow: UnitOfWork, case: Case) -> tuple[Case, list[PartyMatch]]:
    """Tie each party of an imported case to the register, in the caller's transaction.

    Case files carry no identifiers, so a party is matched by its normalised name (or other name)
    and country; when exactly one register party agrees it is used (the register's data then
    applies, and differences are named), when none does one is created from the file, when
    several do the party stays case-only and the note names them, so nothing merges silently.
    """
    parties = []
    matches: list[PartyMatch] = []
    for position, party in enumerate(case.parties, 1):
        if party.register_id is not None:
            parties.append(party)
            matches.append(PartyMatch(position, party.name, "kept", party.register_id))
            continue
        found = uow.register.find_by_name(party.name, party.country)
        if len(found) == 1:
            stored = uow.register.get(found[0])
            differs = [
                f"{label} {theirs or 'none'} in the register, {ours or 'none'} in the file"
                for label, theirs, ours in (
                    ("headquarters", stored.headquarters_country, party.headquarters_country),
                    ("kind", stored.kind.value, party.kind.value if party.kind else stored.kind.value),
                    (
                        "lists",
                        ", ".join(f.value for f in stored.listed_on),
                        ", ".join(f.value for f in party.listed_on),
                    ),
                )
                if theirs != ours
            ]
            note = ("the register's data applies: " + "; ".join(differs)) if differs else ""
            parties.append(replace(party, register_id=found[0]))
            matches.append(PartyMatch(position, party.name, "matched", found[0], note))
        elif not found:
            address = address_from_text(party.country, party.address)
            created = uow.register.add(
                RegisterParty(
                    name=" ".join(party.name.split()),
                    country=party.country,
                    kind=party.kind or EntryType.ENTITY,
                    addresses=(address,) if address else (),
                    headquarters_country=party.headquarters_country,
                    listed_on=party.listed_on,
                )
            )
            parties.append(replace(party, register_id=created.id))
            matches.append(PartyMatch(position, party.name, "created", created.id))
        else:
            parties.append(party)
            matches.append(
                PartyMatch(
                    position,
                    party.name,
                    "case_only",
                    None,
                    f"register parties {', '.join(str(i) for i in found)} have this name and country; "
                    "pick the right one in the case editor",
                )
            )
    return replace(case, parties=tuple(parties)), matches


def register_statuses(wb: Workbench, party_ids: list[int]) -> dict[int, PartyScreeningStatus]:
    """The party-level screening status of each register party (the case editor's Parties tab)."""
    out: dict[int, PartyScreeningStatus] = {}
    with wb.uow() as uow:
        for party_id in sorted(set(party_ids)):
            if not uow.register.exists(party_id):
                continue
            party = uow.register.get(party_id)
            hits = uow.party_screening.hits(party_id, party.fingerprint)
            out[party_id] = status_of(hits, uow.party_screening.screened(party_id))
    return out


def create_register_party(
    wb: Workbench, name: str, country: str, *, kind: EntryType | None = None, address: str = ""
) -> RegisterParty:
    """A new register party from the fields typed in the case editor's party picker.

    Refused when a party with the same name and country is in the register already: pick that
    one instead (a look-alike is never created silently).
    """
    draft_address = address_from_text(country, address) if address.strip() else None
    party = RegisterParty(
        name=" ".join(str(name).split()),
        country=country,
        kind=kind or EntryType.ENTITY,
        addresses=(draft_address,) if draft_address else (),
    )
    with wb.uow() as uow:
        found = uow.register.find_by_name(party.name, party.country)
        if found:
            raise DuplicateError(
                f"'{party.name}' in {party.country} is in the register already as party {found[0]}; "
                "pick it from the list instead of creating it again."
            )
        stored = uow.register.add(party)
        uow.commit()
    return stored
