"""Minimal structural checks of scanned images (PNG, JPEG, TIFF): dimensions, and not cut short.

The workbench does not decode images (no Pillow): it only proves that the file is what its
signature claims, has a positive size and was not truncated in transfer, which is the
common way a scan arrives damaged. A file that fails is refused with the reason.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from workbench.documents.errors import BrokenDocumentError
from workbench.documents.sniff import ContentType

_TAIL = 64 * 1024
_MAX_JPEG_SEGMENTS = 1000
_SOF_MARKERS = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


@dataclass(frozen=True, slots=True)
class ImageInfo:
    width: int
    height: int


class _Bad(Exception):
    """Internal: the image structure is wrong; the message says how."""


def _read(handle: BinaryIO, size: int) -> bytes:
    data = handle.read(size)
    if len(data) != size:
        raise _Bad("the file ends in the middle of its header")
    return data


def _tail(handle: BinaryIO, size: int) -> bytes:
    handle.seek(max(0, size - _TAIL))
    return handle.read()


def _png(handle: BinaryIO, size: int) -> ImageInfo:
    handle.seek(8)
    length, kind = struct.unpack(">I4s", _read(handle, 8))
    if kind != b"IHDR" or length != 13:
        raise _Bad("its first chunk is not the PNG image header (IHDR)")
    width, height = struct.unpack(">II", _read(handle, 8))
    if b"IEND" not in _tail(handle, size):
        raise _Bad("it has no end chunk (IEND), so the file was cut short")
    return ImageInfo(width, height)


def _jpeg(handle: BinaryIO, size: int) -> ImageInfo:
    handle.seek(2)
    for _ in range(_MAX_JPEG_SEGMENTS):
        byte = _read(handle, 1)
        if byte != b"\xff":
            raise _Bad("a segment marker is missing")
        marker = _read(handle, 1)[0]
        while marker == 0xFF:  # fill bytes
            marker = _read(handle, 1)[0]
        if marker in (0x01, *range(0xD0, 0xD8)):
            continue
        (length,) = struct.unpack(">H", _read(handle, 2))
        if length < 2:
            raise _Bad("a segment has an impossible length")
        if marker in _SOF_MARKERS:
            _precision, height, width = struct.unpack(">BHH", _read(handle, 5))
            if b"\xff\xd9" not in _tail(handle, size):
                raise _Bad("it has no end-of-image marker, so the file was cut short")
            return ImageInfo(width, height)
        if marker in (0xDA, 0xD9):
            break
        handle.seek(length - 2, 1)
    raise _Bad("it has no frame header giving the image size")


def _tiff(handle: BinaryIO, size: int) -> ImageInfo:
    handle.seek(0)
    order = _read(handle, 2)
    endian = "<" if order == b"II" else ">"
    (magic,) = struct.unpack(endian + "H", _read(handle, 2))
    if magic == 43:  # BigTIFF: 8-byte offsets, 20-byte entries
        _read(handle, 4)
        (offset,) = struct.unpack(endian + "Q", _read(handle, 8))
        count_fmt, entry_size, value_fmt = "Q", 20, "HHQ8s"
    else:
        (offset,) = struct.unpack(endian + "I", _read(handle, 4))
        count_fmt, entry_size, value_fmt = "H", 12, "HHI4s"
    if not 8 <= offset < size:
        raise _Bad("its first image directory lies outside the file")
    handle.seek(offset)
    (count,) = struct.unpack(endian + count_fmt, _read(handle, struct.calcsize(count_fmt)))
    if count == 0 or offset + count * entry_size > size:
        raise _Bad("its first image directory is empty or cut short")
    found: dict[int, int] = {}
    for _ in range(count):
        tag, kind, _n, raw = struct.unpack(endian + value_fmt, _read(handle, entry_size))
        if tag in (256, 257):
            fmt = {3: "H", 4: "I", 16: "Q"}.get(kind)
            if fmt is None:
                raise _Bad("its image size has an unexpected type")
            (found[tag],) = struct.unpack_from(endian + fmt, raw)
    if 256 not in found or 257 not in found:
        raise _Bad("its first image directory does not give the image size")
    return ImageInfo(found[256], found[257])


_READERS = {ContentType.PNG: _png, ContentType.JPEG: _jpeg, ContentType.TIFF: _tiff}


def inspect_image(path: Path, content_type: ContentType, display_name: str) -> ImageInfo:
    """Check the structure of a PNG, JPEG or TIFF file; ``BrokenDocumentError`` says what is wrong."""
    reader = _READERS[content_type]
    size = path.stat().st_size
    try:
        with path.open("rb") as handle:
            info = reader(handle, size)
    except (_Bad, struct.error) as exc:
        raise BrokenDocumentError(
            f"{display_name}: is a damaged {content_type.label}: {exc}; scan or export the document again."
        ) from None
    if info.width == 0 or info.height == 0:
        raise BrokenDocumentError(
            f"{display_name}: is a {content_type.label} of {info.width}x{info.height} pixels, which holds no image."
        )
    return info
