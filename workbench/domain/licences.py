"""Granted licences, licence exceptions used, shipments against them, and §750.11 shipping tolerances.

A licence authorises named parties, a destination and item lines (ECCN with a quantity
and/or value limit) between two dates; every shipment decrements a line. The decrement
rule is a pure function (``check_shipment``) so the store, the services and the rule
engine's coverage check all apply the same arithmetic.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Protocol

import pycountry

from workbench.domain.case import MAX_DECIMAL_PLACES, MAX_ITEM_VALUE, Case, PartyRole, validate_reference
from workbench.domain.countries import country_code, country_name
from workbench.domain.eccn import normalise_eccn
from workbench.domain.errors import ValidationError
from workbench.domain.validation import bounded_decimal
from workbench.domain.validation import text as _text

MAX_LICENCE_AMOUNT = MAX_ITEM_VALUE
"""A licence line's quantity or value, and a shipment's: the bound of a case line's total."""

VALUE_TOLERANCE = Decimal("0.25")
"""§750.11(b)(2): shipments under a "Number" licence may exceed its dollar value by up to 25%."""

_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,39}$")
_SYMBOL = re.compile(r"^[A-Z]{3}$")
_ZERO = Decimal(0)


class LicenceKind(StrEnum):
    LICENCE = "licence"
    """A licence granted by BIS (number such as D123456)."""
    LICENCE_EXCEPTION = "licence_exception"
    """A licence exception the officer relies on (e.g. NAC after notification), recorded like a licence."""


class UnitBasis(StrEnum):
    """The CCL "Unit" the line is licensed in, which decides the §750.11 tolerance."""

    NUMBER = "number"
    DOLLAR_VALUE = "dollar_value"


def _decimal(value: object, name: str, *, optional: bool = False) -> Decimal | None:
    if value is None:
        if optional:
            return None
        raise ValidationError(name, "is required")
    if isinstance(value, float | bool):
        raise ValidationError(name, "must be an exact number (give it as an integer or decimal text)")
    return bounded_decimal(value, name, maximum=MAX_LICENCE_AMOUNT, places=MAX_DECIMAL_PLACES)


def _currency(value: object) -> str:
    code = str(value).strip().upper()
    if pycountry.currencies.get(alpha_3=code) is None:
        raise ValidationError("currency", f"'{value}' is not an ISO 4217 currency code, e.g. USD")
    return code


def name_key(name: str) -> str:
    """Compare party names ignoring case, punctuation and spacing ("Sdn. Bhd." = "sdn bhd")."""
    return " ".join("".join(ch if ch.isalnum() else " " for ch in name.casefold()).split())


def money(value: Decimal, currency: str = "") -> str:
    text = f"{value:,.2f}" if value != value.to_integral_value() else f"{value:,.0f}"
    return f"{currency} {text}".strip()


def amount(value: Decimal) -> str:
    """A quantity without trailing zeros: 64, 2.5, 1,000."""
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True, slots=True)
class LicenceParty:
    role: PartyRole
    name: str
    country: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", PartyRole(self.role))
        object.__setattr__(self, "name", _text(self.name, "name"))
        object.__setattr__(self, "country", country_code(self.country, "country"))


@dataclass(frozen=True, slots=True)
class LicenceItem:
    line: int
    """1-based line number on the licence."""
    eccn: str
    description: str
    quantity_limit: Decimal | None = None
    value_limit: Decimal | None = None
    currency: str = "USD"
    unit_basis: UnitBasis | None = None
    """Default: ``number`` when a quantity is licensed, else ``dollar_value``."""

    def __post_init__(self) -> None:
        if not isinstance(self.line, int) or isinstance(self.line, bool) or self.line < 1:
            raise ValidationError("line", f"must be a whole number from 1 (got {self.line!r})")
        eccn = normalise_eccn(self.eccn)
        if eccn is None:
            raise ValidationError("eccn", "a licensed item needs its ECCN (or EAR99)")
        object.__setattr__(self, "eccn", eccn)
        object.__setattr__(self, "description", _text(self.description, "description", max_len=2000))
        object.__setattr__(self, "quantity_limit", _decimal(self.quantity_limit, "quantity_limit", optional=True))
        object.__setattr__(self, "value_limit", _decimal(self.value_limit, "value_limit", optional=True))
        object.__setattr__(self, "currency", _currency(self.currency))
        basis = self.unit_basis
        if basis is None:
            basis = UnitBasis.NUMBER if self.quantity_limit is not None else UnitBasis.DOLLAR_VALUE
        object.__setattr__(self, "unit_basis", UnitBasis(basis))
        if self.basis is UnitBasis.NUMBER and self.quantity_limit is None and self.value_limit is not None:
            raise ValidationError("quantity_limit", "a line licensed in Number needs the licensed quantity")
        if self.basis is UnitBasis.DOLLAR_VALUE and self.value_limit is None and self.quantity_limit is not None:
            raise ValidationError("value_limit", "a line licensed in $ value needs the licensed dollar value")

    @property
    def basis(self) -> UnitBasis:
        assert self.unit_basis is not None
        return self.unit_basis

    @property
    def limited(self) -> bool:
        return self.quantity_limit is not None or self.value_limit is not None


@dataclass(frozen=True, slots=True)
class Licence:
    number: str
    kind: LicenceKind
    valid_from: date
    valid_until: date | None
    destination: str
    parties: tuple[LicenceParty, ...]
    items: tuple[LicenceItem, ...]
    conditions: str = ""
    exception_symbol: str | None = None
    """For ``licence_exception``: the Part 740 symbol, e.g. NAC, ACA, LPP."""
    application_reference: str = ""
    """The SNAP-R application control number the licence was granted on, if known."""

    def __post_init__(self) -> None:
        number = _text(self.number, "number", max_len=40).upper()
        if not _NUMBER.match(number):
            raise ValidationError("number", f"'{number}' is not a licence number; use letters, digits and - _ . /")
        object.__setattr__(self, "number", number)
        object.__setattr__(self, "kind", LicenceKind(self.kind))
        object.__setattr__(self, "destination", country_code(self.destination, "destination"))
        object.__setattr__(self, "conditions", _text(self.conditions, "conditions", required=False, max_len=8000))
        object.__setattr__(
            self, "application_reference", _text(self.application_reference, "application_reference", required=False)
        )
        for name in ("valid_from", "valid_until"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, date):
                raise ValidationError(name, "must be a date (YYYY-MM-DD)")
        if self.valid_until is not None and self.valid_until < self.valid_from:
            raise ValidationError("valid_until", f"the licence expires ({self.valid_until}) before it is valid")
        symbol = (self.exception_symbol or "").strip().upper() or None
        if self.kind is LicenceKind.LICENCE_EXCEPTION:
            if symbol is None or not _SYMBOL.match(symbol):
                raise ValidationError("exception_symbol", "give the three-letter licence exception symbol, e.g. NAC")
        else:
            if symbol is not None:
                raise ValidationError("exception_symbol", "only a licence exception has an exception symbol")
            if self.valid_until is None:
                raise ValidationError("valid_until", "a licence has an expiry date; copy it from the licence")
        object.__setattr__(self, "exception_symbol", symbol)
        object.__setattr__(self, "parties", tuple(self.parties))
        object.__setattr__(self, "items", tuple(self.items))
        if not self.items:
            raise ValidationError("items", "a licence authorises at least one item line")
        lines = [i.line for i in self.items]
        if len(set(lines)) != len(lines):
            raise ValidationError("items", "two item lines have the same line number")
        for i, item in enumerate(self.items):
            if self.kind is LicenceKind.LICENCE and not item.limited:
                raise ValidationError(f"items[{i}]", "a licence line states a quantity and/or a value limit")
        if not self.parties_in(PartyRole.ULTIMATE_CONSIGNEE, PartyRole.END_USER):
            raise ValidationError("parties", "the licence must name its ultimate consignee or end user")

    @property
    def label(self) -> str:
        if self.kind is LicenceKind.LICENCE_EXCEPTION:
            return f"License Exception {self.exception_symbol} ({self.number})"
        return f"licence {self.number}"

    def parties_in(self, *roles: PartyRole) -> tuple[LicenceParty, ...]:
        return tuple(p for p in self.parties if p.role in roles)

    def item(self, line: int) -> LicenceItem:
        for item in self.items:
            if item.line == line:
                return item
        lines = ", ".join(str(i.line) for i in self.items)
        raise ValidationError("item", f"{self.label} has no item line {line}; its lines are {lines}")

    def valid_on(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)

    def validity_problem(self, day: date) -> str | None:
        if day < self.valid_from:
            return f"{self.label} is valid only from {self.valid_from.isoformat()}"
        if self.valid_until is not None and day > self.valid_until:
            return f"{self.label} expired on {self.valid_until.isoformat()}"
        return None

    def expiry_warning(self, day: date, within_days: int) -> str | None:
        """A warning when the licence expires within ``within_days`` of ``day`` (None otherwise)."""
        if self.valid_until is None or day > self.valid_until:
            return None
        left = (self.valid_until - day).days
        if left > within_days:
            return None
        when = "today" if left == 0 else f"in {left} day{'s' if left != 1 else ''}"
        return f"{self.label} expires {when} ({self.valid_until.isoformat()}); ship before then or apply for a new one"


@dataclass(frozen=True, slots=True)
class Shipment:
    licence_number: str
    case_reference: str
    line: int
    quantity: Decimal
    value: Decimal
    shipped_on: date
    officer: str
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "licence_number", _text(self.licence_number, "licence", max_len=40).upper())
        object.__setattr__(self, "case_reference", validate_reference(self.case_reference))
        if not isinstance(self.line, int) or self.line < 1:
            raise ValidationError("item", f"must be a licence line number from 1 (got {self.line!r})")
        quantity = _decimal(self.quantity, "quantity")
        value = _decimal(self.value, "value")
        assert quantity is not None and value is not None
        if quantity == 0 and value == 0:
            raise ValidationError("quantity", "a shipment ships something: give a quantity and/or a value above 0")
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "value", value)
        if not isinstance(self.shipped_on, date):
            raise ValidationError("date", "must be a date (YYYY-MM-DD)")
        object.__setattr__(self, "officer", _text(self.officer, "officer", max_len=200))
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=2000))


@dataclass(frozen=True, slots=True)
class LineBalance:
    """What is licensed, shipped and left on one licence line."""

    item: LicenceItem
    shipped_quantity: Decimal = _ZERO
    shipped_value: Decimal = _ZERO

    @property
    def remaining_quantity(self) -> Decimal | None:
        limit = self.item.quantity_limit
        return None if limit is None else max(limit - self.shipped_quantity, _ZERO)

    @property
    def value_ceiling(self) -> Decimal | None:
        """The most the shipments may be worth in total, tolerance included (§750.11(b))."""
        limit = self.item.value_limit
        if limit is None:
            return None
        return limit if self.item.basis is UnitBasis.DOLLAR_VALUE else limit * (1 + VALUE_TOLERANCE)

    @property
    def remaining_value(self) -> Decimal | None:
        """Value left before the licensed value (without tolerance) is used up."""
        limit = self.item.value_limit
        return None if limit is None else max(limit - self.shipped_value, _ZERO)

    @property
    def remaining_value_with_tolerance(self) -> Decimal | None:
        ceiling = self.value_ceiling
        return None if ceiling is None else max(ceiling - self.shipped_value, _ZERO)

    @property
    def exhausted(self) -> bool:
        """§750.11(a)(1): once the full licensed amount is shipped, nothing more may ship on the line."""
        item = self.item
        if item.quantity_limit is not None and self.shipped_quantity >= item.quantity_limit:
            return True
        return (
            item.basis is UnitBasis.DOLLAR_VALUE
            and item.value_limit is not None
            and self.shipped_value >= item.value_limit
        )

    def after(self, quantity: Decimal, value: Decimal) -> LineBalance:
        return LineBalance(self.item, self.shipped_quantity + quantity, self.shipped_value + value)


def balances(licence: Licence, shipments: Iterable[Shipment]) -> tuple[LineBalance, ...]:
    """Balances of every line of ``licence`` after ``shipments`` (others' shipments are ignored)."""
    shipped: dict[int, tuple[Decimal, Decimal]] = {}
    for s in shipments:
        if s.licence_number != licence.number:
            continue
        q, v = shipped.get(s.line, (_ZERO, _ZERO))
        shipped[s.line] = (q + s.quantity, v + s.value)
    return tuple(LineBalance(i, *shipped.get(i.line, (_ZERO, _ZERO))) for i in licence.items)


@dataclass(frozen=True, slots=True)
class ShipmentCheck:
    refusals: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()

    @property
    def allowed(self) -> bool:
        return not self.refusals


def check_shipment(licence: Licence, balance: LineBalance, quantity: Decimal, value: Decimal) -> ShipmentCheck:
    """Whether ``quantity`` units worth ``value`` may still ship on ``balance``'s line (15 CFR 750.11).

    §750.11(a)(1): once the full amount approved is shipped, no further shipment may be made.
    §750.11(b)(1), Unit "$ value": no tolerance; the shipments may not exceed the licensed value.
    §750.11(b)(2), Unit "Number": no tolerance on the number of units, but "the value of all of
    your shipments under one license may exceed the total dollar value stated on that license by
    up to 25%".
    Interpretation: the tolerance is applied per licence line (each line states its own value), which
    never allows more than the whole-licence reading; a limit the licence does not state is not
    checked; a quantity stated on a "$ value" line is enforced without tolerance; "Area, Weight or
    Measure" units (§750.11(b)(3)) are not distinguished and get the stricter Number rule.
    Boundaries are inclusive: shipping exactly up to a limit or ceiling is allowed.
    """
    item = balance.item
    what = f"{amount(quantity)} more {item.description}" if quantity else f"{money(value, item.currency)} more"
    head = f"Shipping {what} would exceed {licence.label} for item {item.line}"
    refusals: list[str] = []
    warnings: list[str] = []
    if balance.exhausted:
        return ShipmentCheck(
            refusals=(
                f"{licence.label} item {item.line} is fully shipped "
                f"({amount(balance.shipped_quantity)} units, {money(balance.shipped_value, item.currency)}); "
                "no further shipment may be made under it (15 CFR 750.11(a)(1)).",
            )
        )
    after = balance.after(quantity, value)
    limit_q = item.quantity_limit
    if limit_q is not None and after.shipped_quantity > limit_q:
        basis = "quantity licence" if item.basis is UnitBasis.NUMBER else "dollar-value licence"
        refusals.append(
            f"{head}: {amount(balance.remaining_quantity or _ZERO)} remaining ({basis}, +0 tolerance on quantity)."
        )
    ceiling = balance.value_ceiling
    if ceiling is not None and after.shipped_value > ceiling:
        left = money(balance.remaining_value_with_tolerance or _ZERO, item.currency)
        if item.basis is UnitBasis.DOLLAR_VALUE:
            why = "dollar-value licence, no tolerance, 15 CFR 750.11(b)(1)"
        else:
            why = (
                f"quantity licence: {money(item.value_limit or _ZERO, item.currency)} licensed plus the 25% value "
                "tolerance of 15 CFR 750.11(b)(2)"
            )
        refusals.append(f"{head}: {left} of value remaining ({why}).")
    elif item.value_limit is not None and after.shipped_value > item.value_limit:
        warnings.append(
            f"{licence.label} item {item.line}: shipments now total {money(after.shipped_value, item.currency)}, "
            f"above the licensed {money(item.value_limit, item.currency)}; this uses the 25% value tolerance of "
            "15 CFR 750.11(b)(2) and is allowed only because the quantity stays within the licence."
        )
    return ShipmentCheck(tuple(refusals), tuple(warnings))


def party_problems(licence: Licence, case: Case) -> list[str]:
    """Why the case's parties are not all named on the licence in the same role and country (empty: they are)."""
    named = {(p.role, name_key(p.name), p.country) for p in licence.parties}
    problems = []
    for party in case.parties:
        if party.role is PartyRole.OTHER:
            continue
        if party.role is PartyRole.APPLICANT and not licence.parties_in(PartyRole.APPLICANT):
            continue
        if (party.role, name_key(party.name), party.country) not in named:
            problems.append(
                f"{party.role.value.replace('_', ' ')} {party.name} ({party.country}) is not named on {licence.label}"
            )
    return problems


def scope_problems(licence: Licence, case: Case, day: date) -> list[str]:
    """Date, destination and party mismatches between ``licence`` and ``case`` on ``day``."""
    problems = []
    validity = licence.validity_problem(day)
    if validity:
        problems.append(validity)
    if licence.destination != case.destination:
        problems.append(
            f"{licence.label} is for {country_name(licence.destination)}, the case goes to "
            f"{country_name(case.destination)}"
        )
    problems.extend(party_problems(licence, case))
    return problems


class LicenceRepository(Protocol):
    """What the services need from licence persistence (implemented by ``SqlLicenceRepository``)."""

    def add(self, licence: Licence) -> Licence:
        """Store a new licence (``DuplicateError`` if its number is taken)."""

    def get(self, number: str, *, for_update: bool = False) -> Licence:
        """The licence or ``NotFoundError``; ``for_update`` locks it until the transaction ends."""

    def shipments(self, number: str | None = None, case_reference: str | None = None) -> list[Shipment]: ...

    def balances(self, number: str) -> tuple[LineBalance, ...]: ...

    def record_shipment(self, shipment: Shipment) -> Shipment:
        """Store a shipment and its audit entries (checks are the caller's job)."""

    def list(self) -> list[Licence]:
        """Every recorded licence, soonest expiry first (declared last: ``list`` above is the builtin)."""


def shipped_for_case(shipments: Sequence[Shipment], number: str, line: int, reference: str) -> tuple[Decimal, Decimal]:
    """Quantity and value already shipped for one case on one licence line."""
    rows = [s for s in shipments if s.licence_number == number and s.line == line and s.case_reference == reference]
    return sum((s.quantity for s in rows), _ZERO), sum((s.value for s in rows), _ZERO)
