"""Use case: run the EAR rule checks on a stored case or a case file, as of a date and posture."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from workbench.domain.case import Case
from workbench.domain.determination import Determination, Posture
from workbench.domain.product_items import ProductUse
from workbench.domain.screening import ListEntry
from workbench.domain.screening_records import StoredHit
from workbench.export.casefile import read_case_file
from workbench.rules.coverage import cover
from workbench.rules.engine import PartyListing, determination_to_json, evaluate
from workbench.rules.listdating import list_version_finding, with_list_version
from workbench.services.bootstrap import Workbench
from workbench.services.case_register import owner_open_items, owner_screening, with_ownership
from workbench.services.cases import get_case
from workbench.services.documents import determine_with_documents
from workbench.services.party_documents import with_party_documents
from workbench.services.product_cases import with_product_findings
from workbench.services.screening import active_version, current_hits, list_versions, listings_from_hits


def load_case_or_file(wb: Workbench, case_file_or_reference: str) -> tuple[Case, bool]:
    """A path to a ``.json`` case file is read (not stored); anything else is a case reference.

    Returns the case and whether it is stored in the database.
    """
    path = Path(case_file_or_reference)
    if path.suffix.lower() == ".json" or path.exists():
        return read_case_file(path), False
    return get_case(wb, case_file_or_reference), True


def check_case(
    case: Case,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    party_listings: Mapping[int, Sequence[PartyListing]] | None = None,
    open_items: Sequence[str] = (),
) -> Determination:
    """The rule engine alone, on the facts given (no screening)."""
    return evaluate(case, as_of=as_of, posture=posture, party_listings=party_listings, open_items_extra=open_items)


def check(
    wb: Workbench,
    case: Case,
    *,
    stored: bool,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
) -> Determination:
    """Screen the parties (applying stored dispositions), check the documents, run the rules, and
    for a stored case mark the requirements that recorded licences or exceptions cover."""
    return _check(wb, case, current_hits(wb, case, stored), stored=stored, as_of=as_of, posture=posture)


@dataclass(frozen=True, slots=True)
class CaseAttention:
    """A stored case's checks with the screening hits they rest on that still await a decision."""

    determination: Determination
    open_hits: tuple[StoredHit, ...]


def attention(wb: Workbench, case: Case) -> CaseAttention:
    """Check a stored case and return its undecided hits from the same screening (the Dashboard)."""
    hits = current_hits(wb, case, True)
    determination = _check(wb, case, hits, stored=True, as_of=None, posture=Posture.ENFORCED)
    return CaseAttention(determination, tuple(hit for hit, _entry in hits if hit.disposition is None))


def _check(
    wb: Workbench,
    case: Case,
    hits: Sequence[tuple[StoredHit, ListEntry]],
    *,
    stored: bool,
    as_of: date | None,
    posture: Posture,
) -> Determination:
    listings, open_items = listings_from_hits(hits)
    case = with_party_documents(wb, with_ownership(wb, case), as_of)
    open_items = [*open_items, *owner_open_items(owner_screening(wb, case))]
    review = determine_with_documents(
        case, as_of=as_of, posture=posture, party_listings=listings, open_items=open_items
    )
    result = with_product_findings(wb, case, _with_list_version(wb, review.determination))
    if not stored:
        return result
    with wb.uow() as uow:
        licences = uow.licences.list()
        shipments = uow.licences.shipments()
    return cover(result, case, licences, result.as_of, shipments=shipments)


class Rechecker:
    """Checks many stored cases in a row, each in versions that differ only in their items (a product
    before and after a reclassification): list versions and licences are read once for the run,
    each case's parties screened once, and a party in many cases (the applicant) once in all."""

    def __init__(self, wb: Workbench) -> None:
        self._wb = wb
        self._memo: dict[tuple[Any, ...], Any] = {}
        self._screened = active_version(wb)
        self._versions = list_versions(wb)
        with wb.uow() as uow:
            self._licences = uow.licences.list()
            self._shipments = uow.licences.shipments()

    def check(
        self, variants: Sequence[Case], product_uses: Sequence[Sequence[ProductUse]] | None = None
    ) -> list[Determination]:
        """``product_uses`` gives, per variant, the library products as that variant has them."""
        if not variants:
            return []
        listings, open_items = listings_from_hits(current_hits(self._wb, variants[0], True, self._memo))
        results = []
        for n, case in enumerate(variants):
            review = determine_with_documents(
                case, as_of=None, posture=Posture.ENFORCED, party_listings=listings, open_items=open_items
            )
            finding = list_version_finding(review.determination.as_of, self._screened, self._versions)
            result = with_list_version(review.determination, finding, self._screened.label)
            uses = product_uses[n] if product_uses is not None else None
            result = with_product_findings(self._wb, case, result, uses)
            results.append(cover(result, case, self._licences, result.as_of, shipments=self._shipments))
        return results


def _with_list_version(wb: Workbench, determination: Determination) -> Determination:
    """Name the list version screened against (and warn when it is newer than the as-of date)."""
    screened = active_version(wb)
    finding = list_version_finding(determination.as_of, screened, list_versions(wb))
    return with_list_version(determination, finding, screened.label)


def determination_json(determination: Determination) -> dict[str, Any]:
    return determination_to_json(determination)
