"""Unit of work: one session, one transaction, rolled back unless committed."""

from __future__ import annotations

from types import TracebackType

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from workbench.domain.errors import ConflictError, WorkbenchError
from workbench.store.audit import Clock, SqlAuditLog
from workbench.store.determinations import SqlDeterminationRepository
from workbench.store.licences import SqlLicenceRepository
from workbench.store.party_documents import SqlPartyDocumentRepository
from workbench.store.products import SqlProductRepository
from workbench.store.register import SqlRegisterRepository
from workbench.store.register_screening import SqlPartyScreeningRepository
from workbench.store.repositories import SqlCaseRepository
from workbench.store.rulepacks import SqlRulePackRepository
from workbench.store.screening import SqlListRepository, SqlScreeningRepository


class DatabaseBusyError(WorkbenchError):
    """Another process holds a lock on the database for longer than we wait."""


class DiskFullError(WorkbenchError):
    """The database could not grow: the disk (or its quota) is full."""


def is_unique_violation(exc: IntegrityError) -> bool:
    """A duplicate key, as a race between two writers produces (not a foreign-key or NOT NULL breach)."""
    if getattr(exc.orig, "sqlstate", None) == "23505":  # PostgreSQL unique_violation
        return True
    return "unique constraint failed" in str(exc.orig).lower()  # SQLite


class SqlUnitOfWork:
    def __init__(self, session_factory: sessionmaker[Session], officer: str, clock: Clock | None = None) -> None:
        self._session_factory = session_factory
        self._session: Session | None = None
        self._officer = officer
        self._clock = clock

    def __enter__(self) -> SqlUnitOfWork:
        self._session = self._session_factory()
        self._audit = SqlAuditLog(self._session, self._officer, self._clock)
        self._cases = SqlCaseRepository(self._session, self._audit)
        self._lists = SqlListRepository(self._session)
        self._screening = SqlScreeningRepository(self._session)
        self._determinations = SqlDeterminationRepository(self._session, self._audit)
        self._licences = SqlLicenceRepository(self._session, self._audit)
        self._rule_packs = SqlRulePackRepository(self._session, self._audit)
        self._products = SqlProductRepository(self._session, self._audit)
        self._register = SqlRegisterRepository(self._session, self._audit)
        self._party_screening = SqlPartyScreeningRepository(self._session)
        self._party_documents = SqlPartyDocumentRepository(self._session, self._audit)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        assert self._session is not None
        try:
            self._session.rollback()
        finally:
            self._session.close()
            self._session = None
        if isinstance(exc, StaleDataError):
            raise ConflictError(
                "Someone else saved this case at the same moment; reload it and apply your changes again."
            ) from exc
        if isinstance(exc, IntegrityError) and is_unique_violation(exc):
            raise ConflictError(
                "Someone else recorded the same thing at the same moment (for example the same decision on a "
                "screening hit); nothing of yours was saved: reload and check before trying again."
            ) from exc
        if isinstance(exc, OperationalError) and "disk is full" in str(exc.orig).lower():
            raise DiskFullError(
                "The disk is full: the change could not be written and nothing was saved; "
                "free some space and try again."
            ) from exc
        if isinstance(exc, OperationalError) and "locked" in str(exc.orig).lower():
            raise DatabaseBusyError(
                "The database is locked by another program (another workbench window or a backup); "
                "wait a moment and try again."
            ) from exc

    @property
    def cases(self) -> SqlCaseRepository:
        return self._cases

    @property
    def audit(self) -> SqlAuditLog:
        return self._audit

    @property
    def lists(self) -> SqlListRepository:
        return self._lists

    @property
    def screening(self) -> SqlScreeningRepository:
        return self._screening

    @property
    def determinations(self) -> SqlDeterminationRepository:
        return self._determinations

    @property
    def licences(self) -> SqlLicenceRepository:
        return self._licences

    @property
    def rule_packs(self) -> SqlRulePackRepository:
        return self._rule_packs

    @property
    def products(self) -> SqlProductRepository:
        return self._products

    @property
    def register(self) -> SqlRegisterRepository:
        return self._register

    @property
    def party_screening(self) -> SqlPartyScreeningRepository:
        return self._party_screening

    @property
    def party_documents(self) -> SqlPartyDocumentRepository:
        return self._party_documents

    @property
    def session(self) -> Session:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'with' block")
        return self._session

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError as exc:
            raise ConflictError(
                "Someone else saved this case at the same moment; reload it and apply your changes again."
            ) from exc

    def rollback(self) -> None:
        self.session.rollback()
