"""Case bundles: a case file and its documents in one folder or zip, to move a case between workbenches.

Layout (``workbench-bundle/1``), every path relative to the folder holding the case file::

    case.json                 the workbench-case/1 case file (documents carried as metadata)
    bundle.json               manifest: for each document its position, SHA-256, size and path
    documents/01-euc.pdf      the document files, numbered by position, with safe names

The case file format itself has no field for a file path, so the manifest carries them;
a reader that only knows case files still gets every document's metadata and SHA-256.

Writing is atomic: a folder is built under a hidden temporary name and renamed into place,
a zip is written to a temporary file and renamed; a document that fails verification while
being copied out of the store aborts the whole export and leaves nothing behind.

Reading is defensive: member paths must stay inside the bundle (no absolute paths, no
``..``, no symbolic links out of the folder), sizes are capped while reading, and every
document is re-hashed against the manifest and the case file before it enters the store
(that part is done by the caller through ``DocumentStore.ingest(expected_sha256=...)``).
"""

from __future__ import annotations

import abc
import contextlib
import json
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path, PurePosixPath
from typing import IO, Any

from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore, max_document_bytes
from workbench.documents.safezip import ZipLimits, check_archive, open_member, read_bytes
from workbench.domain.case import MAX_CASE_DOCUMENTS, DocumentRecord
from workbench.domain.errors import InputFileError, WorkbenchError

BUNDLE_FORMAT = "workbench-bundle/1"
CASE_NAME = "case.json"
MANIFEST_NAME = "bundle.json"
DOCUMENTS_DIR = "documents"
MAX_CASE_BYTES = 20 * 1024 * 1024
MAX_MANIFEST_BYTES = 1024 * 1024
MAX_BUNDLE_BYTES = 2 * 1024 * 1024 * 1024
"""What a bundle zip may expand to in total (each document is also held to the document size cap)."""
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


class BundleError(InputFileError):
    """A bundle cannot be read: not a bundle, unsafe, incomplete or inconsistent."""


class BundleOutputError(WorkbenchError):
    """A bundle cannot be written where asked; nothing was written."""


@dataclass(frozen=True, slots=True)
class BundleEntry:
    position: int
    filename: str
    sha256: str
    size: int
    path: str
    """POSIX path relative to the bundle root (the folder holding ``case.json``)."""


def member_name(position: int, filename: str) -> str:
    return f"{DOCUMENTS_DIR}/{position:02d}-{safe_display_name(filename)}"


def _manifest(reference: str, entries: Sequence[BundleEntry]) -> bytes:
    data = {
        "format": BUNDLE_FORMAT,
        "case": CASE_NAME,
        "reference": reference,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "documents": [
            {"position": e.position, "filename": e.filename, "sha256": e.sha256, "size": e.size, "path": e.path}
            for e in entries
        ],
    }
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


@dataclass(frozen=True, slots=True)
class BundleSummary:
    path: Path
    documents: int
    """Document files written (records without a file carry metadata only)."""
    bytes: int


def write_bundle(
    out: Path, reference: str, case_json: bytes, documents: Sequence[DocumentRecord], store: DocumentStore
) -> BundleSummary:
    """Write a bundle to ``out``: a zip when it ends in ``.zip``, else a new (or empty) folder."""
    out = Path(out)
    if not out.parent.is_dir():
        raise BundleOutputError(f"The folder {out.parent} does not exist; create it or choose another location.")
    if out.suffix.lower() == ".zip":
        return _write_zip(out, reference, case_json, documents, store)
    return _write_folder(out, reference, case_json, documents, store)


def _entries(documents: Sequence[DocumentRecord]) -> list[tuple[BundleEntry, DocumentRecord]]:
    out = []
    for position, record in enumerate(documents, start=1):
        if record.sha256:
            entry = BundleEntry(position, record.filename, record.sha256, 0, member_name(position, record.filename))
            out.append((entry, record))
    return out


def _write_zip(
    out: Path, reference: str, case_json: bytes, documents: Sequence[DocumentRecord], store: DocumentStore
) -> BundleSummary:
    if out.is_dir():
        raise BundleOutputError(f"{out} is a folder; give a .zip file name, or a folder name without .zip.")
    fd, tmp_name = tempfile.mkstemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=out.parent)
    tmp = Path(tmp_name)
    written: list[BundleEntry] = []
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                archive.writestr(CASE_NAME, case_json)
                for entry, record in _entries(documents):
                    size = 0
                    label = f"document {entry.position} ({entry.filename})"
                    with archive.open(entry.path, "w", force_zip64=True) as member:
                        for block in store.iter_verified(record.sha256, label):
                            member.write(block)
                            size += len(block)
                    written.append(_sized(entry, size))
                archive.writestr(MANIFEST_NAME, _manifest(reference, written))
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, out)
    except OSError as exc:
        raise BundleOutputError(f"Could not write {out} ({exc.strerror or exc}); nothing was written.") from None
    finally:
        tmp.unlink(missing_ok=True)
    return BundleSummary(out, len(written), out.stat().st_size)


def _sized(entry: BundleEntry, size: int) -> BundleEntry:
    return BundleEntry(entry.position, entry.filename, entry.sha256, size, entry.path)


def _write_folder(
    out: Path, reference: str, case_json: bytes, documents: Sequence[DocumentRecord], store: DocumentStore
) -> BundleSummary:
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        raise BundleOutputError(f"{out} exists and is not an empty folder; choose a new folder name.")
    try:
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name[:40]}.", suffix=".tmp", dir=out.parent))
    except OSError as exc:
        raise BundleOutputError(
            f"Could not write in {out.parent} ({exc.strerror or exc}); nothing was written."
        ) from None
    try:
        (staging / DOCUMENTS_DIR).mkdir()
        (staging / CASE_NAME).write_bytes(case_json)
        written = []
        for entry, record in _entries(documents):
            size = store.copy_verified(
                record.sha256, staging / entry.path, f"document {entry.position} ({entry.filename})"
            )
            written.append(_sized(entry, size))
        (staging / MANIFEST_NAME).write_bytes(_manifest(reference, written))
        if out.exists():
            out.rmdir()  # an empty folder the officer created for the bundle
        os.rename(staging, out)
    except OSError as exc:
        raise BundleOutputError(f"Could not write {out} ({exc.strerror or exc}); nothing was written.") from None
    finally:
        if staging.exists():
            shutil.rmtree(staging, ignore_errors=True)
    total = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    return BundleSummary(out, len(written), total)


# --- reading -----------------------------------------------------------------------------------


def _safe_member(name: object, source: Path) -> str:
    if not isinstance(name, str) or not name or "\\" in name or "\x00" in name:
        raise BundleError(f"{source}: the manifest names an unsafe path {name!r}; the bundle is refused.")
    path = PurePosixPath(name)
    if path.is_absolute() or ".." in path.parts or ":" in path.parts[0] or name != path.as_posix():
        raise BundleError(f"{source}: the manifest names an unsafe path {name!r}; the bundle is refused.")
    return name


def _entry(raw: Any, index: int, source: Path) -> BundleEntry:
    where = f"{source}: {MANIFEST_NAME} $.documents[{index}]"
    if not isinstance(raw, dict):
        raise BundleError(f"{where}: must be an object.")
    position, sha, size = raw.get("position"), raw.get("sha256"), raw.get("size")
    if not isinstance(position, int) or isinstance(position, bool) or position < 1:
        raise BundleError(f"{where}.position: must be a document position (1, 2, ...).")
    if not isinstance(sha, str) or not _SHA256.match(sha):
        raise BundleError(f"{where}.sha256: must be a SHA-256 digest (64 lower-case hexadecimal characters).")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise BundleError(f"{where}.size: must be a size in bytes.")
    filename = raw.get("filename", "")
    if not isinstance(filename, str) or len(filename) > 255:
        raise BundleError(f"{where}.filename: must be a file name of at most 255 characters.")
    return BundleEntry(position, filename, sha, size, _safe_member(raw.get("path"), source))


class OpenedBundle(abc.ABC):
    """A bundle being read: the case file's bytes, the manifest entries, and the document streams."""

    def __init__(self, source: Path, case_bytes: bytes, entries: list[BundleEntry]) -> None:
        self.source = source
        self.case_bytes = case_bytes
        self.entries = entries

    @abc.abstractmethod
    def open_member(self, entry: BundleEntry) -> IO[bytes]:
        """A stream of the document file ``entry`` names; ``BundleError`` if it is missing or unsafe."""


class _FolderBundle(OpenedBundle):
    def __init__(self, root: Path, case_bytes: bytes, entries: list[BundleEntry]) -> None:
        super().__init__(root, case_bytes, entries)
        self._root = root.resolve()

    def open_member(self, entry: BundleEntry) -> IO[bytes]:
        path = (self._root / entry.path).resolve()
        if not path.is_relative_to(self._root):
            raise BundleError(f"{self.source}: {entry.path} points outside the bundle folder; the bundle is refused.")
        if not path.is_file():
            raise BundleError(
                f"{self.source}: {entry.path} (document {entry.position}) is missing from the bundle; "
                "copy the whole bundle folder."
            )
        return path.open("rb")


class _ZipBundle(OpenedBundle):
    def __init__(self, source: Path, archive: zipfile.ZipFile, case_bytes: bytes, entries: list[BundleEntry]) -> None:
        super().__init__(source, case_bytes, entries)
        self._archive = archive

    def open_member(self, entry: BundleEntry) -> IO[bytes]:
        return open_member(
            self._archive, entry.path, f"{self.source}: {entry.path} (document {entry.position})", BundleError
        )


def _read_limited(handle: IO[bytes], limit: int, what: str, source: Path) -> bytes:
    data = handle.read(limit + 1)
    if len(data) > limit:
        raise BundleError(f"{source}: {what} is larger than {limit:,} bytes; it is not a workbench bundle.")
    return data


def _parse_manifest(data: bytes, source: Path) -> list[BundleEntry]:
    try:
        raw = json.loads(data)
    except (ValueError, RecursionError):  # bad encoding or syntax, numbers too long to convert, deep nesting
        raise BundleError(f"{source}: {MANIFEST_NAME} is not valid JSON; the bundle is damaged.") from None
    if not isinstance(raw, dict) or raw.get("format") != BUNDLE_FORMAT:
        found = raw.get("format") if isinstance(raw, dict) else None
        raise BundleError(
            f"{source}: {MANIFEST_NAME} has format {found!r}; this workbench reads '{BUNDLE_FORMAT}' bundles."
        )
    documents = raw.get("documents", [])
    if not isinstance(documents, list):
        raise BundleError(f"{source}: {MANIFEST_NAME} $.documents must be a list.")
    if len(documents) > MAX_CASE_DOCUMENTS:
        raise BundleError(
            f"{source}: {MANIFEST_NAME} lists {len(documents):,} documents; a case holds at most "
            f"{MAX_CASE_DOCUMENTS:,}."
        )
    entries = [_entry(item, i, source) for i, item in enumerate(documents)]
    positions = [e.position for e in entries]
    if len(set(positions)) != len(positions):
        raise BundleError(f"{source}: {MANIFEST_NAME} lists a document position twice; the bundle is damaged.")
    paths = [e.path for e in entries]
    if len(set(paths)) != len(paths):
        raise BundleError(f"{source}: {MANIFEST_NAME} names one file for two documents; the bundle is damaged.")
    return entries


def bundle_limits() -> ZipLimits:
    """Bounds on a bundle zip: its entries, each member and the whole expanded size."""
    return ZipLimits(
        max_entries=MAX_CASE_DOCUMENTS + 16,
        max_total_bytes=MAX_BUNDLE_BYTES,
        max_member_bytes=max(max_document_bytes(), MAX_CASE_BYTES),
    )


@contextlib.contextmanager
def open_bundle(source: Path) -> Iterator[OpenedBundle]:
    """Open a bundle folder or zip for reading; ``BundleError`` if it is not a readable bundle."""
    source = Path(source)
    if source.is_dir():
        root = source
        for name in (CASE_NAME, MANIFEST_NAME):
            if not (root / name).is_file():
                raise BundleError(
                    f"{source}: has no {name}; choose a folder written by a bundle export.",
                    cli_hint="bundles are written by 'doc export-bundle'",
                )
        with (root / MANIFEST_NAME).open("rb") as handle:
            entries = _parse_manifest(_read_limited(handle, MAX_MANIFEST_BYTES, MANIFEST_NAME, source), source)
        with (root / CASE_NAME).open("rb") as handle:
            case_bytes = _read_limited(handle, MAX_CASE_BYTES, CASE_NAME, source)
        yield _FolderBundle(root, case_bytes, entries)
        return
    if not source.exists():
        raise BundleError(f"{source}: no such file or folder; check the path.")
    try:
        archive = zipfile.ZipFile(source)
    except (OSError, EOFError, ValueError, NotImplementedError, zipfile.BadZipFile):
        raise BundleError(
            f"{source}: is not a bundle folder or zip; choose what a bundle export wrote.",
            cli_hint="bundles are written by 'doc export-bundle'",
        ) from None
    with archive:
        names = check_archive(archive, source, bundle_limits(), BundleError)
        for name in (CASE_NAME, MANIFEST_NAME):
            if name not in names:
                raise BundleError(
                    f"{source}: has no {name}; it is not a bundle written by a bundle export.",
                    cli_hint="bundles are written by 'doc export-bundle'",
                )
        manifest = read_bytes(archive, MANIFEST_NAME, MAX_MANIFEST_BYTES, f"{source}: {MANIFEST_NAME}", BundleError)
        entries = _parse_manifest(manifest, source)
        case_bytes = read_bytes(archive, CASE_NAME, MAX_CASE_BYTES, f"{source}: {CASE_NAME}", BundleError)
        yield _ZipBundle(source, archive, case_bytes, entries)
