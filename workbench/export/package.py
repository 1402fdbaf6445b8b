"""The OOXML package of a workbook as a strict, bounded list of parts, and its deterministic writer.

A signed workbook is signed part by part (``workbench.export.signing``), so what matters is that
the parts this module returns are exactly what every other reader of the file sees. Python's
``zipfile`` is lenient where that matters: it takes the last of two entries with the same name,
ignores data between entries and after them, and trusts the sizes a header declares. This reader
walks the zip itself and reports everything a reader could see differently as a *problem*:

* entries that are not contiguous from offset 0 (data hidden between, before or after them),
  a central directory that disagrees with a local header, extra fields, comments, directory
  entries, data descriptors;
* two entries with the same name, or names that differ only in letter case (OPC part names are
  case-insensitive, so Excel may take one where openpyxl takes the other);
* names that are not plain relative part names.

Bounds (a refusal is a ``PackageRefused``, one sentence): the file size, the number of entries,
the size of each part and of all parts together, and the compression ratio of large parts, all
checked before and while inflating (inflation never goes past the declared size). Encrypted
entries, compression methods other than stored and deflate, and parts declaring a DTD or entities
(entity-expansion bombs for whichever XML parser reads them next) are refused.

``write_package`` writes parts in the given order with fixed zip metadata (no timestamps of the
moment, no extra fields), so the same parts always give the same container apart from the
deflate stream itself.
"""

from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final
from xml.etree import ElementTree

from workbench.domain.errors import InputFileError

MAX_FILE_BYTES: Final = 64 * 1024 * 1024
MAX_PARTS: Final = 200
MAX_PART_BYTES: Final = 128 * 1024 * 1024
MAX_TOTAL_BYTES: Final = 256 * 1024 * 1024
MAX_RATIO: Final = 200
_RATIO_FLOOR: Final = 1024 * 1024  # small parts may compress as well as they like
MAX_CELLS: Final = 1_000_000  # openpyxl needs a few hundred bytes per cell

_EOCD: Final = b"PK\x05\x06"
_CENTRAL: Final = b"PK\x01\x02"
_LOCAL: Final = b"PK\x03\x04"
_EOCD_LEN: Final = 22
_CENTRAL_LEN: Final = 46
_LOCAL_LEN: Final = 30
_UTF8_FLAG: Final = 0x800
_ENCRYPTED: Final = 0x1
_DESCRIPTOR: Final = 0x8
_PART_NAME = re.compile(r"[A-Za-z0-9\[\]_.\-]+(?:/[A-Za-z0-9\[\]_.\-]+)*")
_CELL_TAG = re.compile(rb"<(?:\w+:)?c[\s/>]")
_FIXED_TIME: Final = (1980, 1, 1, 0, 0, 0)
_RELS_NS: Final = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_MAIN_NS: Final = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_DOC_REL: Final = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


class PackageRefused(InputFileError):
    """The file is too large, too compressed or malformed in a way that is not worth reading."""


class NotAPackage(PackageRefused):
    """The file is not a zip at all (an ordinary answer for ``verify``: not a signed determination)."""


@dataclass(frozen=True, slots=True)
class _Entry:
    name: str
    flags: int
    method: int
    crc: int
    compressed: int
    size: int
    offset: int
    extra: int
    comment: int


@dataclass(slots=True)
class Package:
    """The parts in zip order (``parts``) and what about the container a reader could see differently."""

    parts: dict[str, bytes] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def _refuse(source: str, why: str) -> PackageRefused:
    return PackageRefused(f"{source}: {why}; it is not a workbook the workbench wrote, so it was not read.")


def _central_directory(data: bytes, source: str) -> tuple[list[_Entry], int, list[str]]:
    problems: list[str] = []
    at = data.rfind(_EOCD, max(0, len(data) - _EOCD_LEN - 65_535))
    if at < 0 or len(data) < _EOCD_LEN:
        raise NotAPackage(f"{source}: is not an Excel workbook (.xlsx).")
    disk, cd_disk, here, count, cd_size, cd_offset, comment = struct.unpack("<4H2LH", data[at + 4 : at + _EOCD_LEN])
    if at + _EOCD_LEN + comment != len(data):
        problems.append("data after the end of the zip directory")
    elif comment:
        problems.append("a zip comment")
    if disk or cd_disk or here != count or count == 0xFFFF or cd_offset == 0xFFFFFFFF:
        raise _refuse(source, "is a split or ZIP64 archive")
    if count > MAX_PARTS:
        raise _refuse(source, f"holds {count:,} parts, more than the {MAX_PARTS} a determination can have")
    if cd_offset + cd_size != at:
        problems.append("data between the zip entries and their directory")
    entries: list[_Entry] = []
    pos = cd_offset
    for _ in range(count):
        if data[pos : pos + 4] != _CENTRAL:
            raise _refuse(source, "has a damaged zip directory")
        fields = struct.unpack("<4s6H3L5H2L", data[pos : pos + _CENTRAL_LEN])
        flags, method, crc, compressed, size, name_len, extra, comment_len = (
            fields[3],
            fields[4],
            fields[7],
            fields[8],
            fields[9],
            fields[10],
            fields[11],
            fields[12],
        )
        offset = fields[16]
        raw = data[pos + _CENTRAL_LEN : pos + _CENTRAL_LEN + name_len]
        try:
            name = raw.decode("utf-8" if flags & _UTF8_FLAG else "cp437")
        except UnicodeDecodeError:
            raise _refuse(source, "has a zip entry name that is not UTF-8") from None
        entries.append(_Entry(name, flags, method, crc, compressed, size, offset, extra, comment_len))
        pos += _CENTRAL_LEN + name_len + extra + comment_len
    if pos != at and not any("between the zip entries" in p for p in problems):
        problems.append("data inside the zip directory")
    return entries, cd_offset, problems


def _check_bounds(entries: Sequence[_Entry], source: str) -> None:
    total = 0
    for e in entries:
        if e.flags & _ENCRYPTED:
            raise _refuse(source, f"part {e.name} is encrypted")
        if e.method not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise _refuse(source, f"part {e.name} uses compression method {e.method}, not stored or deflate")
        if e.size > MAX_PART_BYTES:
            raise _refuse(source, f"part {e.name} expands to {e.size:,} bytes, more than {MAX_PART_BYTES:,}")
        if e.size > _RATIO_FLOOR and e.size > MAX_RATIO * max(e.compressed, 1):
            raise _refuse(source, f"part {e.name} expands {e.size // max(e.compressed, 1):,} times (a zip bomb)")
        total += e.size
        if total > MAX_TOTAL_BYTES:
            raise _refuse(source, f"its parts expand to more than {MAX_TOTAL_BYTES:,} bytes")


def _inflate(data: bytes, e: _Entry, start: int, source: str) -> bytes:
    chunk = data[start : start + e.compressed]
    if len(chunk) != e.compressed:
        raise _refuse(source, f"part {e.name} is cut short")
    if e.method == zipfile.ZIP_STORED:
        content = chunk
    else:
        inflater = zlib.decompressobj(-15)
        try:
            content = inflater.decompress(chunk, e.size + 1)
        except zlib.error:
            raise _refuse(source, f"part {e.name} has corrupt compressed data") from None
        if len(content) > e.size or not inflater.eof or inflater.unused_data:
            raise _refuse(source, f"part {e.name} does not expand to the size its header declares")
    if len(content) != e.size or zlib.crc32(content) != e.crc:
        raise _refuse(source, f"part {e.name} fails its CRC check")
    return content


def _name_problems(names: Sequence[str]) -> list[str]:
    problems: list[str] = []
    seen: dict[str, str] = {}
    for name in names:
        folded = name.casefold()
        if folded in seen:
            other = seen[folded]
            what = f"two zip entries named {name}" if other == name else f"entries {other} and {name} differ in case"
            problems.append(what)
        seen.setdefault(folded, name)
        if name.endswith("/"):
            problems.append(f"a folder entry {name}")
        elif not _PART_NAME.fullmatch(name) or ".." in name.split("/"):
            problems.append(f"a zip entry with an unusual name {name!r}")
    return problems


def read_package(data: bytes, source: str = "workbook") -> Package:
    """Every part of the zip in ``data``, checked as the module docstring says."""
    try:
        return _read(data, source)
    except struct.error:  # a header cut short anywhere
        raise _refuse(source, "has a damaged zip directory") from None


def _read(data: bytes, source: str) -> Package:
    if len(data) > MAX_FILE_BYTES:
        raise _refuse(source, f"is {len(data):,} bytes, more than {MAX_FILE_BYTES:,}")
    if not data.startswith(_LOCAL) and data.rfind(_EOCD) < 0:
        raise NotAPackage(f"{source}: is not an Excel workbook (.xlsx).")
    entries, cd_offset, problems = _central_directory(data, source)
    _check_bounds(entries, source)
    package = Package(problems=problems)
    expected_offset = 0
    for e in sorted(entries, key=lambda x: x.offset):
        if e.offset != expected_offset:
            package.problems.append(f"data before the zip entry {e.name}")
        head = data[e.offset : e.offset + _LOCAL_LEN]
        if len(head) != _LOCAL_LEN or head[:4] != _LOCAL:
            raise _refuse(source, f"part {e.name} has no zip entry header where the directory says")
        _, _, flags, method, _, _, crc, compressed, size, name_len, extra = struct.unpack("<4s5H3L2H", head)
        local_name = data[e.offset + _LOCAL_LEN : e.offset + _LOCAL_LEN + name_len]
        if local_name != e.name.encode("utf-8" if e.flags & _UTF8_FLAG else "cp437") or (
            (flags, method, crc, compressed, size) != (e.flags, e.method, e.crc, e.compressed, e.size)
        ):
            package.problems.append(f"the zip entry header of {e.name} disagrees with the zip directory")
        if extra or e.extra or e.comment:
            package.problems.append(f"extra fields or a comment on the zip entry {e.name}")
        if e.flags & _DESCRIPTOR:
            package.problems.append(f"a data descriptor after the zip entry {e.name}")
        start = e.offset + _LOCAL_LEN + name_len + extra
        content = _inflate(data, e, start, source)
        expected_offset = start + e.compressed
        if b"<!DOCTYPE" in content or b"<!ENTITY" in content:
            raise _refuse(source, f"part {e.name} declares a DTD or entities, which no workbook part has")
        if e.name not in package.parts:
            package.parts[e.name] = content
    if expected_offset != cd_offset:
        package.problems.append("data between the zip entries and their directory")
    package.problems.extend(_name_problems([e.name for e in entries]))
    package.parts = {e.name: package.parts[e.name] for e in entries if e.name in package.parts}
    return package


def count_cells(xml: bytes) -> int:
    """Cell elements in a part (an upper bound, counted before anything parses the part)."""
    return len(_CELL_TAG.findall(xml))


def write_package(parts: Sequence[tuple[str, bytes]]) -> bytes:
    """A zip of ``parts`` in this order, deflated, with fixed metadata."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in parts:
            info = zipfile.ZipInfo(name, date_time=_FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, content, compresslevel=6)
    return buffer.getvalue()


def sheet_part(parts: dict[str, bytes], title: str) -> str:
    """The part name of the worksheet called ``title``, following the workbook's relationships."""
    book = ElementTree.fromstring(parts["xl/workbook.xml"])
    rid = next(s.get(_DOC_REL) for s in book.iter(f"{_MAIN_NS}sheet") if s.get("name") == title)
    rels = ElementTree.fromstring(parts["xl/_rels/workbook.xml.rels"])
    target = next(r.get("Target", "") for r in rels.iter(f"{_RELS_NS}Relationship") if r.get("Id") == rid)
    return target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join("xl", target))
