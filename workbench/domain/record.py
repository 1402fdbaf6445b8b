"""The immutable snapshot a determination rests on, and the sign-off policy for it.

A ``DeterminationRecord`` holds everything the signed workbook states: the case as it was,
the rule engine's determination, the screening hits with the officer's dispositions, the
red-flag answers with their questions, who determined it and when. The workbook is rendered
from the record alone, so a record stored years ago renders the same workbook today.

``to_json()`` is the record's canonical text (sorted keys, no whitespace, ISO dates, decimals as
strings) and ``content_hash`` is the SHA-256 of exactly that text, so a stored copy can be
checked against the hash without this code. ``from_json`` rebuilds it through the domain
constructors, so a damaged record cannot come back to life half-valid.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any, Final

from workbench.domain.case import (
    Case,
    DocumentRecord,
    EndUse,
    Item,
    Party,
    RedFlagAnswer,
    TransactionFacts,
)
from workbench.domain.determination import (
    Determination,
    Finding,
    Outcome,
    Posture,
    Standing,
    headline_of,
    standing_of,
)
from workbench.domain.errors import InputFileError, ValidationError, WorkbenchError
from workbench.domain.product_items import ProductUse

RECORD_FORMAT: Final = "workbench-determination/1"
DISPOSITIONS: Final = ("true_match", "false_positive")
_ITEM_SUBJECT = re.compile(r"^item (\d+)\b")


@dataclass(frozen=True, slots=True)
class PartyScreeningRow:
    """One restricted-party list hit for one party of the case, with the officer's decision."""

    party_position: int
    """1-based position of the party in the case."""
    party_name: str
    role: str
    list_version: str
    entry_id: str
    source: str
    listed_name: str
    matched_name: str
    score: float
    disposition: str | None = None
    """``true_match``, ``false_positive`` or None while the hit is open."""
    disposition_reason: str = ""
    decided_by: str = ""

    def __post_init__(self) -> None:
        if self.party_position < 1:
            raise ValidationError("party_position", f"must be 1 or more (got {self.party_position})")
        if self.disposition is not None and self.disposition not in DISPOSITIONS:
            raise ValidationError(
                "disposition", f"'{self.disposition}' is not a disposition; use true_match, false_positive or none"
            )
        object.__setattr__(self, "score", float(self.score))
        if not math.isfinite(self.score):
            raise ValidationError("score", "must be a finite number")


@dataclass(frozen=True, slots=True)
class RegisterPartyRecord:
    """A register party the determination relied on: a case party, or an owner of 25 % or more,
    as it was (version, screened-data fingerprint) and its party-level screening then."""

    party_id: int
    version: int
    name: str
    relation: str
    """"party 1 (end user)" for a case party; "owner: 30 % of Sub GmbH (party 12)" for an owner."""
    screening_status: str
    fingerprint: str = ""


@dataclass(frozen=True, slots=True)
class OwnerHitRow:
    """A screening hit of an owner of 25 % or more, with the decision that applied (None: open)."""

    party_id: int
    party_name: str
    entry_id: str
    source: str
    listed_name: str
    matched_name: str
    score: float
    disposition: str | None = None
    disposition_reason: str = ""
    decided_by: str = ""


@dataclass(frozen=True, slots=True)
class RedFlagRow:
    """A red-flag question as it was asked, and the officer's answer."""

    id: str
    text: str
    answer: str
    note: str = ""


@dataclass(frozen=True, slots=True)
class DeterminationRecord:
    case: Case
    determination: Determination
    officer: str
    determined_at: datetime
    """Aware datetime; normalised to UTC."""
    screening: tuple[PartyScreeningRow, ...] = ()
    list_version: str = ""
    """The restricted-party list version the parties were screened against; empty if not screened."""
    red_flags: tuple[RedFlagRow, ...] = ()
    item_outcomes: tuple[str, ...] = ()
    """Per-item outcomes given by the caller; empty to derive them from the findings."""
    override_reason: str | None = None
    """Why the officer signed although items were open; None when nothing was overridden."""
    revision: int = 1
    """1 for a case's first determination, 2 for the next re-determination, and so on."""
    workbench_version: str = ""
    register_parties: tuple[RegisterPartyRecord, ...] = ()
    """The register parties relied on (empty for a case without register parties, and in older records)."""
    owner_hits: tuple[OwnerHitRow, ...] = ()
    products: tuple[ProductUse, ...] = ()
    """The library products the items referenced, with the version and classification used (empty when
    no item referenced one; records stored before products existed have none and keep their hashes)."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "register_parties", tuple(self.register_parties))
        object.__setattr__(self, "owner_hits", tuple(self.owner_hits))
        if self.determined_at.tzinfo is None or self.determined_at.utcoffset() is None:
            raise ValidationError("determined_at", "must carry a time zone (UTC), not a naive time")
        object.__setattr__(self, "determined_at", self.determined_at.astimezone(UTC))
        officer = self.officer.strip()
        if not officer:
            raise ValidationError("officer", "is required: name the officer who determined the case")
        object.__setattr__(self, "officer", officer)
        reason = (self.override_reason or "").strip()
        object.__setattr__(self, "override_reason", reason or None)
        if self.determination.case_reference != self.case.reference:
            raise ValidationError(
                "determination",
                f"belongs to case {self.determination.case_reference}, not {self.case.reference}",
            )
        if self.revision < 1:
            raise ValidationError("revision", f"must be 1 or more (got {self.revision})")
        object.__setattr__(self, "screening", tuple(self.screening))
        object.__setattr__(self, "red_flags", tuple(self.red_flags))
        object.__setattr__(self, "products", tuple(self.products))
        outcomes = tuple(Outcome(o).value for o in self.item_outcomes)
        if outcomes and len(outcomes) != len(self.case.items):
            raise ValidationError(
                "item_outcomes", f"has {len(outcomes)} outcomes but the case has {len(self.case.items)} items"
            )
        object.__setattr__(self, "item_outcomes", outcomes)
        for row in self.screening:
            if row.party_position > len(self.case.parties):
                raise ValidationError(
                    "screening", f"names party {row.party_position}, but the case has {len(self.case.parties)}"
                )

    # --- derived facts -------------------------------------------------------------------------

    @property
    def data_versions(self) -> dict[str, str]:
        """Versions of the rule data, regulations and lists the determination rests on."""
        versions = dict(self.determination.data_versions)
        if self.list_version:
            versions["lists"] = self.list_version
        return dict(sorted(versions.items()))

    @property
    def open_items(self) -> tuple[str, ...]:
        """The engine's open items plus every screening hit without a disposition."""
        undecided = tuple(
            f"Screening hit for party {row.party_position} ({row.party_name}): {row.source} entry "
            f"{row.entry_id} '{row.listed_name}' (score {row.score:g}) has no disposition"
            for row in self.screening
            if row.disposition is None
        )
        # Owners' open hits are open items of the determination itself (the checks raise them).
        return tuple(self.determination.open_items) + undecided

    @property
    def standing(self) -> Standing:
        """Determined, provisional or open, counting undecided screening hits as open."""
        return standing_of(self.determination, self.open_items)

    @property
    def headline(self) -> str:
        """The outcome line the workbook's Summary shows (see ``headline_of``)."""
        return headline_of(self.determination, self.open_items)

    def item_outcome(self, position: int) -> Outcome:
        """The outcome for item ``position`` (1-based); see ``outcomes_by_item``."""
        return self.outcomes_by_item()[position - 1]

    def outcomes_by_item(self) -> tuple[Outcome, ...]:
        """Each item's outcome, in one pass over the findings.

        Given explicitly, or the most restrictive finding about that item or about the case as a
        whole (a finding on a party or the destination binds every item); NLR without findings.
        """
        if self.item_outcomes:
            return tuple(Outcome(o) for o in self.item_outcomes)
        case_wide = Outcome.NLR
        worst = [Outcome.NLR] * len(self.case.items)
        for finding, position in zip(self.determination.findings, self.finding_items(), strict=True):
            if position is None:
                case_wide = max(case_wide, finding.outcome, key=lambda o: o.severity)
            elif 1 <= position <= len(worst):
                worst[position - 1] = max(worst[position - 1], finding.outcome, key=lambda o: o.severity)
        return tuple(max(o, case_wide, key=lambda x: x.severity) for o in worst)

    def finding_items(self) -> tuple[int | None, ...]:
        """For each finding, the 1-based item it is about (subject ``item N``), or None when case-wide."""
        found = (_ITEM_SUBJECT.match(f.subject) for f in self.determination.findings)
        return tuple(int(m.group(1)) if m else None for m in found)

    # --- serialisation -------------------------------------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data = self._base_dict()
        if self.products:  # omitted when empty, so records stored before it existed keep their hashes
            data["products"] = [p.to_dict() for p in self.products]
        return data

    def _base_dict(self) -> dict[str, Any]:
        return {
            "format": RECORD_FORMAT,
            "case": _case_to_dict(self.case),
            "determination": _determination_to_dict(self.determination),
            "officer": self.officer,
            "determined_at": self.determined_at.isoformat(),
            "screening": [_plain(row) for row in self.screening],
            "list_version": self.list_version,
            "red_flags": [_plain(row) for row in self.red_flags],
            "item_outcomes": list(self.item_outcomes),
            "override_reason": self.override_reason,
            "revision": self.revision,
            "workbench_version": self.workbench_version,
            **self._register_dict(),
        }

    def _register_dict(self) -> dict[str, Any]:
        """What the register contributed, only when it contributed (older records keep their hashes)."""
        data: dict[str, Any] = {}
        if self.case.ownership is not None:
            data["ownership"] = self.case.ownership.to_dict()
        if self.register_parties:
            data["register_parties"] = [_plain(row) for row in self.register_parties]
        if self.owner_hits:
            data["owner_hits"] = [_plain(row) for row in self.owner_hits]
        return data

    def to_json(self) -> str:
        """Canonical JSON text: sorted keys, no whitespace, UTF-8 characters kept as they are."""
        try:
            return json.dumps(
                self.to_dict(), sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
            )
        except ValueError:
            raise ValidationError("record", "contains a number that is not finite (NaN or infinity)") from None

    @property
    def content_hash(self) -> str:
        """SHA-256 (hex) of ``to_json()`` encoded as UTF-8."""
        return hashlib.sha256(self.to_json().encode("utf-8")).hexdigest()

    @classmethod
    def from_json(cls, text: str | bytes, source: str = "determination record") -> DeterminationRecord:
        try:
            raw = json.loads(text)
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise InputFileError(f"{source}: is not valid JSON ({exc}).") from None
        return cls.from_dict(raw, source)

    @classmethod
    def from_dict(cls, raw: Any, source: str = "determination record") -> DeterminationRecord:
        if not isinstance(raw, dict) or raw.get("format") != RECORD_FORMAT:
            found = raw.get("format") if isinstance(raw, dict) else type(raw).__name__
            raise InputFileError(f"{source}: is not a {RECORD_FORMAT} record (format {found!r}).")
        try:
            case = _case_from_dict(raw["case"])
            if "ownership" in raw:
                from workbench.domain.case_ownership import OwnershipFacts

                case = replace(case, ownership=OwnershipFacts.from_dict(raw["ownership"]))
            return cls(
                case=case,
                determination=_determination_from_dict(raw["determination"]),
                officer=raw["officer"],
                determined_at=datetime.fromisoformat(raw["determined_at"]),
                screening=tuple(PartyScreeningRow(**row) for row in raw["screening"]),
                list_version=raw["list_version"],
                red_flags=tuple(RedFlagRow(**row) for row in raw["red_flags"]),
                item_outcomes=tuple(raw["item_outcomes"]),
                override_reason=raw["override_reason"],
                revision=raw["revision"],
                workbench_version=raw["workbench_version"],
                register_parties=tuple(RegisterPartyRecord(**row) for row in raw.get("register_parties", ())),
                owner_hits=tuple(OwnerHitRow(**row) for row in raw.get("owner_hits", ())),
                products=tuple(ProductUse.from_dict(p) for p in raw.get("products") or ()),
            )
        except ValidationError as exc:
            raise InputFileError(f"{source}: {exc}.") from None
        except KeyError as exc:
            raise InputFileError(f"{source}: the field {exc} is missing.") from None
        except (TypeError, ValueError, InvalidOperation) as exc:
            raise InputFileError(f"{source}: is damaged ({exc}).") from None


class SignOffError(WorkbenchError):
    """A determination with open items was to be signed without an override reason."""


@dataclass(frozen=True, slots=True)
class SignOff:
    """The policy for signing: no open items, or an explicit written override reason."""

    reference: str
    open_items: tuple[str, ...]
    override_reason: str | None

    @classmethod
    def of(cls, record: DeterminationRecord) -> SignOff:
        return cls(record.case.reference, record.open_items, record.override_reason)

    @property
    def allowed(self) -> bool:
        return not self.open_items or bool(self.override_reason)

    @property
    def overridden(self) -> bool:
        """Signed despite open items; the workbook must say so, with the reason."""
        return bool(self.open_items) and bool(self.override_reason)

    def require(self) -> None:
        if self.allowed:
            return
        count = len(self.open_items)
        raise SignOffError(
            f"{self.reference} has {count} open item{'s' if count != 1 else ''} "
            f"(first: {self.open_items[0].rstrip('.')}); resolve {'them' if count != 1 else 'it'} "
            "or sign with a written override reason."
        )


# --- plain-JSON conversion of the domain objects --------------------------------------------------


def _plain(obj: Any) -> Any:
    """Dataclasses to dicts, tuples to lists, dates to ISO text, decimals to exact text."""
    if hasattr(obj, "__dataclass_fields__"):
        return {name: _plain(getattr(obj, name)) for name in obj.__dataclass_fields__}
    if isinstance(obj, tuple | list):
        return [_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _plain(v) for k, v in obj.items()}
    if isinstance(obj, Decimal):
        return str(obj)
    if isinstance(obj, date):
        return obj.isoformat()
    if isinstance(obj, str):
        return str(obj)  # StrEnum members become plain text
    return obj


# Item fields added after records were first stored, with the value every older item had. Left out
# at that value, so a record stored before the field existed re-serialises byte for byte and keeps its hash.
ADDED_ITEM_FIELDS: dict[str, Any] = {
    "ics_per_unit": 1,
    "country_of_origin": None,
    "us_content_percent": None,
    "us_technology_product": None,
    "us_technology_plant": None,
    "product_id": None,
    "dram_bandwidth": None,
    "encryption": None,
    "encryption_filed_on": None,
}
ADDED_PARTY_FIELDS: dict[str, Any] = {"kind": None, "region": None, "register_id": None}
ADDED_END_USE_FIELDS: dict[str, Any] = {
    name: False
    for name in ("nuclear", "missile", "chem_bio", "supercomputer", "advanced_ic", "sme", "us_person_support")
}


def _case_to_dict(case: Case) -> dict[str, Any]:
    data: dict[str, Any] = _plain(replace(case, ownership=None))
    data.pop("ownership", None)  # recorded beside the case (``DeterminationRecord.to_dict``), when gathered
    for children, added in (("items", ADDED_ITEM_FIELDS), ("parties", ADDED_PARTY_FIELDS)):
        for child in data[children]:
            for name, old_value in added.items():
                if name in child and child[name] == old_value:
                    del child[name]
    for name, old_value in ADDED_END_USE_FIELDS.items():
        if data["end_use"].get(name, old_value) == old_value:
            data["end_use"].pop(name, None)
    if not case.transaction_facts.recorded:
        data.pop("transaction_facts", None)  # added with TMP/RPL (issue #17): older records never held it
    return data


def _date(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _case_from_dict(raw: dict[str, Any]) -> Case:
    return Case(
        **{
            **raw,
            "transaction_date": date.fromisoformat(raw["transaction_date"]),
            "end_use": EndUse(**raw["end_use"]),
            "transaction_facts": TransactionFacts(**raw.get("transaction_facts", {})),
            "parties": tuple(Party(**{**p, "listed_on": tuple(p["listed_on"])}) for p in raw["parties"]),
            "items": tuple(
                Item(**{**i, "quantity": Decimal(i["quantity"]), "unit_value": Decimal(i["unit_value"])})
                for i in raw["items"]
            ),
            "red_flags": tuple(RedFlagAnswer(**r) for r in raw["red_flags"]),
            "documents": tuple(
                DocumentRecord(
                    **{
                        **d,
                        "signed_date": _date(d["signed_date"]),
                        "valid_from": _date(d["valid_from"]),
                        "valid_until": _date(d["valid_until"]),
                        "covers_parties": tuple(d["covers_parties"]),
                        "covers_items": tuple(d["covers_items"]),
                        "assurances": tuple(d["assurances"]),
                    }
                )
                for d in raw["documents"]
            ),
        }
    )


# Finding fields added after records were first stored, left out at their old value (as items above).
ADDED_FINDING_FIELDS: dict[str, Any] = {"provisional": None, "review_policy": None}


def _determination_to_dict(determination: Determination) -> dict[str, Any]:
    data: dict[str, Any] = _plain(determination)
    for finding in data["findings"]:
        for name, old_value in ADDED_FINDING_FIELDS.items():
            if finding.get(name, old_value) == old_value:
                finding.pop(name, None)
    return data


def _determination_from_dict(raw: dict[str, Any]) -> Determination:
    # Fields not converted here pass through, so optional fields added later still round-trip.
    return Determination(
        **{
            **raw,
            "as_of": date.fromisoformat(raw["as_of"]),
            "posture": Posture(raw["posture"]),
            "outcome": Outcome(raw["outcome"]),
            "open_items": tuple(raw["open_items"]),
            "findings": tuple(Finding(**{**f, "outcome": Outcome(f["outcome"])}) for f in raw["findings"]),
            "data_versions": {str(k): str(v) for k, v in raw["data_versions"].items()},
        }
    )


@dataclass(frozen=True, slots=True)
class DeterminationSummary:
    revision: int
    outcome: str
    determined_at: datetime
    officer: str
    content_hash: str


@dataclass(frozen=True, slots=True)
class WorkbookRecord:
    revision: int
    path: str
    file_sha256: str
    signer: str
    fingerprint: str
    signed_at: datetime
