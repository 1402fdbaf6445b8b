"""The trade.gov Consolidated Screening List bulk downloads: ``consolidated.csv`` and ``.json``."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections import Counter
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from workbench.domain.errors import InputFileError
from workbench.domain.screening import ListEntry, ListFormat, MalformedRow, ParsedList
from workbench.screening.parsers._common import (
    CancelCheck,
    ProgressCallback,
    Ticker,
    countries_of_addresses,
    country_from_text,
    csv_records,
    date_from_name,
    entry_problem,
    entry_type,
    split_multi,
    weak_akas,
)

CSL_COLUMNS = (
    "_id",
    "source",
    "entity_number",
    "type",
    "programs",
    "name",
    "title",
    "addresses",
    "federal_register_notice",
    "start_date",
    "end_date",
    "standard_order",
    "license_requirement",
    "license_policy",
    "call_sign",
    "vessel_type",
    "gross_tonnage",
    "gross_registered_tonnage",
    "vessel_flag",
    "vessel_owner",
    "remarks",
    "source_list_url",
    "alt_names",
    "citizenships",
    "dates_of_birth",
    "nationalities",
    "places_of_birth",
    "source_information_url",
    "ids",
)
_REQUIRED = ("source", "name")


def _fallback_id(source: str, name: str, notice: str, countries: tuple[str, ...]) -> str:
    """The id the CSL gives rows without an entity number: SHA-224 of what identifies them."""
    text = "|".join((source, name, notice, ",".join(countries)))
    return hashlib.sha224(text.encode("utf-8")).hexdigest()


def _entry(
    row: Mapping[str, Any],
    *,
    addresses: tuple[str, ...],
    alt_names: tuple[str, ...],
    programs: tuple[str, ...],
    extra_countries: tuple[str, ...] = (),
) -> ListEntry:
    source = str(row.get("source") or "").strip()
    name = str(row.get("name") or "").strip()
    notice = str(row.get("federal_register_notice") or "").strip()
    remarks = str(row.get("remarks") or "").strip()
    countries = tuple(dict.fromkeys((*countries_of_addresses(addresses), *extra_countries)))
    entry_id = str(row.get("_id") or row.get("id") or row.get("entity_number") or "").strip()
    names = dict.fromkeys(a for a in (*alt_names, *weak_akas(remarks)) if a and a != name)
    return ListEntry(
        entry_id=entry_id or _fallback_id(source, name, notice, countries),
        source=source,
        name=name,
        entry_type=entry_type(str(row.get("type") or "")),
        alt_names=tuple(names),
        countries=countries,
        addresses=addresses,
        programs=programs,
        license_requirement=str(row.get("license_requirement") or "").strip(),
        license_policy=str(row.get("license_policy") or "").strip(),
        federal_register_notice=notice,
        remarks=remarks,
        source_list_url=str(row.get("source_list_url") or "").strip(),
    )


def _missing(row: Mapping[str, Any]) -> str | None:
    for column in _REQUIRED:
        if not str(row.get(column) or "").strip():
            return f"the '{column}' field is empty"
    return None


def parse_csl_csv(
    text: str, path: Path, progress: ProgressCallback | None = None, cancel: CancelCheck | None = None
) -> ParsedList:
    """Parse the 29-column CSV (or the 28-column 2019 layout without ``_id``)."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise InputFileError(f"{path.name}: the file is empty; download the list again") from None
    header = [h.strip().lstrip("\ufeff") for h in header]
    if "name" not in header or "source" not in header:
        raise InputFileError(
            f"{path.name}, line 1: the header has no 'source' and 'name' columns, so this is not a "
            "Consolidated Screening List CSV; download consolidated.csv from trade.gov"
        )
    ticker = Ticker(text.count("\n"), progress, cancel)
    entries: list[ListEntry] = []
    malformed: list[MalformedRow] = []
    counts: Counter[str] = Counter()
    rows = 0
    for start, fields, unreadable in csv_records(reader):
        ticker.tick()
        if unreadable:
            rows += 1
            malformed.append(MalformedRow(start, unreadable))
            continue
        if not fields or all(not f.strip() for f in fields):
            continue
        rows += 1
        if [f.strip() for f in fields] == header:
            malformed.append(MalformedRow(start, "repeats the header row"))
            continue
        if len(fields) != len(header):
            malformed.append(MalformedRow(start, f"has {len(fields)} fields where the header has {len(header)}"))
            continue
        row = dict(zip(header, fields, strict=True))
        problem = _missing(row)
        if problem:
            malformed.append(MalformedRow(start, problem))
            continue
        entry = _entry(
            row,
            addresses=split_multi(row.get("addresses")),
            alt_names=split_multi(row.get("alt_names")),
            programs=split_multi(row.get("programs")),
        )
        problem = entry_problem(entry)
        if problem:
            malformed.append(MalformedRow(start, problem))
            continue
        entries.append(entry)
        counts[entry.source] += 1
    ticker.finish()
    return ParsedList(ListFormat.CSL_CSV, tuple(entries), dict(counts), tuple(malformed), date_from_name(path), rows)


def _as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list):
        return value
    if isinstance(value, str):
        return list(split_multi(value))
    return [value]


def _address_text(value: Any) -> str:
    if isinstance(value, Mapping):
        parts = (value.get(k) for k in ("address", "city", "state", "postal_code", "country"))
        return ", ".join(str(p).strip() for p in parts if p and str(p).strip())
    return str(value).strip()


def parse_csl_json(
    text: str, path: Path, progress: ProgressCallback | None = None, cancel: CancelCheck | None = None
) -> ParsedList:
    """Parse the bulk JSON: ``{"results": [...]}`` (or a bare list) with the CSV's field names."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{path.name}, line {exc.lineno}: is not valid JSON ({exc.msg}); download the list again"
        ) from exc
    except RecursionError:
        raise InputFileError(f"{path.name}: nests JSON too deeply to be a screening list") from None
    except ValueError:  # a number too long to convert
        raise InputFileError(f"{path.name}: holds a number too long to be part of a screening list") from None
    records = data.get("results") if isinstance(data, dict) else data
    if not isinstance(records, list):
        raise InputFileError(
            f"{path.name}: has no 'results' list, so it is not the Consolidated Screening List JSON; "
            "download consolidated.json from trade.gov"
        )
    ticker = Ticker(len(records), progress, cancel)
    entries: list[ListEntry] = []
    malformed: list[MalformedRow] = []
    counts: Counter[str] = Counter()
    for number, record in enumerate(records, start=1):
        ticker.tick()
        if not isinstance(record, dict):
            malformed.append(MalformedRow(number, f"record {number} is not an object"))
            continue
        problem = _missing(record)
        if problem:
            malformed.append(MalformedRow(number, f"record {number}: {problem}"))
            continue
        addresses = tuple(a for a in (_address_text(x) for x in _as_list(record.get("addresses"))) if a)
        top_country = country_from_text(str(record.get("country") or ""))
        entry = _entry(
            record,
            addresses=addresses,
            alt_names=tuple(str(a).strip() for a in _as_list(record.get("alt_names")) if str(a).strip()),
            programs=tuple(str(p).strip() for p in _as_list(record.get("programs")) if str(p).strip()),
            extra_countries=(top_country,) if top_country else (),
        )
        problem = entry_problem(entry)
        if problem:
            malformed.append(MalformedRow(number, f"record {number}: {problem}"))
            continue
        entries.append(entry)
        counts[entry.source] += 1
    ticker.finish()
    return ParsedList(
        ListFormat.CSL_JSON, tuple(entries), dict(counts), tuple(malformed), date_from_name(path), len(records)
    )
