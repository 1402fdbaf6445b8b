"""Determine & sign writes a signed workbook with a test key; the verify dialog says intact or tampered."""

from __future__ import annotations

import zipfile
from pathlib import Path

import openpyxl
import pytest
from pytestqt.qtbot import QtBot

from workbench.export.keys import generate_keypair
from workbench.services import Workbench
from workbench.services.determinations import determination_history
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.dialogs.verify import VerifyDialog
from workbench.ui.mainwindow import MainWindow

from .conftest import wait_op

pytestmark = pytest.mark.gui

PASS = "correct horse battery"
REF = "EC-2026-0046"


@pytest.fixture
def key(tmp_path: Path) -> tuple[Path, Path]:
    folder = tmp_path / "keys"
    folder.mkdir()
    files = generate_keypair("Alice Officer", folder, PASS.encode(), iterations=1000)
    return files.private_key, files.public_key


def _dialog(qtbot: QtBot, wb: Workbench) -> DetermineDialog:
    dialog = DetermineDialog(None, wb, REF)
    qtbot.addWidget(dialog)
    wait_op(qtbot, dialog.prepare())
    return dialog


def test_sign_then_verify_intact_and_tampered(
    qtbot: QtBot, listed_wb: Workbench, key: tuple[Path, Path], tmp_path: Path
) -> None:
    private, public = key
    dialog = _dialog(qtbot, listed_wb)
    summary = dialog.summary.toPlainText()
    assert REF in summary and "Prohibited" in summary and "open item" in summary
    assert dialog.sign_button.isEnabled() and dialog.override.isEnabled()
    out = tmp_path / "out" / "determination.xlsx"
    dialog.key_path.setText(str(private))
    dialog.passphrase.setText("wrong passphrase")
    dialog.out_path.setText(str(out))
    dialog.override.setText("Prohibited outcome recorded; the shipment will not go ahead")
    wait_op(qtbot, dialog.sign(), "failed")
    assert "Nothing was signed" in dialog.status.text() and not out.exists()
    dialog.passphrase.setText(PASS)
    wait_op(qtbot, dialog.sign())
    assert out.exists() and dialog.signed is not None
    assert "signed by Test Officer" in dialog.status.text() and dialog.folder_button.isEnabled()
    assert [h.revision for h in determination_history(listed_wb, REF)] == [1]

    verifier = VerifyDialog(None, out)
    qtbot.addWidget(verifier)
    verifier.public_key.setText(str(public))
    wait_op(qtbot, verifier.verify())
    assert verifier.verification is not None and verifier.verification.status == "intact"
    assert "Intact" in verifier.verdict.text()

    verifier.public_key.clear()
    wait_op(qtbot, verifier.verify())
    assert verifier.verification is not None and verifier.verification.status == "unconfirmed"
    assert "Signer unconfirmed" in verifier.verdict.text() and "Intact" not in verifier.verdict.text()
    assert verifier.verification.fingerprint is not None
    assert verifier.verification.fingerprint in verifier.verdict.text()
    verifier.public_key.setText(str(public))

    book = openpyxl.load_workbook(out)
    sheet = book.worksheets[0]
    sheet["A1"] = f"{sheet['A1'].value} (edited)"
    book.save(out)
    wait_op(qtbot, verifier.verify())
    assert verifier.verification is not None and verifier.verification.status == "tampered"
    assert "Tampered" in verifier.verdict.text()
    assert "Summary!A1: expected" in verifier.verdict.text()


def test_verify_explains_a_missing_file(qtbot: QtBot, tmp_path: Path) -> None:
    verifier = VerifyDialog(None, tmp_path / "nowhere.xlsx")
    qtbot.addWidget(verifier)
    op = verifier.verify()
    assert op is not None
    qtbot.waitUntil(lambda: op.outcome != "running", timeout=5000)
    assert verifier.verification is None or verifier.verification.status != "intact"
    assert verifier.verdict.text()


def test_menus_offer_the_new_commands(window: MainWindow) -> None:
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Case" in titles and "&Lists" in titles
    assert not window.commands.determine.isEnabled()
    window.open_case("EC-2026-0042")
    assert window.commands.determine.isEnabled()
    assert window.commands.verify.text() == "&Verify determination…"


def test_verify_refuses_a_zip_bomb_in_one_sentence(qtbot: QtBot, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"<c/>" * 30_000_000)
    verifier = VerifyDialog(None, bomb)
    qtbot.addWidget(verifier)
    wait_op(qtbot, verifier.verify(), "failed")
    assert verifier.verification is None
    assert "zip bomb" in verifier.verdict.text() and "Intact" not in verifier.verdict.text()
