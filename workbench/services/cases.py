"""Use cases for export cases: create, read, save, list, import and export case files."""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from pathlib import Path

from workbench import resources
from workbench.domain.case import Case, CaseStatus, CaseSummary
from workbench.domain.product_items import ItemMatch
from workbench.export.casefile import dumps_case, parse_case_json, read_case_file_with_parts, write_case_file
from workbench.screening.clean import name_warnings
from workbench.services.bootstrap import Workbench
from workbench.services.case_register import PartyMatch, match_parties
from workbench.services.product_cases import match_items


def get_case(wb: Workbench, reference: str) -> Case:
    with wb.uow() as uow:
        return uow.cases.get(reference)


def create_case(wb: Workbench, case: Case) -> Case:
    with wb.uow() as uow:
        stored = uow.cases.add(case)
        uow.commit()
        return stored


def save_case(wb: Workbench, case: Case, *, revision_reason: str | None = None) -> Case:
    """Save an edited case; raises ``ConflictError`` if someone saved it since it was read.

    A determined case is not silently editable: changing it raises ``RevisionReasonRequired``
    unless ``revision_reason`` is given, and then starts a new revision (status in review, the
    outcome cleared until it is determined again, the reason in the audit chain).
    """
    with wb.uow() as uow:
        stored = uow.cases.save(case, revision_reason=revision_reason)
        uow.commit()
        return stored


def party_name_warnings(case: Case) -> list[str]:
    """One line per party whose name does not read as it displays (invisible, right-to-left or look-alike letters)."""
    out = []
    for position, party in enumerate(case.parties, 1):
        for warning in name_warnings(party.name):
            out.append(f"party {position} ({party.role.value.replace('_', ' ')}): {warning}")
    return out


def name_warning(name: str) -> str:
    """The warning for one party name (the case editor shows it on the name), empty when none."""
    return "; ".join(name_warnings(name))


def is_determined(wb: Workbench, reference: str) -> bool:
    with wb.uow() as uow:
        return uow.cases.get(reference).status is CaseStatus.DETERMINED


def import_case_file(wb: Workbench, path: Path, *, revision_reason: str | None = None) -> Case:
    """Validate a case file completely, then store it in one transaction (see ``import_case_file_matched``)."""
    return import_case_file_matched(wb, path, revision_reason=revision_reason).case


@dataclass(frozen=True)
class CaseImport:
    case: Case
    item_matches: tuple[ItemMatch, ...]
    """How each item was matched to the product library (by part number, manufacturer and model, or not)."""
    party_matches: tuple[PartyMatch, ...] = ()
    """How each party was tied to the counterparty register (matched, created, kept, or case only)."""


def import_case_file_matched(wb: Workbench, path: Path, *, revision_reason: str | None = None) -> CaseImport:
    """Validate a case file completely, tie its parties to the register and match its items to the
    product library, then store it, all in one transaction; say how each party and item was matched.

    A file whose reference is already stored replaces that case only with ``revision_reason``
    (a new revision of it, audited with the reason); without one it is refused as a duplicate,
    or, for a determined case, with ``RevisionReasonRequired``.
    """
    case, parts = read_case_file_with_parts(path)
    with wb.uow() as uow:
        case, party_matches = match_parties(uow, case)
        case, item_matches = match_items(uow, case, parts)
        if not uow.cases.exists(case.reference):
            stored = uow.cases.add(case)
        else:
            current = uow.cases.get(case.reference)
            if revision_reason is None and current.status is not CaseStatus.DETERMINED:
                stored = uow.cases.add(case)  # refused: DuplicateError names the reference
            else:
                stored = uow.cases.save(
                    replace(case, version=current.version, status=current.status), revision_reason=revision_reason
                )
        uow.commit()
        return CaseImport(stored, tuple(item_matches), tuple(party_matches))


def export_case_file(wb: Workbench, reference: str, path: Path | None) -> str:
    """Write the case file to ``path`` atomically, or return its text when ``path`` is None."""
    case = get_case(wb, reference)
    if path is None:
        return dumps_case(case)
    write_case_file(case, path)
    return str(path)


@dataclass(frozen=True)
class CasePage:
    total: int
    rows: list[CaseSummary]
    never_screened: frozenset[str] = frozenset()
    """The references on this page whose parties were never screened."""


def list_cases(
    wb: Workbench,
    search: str = "",
    statuses: tuple[CaseStatus, ...] = (),
    *,
    outcomes: tuple[str, ...] = (),
    offset: int = 0,
    limit: int = 100,
    order_by: str = "updated_at",
    descending: bool = True,
) -> CasePage:
    """A page of the case list; ``outcomes`` filters by the latest determination's outcome."""
    with wb.uow() as uow:
        rows = uow.cases.summaries(
            search,
            statuses,
            outcomes=outcomes,
            offset=offset,
            limit=limit,
            order_by=order_by,
            descending=descending,
        )
        references = [r.reference for r in rows]
        return CasePage(
            total=uow.cases.count(search, statuses, outcomes),
            rows=rows,
            never_screened=frozenset(set(references) - uow.screening.screened_among(references)),
        )


def demo_cases() -> list[Case]:
    """The demo cases shipped in ``resources/demo``."""
    index = json.loads(resources.read_text("demo/index.json"))
    cases = []
    for name in index["cases"]:
        cases.append(parse_case_json(resources.read_bytes(f"demo/{name}"), f"resources/demo/{name}"))
    return cases


def load_demo(wb: Workbench) -> list[str]:
    """Add every demo case that is not in the database yet; return the references added."""
    added = []
    with wb.uow() as uow:
        for case in demo_cases():
            if not uow.cases.exists(case.reference):
                uow.cases.add(case)
                added.append(case.reference)
        uow.commit()
    return added
