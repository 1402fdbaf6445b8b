"""Bulk import of a customer or vendor master (CSV or XLSX) into the register, all or nothing.

A mapping file (``workbench-party-mapping/1``) names the column of each field; without one the
columns are expected under the field names themselves (``name``, ``country``, …). Every row is
validated first, and the first problem is reported with its row and column; parties already
in the register (same LEI, or same normalised name and country) and repeats within the file are
reported, not created. Owners come from ``parent`` (a name or LEI, found in the same file or in
the register) with ``parent_percent``.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.errors import InputFileError, ValidationError, one_line
from workbench.domain.ownership import Stake, percent_value
from workbench.domain.register import (
    Address,
    Identifier,
    IdentifierScheme,
    NameKind,
    OtherName,
    RegisterParty,
    lei_is_valid,
    normalise_for_search,
)
from workbench.domain.screening import EntryType
from workbench.export.jsonfiles import load_json_object, read_input_file, validate
from workbench.screening.parsers import Cancelled
from workbench.services.bootstrap import Workbench

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
MAX_ROWS: Final = 200_000
MAX_CELL: Final = 2_000
Progress = Callable[[int, int], None]

__all__ = ["Cancelled", "ImportReport", "import_parties"]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class ColumnMap(_Model):
    name: str = "name"
    other_names: str | None = "other_names"
    kind: str | None = "kind"
    country: str = "country"
    address_lines: list[str] = Field(default_factory=lambda: ["address"], max_length=6)
    city: str | None = "city"
    headquarters_country: str | None = "headquarters_country"
    lei: str | None = "lei"
    registration: str | None = "registration"
    tax_id: str | None = "tax_id"
    parent: str | None = Field(default="parent", description="the parent's name or LEI")
    parent_percent: str | None = "parent_percent"
    parent_as_of: str | None = "parent_as_of"


class MappingFile(_Model):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Workbench party import mapping")

    format: Literal["workbench-party-mapping/1"]
    columns: ColumnMap = Field(default_factory=ColumnMap)
    separator: str = Field(default=";", min_length=1, max_length=3, description="between several other names")


@dataclass(frozen=True, slots=True)
class Duplicate:
    row: int
    name: str
    existing: int | None
    """The register party it duplicates (None: a repeat of an earlier row of the file)."""
    why: str


@dataclass
class ImportReport:
    source: str
    created: list[RegisterParty] = field(default_factory=list)
    duplicates: list[Duplicate] = field(default_factory=list)
    stakes: list[Stake] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True, slots=True)
class _Row:
    number: int
    party: RegisterParty
    parent: str
    percent: Any
    as_of: date | None


MAX_XLSX_UNPACKED = 400 * 1024 * 1024
"""An XLSX master may expand to this much (a zip bomb is refused before openpyxl parses it)."""


def read_mapping(path: Path | None) -> MappingFile:
    if path is None:
        return MappingFile(format="workbench-party-mapping/1")
    raw = load_json_object(read_input_file(path, "mapping file", 1024 * 1024), str(path), "mapping file")
    return validate(MappingFile, raw, str(path), "mapping file")


def _csv_rows(data: bytes, source: str) -> Iterator[dict[str, str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{source}: is not UTF-8 text ({exc.reason}); save it as UTF-8 CSV.") from None
    reader = csv.DictReader(io.StringIO(text, newline=""))
    try:
        yield from reader
    except csv.Error as exc:
        raise InputFileError(f"{source}: line {reader.line_num}: is not valid CSV ({exc}).") from None


def _xlsx_rows(data: bytes, source: str) -> Iterator[dict[str, str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputFileError(f"{source}: is not an XLSX workbook (not a zip file); save it as .xlsx or CSV.") from None
    if unpacked > MAX_XLSX_UNPACKED:
        raise InputFileError(
            f"{source}: unpacks to {unpacked:,} bytes, more than the {MAX_XLSX_UNPACKED:,} a party master may;"
            " split it or save it as CSV."
        )
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:
        raise InputFileError(f"{source}: cannot be read as an Excel workbook ({type(exc).__name__}).") from None
    sheet = book.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    header = [str(c).strip() if c is not None else "" for c in next(rows, ())]
    for values in rows:
        cells = ["" if v is None else (v.isoformat() if isinstance(v, date) else str(v)) for v in values]
        if any(c.strip() for c in cells):
            yield dict(zip(header, cells, strict=False))
    book.close()


def _cell(raw: dict[str, str], column: str | None, row: int, source: str) -> str:
    if column is None:
        return ""
    value = raw.get(column)
    text = "" if value is None else str(value).strip()
    if len(text) > MAX_CELL:
        raise InputFileError(
            f"{source}: row {row}, column '{column}': is {len(text):,} characters; at most {MAX_CELL:,}."
        )
    return text


def _parse_row(raw: dict[str, str], number: int, mapping: MappingFile, source: str) -> _Row:
    cols = mapping.columns

    def cell(column: str | None) -> str:
        return _cell(raw, column, number, source)

    field_columns = {
        "name": cols.name,
        "country": cols.country,
        "kind": cols.kind,
        "headquarters_country": cols.headquarters_country,
        "other_names": cols.other_names,
    }
    try:
        identifiers: list[Identifier] = []
        for scheme, column in (
            (IdentifierScheme.LEI, cols.lei),
            (IdentifierScheme.REGISTRATION, cols.registration),
            (IdentifierScheme.TAX_ID, cols.tax_id),
        ):
            if cell(column):
                try:
                    identifiers.append(Identifier(scheme, cell(column)))
                except ValidationError as exc:
                    raise InputFileError(
                        one_line(f"{source}: row {number}, column '{column}': {exc.message}.")
                    ) from None
        lines = tuple(cell(c) for c in cols.address_lines if cell(c))
        addresses: tuple[Address, ...] = ()
        if lines or cell(cols.city):
            try:
                addresses = (Address(cell(cols.country), lines, cell(cols.city)),)
            except ValidationError as exc:
                column = {"country": cols.country, "city": cols.city}.get(exc.field) or cols.address_lines[0]
                raise InputFileError(one_line(f"{source}: row {number}, column '{column}': {exc.message}.")) from None
        others = tuple(
            OtherName(NameKind.ALIAS, n.strip()) for n in cell(cols.other_names).split(mapping.separator) if n.strip()
        )
        party = RegisterParty(
            name=cell(cols.name),
            country=cell(cols.country),
            kind=EntryType(cell(cols.kind).lower()) if cell(cols.kind) else EntryType.ENTITY,
            other_names=others,
            addresses=addresses,
            headquarters_country=cell(cols.headquarters_country) or None,
            identifiers=tuple(identifiers),
        )
    except ValidationError as exc:
        column = field_columns.get(exc.field) or field_columns.get(exc.field.split(".")[0].split("[")[0])
        where = f"column '{column}'" if column else f"field {exc.field}"
        raise InputFileError(one_line(f"{source}: row {number}, {where}: {exc.message}.")) from None
    except ValueError:
        allowed = ", ".join(k.value for k in EntryType)
        raise InputFileError(
            f"{source}: row {number}, column '{cols.kind}': '{cell(cols.kind)}' is not a kind; use one of {allowed}."
        ) from None
    as_of = None
    if cell(cols.parent_as_of):
        try:
            as_of = date.fromisoformat(cell(cols.parent_as_of)[:10])
        except ValueError:
            raise InputFileError(
                f"{source}: row {number}, column '{cols.parent_as_of}': '{cell(cols.parent_as_of)}' is not a date "
                "(YYYY-MM-DD)."
            ) from None
    percent: Any = None
    if cell(cols.parent):
        text = cell(cols.parent_percent).rstrip("%").strip()
        if text:
            try:
                percent = percent_value(text)
            except ValidationError as exc:
                raise InputFileError(
                    one_line(f"{source}: row {number}, column '{cols.parent_percent}': {exc.message}.")
                ) from None
    return _Row(number, party, cell(cols.parent), percent, as_of)


def import_parties(
    wb: Workbench,
    path: Path,
    mapping_path: Path | None = None,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    today: date | None = None,
) -> ImportReport:
    """Validate every row, then store the new parties and their parent stakes in one transaction."""
    source = str(path)
    mapping = read_mapping(mapping_path)
    data = read_input_file(path, "party list", MAX_FILE_BYTES)
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".xlsx"):
        raise InputFileError(f"{source}: is neither .csv nor .xlsx; save the party list as one of them.")
    raws = _xlsx_rows(data, source) if suffix == ".xlsx" else _csv_rows(data, source)
    rows: list[_Row] = []
    for number, raw in enumerate(raws, 2):  # row 1 is the header
        if number - 1 > MAX_ROWS:
            raise InputFileError(f"{source}: has more than {MAX_ROWS:,} rows; split it into several files.")
        if number == 2:
            missing = [c for c in (mapping.columns.name, mapping.columns.country) if c not in raw]
            if missing:
                raise InputFileError(
                    f"{source}: has no column '{missing[0]}'; name the columns in a mapping file.",
                    cli_hint="give the mapping file with --mapping",
                )
        rows.append(_parse_row(raw, number, mapping, source))
    report = ImportReport(source, rows=len(rows))
    with wb.uow() as uow:
        repo = uow.register
        by_name: dict[str, int] = {}
        by_lei: dict[str, int] = {}
        ids: dict[int, int] = {}
        pending: list[RegisterParty] = []
        for done, row in enumerate(rows, 1):
            if cancel and cancel():
                raise Cancelled("the import was cancelled; nothing was stored")
            party = row.party
            key = f"{normalise_for_search(party.name)}|{party.country}"
            if key in by_name or (party.lei and party.lei in by_lei):
                report.duplicates.append(
                    Duplicate(row.number, party.name, None, "it repeats an earlier row of the file")
                )
                ids[row.number] = by_name.get(key) or by_lei[party.lei or ""]
                continue
            existing = repo.find_by_identifier(Identifier(IdentifierScheme.LEI, party.lei)) if party.lei else []
            why = f"the LEI {party.lei} is recorded" if existing else ""
            if not existing:
                existing = repo.find_by_name(party.name, party.country)
                why = "the same name and country are recorded" if existing else ""
            if existing:
                report.duplicates.append(Duplicate(row.number, party.name, existing[0], why))
                ids[row.number] = existing[0]
                by_name.setdefault(normalise_for_search(party.name), existing[0])
            else:
                # A placeholder id (negative) until the new parties are stored together below.
                placeholder = -(len(pending) + 1)
                pending.append(party)
                ids[row.number] = placeholder
                by_name.setdefault(normalise_for_search(party.name), placeholder)
                for other in party.names:  # a later row named as this one's other name repeats it too
                    by_name.setdefault(f"{normalise_for_search(other)}|{party.country}", placeholder)
                if party.lei:
                    by_lei[party.lei] = placeholder
            if progress:
                progress(done, 2 * len(rows))
        report.created = repo.add_many(pending)
        real = {-(n + 1): p.id for n, p in enumerate(report.created) if p.id is not None}
        ids = {number: real.get(value, value) for number, value in ids.items()}
        by_name = {name: real.get(value, value) for name, value in by_name.items()}
        by_lei = {lei: real.get(value, value) for lei, value in by_lei.items()}
        skipped = {d.row for d in report.duplicates}
        for done, row in enumerate(rows, 1):
            if not row.parent or row.number in skipped:
                continue  # a duplicate's ownership is edited on the party, not by re-importing it
            parent = _resolve_parent(repo, row, by_name, by_lei, source, mapping)
            stake = Stake(
                parent,
                ids[row.number],
                row.percent,
                row.as_of or today or date.today(),
                note=f"bulk import of {path.name}, row {row.number}",
            )
            try:
                repo.record_stake(stake)
            except ValidationError as exc:
                raise InputFileError(
                    one_line(f"{source}: row {row.number}, column '{mapping.columns.parent}': {exc.message}.")
                ) from None
            report.stakes.append(stake)
            if progress:
                progress(len(rows) + done, 2 * len(rows))
        uow.commit()
    return report


def _resolve_parent(
    repo: Any, row: _Row, by_name: dict[str, int], by_lei: dict[str, int], source: str, mapping: MappingFile
) -> int:
    text = row.parent
    code = "".join(text.split()).upper()
    if lei_is_valid(code):
        if code in by_lei:
            return by_lei[code]
        found = repo.find_by_identifier(Identifier(IdentifierScheme.LEI, code))
        if found:
            return int(found[0])
    if normalise_for_search(text) in by_name:
        return by_name[normalise_for_search(text)]
    found = repo.find_by_name(text, row.party.country)
    if len(found) == 1:
        return int(found[0])
    raise InputFileError(
        f"{source}: row {row.number}, column '{mapping.columns.parent}': no party '{text}' in the file or the "
        "register; give the parent's exact name or its LEI, or add the parent first."
    )
