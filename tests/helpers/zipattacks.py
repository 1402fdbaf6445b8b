"""Hostile zips built by code: each attack takes a genuine archive's bytes (or members) and returns new bytes.

Header fields are patched in place (local header and central directory alike), so the
archive is otherwise well formed and only the attacked property differs.
"""

from __future__ import annotations

import io
import struct
import warnings
import zipfile
from collections.abc import Iterable

_LOCAL = b"PK\x03\x04"
_CENTRAL = b"PK\x01\x02"


def build(members: Iterable[tuple[str, bytes]], *, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """A zip of ``members`` in order (duplicate names allowed, as an attacker's tool writes them)."""
    buffer = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on duplicate names; that is the point
        with zipfile.ZipFile(buffer, "w", method) as archive:
            for name, data in members:
                archive.writestr(name, data)
    return buffer.getvalue()


def members(data: bytes) -> list[tuple[str, bytes]]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return [(info.filename, archive.read(info)) for info in archive.infolist()]


def _central_offsets(data: bytes) -> dict[str, int]:
    out: dict[str, int] = {}
    start = 0
    while (at := data.find(_CENTRAL, start)) >= 0:
        name_len = struct.unpack_from("<H", data, at + 28)[0]
        out[data[at + 46 : at + 46 + name_len].decode("utf-8", "replace")] = at
        start = at + 4
    return out


def _patch(data: bytes, name: str, local_at: int, central_at: int, fmt: str, value: int) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        local = archive.getinfo(name).header_offset
    buf = bytearray(data)
    assert buf[local : local + 4] == _LOCAL
    struct.pack_into(fmt, buf, local + local_at, value)
    struct.pack_into(fmt, buf, _central_offsets(data)[name] + central_at, value)
    return bytes(buf)


def set_method(data: bytes, name: str, method: int) -> bytes:
    """Claim another compression method (9 = Deflate64, 12 = bzip2, 99 = AES) for one member."""
    return _patch(data, name, 8, 10, "<H", method)


def set_encrypted(data: bytes, name: str) -> bytes:
    """Set the 'encrypted' general-purpose flag of one member."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        flags = archive.getinfo(name).flag_bits
    return _patch(data, name, 6, 8, "<H", flags | 0x1)


def corrupt_data(data: bytes, name: str) -> bytes:
    """Overwrite the middle of one member's compressed bytes (a damaged deflate stream)."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        info = archive.getinfo(name)
    buf = bytearray(data)
    name_len, extra_len = struct.unpack_from("<HH", buf, info.header_offset + 26)
    start = info.header_offset + 30 + name_len + extra_len
    middle = start + info.compress_size // 2
    for i in range(middle, min(middle + 16, start + info.compress_size)):
        buf[i] ^= 0x5A
    return bytes(buf)
