"""The ``workbench-party/1`` file format and the JSON form of a register party.

A party file describes one counterparty and, optionally, its owners: each owner is either a
party described in the same file (``"party": {...}``, which may have owners of its own) or a
register party already recorded (``"ref": ID``), with the percentage held, the date it is
known as of and its source. pydantic checks the shape, the domain the meaning; every error
names the file and the JSON path. The same JSON form is what the audit log records and what
``party show --json`` prints.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from workbench.domain.case import ListFlag
from workbench.domain.errors import InputFileError, ValidationError, one_line
from workbench.domain.ownership import percent_value
from workbench.domain.register import (
    MAX_ADDRESS_LINES,
    MAX_ADDRESSES,
    MAX_IDENTIFIERS,
    MAX_OTHER_NAMES,
    Address,
    Identifier,
    IdentifierScheme,
    Kyc,
    KycStatus,
    NameKind,
    OtherName,
    RegisterParty,
)
from workbench.domain.screening import EntryType
from workbench.export.jsonfiles import domain_error, load_json_object, located, validate

FORMAT: Final = "workbench-party/1"
MAX_FILE_BYTES: Final = 2 * 1024 * 1024
MAX_OWNERS: Final = 100
MAX_OWNER_DEPTH: Final = 10
MAX_PARTIES_PER_FILE: Final = 500


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class OtherNameModel(_Model):
    kind: NameKind = Field(description="alias, former (a former name) or own_script (the name in its own script)")
    name: str


class AddressModel(_Model):
    lines: list[str] = Field(default_factory=list, max_length=MAX_ADDRESS_LINES)
    city: str = ""
    country: str = Field(description="ISO 3166 two-letter code")


class IdentifierModel(_Model):
    scheme: IdentifierScheme = Field(description="lei (checked: ISO 17442), registration, tax_id or other")
    value: str
    label: str = Field(default="", description="for scheme 'other': what the identifier is, e.g. DUNS")


class KycModel(_Model):
    status: KycStatus = KycStatus.NOT_STARTED
    date: dt.date | None = Field(default=None, description="when the KYC status was decided")
    officer: str = ""
    note: str = ""


class PartyModel(_Model):
    kind: EntryType = Field(
        default=EntryType.ENTITY, description="entity (an organisation), individual, vessel or aircraft"
    )
    name: str
    country: str = Field(description="where the party is located or registered (ISO 3166 two-letter code)")
    other_names: list[OtherNameModel] = Field(default_factory=list, max_length=MAX_OTHER_NAMES)
    addresses: list[AddressModel] = Field(default_factory=list, max_length=MAX_ADDRESSES)
    headquarters_country: str | None = None
    identifiers: list[IdentifierModel] = Field(default_factory=list, max_length=MAX_IDENTIFIERS)
    website: str = ""
    notes: str = ""
    kyc: KycModel | None = None
    listed_on: list[ListFlag] = Field(
        default_factory=list,
        max_length=len(ListFlag),
        description="lists the party is known to be on (entity_list, military_end_user, sdn, ...), before screening",
    )
    owners: list[OwnerModel] = Field(default_factory=list, max_length=MAX_OWNERS)


class OwnerModel(_Model):
    party: PartyModel | None = Field(default=None, description="an owner described here (created with the party)")
    ref: int | None = Field(default=None, ge=1, description="the id of an owner already in the register")
    percent: Decimal | str | None = Field(
        description="the percentage held directly, 0 < p <= 100 (exact); null when the owner is known but not the "
        "percentage"
    )
    as_of: date = Field(description="the date the stake is known as of")
    document_sha256: str = Field(default="", description="the SHA-256 of the source document in the store")
    note: str = Field(default="", description="where the stake is known from, when there is no stored document")

    @model_validator(mode="after")
    def _one_owner(self) -> OwnerModel:
        if (self.party is None) == (self.ref is None):
            raise ValueError('give the owner either as "party" (described here) or as "ref" (a register id), not both')
        return self


PartyModel.model_rebuild()


class PartyFileModel(PartyModel):
    """A counterparty for the register, with its owners."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Workbench party file")

    format: Literal["workbench-party/1"]


@dataclass(frozen=True, slots=True)
class OwnerSpec:
    """One owner from a party file: a new party (``party``) or a register id (``ref``)."""

    location: str
    party: PartySpec | None
    ref: int | None
    percent: Decimal | None
    as_of: date
    document_sha256: str
    note: str


@dataclass(frozen=True, slots=True)
class PartySpec:
    """A party from a file, validated, with its owners (not stored yet)."""

    location: str
    party: RegisterParty
    owners: tuple[OwnerSpec, ...]

    def count(self) -> int:
        return 1 + sum(o.party.count() for o in self.owners if o.party is not None)


def json_schema() -> dict[str, Any]:
    schema = PartyFileModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://workbench.invalid/schemas/party-1.schema.json"
    return schema


def model_to_party(model: PartyModel, location: str = "$") -> RegisterParty:
    kyc = Kyc()
    if model.kyc is not None:
        kyc = located(
            f"{location}.kyc",
            Kyc,
            status=model.kyc.status,
            decided_on=model.kyc.date,
            officer=model.kyc.officer,
            note=model.kyc.note,
        )
    party: RegisterParty = located(
        location,
        RegisterParty,
        kind=model.kind,
        name=model.name,
        country=model.country,
        other_names=tuple(
            located(f"{location}.other_names[{i}]", OtherName, n.kind, n.name) for i, n in enumerate(model.other_names)
        ),
        addresses=tuple(
            located(f"{location}.addresses[{i}]", Address, a.country, tuple(a.lines), a.city)
            for i, a in enumerate(model.addresses)
        ),
        headquarters_country=model.headquarters_country,
        identifiers=tuple(
            located(f"{location}.identifiers[{i}]", Identifier, x.scheme, x.value, x.label)
            for i, x in enumerate(model.identifiers)
        ),
        website=model.website,
        notes=model.notes,
        kyc=kyc,
        listed_on=tuple(model.listed_on),
    )
    return party


def _spec(model: PartyModel, location: str, depth: int) -> PartySpec:
    if depth > MAX_OWNER_DEPTH:
        raise ValidationError(location, f"owners are nested more than {MAX_OWNER_DEPTH} levels deep")
    owners = []
    for i, owner in enumerate(model.owners):
        where = f"{location}.owners[{i}]"
        percent = None if owner.percent is None else located(where, percent_value, owner.percent)
        if not owner.document_sha256 and not owner.note:
            raise ValidationError(
                where, 'say where the stake is known from: "document_sha256" of a stored document, or a "note"'
            )
        owners.append(
            OwnerSpec(
                where,
                _spec(owner.party, f"{where}.party", depth + 1) if owner.party is not None else None,
                owner.ref,
                percent,
                owner.as_of,
                owner.document_sha256,
                owner.note,
            )
        )
    return PartySpec(location, model_to_party(model, location), tuple(owners))


def parse_party_json(data: bytes | str, source: str = "party file") -> PartySpec:
    """Parse a party file's content; ``source`` names it in error messages."""
    model = validate(PartyFileModel, load_json_object(data, source, "party file"), source, "party file")
    try:
        spec = _spec(model, "$", 0)
    except ValidationError as exc:
        raise domain_error(source, exc) from None
    if spec.count() > MAX_PARTIES_PER_FILE:
        raise InputFileError(
            one_line(f"{source}: describes {spec.count()} parties; a party file holds at most {MAX_PARTIES_PER_FILE}.")
        )
    return spec


def party_json(party: RegisterParty) -> dict[str, Any]:
    """The JSON-ready form of a party (without id and version), as audited and shown."""
    return {
        "kind": party.kind.value,
        "name": party.name,
        "country": party.country,
        "other_names": [{"kind": o.kind.value, "name": o.name} for o in party.other_names],
        "addresses": [{"lines": list(a.lines), "city": a.city, "country": a.country} for a in party.addresses],
        "headquarters_country": party.headquarters_country,
        "identifiers": [{"scheme": i.scheme.value, "value": i.value, "label": i.label} for i in party.identifiers],
        "website": party.website,
        "notes": party.notes,
        "kyc": {
            "status": party.kyc.status.value,
            "date": party.kyc.decided_on.isoformat() if party.kyc.decided_on else None,
            "officer": party.kyc.officer,
            "note": party.kyc.note,
        },
        "listed_on": [flag.value for flag in party.listed_on],
    }
