"""Reading zips a user hands us (bundles, backups) within bounds, refusing in one sentence what we cannot trust.

Before any member is read the whole central directory is checked: entry count, duplicate
and unsafe names, encryption, compression methods other than stored and deflate, the
declared expanded size (in total and per member) and the compression ratio of large
members (a zip bomb). zipfile then stops every member at its declared size and checks its
CRC, so the declared sizes bound the work; ``read_member`` turns damaged data (a corrupt
deflate stream, a CRC mismatch) into the same one-sentence refusal.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import IO, cast

from workbench.domain.errors import WorkbenchError

ALLOWED_METHODS = {zipfile.ZIP_STORED: "stored", zipfile.ZIP_DEFLATED: "deflate"}
_METHOD_NAMES = {9: "Deflate64", 12: "bzip2", 14: "LZMA", 93: "Zstandard", 95: "XZ", 98: "PPMd", 99: "AES"}
RATIO_FLOOR = 16 * 1024 * 1024
"""Members expanding to less may compress as well as they like (an uncompressed bilevel TIFF scan
reaches 1,000:1); above it the ratio cap applies."""
MAX_NAME_CHARS = 255


@dataclass(frozen=True, slots=True)
class ZipLimits:
    max_entries: int
    max_total_bytes: int
    """Sum of the members' declared expanded sizes."""
    max_member_bytes: int
    max_ratio: int = 200
    """Expanded size over compressed size, for members above ``RATIO_FLOOR``; deflate reaches ~1,000:1."""


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:,.0f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def unsafe_name_reason(name: str) -> str | None:
    """Why a member name cannot be extracted safely (None when it can)."""
    if not name or "\\" in name or "\x00" in name:
        return "is not a plain relative path"
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or ":" in path.parts[0]:
        return "points outside the archive's folder"
    if any(len(part) > MAX_NAME_CHARS for part in path.parts):
        return f"has a name part longer than {MAX_NAME_CHARS} characters"
    return None


def check_archive(
    archive: zipfile.ZipFile, source: Path, limits: ZipLimits, error: type[WorkbenchError]
) -> dict[str, zipfile.ZipInfo]:
    """Check the central directory; return the members by name or raise ``error`` naming the first problem."""
    infos = archive.infolist()
    if len(infos) > limits.max_entries:
        raise error(
            f"{source}: holds {len(infos):,} files, more than the {limits.max_entries:,} allowed; it is refused."
        )
    members: dict[str, zipfile.ZipInfo] = {}
    total = 0
    for info in infos:
        shown = info.filename if len(info.filename) <= 80 else info.filename[:60] + "…"
        if info.filename in members:
            raise error(f"{source}: holds two files named {shown!r}; the archive is ambiguous and is refused.")
        reason = unsafe_name_reason(info.filename)
        if reason:
            raise error(f"{source}: the member name {shown!r} {reason}; the archive is refused.")
        if info.flag_bits & 0x1:
            raise error(f"{source}: {shown} is encrypted; the workbench reads only unencrypted archives.")
        if info.compress_type not in ALLOWED_METHODS:
            method = _METHOD_NAMES.get(info.compress_type, f"method {info.compress_type}")
            raise error(
                f"{source}: {shown} is compressed with {method}, which the workbench does not read; "
                "use an archive written by the workbench (stored or deflate)."
            )
        if info.file_size > limits.max_member_bytes:
            raise error(
                f"{source}: {shown} expands to {_size(info.file_size)}, more than the "
                f"{_size(limits.max_member_bytes)} allowed for one file; it is refused."
            )
        if info.file_size > RATIO_FLOOR and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise error(
                f"{source}: {shown} expands {info.file_size // max(info.compress_size, 1):,} times "
                f"(more than {limits.max_ratio}:1), as a zip bomb does; it is refused."
            )
        total += info.file_size
        if total > limits.max_total_bytes:
            raise error(
                f"{source}: expands to more than {_size(limits.max_total_bytes)} in total; it is refused."
            )
        members[info.filename] = info
    return members


class _GuardedStream(io.BufferedIOBase):
    """A member stream whose decompression and CRC failures become one clear refusal."""

    def __init__(self, inner: IO[bytes], what: str, error: type[WorkbenchError]) -> None:
        self._inner = inner
        self._what = what
        self._error = error

    def read(self, n: int | None = -1) -> bytes:
        try:
            return self._inner.read(-1 if n is None else n)
        except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, RuntimeError) as exc:
            raise self._error(f"{self._what} is damaged in the archive ({exc}); nothing was stored.") from None

    def close(self) -> None:
        self._inner.close()
        super().close()

    def readable(self) -> bool:
        return True


def open_member(archive: zipfile.ZipFile, name: str, what: str, error: type[WorkbenchError]) -> IO[bytes]:
    """Open a checked member; its reads raise ``error`` (naming ``what``) on damaged data."""
    try:
        inner = archive.open(name)
    except KeyError:
        raise error(f"{what} is missing from the archive.") from None
    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, OSError, ValueError, EOFError) as exc:
        raise error(f"{what} cannot be read from the archive ({exc}); nothing was stored.") from None
    return cast(IO[bytes], _GuardedStream(inner, what, error))


def read_bytes(archive: zipfile.ZipFile, name: str, limit: int, what: str, error: type[WorkbenchError]) -> bytes:
    """A whole member of at most ``limit`` bytes."""
    with open_member(archive, name, what, error) as stream:
        data = stream.read(limit + 1)
    if len(data) > limit:
        raise error(f"{what} is larger than {limit:,} bytes; it is refused.")
    return data
