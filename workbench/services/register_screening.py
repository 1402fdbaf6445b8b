"""Screening register parties: every name of the party against the active list, decisions that
belong to the party, and the screening inbox across the register.

The matcher is reached only through ``services.screening`` (its cached screener and the
allow-list). A decision is pinned to the entry's content hash and the party's screened-data
fingerprint, so it applies in every case the party appears in until one of them changes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from workbench.domain.audit import Change
from workbench.domain.case import ListFlag
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import PartyHit, PartyScreeningStatus, status_of
from workbench.domain.screening import DispositionDecision, ListEntry, ScreeningHit, list_flag
from workbench.domain.screening_records import ListVersion
from workbench.screening.explain import explanation_to_dict
from workbench.screening.matcher import Screener
from workbench.services.bootstrap import Workbench
from workbench.services.screening import allow_list, screener

Progress = Callable[[int, int], None]
MAX_HITS_PER_NAME = 10
MAX_INBOX = 1_000


@dataclass(frozen=True, slots=True)
class PartyScreening:
    party: RegisterParty
    version: ListVersion
    hits: tuple[PartyHit, ...]
    new: tuple[PartyHit, ...]
    gone: tuple[PartyHit, ...]

    @property
    def status(self) -> PartyScreeningStatus:
        return status_of(list(self.hits), screened=True)


@dataclass
class ScreenAllReport:
    changed: list[PartyScreening] = field(default_factory=list)
    screened: int = 0
    not_screened: list[int] = field(default_factory=list)
    """Parties not reached because the run was cancelled: they keep their earlier result."""


def party_hits_with_entries(
    built: Screener, party: RegisterParty, version_id: int, allowed: list[str], threshold: float
) -> list[tuple[PartyHit, ListEntry]]:
    """The best hit per list entry over all of the party's names, with the entry it hit."""
    assert party.id is not None
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
            if key not in best or hit.score > best[key][0].score:
                best[key] = (hit, name)
    return [
        (
            PartyHit(
                party_id=party.id,
                list_version_id=version_id,
                entry_id=hit.entry.entry_id,
                source_code=hit.entry.source_code,
                content_hash=hit.entry.content_hash,
                entry_name=hit.entry.name,
                matched_name=hit.matched_name,
                score=hit.score,
                party_fingerprint=party.fingerprint,
                explanation={"query": name, **explanation_to_dict(hit.explanation)},
            ),
            hit.entry,
        )
        for hit, name in sorted(best.values(), key=lambda b: (-b[0].score, b[0].entry.entry_id))
    ]


def _party_hits(
    built: Screener, party: RegisterParty, version_id: int, allowed: list[str], threshold: float
) -> list[PartyHit]:
    return [hit for hit, _entry in party_hits_with_entries(built, party, version_id, allowed, threshold)]


def screen_party(wb: Workbench, party_id: int) -> PartyScreening:
    """Screen every name of the party (with its country and kind), store the hits, audit what changed."""
    version, built = screener(wb)
    allowed = allow_list(wb)
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        before = uow.party_screening.hits(party_id, party.fingerprint)
        hits = _party_hits(built, party, version.id, allowed, wb.screening_threshold)
        uow.party_screening.replace_hits(party_id, version.id, party.fingerprint, hits, wb.officer)
        stored = uow.party_screening.hits(party_id, party.fingerprint)
        old = {h.key for h in before}
        now = {h.key for h in stored}
        new = tuple(h for h in stored if h.key not in old)
        gone = tuple(h for h in before if h.key not in now)
        uow.audit.record(
            "party",
            str(party_id),
            "screen",
            [
                Change("list_version", None, version.label),
                Change("threshold", None, f"{wb.screening_threshold:.2f}"),
                Change("fingerprint", None, party.fingerprint),
                *(Change("hit", None, f"{h.source_code} {h.entry_id} {h.entry_name}") for h in new),
                *(Change("hit", f"{h.source_code} {h.entry_id} {h.entry_name}", None) for h in gone),
            ],
        )
        uow.commit()
    return PartyScreening(party, version, tuple(stored), new, gone)


def screen_all(
    wb: Workbench, progress: Progress | None = None, cancel: Callable[[], bool] | None = None
) -> ScreenAllReport:
    """Screen every register party, each in its own transaction; cancelling keeps what is done."""
    with wb.uow() as uow:
        total = uow.register.count()
        ids = [s.id for s in uow.register.summaries(limit=max(total, 1))]
    report = ScreenAllReport()
    if progress:
        progress(0, len(ids))
    for done, party_id in enumerate(ids, 1):
        if cancel and cancel():
            report.not_screened.extend(ids[done - 1 :])
            break
        result = screen_party(wb, party_id)
        report.screened += 1
        if result.new or result.gone:
            report.changed.append(result)
        if progress:
            progress(done, len(ids))
    return report


def party_hits(wb: Workbench, party_id: int) -> tuple[RegisterParty, list[PartyHit], PartyScreeningStatus]:
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        hits = uow.party_screening.hits(party_id, party.fingerprint)
        screened = uow.party_screening.screened(party_id)
    return party, hits, status_of(hits, screened)


def decide(wb: Workbench, party_id: int, entry_id: str, decision: DispositionDecision, reason: str) -> PartyHit:
    """Record a true-match or false-positive decision on the party's hit on ``entry_id``.

    It holds in every case the party appears in until the entry or the party's screened data
    changes; two officers deciding the same hit at once: the second gets a conflict.
    """
    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError("reason", "explain the decision in a few words, so an auditor can follow it")
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        hits = [h for h in uow.party_screening.hits(party_id, party.fingerprint) if h.entry_id == entry_id.strip()]
        if not hits:
            raise NotFoundError(
                f"Register party {party_id} has no screening hit on entry {entry_id}; screen the party again.",
                cli_hint=f"'party screen {party_id}' shows its hits",
            )
        hit = hits[0]
        if hit.party_fingerprint != party.fingerprint:
            raise ValidationError(
                "party",
                f"register party {party_id} was edited since it was screened; screen it again "
                "and decide on the new result",
            )
        if hit.resolved:
            assert hit.disposition is not None
            raise ValidationError(
                "entry",
                f"the hit on {hit.source_code} {entry_id} is decided already ({hit.disposition.decision.value} by "
                f"{hit.disposition.officer}); it reopens by itself if the entry or the party changes",
            )
        chosen = DispositionDecision(decision)
        uow.party_screening.decide(hit, party.fingerprint, chosen, reason, wb.officer)
        uow.audit.record(
            "party",
            str(party_id),
            "disposition",
            [Change(f"{hit.source_code} {hit.entry_id}", None, chosen.value)],
            reason=reason,
        )
        uow.commit()
        [decided] = [h for h in uow.party_screening.hits(party_id, party.fingerprint) if h.key == hit.key]
    return decided


def inbox(wb: Workbench, limit: int = 200) -> list[tuple[PartyHit, str]]:
    """Every unresolved hit across the register, highest score first, with the party's name."""
    if not 1 <= limit <= MAX_INBOX:
        raise ValidationError("limit", f"must be between 1 and {MAX_INBOX:,} (got {limit})")
    with wb.uow() as uow:
        hits = uow.party_screening.unresolved(limit)
        names = uow.register.names({h.party_id for h in hits})
    return [(h, names.get(h.party_id, "")) for h in hits]


def confirmed_listings(wb: Workbench, party_ids: set[int]) -> dict[int, tuple[ListFlag, ...]]:
    """The lists each party is confirmed on by a true-match decision that still applies."""
    out: dict[int, tuple[ListFlag, ...]] = {}
    with wb.uow() as uow:
        for party_id in sorted(party_ids):
            party = uow.register.get(party_id)
            flags = {
                flag
                for h in uow.party_screening.hits(party_id, party.fingerprint)
                if h.is_true_match and (flag := list_flag(h.source_code)) is not None
            }
            if flags:
                out[party_id] = tuple(sorted(flags))
    return out
