"""Persistence of licences and shipments, each change written to the audit log in the same transaction."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session, selectinload

from workbench.domain.audit import Change
from workbench.domain.case import PartyRole
from workbench.domain.errors import DuplicateError, NotFoundError
from workbench.domain.licences import (
    Licence,
    LicenceItem,
    LicenceKind,
    LicenceParty,
    LicenceRepository,
    LineBalance,
    Shipment,
    UnitBasis,
    balances,
)
from workbench.store.audit import SqlAuditLog
from workbench.store.orm_licences import LicenceItemRow, LicencePartyRow, LicenceRow, LicenceShipmentRow


def licence_json(licence: Licence) -> dict[str, Any]:
    """The JSON-ready form of a licence, as recorded in the audit log."""
    return {
        "number": licence.number,
        "kind": licence.kind.value,
        "exception_symbol": licence.exception_symbol,
        "valid_from": licence.valid_from.isoformat(),
        "valid_until": licence.valid_until.isoformat() if licence.valid_until else None,
        "destination": licence.destination,
        "application_reference": licence.application_reference,
        "conditions": licence.conditions,
        "parties": [{"role": p.role.value, "name": p.name, "country": p.country} for p in licence.parties],
        "items": [
            {
                "line": i.line,
                "eccn": i.eccn,
                "description": i.description,
                "unit_basis": i.basis.value,
                "quantity_limit": None if i.quantity_limit is None else str(i.quantity_limit),
                "value_limit": None if i.value_limit is None else str(i.value_limit),
                "currency": i.currency,
            }
            for i in licence.items
        ],
    }


def _licence(row: LicenceRow) -> Licence:
    return Licence(
        number=row.number,
        kind=LicenceKind(row.kind),
        exception_symbol=row.exception_symbol,
        valid_from=row.valid_from,
        valid_until=row.valid_until,
        destination=row.destination,
        conditions=row.conditions,
        application_reference=row.application_reference,
        parties=tuple(LicenceParty(PartyRole(p.role), p.name, p.country) for p in row.parties),
        items=tuple(
            LicenceItem(
                line=i.line,
                eccn=i.eccn,
                description=i.description,
                quantity_limit=i.quantity_limit,
                value_limit=i.value_limit,
                currency=i.currency,
                unit_basis=UnitBasis(i.unit_basis),
            )
            for i in row.items
        ),
    )


def _shipment(row: LicenceShipmentRow, number: str) -> Shipment:
    return Shipment(
        licence_number=number,
        case_reference=row.case_reference,
        line=row.line,
        quantity=row.quantity,
        value=row.value,
        shipped_on=row.shipped_on,
        officer=row.officer,
        note=row.note,
    )


class SqlLicenceRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    def _row(self, number: str, *, for_update: bool = False) -> LicenceRow:
        key = number.strip().upper()
        query = (
            select(LicenceRow)
            .where(LicenceRow.number == key)
            .options(selectinload(LicenceRow.parties), selectinload(LicenceRow.items))
        )
        if for_update:
            # A no-op write takes the write lock before anything is read: SQLite ignores FOR UPDATE and
            # pysqlite begins a transaction only at the first write, so a read-then-write check would race.
            self._session.execute(update(LicenceRow).where(LicenceRow.number == key).values(number=LicenceRow.number))
            query = query.with_for_update(of=LicenceRow)
        row = self._session.scalars(query).one_or_none()
        if row is None:
            raise NotFoundError(f"No licence {number.strip().upper()} is recorded.", cli_hint="see 'license list'")
        return row

    def add(self, licence: Licence) -> Licence:
        exists = self._session.scalar(select(LicenceRow.id).where(LicenceRow.number == licence.number))
        if exists is not None:
            raise DuplicateError(f"Licence {licence.number} is recorded already; nothing was added.")
        row = LicenceRow(
            number=licence.number,
            kind=licence.kind.value,
            exception_symbol=licence.exception_symbol,
            valid_from=licence.valid_from,
            valid_until=licence.valid_until,
            destination=licence.destination,
            conditions=licence.conditions,
            application_reference=licence.application_reference,
            recorded_at=datetime.now(UTC),
            recorded_by=self._audit.officer,
            parties=[
                LicencePartyRow(position=i, role=p.role.value, name=p.name, country=p.country)
                for i, p in enumerate(licence.parties)
            ],
            items=[
                LicenceItemRow(
                    line=i.line,
                    eccn=i.eccn,
                    description=i.description,
                    unit_basis=i.basis.value,
                    quantity_limit=i.quantity_limit,
                    value_limit=i.value_limit,
                    currency=i.currency,
                )
                for i in licence.items
            ],
        )
        self._session.add(row)
        self._session.flush()
        self._audit.record("licence", licence.number, "create", [Change("", None, licence_json(licence))])
        return licence

    def get(self, number: str, *, for_update: bool = False) -> Licence:
        return _licence(self._row(number, for_update=for_update))

    def shipments(self, number: str | None = None, case_reference: str | None = None) -> list[Shipment]:
        query = select(LicenceShipmentRow, LicenceRow.number).join(
            LicenceRow, LicenceRow.id == LicenceShipmentRow.licence_id
        )
        if number is not None:
            query = query.where(LicenceRow.number == number.strip().upper())
        if case_reference is not None:
            query = query.where(LicenceShipmentRow.case_reference == case_reference)
        query = query.order_by(LicenceShipmentRow.shipped_on, LicenceShipmentRow.id)
        return [_shipment(row, num) for row, num in self._session.execute(query)]

    def balances(self, number: str) -> tuple[LineBalance, ...]:
        return balances(self.get(number), self.shipments(number))

    def record_shipment(self, shipment: Shipment) -> Shipment:
        """Store ``shipment`` and audit the line's new totals; the caller has checked it against the balance."""
        row = self._row(shipment.licence_number)
        before = {b.item.line: b for b in balances(_licence(row), self.shipments(shipment.licence_number))}
        if shipment.line not in before:
            raise NotFoundError(f"Licence {shipment.licence_number} has no item line {shipment.line}.")
        old = before[shipment.line]
        self._session.add(
            LicenceShipmentRow(
                licence_id=row.id,
                line=shipment.line,
                case_reference=shipment.case_reference,
                quantity=shipment.quantity,
                value=shipment.value,
                shipped_on=shipment.shipped_on,
                officer=shipment.officer,
                note=shipment.note,
                recorded_at=datetime.now(UTC),
            )
        )
        self._session.flush()
        new_q, new_v = old.shipped_quantity + shipment.quantity, old.shipped_value + shipment.value
        self._audit.record(
            "licence",
            shipment.licence_number,
            "ship",
            [
                Change(f"items[{shipment.line}].shipped_quantity", _num(old.shipped_quantity), _num(new_q)),
                Change(f"items[{shipment.line}].shipped_value", _num(old.shipped_value), _num(new_v)),
            ],
            reason=f"shipment for case {shipment.case_reference} on {shipment.shipped_on.isoformat()}"
            + (f": {shipment.note}" if shipment.note else ""),
        )
        return shipment

    # Last, so that ``list`` in the annotations above still names the builtin.
    def list(self) -> list[Licence]:
        rows = self._session.scalars(
            select(LicenceRow)
            .order_by(LicenceRow.number)
            .options(selectinload(LicenceRow.parties), selectinload(LicenceRow.items))
        )
        licences = [_licence(r) for r in rows]
        return sorted(licences, key=lambda lic: (lic.valid_until or date.max, lic.number))


def _num(value: Decimal) -> str:
    return format(value, "f")


if TYPE_CHECKING:
    _conforms: type[LicenceRepository] = SqlLicenceRepository
