"""The Documents panel: attach with metadata, verified preview, tampering shown and refused on open."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.helpers.pdfs import text_pdf
from workbench.documents.filestore import DocumentStore
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.documents import Column, DocumentsPanel

from .conftest import wait_op

pytestmark = pytest.mark.gui

REF = "EC-2026-0042"
METADATA = {
    "kind": "euc",
    "issuer": "Nusantara Compute Sdn Bhd",
    "signed_on": date(2026, 2, 1),
    "expires_on": date(2027, 2, 1),
    "note": "Original received by courier",
}


def _attached(qtbot: QtBot, window: MainWindow, tmp_path: Path) -> DocumentsPanel:
    editor = window.open_case(REF)
    assert editor is not None
    panel = window.panels_for(editor).documents
    wait_op(qtbot, panel.op)
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf("END-USER CERTIFICATE\nEnd user: Nusantara Compute Sdn Bhd\nDate: 2026-02-01"))
    wait_op(qtbot, panel.attach_path(pdf, METADATA))
    wait_op(qtbot, panel.op)
    return panel


def test_attach_and_preview(
    qtbot: QtBot, qtmodeltester: object, window: MainWindow, wb: Workbench, tmp_path: Path,
    recorder: messages.RecordingSink,
) -> None:  # fmt: skip
    panel = _attached(qtbot, window, tmp_path)
    assert panel.model.rowCount() == 1
    assert panel.model.text(0, Column.FILE) == "euc.pdf"
    assert panel.model.text(0, Column.INTEGRITY) == "Verified"
    assert panel.model.text(0, Column.VALID_UNTIL) == "2027-02-01"
    assert "attached as document 1" in recorder.texts(messages.Level.INFO)[-1]
    preview = panel.preview_selected()
    assert preview is not None and preview.intact and preview.pages == 1
    assert "END-USER CERTIFICATE" in preview.first_page_text
    assert "verified" in panel.preview_title.text()
    # The page itself, rendered by QtPdf: a white page with dark text on it.
    assert panel.preview.currentWidget() is panel.pdf and panel.pdf.page_count == 1
    page = panel.pdf.rendered().toImage()
    assert not page.isNull() and page.height() > page.width()  # portrait, fitted to the panel
    dark = sum(
        1
        for x in range(0, page.width(), 2)
        for y in range(0, page.height() // 4, 2)
        if page.pixelColor(x, y).lightness() < 100
    )
    assert dark > 10
    editor = window.current_editor()
    assert editor is not None and editor.base_case.version == get_case(wb, REF).version
    assert not editor.is_dirty
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_pdf_preview_falls_back_to_text_without_qtpdf(
    qtbot: QtBot, window: MainWindow, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("workbench.ui.widgets.pdfpreview.PDF_DOCUMENT", None)
    panel = _attached(qtbot, window, tmp_path)
    panel.preview_selected()
    assert panel.preview.currentWidget() is panel.text
    assert "END-USER CERTIFICATE" in panel.text.toPlainText()


def test_tampering_is_shown_and_opening_is_refused(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    panel = _attached(qtbot, window, tmp_path)
    sha = get_case(wb, REF).documents[0].sha256
    stored = DocumentStore().path_for(sha)
    stored.chmod(0o644)
    stored.write_bytes(stored.read_bytes().replace(b"Nusantara", b"Elsewhere"))
    wait_op(qtbot, panel.refresh())
    assert panel.model.text(0, Column.INTEGRITY) == "TAMPERED"
    warnings = [panel.issues.item(i).text() for i in range(panel.issues.count())]
    assert any("SHA-256" in w or "tamper" in w.lower() for w in warnings), warnings
    assert "TAMPERED" in panel.preview_title.text()
    assert "not opened" in panel.text.toPlainText()
    assert panel.open_selected() is None
    assert "TAMPERED" in recorder.texts(messages.Level.ERROR)[-1] or "tamper" in recorder.texts()[-1].lower()


def test_remove_asks_for_a_reason(
    qtbot: QtBot, window: MainWindow, wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    panel = _attached(qtbot, window, tmp_path)
    monkeypatch.setattr("workbench.ui.panels.documents.ask_reason", lambda parent, label: ("Wrong file", True))
    assert panel.remove_selected()
    wait_op(qtbot, panel.op)
    assert panel.model.rowCount() == 0
    assert get_case(wb, REF).documents == ()


def test_a_missing_removal_reason_is_said_in_the_dialog(qtbot: QtBot) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QDialogButtonBox

    from workbench.ui.dialogs.reason import ReasonDialog

    dialog = ReasonDialog(None, "Why is euc.pdf removed from the case?")
    qtbot.addWidget(dialog)
    dialog.show()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.result() != dialog.DialogCode.Accepted
    assert dialog.message.isVisible() and "Give the reason" in dialog.message.text()
    qtbot.keyClicks(dialog.reason, "Superseded by the renewed EUC")
    assert not dialog.message.isVisible()
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.text() == "Superseded by the renewed EUC"
