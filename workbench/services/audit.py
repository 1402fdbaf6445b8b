"""Use cases over the audit trail: a case's history and the chain's integrity."""

from __future__ import annotations

from workbench.domain.audit import AuditEntry, ChainReport
from workbench.services.bootstrap import Workbench


def case_history(wb: Workbench, reference: str) -> list[AuditEntry]:
    """Every recorded change to the case, oldest first (the case itself need not exist any more)."""
    with wb.uow() as uow:
        return uow.audit.history("case", reference)


def verify_audit_chain(wb: Workbench) -> ChainReport:
    with wb.uow() as uow:
        return uow.audit.verify()
