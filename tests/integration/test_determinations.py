"""Determining, signing and verifying through the services and the CLI."""

from __future__ import annotations

import json
import zipfile
from dataclasses import replace
from pathlib import Path

import openpyxl
import pytest

from workbench.cli.main import main
from workbench.domain.case import CaseStatus
from workbench.domain.errors import ConflictError
from workbench.domain.record import SignOffError
from workbench.export.keys import WrongPassphraseError, generate_keypair
from workbench.services import Workbench, open_workbench
from workbench.services.audit import case_history, verify_audit_chain
from workbench.services.cases import get_case, list_cases, load_demo, save_case
from workbench.services.determinations import (
    build_record,
    determination,
    determination_history,
    determine,
    determine_and_sign,
    verify,
    workbooks,
)

PASS = b"correct horse battery staple"


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Path]:
    folder = tmp_path_factory.mktemp("keys")
    files = generate_keypair("Alice Officer", folder, PASS, iterations=1000)
    other = generate_keypair("Mallory", folder, PASS, iterations=1000)
    (folder / "pass.txt").write_bytes(PASS + b"\n")
    return files.private_key, files.public_key, other.public_key


@pytest.fixture
def wb(db_url: str) -> Workbench:
    workbench = open_workbench(db_url, officer="Alice Officer")
    load_demo(workbench)
    yield workbench  # type: ignore[misc]
    workbench.close()


def test_determine_sign_and_verify(wb: Workbench, keys: tuple[Path, Path, Path], tmp_path: Path) -> None:
    private, public, other = keys
    out = tmp_path / "EC-2026-0046.xlsx"
    record, signed = determine_and_sign(
        wb,
        "EC-2026-0046",
        key_path=private,
        passphrase=PASS,
        out=out,
        override_reason="Prohibited outcome recorded; the shipment will not go ahead",
    )
    assert record.determination.outcome.value == "prohibited"
    assert signed.path == out
    assert verify(out, public).status == "intact"
    assert verify(out, other).status == "wrong_key"
    stored = determination(wb, "EC-2026-0046")
    assert stored.content_hash == record.content_hash
    assert stored.list_version.startswith("CSL 2026-07-31")
    case = get_case(wb, "EC-2026-0046")
    assert case.status is CaseStatus.DETERMINED
    rows = list_cases(wb, "EC-2026-0046").rows
    assert rows[0].outcome == "prohibited"
    assert [r.reference for r in list_cases(wb, outcomes=("prohibited",)).rows] == ["EC-2026-0046"]
    assert list_cases(wb, outcomes=("nlr",)).total == 0
    assert [w.revision for w in workbooks(wb, "EC-2026-0046")] == [1]
    actions = [e.action for e in case_history(wb, "EC-2026-0046")]
    assert actions[-2:] == ["determine", "sign"]
    assert verify_audit_chain(wb).ok
    sheet = openpyxl.load_workbook(out)["Summary"]
    assert any("override" in str(c.value).lower() for row in sheet.iter_rows() for c in row if c.value)


def test_open_items_block_signing_without_override(
    wb: Workbench, keys: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    private, _, _ = keys
    out = tmp_path / "x.xlsx"
    with pytest.raises(SignOffError, match="open item"):
        determine_and_sign(wb, "EC-2026-0044", key_path=private, passphrase=PASS, out=out)
    assert not out.exists()
    assert determination_history(wb, "EC-2026-0044") == []


def test_wrong_passphrase_writes_and_stores_nothing(
    wb: Workbench, keys: tuple[Path, Path, Path], tmp_path: Path
) -> None:
    private, _, _ = keys
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    with pytest.raises(WrongPassphraseError):
        determine_and_sign(wb, "EC-2026-0046", key_path=private, passphrase=b"wrong passphrase", out=out_dir / "x")
    assert list(out_dir.iterdir()) == []
    assert determination_history(wb, "EC-2026-0046") == []


def test_re_determination_keeps_older_revisions_readable(wb: Workbench) -> None:
    first = determine(wb, "EC-2026-0043")
    second = determine(wb, "EC-2026-0043", override_reason=None)
    assert (first.revision, second.revision) == (1, 2)
    assert [h.revision for h in determination_history(wb, "EC-2026-0043")] == [1, 2]
    assert determination(wb, "EC-2026-0043", 1).content_hash == first.content_hash
    assert determination(wb, "EC-2026-0043").revision == 2


def test_a_determination_prepared_before_someone_else_changed_the_case_is_refused(wb: Workbench) -> None:
    prepared = build_record(wb, "EC-2026-0043")
    save_case(wb, replace(get_case(wb, "EC-2026-0043"), title="Changed by a colleague meanwhile"))
    with wb.uow() as uow, pytest.raises(ConflictError, match="saved or determined by someone else"):
        uow.determinations.add(prepared)
    assert determination_history(wb, "EC-2026-0043") == []

    prepared = build_record(wb, "EC-2026-0043")
    determine(wb, "EC-2026-0043")  # a colleague determines first: same case version, revision taken
    with wb.uow() as uow, pytest.raises(ConflictError, match="determine it again"):
        uow.determinations.add(prepared)
    assert [h.revision for h in determination_history(wb, "EC-2026-0043")] == [1]
    assert verify_audit_chain(wb).ok


def test_cli_determine_and_verify_exit_codes(
    sqlite_url: str, keys: tuple[Path, Path, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    private, public, _ = keys
    passfile = private.parent / "pass.txt"
    assert main(["--db", sqlite_url, "demo"]) == 0
    out = tmp_path / "d.xlsx"
    argv = [
        "--db",
        sqlite_url,
        "--officer",
        "Alice Officer",
        "determine",
        "EC-2026-0046",
        "--key",
        str(private),
        "--passphrase-file",
        str(passfile),
        "--out",
        str(out),
        "--json",
    ]
    assert main(argv) == 2  # open items, no override
    assert "open item" in capsys.readouterr().err
    assert main([*argv, "--override-reason", "Documented refusal; no shipment will be made"]) == 0
    assert json.loads(capsys.readouterr().out)["outcome"] == "prohibited"
    assert main(["verify", str(out), "--public-key", str(public)]) == 0
    assert "intact" in capsys.readouterr().out
    assert main(["verify", str(out)]) == 4  # no key given: the signer is unconfirmed, never "intact"
    unconfirmed = capsys.readouterr().out
    assert "SIGNER UNCONFIRMED" in unconfirmed and "--public-key OFFICER.pub.pem" in unconfirmed
    book = openpyxl.load_workbook(out)
    book["Findings"]["A2"].value = "forged"
    book.save(out)
    assert main(["verify", str(out), "--public-key", str(public), "--json"]) == 3
    assert json.loads(capsys.readouterr().out)["status"] == "tampered"
    (tmp_path / "plain.txt").write_text("not a workbook")
    assert main(["verify", str(tmp_path / "plain.txt")]) == 2
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * 30_000_000)
    capsys.readouterr()
    assert main(["verify", str(bomb)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "a zip bomb" in err and "bomb.xlsx" in err
