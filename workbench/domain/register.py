"""The counterparty register: a party recorded once, independently of cases (issue #14).

A register party is what an officer knows about a counterparty: its kind, names, addresses,
identifiers and KYC status. Like the case entities it is a frozen dataclass validated on
construction, with every field and count bounded. ``fingerprint`` hashes exactly what
screening reads (names, addresses, country), so a screening decision pinned to it reopens
when that data changes and stays when only notes or KYC change.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Protocol, TypeVar

from workbench.domain.case import ListFlag
from workbench.domain.countries import country_code
from workbench.domain.errors import ValidationError
from workbench.domain.ownership import OwnershipGraph, Stake
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.domain.screening import EntryType
from workbench.domain.validation import text as _text

E = TypeVar("E", bound=StrEnum)

MAX_NAME = 500
MAX_OTHER_NAMES = 50
MAX_ADDRESSES = 20
MAX_ADDRESS_LINES = 6
MAX_LINE = 300
MAX_IDENTIFIERS = 20
MAX_NOTES = 4000


class NameKind(StrEnum):
    ALIAS = "alias"
    FORMER = "former"
    OWN_SCRIPT = "own_script"
    """The name written in the party's own script (e.g. Chinese characters, Cyrillic)."""


class IdentifierScheme(StrEnum):
    LEI = "lei"
    REGISTRATION = "registration"
    TAX_ID = "tax_id"
    OTHER = "other"


class KycStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    APPROVED = "approved"
    REJECTED = "rejected"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()


def _choice(enum: type[E], value: object, field_name: str) -> E:
    try:
        return enum(str(value)) if isinstance(value, str) else enum(value)  # type: ignore[arg-type]
    except ValueError:
        allowed = ", ".join(m.value for m in enum)
        raise ValidationError(field_name, f"{value!r} is not allowed; use one of {allowed}") from None


def _tuple(value: object, field_name: str, limit: int) -> tuple[object, ...]:
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise ValidationError(field_name, "must be a list")
    items = tuple(value)
    if len(items) > limit:
        raise ValidationError(field_name, f"has {len(items)} entries; at most {limit} are allowed")
    return items


def lei_is_valid(code: str) -> bool:
    """ISO 17442: 18 alphanumerics and two check digits, the whole read as ISO 7064 MOD 97-10."""
    if not re.fullmatch(r"[0-9A-Z]{18}[0-9]{2}", code):
        return False
    digits = "".join(str(int(ch, 36)) for ch in code)
    return int(digits) % 97 == 1


def lei_with_check_digits(base18: str) -> str:
    """Complete an 18-character LEI prefix with its check digits (for tests and examples)."""
    digits = "".join(str(int(ch, 36)) for ch in base18.upper() + "00")
    return f"{base18.upper()}{98 - int(digits) % 97:02d}"


@dataclass(frozen=True, slots=True)
class OtherName:
    kind: NameKind
    name: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _choice(NameKind, self.kind, "kind"))
        object.__setattr__(self, "name", _text(self.name, "name", max_len=MAX_NAME))


@dataclass(frozen=True, slots=True)
class Address:
    country: str
    lines: tuple[str, ...] = ()
    city: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "country", country_code(self.country, "country"))
        lines = _tuple(self.lines, "lines", MAX_ADDRESS_LINES)
        cleaned = tuple(_text(line, f"lines[{i}]", max_len=MAX_LINE) for i, line in enumerate(lines))
        if any("\n" in line for line in cleaned):
            raise ValidationError("lines", "each address line must be one line; split it into several lines")
        object.__setattr__(self, "lines", cleaned)
        object.__setattr__(self, "city", _text(self.city, "city", required=False, max_len=200))

    @property
    def one_line(self) -> str:
        """The address as one line, as screening and lists show it."""
        return ", ".join([*self.lines, *([self.city] if self.city else []), self.country])


def address_from_text(country: str, text: str) -> Address | None:
    """A free-text address (a case party's) as register address lines within the register's bounds."""
    lines = [" ".join(line.split()) for line in text.replace("\r", "\n").split("\n")]
    wrapped: list[str] = []
    for line in (x for x in lines if x):
        while len(line) > MAX_LINE:
            wrapped.append(line[:MAX_LINE].strip())
            line = line[MAX_LINE:].strip()
        if line:
            wrapped.append(line)
    if len(wrapped) > MAX_ADDRESS_LINES:
        wrapped = [*wrapped[: MAX_ADDRESS_LINES - 1], ", ".join(wrapped[MAX_ADDRESS_LINES - 1 :])[:MAX_LINE]]
    return Address(country, tuple(wrapped)) if wrapped else None


@dataclass(frozen=True, slots=True)
class Identifier:
    scheme: IdentifierScheme
    value: str
    label: str = ""
    """For ``other``: what kind of identifier it is (e.g. "DUNS")."""

    def __post_init__(self) -> None:
        scheme = _choice(IdentifierScheme, self.scheme, "scheme")
        object.__setattr__(self, "scheme", scheme)
        value = _text(self.value, "value", max_len=100)
        if "\n" in value:
            raise ValidationError("value", "must be one line")
        label = _text(self.label, "label", required=False, max_len=60)
        if scheme is IdentifierScheme.LEI:
            value = value.replace(" ", "").upper()
            if not lei_is_valid(value):
                raise ValidationError(
                    "value",
                    f"'{self.value}' is not a valid LEI: an LEI has 20 letters and digits and its last two "
                    "digits are an ISO 17442 check (mod 97); copy it from the GLEIF record",
                )
        if scheme is IdentifierScheme.OTHER and not label:
            raise ValidationError("label", "an identifier of scheme 'other' needs a label saying what it is, e.g. DUNS")
        if scheme is not IdentifierScheme.OTHER and label:
            raise ValidationError("label", f"only identifiers of scheme 'other' take a label, not {scheme.value}")
        object.__setattr__(self, "value", value)
        object.__setattr__(self, "label", label)

    @property
    def display(self) -> str:
        return f"{self.label or self.scheme.value}: {self.value}"


@dataclass(frozen=True, slots=True)
class Kyc:
    """Know-your-customer status: who decided what, when, and why."""

    status: KycStatus = KycStatus.NOT_STARTED
    decided_on: date | None = None
    officer: str = ""
    note: str = ""

    def __post_init__(self) -> None:
        status = _choice(KycStatus, self.status, "status")
        object.__setattr__(self, "status", status)
        if self.decided_on is not None and not isinstance(self.decided_on, date):
            raise ValidationError("date", "must be a date (YYYY-MM-DD)")
        object.__setattr__(self, "officer", _text(self.officer, "officer", required=False, max_len=200))
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=MAX_NOTES))
        if status in (KycStatus.APPROVED, KycStatus.REJECTED) and (self.decided_on is None or not self.officer):
            raise ValidationError(
                "date", f"a KYC status of {status.value} needs the date and the officer who decided it"
            )


_WEBSITE = re.compile(r"^(https?://)?[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/\S*)?$")


def _normal(value: str) -> str:
    """Canonical text for fingerprints and search: NFKC, case-folded, single spaces."""
    return " ".join(unicodedata.normalize("NFKC", value).casefold().split())


@dataclass(frozen=True, slots=True)
class RegisterParty:
    """A counterparty as the register records it; ``id`` is None until it is stored."""

    name: str
    country: str
    """Where the party is located (or registered): the country screening and case parties use."""
    kind: EntryType = EntryType.ENTITY
    other_names: tuple[OtherName, ...] = ()
    addresses: tuple[Address, ...] = ()
    headquarters_country: str | None = None
    identifiers: tuple[Identifier, ...] = ()
    website: str = ""
    notes: str = ""
    kyc: Kyc = field(default_factory=Kyc)
    listed_on: tuple[ListFlag, ...] = ()
    """Lists the officer has declared the party to be on (as on a case party), until screening confirms."""
    id: int | None = None
    version: int = 0
    """Optimistic-locking counter kept by the store; 0 for a party never saved."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", _choice(EntryType, self.kind, "kind"))
        name = _text(self.name, "name", max_len=MAX_NAME)
        if "\n" in name:
            raise ValidationError("name", "must be one line")
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "country", country_code(self.country, "country"))
        if self.headquarters_country is not None:
            hq = country_code(self.headquarters_country, "headquarters_country")
            object.__setattr__(self, "headquarters_country", hq)
        others = _tuple(self.other_names, "other_names", MAX_OTHER_NAMES)
        for i, other in enumerate(others):
            if not isinstance(other, OtherName):
                raise ValidationError(f"other_names[{i}]", "must be a name with its kind")
        seen = {_normal(name)}
        for i, other in enumerate(others):
            assert isinstance(other, OtherName)
            key = _normal(other.name)
            if key in seen:
                raise ValidationError(f"other_names[{i}].name", f"'{other.name}' is recorded twice; remove one")
            seen.add(key)
        object.__setattr__(self, "other_names", others)
        addresses = _tuple(self.addresses, "addresses", MAX_ADDRESSES)
        if not all(isinstance(a, Address) for a in addresses):
            raise ValidationError("addresses", "must be a list of addresses")
        object.__setattr__(self, "addresses", addresses)
        identifiers = _tuple(self.identifiers, "identifiers", MAX_IDENTIFIERS)
        keys: set[tuple[str, str, str]] = set()
        for i, ident in enumerate(identifiers):
            if not isinstance(ident, Identifier):
                raise ValidationError(f"identifiers[{i}]", "must be an identifier with its scheme")
            ident_key = (ident.scheme.value, ident.label.casefold(), ident.value.casefold())
            if ident_key in keys:
                raise ValidationError(f"identifiers[{i}]", f"{ident.display} is recorded twice; remove one")
            keys.add(ident_key)
        if (
            sum(1 for ident in identifiers if isinstance(ident, Identifier) and ident.scheme is IdentifierScheme.LEI)
            > 1
        ):
            raise ValidationError("identifiers", "a party has at most one LEI")
        object.__setattr__(self, "identifiers", identifiers)
        website = _text(self.website, "website", required=False, max_len=300)
        if website and not _WEBSITE.match(website):
            raise ValidationError("website", f"'{website}' is not a web address; write it as e.g. https://example.com")
        object.__setattr__(self, "website", website)
        object.__setattr__(self, "notes", _text(self.notes, "notes", required=False, max_len=MAX_NOTES))
        listed = _tuple(self.listed_on, "listed_on", len(ListFlag))
        object.__setattr__(self, "listed_on", tuple(dict.fromkeys(_choice(ListFlag, x, "listed_on") for x in listed)))
        if not isinstance(self.kyc, Kyc):
            raise ValidationError("kyc", "must be a KYC status record")
        if self.id is not None and (isinstance(self.id, bool) or not isinstance(self.id, int) or self.id < 1):
            raise ValidationError("id", f"'{self.id}' is not a register party id (a positive whole number)")

    @property
    def names(self) -> tuple[str, ...]:
        """Every name the party is screened under: its name first, then the other names."""
        return (self.name, *(o.name for o in self.other_names))

    @property
    def effective_headquarters(self) -> str:
        return self.headquarters_country or self.country

    @property
    def lei(self) -> str | None:
        return next((i.value for i in self.identifiers if i.scheme is IdentifierScheme.LEI), None)

    @property
    def label(self) -> str:
        return f"{self.name} (party {self.id})" if self.id is not None else self.name

    @property
    def fingerprint(self) -> str:
        """SHA-256 of the screened data (names, addresses, country) in a canonical form.

        Order and letter case do not matter; anything that could change a screening result does.
        """
        payload = {
            "names": sorted({_normal(n) for n in self.names}),
            "addresses": sorted(
                {json.dumps([[_normal(x) for x in a.lines], _normal(a.city), a.country]) for a in self.addresses}
            ),
            "country": self.country,
        }
        canonical = json.dumps(payload, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    @property
    def search_text(self) -> str:
        """What register search matches: every name, identifier values and the country, normalised."""
        parts = [
            *(_normal(n) for n in self.names),
            *(i.value.casefold() for i in self.identifiers),
            self.country.lower(),
        ]
        return " | ".join(parts)


@dataclass(frozen=True, slots=True)
class RegisterSummary:
    """One row of the register list: what a table shows without loading the whole party."""

    id: int
    name: str
    kind: EntryType
    country: str
    kyc_status: KycStatus
    other_names: int
    updated_at: str


def normalise_for_search(value: str) -> str:
    """Search words are matched in the same normal form as ``RegisterParty.search_text``."""
    return _normal(value)


class RegisterRepository(Protocol):
    """What the services need from the register's persistence (the store implements it)."""

    def add(self, party: RegisterParty) -> RegisterParty:
        """Store a new party (``DuplicateError`` if its LEI is recorded); return it with its id and version."""

    def add_many(self, parties: Sequence[RegisterParty]) -> list[RegisterParty]:
        """Store many new parties at once (a bulk import), each audited as ``add`` does."""

    def get(self, party_id: int) -> RegisterParty:
        """Return the party or raise ``NotFoundError``."""

    def exists(self, party_id: int) -> bool: ...

    def save(self, party: RegisterParty) -> RegisterParty:
        """Update a stored party; ``ConflictError`` if ``party.version`` is stale."""

    def names(self, party_ids: Iterable[int]) -> dict[int, str]: ...

    def declared_listings(self, party_ids: Iterable[int]) -> dict[int, tuple[ListFlag, ...]]: ...

    def count(
        self,
        search: str = "",
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
    ) -> int: ...

    def summaries(
        self,
        search: str = "",
        *,
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> list[RegisterSummary]: ...

    def page(
        self,
        search: str = "",
        *,
        kyc: tuple[KycStatus, ...] = (),
        countries: tuple[str, ...] = (),
        status: PartyScreeningStatus | None = None,
        offset: int = 0,
        limit: int = 100,
    ) -> tuple[int, list[RegisterSummary]]:
        """(how many match, one page of them sorted by name)."""

    def find_by_identifier(self, identifier: Identifier) -> list[int]: ...

    def find_by_name(self, name: str, country: str) -> list[int]: ...

    def ownership(self, party_id: int, *, owned: bool = True) -> OwnershipGraph:
        """The stakes above the party and (with ``owned``) below it, with the parties' names."""

    def record_stake(self, stake: Stake) -> OwnershipGraph:
        """Record or replace a stake; refused with the circle named if it would close one."""

    def remove_stake(self, owner_id: int, owned_id: int, reason: str) -> None: ...
