"""Shared pieces of the list parsers: reading (gzip, encodings), progress/cancel, countries."""

from __future__ import annotations

import csv
import gzip
import io
import re
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from functools import cache
from pathlib import Path

import pycountry

from workbench.domain.countries import country_names
from workbench.domain.errors import InputFileError
from workbench.domain.screening import EntryType, ListEntry

ProgressCallback = Callable[[int, int], None]
"""Called as ``progress(done, total)`` while a file is parsed (rows or records)."""
CancelCheck = Callable[[], bool]
"""Returns True when the user asked to stop; the parser then raises ``Cancelled``."""

PROGRESS_EVERY = 1000


class Cancelled(Exception):
    """The import was cancelled by the user; nothing was imported."""


class Ticker:
    """Reports progress every ``PROGRESS_EVERY`` rows and honours a cancel request."""

    def __init__(self, total: int, progress: ProgressCallback | None, cancel: CancelCheck | None) -> None:
        self.total = max(total, 1)
        self.progress = progress
        self.cancel = cancel
        self.done = 0

    def tick(self) -> None:
        self.done += 1
        if self.done % PROGRESS_EVERY == 0:
            self.check()
            if self.progress is not None:
                self.progress(min(self.done, self.total), self.total)

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled("the list import was cancelled; the current list version stays active")

    def finish(self) -> None:
        self.check()
        if self.progress is not None:
            self.progress(self.total, self.total)


MAX_LIST_BYTES = 128 * 1024 * 1024
"""A list file's size, after decompression: the full CSL is about 8 MB as CSV, OFAC's set about 10 MB."""
MAX_GZIP_RATIO = 100
"""Decompressed over compressed size: list text compresses about 8:1; a decompression bomb 1,000:1."""
_RATIO_FLOOR = 1024 * 1024


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB"


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is a ``.gz``, refused past ``MAX_LIST_BYTES`` or ``MAX_GZIP_RATIO``."""
    try:
        size = path.stat().st_size
        if size > MAX_LIST_BYTES:
            raise InputFileError(
                f"{path.name}: is {_mb(size)}, more than the {_mb(MAX_LIST_BYTES)} a screening list may be; "
                "choose the list file as downloaded"
            )
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc}); check the path and permissions") from exc
    if data[:2] == b"\x1f\x8b":
        data = _gunzip(data, path)
    return data


def _gunzip(data: bytes, path: Path) -> bytes:
    """Decompress in blocks, stopping as soon as the output passes the size or ratio bound."""
    limit = min(MAX_LIST_BYTES, max(_RATIO_FLOOR, MAX_GZIP_RATIO * len(data)))
    out = bytearray()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as stream:
            while block := stream.read(1 << 20):
                out += block
                if len(out) > limit:
                    reason = (
                        f"more than {MAX_GZIP_RATIO} times its size, as a decompression bomb does"
                        if limit < MAX_LIST_BYTES
                        else f"to more than the {_mb(MAX_LIST_BYTES)} a screening list may be"
                    )
                    raise InputFileError(f"{path.name}: expands {reason}; it is refused, download the list again")
    except (OSError, EOFError, zlib.error) as exc:
        raise InputFileError(f"{path.name}: is not a complete gzip file ({exc}); download it again") from exc
    return bytes(out)


def decode(data: bytes, *, legacy: str = "cp1252") -> str:
    """UTF-8 (with or without BOM); files that are not UTF-8 are read as ``legacy`` (OFAC uses cp1252)."""
    data = data.rstrip(b"\x1a")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode(legacy)
        except UnicodeDecodeError:
            return data.decode("latin-1")


_DATE_IN_NAME = re.compile(r"(20\d\d)-?(\d\d)-?(\d\d)")


def date_from_name(path: Path) -> date | None:
    """Publication date written in the file name (``consolidated-2026-07-31.csv``), if any."""
    match = _DATE_IN_NAME.search(path.name)
    if not match:
        return None
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        return None


def entry_type(value: str | None) -> EntryType | None:
    """The list's type column (``Entity``/``Individual``/``Vessel``/``Aircraft``); None when blank."""
    text = (value or "").strip().casefold()
    if not text or text == "-0-":
        return None
    try:
        return EntryType(text)
    except ValueError:
        return None


def split_multi(value: str | None) -> tuple[str, ...]:
    """A ``; ``-joined CSL cell as a tuple, blanks dropped."""
    if not value:
        return ()
    return tuple(part.strip() for part in value.split(";") if part.strip())


@cache
def _country_lookup() -> dict[str, str]:
    lookup = {name.casefold(): code for code, name in country_names().items()}
    for country in pycountry.countries:
        for attr in ("name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                lookup[value.casefold()] = country.alpha_2
    lookup.update(
        {
            "russia": "RU",
            "iran": "IR",
            "syria": "SY",
            "burma": "MM",
            "korea, north": "KP",
            "north korea": "KP",
            "korea, south": "KR",
            "south korea": "KR",
            "the gambia": "GM",
            "congo, democratic republic of the": "CD",
            "congo, republic of the": "CG",
            "turkey": "TR",
            "vietnam": "VN",
            "laos": "LA",
            "taiwan": "TW",
            "palestinian": "PS",
            "west bank": "PS",
            "gaza": "PS",
            "bolivia": "BO",
            "venezuela": "VE",
            "tanzania": "TZ",
            "moldova": "MD",
            "kosovo": "XK",
            "czech republic": "CZ",
            "macau": "MO",
            "region: crimea": "UA",
            "crimea": "UA",
            "cote d ivoire": "CI",
            "cote d'ivoire": "CI",
        }
    )
    return lookup


def country_from_text(value: str) -> str | None:
    """ISO alpha-2 code of a country given as a code or an English name; None if unknown."""
    text = value.strip()
    if not text or text == "-0-":
        return None
    if len(text) == 2 and text.upper() in country_names():
        return text.upper()
    return _country_lookup().get(text.casefold())


def countries_of_addresses(addresses: tuple[str, ...]) -> tuple[str, ...]:
    """Country codes of CSL addresses (their last comma-separated part), de-duplicated in order."""
    found: dict[str, None] = {}
    for address in addresses:
        code = country_from_text(address.rsplit(",", 1)[-1])
        if code:
            found[code] = None
    return tuple(found)


MAX_NAME_CHARS = 1_000
"""A listed name or alias (the longest on the CSL is 381 characters)."""
MAX_ALIASES = 500
"""Aliases of one entry (the most on the CSL is 95)."""
MAX_NAMES_CHARS = 20_000
"""A name and all its aliases together (the most on the CSL is 2,855 characters)."""
MAX_ADDRESSES = 500
MAX_TEXT_CHARS = 20_000
"""Any other text of an entry: an address, the remarks, the licence policy."""


def csv_records(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str], str]]:
    """``(first line, fields, problem)`` per record; a record the csv module cannot read has a problem, not fields.

    A field over the csv module's 131,072-character limit, or broken quoting, spoils one record:
    it is reported with its line and reading goes on with the next line.
    """
    line_of = getattr(reader, "line_num", None)
    start = 1 if line_of is None else int(line_of) + 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            after = int(getattr(reader, "line_num", start))
            yield start, [], f"cannot be read as CSV ({exc})"
            start = after + 1
            continue
        after = int(getattr(reader, "line_num", start))
        yield start, fields, ""
        start = after + 1


def entry_problem(entry: ListEntry) -> str | None:
    """Why an entry is too large to screen against (a malformed row), or None.

    An oversized entry would be committed once and then slow down or exhaust memory in every
    later screening run, so it never enters a list version.
    """
    if len(entry.name) > MAX_NAME_CHARS:
        return f"the name is {len(entry.name):,} characters long, more than the {MAX_NAME_CHARS:,} allowed"
    if len(entry.alt_names) > MAX_ALIASES:
        return f"it has {len(entry.alt_names):,} aliases, more than the {MAX_ALIASES:,} allowed"
    longest = max((len(a) for a in entry.alt_names), default=0)
    if longest > MAX_NAME_CHARS:
        return f"an alias is {longest:,} characters long, more than the {MAX_NAME_CHARS:,} allowed"
    total = len(entry.name) + sum(len(a) for a in entry.alt_names)
    if total > MAX_NAMES_CHARS:
        return f"its names total {total:,} characters, more than the {MAX_NAMES_CHARS:,} allowed"
    if len(entry.addresses) > MAX_ADDRESSES or len(entry.programs) > MAX_ADDRESSES:
        return f"it has more than {MAX_ADDRESSES} addresses or programmes"
    texts = (
        entry.entry_id, entry.source, entry.remarks, entry.license_requirement, entry.license_policy,
        entry.federal_register_notice, entry.source_list_url, *entry.addresses, *entry.programs,
    )  # fmt: skip
    if any(len(text) > MAX_TEXT_CHARS for text in texts):
        return f"one of its fields is longer than {MAX_TEXT_CHARS:,} characters"
    return None


_WEAK_AKA = re.compile(r"a\.k\.a\.?,?\s*'([^']{2,})'", re.IGNORECASE)


def weak_akas(remarks: str) -> tuple[str, ...]:
    """OFAC keeps weak aliases only in the remarks (``a.k.a. 'BNC'``); screen them as names too."""
    return tuple(dict.fromkeys(m.strip() for m in _WEAK_AKA.findall(remarks or "")))
