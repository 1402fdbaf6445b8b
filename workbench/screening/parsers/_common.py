"""Shared pieces of the list parsers: reading (gzip, encodings), progress/cancel, countries."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path

import pycountry

from workbench.domain.countries import country_names
from workbench.domain.errors import InputFileError
from workbench.domain.screening import EntryType

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


def read_bytes(path: Path) -> bytes:
    """The file's bytes, gunzipped when it is a ``.gz``."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputFileError(f"{path}: cannot be read ({exc.strerror or exc}); check the path and permissions") from exc
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as exc:
            raise InputFileError(f"{path.name}: is not a complete gzip file ({exc}); download it again") from exc
    return data


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


_WEAK_AKA = re.compile(r"a\.k\.a\.?,?\s*'([^']{2,})'", re.IGNORECASE)


def weak_akas(remarks: str) -> tuple[str, ...]:
    """OFAC keeps weak aliases only in the remarks (``a.k.a. 'BNC'``); screen them as names too."""
    return tuple(dict.fromkeys(m.strip() for m in _WEAK_AKA.findall(remarks or "")))
