"""Reading a product master from CSV or XLSX, with a column mapping, into validated products.

Every row is validated completely; each problem names the file, the spreadsheet row (the
header is row 1) and the column as the file spells it. Inputs are bounded: file size, rows,
columns, cell length, and an XLSX's uncompressed size (a zip bomb is refused before it is
opened).
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel, ConfigDict, Field

from workbench.domain.errors import InputFileError, ValidationError, one_line
from workbench.domain.products import Product, part_key
from workbench.export.jsonfiles import load_json_object, read_input_file, validate

MAX_FILE_BYTES: Final = 50 * 1024 * 1024
MAX_XLSX_UNCOMPRESSED: Final = 400 * 1024 * 1024
MAX_ROWS: Final = 200_000
MAX_COLUMNS: Final = 200
MAX_CELL: Final = 10_000
MAX_MAPPING_BYTES: Final = 64 * 1024
MAX_PROBLEMS: Final = 1000
"""Problems kept for the report; counting goes on past it."""

TEXT_FIELDS: tuple[str, ...] = (
    "part_number",
    "description",
    "manufacturer",
    "model",
    "eccn",
    "paragraph",
    "reasoning",
    "country_of_origin",
    "ccats_number",
    "status",
    "approved_by",
)
NUMBER_FIELDS = ("tpp", "performance_density", "dram_bandwidth", "memory_bandwidth_density")
FLAG_FIELDS = ("datacenter", "prc_advanced_ic")
DATE_FIELDS = ("ccats_date", "approved_on")
FIELDS = (*TEXT_FIELDS, *NUMBER_FIELDS, "ics_per_unit", *FLAG_FIELDS, *DATE_FIELDS)
REQUIRED = ("part_number", "description")

# Headers a product master commonly uses, accepted without a mapping file.
ALIASES: Final = {
    "part": "part_number",
    "part_no": "part_number",
    "part_#": "part_number",
    "partnumber": "part_number",
    "sku": "part_number",
    "mfr": "manufacturer",
    "maker": "manufacturer",
    "pd": "performance_density",
    "origin": "country_of_origin",
    "coo": "country_of_origin",
    "ccats": "ccats_number",
    "ics": "ics_per_unit",
    "data_centre": "datacenter",
    "data_center": "datacenter",
    "datacentre": "datacenter",
}

_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"false", "no", "n", "0", ""}


class MappingModel(BaseModel):
    """A column mapping: which column of the file holds which product field."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, title="Product import column mapping")

    columns: dict[str, str] = Field(description="product field -> column header as the file spells it")
    sheet: str | None = Field(default=None, max_length=200, description="XLSX sheet (default: the first)")


@dataclass(frozen=True, slots=True)
class Mapping:
    columns: dict[str, str]
    """Product field -> column header."""
    sheet: str | None = None


@dataclass(frozen=True, slots=True)
class TableRow:
    """A validated product and the spreadsheet row it came from."""

    row: int
    product: Product


@dataclass(frozen=True, slots=True)
class Problem:
    row: int
    column: str
    message: str

    def sentence(self, source: str) -> str:
        where = f"row {self.row}" + (f", column '{self.column}'" if self.column else "")
        return one_line(f"{source}: {where}: {self.message}")


class TableRefusedError(InputFileError):
    """The file has rows that do not validate; nothing was imported. ``problems`` lists them."""

    def __init__(self, source: str, problems: list[Problem], total: int) -> None:
        self.problems = problems
        self.total = total
        more = f" (and {total - 1:,} more problems; nothing was imported)" if total > 1 else "; nothing was imported"
        super().__init__(problems[0].sentence(source).rstrip(".") + more + ".")


def _normalise_header(header: str) -> str:
    return "_".join(header.strip().casefold().replace("-", " ").split())


def read_mapping(path: Path) -> Mapping:
    raw = load_json_object(read_input_file(path, "mapping file", MAX_MAPPING_BYTES), str(path), "mapping file")
    model = validate(MappingModel, raw, str(path), "mapping file")
    for field_name in model.columns:
        if field_name not in FIELDS:
            raise InputFileError(
                f"{path}: $.columns.{field_name}: is not a product field; use one of {', '.join(FIELDS)}."
            )
    return Mapping(dict(model.columns), model.sheet)


def _resolve(headers: list[str], mapping: Mapping | None, source: str) -> dict[str, int]:
    """Product field -> column index."""
    positions: dict[str, int] = {}
    if mapping is not None:
        index = {h.strip(): i for i, h in enumerate(headers)}
        folded = {h.strip().casefold(): i for i, h in enumerate(headers)}
        for field_name, header in mapping.columns.items():
            at = index.get(header.strip(), folded.get(header.strip().casefold()))
            if at is None:
                raise InputFileError(
                    f"{source}: row 1: the mapping names column '{header}' for {field_name}, but the file has no "
                    "such column; check the header spelling."
                )
            positions[field_name] = at
    else:
        for i, header in enumerate(headers):
            key = _normalise_header(header)
            key = ALIASES.get(key, key)
            if key in FIELDS:
                if key in positions:
                    raise InputFileError(
                        f"{source}: row 1, column '{header}': a second column for {key}; "
                        "remove one or give a mapping file."
                    )
                positions[key] = i
    for field_name in REQUIRED:
        if field_name not in positions:
            raise InputFileError(
                f"{source}: row 1: no column for {field_name}; name a column '{field_name}' or give a "
                "mapping file that says which column holds it.",
                cli_hint="give the mapping file with --mapping",
            )
    return positions


def _csv_rows(data: bytes, source: str) -> Iterator[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{source}: is not UTF-8 text ({exc.reason}); save the CSV as UTF-8.") from None
    header_line = text.split("\n", 1)[0]
    # Spreadsheets in many locales write ';' or tabs; the header line says which.
    delimiter = max(",;\t", key=header_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        yield from reader
    except csv.Error as exc:
        raise InputFileError(f"{source}: row {reader.line_num}: is not valid CSV ({exc}).") from None


def _xlsx_rows(path: Path, sheet: str | None, source: str) -> Iterator[list[Any]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(path) as archive:
            size = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError, EOFError, NotImplementedError):
        raise InputFileError(f"{source}: is not an XLSX workbook (not a zip file); save it as .xlsx or CSV.") from None
    if size > MAX_XLSX_UNCOMPRESSED:
        raise InputFileError(
            f"{source}: unpacks to {size:,} bytes, more than the {MAX_XLSX_UNCOMPRESSED:,} a product master may; "
            "split it or save it as CSV."
        )
    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        raise InputFileError(f"{source}: cannot be read as an XLSX workbook ({type(exc).__name__}).") from None
    try:
        if sheet is not None and sheet not in book.sheetnames:
            raise InputFileError(f"{source}: has no sheet '{sheet}'; its sheets are {', '.join(book.sheetnames)}.")
        ws = book[sheet] if sheet is not None else book.worksheets[0]
        for values in ws.iter_rows(values_only=True):
            yield list(values)
    finally:
        book.close()


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _number(value: Any) -> float | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool):
        raise ValueError(f"'{value}' is not a number")
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip().replace(",", "").replace("_", "")
    try:
        return float(text)
    except ValueError:
        raise ValueError(f"'{value}' is not a number") from None


def _whole(value: Any) -> int:
    number = _number(value)
    if number is None:
        return 1
    if not number.is_integer():
        raise ValueError(f"'{value}' is not a whole number")
    return int(number)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = _text(value).casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ValueError(f"'{value}' is not yes or no (write yes/no, true/false or 1/0)")


def _date(value: Any) -> date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(f"'{value}' is not a date; write it as YYYY-MM-DD") from None


def _convert(field_name: str, value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_CELL:
        raise ValueError(f"is {len(value):,} characters long; a cell may hold at most {MAX_CELL:,}")
    if field_name in NUMBER_FIELDS:
        return _number(value)
    if field_name == "ics_per_unit":
        return _whole(value)
    if field_name in FLAG_FIELDS:
        return _flag(value)
    if field_name in DATE_FIELDS:
        return _date(value)
    text = _text(value)
    if field_name in ("eccn", "country_of_origin"):
        return text or None
    if field_name == "status":
        return text.casefold() or "draft"
    return text


def _product(values: list[Any], positions: dict[str, int], headers: list[str], row: int) -> Product | Problem:
    kwargs: dict[str, Any] = {}
    for field_name, at in positions.items():
        raw = values[at] if at < len(values) else None
        try:
            kwargs[field_name] = _convert(field_name, raw)
        except ValueError as exc:
            return Problem(row, headers[at], str(exc))
    try:
        return Product(**kwargs)
    except ValidationError as exc:
        column = positions.get(exc.field.split(".")[0])
        return Problem(row, headers[column] if column is not None else exc.field, exc.message)


def read_products(path: Path, mapping: Mapping | None = None) -> list[TableRow]:
    """Every row of a product master as a validated product; ``TableRefusedError`` if any row is wrong."""
    source = str(path)
    data = read_input_file(path, "product master", MAX_FILE_BYTES)
    if data[:4] == b"PK\x03\x04":
        rows: Iterator[list[Any]] = _xlsx_rows(path, mapping.sheet if mapping else None, source)
    elif path.suffix.lower() in {".xlsx", ".xlsm"}:
        raise InputFileError(f"{source}: is not an XLSX workbook (not a zip file); save it as .xlsx or CSV.")
    else:
        rows = _csv_rows(data, source)
    header_row = next(rows, None)
    if header_row is None:
        raise InputFileError(f"{source}: is empty; the first row must name the columns.")
    if len(header_row) > MAX_COLUMNS:
        raise InputFileError(f"{source}: row 1: has {len(header_row):,} columns; at most {MAX_COLUMNS} are read.")
    headers = [_text(h) for h in header_row]
    positions = _resolve(headers, mapping, source)
    problems: list[Problem] = []
    total_problems = 0
    seen: dict[str, int] = {}
    result: list[TableRow] = []
    part_column = headers[positions["part_number"]]
    for number, values in enumerate(rows, start=2):
        if number - 1 > MAX_ROWS:  # blank rows count too: a file of empty rows must not take forever
            raise InputFileError(f"{source}: has more than {MAX_ROWS:,} rows; split it into several files.")
        if not any(_text(v) for v in values[:MAX_COLUMNS]):
            continue  # blank lines between blocks are common in exported masters
        outcome = _product(values, positions, headers, number)
        if isinstance(outcome, Problem):
            total_problems += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(outcome)
            continue
        key = part_key(outcome.part_number)
        if key in seen:
            total_problems += 1
            if len(problems) < MAX_PROBLEMS:
                problems.append(
                    Problem(number, part_column, f"part number '{outcome.part_number}' is on row {seen[key]} already")
                )
            continue
        seen[key] = number
        result.append(TableRow(number, outcome))
    if total_problems:
        raise TableRefusedError(source, problems, total_problems)
    if not result:
        raise InputFileError(f"{source}: has a header row but no products.")
    return result
