"""The hash-chained audit log, written in the same transaction as the change it records.

Each entry's hash covers its own fields and the previous entry's hash, so an
edited, deleted or inserted row breaks the chain at that point. A one-row head
table holds the last sequence number and hash; appenders update it first, which
serialises them on SQLite and PostgreSQL alike and lets ``verify`` notice a
truncated tail.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from workbench.domain.audit import AuditEntry, ChainReport, Change
from workbench.store.orm import AuditEntryRow, AuditHeadRow

GENESIS = "0" * 64
Clock = Callable[[], datetime]


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def entry_hash(row: AuditEntryRow) -> str:
    payload = {
        "seq": row.seq,
        "at": row.at,
        "officer": row.officer,
        "entity": row.entity,
        "entity_key": row.entity_key,
        "action": row.action,
        "field": row.field,
        "before": row.before,
        "after": row.after,
        "reason": row.reason,
        "prev_hash": row.prev_hash,
    }
    return _payload_hash(payload)


def _payload_hash(payload: dict[str, Any]) -> str:
    """The hash of one entry's fields (everything but the hash itself) and the previous hash."""
    canonical = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _entry(row: AuditEntryRow) -> AuditEntry:
    return AuditEntry(
        seq=row.seq,
        at=row.at,
        officer=row.officer,
        entity=row.entity,
        entity_key=row.entity_key,
        action=row.action,
        field=row.field,
        before=json.loads(row.before) if row.before is not None else None,
        after=json.loads(row.after) if row.after is not None else None,
        reason=row.reason,
        prev_hash=row.prev_hash,
        hash=row.hash,
    )


class SqlAuditLog:
    def __init__(self, session: Session, officer: str, clock: Clock | None = None) -> None:
        self._session = session
        self.officer = officer
        self._clock = clock or (lambda: datetime.now(UTC))

    def record(
        self,
        entity: str,
        entity_key: str,
        action: str,
        changes: Sequence[Change] = (),
        reason: str = "",
    ) -> None:
        """Append one entry per change (one entry with no field when ``changes`` is empty)."""
        items = list(changes) or [Change("")]
        # Taking the head row's write lock first serialises concurrent appenders.
        self._session.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + len(items))
        )
        head_seq, prev = self._session.execute(
            select(AuditHeadRow.seq, AuditHeadRow.last_hash).where(AuditHeadRow.id == 1)
        ).one()
        seq = head_seq - len(items)
        at = self._clock().astimezone(UTC).isoformat(timespec="microseconds")
        for change in items:
            seq += 1
            row = AuditEntryRow(
                seq=seq,
                at=at,
                officer=self.officer,
                entity=entity,
                entity_key=entity_key,
                action=action,
                field=change.field,
                before=_json(change.before),
                after=_json(change.after),
                reason=reason,
                prev_hash=prev,
            )
            row.hash = entry_hash(row)
            prev = row.hash
            self._session.add(row)
        self._session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(last_hash=prev))
        self._session.flush()

    def record_many(self, entries: Sequence[tuple[str, str, str, Sequence[Change], str]]) -> None:
        """Append many entries at once, each ``(entity, entity_key, action, changes, reason)`` as for ``record``.

        The same chain as ``record`` writes, with the head taken once: a bulk import of thousands
        of records is audited in one statement instead of four each.
        """
        flat = [
            (entity, key, action, change, reason)
            for entity, key, action, changes, reason in entries
            for change in (list(changes) or [Change("")])
        ]
        if not flat:
            return
        self._session.execute(
            update(AuditHeadRow).where(AuditHeadRow.id == 1).values(seq=AuditHeadRow.seq + len(flat))
        )
        head_seq, prev = self._session.execute(
            select(AuditHeadRow.seq, AuditHeadRow.last_hash).where(AuditHeadRow.id == 1)
        ).one()
        seq = head_seq - len(flat)
        at = self._clock().astimezone(UTC).isoformat(timespec="microseconds")
        rows = []
        for entity, key, action, change, reason in flat:
            seq += 1
            values: dict[str, Any] = {
                "seq": seq,
                "at": at,
                "officer": self.officer,
                "entity": entity,
                "entity_key": key,
                "action": action,
                "field": change.field,
                "before": _json(change.before),
                "after": _json(change.after),
                "reason": reason,
                "prev_hash": prev,
            }
            prev = _payload_hash(values)
            rows.append({**values, "hash": prev})
        table = AuditEntryRow.metadata.tables[AuditEntryRow.__tablename__]
        for start in range(0, len(rows), 1000):
            self._session.execute(insert(table), rows[start : start + 1000])
        self._session.execute(update(AuditHeadRow).where(AuditHeadRow.id == 1).values(last_hash=prev))

    def history(self, entity: str, entity_key: str) -> list[AuditEntry]:
        rows = self._session.scalars(
            select(AuditEntryRow)
            .where(AuditEntryRow.entity == entity, AuditEntryRow.entity_key == entity_key)
            .order_by(AuditEntryRow.seq)
        )
        return [_entry(r) for r in rows]

    def entries_for(self, entity_keys: Sequence[tuple[str, str]]) -> list[AuditEntry]:
        rows: list[AuditEntry] = []
        for entity, key in entity_keys:
            rows.extend(self.history(entity, key))
        return sorted(rows, key=lambda e: e.seq)

    def verify(self) -> ChainReport:
        """Walk the chain in order; report the first entry that was edited, deleted or inserted."""
        rows = self._session.scalars(
            select(AuditEntryRow).order_by(AuditEntryRow.seq, AuditEntryRow.id).execution_options(yield_per=2000)
        )
        try:
            return self._walk(rows)
        finally:
            rows.close()

    def _walk(self, rows: Iterable[AuditEntryRow]) -> ChainReport:
        prev = GENESIS
        expected = 1
        count = 0
        for row in rows:
            count += 1
            if row.seq != expected:
                kind = "missing (deleted)" if row.seq > expected else "duplicated (inserted)"
                return ChainReport(False, count, expected, f"entry {expected} is {kind}; the chain breaks there")
            if row.prev_hash != prev:
                return ChainReport(
                    False, count, row.seq, f"entry {row.seq} does not follow entry {row.seq - 1} (deleted or inserted)"
                )
            if entry_hash(row) != row.hash:
                return ChainReport(
                    False,
                    count,
                    row.seq,
                    f"entry {row.seq} ({row.entity} {row.entity_key} {row.field or row.action}, {row.at}) "
                    "was altered, or inserted, after the chain was written",
                )
            prev = row.hash
            expected += 1
        head_seq, head_hash = self._session.execute(
            select(AuditHeadRow.seq, AuditHeadRow.last_hash).where(AuditHeadRow.id == 1)
        ).one()
        if head_seq != expected - 1 or head_hash != prev:
            return ChainReport(
                False, count, expected, f"entries after {expected - 1} were deleted (the log should end at {head_seq})"
            )
        return ChainReport(True, count)
