"""Hostile bundles and backups: each refused with one line and exit 2, nothing written or replaced."""

from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.helpers import pdfs, zipattacks
from workbench.cli.main import main
from workbench.config import data_dir
from workbench.domain.errors import WorkbenchError

CASEFILES = Path(__file__).resolve().parents[1] / "data" / "casefiles"
REF = "EC-TEST-0001"
EUC = "END-USER CERTIFICATE\nEnd user: Example Data Centre Sdn Bhd, Kuala Lumpur, Malaysia\nValid until: 2027-11-01\n"
DOC = "documents/01-euc.pdf"


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _store_files() -> dict[str, bytes]:
    root = data_dir() / "documents"
    if not root.is_dir():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _state(capsys: pytest.CaptureFixture[str], url: str) -> tuple[str, str, dict[str, bytes]]:
    code, cases, _ = _run(capsys, "--db", url, "case", "list", "--json")
    assert code == 0
    code, chain, _ = _run(capsys, "--db", url, "audit", "verify", "--json")
    assert code == 0
    return cases, chain, _store_files()


def _refused(capsys: pytest.CaptureFixture[str], url: str, argv: list[str], fragment: str) -> None:
    before = _state(capsys, url)
    code, _, err = _run(capsys, "--db", url, *argv)
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 600, err
    assert fragment in err, err
    assert _state(capsys, url) == before


@pytest.fixture(scope="module")
def genuine_bundle(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A bundle zip exported by the workbench: case.json, bundle.json and one EUC."""
    tmp = tmp_path_factory.mktemp("bundle")
    old = os.environ.get("WORKBENCH_DATA_DIR")
    os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "data")
    try:
        url = f"sqlite:///{tmp / 'source.sqlite3'}"
        assert main(["--db", url, "case", "import", str(CASEFILES / "valid.json")]) == 0
        euc = pdfs.write(tmp / "euc.pdf", pdfs.text_pdf(EUC))
        assert main(["--db", url, "doc", "attach", REF, str(euc), "--kind", "euc", "--covers", "end_user"]) == 0
        out = tmp / "bundle.zip"
        assert main(["--db", url, "doc", "export-bundle", REF, "--out", str(out)]) == 0
        return out.read_bytes()
    finally:
        if old is None:
            del os.environ["WORKBENCH_DATA_DIR"]
        else:
            os.environ["WORKBENCH_DATA_DIR"] = old


def _with_member(data: bytes, name: str, content: bytes) -> bytes:
    return zipattacks.build([(n, content if n == name else c) for n, c in zipattacks.members(data)])


def _manifest_pointing_to(data: bytes, path: str) -> bytes:
    members = dict(zipattacks.members(data))
    manifest = json.loads(members["bundle.json"])
    manifest["documents"][0]["path"] = path
    return zipattacks.build(
        [("case.json", members["case.json"]), ("bundle.json", json.dumps(manifest).encode()), (path, members[DOC])]
    )


BUNDLE_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "corrupt-deflate": (lambda z: zipattacks.corrupt_data(z, DOC), "is damaged in the archive"),
    "deflate64": (lambda z: zipattacks.set_method(z, DOC, 9), "is compressed with Deflate64"),
    "bzip2": (lambda z: zipattacks.set_method(z, DOC, 12), "is compressed with bzip2"),
    "encrypted": (lambda z: zipattacks.set_encrypted(z, DOC), "is encrypted"),
    "bomb-ratio": (lambda z: _with_member(z, DOC, bytes(20 * 1024 * 1024)), "as a zip bomb does"),
    "too-many-entries": (
        lambda z: zipattacks.build([*zipattacks.members(z), *((f"junk/{i}", b"") for i in range(1100))]),
        "more than the 1,016 allowed",
    ),
    "traversal-member": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("../../evil.pdf", b"x")]),
        "points outside the archive's folder",
    ),
    "traversal-manifest": (lambda z: _manifest_pointing_to(z, "../evil.pdf"), "points outside the archive's folder"),
    "absolute-member": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("/etc/evil", b"x")]),
        "points outside the archive's folder",
    ),
    "duplicate-case": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("case.json", b"{}")]),
        "holds two files named 'case.json'",
    ),
    "duplicate-document-path": (
        lambda z: _manifest_twice(z),
        "names one file for two documents",
    ),
    "long-name": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("documents/" + "a" * 300, b"x")]),
        "has a name part longer than 255 characters",
    ),
}


def _manifest_twice(data: bytes) -> bytes:
    members = dict(zipattacks.members(data))
    manifest = json.loads(members["bundle.json"])
    manifest["documents"].append({**manifest["documents"][0], "position": 2})
    members["bundle.json"] = json.dumps(manifest).encode()
    return zipattacks.build(members.items())


@pytest.mark.parametrize("attack", sorted(BUNDLE_ATTACKS))
def test_hostile_bundles_are_refused_and_nothing_is_written(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, genuine_bundle: bytes, attack: str
) -> None:
    build, fragment = BUNDLE_ATTACKS[attack]
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    path = tmp_path / "hostile.zip"
    path.write_bytes(build(genuine_bundle))
    _refused(capsys, sqlite_url, ["doc", "import-bundle", str(path)], fragment)


def test_bundle_total_size_cap(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, genuine_bundle: bytes,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    from workbench.documents import bundle

    monkeypatch.setattr(bundle, "MAX_BUNDLE_BYTES", 64 * 1024)
    path = tmp_path / "big.zip"
    path.write_bytes(zipattacks.build([*zipattacks.members(genuine_bundle), ("documents/pad", os.urandom(80 * 1024))]))
    _refused(capsys, sqlite_url, ["doc", "import-bundle", str(path)], "expands to more than 65,536 bytes in total")


def test_a_document_refused_late_leaves_no_file_in_the_store(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, genuine_bundle: bytes
) -> None:
    """The first document is stored, the second is damaged: the first is taken out again."""
    members = dict(zipattacks.members(genuine_bundle))
    case = json.loads(members["case.json"])
    manifest = json.loads(members["bundle.json"])
    second = pdfs.text_pdf("A second document\n" * 40)
    sha = hashlib.sha256(second).hexdigest()
    case["documents"].append({**case["documents"][0], "filename": "two.pdf", "sha256": sha})
    manifest["documents"].append({"position": 2, "filename": "two.pdf", "sha256": sha, "size": len(second),
                                  "path": "documents/02-two.pdf"})  # fmt: skip
    data = zipattacks.build(
        [("case.json", json.dumps(case).encode()), ("bundle.json", json.dumps(manifest).encode()),
         (DOC, members[DOC]), ("documents/02-two.pdf", second)]
    )  # fmt: skip
    path = tmp_path / "late.zip"
    path.write_bytes(zipattacks.corrupt_data(data, "documents/02-two.pdf"))
    _refused(capsys, sqlite_url, ["doc", "import-bundle", str(path)], "is damaged in the archive")
    assert _store_files() == {}


def test_the_genuine_bundle_still_imports(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, genuine_bundle: bytes
) -> None:
    path = tmp_path / "genuine.zip"
    path.write_bytes(genuine_bundle)
    code, _, err = _run(capsys, "--db", sqlite_url, "doc", "import-bundle", str(path))
    assert code == 0, err
    assert len(_store_files()) == 1
    assert zipfile.is_zipfile(path)


# --- restore ------------------------------------------------------------------------------------

DB = "workbench.sqlite3"
PDF = pdfs.text_pdf("A stored document")
PDF_SHA = hashlib.sha256(PDF).hexdigest()
PDF_MEMBER = f"documents/{PDF_SHA[:2]}/{PDF_SHA[2:]}"


@pytest.fixture(scope="module")
def genuine_backup(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """A backup written by the workbench: the demo cases, their audit chain and one stored document."""
    tmp = tmp_path_factory.mktemp("backup")
    old = os.environ.get("WORKBENCH_DATA_DIR")
    os.environ["WORKBENCH_DATA_DIR"] = str(tmp / "data")
    try:
        url = f"sqlite:///{tmp / 'source.sqlite3'}"
        assert main(["--db", url, "demo"]) == 0
        assert main(["--db", url, "screening", "run", "EC-2026-0042"]) == 0  # imports the shipped list first
        stored = data_dir() / PDF_MEMBER
        stored.parent.mkdir(parents=True)
        stored.write_bytes(PDF)
        assert main(["--db", url, "backup", "--out", str(tmp / "backup.zip")]) == 0
        return (tmp / "backup.zip").read_bytes()
    finally:
        if old is None:
            del os.environ["WORKBENCH_DATA_DIR"]
        else:
            os.environ["WORKBENCH_DATA_DIR"] = old


def _rezip(data: bytes, change: Callable[[dict[str, bytes], dict[str, object]], None], *, rehash: bool = True) -> bytes:
    """Apply ``change`` to the members and the manifest; the manifest's hashes are recomputed (an able attacker)."""
    members = dict(zipattacks.members(data))
    manifest = json.loads(members.pop("manifest.json"))
    change(members, manifest)
    if rehash and isinstance(manifest, dict) and isinstance(manifest.get("files"), dict):
        files = manifest["files"]
        for name in list(files):
            if name in members:
                files[name] = hashlib.sha256(members[name]).hexdigest()
    return zipattacks.build([*members.items(), ("manifest.json", json.dumps(manifest).encode())])


def _with_database(data: bytes, sql: str) -> bytes:
    """Run ``sql`` on the backup's database (as someone with the file would) and re-hash the manifest."""
    import sqlite3
    import tempfile

    def change(members: dict[str, bytes], _manifest: dict[str, object]) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / DB
            path.write_bytes(members[DB])
            conn = sqlite3.connect(path)
            conn.executescript(sql)
            conn.commit()
            conn.close()
            members[DB] = path.read_bytes()

    return _rezip(data, change)


def _files(manifest: dict[str, object]) -> dict[str, object]:
    files = manifest["files"]
    assert isinstance(files, dict)
    return files


def _raw_manifest(data: bytes, raw: bytes) -> bytes:
    members = [(n, c) for n, c in zipattacks.members(data) if n != "manifest.json"]
    return zipattacks.build([*members, ("manifest.json", raw)])


OTHER = b"%PDF-1.4 another document"
RESTORE_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "manifest-names-a-folder": (
        lambda z: _rezip(z, lambda m, man: _files(man).update({"documents/ab/": "0" * 64})),
        "which is neither the database nor a stored document",
    ),
    "manifest-names-documents": (
        lambda z: _rezip(z, lambda m, man: _files(man).update({"documents": "0" * 64})),
        "which is neither the database nor a stored document",
    ),
    "manifest-300-character-name": (
        lambda z: _rezip(z, lambda m, man: _files(man).update({"documents/" + "a" * 300: "0" * 64})),
        "which is neither the database nor a stored document",
    ),
    "manifest-is-a-list": (lambda z: _raw_manifest(z, b"[]"), "must be a JSON object, not list"),
    "manifest-files-is-a-list": (lambda z: _raw_manifest(z, b'{"files": []}'), "$.files must be an object"),
    "manifest-digest-is-a-number": (
        lambda z: _rezip(z, lambda m, man: _files(man).update({DB: 5}), rehash=False),
        "no SHA-256 digest",
    ),
    "manifest-not-utf8": (lambda z: _raw_manifest(z, '{"files": {"é": 1}}'.encode("latin-1")), "is not UTF-8 text"),
    "manifest-not-json": (lambda z: _raw_manifest(z, b"{files"), "is not valid JSON"),
    "document-under-another-hash": (
        lambda z: _rezip(z, lambda m, man: m.update({PDF_MEMBER: OTHER})),
        "is listed with the SHA-256 of another document",
    ),
    "document-replaced": (
        lambda z: _rezip(z, lambda m, man: m.update({PDF_MEMBER: OTHER}), rehash=False),
        "does not match its SHA-256",
    ),
    "unlisted-member": (
        lambda z: _rezip(z, lambda m, man: m.update({"evil.sh": b"rm -rf /"})),
        "which its manifest does not list",
    ),
    "bomb": (
        lambda z: _rezip(z, lambda m, man: m.update({PDF_MEMBER: bytes(40 * 1024 * 1024)})),
        "as a zip bomb does",
    ),
    "deflate64-database": (lambda z: zipattacks.set_method(z, DB, 9), "is compressed with Deflate64"),
    "encrypted-database": (lambda z: zipattacks.set_encrypted(z, DB), "is encrypted"),
    "corrupt-database-deflate": (lambda z: zipattacks.corrupt_data(z, DB), "is damaged in the archive"),
    "traversal": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("../../outside", b"x")]),
        "points outside the archive's folder",
    ),
    "broken-audit-chain": (
        lambda z: _with_database(z, "UPDATE audit_log SET after = '\"forged\"' WHERE seq = 2;"),
        "has a broken audit chain (entry 2",
    ),
    "deleted-audit-entry": (
        lambda z: _with_database(z, "DELETE FROM audit_log WHERE seq = 3;"),
        "has a broken audit chain (entry 3",
    ),
    "extra-trigger": (
        lambda z: _with_database(
            z, "CREATE TRIGGER later_rewrite AFTER UPDATE ON cases BEGIN UPDATE items SET eccn = 'EAR99'; END;"
        ),
        "holds objects the workbench's migrations do not create (trigger later_rewrite)",
    ),
    "rewritten-trigger": (
        lambda z: _with_database(
            z,
            "DROP TRIGGER cases_fts_ai; CREATE TRIGGER cases_fts_ai AFTER INSERT ON cases BEGIN "
            "UPDATE items SET eccn = 'EAR99'; END;",
        ),
        "its schema differs from the one the workbench's migrations create (trigger cases_fts_ai)",
    ),
    "extra-view": (
        lambda z: _with_database(z, "CREATE VIEW spy AS SELECT * FROM cases;"),
        "do not create (view spy)",
    ),
    "extra-table": (lambda z: _with_database(z, "CREATE TABLE payload (x BLOB);"), "do not create (table payload)"),
    "not-a-workbench-database": (
        lambda z: _with_database(z, "DROP TABLE alembic_version;"),
        "it has no schema revision",
    ),
    "newer-schema": (
        lambda z: _with_database(z, "UPDATE alembic_version SET version_num = '9999';"),
        "written by a newer workbench",
    ),
}


@pytest.mark.parametrize("attack", sorted(RESTORE_ATTACKS))
def test_hostile_backups_are_refused_and_nothing_is_replaced(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, genuine_backup: bytes, attack: str
) -> None:
    build, fragment = RESTORE_ATTACKS[attack]
    live = tmp_path / "live.sqlite3"
    url = f"sqlite:///{live}"
    assert main(["--db", url, "case", "import", str(CASEFILES / "valid.json")]) == 0
    capsys.readouterr()
    path = tmp_path / "hostile.zip"
    path.write_bytes(build(genuine_backup))
    before = live.read_bytes()
    _refused(capsys, url, ["restore", str(path), "--force"], fragment)
    assert live.read_bytes() == before
    assert _store_files() == {}


def test_a_backup_expanding_past_the_cap_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, genuine_backup: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.services import maintenance

    monkeypatch.setattr(maintenance, "MAX_BACKUP_BYTES", 64 * 1024)
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    assert main(["--db", url, "case", "import", str(CASEFILES / "valid.json")]) == 0
    capsys.readouterr()
    path = tmp_path / "big.zip"
    path.write_bytes(genuine_backup)
    _refused(capsys, url, ["restore", str(path), "--force"], "expands to more than 65,536 bytes in total")


def test_the_genuine_backup_restores(capsys: pytest.CaptureFixture[str], tmp_path: Path, genuine_backup: bytes) -> None:
    url = f"sqlite:///{tmp_path / 'live.sqlite3'}"
    path = tmp_path / "genuine.zip"
    path.write_bytes(genuine_backup)
    code, _, err = _run(capsys, "--db", url, "restore", str(path))
    assert code == 0, err
    assert _store_files() == {f"{PDF_SHA[:2]}/{PDF_SHA[2:]}": PDF}
    code, out, _ = _run(capsys, "--db", url, "audit", "verify", "--json")
    assert code == 0 and json.loads(out)["ok"] is True


# --- audit packs --------------------------------------------------------------------------------


def _pack_with_manifest(data: bytes, raw: bytes) -> bytes:
    kept = [(n, c) for n, c in zipattacks.members(data) if n != "manifest.json"]
    return zipattacks.build([*kept, ("manifest.json", raw)])


PACK_ATTACKS: dict[str, tuple[Callable[[bytes], bytes], str]] = {
    "manifest-is-a-list": (lambda z: _pack_with_manifest(z, b"[]"), "is not a workbench-audit-pack/1 file"),
    "files-is-a-list": (
        lambda z: _pack_with_manifest(z, b'{"format": "workbench-audit-pack/1", "files": []}'),
        "$.files must map file names to SHA-256 digests",
    ),
    "bomb": (lambda z: zipattacks.build([*zipattacks.members(z), ("padding", bytes(30 * 1024 * 1024))]), "zip bomb"),
    "deflate64": (lambda z: zipattacks.set_method(z, "manifest.json", 9), "is compressed with Deflate64"),
    "duplicate": (
        lambda z: zipattacks.build([*zipattacks.members(z), ("manifest.json", b"{}")]),
        "holds two files named 'manifest.json'",
    ),
}


@pytest.mark.parametrize("attack", sorted(PACK_ATTACKS))
def test_hostile_audit_packs_are_refused(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, attack: str
) -> None:
    from workbench.services.auditpack import FORMAT

    assert FORMAT == "workbench-audit-pack/1"
    assert main(["--db", sqlite_url, "demo"]) == 0
    genuine = tmp_path / "pack.zip"
    assert main(["--db", sqlite_url, "audit", "pack", "EC-2026-0042", "--out", str(genuine)]) == 0
    capsys.readouterr()
    build, fragment = PACK_ATTACKS[attack]
    path = tmp_path / "hostile.zip"
    path.write_bytes(build(genuine.read_bytes()))
    _refused(capsys, sqlite_url, ["audit", "pack", "--verify", str(path)], fragment)
    assert main(["--db", sqlite_url, "audit", "pack", "--verify", str(genuine)]) == 0


# --- fuzzing the archive readers ----------------------------------------------------------------

_mutations = st.lists(st.tuples(st.floats(0, 1, exclude_max=True), st.integers(0, 255)), min_size=1, max_size=8)


def _mutate(data: bytes, changes: list[tuple[float, int]]) -> bytes:
    buf = bytearray(data)
    for where, value in changes:
        buf[int(where * len(buf))] = value
    return bytes(buf)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_mutations)
def test_fuzz_bundle_reader(tmp_path: Path, genuine_bundle: bytes, changes: list[tuple[float, int]]) -> None:
    """Any corruption of a genuine bundle reads as a bundle or is one sentence, never another exception."""
    from workbench.documents.bundle import open_bundle

    path = tmp_path / "fuzz.zip"
    path.write_bytes(_mutate(genuine_bundle, changes))
    try:
        with open_bundle(path) as bundle:
            for entry in bundle.entries:
                with bundle.open_member(entry) as stream:
                    while stream.read(1 << 16):
                        pass
    except WorkbenchError as exc:
        message = str(exc)
        assert "\n" not in message


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(changes=_mutations)
def test_fuzz_backup_verifier(tmp_path: Path, genuine_backup: bytes, changes: list[tuple[float, int]]) -> None:
    """Any corruption of a genuine backup verifies or is one sentence, never another exception."""
    import tempfile

    from workbench.services.maintenance import verify_backup

    path = tmp_path / "fuzz.zip"
    path.write_bytes(_mutate(genuine_backup, changes))
    with tempfile.TemporaryDirectory(dir=tmp_path) as work:
        try:
            verify_backup(path, Path(work))
        except WorkbenchError as exc:
            message = str(exc)
            assert "\n" not in message
