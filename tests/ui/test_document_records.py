"""Document records in the window: suggestions read before attaching, applied only when accepted; editing later."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.pdfs import text_pdf
from workbench.domain.case import Assurance, DocumentKind
from workbench.services import Workbench
from workbench.services.audit import case_history
from workbench.services.documents import list_documents
from workbench.ui import messages
from workbench.ui.dialogs.document import DocumentDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.documents import Column, DocumentsPanel

from .conftest import wait_op

pytestmark = pytest.mark.gui
REF = "EC-2026-0042"
END_USER = "Example Data Centre Sdn Bhd"
EUC = f"""END-USER CERTIFICATE
We, {END_USER}, Cyberjaya, Malaysia, are the end user of the items.
The items will not be re-exported without the prior written authorization of the U.S. Government.
The items will not be used for military purposes or for nuclear, chemical or biological weapons.
Date of signature: 2 November 2026
Valid until: 2027-11-01
"""


def _panel(qtbot: QtBot, window: MainWindow) -> DocumentsPanel:
    editor = window.open_case(REF)
    assert editor is not None
    panel = window.panels_for(editor).documents
    wait_op(qtbot, panel.op)
    return panel


def _answer(monkeypatch: pytest.MonkeyPatch, officer: Any) -> list[DocumentDialog]:
    """The document form, when it opens, is filled by ``officer(dialog)`` as the officer would."""
    shown: list[DocumentDialog] = []

    def exec_(dialog: DocumentDialog) -> int:
        shown.append(dialog)
        dialog.show()
        officer(dialog)
        return int(dialog.result())

    monkeypatch.setattr(DocumentDialog, "exec", exec_)
    return shown


def _labels(dialog: DocumentDialog) -> list[str]:
    return [dialog.suggestion_list.item(i).text() for i in range(dialog.suggestion_list.count())]


def _checked(widget: Any) -> list[Any]:
    return [
        widget.item(i).data(Qt.ItemDataRole.UserRole)
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


def _attach(qtbot: QtBot, panel: DocumentsPanel, tmp_path: Path) -> None:
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf(EUC))
    wait_op(qtbot, panel.ask_and_attach(pdf))  # reads the text, then the form opens
    wait_op(qtbot, panel.op)  # attaching
    wait_op(qtbot, panel.op)  # the refresh after it


def test_suggestions_are_offered_before_saving_and_filled_in_only_when_accepted(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    seen: dict[str, Any] = {}

    def officer(dialog: DocumentDialog) -> None:
        labels = _labels(dialog)
        seen["labels"] = labels
        assert "Valid until 2027-11-01" in " ".join(labels)
        assert any("re-export" in label or "reexport" in label for label in labels)
        assert any("military" in label for label in labels)
        # Offered, not applied: the form is still empty.
        assert dialog.expires_on.value() is None and dialog.signed_on.value() is None
        assert _checked(dialog.assurances) == [] and _checked(dialog.parties) == []
        qtbot.mouseClick(dialog.fill_button, Qt.MouseButton.LeftButton)
        assert dialog.expires_on.value() == date(2027, 11, 1)
        assert dialog.signed_on.value() == date(2026, 11, 2)
        assert END_USER in _checked(dialog.parties)
        assert {Assurance.NO_REEXPORT.value, Assurance.NO_MILITARY_WMD.value} <= set(_checked(dialog.assurances))
        assert "Filled in" in dialog.suggestion_status.text()
        qtbot.keyClicks(dialog.issuer, END_USER)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    shown = _answer(monkeypatch, officer)
    panel = _panel(qtbot, window)
    _attach(qtbot, panel, tmp_path)
    assert shown and seen["labels"]
    record = list_documents(wb, REF)[0]
    assert record.valid_until == date(2027, 11, 1) and record.signed_date == date(2026, 11, 2)
    assert record.covers_parties == (END_USER,) and Assurance.NO_MILITARY_WMD in record.assurances
    notice = recorder.texts(messages.Level.INFO)[-1]
    assert "attached as document 1" in notice and "agrees with the text" in notice
    assert "Nothing was filled in" not in notice


def test_suggestions_not_accepted_leave_the_form_as_typed_and_say_so(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    def officer(dialog: DocumentDialog) -> None:
        dialog.kind.setCurrentIndex(dialog.kind.findData(DocumentKind.OTHER.value))
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _answer(monkeypatch, officer)
    panel = _panel(qtbot, window)
    _attach(qtbot, panel, tmp_path)
    record = list_documents(wb, REF)[0]
    assert record.kind is DocumentKind.OTHER and record.valid_until is None and not record.assurances
    notice = recorder.texts(messages.Level.INFO)[-1]
    assert "Nothing was filled in" in notice and "Valid until 2027-11-01" in notice


def test_cancelling_the_form_attaches_nothing(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, lambda dialog: qtbot.keyClick(dialog, Qt.Key.Key_Escape))
    panel = _panel(qtbot, window)
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf(EUC))
    wait_op(qtbot, panel.ask_and_attach(pdf))
    assert list_documents(wb, REF) == []


def test_a_refused_file_is_reported_before_the_form_opens(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, recorder: messages.RecordingSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = _answer(monkeypatch, lambda dialog: None)
    panel = _panel(qtbot, window)
    bad = tmp_path / "notes.pdf"
    bad.write_text("just text, not a PDF")
    wait_op(qtbot, panel.ask_and_attach(bad), "failed")
    assert not shown
    assert recorder.texts(messages.Level.ERROR)[-1].startswith("notes.pdf was not attached.")


def test_the_record_is_edited_after_attaching(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, lambda dialog: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    panel = _panel(qtbot, window)
    _attach(qtbot, panel, tmp_path)
    assert list_documents(wb, REF)[0].valid_until is None

    def edit(dialog: DocumentDialog) -> None:
        assert dialog.windowTitle() == "Edit the record of euc.pdf" and dialog.ok_button.text() == "Save record"
        assert dialog.kind.currentData() == DocumentKind.EUC.value  # the record as it is
        assert _labels(dialog)  # the stored PDF's suggestions are offered here too
        dialog.kind.setCurrentIndex(dialog.kind.findData(DocumentKind.BIS_711.value))
        dialog.expires_on.enabled.setChecked(True)
        dialog.expires_on.date.setDate(date(2027, 6, 30))
        for i in range(dialog.parties.count()):
            if dialog.parties.item(i).data(Qt.ItemDataRole.UserRole) == END_USER:
                dialog.parties.item(i).setCheckState(Qt.CheckState.Checked)
        for i in range(dialog.assurances.count()):
            if dialog.assurances.item(i).data(Qt.ItemDataRole.UserRole) == Assurance.NO_REEXPORT.value:
                dialog.assurances.item(i).setCheckState(Qt.CheckState.Checked)
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    _answer(monkeypatch, edit)
    panel.table.selectRow(0)
    assert panel.edit_button.isEnabled()
    qtbot.mouseClick(panel.edit_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, panel.op)
    record = list_documents(wb, REF)[0]
    assert record.kind is DocumentKind.BIS_711 and record.valid_until == date(2027, 6, 30)
    assert record.covers_parties == (END_USER,) and record.assurances == (Assurance.NO_REEXPORT,)
    assert panel.model.text(0, Column.VALID_UNTIL) == "2027-06-30"
    assert any("valid_until" in str(entry) for entry in case_history(wb, REF))
    editor = window.current_editor()
    assert editor is not None and not editor.is_dirty


def test_cancelling_an_edit_changes_nothing(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _answer(monkeypatch, lambda dialog: qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton))
    panel = _panel(qtbot, window)
    _attach(qtbot, panel, tmp_path)
    before = list_documents(wb, REF)

    def cancel(dialog: DocumentDialog) -> None:
        dialog.note.setText("changed my mind")
        dialog.reject()

    _answer(monkeypatch, cancel)
    panel.table.selectRow(0)
    assert not panel.edit_selected()
    assert list_documents(wb, REF) == before
