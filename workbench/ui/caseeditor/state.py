"""The editor's state as plain values, and how it becomes a validated ``Case``.

The widgets edit loose values (text as typed, flags), so a half-finished edit can
live in the editor, be undone and be autosaved as a draft. Building a candidate
``Case`` from them runs the domain's validation, whose errors the editor shows.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation
from enum import StrEnum
from typing import Any, TypeVar

from workbench.domain.case import (
    Case,
    EncryptionClass,
    EndUse,
    EntryType,
    Item,
    Party,
    PartyRole,
    ServicingKind,
    TemporaryPurpose,
    TransactionFacts,
)
from workbench.domain.errors import ValidationError
from workbench.services.reference import eccn_problem

Row = dict[str, Any]
EnumT = TypeVar("EnumT", bound=StrEnum)

BASIC_END_USE_FLAGS = {
    "end_use.ai_model_training": "AI model training",
    "end_use.military": "Military end use",
    "end_use.wmd": "WMD end use",
    "end_use.iaas": "Infrastructure as a service (IaaS)",
}
PART744_END_USE_FLAGS = {
    "end_use.nuclear": "Nuclear (§744.2)",
    "end_use.missile": "Missile / UAV for WMD (§744.3)",
    "end_use.chem_bio": "Chemical or biological weapons (§744.4)",
    "end_use.supercomputer": "Supercomputer (§744.23)",
    "end_use.advanced_ic": "Advanced-node IC production (§744.23)",
    "end_use.sme": "Chip-making equipment production (§744.23)",
    "end_use.us_person_support": "U.S.-person support (§744.6)",
}
END_USE_FLAGS = {**BASIC_END_USE_FLAGS, **PART744_END_USE_FLAGS}
TEMPORARY_PURPOSES = {
    "": "Not a temporary export",
    TemporaryPurpose.TOOLS_OF_TRADE.value: "Tools of trade (§740.9(a)(1))",
    TemporaryPurpose.REPLACEMENT_KIT.value: "Kit of replacement parts (§740.9(a)(4))",
    TemporaryPurpose.EXHIBITION.value: "Exhibition or demonstration (§740.9(a)(5))",
    TemporaryPurpose.INSPECTION_REPAIR.value: "Inspection, test, calibration, repair (§740.9(a)(6))",
    TemporaryPurpose.ASSEMBLY_MEXICO.value: "Assembly in Mexico, IMMEX (§740.9(a)(8))",
    TemporaryPurpose.US_SUBSIDIARY.value: "To a U.S. person's own facility abroad (§740.9(a)(10))",
}
SERVICING_KINDS = {
    "": "No servicing or replacement",
    ServicingKind.REPLACEMENT_PARTS.value: "One-for-one replacement parts (§740.10(a))",
    ServicingKind.SERVICED_RETURN.value: "Return of a serviced item (§740.10(b)(2))",
    ServicingKind.DEFECTIVE_REPLACEMENT.value: "Replacement of a defective item (§740.10(b)(3))",
}
FACT_KEYS = (
    "facts.temporary_purpose",
    "facts.return_by",
    "facts.servicing",
    "facts.improves_equipment",
    "facts.original_authorisation",
)
GENERAL_KEYS = (
    "title",
    "transaction_type",
    "transaction_date",
    "export_from",
    "destination",
    "end_use.description",
    *END_USE_FLAGS,
    *FACT_KEYS,
)


def _plain(value: Decimal | float | None) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value.normalize(), "f") if value == value.to_integral_value() else str(value)
    return f"{value:g}"


def general_from_case(case: Case) -> Row:
    return {
        "title": case.title,
        "transaction_type": case.transaction_type.value,
        "transaction_date": case.transaction_date.isoformat(),
        "export_from": case.export_from,
        "destination": case.destination,
        "end_use.description": case.end_use.description,
        **{key: getattr(case.end_use, key.removeprefix("end_use.")) for key in END_USE_FLAGS},
        **_facts_row(case.transaction_facts),
    }


def _facts_row(facts: TransactionFacts) -> Row:
    return {
        "facts.temporary_purpose": facts.temporary_purpose.value if facts.temporary_purpose else "",
        "facts.return_by": facts.return_by.isoformat() if facts.return_by else "",
        "facts.servicing": facts.servicing.value if facts.servicing else "",
        "facts.improves_equipment": _fact_text(facts.improves_equipment),
        "facts.original_authorisation": facts.original_authorisation,
    }


def _member(kind: type[EnumT], value: object, field: str) -> EnumT | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return kind(text)
    except ValueError:
        allowed = ", ".join(k.value for k in kind)
        raise ValidationError(field, f"'{value}' is not one of {allowed}") from None


def _facts(general: Row) -> TransactionFacts:
    """The TMP/RPL facts of the form; an error is located at its field (``facts.return_by``)."""
    try:
        return TransactionFacts(
            temporary_purpose=_member(TemporaryPurpose, general.get("facts.temporary_purpose"), "temporary_purpose"),
            return_by=_optional_date(general.get("facts.return_by"), "return_by"),
            servicing=_member(ServicingKind, general.get("facts.servicing"), "servicing"),
            improves_equipment=_fact(general.get("facts.improves_equipment"), "improves_equipment"),
            original_authorisation=general.get("facts.original_authorisation", ""),
        )
    except ValidationError as exc:
        raise exc.at("facts") from None


def party_row(party: Party | None = None) -> Row:
    if party is None:
        return {
            "role": PartyRole.END_USER.value,
            "name": "",
            "country": "",
            "headquarters_country": "",
            "address": "",
            "listed_on": [],
            "kind": "",
            "register_id": None,
            "region": "",
        }
    return {
        "role": party.role.value,
        "name": party.name,
        "country": party.country,
        "headquarters_country": party.headquarters_country or "",
        "address": party.address,
        "listed_on": [flag.value for flag in party.listed_on],
        "kind": party.kind.value if party.kind else "",
        "register_id": party.register_id,
        "region": party.region or "",
    }


def item_row(item: Item | None = None) -> Row:
    item = item or Item(description="New item")
    return {
        "description": item.description,
        "eccn": item.eccn or "",
        "manufacturer": item.manufacturer,
        "model": item.model,
        "quantity": _plain(item.quantity),
        "unit": item.unit,
        "unit_value": _plain(item.unit_value),
        "currency": item.currency,
        "tpp": _plain(item.tpp),
        "performance_density": _plain(item.performance_density),
        "datacenter": item.datacenter,
        "prc_advanced_ic": item.prc_advanced_ic,
        "ics_per_unit": str(item.ics_per_unit),
        "country_of_origin": item.country_of_origin or "",
        "us_content_percent": _plain(item.us_content_percent),
        "us_technology_product": _fact_text(item.us_technology_product),
        "us_technology_plant": _fact_text(item.us_technology_plant),
        "dram_bandwidth": _plain(item.dram_bandwidth),
        "encryption": item.encryption.value if item.encryption else "",
        "encryption_filed_on": item.encryption_filed_on.isoformat() if item.encryption_filed_on else "",
        "product_id": item.product_id,
        "product": "",  # the part number shown for product_id (the editor fills it; it can ask the library)
    }


def _fact_text(value: bool | None) -> str:
    """A yes/no/unknown fact as the editor keeps it: "yes", "no" or "" (not known)."""
    return "" if value is None else "yes" if value else "no"


def _fact(value: object, field: str) -> bool | None:
    text = str(value or "").strip().lower()
    if text in ("", "unknown"):
        return None
    if text in ("yes", "no"):
        return text == "yes"
    raise ValidationError(field, f"'{value}' is not yes, no or unknown")


def _optional_decimal(value: object, field: str) -> Decimal | None:
    return _decimal(value, field) if _number_text(value) else None


def _number_text(value: object) -> str:
    return str(value if value is not None else "").strip().replace(",", "").replace("\u00a0", "").replace(" ", "")


def _decimal(value: object, field: str) -> Decimal:
    text = _number_text(value)
    if not text:
        raise ValidationError(field, "is required; enter a number such as 1 or 1500.50")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValidationError(field, f"'{value}' is not a number; enter it like 12 or 1500.50") from None
    if not number.is_finite():
        raise ValidationError(field, f"'{value}' is not a number; enter it like 12 or 1500.50")
    return number


def _optional_float(value: object, field: str) -> float | None:
    text = _number_text(value)
    if not text:
        return None
    try:
        return float(text)
    except ValueError:
        raise ValidationError(field, f"'{value}' is not a number; enter it like 4800 or leave it empty") from None


def _ics_per_unit(value: object) -> int:
    text = _number_text(value)
    if not text:
        return 1
    try:
        return int(text)
    except ValueError:
        raise ValidationError(
            "ics_per_unit", f"'{value}' is not a whole number; enter how many advanced ICs one unit holds, e.g. 8"
        ) from None


def build_party(row: Row) -> Party:
    return Party(
        role=PartyRole(row["role"]),
        name=row["name"],
        country=row["country"],
        address=row.get("address", ""),
        headquarters_country=(row.get("headquarters_country") or "").strip() or None,
        listed_on=tuple(row.get("listed_on", ())),
        kind=EntryType(row["kind"]) if row.get("kind") else None,
        region=(row.get("region") or "").strip() or None,
        register_id=row.get("register_id") or None,
    )


def build_item(row: Row) -> Item:
    """The item of a row; its ECCN must be on the CCL (paragraph included where the data knows them)."""
    item = _item(row)
    problem = eccn_problem(item.eccn) if item.eccn else None
    if problem:
        raise ValidationError("eccn", problem)
    return item


def _item(row: Row) -> Item:
    return Item(
        description=row["description"],
        eccn=row.get("eccn") or None,
        manufacturer=row.get("manufacturer", ""),
        model=row.get("model", ""),
        quantity=_decimal(row.get("quantity"), "quantity"),
        unit=row.get("unit", ""),
        unit_value=_decimal(row.get("unit_value"), "unit_value"),
        currency=row.get("currency", ""),
        tpp=_optional_float(row.get("tpp"), "tpp"),
        performance_density=_optional_float(row.get("performance_density"), "performance_density"),
        datacenter=bool(row.get("datacenter")),
        prc_advanced_ic=bool(row.get("prc_advanced_ic")),
        ics_per_unit=_ics_per_unit(row.get("ics_per_unit")),
        country_of_origin=(row.get("country_of_origin") or "").strip() or None,
        us_content_percent=_optional_decimal(row.get("us_content_percent"), "us_content_percent"),
        us_technology_product=_fact(row.get("us_technology_product"), "us_technology_product"),
        us_technology_plant=_fact(row.get("us_technology_plant"), "us_technology_plant"),
        dram_bandwidth=_optional_float(row.get("dram_bandwidth"), "dram_bandwidth"),
        encryption=_encryption(row.get("encryption")),
        encryption_filed_on=_optional_date(row.get("encryption_filed_on"), "encryption_filed_on"),
        product_id=_product_id(row.get("product_id")),
    )


def _encryption(value: object) -> EncryptionClass | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return EncryptionClass(text)
    except ValueError:
        allowed = ", ".join(e.value for e in EncryptionClass)
        raise ValidationError("encryption", f"'{value}' is not an encryption class; use one of {allowed}") from None


def _optional_date(value: object, field: str) -> date | None:
    text = str(value or "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValidationError(field, f"'{value}' is not a date; use YYYY-MM-DD or leave it empty") from None


def _product_id(value: object) -> int | None:
    """The referenced product's id as a draft stores it (JSON numbers), or None for a case-only item."""
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError("product_id", f"'{value}' is not a product reference; pick the product again")
    return value


def _transaction_date(value: object) -> date:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValidationError("transaction_date", f"'{value}' is not a date; use YYYY-MM-DD") from None


def _case(base: Case, general: Row, parties: tuple[Party, ...], items: tuple[Item, ...]) -> Case:
    end_use = EndUse(
        description=general["end_use.description"],
        **{key.removeprefix("end_use."): bool(general.get(key)) for key in END_USE_FLAGS},
    )
    return replace(
        base,
        title=general["title"],
        transaction_type=general["transaction_type"],
        transaction_date=_transaction_date(general["transaction_date"]),
        export_from=general["export_from"],
        destination=general["destination"],
        end_use=end_use,
        transaction_facts=_facts(general),
        parties=parties,
        items=items,
    )


def build_case(base: Case, general: Row, parties: list[Row], items: list[Row]) -> Case:
    """The case the editor shows; raises the first ``ValidationError`` (located, e.g. ``items[1].eccn``)."""
    built_parties = []
    for i, row in enumerate(parties):
        try:
            built_parties.append(build_party(row))
        except ValidationError as exc:
            raise exc.at(f"parties[{i}]") from None
    built_items = []
    for i, row in enumerate(items):
        try:
            built_items.append(build_item(row))
        except ValidationError as exc:
            raise exc.at(f"items[{i}]") from None
    return _case(base, general, tuple(built_parties), tuple(built_items))


def collect_errors(base: Case, general: Row, parties: list[Row], items: list[Row]) -> list[ValidationError]:
    """Every problem at once: each row on its own, then the general facts one field at a time.

    A failing general field is swapped for the saved value and the case is built
    again, so two bad fields show two messages instead of one.
    """
    errors: list[ValidationError] = []
    good_parties, good_items = [], []
    for i, row in enumerate(parties):
        try:
            good_parties.append(build_party(row))
        except ValidationError as exc:
            errors.append(exc.at(f"parties[{i}]"))
    for i, row in enumerate(items):
        try:
            good_items.append(build_item(row))
        except ValidationError as exc:
            errors.append(exc.at(f"items[{i}]"))
    fallback = general_from_case(base)
    trial = dict(general)
    for _ in range(len(GENERAL_KEYS) + 2):
        try:
            _case(base, trial, tuple(good_parties), tuple(good_items))
            break
        except ValidationError as exc:
            errors.append(exc)
            key = exc.field
            if key not in trial or trial[key] == fallback[key]:
                break
            trial[key] = fallback[key]
    return errors
