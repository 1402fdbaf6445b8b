"""The party picker in the case editor, driven as an officer would (issue #14): create a register
party from the typed fields, screen and decide it at party level, check, determine and sign; a
second case picks the same party and shows its decision without deciding again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.case import Case
from workbench.export.keys import generate_keypair
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.services.determinations import determination
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.screening import Column as HitColumn

from .conftest import wait_op

pytestmark = pytest.mark.gui

NAME = "Harbin Institute of Technology"


def _register_cell(editor: CaseEditor, row: int) -> str:
    model = editor.parties
    return str(model.data(model.index(row, model.column_of("register"))))


def _new_editor(window: MainWindow, monkeypatch: pytest.MonkeyPatch, reference: str) -> CaseEditor:
    new = Case(reference, "Oscilloscopes for Harbin", date(2026, 6, 1), "US", "CN")
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda _parent: (new, True))
    editor = window.new_case()
    assert editor is not None
    return editor


def _add_item(editor: CaseEditor) -> None:
    editor.items.add()
    for key, value in (("description", "Digital oscilloscope"), ("eccn", "3A992.a"), ("quantity", "3")):
        assert editor.items.setData(editor.items.index(0, editor.items.column_of(key)), value, Qt.ItemDataRole.EditRole)


def test_pick_a_register_party_from_the_editor_to_a_signed_determination(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    window = listed_window
    editor = _new_editor(window, monkeypatch, "EC-PICK-0001")
    picker = editor.party_picker

    # Type the name: the register does not know it yet; type the country and create it there.
    qtbot.keyClicks(picker.search, NAME)
    qtbot.waitUntil(lambda: "No register party matches" in picker.summary.text(), timeout=5000)
    assert not picker.create_button.isEnabled()
    qtbot.keyClicks(picker.country, "CN")
    assert picker.create_button.isEnabled()
    qtbot.mouseClick(picker.create_button, Qt.MouseButton.LeftButton)
    assert editor.parties.rowCount() == 1
    row = editor.parties.rows()[0]
    assert row["name"] == NAME and row["register_id"]
    register_id = int(row["register_id"])
    assert _register_cell(editor, 0) == f"Party {register_id} · Not screened"
    name_cell = editor.parties.index(0, editor.parties.column_of("name"))
    assert not editor.parties.flags(name_cell) & Qt.ItemFlag.ItemIsEditable  # edited in the register
    # Creating it twice is refused with the party to pick instead.
    qtbot.mouseClick(picker.create_button, Qt.MouseButton.LeftButton)
    assert f"in the register already as party {register_id}" in picker.problem.text()
    assert editor.parties.rowCount() == 1

    _add_item(editor)
    assert editor.is_valid and editor.save()
    assert get_case(listed_wb, "EC-PICK-0001").parties[0].register_id == register_id

    # Screen: the party is screened at party level; the officer confirms the Entity List entry.
    panels = window.panels_for(editor)
    wait_op(qtbot, panels.screening.rescreen())
    assert panels.screening.model.text(0, HitColumn.LISTED_NAME) == NAME
    panels.screening.reason.setText("Same university, same city, confirmed against the entry")
    assert panels.screening.decide_true_match()
    editor.refresh_party_statuses()
    assert _register_cell(editor, 0).startswith(f"Party {register_id} · ")

    wait_op(qtbot, panels.checks.run_checks())
    assert panels.checks.result is not None
    assert panels.checks.result.outcome.value == "license_required"

    keys = generate_keypair("Alice Officer", tmp_path, b"correct horse battery", iterations=1000)
    dialog = DetermineDialog(window, listed_wb, "EC-PICK-0001")
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
    record = determination(listed_wb, "EC-PICK-0001")
    assert record.case.parties[0].register_id == register_id
    assert any(r.party_id == register_id and r.relation == "party 1 (end user)" for r in record.register_parties)

    # A second case picks the same party from the register: its decision is already there.
    second = _new_editor(window, monkeypatch, "EC-PICK-0002")
    qtbot.keyClicks(second.party_picker.search, "harbin")
    qtbot.waitUntil(lambda: second.party_picker.results.count() == 1, timeout=5000)
    assert "Confirmed match" in second.party_picker.results.item(0).text() or "Unresolved hit" in (
        second.party_picker.results.item(0).text()
    )
    qtbot.keyClick(second.party_picker.search, Qt.Key.Key_Return)
    assert second.parties.rows()[0]["register_id"] == register_id
    assert second.parties.rows()[0]["name"] == NAME
    second.undo_stack.undo()
    assert second.parties.rowCount() == 0
