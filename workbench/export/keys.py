"""Officer signing keys: Ed25519 key pairs, the private key sealed with a passphrase.

Files made by ``generate_keypair(name, out_dir, passphrase)``:

* ``<name>.key`` — the private key as a standard encrypted PKCS#8 PEM
  (``-----BEGIN ENCRYPTED PRIVATE KEY-----``: PBES2, PBKDF2-HMAC-SHA256 with 600,000
  iterations, AES-256-CBC), readable by OpenSSL. It is built here rather than with
  ``BestAvailableEncryption`` because that uses only 2,048 PBKDF2 iterations, which makes
  guessing the passphrase of a stolen key file cheap. Mode 0600.
* ``<name>.pub.pem`` — the public key (SubjectPublicKeyInfo PEM) after three ``#`` comment
  lines naming the officer and the fingerprint; small enough to publish or e-mail.

``fingerprint(public_key)`` is the SHA-256 of the 32 raw public-key bytes in hex, in groups of
four joined by ``:``. Every failure raises a ``KeyFileError`` with one sentence saying what to do.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import hashes, padding, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from cryptography.hazmat.primitives.kdf.pbkdf2 import PBKDF2HMAC

from workbench.domain.errors import WorkbenchError
from workbench.export.atomic import write_bytes_atomic

PBKDF2_ITERATIONS: Final = 600_000
MIN_PASSPHRASE: Final = 8
MAX_KEY_FILE_BYTES: Final = 64 * 1024

# DER building blocks of PKCS#8 EncryptedPrivateKeyInfo with PBES2 (RFC 8018).
_OID_PBES2: Final = bytes.fromhex("2a864886f70d01050d")
_OID_PBKDF2: Final = bytes.fromhex("2a864886f70d01050c")
_OID_HMAC_SHA256: Final = bytes.fromhex("2a864886f70d0209")
_OID_AES256_CBC: Final = bytes.fromhex("60864801650304012a")


class KeyFileError(WorkbenchError):
    """A key file is missing, damaged, of the wrong kind, or could not be written."""


class WrongPassphraseError(KeyFileError):
    """The passphrase does not open the private key."""


@dataclass(frozen=True, slots=True)
class KeyPairFiles:
    name: str
    private_key: Path
    public_key: Path
    fingerprint: str


# --- fingerprints and public keys -----------------------------------------------------------------


def raw_public_key(public_key: Ed25519PublicKey) -> bytes:
    return public_key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def public_key_from_raw(raw: bytes) -> Ed25519PublicKey:
    if len(raw) != 32:
        raise KeyFileError(f"An Ed25519 public key has 32 bytes, not {len(raw)}.")
    return Ed25519PublicKey.from_public_bytes(raw)


def fingerprint(public_key: Ed25519PublicKey) -> str:
    digest = hashlib.sha256(raw_public_key(public_key)).hexdigest()
    return ":".join(digest[i : i + 4] for i in range(0, len(digest), 4))


def public_key_pem(public_key: Ed25519PublicKey, name: str | None = None) -> bytes:
    """The public key as PEM, preceded by comment lines naming the officer and the fingerprint."""
    pem = public_key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    header = "# Workbench officer public key (Ed25519)\n"
    if name:
        header += f"# Name: {name}\n"
    header += f"# Fingerprint: {fingerprint(public_key)}\n"
    return header.encode("utf-8") + pem


def public_key_from_pem(data: bytes, source: str = "the public key") -> Ed25519PublicKey:
    start = data.find(b"-----BEGIN")
    try:
        key = serialization.load_pem_public_key(data[start:] if start >= 0 else data)
    except (ValueError, UnsupportedAlgorithm):
        raise KeyFileError(f"{source} is not a PEM public key; give the .pub.pem file of the officer.") from None
    if not isinstance(key, Ed25519PublicKey):
        raise KeyFileError(f"{source} is not an Ed25519 key; workbench signatures use Ed25519 keys.")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    return public_key_from_pem(_read_key_file(path, "public key"), f"The public key file {path}")


# --- private keys ----------------------------------------------------------------------------------


def _der(tag: int, content: bytes) -> bytes:
    size = len(content)
    if size < 0x80:
        return bytes([tag, size]) + content
    length = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes([tag, 0x80 | len(length)]) + length + content


def _seq(*parts: bytes) -> bytes:
    return _der(0x30, b"".join(parts))


def encrypt_private_key(
    private_key: Ed25519PrivateKey, passphrase: bytes, iterations: int = PBKDF2_ITERATIONS
) -> bytes:
    """Standard encrypted PKCS#8 PEM with a strong PBKDF2 work factor."""
    plain = private_key.private_bytes(
        serialization.Encoding.DER, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    salt, iv = os.urandom(16), os.urandom(16)
    kdf = PBKDF2HMAC(algorithm=hashes.SHA256(), length=32, salt=salt, iterations=iterations)
    padder = padding.PKCS7(128).padder()
    encryptor = Cipher(algorithms.AES(kdf.derive(passphrase)), modes.CBC(iv)).encryptor()
    sealed = encryptor.update(padder.update(plain) + padder.finalize()) + encryptor.finalize()
    iteration_bytes = iterations.to_bytes(iterations.bit_length() // 8 + 1, "big")
    algorithm = _seq(
        _der(0x06, _OID_PBES2),
        _seq(
            _seq(
                _der(0x06, _OID_PBKDF2),
                _seq(_der(0x04, salt), _der(0x02, iteration_bytes), _seq(_der(0x06, _OID_HMAC_SHA256), b"\x05\x00")),
            ),
            _seq(_der(0x06, _OID_AES256_CBC), _der(0x04, iv)),
        ),
    )
    der = _seq(algorithm, _der(0x04, sealed))
    body = _pem_lines(der)
    return b"-----BEGIN ENCRYPTED PRIVATE KEY-----\n" + body + b"-----END ENCRYPTED PRIVATE KEY-----\n"


def _pem_lines(der: bytes) -> bytes:
    text = base64.b64encode(der)
    return b"".join(text[i : i + 64] + b"\n" for i in range(0, len(text), 64))


def load_private_key(path: Path, passphrase: bytes | None) -> Ed25519PrivateKey:
    """Open an officer's private key; only passphrase-protected Ed25519 keys are accepted."""
    data = _read_key_file(path, "private key")
    if b"-----BEGIN ENCRYPTED PRIVATE KEY-----" not in data:
        if b"PRIVATE KEY-----" in data:
            raise KeyFileError(
                f"The key {path} is not protected by a passphrase; make a passphrase-protected officer key.",
                cli_hint="officer keys are made with 'workbench-cli keys generate'",
            )
        raise KeyFileError(
            f"{path} is not a private key file; give the officer's .key file.",
            cli_hint="officer keys are made with 'workbench-cli keys generate'",
        )
    if not passphrase:
        raise WrongPassphraseError(f"The key {path} is protected by a passphrase; give it.")
    try:
        key = serialization.load_pem_private_key(data, passphrase)
    except (ValueError, TypeError):
        raise WrongPassphraseError(f"The passphrase for key {path} is wrong; try again.") from None
    except UnsupportedAlgorithm:
        raise KeyFileError(f"The key {path} is encrypted in a way this workbench cannot read.") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise KeyFileError(
            f"The key {path} is a {type(key).__name__.removesuffix('PrivateKey') or 'non-Ed25519'} key; "
            "workbench signatures need an Ed25519 key; make an officer key pair.",
            cli_hint="officer keys are made with 'workbench-cli keys generate'",
        )
    return key


def _read_key_file(path: Path, kind: str) -> bytes:
    try:
        if path.stat().st_size > MAX_KEY_FILE_BYTES:
            raise KeyFileError(f"{path} is too large to be a {kind} file; check the path.")
        return path.read_bytes()
    except FileNotFoundError:
        raise KeyFileError(f"The {kind} file {path} does not exist; check the path.") from None
    except IsADirectoryError:
        raise KeyFileError(f"{path} is a folder, not a {kind} file.") from None
    except PermissionError:
        raise KeyFileError(f"The {kind} file {path} cannot be read (permission denied).") from None


MAX_PASSPHRASE_FILE_BYTES = 64 * 1024


def read_passphrase_file(path: Path) -> bytes:
    """The first line of ``path`` as the passphrase (a trailing newline is not part of it)."""
    try:
        with path.open("rb") as handle:
            data = handle.read(MAX_PASSPHRASE_FILE_BYTES + 1)
    except OSError as exc:
        raise KeyFileError(f"The passphrase file {path} cannot be read ({exc.strerror or exc}).") from None
    if len(data) > MAX_PASSPHRASE_FILE_BYTES:
        raise KeyFileError(
            f"The passphrase file {path} is larger than {MAX_PASSPHRASE_FILE_BYTES:,} bytes; check the path."
        )
    passphrase = data.split(b"\n", 1)[0].rstrip(b"\r")
    if not passphrase:
        raise KeyFileError(f"The passphrase file {path} is empty; write the passphrase on its first line.")
    return passphrase


# --- key pair generation ---------------------------------------------------------------------------


def _officer_name(name: str) -> str:
    text = name.strip()
    if not text or len(text) > 200 or any(unicodedata.category(ch).startswith("C") for ch in text):
        raise KeyFileError(
            "Give the officer's name on one line, 1 to 200 characters, e.g. Jane Officer.",
            cli_hint="e.g. --name 'Jane Officer'",
        )
    return text


def _file_stem(name: str) -> str:
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-")[:60] or "officer"


def generate_keypair(
    name: str, out_dir: Path, passphrase: bytes, *, iterations: int = PBKDF2_ITERATIONS
) -> KeyPairFiles:
    """Make an officer key pair in ``out_dir``; existing files are never overwritten."""
    officer = _officer_name(name)
    if len(passphrase) < MIN_PASSPHRASE:
        raise KeyFileError(f"The passphrase is too short; use at least {MIN_PASSPHRASE} characters.")
    if not out_dir.is_dir():
        raise KeyFileError(f"The folder {out_dir} does not exist; create it or choose another folder.")
    stem = _file_stem(officer)
    private_path, public_path = out_dir / f"{stem}.key", out_dir / f"{stem}.pub.pem"
    for path in (private_path, public_path):
        if path.exists():
            raise KeyFileError(f"{path} exists already; choose another folder or move the old key away.")
    key = Ed25519PrivateKey.generate()
    write_bytes_atomic(private_path, encrypt_private_key(key, passphrase, iterations))
    try:
        write_bytes_atomic(public_path, public_key_pem(key.public_key(), officer))
        public_path.chmod(0o644)
    except BaseException:
        private_path.unlink(missing_ok=True)
        raise
    return KeyPairFiles(officer, private_path, public_path, fingerprint(key.public_key()))
