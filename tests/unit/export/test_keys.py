"""Officer keys: generation, passphrase protection and one-sentence errors."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.unit.export.sample import officer_key
from workbench.domain.errors import WorkbenchError
from workbench.export.keys import (
    KeyFileError,
    WrongPassphraseError,
    encrypt_private_key,
    fingerprint,
    generate_keypair,
    load_private_key,
    load_public_key,
    read_passphrase_file,
)

PASS = b"correct horse battery"


def test_generate_and_load_a_key_pair(tmp_path: Path) -> None:
    files = generate_keypair("Jane Ø'Officer", tmp_path, PASS, iterations=1000)
    assert files.private_key.name == "jane-officer.key"
    assert files.public_key.name == "jane-officer.pub.pem"
    assert stat.S_IMODE(files.private_key.stat().st_mode) == 0o600
    assert re.fullmatch(r"([0-9a-f]{4}:){15}[0-9a-f]{4}", files.fingerprint)
    text = files.public_key.read_text()
    assert "# Name: Jane Ø'Officer" in text and files.fingerprint in text and len(text) < 400
    assert b"ENCRYPTED PRIVATE KEY" in files.private_key.read_bytes()
    private = load_private_key(files.private_key, PASS)
    assert fingerprint(private.public_key()) == fingerprint(load_public_key(files.public_key)) == files.fingerprint


def test_default_key_uses_a_strong_work_factor_and_openssl_reads_it(tmp_path: Path) -> None:
    pem = encrypt_private_key(officer_key(), PASS)
    path = tmp_path / "k.key"
    path.write_bytes(pem)
    assert fingerprint(load_private_key(path, PASS).public_key()) == fingerprint(officer_key().public_key())
    openssl = shutil.which("openssl")
    if openssl:
        out = subprocess.run(
            [openssl, "asn1parse", "-in", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "INTEGER           :0927C0" in out  # 600,000 PBKDF2 iterations


def test_wrong_passphrase_is_one_clear_sentence(tmp_path: Path) -> None:
    files = generate_keypair("Jane Officer", tmp_path, PASS, iterations=1000)
    with pytest.raises(WrongPassphraseError) as caught:
        load_private_key(files.private_key, b"wrong passphrase")
    assert str(caught.value) == f"The passphrase for key {files.private_key} is wrong; try again."
    with pytest.raises(WrongPassphraseError, match="is protected by a passphrase; give it"):
        load_private_key(files.private_key, None)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"hello", "is not a private key file"),
        (
            officer_key().private_bytes(
                serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            ),
            "is not protected by a passphrase",
        ),
        (
            rsa.generate_private_key(public_exponent=65537, key_size=1024).private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.BestAvailableEncryption(PASS),
            ),
            "is a RSA key; workbench signatures need an Ed25519 key",
        ),
    ],
    ids=["garbage", "unencrypted", "rsa"],
)
def test_unusable_key_files_are_refused(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.key"
    path.write_bytes(content)
    with pytest.raises(KeyFileError, match=message):
        load_private_key(path, PASS)


def test_missing_key_and_bad_public_key(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match=r"private key file .*nope.key does not exist; check the path\."):
        load_private_key(tmp_path / "nope.key", PASS)
    (tmp_path / "x.pem").write_text("not a key")
    with pytest.raises(KeyFileError, match="is not a PEM public key"):
        load_public_key(tmp_path / "x.pem")


def test_generation_refuses_weak_passphrase_and_never_overwrites(tmp_path: Path) -> None:
    with pytest.raises(KeyFileError, match="too short"):
        generate_keypair("Jane", tmp_path, b"short")
    with pytest.raises(KeyFileError, match="does not exist"):
        generate_keypair("Jane", tmp_path / "missing", PASS)
    with pytest.raises(KeyFileError, match="on one line"):
        generate_keypair("Jane\nOfficer", tmp_path, PASS)
    first = generate_keypair("Jane", tmp_path, PASS, iterations=1000)
    before = first.private_key.read_bytes()
    with pytest.raises(KeyFileError, match="exists already"):
        generate_keypair("Jane", tmp_path, PASS, iterations=1000)
    assert first.private_key.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["jane.key", "jane.pub.pem"]


def test_passphrase_file(tmp_path: Path) -> None:
    path = tmp_path / "pass.txt"
    path.write_bytes(PASS + b"\r\nignored\n")
    assert read_passphrase_file(path) == PASS
    path.write_bytes(b"\n")
    with pytest.raises(WorkbenchError, match="is empty"):
        read_passphrase_file(path)
