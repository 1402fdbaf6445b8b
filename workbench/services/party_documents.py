"""Documents on file for a register party: one annual EUC or a BIS-711 serves every case of the
party while it is valid (issue #14).

When a case is checked, each register party's documents valid on the case date are laid beside
the case's own documents, naming the party as covered, so the documents checks (coverage,
validity, assurances, integrity) read them as they read a case's documents, and the
determination records the ones relied on.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore
from workbench.documents.intake import inspect_candidate
from workbench.domain.case import Assurance, Case, DocumentKind, DocumentRecord
from workbench.domain.errors import ValidationError
from workbench.services.bootstrap import Workbench

PARTY_DOCUMENT_KINDS = (DocumentKind.EUC, DocumentKind.BIS_711)
NOTE_PREFIX = "On file for register party"


def attach_party_document(
    wb: Workbench,
    party_id: int,
    path: Path,
    kind: DocumentKind | str,
    *,
    valid_until: date | None,
    valid_from: date | None = None,
    signed_on: date | None = None,
    issuer: str = "",
    assurances: tuple[Assurance | str, ...] = (),
    note: str = "",
    store: DocumentStore | None = None,
) -> DocumentRecord:
    """Copy an EUC or BIS-711 into the document store and put it on file for the register party."""
    try:
        chosen = DocumentKind(kind)
    except ValueError:
        chosen = None
    if chosen not in PARTY_DOCUMENT_KINDS:
        raise ValidationError(
            "kind", f"'{kind}' cannot be on file for a party; a party document is an euc or a bis_711"
        )
    if valid_until is None:
        raise ValidationError(
            "valid_until",
            "give the last day the document is valid (YYYY-MM-DD): it covers the party's cases until then",
        )
    path = Path(path)
    display = safe_display_name(path.name)
    try:
        parsed = tuple(Assurance(a) for a in assurances)
    except ValueError as exc:
        raise ValidationError("assurances", f"{exc}; use one of {', '.join(a.value for a in Assurance)}") from None
    draft = DocumentRecord(
        kind=chosen,
        filename=display,
        issuer=issuer,
        signed_date=signed_on,
        valid_from=valid_from,
        valid_until=valid_until,
        assurances=parsed,
        note=note,
    )
    with wb.uow() as uow:
        uow.register.get(party_id)  # a wrong id costs no copy
    stored, _ = (store or DocumentStore()).add_file(path, display, lambda tmp: inspect_candidate(tmp, display))
    record = replace(draft, sha256=stored.sha256)
    with wb.uow() as uow:
        uow.party_documents.add(party_id, record)
        uow.commit()
    return record


def party_documents(wb: Workbench, party_id: int) -> list[DocumentRecord]:
    with wb.uow() as uow:
        uow.register.get(party_id)
        return uow.party_documents.of_parties([party_id]).get(party_id, [])


def _valid_on(record: DocumentRecord, day: date) -> bool:
    starts = [d for d in (record.valid_from, record.signed_date) if d is not None]
    return (not starts or max(starts) <= day) and (record.valid_until is None or day <= record.valid_until)


def with_party_documents(wb: Workbench, case: Case, day: date | None = None) -> Case:
    """``case`` with its register parties' documents valid on ``day`` (default: the case date) beside
    its own, each naming the party it covers; a file the case holds already is not added twice."""
    on = day or case.transaction_date
    linked = {p.register_id: p.name for p in case.parties if p.register_id is not None}
    if not linked:
        return case
    with wb.uow() as uow:
        found = uow.party_documents.of_parties(linked)
    held = {d.sha256 for d in case.documents if d.sha256}
    extra = []
    for party_id, records in sorted(found.items()):
        for record in records:
            if record.sha256 in held or not _valid_on(record, on):
                continue
            held.add(record.sha256)
            note = f"{NOTE_PREFIX} {party_id}" + (f"; {record.note}" if record.note else "")
            extra.append(replace(record, covers_parties=(linked[party_id],), note=note[:4000]))
    return replace(case, documents=(*case.documents, *extra)) if extra else case
