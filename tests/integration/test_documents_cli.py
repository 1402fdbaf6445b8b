"""``workbench-cli doc ...``: exit codes 0 / 2 / 3, one-line errors, JSON output, bundles."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.helpers import pdfs
from workbench.cli import documents as documents_cli
from workbench.cli import main as cli_main
from workbench.documents.filestore import DocumentStore

CASEFILES = Path(__file__).resolve().parents[1] / "data" / "casefiles"
REF = "EC-TEST-0001"
END_USER = "Example Data Centre Sdn Bhd"
EUC = f"""END-USER CERTIFICATE
End user: {END_USER}, Kuala Lumpur, Malaysia
The items will not be re-exported without the authorization of the U.S. Government.
Valid until: 2027-11-01
"""


@pytest.fixture(autouse=True)
def _doc_commands(monkeypatch: pytest.MonkeyPatch) -> None:
    if documents_cli not in cli_main.COMMAND_MODULES:
        monkeypatch.setattr(cli_main, "COMMAND_MODULES", [*cli_main.COMMAND_MODULES, documents_cli])


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = cli_main.main(list(argv))
    except SystemExit as exc:
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def db(capsys: pytest.CaptureFixture[str], db_url: str) -> str:
    assert run(capsys, "--db", db_url, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    return db_url


def _one_line_error(err: str, fragment: str) -> None:
    assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err, err
    assert "Traceback" not in err


def test_attach_list_verify_round_trip(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    euc = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf(EUC))
    code, out, err = run(
        capsys, "--db", db, "doc", "attach", REF, str(euc), "--kind", "euc",
        "--signed-on", "2026-11-02", "--expires-on", "2027-11-01", "--covers", "end_user",
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Attached euc.pdf to {REF} as document 1 (PDF, 1 page,")
    assert "Suggestions read from the document (not applied" in out and "Valid until 2027-11-01" in out

    code, out, _ = run(capsys, "--db", db, "doc", "list", REF, "--json")
    assert code == 0
    listed = json.loads(out)["documents"]
    assert listed[0]["filename"] == "euc.pdf" and listed[0]["covers_parties"] == [END_USER]
    assert listed[0]["valid_until"] == "2027-11-01" and len(listed[0]["sha256"]) == 64

    code, out, _ = run(capsys, "--db", db, "doc", "verify", REF)
    assert code == 0 and "All 1 documents verified." in out

    code, out, _ = run(capsys, "--db", db, "doc", "issues", REF, "--json")
    assert code == 0 and json.loads(out)["open_items"] == 0


def test_attach_json_output(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    assert run(capsys, "--db", sqlite_url, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    scan = pdfs.write(tmp_path / "scan.jpg", pdfs.jpeg())
    code, out, _ = run(capsys, "--db", sqlite_url, "doc", "attach", REF, str(scan), "--kind", "other", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["content_type"] == "image/jpeg" and data["suggestions"] == [] and data["document"]["position"] == 1


@pytest.mark.parametrize(
    ("make", "args", "fragment"),
    [
        (lambda d: pdfs.write(d / "enc.pdf", pdfs.text_pdf("x", password="pw")), [], "password-protected PDF"),
        (lambda d: pdfs.write(d / "broken.pdf", pdfs.broken_pdf()), [], "damaged PDF"),
        (lambda d: pdfs.write(d / "euc.pdf", b"PK\x03\x04docx"), [], "looks like a ZIP archive"),
        (lambda d: d / "missing.pdf", [], "no such file"),
        (lambda d: pdfs.write(d / "euc.pdf", pdfs.text_pdf("x")), ["--covers", "purchaser"], "has no purchaser party"),
        (lambda d: pdfs.write(d / "euc.pdf", pdfs.text_pdf("x")), ["--covers-item", "9"], "item 9 does not exist"),
    ],
)
def test_refused_attachments_exit_2_with_one_line(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, make: object, args: list[str], fragment: str
) -> None:
    assert run(capsys, "--db", sqlite_url, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    path = make(tmp_path)  # type: ignore[operator]
    code, out, err = run(capsys, "--db", sqlite_url, "doc", "attach", REF, str(path), "--kind", "euc", *args)
    assert code == 2 and out == ""
    _one_line_error(err, fragment)
    code, out, _ = run(capsys, "--db", sqlite_url, "doc", "list", REF, "--json")
    assert json.loads(out)["documents"] == []


def test_size_cap_message(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert run(capsys, "--db", sqlite_url, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    monkeypatch.setenv("WORKBENCH_DOCUMENT_MAX_MB", "0.001")
    path = pdfs.write(tmp_path / "big.pdf", pdfs.text_pdf(["page"] * 20))
    code, _, err = run(capsys, "--db", sqlite_url, "doc", "attach", REF, str(path), "--kind", "euc")
    assert code == 2
    _one_line_error(err, "big.pdf: is ")


@pytest.mark.parametrize(
    "argv",
    [
        ["doc", "attach", REF, "x.pdf"],  # --kind missing
        ["doc", "attach", REF, "x.pdf", "--kind", "passport"],
        ["doc", "attach", REF, "x.pdf", "--kind", "euc", "--expires-on", "31/12/2026"],
        ["doc", "attach", REF, "x.pdf", "--kind", "euc", "--covers", "friend"],
        ["doc", "remove", REF, "1"],  # --reason missing
        ["doc", "remove", REF, "zero", "--reason", "x"],
    ],
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], sqlite_url: str, argv: list[str]) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, *argv)
    assert code == 2 and out == "" and "error:" in err


def test_verify_exits_3_on_tampered_or_missing(capsys: pytest.CaptureFixture[str], db: str, tmp_path: Path) -> None:
    for name in ("a.pdf", "b.png"):
        data = pdfs.text_pdf(name) if name.endswith(".pdf") else pdfs.png()
        assert run(capsys, "--db", db, "doc", "attach", REF, str(pdfs.write(tmp_path / name, data)), "--kind",
                   "other")[0] == 0  # fmt: skip
    _, out, _ = run(capsys, "--db", db, "doc", "list", REF, "--json")
    a, b = (d["sha256"] for d in json.loads(out)["documents"])
    store = DocumentStore()
    os.chmod(store.path_for(a), 0o644)
    store.path_for(a).write_bytes(b"%PDF-1.4 forged")
    store.path_for(b).unlink()
    code, out, _ = run(capsys, "--db", db, "doc", "verify", REF)
    assert code == 3
    assert " 1 a.pdf: TAMPERED" in out and " 2 b.png: MISSING" in out and "2 of 2 documents failed" in out
    code, out, _ = run(capsys, "--db", db, "doc", "verify", REF, "--json")
    assert code == 3 and [d["status"] for d in json.loads(out)["documents"]] == ["tampered", "missing"]
    code, _, err = run(capsys, "--db", db, "doc", "copy", REF, "1", "--to", str(tmp_path))
    assert code == 2
    _one_line_error(err, "TAMPERED")


def test_issues_update_remove(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    db = sqlite_url
    assert run(capsys, "--db", db, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    code, out, _ = run(capsys, "--db", db, "doc", "issues", REF)
    assert code == 0 and f"[OPEN ITEM] end user {END_USER}: no valid EUC covers the end user" in out
    euc = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf(EUC))
    assert run(capsys, "--db", db, "doc", "attach", REF, str(euc), "--kind", "euc")[0] == 0
    code, out, _ = run(
        capsys, "--db", db, "doc", "update", REF, "1", "--covers", "end_user", "--expires-on", "2026-12-01",
        "--assurance", "end_use_statement", "no_reexport_without_authorisation", "no_military_wmd_end_use",
        "end_user_named",
    )  # fmt: skip
    assert code == 0 and "covers_parties" in out and "valid_until" in out
    code, out, _ = run(capsys, "--db", db, "doc", "issues", REF, "--json")
    assert [i["id"] for i in json.loads(out)["issues"]] == ["doc.expiring:1"]
    code, out, _ = run(capsys, "--db", db, "doc", "expiring", "--today", "2026-11-20", "--json")
    assert code == 0 and json.loads(out) == [
        {"case": REF, "position": 1, "filename": "euc.pdf", "kind": "euc", "valid_until": "2026-12-01",
         "days_left": 11}
    ]  # fmt: skip
    code, _, err = run(capsys, "--db", db, "doc", "update", REF, "1")
    assert code == 2
    _one_line_error(err, "give at least one field")
    code, out, _ = run(capsys, "--db", db, "doc", "remove", REF, "1", "--reason", "wrong transaction")
    assert code == 0 and "stays in the store" in out
    code, _, err = run(capsys, "--db", db, "doc", "remove", REF, "1", "--reason", "again")
    assert code == 2
    _one_line_error(err, "has no document 1")


@pytest.mark.parametrize("suffix", ["", ".zip"])
def test_bundle_export_import(capsys: pytest.CaptureFixture[str], tmp_path: Path, suffix: str) -> None:
    source_db = f"sqlite:///{tmp_path / 'a.sqlite3'}"
    target_db = f"sqlite:///{tmp_path / 'b.sqlite3'}"
    assert run(capsys, "--db", source_db, "case", "import", str(CASEFILES / "valid.json"))[0] == 0
    euc = pdfs.write(tmp_path / "euc.pdf", pdfs.text_pdf(EUC))
    attach = ["doc", "attach", REF, str(euc), "--kind", "euc", "--covers", "end_user"]
    assert run(capsys, "--db", source_db, *attach)[0] == 0
    bundle = tmp_path / f"out{suffix}"
    code, out, err = run(capsys, "--db", source_db, "doc", "export-bundle", REF, "--out", str(bundle))
    assert code == 0, err
    assert out.startswith(f"Wrote {bundle} (case file and 1 document files")
    code, _, err = run(capsys, "--db", source_db, "doc", "export-bundle", REF, "--out", str(tmp_path / "no" / "x"))
    assert code == 2
    _one_line_error(err, "does not exist")
    code, out, err = run(capsys, "--db", target_db, "doc", "import-bundle", str(bundle), "--json")
    assert code == 0, err
    assert json.loads(out) == {"imported": REF, "documents": 1, "files": 1}
    assert run(capsys, "--db", target_db, "doc", "verify", REF)[0] == 0
    code, _, err = run(capsys, "--db", target_db, "doc", "import-bundle", str(bundle))
    assert code == 2
    _one_line_error(err, "already exists")


def test_missing_case(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    code, out, err = run(capsys, "--db", sqlite_url, "doc", "list", "EC-NOPE")
    assert code == 2 and out == ""
    _one_line_error(err, "EC-NOPE")
