"""Use cases for licences: record one from a JSON file, list them with balances, ship against them,
warn before expiry, and check a case with the licences that may cover it.

Licence files use the ``workbench-licence/1`` format: pydantic checks the shape, the domain
the meaning, and every error names the file and the JSON path.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.case import Case, PartyRole
from workbench.domain.determination import Determination, Posture
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.licences import (
    Licence,
    LicenceItem,
    LicenceKind,
    LicenceParty,
    LicenceRepository,
    LineBalance,
    Shipment,
    UnitBasis,
    amount,
    balances,
    check_shipment,
    scope_problems,
)
from workbench.domain.ports import UnitOfWork
from workbench.export.jsonfiles import domain_error, load_json_object, located, read_input_file, validate
from workbench.rules.coverage import gaps
from workbench.services.bootstrap import Workbench
from workbench.services.checks import check

FORMAT: Final = "workbench-licence/1"
MAX_FILE_BYTES: Final = 2 * 1024 * 1024
EXPIRY_WARNING_DAYS: Final = 30


class ShipmentRefusedError(WorkbenchError):
    """The shipment would break the licence (limits, dates, destination, parties); nothing was recorded."""


# --- the licence file -------------------------------------------------------------------------------


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class LicencePartyModel(_Model):
    role: PartyRole
    name: str = Field(min_length=1)
    country: str


class LicenceItemModel(_Model):
    line: int = Field(ge=1)
    eccn: str
    description: str = Field(min_length=1)
    quantity: Decimal | None = Field(default=None, ge=0, description="licensed quantity (units); null if none")
    value: Decimal | None = Field(default=None, ge=0, description="licensed value; null if none")
    currency: str = "USD"
    unit_basis: UnitBasis | None = Field(
        default=None,
        description="the CCL 'Unit' of the ECCN: number or dollar_value (default: number when a quantity is given)",
    )


class LicenceFileModel(_Model):
    """A granted licence, or a licence exception relied on, as recorded in the workbench."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Workbench licence file")

    format: Literal["workbench-licence/1"]
    number: str
    kind: LicenceKind = LicenceKind.LICENCE
    exception_symbol: str | None = None
    application_reference: str = ""
    valid_from: date
    valid_until: date | None = None
    destination: str
    parties: list[LicencePartyModel] = Field(min_length=1)
    items: list[LicenceItemModel] = Field(min_length=1)
    conditions: str = ""


def json_schema() -> dict[str, Any]:
    schema = LicenceFileModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://workbench.invalid/schemas/licence-1.schema.json"
    return schema


def model_to_licence(model: LicenceFileModel) -> Licence:
    parties = tuple(
        located(f"$.parties[{i}]", LicenceParty, role=p.role, name=p.name, country=p.country)
        for i, p in enumerate(model.parties)
    )
    items = tuple(
        located(
            f"$.items[{i}]",
            LicenceItem,
            line=it.line,
            eccn=it.eccn,
            description=it.description,
            quantity_limit=it.quantity,
            value_limit=it.value,
            currency=it.currency,
            unit_basis=it.unit_basis,
        )
        for i, it in enumerate(model.items)
    )
    licence: Licence = located(
        "$",
        Licence,
        number=model.number,
        kind=model.kind,
        exception_symbol=model.exception_symbol,
        application_reference=model.application_reference,
        valid_from=model.valid_from,
        valid_until=model.valid_until,
        destination=model.destination,
        parties=parties,
        items=items,
        conditions=model.conditions,
    )
    return licence


def parse_licence_json(data: bytes | str, source: str = "licence file") -> Licence:
    """Parse a licence file's content; ``source`` names it in error messages."""
    model = validate(LicenceFileModel, load_json_object(data, source, "licence file"), source, "licence file")
    try:
        return model_to_licence(model)
    except ValidationError as exc:
        raise domain_error(source, exc) from None


def read_licence_file(path: Path) -> Licence:
    return parse_licence_json(read_input_file(path, "licence file", MAX_FILE_BYTES), str(path))


# --- use cases -------------------------------------------------------------------------------------


def _licences(uow: UnitOfWork) -> LicenceRepository:
    return uow.licences


@dataclass(frozen=True, slots=True)
class LicenceStatus:
    """A licence with what is left on it and what the officer should know on ``as_of``."""

    licence: Licence
    balances: tuple[LineBalance, ...]
    shipments: tuple[Shipment, ...]
    as_of: date
    warnings: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return self.licence.valid_on(self.as_of)


@dataclass(frozen=True, slots=True)
class ShipmentResult:
    shipment: Shipment
    balance: LineBalance
    """The line's balance after the shipment."""
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LicenceCheck:
    """The engine's determination with licence coverage, and why other licences do not cover the case."""

    determination: Determination
    gaps: tuple[str, ...]


def record_licence(wb: Workbench, licence: Licence) -> Licence:
    with wb.uow() as uow:
        stored = _licences(uow).add(licence)
        uow.commit()
        return stored


def record_licence_file(wb: Workbench, path: Path) -> Licence:
    """Validate a licence file completely, then record it (and its audit entry) in one transaction."""
    return record_licence(wb, read_licence_file(path))


def _status(licence: Licence, shipments: list[Shipment], day: date, warn_days: int) -> LicenceStatus:
    warnings = []
    expiry = licence.expiry_warning(day, warn_days)
    if expiry:
        warnings.append(expiry)
    lines = balances(licence, shipments)
    for b in lines:
        if b.exhausted:
            warnings.append(f"{licence.label} item {b.item.line} is fully shipped")
    return LicenceStatus(licence, lines, tuple(shipments), day, tuple(warnings))


def list_licences(
    wb: Workbench, *, as_of: date | None = None, warn_days: int = EXPIRY_WARNING_DAYS
) -> list[LicenceStatus]:
    """Every licence, soonest expiry first, with balances and warnings (expiry within ``warn_days``)."""
    day = as_of or date.today()
    with wb.uow() as uow:
        repo = _licences(uow)
        shipments = repo.shipments()
        return [
            _status(lic, [s for s in shipments if s.licence_number == lic.number], day, warn_days)
            for lic in repo.list()
        ]


def get_licence(
    wb: Workbench, number: str, *, as_of: date | None = None, warn_days: int = EXPIRY_WARNING_DAYS
) -> LicenceStatus:
    with wb.uow() as uow:
        repo = _licences(uow)
        licence = repo.get(number)
        return _status(licence, repo.shipments(licence.number), as_of or date.today(), warn_days)


def expiry_warnings(wb: Workbench, *, as_of: date | None = None, within_days: int = EXPIRY_WARNING_DAYS) -> list[str]:
    """Warnings for licences that expire within ``within_days`` of ``as_of`` (today by default)."""
    day = as_of or date.today()
    with wb.uow() as uow:
        found = (lic.expiry_warning(day, within_days) for lic in _licences(uow).list())
        return [w for w in found if w]


def _line(licence: Licence, line: int | None) -> int:
    if line is not None:
        return licence.item(line).line
    if len(licence.items) == 1:
        return licence.items[0].line
    lines = ", ".join(str(i.line) for i in licence.items)
    raise ValidationError("item", f"{licence.label} has several item lines ({lines}); say which one ships")


def _case_warnings(case: Case, licence: Licence, line: int, shipments: list[Shipment]) -> list[str]:
    eccn = licence.item(line).eccn
    ordered = sum((i.quantity for i in case.items if i.eccn == eccn), Decimal(0))
    shipped = sum((s.quantity for s in shipments if s.case_reference == case.reference and s.line == line), Decimal(0))
    if shipped > ordered:
        return [
            f"{case.reference} has {amount(ordered)} units of {eccn}; shipments for it under {licence.label} "
            f"now total {amount(shipped)}"
        ]
    return []


def ship(
    wb: Workbench,
    number: str,
    reference: str,
    *,
    quantity: Decimal,
    value: Decimal,
    line: int | None = None,
    shipped_on: date | None = None,
    note: str = "",
    warn_days: int = EXPIRY_WARNING_DAYS,
) -> ShipmentResult:
    """Record a shipment of case ``reference`` under licence ``number``, or refuse it with the reason.

    Refused: a date outside the licence's validity, another destination, a case party the licence
    does not name, an ECCN the case does not ship, or more than the line's balance allows under
    the §750.11 tolerances. The licence row is locked while the balance is checked and decremented.
    """
    day = shipped_on or date.today()
    with wb.uow() as uow:
        repo = _licences(uow)
        licence = repo.get(number, for_update=True)
        case = uow.cases.get(reference)
        line_no = _line(licence, line)
        shipment = Shipment(licence.number, case.reference, line_no, quantity, value, day, wb.officer, note)
        item = licence.item(line_no)
        problems = scope_problems(licence, case, day)
        if not any(i.eccn == item.eccn for i in case.items):
            problems.append(f"{case.reference} has no item classified {item.eccn} (licence item {line_no})")
        if problems:
            raise ShipmentRefusedError(f"Shipment refused: {'; '.join(problems)}. Nothing was recorded.")
        shipments = repo.shipments(licence.number)
        before = next(b for b in balances(licence, shipments) if b.item.line == line_no)
        verdict = check_shipment(licence, before, shipment.quantity, shipment.value)
        if not verdict.allowed:
            raise ShipmentRefusedError(" ".join(verdict.refusals) + " Nothing was recorded.")
        repo.record_shipment(shipment)
        uow.commit()
    warnings = list(verdict.warnings)
    expiry = licence.expiry_warning(day, warn_days)
    if expiry:
        warnings.append(expiry)
    warnings.extend(_case_warnings(case, licence, line_no, [*shipments, shipment]))
    return ShipmentResult(shipment, before.after(shipment.quantity, shipment.value), tuple(warnings))


def check_with_licences(
    wb: Workbench, reference: str, as_of: date | None = None, posture: Posture = Posture.ENFORCED
) -> LicenceCheck:
    """Run the rule engine on a stored case and mark the requirements the recorded licences cover."""
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        repo = _licences(uow)
        licences = repo.list()
        shipments = repo.shipments()
    determination = check(wb, case, stored=True, as_of=as_of, posture=posture)
    return LicenceCheck(determination, tuple(gaps(case, licences, determination.as_of, shipments)))


def licence_to_json(status: LicenceStatus) -> dict[str, Any]:
    """The ``license list --json`` shape of one licence."""
    lic = status.licence

    def num(value: Decimal | None) -> str | None:
        return None if value is None else format(value, "f")

    return {
        "number": lic.number,
        "kind": lic.kind.value,
        "exception_symbol": lic.exception_symbol,
        "valid_from": lic.valid_from.isoformat(),
        "valid_until": lic.valid_until.isoformat() if lic.valid_until else None,
        "valid": status.valid,
        "destination": lic.destination,
        "parties": [{"role": p.role.value, "name": p.name, "country": p.country} for p in lic.parties],
        "items": [
            {
                "line": b.item.line,
                "eccn": b.item.eccn,
                "description": b.item.description,
                "unit_basis": b.item.basis.value,
                "currency": b.item.currency,
                "quantity_limit": num(b.item.quantity_limit),
                "value_limit": num(b.item.value_limit),
                "shipped_quantity": num(b.shipped_quantity),
                "shipped_value": num(b.shipped_value),
                "remaining_quantity": num(b.remaining_quantity),
                "remaining_value": num(b.remaining_value),
                "remaining_value_with_tolerance": num(b.remaining_value_with_tolerance),
            }
            for b in status.balances
        ],
        "conditions": lic.conditions,
        "warnings": list(status.warnings),
    }
