"""OFAC's legacy SDN file set: ``sdn.csv`` with ``add.csv`` and ``alt.csv`` beside it.

No header, ``-0-`` for null, cp1252 text, a trailing 0x1A byte. Aliases come from ``alt.csv``
and from the weak ``a.k.a. '…'`` notes in the remarks; countries from ``add.csv``.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from pathlib import Path

from workbench.domain.errors import InputFileError
from workbench.domain.screening import SDN_SOURCE, EntryType, ListEntry, ListFormat, MalformedRow, ParsedList
from workbench.screening.parsers._common import (
    CancelCheck,
    ProgressCallback,
    Ticker,
    country_from_text,
    csv_records,
    date_from_name,
    decode,
    entry_problem,
    entry_type,
    read_bytes,
    weak_akas,
)

SDN_COLUMNS = (
    "ent_num",
    "SDN_Name",
    "SDN_Type",
    "Program",
    "Title",
    "Call_Sign",
    "Vess_type",
    "Tonnage",
    "GRT",
    "Vess_flag",
    "Vess_owner",
    "Remarks",
)
SDN_LIST_URL = "https://sanctionslist.ofac.treas.gov/Home/SdnList"


def _cell(value: str) -> str:
    value = value.strip()
    return "" if value == "-0-" else value


def _rows(text: str) -> list[tuple[int, list[str], str]]:
    """``(line, cells, problem)`` per record; an unreadable record (e.g. an over-long field) has a problem."""
    reader = csv.reader(io.StringIO(text, newline=""), skipinitialspace=True)
    return [(line, [_cell(f) for f in fields], problem) for line, fields, problem in csv_records(reader)]


def _programs(value: str) -> tuple[str, ...]:
    parts = value.replace("] [", "];[").split(";") if value else []
    return tuple(p.strip().strip("[]").strip() for p in parts if p.strip().strip("[]").strip())


def _side_file(path: Path, name: str) -> str | None:
    for candidate in (path.with_name(name), path.with_name(name.upper()), path.with_name(name + ".gz")):
        if candidate.exists():
            return decode(read_bytes(candidate))
    return None


def parse_ofac(path: Path, progress: ProgressCallback | None = None, cancel: CancelCheck | None = None) -> ParsedList:
    """Parse ``sdn.csv`` (``path`` is the file or its folder); add/alt files are optional."""
    sdn_path = path / "sdn.csv" if path.is_dir() else path
    if not sdn_path.exists():
        raise InputFileError(f"{path}: has no sdn.csv; choose the folder or the sdn.csv of OFAC's legacy files")
    rows = _rows(decode(read_bytes(sdn_path)))
    aliases: dict[str, list[str]] = defaultdict(list)
    addresses: dict[str, list[tuple[str, str | None]]] = defaultdict(list)
    alt_text = _side_file(sdn_path, "alt.csv")
    for _line, fields, _problem in _rows(alt_text) if alt_text else []:
        if len(fields) >= 4 and fields[0] and fields[3]:
            aliases[fields[0]].append(fields[3])
    add_text = _side_file(sdn_path, "add.csv")
    for _line, fields, _problem in _rows(add_text) if add_text else []:
        if len(fields) >= 5 and fields[0]:
            text = ", ".join(f for f in fields[2:5] if f)
            addresses[fields[0]].append((text, country_from_text(fields[4])))

    ticker = Ticker(len(rows), progress, cancel)
    entries: list[ListEntry] = []
    malformed: list[MalformedRow] = []
    data_rows = 0
    for line, fields, problem in rows:
        ticker.tick()
        if problem:
            data_rows += 1
            malformed.append(MalformedRow(line, problem))
            continue
        if not any(fields):
            continue
        data_rows += 1
        if len(fields) != len(SDN_COLUMNS):
            malformed.append(MalformedRow(line, f"has {len(fields)} fields where sdn.csv has {len(SDN_COLUMNS)}"))
            continue
        ent_num, name, kind, program = fields[0], fields[1], fields[2], fields[3]
        if not ent_num.isdigit():
            malformed.append(MalformedRow(line, f"the entity number '{ent_num}' is not a number"))
            continue
        if not name:
            malformed.append(MalformedRow(line, "the name field is empty"))
            continue
        remarks = fields[11]
        alt = dict.fromkeys(a for a in (*aliases.get(ent_num, ()), *weak_akas(remarks)) if a != name)
        places = addresses.get(ent_num, [])
        entry = ListEntry(
            entry_id=ent_num,
            source=SDN_SOURCE,
            name=name,
            entry_type=entry_type(kind) or EntryType.ENTITY,
            alt_names=tuple(alt),
            countries=tuple(dict.fromkeys(c for _t, c in places if c)),
            addresses=tuple(t for t, _c in places if t),
            programs=_programs(program),
            remarks=remarks,
            source_list_url=SDN_LIST_URL,
        )
        too_large = entry_problem(entry)
        if too_large:
            malformed.append(MalformedRow(line, too_large))
            continue
        entries.append(entry)
    ticker.finish()
    if data_rows and not entries:
        raise InputFileError(
            f"{sdn_path.name}: none of its {data_rows} rows could be read as an SDN entry; "
            "check that this is OFAC's legacy sdn.csv"
        )
    counts = {SDN_SOURCE: len(entries)} if entries else {}
    return ParsedList(
        ListFormat.OFAC_SDN, tuple(entries), counts, tuple(malformed), date_from_name(sdn_path), data_rows
    )
