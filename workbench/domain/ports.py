"""What the services need from persistence, as protocols the store implements.

Services type against these, so they never import SQLAlchemy and unit tests can
use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from types import TracebackType
from typing import Protocol

from workbench.domain.audit import AuditEntry, ChainReport, Change
from workbench.domain.case import Case, CaseStatus, CaseSummary, DocumentRecord
from workbench.domain.licences import LicenceRepository
from workbench.domain.products import ProductRepository
from workbench.domain.record import DeterminationRecord, DeterminationSummary, WorkbookRecord
from workbench.domain.register import RegisterRepository
from workbench.domain.register_screening import PartyScreeningRepository
from workbench.domain.rulepacks import Amendment, StoredRulePack, TrustedPublisher
from workbench.domain.screening import DispositionDecision, ListEntry, ParsedList
from workbench.domain.screening_records import ListVersion, ScreeningRun, StoredHit


class CaseRepository(Protocol):
    def get(self, reference: str) -> Case:
        """Return the case or raise ``NotFoundError``."""

    def exists(self, reference: str) -> bool: ...

    def get_many(self, references: Sequence[str]) -> list[Case]:
        """The stored cases among ``references``, in that order (a re-check of many loads them in batches)."""

    def add(self, case: Case) -> Case:
        """Store a new case (``DuplicateError`` if the reference is taken); return it with its version."""

    def save(self, case: Case, *, revision_reason: str | None = None) -> Case:
        """Update a stored case; ``ConflictError`` if ``case.version`` is stale. Changing a determined
        case needs ``revision_reason`` (``RevisionReasonRequired`` without it) and starts a new revision."""

    def delete(self, reference: str) -> None: ...

    def references(self) -> list[str]: ...

    def count(self, search: str = "", statuses: tuple[CaseStatus, ...] = (), outcomes: tuple[str, ...] = ()) -> int: ...

    def summaries(
        self,
        search: str = "",
        statuses: tuple[CaseStatus, ...] = (),
        *,
        outcomes: tuple[str, ...] = (),
        offset: int = 0,
        limit: int = 100,
        order_by: str = "updated_at",
        descending: bool = True,
    ) -> list[CaseSummary]: ...


class AuditLog(Protocol):
    officer: str

    def record(
        self, entity: str, entity_key: str, action: str, changes: Sequence[Change] = (), reason: str = ""
    ) -> None:
        """Append entries in the current transaction."""

    def history(self, entity: str, entity_key: str) -> list[AuditEntry]: ...

    def verify(self) -> ChainReport: ...


class ListRepository(Protocol):
    def active(self) -> ListVersion | None: ...

    def get(self, version_id: int) -> ListVersion: ...

    def versions(self) -> list[ListVersion]: ...

    def add_version(
        self,
        parsed: ParsedList,
        *,
        label: str,
        source_file: str,
        sha256: str,
        imported_by: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> ListVersion:
        """Store the parsed list as the new active version."""

    def entries(self, version_id: int) -> list[ListEntry]: ...

    def entry(self, version_id: int, source_code: str, entry_id: str) -> ListEntry | None: ...

    def allow_list(self) -> list[str]: ...

    def add_allowed(self, name: str, note: str = "") -> None: ...

    def remove_allowed(self, name: str) -> None: ...


class ScreeningRepository(Protocol):
    def hits(self, reference: str) -> list[StoredHit]: ...

    def last_run(self, reference: str) -> ScreeningRun | None: ...

    def replace_hits(self, reference: str, version_id: int, hits: Sequence[StoredHit], officer: str) -> None: ...

    def decide(
        self, reference: str, hit: StoredHit, decision: DispositionDecision, reason: str, officer: str
    ) -> None: ...

    def screened_references(self, statuses: Iterable[str]) -> list[str]: ...

    def screened_among(self, references: Sequence[str]) -> set[str]: ...


class DeterminationRepository(Protocol):
    def next_revision(self, reference: str) -> int: ...

    def add(self, record: DeterminationRecord) -> None: ...

    def get(self, reference: str, revision: int | None = None) -> DeterminationRecord: ...

    def history(self, reference: str) -> list[DeterminationSummary]: ...

    def add_workbook(self, reference: str, revision: int, workbook: WorkbookRecord) -> None: ...

    def workbooks(self, reference: str) -> list[WorkbookRecord]: ...


class RulePackRepository(Protocol):
    """Imported rule packs, trusted publisher keys and local amendments."""

    def packs(self) -> list[StoredRulePack]: ...

    def active_pack(self) -> StoredRulePack | None: ...

    def content(self, version: int) -> bytes: ...

    def add_pack(self, pack: StoredRulePack, content: bytes, *, activate: bool) -> None: ...

    def activate(self, version: int | None, previous: int, reason: str = "") -> None: ...

    def publishers(self) -> list[TrustedPublisher]: ...

    def add_publisher(self, fingerprint: str, name: str, public_key_pem: str) -> None: ...

    def amendments(self, *, include_withdrawn: bool = False) -> list[Amendment]: ...

    def add_amendment(self, amendment: Amendment) -> Amendment: ...

    def withdraw_amendment(self, amendment_id: str, reason: str) -> None: ...


class PartyDocumentRepository(Protocol):
    """EUCs and BIS-711s on file for register parties."""

    def add(self, party_id: int, record: DocumentRecord) -> None:
        """Record a document (``DuplicateError`` if the same file is on file for the party)."""

    def of_parties(self, party_ids: Iterable[int]) -> dict[int, list[DocumentRecord]]: ...


class UnitOfWork(Protocol):
    """One transaction: nothing is written unless ``commit`` is called."""

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def audit(self) -> AuditLog: ...

    @property
    def lists(self) -> ListRepository: ...

    @property
    def screening(self) -> ScreeningRepository: ...

    @property
    def determinations(self) -> DeterminationRepository: ...

    @property
    def licences(self) -> LicenceRepository: ...

    @property
    def rule_packs(self) -> RulePackRepository: ...

    @property
    def products(self) -> ProductRepository: ...

    @property
    def register(self) -> RegisterRepository: ...

    @property
    def party_screening(self) -> PartyScreeningRepository: ...

    @property
    def party_documents(self) -> PartyDocumentRepository: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None: ...

    def commit(self) -> None: ...

    def rollback(self) -> None: ...


UnitOfWorkFactory = Callable[[], UnitOfWork]
