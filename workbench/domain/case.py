"""The export case and its parts: parties, items, end use, red-flag answers, documents.

Entities are frozen dataclasses validated on construction, so an invalid case
cannot exist in memory; edits go through ``dataclasses.replace``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING

import pycountry

from workbench.domain.countries import country_code, subdivision_code
from workbench.domain.eccn import normalise_eccn
from workbench.domain.errors import ValidationError
from workbench.domain.validation import bounded_decimal, bounded_float, optional_id
from workbench.domain.validation import text as _text

if TYPE_CHECKING:
    from workbench.domain.case_ownership import OwnershipFacts


class CaseStatus(StrEnum):
    DRAFT = "draft"
    IN_REVIEW = "in_review"
    DETERMINED = "determined"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        """How the status reads in lists and menus ("In review")."""
        return self.value.replace("_", " ").capitalize()


# Which status may follow which: a case goes forward, or back to draft to be reworked.
_TRANSITIONS: dict[CaseStatus, frozenset[CaseStatus]] = {
    CaseStatus.DRAFT: frozenset({CaseStatus.IN_REVIEW, CaseStatus.DETERMINED}),
    CaseStatus.IN_REVIEW: frozenset({CaseStatus.DRAFT, CaseStatus.DETERMINED}),
    CaseStatus.DETERMINED: frozenset({CaseStatus.DRAFT, CaseStatus.IN_REVIEW, CaseStatus.CLOSED}),
    CaseStatus.CLOSED: frozenset(),
}


class TransactionType(StrEnum):
    EXPORT = "export"
    REEXPORT = "reexport"
    IN_COUNTRY_TRANSFER = "in_country_transfer"


class PartyRole(StrEnum):
    APPLICANT = "applicant"
    PURCHASER = "purchaser"
    INTERMEDIATE_CONSIGNEE = "intermediate_consignee"
    ULTIMATE_CONSIGNEE = "ultimate_consignee"
    END_USER = "end_user"
    OTHER = "other"


class EntryType(StrEnum):
    """What a listed entry, or a party, is: an organisation, an individual, a vessel, an aircraft.

    Defined here so that a case party's ``kind`` and a list entry's type share one vocabulary
    (``workbench.domain.screening`` re-exports it).
    """

    ENTITY = "entity"
    INDIVIDUAL = "individual"
    VESSEL = "vessel"
    AIRCRAFT = "aircraft"


class ListFlag(StrEnum):
    """Restricted-party lists an officer may declare a party to be on (before screening)."""

    ENTITY_LIST = "entity_list"
    DENIED_PERSONS = "denied_persons"
    UNVERIFIED = "unverified"
    MILITARY_END_USER = "military_end_user"
    SDN = "sdn"


class EncryptionClass(StrEnum):
    """How an encryption item stands under License Exception ENC (15 CFR 740.17) or the mass-market rule.

    The paragraph decides what must be filed and where the item may go: (b)(1) after a
    self-classification report, (b)(2) and (b)(3) after a classification request (30 days outside
    the Supp. 3 countries), mass market after self-classification or classification (5A992.c/5D992.c).
    """

    B1 = "b1"
    B2 = "b2"
    B3 = "b3"
    MASS_MARKET = "mass_market"
    NOT_ELIGIBLE = "not_eligible"


class TemporaryPurpose(StrEnum):
    """Why items leave temporarily under License Exception TMP: the paragraph of 15 CFR 740.9(a) relied on."""

    TOOLS_OF_TRADE = "tools_of_trade"
    """740.9(a)(1): tools of trade for use by the exporter or its employees, under their effective control."""
    REPLACEMENT_KIT = "replacement_kit"
    """740.9(a)(4): kits of replacement parts or components, all returned but for one-for-one RPL replacements."""
    EXHIBITION = "exhibition"
    """740.9(a)(5): exhibition or demonstration, the exporter keeping ownership and effective control."""
    INSPECTION_REPAIR = "inspection_repair"
    """740.9(a)(6): commodities to be inspected, tested, calibrated or repaired abroad."""
    ASSEMBLY_MEXICO = "assembly_mexico"
    """740.9(a)(8): commodities exported to an IMMEX facility in Mexico, returned within four years."""
    US_SUBSIDIARY = "us_subsidiary"
    """740.9(a)(10): parts, tools or test equipment sent by a U.S. person to its own subsidiary or facility."""


class ServicingKind(StrEnum):
    """What License Exception RPL (15 CFR 740.10) is asked to cover."""

    REPLACEMENT_PARTS = "replacement_parts"
    """740.10(a): one-for-one replacement parts for equipment lawfully exported before."""
    SERVICED_RETURN = "serviced_return"
    """740.10(b)(2): the return of items sent to the US or a foreign party for servicing."""
    DEFECTIVE_REPLACEMENT = "defective_replacement"
    """740.10(b)(3): a replacement for a defective or unacceptable item exported before."""


@dataclass(frozen=True, slots=True)
class TransactionFacts:
    """The transaction facts License Exceptions TMP and RPL turn on (None / empty: not recorded).

    They belong to the case, which is one transaction: a shipment that mixes a temporary export
    with a permanent one is two cases.
    """

    temporary_purpose: TemporaryPurpose | None = None
    return_by: date | None = None
    """The day the items are to be back (740.9(a)(14): no later than one year after export)."""
    servicing: ServicingKind | None = None
    improves_equipment: bool | None = None
    """Whether the part, replacement or servicing improves or changes the equipment's basic characteristics."""
    original_authorisation: str = ""
    """The earlier export's authority (licence number, licence exception or NLR) RPL relies on."""

    def __post_init__(self) -> None:
        if self.temporary_purpose is not None:
            object.__setattr__(
                self, "temporary_purpose", _choice(TemporaryPurpose, self.temporary_purpose, "temporary_purpose")
            )
        if self.servicing is not None:
            object.__setattr__(self, "servicing", _choice(ServicingKind, self.servicing, "servicing"))
        object.__setattr__(self, "return_by", _optional_date(self.return_by, "return_by"))
        if self.improves_equipment is not None and not isinstance(self.improves_equipment, bool):
            raise ValidationError(
                "improves_equipment", f"'{self.improves_equipment}' is not yes (true), no (false) or unknown (empty)"
            )
        object.__setattr__(
            self,
            "original_authorisation",
            _text(self.original_authorisation, "original_authorisation", required=False, max_len=200),
        )

    @property
    def recorded(self) -> bool:
        """Whether any fact is recorded (an empty set is left out of case files and record hashes)."""
        return self != TransactionFacts()


def _optional_date(value: object, name: str) -> date | None:
    """A date field given as a date, an ISO string (case files, the CLI) or None (not recorded)."""
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValidationError(name, f"'{value}' is not a date (YYYY-MM-DD)") from None
    if value is not None and not isinstance(value, date):
        raise ValidationError(name, "must be a date (YYYY-MM-DD)")
    return value


def _choice(kind: type[StrEnum], value: object, name: str) -> StrEnum:
    try:
        return kind(str(value))
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise ValidationError(name, f"'{value}' is not one of {allowed}") from None


class RedFlagAnswerValue(StrEnum):
    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{0,63}$")


def validate_reference(value: object) -> str:
    """A case reference is short, printable and safe as a file name part."""
    text = _text(value, "reference", max_len=64)
    if not _REFERENCE.match(text):
        raise ValidationError(
            "reference",
            f"'{text}' is not a valid case reference; use letters, digits and - _ . / only, e.g. EC-2026-0042",
        )
    return text


@dataclass(frozen=True, slots=True)
class EndUse:
    description: str = ""
    ai_model_training: bool = False
    military: bool = False
    wmd: bool = False
    """A weapons-of-mass-destruction end use whose kind is not stated (files written before the three below)."""
    iaas: bool = False
    nuclear: bool = False
    """Nuclear explosive or unsafeguarded nuclear activities (15 CFR 744.2)."""
    missile: bool = False
    """Rocket systems or unmanned aerial vehicles for WMD delivery (15 CFR 744.3)."""
    chem_bio: bool = False
    """Chemical or biological weapons (15 CFR 744.4)."""
    supercomputer: bool = False
    """Development, production, use or servicing of a supercomputer (15 CFR 744.23)."""
    advanced_ic: bool = False
    """Development or production of ICs at an advanced-node facility (15 CFR 744.23)."""
    sme: bool = False
    """Development or production of semiconductor manufacturing equipment or its parts (15 CFR 744.23)."""
    us_person_support: bool = False
    """A U.S. person supports a controlled end use (15 CFR 744.6), e.g. advanced-node IC production."""

    def __post_init__(self) -> None:
        object.__setattr__(
            self, "description", _text(self.description, "end_use.description", required=False, max_len=4000)
        )
        for name in _END_USE_FLAGS:
            value = getattr(self, name)
            if not isinstance(value, bool):
                if value not in (0, 1) or not isinstance(value, int):
                    raise ValidationError(f"end_use.{name}", f"must be true or false, not {value!r}")
                object.__setattr__(self, name, bool(value))


_END_USE_FLAGS = (
    "ai_model_training",
    "military",
    "wmd",
    "iaas",
    "nuclear",
    "missile",
    "chem_bio",
    "supercomputer",
    "advanced_ic",
    "sme",
    "us_person_support",
)


@dataclass(frozen=True, slots=True)
class Party:
    role: PartyRole
    name: str
    country: str
    address: str = ""
    headquarters_country: str | None = None
    listed_on: tuple[ListFlag, ...] = ()
    kind: EntryType | None = None
    """Organisation (``entity``), individual, vessel or aircraft; None when not recorded."""
    region: str | None = None
    """ISO 3166-2 subdivision of the address (e.g. UA-43 Crimea), for region-level sanctions (§746.6)."""
    register_id: int | None = None
    """The counterparty-register party this case party references; None for a party kept only in the case."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "role", PartyRole(self.role))
        if self.kind is not None:
            try:
                object.__setattr__(self, "kind", EntryType(self.kind))
            except ValueError:
                kinds = ", ".join(k.value for k in EntryType)
                raise ValidationError("kind", f"'{self.kind}' is not a party kind (one of {kinds})") from None
        object.__setattr__(self, "name", _text(self.name, "name"))
        object.__setattr__(self, "country", country_code(self.country, "country"))
        object.__setattr__(self, "address", _text(self.address, "address", required=False, max_len=1000))
        if self.headquarters_country is not None:
            hq = country_code(self.headquarters_country, "headquarters_country")
            object.__setattr__(self, "headquarters_country", hq)
        object.__setattr__(self, "listed_on", tuple(ListFlag(x) for x in self.listed_on))
        if self.region is not None:
            object.__setattr__(self, "region", subdivision_code(self.region, self.country, "region"))
        object.__setattr__(self, "register_id", optional_id(self.register_id, "register_id"))

    @property
    def effective_headquarters(self) -> str:
        """Where the party or its ultimate parent is headquartered; its own country if not stated."""
        return self.headquarters_country or self.country


MAX_ICS_PER_UNIT = 100_000
MAX_QUANTITY = Decimal(10) ** 12
"""A trillion units: beyond any shipment, small enough that every product stays exact."""
MAX_UNIT_VALUE = Decimal(10) ** 12
MAX_ITEM_VALUE = Decimal(10) ** 15
"""Quantity x unit value of one line, in its currency (a quadrillion: beyond any real transaction)."""
MAX_DECIMAL_PLACES = 6
MAX_TPP = 10_000_000.0
"""Total processing performance per IC: 300 times today's largest chips, far below float overflow."""
MAX_PERFORMANCE_DENSITY = 10_000_000.0
"""TPP per mm² of die: no IC can exceed its TPP over one square millimetre."""
MAX_DRAM_BANDWIDTH = 1_000_000.0
"""GB/s: a thousand times today's largest memory systems."""
MAX_CASE_PARTIES = 1_000
MAX_CASE_ITEMS = 10_000
MAX_CASE_DOCUMENTS = 1_000
MAX_CASE_RED_FLAGS = 1_000


@dataclass(frozen=True, slots=True)
class Item:
    description: str
    eccn: str | None = None
    manufacturer: str = ""
    model: str = ""
    quantity: Decimal = Decimal(1)
    unit: str = "ea"
    unit_value: Decimal = Decimal(0)
    currency: str = "USD"
    tpp: float | None = None
    performance_density: float | None = None
    datacenter: bool = False
    prc_advanced_ic: bool = False
    ics_per_unit: int = 1
    """Advanced ICs in one unit (8 for an 8-GPU board): TPP is per IC, caps count every IC shipped."""
    country_of_origin: str | None = None
    """Where the item was made (ISO 3166 alpha-2), None if not recorded: foreign-made items meet de minimis and FDP."""
    us_content_percent: Decimal | None = None
    """US-controlled content by value, in percent (0-100), for the de minimis rule (§734.4); None when not known."""
    product_id: int | None = None
    """The product-library product this item references; None for a case-only item."""
    us_technology_product: bool | None = None
    """Foreign direct product facts (15 CFR 734.9): a direct product of US-origin technology or software of
    the ECCNs the FDP rules list; None when not known (an open item where a rule would reach the item)."""
    us_technology_plant: bool | None = None
    """Produced by a plant, or a major component of a plant, that is itself a direct product of such US
    technology or software (734.9); None when not known."""
    dram_bandwidth: float | None = None
    """DRAM bandwidth in GB/s, the unit of the H200 review-policy ceiling (91 FR 1684); None when not recorded."""
    encryption: EncryptionClass | None = None
    """Where an encryption item stands under 15 CFR 740.17 (ENC) or as mass market; None when not recorded."""
    encryption_filed_on: date | None = None
    """The day the ENC classification request or self-classification report was submitted; None if not."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "description", _text(self.description, "description", max_len=2000))
        object.__setattr__(self, "eccn", normalise_eccn(self.eccn))
        object.__setattr__(self, "manufacturer", _text(self.manufacturer, "manufacturer", required=False))
        object.__setattr__(self, "model", _text(self.model, "model", required=False))
        object.__setattr__(self, "unit", _text(self.unit, "unit", max_len=20))
        quantity = bounded_decimal(self.quantity, "quantity", maximum=MAX_QUANTITY, places=MAX_DECIMAL_PLACES)
        unit_value = bounded_decimal(self.unit_value, "unit_value", maximum=MAX_UNIT_VALUE, places=MAX_DECIMAL_PLACES)
        if quantity * unit_value > MAX_ITEM_VALUE:
            raise ValidationError(
                "unit_value",
                f"quantity x unit value is {quantity * unit_value:,f}, above the {MAX_ITEM_VALUE:,} a line may "
                "total; check both figures",
            )
        object.__setattr__(self, "quantity", quantity)
        object.__setattr__(self, "unit_value", unit_value)
        object.__setattr__(self, "tpp", bounded_float(self.tpp, "tpp", maximum=MAX_TPP))
        object.__setattr__(
            self,
            "performance_density",
            bounded_float(self.performance_density, "performance_density", maximum=MAX_PERFORMANCE_DENSITY),
        )
        if isinstance(self.ics_per_unit, bool) or not isinstance(self.ics_per_unit, int):
            raise ValidationError("ics_per_unit", f"'{self.ics_per_unit}' is not a whole number of ICs per unit")
        if not 1 <= self.ics_per_unit <= MAX_ICS_PER_UNIT:
            raise ValidationError(
                "ics_per_unit",
                f"must be between 1 and {MAX_ICS_PER_UNIT:,} (the advanced ICs in one unit, e.g. 8 for an 8-GPU "
                f"board; got {self.ics_per_unit})",
            )
        currency = str(self.currency).strip().upper()
        if pycountry.currencies.get(alpha_3=currency) is None:
            raise ValidationError("currency", f"'{self.currency}' is not an ISO 4217 currency code, e.g. USD")
        object.__setattr__(self, "currency", currency)
        if self.country_of_origin is not None:
            object.__setattr__(self, "country_of_origin", country_code(self.country_of_origin, "country_of_origin"))
        if self.us_content_percent is not None:
            percent = bounded_decimal(self.us_content_percent, "us_content_percent", maximum=Decimal(100), places=4)
            object.__setattr__(self, "us_content_percent", percent)
        object.__setattr__(self, "product_id", optional_id(self.product_id, "product_id"))
        for name in ("us_technology_product", "us_technology_plant"):
            value = getattr(self, name)
            if value is not None and not isinstance(value, bool):
                raise ValidationError(name, f"'{value}' is not yes (true), no (false) or unknown (empty)")
        object.__setattr__(
            self, "dram_bandwidth", bounded_float(self.dram_bandwidth, "dram_bandwidth", maximum=MAX_DRAM_BANDWIDTH)
        )
        if self.encryption is not None:
            try:
                object.__setattr__(self, "encryption", EncryptionClass(self.encryption))
            except ValueError:
                allowed = ", ".join(e.value for e in EncryptionClass)
                raise ValidationError(
                    "encryption", f"'{self.encryption}' is not an encryption class (one of {allowed})"
                ) from None
        object.__setattr__(self, "encryption_filed_on", _optional_date(self.encryption_filed_on, "encryption_filed_on"))

    @property
    def total_value(self) -> Decimal:
        return self.quantity * self.unit_value

    @property
    def total_tpp(self) -> Decimal | None:
        """TPP of every IC shipped (TPP x ICs per unit x quantity), as caps such as LPP count it."""
        if self.tpp is None:
            return None
        return Decimal(str(self.tpp)) * self.ics_per_unit * self.quantity


@dataclass(frozen=True, slots=True)
class RedFlagAnswer:
    flag_id: str
    answer: RedFlagAnswerValue
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "flag_id", _text(self.flag_id, "flag_id", max_len=64))
        object.__setattr__(self, "answer", RedFlagAnswerValue(self.answer))
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=4000))


class DocumentKind(StrEnum):
    EUC = "euc"
    BIS_711 = "bis_711"
    IMPORT_CERTIFICATE = "import_certificate"
    LETTER_OF_ASSURANCE = "letter_of_assurance"
    UVL_STATEMENT = "uvl_statement"
    NAC_NOTIFICATION = "nac_notification"
    DATASHEET = "datasheet"
    OTHER = "other"


class Assurance(StrEnum):
    """Assurances a supporting document can contain (BIS-711 and EUC content)."""

    END_USE_STATEMENT = "end_use_statement"
    NO_REEXPORT = "no_reexport_without_authorisation"
    NO_MILITARY_WMD = "no_military_wmd_end_use"
    CONSIGNEE_NAMED = "consignee_named"
    END_USER_NAMED = "end_user_named"


_SHA256 = re.compile(r"^[0-9a-f]{64}$")


@dataclass(frozen=True, slots=True)
class DocumentRecord:
    """What the officer recorded about a supporting document (the file itself lives in the document store)."""

    kind: DocumentKind
    filename: str
    sha256: str = ""
    issuer: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    signed_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    covers_parties: tuple[str, ...] = ()
    covers_items: tuple[int, ...] = ()
    """1-based positions of the case's items the document covers."""
    assurances: tuple[Assurance, ...] = ()
    note: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "kind", DocumentKind(self.kind))
        object.__setattr__(self, "covers_parties", tuple(self.covers_parties))
        object.__setattr__(self, "covers_items", tuple(int(i) for i in self.covers_items))
        try:
            object.__setattr__(self, "assurances", tuple(Assurance(a) for a in self.assurances))
        except ValueError as exc:
            allowed = ", ".join(a.value for a in Assurance)
            raise ValidationError("assurances", f"{exc}; use one of {allowed}") from None
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=4000))
        filename = _text(self.filename, "filename", max_len=255)
        if "/" in filename or "\\" in filename or filename in {".", ".."}:
            raise ValidationError("filename", f"'{filename}' must be a plain file name, without folders")
        object.__setattr__(self, "filename", filename)
        sha = self.sha256.strip().lower()
        if sha and not _SHA256.match(sha):
            raise ValidationError("sha256", "must be 64 hexadecimal characters (a SHA-256 digest)")
        object.__setattr__(self, "sha256", sha)
        for name in ("issuer", "signatory_name", "signatory_title"):
            object.__setattr__(self, name, _text(getattr(self, name), name, required=False))
        if self.signed_date and self.valid_until and self.valid_until < self.signed_date:
            raise ValidationError(
                "valid_until",
                f"the document expires ({self.valid_until}) before it was signed ({self.signed_date}); "
                "check both dates",
            )
        if self.valid_from and self.valid_until and self.valid_until < self.valid_from:
            raise ValidationError(
                "valid_until",
                f"the document expires ({self.valid_until}) before it becomes valid ({self.valid_from}); "
                "check both dates",
            )


@dataclass(frozen=True, slots=True)
class Case:
    reference: str
    title: str
    transaction_date: date
    export_from: str
    destination: str
    transaction_type: TransactionType = TransactionType.EXPORT
    status: CaseStatus = CaseStatus.DRAFT
    end_use: EndUse = field(default_factory=EndUse)
    parties: tuple[Party, ...] = ()
    items: tuple[Item, ...] = ()
    red_flags: tuple[RedFlagAnswer, ...] = ()
    documents: tuple[DocumentRecord, ...] = ()
    transaction_facts: TransactionFacts = field(default_factory=TransactionFacts)
    """Facts of a temporary export (TMP, 15 CFR 740.9) or of servicing and replacement (RPL, 740.10)."""
    version: int = 0
    """Optimistic-locking counter kept by the store; 0 for a case never saved."""
    ownership: OwnershipFacts | None = field(default=None, compare=False, repr=False)
    """The register's ownership facts around the case's register parties, gathered by services for a
    check (None: not gathered). Not the case's own data: not compared, not in case files."""

    def __post_init__(self) -> None:
        from workbench.domain.case_ownership import OwnershipFacts

        if self.ownership is not None and not isinstance(self.ownership, OwnershipFacts):
            raise ValidationError("ownership", "must be the ownership facts gathered from the register")
        object.__setattr__(self, "reference", validate_reference(self.reference))
        object.__setattr__(self, "title", _text(self.title, "title", max_len=300))
        object.__setattr__(self, "status", CaseStatus(self.status))
        object.__setattr__(self, "transaction_type", TransactionType(self.transaction_type))
        object.__setattr__(self, "export_from", country_code(self.export_from, "export_from"))
        object.__setattr__(self, "destination", country_code(self.destination, "destination"))
        if not isinstance(self.transaction_date, date):
            raise ValidationError("transaction_date", "must be a date (YYYY-MM-DD)")
        if self.transaction_type is TransactionType.IN_COUNTRY_TRANSFER and self.export_from != self.destination:
            raise ValidationError(
                "destination",
                f"an in-country transfer stays in one country, but export_from is {self.export_from} "
                f"and destination is {self.destination}",
            )
        object.__setattr__(self, "parties", tuple(self.parties))
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "red_flags", tuple(self.red_flags))
        object.__setattr__(self, "documents", tuple(self.documents))
        if not isinstance(self.transaction_facts, TransactionFacts):
            raise ValidationError("transaction_facts", "must be the case's TMP/RPL transaction facts")
        for name, limit in (
            ("parties", MAX_CASE_PARTIES),
            ("items", MAX_CASE_ITEMS),
            ("documents", MAX_CASE_DOCUMENTS),
            ("red_flags", MAX_CASE_RED_FLAGS),
        ):
            count = len(getattr(self, name))
            if count > limit:
                raise ValidationError(name, f"has {count:,} entries; a case holds at most {limit:,}, split it")
        seen: set[str] = set()
        for i, answer in enumerate(self.red_flags):
            if answer.flag_id in seen:
                raise ValidationError(f"red_flags[{i}].flag_id", f"'{answer.flag_id}' is answered twice")
            seen.add(answer.flag_id)
        party_names = {p.name for p in self.parties}
        for i, doc in enumerate(self.documents):
            for j, name in enumerate(doc.covers_parties):
                if name not in party_names:
                    raise ValidationError(
                        f"documents[{i}].covers_parties[{j}]",
                        f"'{name}' is not a party of this case; name a party exactly as listed",
                    )
            for j, position in enumerate(doc.covers_items):
                if not 1 <= position <= len(self.items):
                    raise ValidationError(
                        f"documents[{i}].covers_items[{j}]",
                        f"item {position} does not exist; the case has {len(self.items)} items, numbered from 1",
                    )

    def can_move_to(self, status: CaseStatus) -> bool:
        return status in _TRANSITIONS[self.status]

    def with_status(self, status: CaseStatus) -> Case:
        """Return the case in ``status``, refusing transitions the workflow does not allow."""
        from dataclasses import replace

        status = CaseStatus(status)
        if status == self.status:
            return self
        if not self.can_move_to(status):
            raise ValidationError("status", f"a {self.status.value} case cannot be moved to {status.value}")
        return replace(self, status=status)

    def parties_in(self, *roles: PartyRole) -> tuple[Party, ...]:
        return tuple(p for p in self.parties if p.role in roles)

    @property
    def total_value(self) -> Decimal:
        return sum((i.total_value for i in self.items), Decimal(0))


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """One row of the case list: what a table shows without loading the whole case."""

    reference: str
    title: str
    status: CaseStatus
    transaction_date: date
    destination: str
    party_names: str
    item_count: int
    outcome: str | None
    updated_at: str
