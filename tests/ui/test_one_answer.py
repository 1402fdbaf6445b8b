"""No two parts of the app give different answers: expiring documents, open hits, never-screened cases."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from tests.helpers.pdfs import text_pdf
from workbench.services import Workbench
from workbench.services.documents import expiring
from workbench.ui.mainwindow import MainWindow
from workbench.ui.models.caselist import Column

from .conftest import wait_op

pytestmark = pytest.mark.gui


def test_an_euc_expiring_soon_is_flagged_by_the_documents_panel_and_the_dashboard(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, tmp_path: Path
) -> None:
    window, wb = listed_window, listed_wb  # the small list: the Dashboard's checks need no full list import
    soon = date.today() + timedelta(days=18)
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    panel = window.panels_for(editor).documents
    wait_op(qtbot, panel.op)
    pdf = tmp_path / "euc.pdf"
    pdf.write_bytes(text_pdf("END-USER CERTIFICATE\nEnd user: Nusantara Compute Sdn Bhd"))
    metadata = {"kind": "euc", "signed_on": date(2026, 1, 5), "expires_on": soon}
    wait_op(qtbot, panel.attach_path(pdf, metadata))
    wait_op(qtbot, panel.op)
    warnings = [panel.issues.item(i).text() for i in range(panel.issues.count())]
    assert f"Document 1 (euc.pdf): expires on {soon.isoformat()}, in 18 days; ask for a renewal in time." in warnings
    assert "No warnings about the documents." not in warnings
    flagged = [(d.reference, d.position, d.days_left) for d in expiring(wb)]
    assert ("EC-2026-0042", 1, 18) in flagged, "doc expiring gives the same answer"
    view = window.show_dashboard()
    wait_op(qtbot, view.hits_op)
    rows = {
        (view.expiring_model.key_at(r), view.expiring_model.text(r, 3)) for r in range(view.expiring_model.rowCount())
    }
    assert ("EC-2026-0042", "18") in rows


def test_the_dashboards_hits_and_open_items_read_the_same_screening(qtbot: QtBot, listed_window: MainWindow) -> None:
    view = listed_window.show_dashboard()  # nothing screened yet: no stored hits anywhere
    wait_op(qtbot, view.hits_op)
    items = [(view.items_model.key_at(r), view.items_model.text(r, 1)) for r in range(view.items_model.rowCount())]
    assert any(ref == "EC-2026-0049" and "Entity List" in text for ref, text in items)
    hits = {(view.hits_model.key_at(r), view.hits_model.text(r, 2)) for r in range(view.hits_model.rowCount())}
    assert ("EC-2026-0049", "Harbin Institute of Technology") in hits
    assert "No open hits" not in view.hits_label.text()
    assert ("EC-2026-0049", "Never screened: screen its parties in the Screening tab") in items
    assert "Never screened: " in view.hits_label.text() and "EC-2026-0049" in view.hits_label.text()


def test_a_case_never_screened_is_marked_in_the_case_list(qtbot: QtBot, listed_window: MainWindow) -> None:
    model = listed_window.model

    def status_of(reference: str) -> str:
        row = next(r for r in range(model.rowCount()) if model.reference_at(r) == reference)
        return str(model.index(row, Column.STATUS).data())

    assert status_of("EC-2026-0049").endswith("· never screened")
    editor = listed_window.open_case("EC-2026-0049")
    assert editor is not None
    panel = listed_window.panels_for(editor).screening
    qtbot.mouseClick(panel.rescreen_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, panel.op)
    listed_window.cases.refresh()
    assert "never screened" not in status_of("EC-2026-0049")
