"""A BIS-748P (SNAP-R) licence application drafted from a case, and a NAC notification draft.

``build_application`` maps the case onto the form's blocks (Supp. No. 1 to Part 748) and
lists every required field it could not fill, so the officer knows what to add before
transcribing into SNAP-R. Nothing is invented: a value the case does not hold stays empty
and is reported missing. Writers give the draft as an Excel workbook laid out by block
(every value written as text, so nothing is evaluated as a formula) and as JSON.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

from workbench.domain.case import Case, DocumentKind, Item, Party, PartyRole, TransactionType
from workbench.domain.countries import country_name
from workbench.domain.determination import Determination, Outcome
from workbench.domain.errors import WorkbenchError
from workbench.export.atomic import write_bytes_atomic

FORMAT: Final = "workbench-bis748p-draft/1"
NAC_FORMAT: Final = "workbench-nac-notification-draft/1"
NAC_MAX_ITEMS: Final = 6
_AC_HEAD = ("3A090", "4A090")
_ITEM = re.compile(r"^item (\d+)$")


@dataclass(frozen=True, slots=True)
class BlockField:
    name: str
    value: str
    required: bool = False
    note: str = ""
    """What to add when the field is missing, or a remark on the value."""

    @property
    def missing(self) -> bool:
        return self.required and not self.value


def _req(name: str, value: str, hint: str = "required; not on the case") -> BlockField:
    """A required field; the hint says what to add and is kept only while the value is missing."""
    return BlockField(name, value, True, "" if value else hint)


@dataclass(frozen=True, slots=True)
class Block:
    number: str
    title: str
    fields: tuple[BlockField, ...]
    item: int | None = None
    """For Block 22: the case's item position (1-based)."""

    @property
    def label(self) -> str:
        where = f" (item {self.item})" if self.item is not None else ""
        return f"Block {self.number}{where}: {self.title}"


@dataclass(frozen=True, slots=True)
class MissingField:
    block: str
    field: str
    why: str

    def __str__(self) -> str:
        return f"{self.block} {self.field}: {self.why}"


@dataclass(frozen=True, slots=True)
class ApplicationDraft:
    case_reference: str
    prepared_on: date
    blocks: tuple[Block, ...]

    def block(self, number: str, item: int | None = None) -> Block:
        for b in self.blocks:
            if b.number == number and b.item == item:
                return b
        raise KeyError(f"no block {number} (item {item})")

    def value(self, number: str, name: str, item: int | None = None) -> str:
        for f in self.block(number, item).fields:
            if f.name == name:
                return f.value
        raise KeyError(f"block {number} has no field {name!r}")

    @property
    def missing(self) -> tuple[MissingField, ...]:
        return tuple(
            MissingField(b.label.split(":")[0], f.name, f.note or "required; not on the case")
            for b in self.blocks
            for f in b.fields
            if f.missing
        )


# --- building ---------------------------------------------------------------------------------


def is_advanced_ic(item: Item) -> bool:
    """Items whose technical description must state TPP and PD (3A090/4A090 and .z paragraphs)."""
    eccn = item.eccn or ""
    return item.tpp is not None or eccn.startswith(_AC_HEAD) or bool(re.search(r"\.z(\.|$)", eccn))


def _num(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def _price(value: Decimal) -> str:
    return format(value.quantize(Decimal("0.01")), "f")


def _party_fields(party: Party | None, *, required: bool, missing_note: str = "") -> tuple[BlockField, ...]:
    if party is None:
        # One missing entry per absent party: the name carries the requirement, the rest follow it.
        return (
            BlockField("Name", "", required, missing_note if required else ""),
            BlockField("Address", ""),
            BlockField("Country", ""),
        )
    return (
        BlockField("Name", party.name, required),
        BlockField(
            "Address", party.address, required, "" if party.address else "no address on the case; add street, city"
        ),
        BlockField("Country", f"{party.country} ({country_name(party.country)})", required),
    )


_ON_FILE = {
    DocumentKind.BIS_711: "BIS-711",
    DocumentKind.LETTER_OF_ASSURANCE: "Letter of assurance",
    DocumentKind.EUC: "Import/End-user certificate",
    DocumentKind.IMPORT_CERTIFICATE: "Import/End-user certificate",
}


def _documents(case: Case, day: date) -> tuple[Block, Block, Block]:
    submitted = []
    if len(case.items) > 1:
        submitted.append("BIS-748P-A (item appendix)")
    if len(case.parties_in(PartyRole.END_USER)) > 1:
        submitted.append("BIS-748P-B (end-user appendix)")
    if any(d.kind is DocumentKind.DATASHEET for d in case.documents):
        submitted.append("Technical specifications")
    on_file, notes = [], []
    for doc in case.documents:
        label = _ON_FILE.get(doc.kind, "Other" if doc.kind is not DocumentKind.DATASHEET else "")
        if not label:
            continue
        on_file.append(f"{label}: {doc.filename}")
        if doc.valid_until and doc.valid_until < day:
            notes.append(f"{doc.filename} expired on {doc.valid_until.isoformat()}")
    certificates = [d for d in case.documents if d.kind in (DocumentKind.EUC, DocumentKind.IMPORT_CERTIFICATE)]
    cert_fields: tuple[BlockField, ...] = (
        BlockField("Country", f"{case.destination} ({country_name(case.destination)})" if certificates else ""),
        BlockField(
            "Number",
            "",
            bool(certificates),
            "the certificate number is not recorded on the case; copy it from "
            + ", ".join(d.filename for d in certificates)
            if certificates
            else "",
        ),
    )
    return (
        Block("6", "Documents submitted with application", (BlockField("Documents", "; ".join(submitted)),)),
        Block(
            "7",
            "Documents on file with applicant",
            (BlockField("Documents", "; ".join(on_file), note="; ".join(notes)),),
        ),
        Block("13", "Import/End-user certificate", cert_fields),
    )


def _end_use(case: Case) -> str:
    facts = []
    eu = case.end_use
    if eu.ai_model_training:
        facts.append("AI model training")
    if eu.iaas:
        facts.append("Infrastructure-as-a-Service (IaaS)")
    if eu.military:
        facts.append("military end use")
    if eu.wmd:
        facts.append("WMD-related end use")
    text = eu.description
    if facts and text:
        text += f" (declared: {', '.join(facts)})"
    return text


def _technical(item: Item) -> str:
    parts = [item.description]
    if item.model:
        parts.append(f"model {item.model}")
    if item.tpp is not None:
        parts.append(f"Total Processing Performance (TPP) {item.tpp:g}")
    if item.ics_per_unit > 1:
        parts.append(f"{item.ics_per_unit} advanced ICs per unit (TPP and PD are per IC)")
    if item.performance_density is not None:
        parts.append(f"Performance Density (PD) {item.performance_density:g}")
    if item.datacenter:
        parts.append("designed or marketed for use in datacenters")
    return "; ".join(parts)


def _item_block(position: int, item: Item) -> Block:
    advanced = is_advanced_ic(item)
    figures = []
    if item.tpp is not None:
        figures.append(f"TPP {item.tpp:g}")
    if item.performance_density is not None:
        figures.append(f"PD {item.performance_density:g}")
    tpp_note = ""
    if advanced and (item.tpp is None or item.performance_density is None):
        tpp_note = "advanced IC: state both TPP and PD"
        figures = []
    return Block(
        "22",
        "Item",
        (
            _req("(a) ECCN", item.eccn or "", "classify the item; no ECCN on the case"),
            BlockField("(b) CTP/APP/TPP", "; ".join(figures), advanced, tpp_note),
            _req("(c) Model number", item.model, "no model number on the case"),
            BlockField("(d) CCATS number", ""),
            _req("(e) Quantity", _num(item.quantity)),
            _req("(f) Units", item.unit),
            _req("(g) Unit price", _price(item.unit_value) if item.unit_value > 0 else "", "no unit price on the case"),
            _req(
                "(h) Total price",
                f"{_price(item.total_value)} {item.currency}" if item.unit_value > 0 else "",
                "no unit price on the case",
            ),
            _req("(i) Manufacturer", item.manufacturer, "no manufacturer on the case"),
            _req("(j) Technical description", _technical(item)),
        ),
        item=position,
    )


def _additional(case: Case, determination: Determination | None) -> str:
    lines = []
    if determination is not None:
        required = [f for f in determination.findings if f.outcome in (Outcome.LICENSE_REQUIRED, Outcome.PROHIBITED)]
        for f in required:
            lines.append(f"Licence requirement ({f.subject}): {f.citation} [{f.rule}].")
    for party in case.parties:
        if party.headquarters_country and party.headquarters_country != party.country:
            lines.append(
                f"{party.role.value.replace('_', ' ').capitalize()} {party.name} is located in "
                f"{country_name(party.country)}; it or its ultimate parent is headquartered in "
                f"{country_name(party.headquarters_country)}."
            )
    applicant = case.parties_in(PartyRole.APPLICANT)
    consignee = case.parties_in(PartyRole.ULTIMATE_CONSIGNEE)
    if applicant and consignee and applicant[0].name == consignee[0].name:
        lines.append("The applicant is the ultimate consignee: add the BIS-711 statements here (§748.11).")
    return "\n".join(lines)


def build_application(
    case: Case,
    determination: Determination | None = None,
    *,
    prepared_on: date,
    contact: str = "",
    signer_title: str = "",
) -> ApplicationDraft:
    """The BIS-748P blocks filled from ``case``; ``contact`` is Block 1 and the signer (the officer).

    ``signer_title`` is the officer's title for Block 25; without it the block lists it as missing.
    """
    applicants = case.parties_in(PartyRole.APPLICANT)
    consignees = case.parties_in(PartyRole.ULTIMATE_CONSIGNEE)
    end_users = case.parties_in(PartyRole.END_USER)
    purchasers = case.parties_in(PartyRole.PURCHASER)
    intermediates = case.parties_in(PartyRole.INTERMEDIATE_CONSIGNEE)
    reexport = case.transaction_type is not TransactionType.EXPORT
    kind = "Export" if not reexport else "Reexport"
    if case.transaction_type is TransactionType.IN_COUNTRY_TRANSFER:
        kind = "Reexport (in-country transfer)"
    doc6, doc7, doc13 = _documents(case, prepared_on)
    blocks: list[Block] = [
        Block("1", "Contact person", (_req("Name", contact, "name the contact person"),)),
        Block("2", "Telephone", (_req("Telephone", "", "the applicant's telephone is not kept on cases"),)),
        Block("3", "Facsimile", (BlockField("Facsimile", ""),)),
        Block("4", "Date of application", (_req("Date", prepared_on.isoformat()),)),
        Block("5", "Type of application", (_req("Type", kind),)),
        doc6,
        doc7,
        Block("9", "Special purpose", (BlockField("Special purpose", ""),)),
        doc13,
        Block(
            "14",
            "Applicant",
            (
                *_party_fields(
                    applicants[0] if applicants else None, required=True, missing_note="no applicant on the case"
                ),
                _req("Employer ID number", "", "the applicant's employer identification number"),
            ),
        ),
        Block("15", "Other party authorized to receive license", _party_fields(None, required=False)),
        Block(
            "16",
            "Purchaser",
            _party_fields(
                purchasers[0] if purchasers else None,
                required=True,
                missing_note="no purchaser on the case; name it, or state that the ultimate consignee buys",
            ),
        ),
        Block(
            "17",
            "Intermediate consignee",
            _party_fields(intermediates[0] if intermediates else None, required=False),
        ),
        Block(
            "18",
            "Ultimate consignee",
            _party_fields(
                consignees[0] if consignees else None, required=True, missing_note="no ultimate consignee on the case"
            ),
        ),
        Block(
            "19",
            "End user",
            _party_fields(
                end_users[0] if end_users else None,
                required=True,
                missing_note="no end user on the case; name it, or state that the ultimate consignee is the end user",
            ),
        ),
        Block(
            "20",
            "Original ultimate consignee",
            _party_fields(None, required=reexport, missing_note="a reexport names the original ultimate consignee"),
        ),
        Block(
            "21",
            "Specific end use",
            (_req("Description", _end_use(case), "describe the specific end use completely"),),
        ),
    ]
    for extra in intermediates[1:]:
        blocks.append(Block("17", "Additional intermediate consignee", _party_fields(extra, required=True)))
    for extra in end_users[1:]:
        blocks.append(Block("748P-B", "Additional end user", _party_fields(extra, required=True)))
    blocks.extend(_item_block(i, item) for i, item in enumerate(case.items, start=1))
    currencies = {i.currency for i in case.items}
    total_note = "" if currencies <= {"USD"} else "items are priced in " + ", ".join(sorted(currencies)) + "; convert"
    total = _price(case.total_value) + " USD" if not total_note and case.items else ""
    blocks.append(Block("23", "Total application dollar value", (_req("Total", total, total_note or "no items"),)))
    blocks.append(Block("24", "Additional information", (BlockField("Text", _additional(case, determination)),)))
    blocks.append(
        Block(
            "25",
            "Signature",
            (
                _req("Name", contact, "name the signer"),
                _req("Title", signer_title.strip(), "give the signer's title (the officer's title in Preferences)"),
            ),
        )
    )
    if not case.items:
        blocks.append(Block("22", "Item", (_req("(a) ECCN", "", "the case has no items"),), item=1))
    return ApplicationDraft(case.reference, prepared_on, tuple(blocks))


# --- JSON and Excel -----------------------------------------------------------------------------


def application_to_json(draft: ApplicationDraft) -> dict[str, Any]:
    return {
        "format": FORMAT,
        "case": draft.case_reference,
        "prepared_on": draft.prepared_on.isoformat(),
        "blocks": [
            {
                "block": b.number,
                "title": b.title,
                "item": b.item,
                "fields": [
                    {"name": f.name, "value": f.value, "required": f.required, "missing": f.missing, "note": f.note}
                    for f in b.fields
                ],
            }
            for b in draft.blocks
        ],
        "missing": [{"block": m.block, "field": m.field, "why": m.why} for m in draft.missing],
    }


_FORMULA_START = ("=", "+", "-", "@")
_HEADER = Font(bold=True)
_BLOCK_FILL = PatternFill("solid", fgColor="DDE6F0")
_MISSING_FILL = PatternFill("solid", fgColor="FCE4D6")


def _put(ws: Any, row: int, column: int, value: str) -> Any:
    """Write ``value`` as a literal string: text starting like a formula is never evaluated."""
    cell = ws.cell(row=row, column=column, value=value)
    if value.startswith(_FORMULA_START):
        cell.data_type = "s"
    cell.alignment = Alignment(wrap_text=True, vertical="top")
    return cell


def _sheet(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    for col, (title, width) in enumerate(zip(headers, widths, strict=True), start=1):
        _put(ws, 1, col, title).font = _HEADER
        ws.column_dimensions[chr(64 + col)].width = width
    ws.freeze_panes = "A2"


def application_workbook(draft: ApplicationDraft) -> bytes:
    """The draft as an .xlsx laid out by block: a row per field, missing fields highlighted."""
    wb = Workbook()
    ws = wb.active
    ws.title = "BIS-748P"
    _sheet(ws, ("Block", "Field", "Value", "Status", "Note"), (18, 28, 70, 10, 60))
    row = 2
    for block in draft.blocks:
        for col in range(1, 6):
            ws.cell(row=row, column=col).fill = _BLOCK_FILL
        _put(ws, row, 1, block.label).font = _HEADER
        row += 1
        for f in block.fields:
            _put(ws, row, 1, block.number)
            _put(ws, row, 2, f.name)
            _put(ws, row, 3, f.value)
            status = _put(ws, row, 4, "MISSING" if f.missing else ("ok" if f.value else ""))
            if f.missing:
                status.fill = _MISSING_FILL
            _put(ws, row, 5, f.note)
            row += 1
    missing = wb.create_sheet("Missing")
    _sheet(missing, ("Block", "Field", "What to add"), (18, 28, 80))
    for r, m in enumerate(draft.missing, start=2):
        _put(missing, r, 1, m.block)
        _put(missing, r, 2, m.field)
        _put(missing, r, 3, m.why)
    items = wb.create_sheet("Items (Block 22)")
    item_blocks = [b for b in draft.blocks if b.number == "22"]
    names = [f.name for f in item_blocks[0].fields] if item_blocks else []
    _sheet(items, ("Item", *names), (6, *([22] * len(names))))
    for r, b in enumerate(item_blocks, start=2):
        _put(items, r, 1, str(b.item))
        for c, f in enumerate(b.fields, start=2):
            _put(items, r, c, f.value)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def write_application_xlsx(draft: ApplicationDraft, path: Path) -> None:
    write_bytes_atomic(path, application_workbook(draft))


# --- NAC notification ---------------------------------------------------------------------------


class NacNotEligibleError(WorkbenchError):
    """The case does not qualify for a NAC notification draft; the message says why."""


@dataclass(frozen=True, slots=True)
class NacDraft:
    case_reference: str
    prepared_on: date
    destination: str
    exporter: Party | None
    consignee: Party
    end_user: Party
    end_use: str
    items: tuple[tuple[int, Item], ...]
    notes: tuple[str, ...] = ()


def nac_items(determination: Determination) -> list[int]:
    """Case item positions for which the engine found License Exception NAC available."""
    positions = set()
    for f in determination.findings:
        match = _ITEM.match(f.subject)
        if match and f.outcome is Outcome.LICENSE_EXCEPTION and f.exception == "NAC":
            positions.add(int(match.group(1)))
    return sorted(positions)


def nac_notification(case: Case, determination: Determination, *, prepared_on: date) -> NacDraft:
    """A NAC notification draft: one consignee, one end user, at most six items with TPP and PD stated."""
    problems = []
    consignees = case.parties_in(PartyRole.ULTIMATE_CONSIGNEE)
    end_users = case.parties_in(PartyRole.END_USER)
    if len(consignees) != 1:
        problems.append(f"a notification names exactly one ultimate consignee; the case has {len(consignees)}")
    if len(end_users) > 1:
        problems.append(f"a notification names one end user; the case has {len(end_users)}")
    positions = nac_items(determination)
    if not positions:
        problems.append("no item of the case is eligible for License Exception NAC on the determination")
    if len(positions) > NAC_MAX_ITEMS:
        problems.append(
            f"{len(positions)} items qualify; a notification takes at most {NAC_MAX_ITEMS}, so split the case"
        )
    for p in positions:
        item = case.items[p - 1]
        if item.tpp is None or item.performance_density is None:
            problems.append(f"item {p} must state both TPP and PD")
    if problems:
        raise NacNotEligibleError(f"{case.reference} does not qualify for a NAC notification: " + "; ".join(problems))
    notes = []
    others = [i for i in range(1, len(case.items) + 1) if i not in positions]
    if others:
        notes.append("Not in this notification (not NAC-eligible): " + ", ".join(f"item {i}" for i in others))
    end_user = end_users[0] if end_users else consignees[0]
    if not end_users:
        notes.append("No end user is named on the case; the ultimate consignee is given as end user: confirm this.")
    applicants = case.parties_in(PartyRole.APPLICANT)
    return NacDraft(
        case_reference=case.reference,
        prepared_on=prepared_on,
        destination=case.destination,
        exporter=applicants[0] if applicants else None,
        consignee=consignees[0],
        end_user=end_user,
        end_use=_end_use(case),
        items=tuple((p, case.items[p - 1]) for p in positions),
        notes=tuple(notes),
    )


def _party_json(party: Party | None) -> dict[str, Any] | None:
    if party is None:
        return None
    return {"name": party.name, "address": party.address, "country": party.country}


def nac_to_json(draft: NacDraft) -> dict[str, Any]:
    return {
        "format": NAC_FORMAT,
        "case": draft.case_reference,
        "prepared_on": draft.prepared_on.isoformat(),
        "license_exception": "NAC",
        "citation": "15 CFR 740.8",
        "destination": draft.destination,
        "exporter": _party_json(draft.exporter),
        "ultimate_consignee": _party_json(draft.consignee),
        "end_user": _party_json(draft.end_user),
        "end_use": draft.end_use,
        "items": [
            {
                "case_item": position,
                "eccn": item.eccn,
                "description": item.description,
                "manufacturer": item.manufacturer,
                "model": item.model,
                "quantity": _num(item.quantity),
                "unit": item.unit,
                "unit_value": _price(item.unit_value),
                "total_value": _price(item.total_value),
                "currency": item.currency,
                "tpp": item.tpp,
                "performance_density": item.performance_density,
                "datacenter": item.datacenter,
            }
            for position, item in draft.items
        ],
        "notes": list(draft.notes),
    }
