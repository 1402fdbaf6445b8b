"""The ``workbench-case/1`` JSON interchange format for whole cases.

Pydantic checks the shape; the domain checks the meaning. Every error names the
file, the JSON path and the problem, in one sentence.
"""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Final, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field, PlainSerializer, SerializerFunctionWrapHandler, model_serializer

from workbench.domain.case import (
    MAX_CASE_DOCUMENTS,
    MAX_CASE_ITEMS,
    MAX_CASE_PARTIES,
    MAX_CASE_RED_FLAGS,
    MAX_DRAM_BANDWIDTH,
    MAX_ICS_PER_UNIT,
    Assurance,
    Case,
    CaseStatus,
    DocumentKind,
    DocumentRecord,
    EncryptionClass,
    EndUse,
    EntryType,
    Item,
    ListFlag,
    Party,
    PartyRole,
    RedFlagAnswer,
    RedFlagAnswerValue,
    ServicingKind,
    TemporaryPurpose,
    TransactionFacts,
    TransactionType,
)
from workbench.domain.errors import InputFileError, ValidationError, one_line
from workbench.domain.record import ADDED_END_USE_FIELDS, ADDED_ITEM_FIELDS, ADDED_PARTY_FIELDS
from workbench.export.atomic import write_bytes_atomic
from workbench.export.jsonfiles import domain_error, load_json_object, located, read_input_file, validate

FORMAT: Final = "workbench-case/1"
MAX_FILE_BYTES = 20 * 1024 * 1024
_LIST_LIMITS = (
    ("parties", MAX_CASE_PARTIES),
    ("items", MAX_CASE_ITEMS),
    ("documents", MAX_CASE_DOCUMENTS),
    ("red_flags", MAX_CASE_RED_FLAGS),
)
"""Counted before validation, so a file of a million empty items is refused without building them."""


def _number(value: Decimal) -> int | float:
    """Write integral decimals as JSON integers, others as the shortest float."""
    return int(value) if value == value.to_integral_value() else float(value)


JsonDecimal = Annotated[Decimal, Field(ge=0), PlainSerializer(_number, return_type=int | float)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EndUseModel(_Model):
    description: str = ""
    ai_model_training: bool = False
    military: bool = False
    wmd: bool = False
    iaas: bool = False
    nuclear: bool = Field(default=False, description="nuclear end use (15 CFR 744.2)")
    missile: bool = Field(default=False, description="rocket or UAV end use for WMD delivery (15 CFR 744.3)")
    chem_bio: bool = Field(default=False, description="chemical or biological weapons end use (15 CFR 744.4)")
    supercomputer: bool = Field(default=False, description="supercomputer end use (15 CFR 744.23)")
    advanced_ic: bool = Field(default=False, description="advanced-node IC development or production (15 CFR 744.23)")
    sme: bool = Field(default=False, description="semiconductor manufacturing equipment end use (15 CFR 744.23)")
    us_person_support: bool = Field(default=False, description="U.S.-person support of a controlled end use (744.6)")

    @model_serializer(mode="wrap")
    def _omit_added_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Case files written before the part 744 end uses existed and those written now read alike."""
        data: dict[str, Any] = handler(self)
        for name, old_value in ADDED_END_USE_FIELDS.items():
            if name in data and data[name] == old_value:
                del data[name]
        return data


class TransactionFactsModel(_Model):
    """The TMP (15 CFR 740.9) and RPL (740.10) facts; written only when one is recorded (issue #17)."""

    temporary_purpose: TemporaryPurpose | None = Field(
        default=None, description="the 740.9(a) paragraph of a temporary export (tools of trade, exhibition ...)"
    )
    return_by: date | None = Field(default=None, description="the day the items are to be back (740.9(a)(14))")
    servicing: ServicingKind | None = Field(
        default=None, description="740.10(a) replacement parts, (b)(2) serviced return or (b)(3) replacement"
    )
    improves_equipment: bool | None = Field(
        default=None, description="whether it improves the equipment's basic characteristics (740.10)"
    )
    original_authorisation: str = Field(
        default="", max_length=200, description="the earlier export's licence, licence exception or NLR"
    )


class PartyModel(_Model):
    role: PartyRole
    name: str = Field(min_length=1)
    country: str
    address: str = ""
    headquarters_country: str | None = None
    listed_on: list[ListFlag] = Field(default_factory=list)
    kind: EntryType | None = None
    region: str | None = Field(
        default=None, max_length=6, description="ISO 3166-2 subdivision of the address, e.g. UA-43 (Crimea)"
    )

    @model_serializer(mode="wrap")
    def _omit_added_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Case files written before ``kind`` existed and those written now read alike."""
        data: dict[str, Any] = handler(self)
        for name, old_value in ADDED_PARTY_FIELDS.items():
            if name in data and data[name] == old_value:
                del data[name]
        return data


class ItemModel(_Model):
    description: str = Field(min_length=1)
    manufacturer: str = ""
    model: str = ""
    eccn: str | None = None
    quantity: JsonDecimal = Decimal(1)
    unit: str = "ea"
    unit_value: JsonDecimal = Decimal(0)
    currency: str = "USD"
    tpp: float | None = Field(default=None, ge=0)
    performance_density: float | None = Field(default=None, ge=0)
    datacenter: bool = False
    prc_advanced_ic: bool = False
    ics_per_unit: int = Field(default=1, ge=1, le=MAX_ICS_PER_UNIT, strict=True)
    country_of_origin: str | None = Field(
        default=None, max_length=2, description="ISO 3166 alpha-2; null: not recorded"
    )
    us_content_percent: JsonDecimal | None = Field(
        default=None, le=100, description="US-controlled content by value, percent (de minimis, 15 CFR 734.4)"
    )
    us_technology_product: bool | None = Field(
        default=None, description="Direct product of US-origin technology or software (15 CFR 734.9); null: unknown"
    )
    us_technology_plant: bool | None = Field(
        default=None, description="Made by a plant that is a direct product of US technology (734.9); null: unknown"
    )
    dram_bandwidth: float | None = Field(default=None, ge=0, le=MAX_DRAM_BANDWIDTH, description="GB/s")
    encryption: EncryptionClass | None = Field(default=None, description="15 CFR 740.17 paragraph, or mass market")
    encryption_filed_on: date | None = Field(
        default=None, description="day the ENC classification request or self-classification report was submitted"
    )
    part_number: str | None = Field(default=None, min_length=1, max_length=100)
    """Read on import only: the product-library part number the item is matched by (never written)."""

    @model_serializer(mode="wrap")
    def _omit_added_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Case files written before ``ics_per_unit`` existed and those written now read alike."""
        data: dict[str, Any] = handler(self)
        for name, old_value in ADDED_ITEM_FIELDS.items():
            if name in data and data[name] == old_value:
                del data[name]
        data.pop("part_number", None)
        return data


class RedFlagModel(_Model):
    id: str
    answer: RedFlagAnswerValue
    note: str = ""


class DocumentModel(_Model):
    kind: DocumentKind
    filename: str
    sha256: str = ""
    issuer: str = ""
    signatory_name: str = ""
    signatory_title: str = ""
    signed_date: date | None = None
    valid_from: date | None = None
    valid_until: date | None = None
    covers_parties: list[str] = Field(default_factory=list)
    covers_items: list[int] = Field(default_factory=list)
    assurances: list[Assurance] = Field(default_factory=list)
    note: str = ""


class CaseFileModel(_Model):
    """A whole export case as exchanged between workbenches."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Workbench case file")

    format: Literal["workbench-case/1"]
    reference: str
    title: str
    status: CaseStatus = CaseStatus.DRAFT
    transaction_date: date
    transaction_type: TransactionType = TransactionType.EXPORT
    export_from: str
    destination: str
    parties: list[PartyModel] = Field(default_factory=list)
    end_use: EndUseModel = Field(default_factory=EndUseModel)
    items: list[ItemModel] = Field(default_factory=list)
    red_flags: list[RedFlagModel] = Field(default_factory=list)
    documents: list[DocumentModel] = Field(default_factory=list)
    transaction_facts: TransactionFactsModel | None = None

    @model_serializer(mode="wrap")
    def _omit_added_defaults(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        """Case files of cases without TMP/RPL facts read as they did before those facts existed."""
        data: dict[str, Any] = handler(self)
        if data.get("transaction_facts") is None:
            data.pop("transaction_facts", None)
        return data


def json_schema() -> dict[str, Any]:
    schema = CaseFileModel.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["$id"] = "https://workbench.invalid/schemas/case-file-1.schema.json"
    return schema


def model_to_case(model: CaseFileModel) -> Case:
    """Build the domain case, locating domain validation errors by JSON path."""
    parties = tuple(located(f"$.parties[{i}]", Party, **p.model_dump()) for i, p in enumerate(model.parties))
    items = tuple(
        located(f"$.items[{i}]", Item, **it.model_dump(exclude={"part_number"})) for i, it in enumerate(model.items)
    )
    red_flags = tuple(
        located(f"$.red_flags[{i}]", RedFlagAnswer, flag_id=r.id, answer=r.answer, note=r.note)
        for i, r in enumerate(model.red_flags)
    )
    documents = tuple(
        located(
            f"$.documents[{i}]",
            DocumentRecord,
            **{
                **d.model_dump(),
                "covers_parties": tuple(d.covers_parties),
                "covers_items": tuple(d.covers_items),
                "assurances": tuple(d.assurances),
            },
        )
        for i, d in enumerate(model.documents)
    )
    try:
        return Case(
            reference=model.reference,
            title=model.title,
            status=model.status,
            transaction_date=model.transaction_date,
            transaction_type=model.transaction_type,
            export_from=model.export_from,
            destination=model.destination,
            end_use=located("$.end_use", EndUse, **model.end_use.model_dump()),
            parties=parties,
            items=items,
            red_flags=red_flags,
            documents=documents,
            transaction_facts=located(
                "$.transaction_facts",
                TransactionFacts,
                **(model.transaction_facts.model_dump() if model.transaction_facts else {}),
            ),
        )
    except ValidationError as exc:
        if exc.field.startswith("$"):
            raise
        raise exc.at("$") from None


def parse_case_json(data: bytes | str, source: str = "case file") -> Case:
    """Parse a case file's content; ``source`` names it in error messages."""
    return parse_case_json_with_parts(data, source)[0]


def parse_case_json_with_parts(data: bytes | str, source: str = "case file") -> tuple[Case, tuple[str | None, ...]]:
    """The case and, per item, the part number the file gives it (None when it gives none)."""
    raw = load_json_object(data, source, "case file")
    if "format" in raw and raw["format"] != FORMAT:
        raise InputFileError(
            one_line(
                f"{source}: $.format: unsupported format {raw['format']!r}; this workbench reads '{FORMAT}' files, "
                "export the case again from a compatible version."
            )
        )
    for key, limit in _LIST_LIMITS:
        value = raw.get(key)
        if isinstance(value, list) and len(value) > limit:
            raise InputFileError(
                f"{source}: $.{key}: has {len(value):,} entries; a case holds at most {limit:,}, split it."
            )
    model = validate(CaseFileModel, raw, source, "case file")
    try:
        return model_to_case(model), tuple(item.part_number for item in model.items)
    except ValidationError as exc:
        raise domain_error(source, exc) from None


def read_case_file(path: Path) -> Case:
    """Read and validate a case file from disk."""
    return read_case_file_with_parts(path)[0]


def read_case_file_with_parts(path: Path) -> tuple[Case, tuple[str | None, ...]]:
    """Read and validate a case file from disk, with the part numbers its items give."""
    return parse_case_json_with_parts(read_input_file(path, "case file", MAX_FILE_BYTES), str(path))


ModelT = TypeVar("ModelT", bound=BaseModel)


def _from_entity(model: type[ModelT], entity: object, **overrides: Any) -> ModelT:
    """Build a file model from the domain entity's fields of the same names (tuples become lists)."""
    values = {}
    for name in model.model_fields:
        if name in overrides:
            continue
        value = getattr(entity, name)
        values[name] = list(value) if isinstance(value, tuple) else value
    return model(**values, **overrides)


def case_to_model(case: Case) -> CaseFileModel:
    return _from_entity(
        CaseFileModel,
        case,
        format=FORMAT,
        parties=[_from_entity(PartyModel, p) for p in case.parties],
        end_use=_from_entity(EndUseModel, case.end_use),
        items=[_from_entity(ItemModel, i, part_number=None) for i in case.items],
        red_flags=[RedFlagModel(id=r.flag_id, answer=r.answer, note=r.note) for r in case.red_flags],
        documents=[_from_entity(DocumentModel, d) for d in case.documents],
        transaction_facts=(
            _from_entity(TransactionFactsModel, case.transaction_facts) if case.transaction_facts.recorded else None
        ),
    )


def case_to_json(case: Case) -> dict[str, Any]:
    """The case as a JSON-ready dict (every field written, defaults included)."""
    return case_to_model(case).model_dump(mode="json")


def dumps_case(case: Case) -> str:
    return json.dumps(case_to_json(case), indent=2, ensure_ascii=False) + "\n"


def write_case_file(case: Case, path: Path) -> None:
    """Write the case file atomically."""
    write_bytes_atomic(path, dumps_case(case).encode("utf-8"))
