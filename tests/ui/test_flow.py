"""The officer's whole flow, driven through the widgets: new case → parties and items → screen →
check → attach a document → determine & sign → verify."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.pdfs import text_pdf
from workbench.domain.case import Case, PartyRole
from workbench.export.keys import generate_keypair
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.dialogs.verify import VerifyDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.screening import Column as HitColumn

from .conftest import wait_op

pytestmark = pytest.mark.gui

REF = "EC-FLOW-0001"


def _set(editor: CaseEditor, model_name: str, row: int, key: str, value: object) -> None:
    model = editor.parties if model_name == "parties" else editor.items
    assert model.setData(model.index(row, model.column_of(key)), value, Qt.ItemDataRole.EditRole)


def test_new_case_to_verified_workbook(
    qtbot: QtBot,
    listed_window: MainWindow,
    listed_wb: Workbench,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = listed_window
    new = Case(REF, "Oscilloscopes for Harbin", date(2026, 6, 1), "US", "CN")
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda _parent: (new, True))
    editor = window.new_case()
    assert editor is not None and editor.is_new

    # Parties and items, typed into the editor's tables.
    editor.parties_page.add()
    _set(editor, "parties", 0, "name", "Harbin Institute of Technology")
    _set(editor, "parties", 0, "country", "CN")
    editor.items.add()
    _set(editor, "items", 0, "description", "Digital oscilloscope")
    _set(editor, "items", 0, "eccn", "3A992.a")
    _set(editor, "items", 0, "quantity", "3")
    assert editor.is_valid
    assert editor.save()
    stored = get_case(listed_wb, REF)
    assert [(p.name, p.role) for p in stored.parties] == [("Harbin Institute of Technology", PartyRole.END_USER)]

    panels = window.panels_for(editor)

    # Screen: the Entity-List university is found; the officer confirms it.
    wait_op(qtbot, panels.screening.rescreen())
    assert panels.screening.model.text(0, HitColumn.LISTED_NAME) == "Harbin Institute of Technology"
    panels.screening.reason.setText("Same university, same city, confirmed against the entry")
    assert panels.screening.decide_true_match()

    # Check: licence required because of the Entity List listing.
    wait_op(qtbot, panels.checks.run_checks())
    assert panels.checks.result is not None
    assert panels.checks.result.outcome.value == "license_required"
    assert "Licence required" in panels.checks.banner.text()

    # Attach an end-user certificate.
    docs = panels.documents
    wait_op(qtbot, docs.op)
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf("END-USER CERTIFICATE\nEnd user: Harbin Institute of Technology\nDate: 2026-05-01"))
    metadata = {
        "kind": "euc",
        "issuer": "Harbin Institute of Technology",
        "signed_on": date(2026, 5, 1),
        "expires_on": date(2027, 5, 1),
        "note": "",
    }
    wait_op(qtbot, docs.attach_path(pdf, metadata))
    wait_op(qtbot, docs.op)
    assert docs.model.rowCount() == 1

    # Determine & sign (with a written override for the open items), then verify.
    keys = generate_keypair("Alice Officer", tmp_path, b"correct horse battery", iterations=1000)
    dialog = DetermineDialog(window, listed_wb, REF)
    qtbot.addWidget(dialog)
    wait_op(qtbot, dialog.prepare())
    out = tmp_path / "out" / "determination.xlsx"
    dialog.key_path.setText(str(keys.private_key))
    dialog.passphrase.setText("correct horse battery")
    dialog.out_path.setText(str(out))
    if dialog.override.isEnabled():
        dialog.override.setText("Licence application in preparation; determination recorded for the file")
    wait_op(qtbot, dialog.sign())
    assert out.exists()

    verify = VerifyDialog(window)
    qtbot.addWidget(verify)
    verify.workbook.setText(str(out))
    verify.public_key.setText(str(keys.public_key))
    wait_op(qtbot, verify.verify())
    assert verify.verification is not None
    assert verify.verification.status == "intact"
