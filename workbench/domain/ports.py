"""What the services need from persistence, as protocols the store implements.

Services type against these, so they never import SQLAlchemy and unit tests can
use in-memory fakes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Protocol

from workbench.domain.audit import AuditEntry, ChainReport, Change
from workbench.domain.case import Case, CaseStatus, CaseSummary


class CaseRepository(Protocol):
    def get(self, reference: str) -> Case:
        """Return the case or raise ``NotFoundError``."""

    def exists(self, reference: str) -> bool: ...

    def add(self, case: Case) -> Case:
        """Store a new case (``DuplicateError`` if the reference is taken); return it with its version."""

    def save(self, case: Case) -> Case:
        """Update a stored case; ``ConflictError`` if ``case.version`` is stale."""

    def delete(self, reference: str) -> None: ...

    def references(self) -> list[str]: ...

    def count(self, search: str = "", statuses: tuple[CaseStatus, ...] = ()) -> int: ...

    def summaries(
        self,
        search: str = "",
        statuses: tuple[CaseStatus, ...] = (),
        *,
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


class UnitOfWork(Protocol):
    """One transaction: nothing is written unless ``commit`` is called."""

    @property
    def cases(self) -> CaseRepository: ...

    @property
    def audit(self) -> AuditLog: ...

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
