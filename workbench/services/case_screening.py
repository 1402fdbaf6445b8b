"""Screening of a case's register parties at party level (issue #14, phase 2).

A case party that references the register is screened as the register party (every name, its
country and kind), and its hits and the officer's decisions belong to the party: a decision made
once, in any case or in the register, applies in every case the party appears in, until the
list entry or the party's screened data changes. ``services.screening`` calls these for the
parties with a ``register_id``; case-only parties keep their case-level screening.
"""

from __future__ import annotations

from workbench.domain.case import Case
from workbench.domain.register_screening import PartyHit, applying
from workbench.domain.screening import DispositionDecision, ListEntry
from workbench.domain.screening_records import Disposition, StoredHit
from workbench.screening.matcher import Screener
from workbench.services import register_screening
from workbench.services.bootstrap import Workbench


def as_case_hit(position: int, name: str, hit: PartyHit) -> StoredHit:
    """A party-level hit as the case shows it (at the party's position, with the party's decision)."""
    decision = hit.disposition
    return StoredHit(
        party_position=position,
        party_name=name,
        list_version_id=hit.list_version_id,
        entry_id=hit.entry_id,
        source_code=hit.source_code,
        content_hash=hit.content_hash,
        entry_name=hit.entry_name,
        matched_name=hit.matched_name,
        score=hit.score,
        explanation=dict(hit.explanation),
        disposition=(
            Disposition(
                name,
                decision.source_code,
                decision.entry_id,
                decision.content_hash,
                decision.decision,
                decision.reason,
                decision.officer,
                decision.decided_at,
            )
            if decision
            else None
        ),
    )


def linked_positions(case: Case) -> dict[int, int]:
    """1-based positions of the case's register parties, with their register ids."""
    return {n: p.register_id for n, p in enumerate(case.parties, 1) if p.register_id is not None}


def screen_register_parties(wb: Workbench, case: Case) -> list[StoredHit]:
    """Screen each register party of the case at party level (stored, audited on the party) and
    return its hits at the case's positions."""
    results = {rid: register_screening.screen_party(wb, rid) for rid in sorted(set(linked_positions(case).values()))}
    return [
        as_case_hit(position, case.parties[position - 1].name, hit)
        for position, rid in linked_positions(case).items()
        for hit in results[rid].hits
    ]


def stored_register_hits(wb: Workbench, case: Case) -> list[StoredHit]:
    """The register parties' latest party-level hits with the decisions that apply, at the case's positions."""
    out: list[StoredHit] = []
    with wb.uow() as uow:
        for position, rid in linked_positions(case).items():
            party = uow.register.get(rid)
            out.extend(
                as_case_hit(position, case.parties[position - 1].name, hit)
                for hit in uow.party_screening.hits(rid, party.fingerprint)
            )
    return out


def current_register_hits(
    wb: Workbench, case: Case, built: Screener, version_id: int, allowed: list[str], threshold: float
) -> list[tuple[StoredHit, ListEntry]]:
    """Screen the register parties now (not stored), with the party-level decisions applied."""
    out: list[tuple[StoredHit, ListEntry]] = []
    with wb.uow() as uow:
        for position, rid in linked_positions(case).items():
            party = uow.register.get(rid)
            decisions = uow.party_screening.decisions(rid)
            for hit, entry in register_screening.party_hits_with_entries(built, party, version_id, allowed, threshold):
                decided = applying(hit, decisions, party.fingerprint)
                out.append((as_case_hit(position, case.parties[position - 1].name, decided), entry))
    return out


def decide_register_hit(wb: Workbench, case: Case, hit: StoredHit, decision: DispositionDecision, reason: str) -> bool:
    """Decide a case hit on a register party at party level; False when the party is case-only."""
    party = case.parties[hit.party_position - 1] if 0 < hit.party_position <= len(case.parties) else None
    if party is None or party.register_id is None:
        return False
    register_screening.decide(wb, party.register_id, hit.entry_id, decision, reason)
    return True
