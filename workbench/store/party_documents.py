"""Documents on file for a register party (an annual EUC, a BIS-711), every attachment audited.

The file itself is in the content-addressed document store; this keeps what the officer recorded
about it. A party document is held as a ``DocumentRecord`` without ``covers_parties``: services
name the party when they lay it beside a case's own documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.audit import Change
from workbench.domain.case import Assurance, DocumentKind, DocumentRecord
from workbench.domain.errors import DuplicateError
from workbench.store.audit import SqlAuditLog
from workbench.store.orm_register import PartyDocumentRow

_CHUNK = 500


def _record(row: PartyDocumentRow) -> DocumentRecord:
    return DocumentRecord(
        kind=DocumentKind(row.kind),
        filename=row.filename,
        sha256=row.sha256,
        issuer=row.issuer,
        signatory_name=row.signatory_name,
        signatory_title=row.signatory_title,
        signed_date=row.signed_date,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        assurances=tuple(Assurance(a) for a in row.assurances),
        note=row.note,
    )


def document_json(record: DocumentRecord) -> dict[str, object]:
    return {
        "kind": record.kind.value,
        "filename": record.filename,
        "sha256": record.sha256,
        "issuer": record.issuer,
        "valid_from": record.valid_from.isoformat() if record.valid_from else None,
        "valid_until": record.valid_until.isoformat() if record.valid_until else None,
        "assurances": [a.value for a in record.assurances],
    }


class SqlPartyDocumentRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    def add(self, party_id: int, record: DocumentRecord) -> None:
        found = self._session.scalar(
            select(PartyDocumentRow.id).where(
                PartyDocumentRow.party_id == party_id, PartyDocumentRow.sha256 == record.sha256
            )
        )
        if found is not None:
            raise DuplicateError(
                f"{record.filename}: this file is on file for register party {party_id} already; "
                "attach a new document (for example next year's EUC) instead."
            )
        self._session.add(
            PartyDocumentRow(
                party_id=party_id,
                kind=record.kind.value,
                filename=record.filename,
                sha256=record.sha256,
                issuer=record.issuer,
                signatory_name=record.signatory_name,
                signatory_title=record.signatory_title,
                signed_date=record.signed_date,
                valid_from=record.valid_from,
                valid_until=record.valid_until,
                assurances=[a.value for a in record.assurances],
                note=record.note,
                added_at=datetime.now(UTC),
                added_by=self._audit.officer,
            )
        )
        self._session.flush()
        self._audit.record(
            "party", str(party_id), "attach_document", [Change("documents", None, document_json(record))]
        )

    def of_parties(self, party_ids: Iterable[int]) -> dict[int, list[DocumentRecord]]:
        """Each party's documents, oldest first (parties without documents are left out)."""
        ids = sorted(set(party_ids))
        out: dict[int, list[DocumentRecord]] = {}
        for start in range(0, len(ids), _CHUNK):
            rows = self._session.scalars(
                select(PartyDocumentRow)
                .where(PartyDocumentRow.party_id.in_(ids[start : start + _CHUNK]))
                .order_by(PartyDocumentRow.party_id, PartyDocumentRow.id)
            )
            for row in rows:
                out.setdefault(row.party_id, []).append(_record(row))
        return out
