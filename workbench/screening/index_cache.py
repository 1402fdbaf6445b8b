"""An on-disk cache of built screeners: a new process screens in about a second, not seven.

Building the index of the full CSL (normalising, weighing and indexing some 58,000 names)
takes several seconds, and every CLI call is a new process. The built screener is pickled
once per list file (its SHA-256) and per matching code and data (a fingerprint of this
package's sources, the name and variant data, the versions of the romanisation libraries and
the Python version), so a change to either simply
misses the cache. The files live in the user's own data directory; a damaged file is
deleted and the index rebuilt.
"""

from __future__ import annotations

import gc
import hashlib
import importlib.metadata
import logging
import os
import pickle
import sys
import tempfile
from functools import cache
from pathlib import Path

from workbench import resources
from workbench.screening.matcher import Screener

logger = logging.getLogger(__name__)

PREFIX = "screener-"
KEEP = 3
"""Cached screeners kept per directory (the newest; older list versions are rarely screened)."""
_DATA_FILES = ("screening/name_data.json", "screening/token_stats.json", "screening/name_variants.json")
_LIBRARIES = ("anyascii", "rapidfuzz", "pypinyin", "cutlet", "unidic-lite", "hangul-romanize", "confusable-homoglyphs")
"""Libraries whose data shapes the prepared names (romanisation, look-alike letters)."""


@cache
def code_fingerprint() -> str:
    """What the built index depends on besides the list: the matching code and its data."""
    digest = hashlib.sha256(f"{sys.version_info[:2]}".encode())
    package = Path(__file__).resolve().parent
    for source in sorted(package.rglob("*.py")):  # the parsers too: they made the stored entries
        digest.update(source.relative_to(package).as_posix().encode())
        digest.update(source.read_bytes())
    for name in _DATA_FILES:
        digest.update(resources.read_bytes(name))
    for library in _LIBRARIES:
        digest.update(f"{library}=={_version(library)}".encode())
    return digest.hexdigest()


def _version(library: str) -> str:
    try:
        return importlib.metadata.version(library)
    except importlib.metadata.PackageNotFoundError:
        return "absent"


def cache_path(directory: Path, list_sha256: str) -> Path:
    return directory / f"{PREFIX}{list_sha256[:32]}-{code_fingerprint()[:16]}.pickle"


def load_screener(directory: Path, list_sha256: str) -> Screener | None:
    """The cached screener for this list file, or None (missing, stale or damaged)."""
    path = cache_path(directory, list_sha256)
    if not path.is_file():
        return None
    enabled = gc.isenabled()
    gc.disable()  # unpickling many small objects is twice as fast without collections
    try:
        with path.open("rb") as handle:
            loaded = pickle.load(handle)  # our own file, in the user's private data directory
        if not isinstance(loaded, Screener):
            raise TypeError(f"expected a Screener, found {type(loaded).__name__}")
    except Exception as exc:  # any damage means: rebuild
        logger.warning("discarding the damaged screening index cache %s: %s", path, exc)
        path.unlink(missing_ok=True)
        return None
    finally:
        if enabled:
            gc.enable()
    return loaded


def save_screener(directory: Path, list_sha256: str, screener: Screener) -> Path | None:
    """Write the screener atomically; a failure (disk full, read-only) only costs the next start time."""
    path = cache_path(directory, list_sha256)
    temp: str | None = None
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=".tmp-", dir=directory)
        with os.fdopen(fd, "wb") as handle:
            pickle.dump(screener, handle, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temp, path)
        temp = None
    except OSError as exc:
        logger.warning("could not cache the screening index in %s: %s", directory, exc)
        return None
    finally:
        if temp is not None:
            Path(temp).unlink(missing_ok=True)
    _prune(directory)
    return path


def _prune(directory: Path) -> None:
    cached = sorted(directory.glob(f"{PREFIX}*.pickle"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in cached[KEEP:]:
        old.unlink(missing_ok=True)
