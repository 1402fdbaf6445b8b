"""Harmless display names for files the officer attaches.

The name a file arrives with is shown in tables, written into case files and used as the
file's name inside exported bundles. It may contain folders (``../../etc/passwd``), control
characters (a right-to-left override that makes ``fdp.exe`` read as ``exe.pdf``), names
Windows refuses (``CON``, ``a:b``) or hundreds of characters. ``safe_display_name`` turns any
of these into a plain, printable, portable file name that keeps the readable part and the
extension. The stored file itself is named by its SHA-256, so the display name is never
used to find content.
"""

from __future__ import annotations

import re
import unicodedata

MAX_NAME_CHARS = 120
"""Short enough for a table column and, with a bundle's ``NN-`` prefix, any file system."""

FALLBACK_NAME = "document"

_WINDOWS_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"com{i}" for i in range(1, 10)} | {f"lpt{i}" for i in range(1, 10)}
)
_UNPORTABLE = re.compile(r'[<>:"|?*]')
_SPACES = re.compile(r"\s+")
_EXTENSION = re.compile(r"(\.[A-Za-z0-9]{1,8})$")


def _printable(ch: str) -> str:
    category = unicodedata.category(ch)
    # Cc: control characters; Cf: invisible format characters such as bidi overrides;
    # Cs/Co/Cn: surrogates, private use, unassigned code points.
    if category in {"Cc", "Cf", "Cs", "Co", "Cn"}:
        return " " if ch in "\t\n\r\x0b\x0c" else "_"
    return ch


def safe_display_name(name: str, *, max_chars: int = MAX_NAME_CHARS) -> str:
    """A plain, printable, portable file name for ``name`` (never empty, never a path).

    Keeps only the last path component, replaces control and invisible characters and the
    characters Windows forbids, strips leading dots and spaces (no hidden files, no ``..``),
    avoids device names and shortens long names in the middle, keeping the extension.
    """
    text = unicodedata.normalize("NFC", name or "")
    text = re.split(r"[/\\]", text)[-1]
    text = "".join(_printable(ch) for ch in text)
    text = _UNPORTABLE.sub("_", text)
    text = _SPACES.sub(" ", text).strip()
    text = text.lstrip(". ").rstrip(". ")
    if not text or set(text) <= {"_", " ", "."}:
        return FALLBACK_NAME
    stem = text.split(".", 1)[0].strip().lower()
    if stem in _WINDOWS_RESERVED:
        text = f"_{text}"
    if len(text) > max_chars:
        match = _EXTENSION.search(text)
        extension = match.group(1) if match else ""
        keep = max_chars - len(extension) - 1
        text = text[:keep].rstrip(". ") + "~" + extension
    return text
