"""What the app's Parties view and party editor read and write: a filtered page of the register,
one party with everything around it, and saving an edited party.

The CLI has its own commands for each; these bundle what one window shows, so the window makes
one call per page or per party.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from workbench.domain.audit import AuditEntry
from workbench.domain.errors import ValidationError
from workbench.domain.register import KycStatus, RegisterParty, RegisterSummary
from workbench.domain.register_screening import CaseLink, PartyHit, PartyScreeningStatus, status_of
from workbench.services.bootstrap import Workbench
from workbench.services.register import MAX_PAGE, OwnershipReport, ownership_report

MAX_WORDS = 20


@dataclass(frozen=True, slots=True)
class PartyFilter:
    search: str = ""
    status: PartyScreeningStatus | None = None
    kyc: tuple[KycStatus, ...] = ()
    countries: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if len(self.search) > 500 or len(self.search.split()) > MAX_WORDS:
            raise ValidationError("search", f"is too long; search with at most {MAX_WORDS} words")


def party_page(
    wb: Workbench, where: PartyFilter, *, offset: int = 0, limit: int = 200
) -> tuple[int, list[RegisterSummary]]:
    """(how many parties match, one page of them by name): the Parties view, one call per page."""
    if not 1 <= limit <= MAX_PAGE:
        raise ValidationError("limit", f"must be between 1 and {MAX_PAGE:,} (got {limit})")
    with wb.uow() as uow:
        return uow.register.page(
            where.search,
            kyc=where.kyc,
            countries=where.countries,
            status=where.status,
            offset=max(0, offset),
            limit=limit,
        )


def screening_statuses(wb: Workbench, party_ids: list[int]) -> dict[int, PartyScreeningStatus]:
    """The screening status of each party of a page (the view's Screening column)."""
    with wb.uow() as uow:
        return uow.party_screening.statuses(party_ids)


@dataclass(frozen=True, slots=True)
class PartyDetails:
    party: RegisterParty
    ownership: OwnershipReport
    hits: tuple[PartyHit, ...]
    status: PartyScreeningStatus
    cases: tuple[CaseLink, ...]
    history: tuple[AuditEntry, ...]


def party_details(wb: Workbench, party_id: int, as_of: date | None = None) -> PartyDetails:
    """One party with its ownership both ways, its screening, the cases it is in and its history."""
    report = ownership_report(wb, party_id, as_of)
    with wb.uow() as uow:
        party = uow.register.get(party_id)
        hits = uow.party_screening.hits(party_id, party.fingerprint)
        screened = uow.party_screening.screened(party_id)
        cases = uow.party_screening.cases_of([party_id])
        history = uow.audit.history("party", str(party_id))
    return PartyDetails(party, report, tuple(hits), status_of(hits, screened), tuple(cases), tuple(history))


def save_party(wb: Workbench, party: RegisterParty) -> RegisterParty:
    """Store an edited party (refused with a conflict if someone else saved it since it was opened)."""
    with wb.uow() as uow:
        saved = uow.register.save(party)
        uow.commit()
    return saved
