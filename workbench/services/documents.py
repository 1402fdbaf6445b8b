"""Use cases for supporting documents: attach, list, verify, open, update, remove, check, bundle.

Transactions and failure: a file is copied into the content-addressed store *before* the
case is saved. If the database write then fails (a conflict, a crash), the stored file is
an unreferenced blob: harmless, never shown anywhere, and reused if the same file is
attached again. The opposite order could leave a case pointing at a file that was never
stored, which is worse. Nothing in the workbench deletes stored files, so removing a
document from a case keeps its file (and the audit trail records the removed record, who
removed it and why): 15 CFR 762 retention.

Names are compared with the screening engine's normaliser when it is available (the
documents engine cannot import it itself: sibling engines are independent by the layer
contract), else with the documents engine's standard-library fallback.
"""

from __future__ import annotations

import contextlib
import os
import zipfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from workbench.documents.bundle import (
    BundleEntry,
    BundleError,
    BundleSummary,
    OpenedBundle,
    open_bundle,
    write_bundle,
)
from workbench.documents.checks import (
    DocumentIssue,
    ExpiringDocument,
    IssueSeverity,
    document_findings,
    document_label,
    expiring_documents,
    expiring_within_days,
)
from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore, IntegrityStatus, StoredFile
from workbench.documents.intake import Intake, inspect_candidate
from workbench.documents.names import BASIC_NORMALISER, NameNormaliser
from workbench.documents.pdfcheck import inspect_pdf
from workbench.documents.sniff import HEAD_BYTES, ContentType, sniff
from workbench.documents.suggest import Suggestion, SuggestionField, differences, suggest
from workbench.domain.audit import Change
from workbench.domain.case import Assurance, Case, DocumentKind, DocumentRecord, PartyRole
from workbench.domain.determination import Determination, Outcome, Posture
from workbench.domain.errors import DuplicateError, InputFileError, NotFoundError, ValidationError
from workbench.export.casefile import dumps_case, parse_case_json
from workbench.rules.engine import PartyListing, evaluate
from workbench.services.bootstrap import Workbench
from workbench.services.case_register import match_parties

try:  # the screening normaliser is built by another team; fall back to the basic one until it lands
    from workbench.screening.normalise import TokenKind, prepare

    _SCREENING_AVAILABLE = True
except ImportError:  # pragma: no cover - depends on the tree
    _SCREENING_AVAILABLE = False


@lru_cache(maxsize=1)
def name_normaliser() -> NameNormaliser:
    """The screening normaliser adapted to the documents engine (or the basic fallback)."""
    if not _SCREENING_AVAILABLE:
        return BASIC_NORMALISER
    ignored = {TokenKind.LEGAL, TokenKind.STOP}

    @lru_cache(maxsize=65_536)
    def fold(text: str) -> str:
        return " ".join(token.key for token in prepare(text).tokens)

    def core(name: str) -> tuple[str, ...]:
        tokens = prepare(name).tokens
        keys = tuple(t.key for t in tokens if t.kind not in ignored)
        return keys or tuple(t.key for t in tokens)

    return NameNormaliser(fold=fold, core=core)


def _store(store: DocumentStore | None) -> DocumentStore:
    return store if store is not None else DocumentStore()


def _get(wb: Workbench, reference: str) -> Case:
    with wb.uow() as uow:
        return uow.cases.get(reference)


def _document(case: Case, position: int) -> DocumentRecord:
    if not 1 <= position <= len(case.documents):
        count = len(case.documents)
        raise NotFoundError(
            f"Case {case.reference} has no document {position}; "
            + (f"its documents are numbered 1 to {count}." if count else "it has no documents yet.")
        )
    return case.documents[position - 1]


def document_json(record: DocumentRecord) -> dict[str, Any]:
    """A document record as JSON-ready values (CLI output and audit entries)."""
    return {
        "kind": record.kind.value,
        "filename": record.filename,
        "sha256": record.sha256,
        "issuer": record.issuer,
        "signatory_name": record.signatory_name,
        "signatory_title": record.signatory_title,
        "signed_date": record.signed_date.isoformat() if record.signed_date else None,
        "valid_from": record.valid_from.isoformat() if record.valid_from else None,
        "valid_until": record.valid_until.isoformat() if record.valid_until else None,
        "covers_parties": list(record.covers_parties),
        "covers_items": list(record.covers_items),
        "assurances": [a.value for a in record.assurances],
        "note": record.note,
    }


def resolve_roles(case: Case, roles: Iterable[PartyRole | str]) -> tuple[str, ...]:
    """The names of the case's parties in ``roles`` (``ValidationError`` for a role nobody has)."""
    names: list[str] = []
    for raw in roles:
        try:
            role = PartyRole(raw)
        except ValueError:
            allowed = ", ".join(r.value for r in PartyRole)
            raise ValidationError("covers", f"'{raw}' is not a party role; use one of {allowed}") from None
        found = [p.name for p in case.parties if p.role is role]
        if not found:
            present = ", ".join(sorted({p.role.value for p in case.parties})) or "none"
            raise ValidationError(
                "covers", f"case {case.reference} has no {role.value} party (its parties' roles: {present})"
            )
        names += [n for n in found if n not in names]
    return tuple(names)


# --- attach ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AttachResult:
    record: DocumentRecord
    position: int
    """1-based position of the new document in the case."""
    suggestions: tuple[Suggestion, ...]
    """Read from the document's text; never applied (see ``workbench.documents.suggest``)."""
    intake: Intake
    stored: StoredFile
    notes: tuple[str, ...]
    """Things the officer should know: repaired PDF, no text layer, recorded values the text contradicts."""


def attach_document(
    wb: Workbench,
    reference: str,
    path: Path,
    kind: DocumentKind | str,
    *,
    filename: str | None = None,
    signed_on: date | None = None,
    valid_from: date | None = None,
    expires_on: date | None = None,
    covers_roles: Sequence[PartyRole | str] = (),
    covers_parties: Sequence[str] = (),
    covers_items: Sequence[int] = (),
    issuer: str = "",
    signatory_name: str = "",
    signatory_title: str = "",
    assurances: Sequence[Assurance | str] = (),
    note: str = "",
    store: DocumentStore | None = None,
) -> AttachResult:
    """Copy ``path`` into the document store and record it on the case, returning suggestions.

    Everything the officer typed is validated against the case *before* the file is copied,
    so a typo costs nothing. The file is then checked by content (type, size, structure,
    encryption) on the store's own copy, and the case is saved in one transaction.
    """
    store = _store(store)
    path = Path(path)
    case = _get(wb, reference)
    display = safe_display_name(filename if filename is not None else path.name)
    parties = tuple(dict.fromkeys((*covers_parties, *resolve_roles(case, covers_roles))))
    draft = DocumentRecord(
        kind=_parse_kind(kind),
        filename=display,
        issuer=issuer,
        signatory_name=signatory_name,
        signatory_title=signatory_title,
        signed_date=signed_on,
        valid_from=valid_from,
        valid_until=expires_on,
        covers_parties=parties,
        covers_items=tuple(covers_items),
        assurances=_parse_assurances(assurances),
        note=note,
    )
    replace(case, documents=(*case.documents, draft))  # validates parties and items against the case
    stored, intake = store.add_file(path, display, lambda tmp: inspect_candidate(tmp, display))
    record = replace(draft, sha256=stored.sha256)
    with wb.uow() as uow:
        current = uow.cases.get(reference)
        for i, existing in enumerate(current.documents, start=1):
            if existing.sha256 == stored.sha256:
                raise DuplicateError(
                    f"{display}: this file is already attached to case {reference} as {document_label(i, existing)}; "
                    "edit that document instead of attaching the file again."
                )
        saved = uow.cases.save(
            replace(current, documents=(*current.documents, record)),
            revision_reason=f"document {display} attached after the determination",
        )
        position = len(saved.documents)
        uow.audit.record(
            "case",
            reference,
            "attach_document",
            [
                Change(
                    f"documents[{position - 1}].file",
                    None,
                    {
                        "sha256": stored.sha256,
                        "size": stored.size,
                        "content_type": intake.content_type.value,
                        "source_name": safe_display_name(path.name),
                    },
                )
            ],
        )
        uow.commit()
    found = tuple(suggest(intake.text, saved, name_normaliser()))
    return AttachResult(record, position, found, intake, stored, (*intake.notes, *_contradictions(record, found)))


def _parse_kind(kind: DocumentKind | str) -> DocumentKind:
    try:
        return DocumentKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in DocumentKind)
        raise ValidationError("kind", f"'{kind}' is not a document kind; use one of {allowed}") from None


def _parse_assurances(assurances: Sequence[Assurance | str]) -> tuple[Assurance, ...]:
    out = []
    for a in assurances:
        try:
            out.append(Assurance(a))
        except ValueError:
            allowed = ", ".join(x.value for x in Assurance)
            raise ValidationError("assurances", f"'{a}' is not an assurance; use one of {allowed}") from None
    return tuple(dict.fromkeys(out))


def _contradictions(record: DocumentRecord, suggestions: Sequence[Suggestion]) -> list[str]:
    recorded: dict[SuggestionField, list[str]] = {SuggestionField.KIND: [record.kind.value]}
    for field, value in (
        (SuggestionField.SIGNED_DATE, record.signed_date),
        (SuggestionField.VALID_FROM, record.valid_from),
        (SuggestionField.VALID_UNTIL, record.valid_until),
    ):
        if value is not None:
            recorded[field] = [value.isoformat()]
    return [
        f"The document's text suggests '{s.label}', which differs from what was recorded (evidence: \"{s.evidence}\")."
        for s in differences(suggestions, recorded)
    ]


# --- read, verify, open ------------------------------------------------------------------------


def list_documents(wb: Workbench, reference: str) -> list[DocumentRecord]:
    """The case's documents in order; position = index + 1."""
    return list(_get(wb, reference).documents)


def verify_documents(
    wb: Workbench, reference: str, *, store: DocumentStore | None = None
) -> list[tuple[DocumentRecord, IntegrityStatus]]:
    """Re-hash every stored file of the case: ok, missing, tampered, unreadable or no file."""
    store = _store(store)
    return [(record, store.verify(record.sha256)) for record in _get(wb, reference).documents]


def open_document(wb: Workbench, reference: str, position: int, *, store: DocumentStore | None = None) -> bytes:
    """The document's bytes, verified against its SHA-256 (``DocumentIntegrityError`` otherwise)."""
    case = _get(wb, reference)
    record = _document(case, position)
    return _store(store).read_verified(record.sha256, document_label(position, record))


def copy_document(
    wb: Workbench, reference: str, position: int, folder: Path, *, store: DocumentStore | None = None
) -> Path:
    """Write a verified copy of the document into ``folder`` (for a viewer); return its path."""
    case = _get(wb, reference)
    record = _document(case, position)
    folder = Path(folder)
    if not folder.is_dir():
        raise InputFileError(f"{folder}: is not a folder; choose where to put the copy.")
    target = folder / safe_display_name(record.filename)
    _store(store).copy_verified(record.sha256, target, document_label(position, record))
    return target


# --- edit --------------------------------------------------------------------------------------

_EDITABLE = frozenset(
    {
        "kind", "filename", "issuer", "signatory_name", "signatory_title", "signed_date", "valid_from",
        "valid_until", "covers_parties", "covers_items", "assurances", "note",
    }
)  # fmt: skip


def update_document(wb: Workbench, reference: str, position: int, **changes: Any) -> DocumentRecord:
    """Change recorded fields of a document (not its file: that is fixed by its SHA-256)."""
    unknown = sorted(set(changes) - _EDITABLE)
    if unknown:
        raise ValidationError(
            unknown[0], f"cannot be changed on a document; editable fields: {', '.join(sorted(_EDITABLE))}"
        )
    if "filename" in changes:
        changes["filename"] = safe_display_name(str(changes["filename"]))
    for name in ("covers_parties", "covers_items", "assurances"):
        if name in changes:
            changes[name] = tuple(changes[name])
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        record = replace(_document(case, position), **changes)
        documents = list(case.documents)
        documents[position - 1] = record
        uow.cases.save(
            replace(case, documents=tuple(documents)),
            revision_reason=f"document {position} ({', '.join(sorted(changes))}) changed after the determination",
        )
        uow.commit()
    return record


def remove_document(wb: Workbench, reference: str, position: int, *, reason: str) -> DocumentRecord:
    """Take a document off the case; its file stays in the store and the audit trail keeps the record."""
    reason = " ".join(reason.split())
    if not reason:
        raise ValidationError("reason", "say why the document is removed; the reason is kept in the audit trail")
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        record = _document(case, position)
        documents = case.documents[: position - 1] + case.documents[position:]
        uow.cases.save(replace(case, documents=documents), revision_reason=f"document {position} removed: {reason}")
        uow.audit.record(
            "case", reference, "remove_document", [Change(f"documents[{position - 1}]", document_json(record), None)],
            reason=reason,
        )  # fmt: skip
        uow.commit()
    return record


# --- checks ------------------------------------------------------------------------------------


def needs_euc(determination: Determination) -> bool:
    """A licence is required (or the export is prohibited), or the case concerns advanced computing."""
    return determination.outcome.severity >= Outcome.LICENSE_REQUIRED.severity or any(
        f.rule.startswith("adv-computing") for f in determination.findings
    )


@lru_cache(maxsize=256)
def _pdf_text(path: str, sha256: str, display_name: str) -> str:
    """The text of a stored PDF; cached by SHA-256 because stored content never changes."""
    try:
        return inspect_pdf(Path(path), display_name).text
    except InputFileError:
        return ""


def _texts(case: Case, statuses: dict[int, IntegrityStatus], store: DocumentStore) -> dict[int, str]:
    texts: dict[int, str] = {}
    for position, record in enumerate(case.documents, start=1):
        if statuses.get(position) is not IntegrityStatus.OK:
            continue
        path = store.path_for(record.sha256)
        with path.open("rb") as handle:
            if sniff(handle.read(HEAD_BYTES)) is not ContentType.PDF:
                continue
        texts[position] = _pdf_text(str(path), record.sha256, document_label(position, record))
    return texts


def case_document_issues(
    case: Case,
    *,
    determination: Determination,
    as_of: date | None = None,
    within_days: int | None = None,
    store: DocumentStore | None = None,
    verify: bool = True,
) -> list[DocumentIssue]:
    """Document issues of an already loaded case, given its determination (no database access)."""
    store = _store(store)
    statuses = {i: store.verify(r.sha256) for i, r in enumerate(case.documents, start=1)} if verify else {}
    return document_findings(
        case,
        as_of=as_of,
        licence_or_advanced=needs_euc(determination),
        expiring_within_days=within_days if within_days is not None else expiring_within_days(),
        integrity=statuses,
        texts=_texts(case, statuses, store) if verify else {},
        normaliser=name_normaliser(),
    )


def document_issues(
    wb: Workbench,
    reference: str,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    within_days: int | None = None,
    store: DocumentStore | None = None,
) -> list[DocumentIssue]:
    """Everything wrong with the case's documents on ``as_of`` (default: the transaction date)."""
    case = _get(wb, reference)
    determination = evaluate(case, as_of=as_of, posture=posture)
    return case_document_issues(case, determination=determination, as_of=as_of, within_days=within_days, store=store)


def document_open_items(issues: Iterable[DocumentIssue]) -> list[str]:
    """The issues that must become the rule engine's open items (``open_items_extra``)."""
    return [i.text for i in issues if i.severity is IssueSeverity.OPEN_ITEM]


@dataclass(frozen=True, slots=True)
class DocumentReview:
    determination: Determination
    """The determination with the documents' open items included (``review_required`` set by them)."""
    issues: tuple[DocumentIssue, ...]


def determine_with_documents(
    case: Case,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    party_listings: Mapping[int, Sequence[PartyListing]] | None = None,
    open_items: Sequence[str] = (),
    store: DocumentStore | None = None,
) -> DocumentReview:
    """Run the rule engine with the document checks feeding its open items.

    The engine runs twice: first to learn whether a licence is required or advanced
    computing is concerned (which decides whether an EUC is needed), then with the
    documents' open items added.
    """
    first = evaluate(case, as_of=as_of, posture=posture, party_listings=party_listings, open_items_extra=open_items)
    issues = case_document_issues(case, determination=first, as_of=as_of, store=store)
    final = evaluate(
        case,
        as_of=as_of,
        posture=posture,
        party_listings=party_listings,
        open_items_extra=(*open_items, *document_open_items(issues)),
    )
    return DocumentReview(final, tuple(issues))


def expiring(wb: Workbench, *, today: date | None = None, within_days: int | None = None) -> list[ExpiringDocument]:
    """Documents of open cases expiring within N days of today (or expired): the Dashboard and ``doc expiring``."""
    with wb.uow() as uow:
        cases = [uow.cases.get(ref) for ref in uow.cases.references()]
    rows = [doc for case in cases for doc in case_expiring(case, today=today, within_days=within_days)]
    return sorted(rows, key=lambda r: (r.valid_until, r.reference, r.position))


def case_expiring(case: Case, *, today: date | None = None, within_days: int | None = None) -> list[ExpiringDocument]:
    """The one "expiring soon" rule, asked by the Dashboard, the Documents panel and ``doc expiring`` alike.

    A document of an open case is flagged when its validity ends within ``within_days`` of today
    (default ``WORKBENCH_DOCUMENT_EXPIRY_WARNING_DAYS`` or 30), or has ended already.
    """
    day = today or date.today()
    days = within_days if within_days is not None else expiring_within_days()
    return expiring_documents([case], today=day, within_days=days)


def expiring_text(doc: ExpiringDocument) -> str:
    """One warning line for an expiring document, as the Documents panel lists it."""
    what = f"Document {doc.position} ({doc.filename})"
    if doc.days_left < 0:
        ago = -doc.days_left
        return f"{what}: expired on {doc.valid_until.isoformat()}, {ago} day{'s' if ago != 1 else ''} ago; renew it."
    if doc.days_left == 0:
        return f"{what}: expires today ({doc.valid_until.isoformat()}); ask for a renewal now."
    days = f"{doc.days_left} day{'s' if doc.days_left != 1 else ''}"
    return f"{what}: expires on {doc.valid_until.isoformat()}, in {days}; ask for a renewal in time."


# --- bundles -----------------------------------------------------------------------------------


def export_case_bundle(
    wb: Workbench, reference: str, out: Path, *, store: DocumentStore | None = None
) -> BundleSummary:
    """Write the case file and its verified document files as a folder, or a zip if ``out`` ends in .zip."""
    case = _get(wb, reference)
    return write_bundle(Path(out), case.reference, dumps_case(case).encode("utf-8"), case.documents, _store(store))


def import_case_bundle(wb: Workbench, path: Path, *, store: DocumentStore | None = None) -> Case:
    """Import a bundle: validate the case file, verify and store every document, then create the case.

    Each document must be listed in the manifest with the SHA-256 the case file records, and
    its bytes must hash to it; it passes the same content checks as an attached file. Only
    when all documents are stored is the case created, in one transaction; a failure leaves
    no case (files already stored are content-addressed and harmless).
    """
    store = _store(store)
    path = Path(path)
    with open_bundle(path) as bundle:
        case = parse_case_json(bundle.case_bytes, f"{path} (case.json)")
        by_position = {e.position: e for e in bundle.entries}
        with wb.uow() as uow:
            if uow.cases.exists(case.reference):
                raise DuplicateError(
                    f"A case with reference '{case.reference}' already exists; the bundle was not imported."
                )
        added: list[StoredFile] = []
        try:
            for position, record in enumerate(case.documents, start=1):
                if not record.sha256:
                    continue
                entry = by_position.get(position)
                if entry is None or entry.sha256 != record.sha256:
                    raise BundleError(
                        f"{path}: {document_label(position, record)} is not in the bundle's manifest with the "
                        "SHA-256 the case file records; the bundle is incomplete or was altered."
                    )
                stored_file = _import_document(bundle, entry, record, position, store)
                if not stored_file.already_stored:
                    added.append(stored_file)
            with wb.uow() as uow:
                stored = uow.cases.add(match_parties(uow, case)[0])  # parties tied to the register, as on import
                uow.audit.record("case", stored.reference, "import_bundle", [Change("source", None, path.name)])
                uow.commit()
        except BaseException:
            _forget(added)
            raise
    return stored


def _forget(files: list[StoredFile]) -> None:
    """Take out of the store the files an import placed before it was refused: nothing is left behind."""
    for stored_file in files:
        with contextlib.suppress(OSError):
            os.chmod(stored_file.path, 0o644)
            stored_file.path.unlink()
        with contextlib.suppress(OSError):
            stored_file.path.parent.rmdir()  # only when it is empty


def _import_document(
    bundle: OpenedBundle, entry: BundleEntry, record: DocumentRecord, position: int, store: DocumentStore
) -> StoredFile:
    label = f"{bundle.source}: {document_label(position, record)}"
    try:
        with bundle.open_member(entry) as stream:
            stored_file, _ = store.ingest(
                stream, label, lambda tmp: inspect_candidate(tmp, label), expected_sha256=record.sha256
            )
            return stored_file
    except zipfile.BadZipFile as exc:
        raise BundleError(f"{label}: the zip member is damaged ({exc}).") from None
