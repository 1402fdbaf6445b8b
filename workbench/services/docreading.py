"""What a document's text suggests about its record, read before the record is saved or while editing it.

Attaching asks first: the file is checked exactly as ``attach_document`` will check it (size,
type by content, structure, encryption), on a copy in a temporary store that is thrown away,
and its text gives the suggestions the attach form offers. Nothing is stored or recorded here;
suggestions are applied only when the officer accepts them in the form.
"""

from __future__ import annotations

import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.documents.checks import document_label
from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore, IntegrityStatus
from workbench.documents.intake import Intake, inspect_candidate
from workbench.documents.sniff import HEAD_BYTES, ContentType, sniff
from workbench.documents.suggest import Suggestion as Suggestion
from workbench.documents.suggest import SuggestionField as SuggestionField
from workbench.documents.suggest import prefill as prefill
from workbench.documents.suggest import suggest
from workbench.domain.case import DocumentRecord
from workbench.services.bootstrap import Workbench
from workbench.services.cases import get_case
from workbench.services.documents import _document, _pdf_text, name_normaliser


@dataclass(frozen=True, slots=True)
class Preread:
    """A file checked for attaching, with what its text suggests (nothing stored)."""

    intake: Intake
    suggestions: tuple[Suggestion, ...]


def read_candidate(wb: Workbench, reference: str, path: Path, *, store: DocumentStore | None = None) -> Preread:
    """Check ``path`` as attaching will and read its suggestions for case ``reference``; raises what attach would."""
    case = get_case(wb, reference)
    limit = (store or DocumentStore()).max_bytes
    display = safe_display_name(Path(path).name)
    with tempfile.TemporaryDirectory(prefix="workbench-preread-") as scratch:
        _stored, intake = DocumentStore(Path(scratch), max_bytes=limit).add_file(
            Path(path), display, lambda tmp: inspect_candidate(tmp, display)
        )
    return Preread(intake, tuple(suggest(intake.text, case, name_normaliser())))


def stored_suggestions(
    wb: Workbench, reference: str, position: int, *, store: DocumentStore | None = None
) -> tuple[Suggestion, ...]:
    """What the text of an attached PDF suggests (none when its file is not intact or has no text)."""
    case = get_case(wb, reference)
    record = _document(case, position)
    store = store or DocumentStore()
    if not record.sha256 or store.verify(record.sha256) is not IntegrityStatus.OK:
        return ()
    path = store.path_for(record.sha256)
    with path.open("rb") as handle:
        if sniff(handle.read(HEAD_BYTES)) is not ContentType.PDF:
            return ()
    text = _pdf_text(str(path), record.sha256, document_label(position, record))
    return tuple(suggest(text, case, name_normaliser()))


def not_recorded(record: DocumentRecord, suggestions: Sequence[Suggestion]) -> list[Suggestion]:
    """Suggestions the record does not hold (countries are information only: no field takes them)."""
    dates = {
        SuggestionField.SIGNED_DATE: record.signed_date,
        SuggestionField.VALID_FROM: record.valid_from,
        SuggestionField.VALID_UNTIL: record.valid_until,
    }
    held: dict[SuggestionField, set[str]] = {
        SuggestionField.KIND: {record.kind.value},
        SuggestionField.SIGNATORY_NAME: {record.signatory_name},
        SuggestionField.SIGNATORY_TITLE: {record.signatory_title},
        SuggestionField.PARTY: set(record.covers_parties),
        SuggestionField.ASSURANCE: {a.value for a in record.assurances},
        **{field: {day.isoformat()} if day else set() for field, day in dates.items()},
    }
    return [s for s in suggestions if s.field is not SuggestionField.COUNTRY and s.value not in held[s.field]]
