"""The content-addressed document store under ``data_dir()/documents``.

Why content-addressed: a document is identified by the SHA-256 of its bytes, which the
case records. The stored file's path is derived from that hash
(``documents/ab/cdef…``, the first two hex digits as a folder), so

* the same file attached twice, to one case or many, is stored once;
* a file never has to be renamed or moved, and the officer's own copy (on a USB stick, in
  a mail folder) is never referenced in place: it is copied in;
* verifying a document is re-hashing its file and comparing with the record;
* a file copied into the store whose database write then fails is harmless: it is just
  an unreferenced blob, found again (not duplicated) if the same file is attached later.

Writes are atomic: the bytes go to a hidden temporary file in the store (``.incoming-*``,
skipped by backups), are hashed and checked on the way, fsynced, then renamed into place.
A reader never sees half a file. Stored files are made read-only to discourage editing;
nothing in the workbench deletes them (15 CFR 762 retention: a document removed from a
case stays in the store and in the audit trail).

The size cap (default 50 MB) is configurable with ``WORKBENCH_DOCUMENT_MAX_MB`` or per store.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import IO, TypeVar

from workbench.config import data_dir
from workbench.documents.errors import (
    DocumentIntegrityError,
    DocumentStoreError,
    DocumentTooLargeError,
)
from workbench.domain.errors import InputFileError, ValidationError

ENV_MAX_MB = "WORKBENCH_DOCUMENT_MAX_MB"
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
_CHUNK = 1 << 20
_SHA256 = re.compile(r"^[0-9a-f]{64}$")

T = TypeVar("T")


def max_document_bytes() -> int:
    """The size cap: ``WORKBENCH_DOCUMENT_MAX_MB`` (megabytes, may be fractional) or 50 MB."""
    raw = os.environ.get(ENV_MAX_MB, "").strip()
    if not raw:
        return DEFAULT_MAX_BYTES
    try:
        megabytes = float(raw)
    except ValueError:
        megabytes = -1.0
    if not 0 < megabytes <= 100_000:
        raise ValidationError(ENV_MAX_MB, f"'{raw}' is not a size in megabytes; set it to e.g. 50")
    return int(megabytes * 1024 * 1024)


def format_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB" if size >= 1024 else f"{size} bytes"
    return f"{size / (1024 * 1024):.1f} MB"


class IntegrityStatus(StrEnum):
    OK = "ok"
    MISSING = "missing"
    """The record names a file that is not in the store."""
    TAMPERED = "tampered"
    """The stored file's bytes no longer hash to the recorded SHA-256."""
    UNREADABLE = "unreadable"
    """The stored file exists but cannot be read (permissions, I/O error)."""
    NO_FILE = "no_file"
    """The record carries no SHA-256 (metadata only, e.g. typed in from a paper original)."""

    @property
    def valid(self) -> bool:
        return self is IntegrityStatus.OK

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    IntegrityStatus.OK: "verified: the stored file matches its SHA-256",
    IntegrityStatus.MISSING: "MISSING: the file is not in the document store",
    IntegrityStatus.TAMPERED: "TAMPERED: the stored file no longer matches its recorded SHA-256",
    IntegrityStatus.UNREADABLE: "UNREADABLE: the stored file cannot be read",
    IntegrityStatus.NO_FILE: "no file attached (record only)",
}


@dataclass(frozen=True, slots=True)
class StoredFile:
    sha256: str
    size: int
    path: Path
    already_stored: bool
    """The store held these bytes already (deduplicated)."""


def _check_sha(sha256: str) -> str:
    sha = sha256.strip().lower()
    if not _SHA256.match(sha):
        raise ValidationError("sha256", f"'{sha256}' is not a SHA-256 digest (64 hexadecimal characters)")
    return sha


def _fsync_dir(directory: Path) -> None:
    """Make a rename durable (POSIX); not possible, and not needed, on Windows."""
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(_CHUNK), b""):
            digest.update(block)
    return digest.hexdigest()


class DocumentStore:
    """Files named by their SHA-256 under ``root`` (default ``data_dir()/documents``)."""

    def __init__(self, root: Path | None = None, *, max_bytes: int | None = None) -> None:
        self.root = Path(root) if root is not None else data_dir() / "documents"
        self.max_bytes = max_bytes if max_bytes is not None else max_document_bytes()

    def path_for(self, sha256: str) -> Path:
        sha = _check_sha(sha256)
        return self.root / sha[:2] / sha[2:]

    def contains(self, sha256: str) -> bool:
        return self.path_for(sha256).is_file()

    # --- writing -----------------------------------------------------------------------------

    def _too_large(self, display_name: str, size: int | None) -> DocumentTooLargeError:
        what = f"is {format_size(size)}" if size is not None else "is larger than the limit"
        return DocumentTooLargeError(
            f"{display_name}: {what}; supporting documents are limited to {format_size(self.max_bytes)} "
            f"(set {ENV_MAX_MB} to change the limit), so attach a smaller scan or split the file."
        )

    def add_file(self, source: Path, display_name: str, inspect: Callable[[Path], T]) -> tuple[StoredFile, T]:
        """Copy ``source`` into the store (see ``ingest``), refusing folders, devices and oversized files."""
        try:
            info = os.stat(source)
        except FileNotFoundError:
            raise InputFileError(f"{source}: no such file; check the path.") from None
        except PermissionError:
            raise InputFileError(f"{source}: cannot be read (permission denied).") from None
        except OSError as exc:
            raise InputFileError(f"{source}: cannot be read ({exc.strerror or exc}).") from None
        if stat.S_ISDIR(info.st_mode):
            raise InputFileError(f"{source}: is a folder; choose the document file inside it.")
        if not stat.S_ISREG(info.st_mode):
            raise InputFileError(f"{source}: is not a regular file (a device, pipe or socket); choose a document.")
        if info.st_size > self.max_bytes:
            raise self._too_large(display_name, info.st_size)
        try:
            handle = source.open("rb")
        except OSError as exc:
            raise InputFileError(f"{source}: cannot be read ({exc.strerror or exc}).") from None
        with handle:
            return self.ingest(handle, display_name, inspect)

    def ingest(
        self,
        stream: IO[bytes],
        display_name: str,
        inspect: Callable[[Path], T],
        *,
        expected_sha256: str | None = None,
    ) -> tuple[StoredFile, T]:
        """Copy ``stream`` into the store atomically and return where it went.

        The bytes are hashed and counted while copied (the size cap holds even for a stream
        that lies about its size, such as a zip bomb). ``inspect`` is called on the complete
        temporary copy, before it becomes visible; whatever it raises refuses the file and
        leaves nothing behind. With ``expected_sha256`` a copy that hashes differently is
        refused (``DocumentIntegrityError``). Bytes already in the store are not rewritten,
        unless the stored copy was damaged: then the good copy replaces it.
        """
        expected = _check_sha(expected_sha256) if expected_sha256 is not None else None
        try:
            self.root.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=self.root)
        except OSError as exc:
            raise DocumentStoreError(
                f"Cannot write to the document store {self.root} ({exc.strerror or exc}); nothing was stored."
            ) from None
        tmp = Path(tmp_name)
        try:
            digest, size = self._copy(stream, fd, display_name)
            if expected is not None and digest != expected:
                raise DocumentIntegrityError(
                    f"{display_name}: its content does not match the SHA-256 recorded for it "
                    f"(expected {expected[:12]}…, found {digest[:12]}…); the file was altered or replaced."
                )
            result = inspect(tmp)
            stored = self._place(tmp, digest, size)
            return stored, result
        except OSError as exc:
            raise DocumentStoreError(
                f"Could not store {display_name} in {self.root} ({exc.strerror or exc}); nothing was stored."
            ) from None
        finally:
            tmp.unlink(missing_ok=True)

    def _copy(self, stream: IO[bytes], fd: int, display_name: str) -> tuple[str, int]:
        digest = hashlib.sha256()
        size = 0
        with os.fdopen(fd, "wb") as out:
            while True:
                try:
                    block = stream.read(_CHUNK)
                except OSError as exc:
                    raise InputFileError(f"{display_name}: could not be read ({exc.strerror or exc}).") from None
                if not block:
                    break
                size += len(block)
                if size > self.max_bytes:
                    raise self._too_large(display_name, None)
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
        return digest.hexdigest(), size

    def _place(self, tmp: Path, digest: str, size: int) -> StoredFile:
        final = self.path_for(digest)
        if final.is_file() and self.verify(digest) is IntegrityStatus.OK:
            return StoredFile(digest, size, final, already_stored=True)
        final.parent.mkdir(parents=True, exist_ok=True)
        os.chmod(tmp, 0o444)
        if final.exists():
            # A damaged copy is being repaired; Windows refuses to replace a read-only file.
            with contextlib.suppress(OSError):
                os.chmod(final, 0o644)
        os.replace(tmp, final)
        _fsync_dir(final.parent)
        return StoredFile(digest, size, final, already_stored=False)

    # --- reading and verifying ---------------------------------------------------------------

    def verify(self, sha256: str) -> IntegrityStatus:
        """Re-hash the stored file: ok, missing, tampered or unreadable."""
        if not sha256:
            return IntegrityStatus.NO_FILE
        path = self.path_for(sha256)
        if not path.is_file():
            return IntegrityStatus.MISSING
        try:
            actual = hash_file(path)
        except OSError:
            return IntegrityStatus.UNREADABLE
        return IntegrityStatus.OK if actual == _check_sha(sha256) else IntegrityStatus.TAMPERED

    def _refuse(self, status: IntegrityStatus, display_name: str) -> DocumentIntegrityError:
        return DocumentIntegrityError(
            f"{display_name}: {status.label}; it is not shown as valid. Attach the original again to repair "
            "the store, or restore the document store from a backup."
        )

    def read_verified(self, sha256: str, display_name: str) -> bytes:
        """The stored bytes, hashed as read: only bytes that match the record are ever returned."""
        if not sha256:
            raise self._refuse(IntegrityStatus.NO_FILE, display_name)
        path = self.path_for(sha256)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise self._refuse(IntegrityStatus.MISSING, display_name) from None
        except OSError:
            raise self._refuse(IntegrityStatus.UNREADABLE, display_name) from None
        if hashlib.sha256(data).hexdigest() != _check_sha(sha256):
            raise self._refuse(IntegrityStatus.TAMPERED, display_name)
        return data

    def iter_verified(self, sha256: str, display_name: str) -> Iterator[bytes]:
        """The stored bytes in blocks; raises ``DocumentIntegrityError`` after the last block on a mismatch.

        Consumers write the blocks to a temporary file and publish it only when the iteration
        ends normally, so a tampered document never reaches an export half-checked.
        """
        if not sha256:
            raise self._refuse(IntegrityStatus.NO_FILE, display_name)
        try:
            handle = self.path_for(sha256).open("rb")
        except FileNotFoundError:
            raise self._refuse(IntegrityStatus.MISSING, display_name) from None
        except OSError:
            raise self._refuse(IntegrityStatus.UNREADABLE, display_name) from None
        digest = hashlib.sha256()
        with handle:
            for block in iter(lambda: handle.read(_CHUNK), b""):
                digest.update(block)
                yield block
        if digest.hexdigest() != _check_sha(sha256):
            raise self._refuse(IntegrityStatus.TAMPERED, display_name)

    def copy_verified(self, sha256: str, target: Path, display_name: str) -> int:
        """Copy the stored file to ``target`` atomically, verifying on the way; return its size.

        The copy is what a viewer opens, so an external program can never alter the store,
        and a mismatch found while copying leaves no file at ``target``.
        """
        blocks = self.iter_verified(sha256, display_name)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name[:40]}.", suffix=".tmp", dir=target.parent)
        tmp = Path(tmp_name)
        try:
            size = 0
            with os.fdopen(fd, "wb") as out:
                for block in blocks:
                    size += len(block)
                    out.write(block)
                out.flush()
                os.fsync(out.fileno())
            os.replace(tmp, target)
            return size
        finally:
            tmp.unlink(missing_ok=True)
