"""The Screening panel: hits with their explanation, decisions with reasons, rescreening off the GUI thread."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.case import Party, PartyRole
from workbench.services import Workbench
from workbench.services.cases import get_case, save_case
from workbench.services.screening import case_hits
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.screening import Column, ScreeningPanel
from workbench.ui.widgets.explanation import HOW_COLOURS, explanation_html

from .cells import type_into_cell
from .conftest import wait_op

pytestmark = pytest.mark.gui

REF = "EC-2026-0049"


def _panel(window: MainWindow, reference: str = REF) -> ScreeningPanel:
    editor = window.open_case(reference)
    assert editor is not None
    return window.panels_for(editor).screening


def test_rescreen_shows_hits_with_the_list_version(
    qtbot: QtBot, qtmodeltester: object, listed_window: MainWindow
) -> None:
    panel = _panel(listed_window)
    assert panel.model.rowCount() == 0
    assert panel.version_label.text().startswith("Never screened")
    wait_op(qtbot, panel.rescreen())
    assert panel.model.rowCount() == 1
    assert panel.model.text(0, Column.LISTED_NAME) == "Harbin Institute of Technology"
    assert panel.model.text(0, Column.LIST) == "EL"
    assert panel.model.text(0, Column.SCORE) == "1.00"
    assert panel.model.text(0, Column.DECISION) == "Open: decide"
    assert "csl-small.csv" in panel.version_label.text() and "1 still to decide" in panel.version_label.text()
    shown = panel.explanation.toPlainText()
    assert "harbin" in shown and "Listed name" in shown and "+0.63" in shown, shown
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_decisions_need_a_reason_and_are_stored(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, recorder: messages.RecordingSink
) -> None:
    panel = _panel(listed_window)
    wait_op(qtbot, panel.rescreen())
    qtbot.keyClicks(panel.reason, "no")
    qtbot.mouseClick(panel.false_button, Qt.MouseButton.LeftButton)
    assert not recorder.messages, "a missing reason is said inline, not in a dialog"
    assert panel.reason_error.isVisibleTo(panel) and "reason" in panel.reason_error.text().lower()
    assert case_hits(listed_wb, REF)[0].disposition is None
    panel.reason.clear()
    qtbot.keyClicks(panel.reason, "Same university, same address in Harbin")
    assert not panel.reason_error.isVisibleTo(panel), "typing clears the message"
    qtbot.mouseClick(panel.true_button, Qt.MouseButton.LeftButton)
    assert panel.model.text(0, Column.DECISION).startswith("True match · Test Officer, ")
    stored = case_hits(listed_wb, REF)
    assert stored[0].is_true_match and stored[0].disposition is not None
    assert stored[0].disposition.reason == "Same university, same address in Harbin"
    assert "0 still to decide" in panel.version_label.text()


def test_a_misspelt_party_draws_fuzzy_tokens(qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench) -> None:
    case = get_case(listed_wb, "EC-2026-0043")
    extra = Party(role=PartyRole.END_USER, name="Harbin Institue of Technolgy", country="CN")
    save_case(listed_wb, replace(case, parties=(*case.parties, extra)))
    panel = _panel(listed_window, "EC-2026-0043")
    wait_op(qtbot, panel.rescreen())
    assert panel.model.rowCount() >= 1
    hit = panel.selected_hit()
    assert hit is not None and hit.party_name == "Harbin Institue of Technolgy"
    hows = {t["how"] for t in hit.explanation["tokens"]}
    assert hows - {"exact"}, "the misspelt words should match by another method than exact"
    html = explanation_html(hit.explanation, hit.party_name, hit.entry_name)
    for how in hows - {None}:
        assert HOW_COLOURS[how][0] in html


def test_explanation_without_tokens_says_so() -> None:
    assert "rescreen" in explanation_html({}).lower()


def test_the_list_entry_and_the_decision_are_shown(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench
) -> None:
    panel = _panel(listed_window)
    wait_op(qtbot, panel.rescreen())
    hit = panel.selected_hit()
    assert hit is not None
    entry = panel._entries[hit.key]
    shown = panel.entry_view.toPlainText()
    for name in entry.names:
        assert name in shown
    assert f"{hit.matched_name} (matched)" in shown
    for fact in (*entry.addresses, entry.federal_register_notice, entry.license_requirement, entry.license_policy):
        assert fact and fact in shown, fact
    assert entry.source_list_url and entry.source_list_url in panel.entry_view.toHtml()
    assert "Not decided yet" in shown
    qtbot.keyClicks(panel.reason, "Same university, same address in Harbin")
    qtbot.mouseClick(panel.false_button, Qt.MouseButton.LeftButton)
    shown = panel.entry_view.toPlainText()
    assert "False positive, decided by Test Officer on " in shown and "same address in Harbin" in shown


def test_a_screening_without_hits_says_when_and_against_which_list(
    qtbot: QtBot, listed_window: MainWindow
) -> None:
    panel = _panel(listed_window, "EC-2026-0042")
    assert panel.rescreen_button.text() == "&Screen parties"
    qtbot.mouseClick(panel.rescreen_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, panel.op)
    text = panel.version_label.text()
    assert panel.model.rowCount() == 0
    assert text.startswith("No hits. Screened on ") and "by Test Officer against" in text and "csl-small.csv" in text
    assert "No stored hits" not in text
    assert panel.rescreen_button.text() == "&Rescreen parties"


def test_a_new_case_shows_no_false_error_and_can_be_screened_once_saved(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, listed_window: MainWindow, recorder: messages.RecordingSink
) -> None:
    from datetime import date

    from workbench.domain.case import Case

    new = Case("EC-2026-0990", "Oscilloscopes", date(2026, 6, 1), "US", "CN")
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda _parent: (new, True))
    editor = listed_window.new_case()
    assert editor is not None
    assert not recorder.messages, recorder.messages
    panel = listed_window.panels_for(editor).screening
    assert not panel.rescreen_button.isEnabled() and "Save the case" in panel.version_label.text()
    listed_window.commands.save.trigger()
    assert not recorder.messages, recorder.messages
    assert panel.rescreen_button.isEnabled() and panel.version_label.text().startswith("Never screened")


def test_changed_parties_offer_a_rescreen(qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench) -> None:
    panel = _panel(listed_window)
    wait_op(qtbot, panel.rescreen())
    assert not panel.stale_bar.isVisibleTo(panel)
    editor = listed_window.current_editor()
    assert editor is not None
    editor.tabs.setCurrentWidget(editor.parties_page)
    index = editor.parties.index(0, editor.parties.column_of("name"))
    type_into_cell(qtbot, editor.parties_page.table, index, "Acme Compute Systems LLC")
    assert editor.parties.rows()[0]["name"] == "Acme Compute Systems LLC"
    listed_window.commands.save.trigger()
    assert panel.stale_bar.isVisibleTo(panel) and "changed after the last screening" in panel.stale_label.text()
    qtbot.mouseClick(panel.rescreen_now, Qt.MouseButton.LeftButton)
    wait_op(qtbot, panel.op)
    assert not panel.stale_bar.isVisibleTo(panel)
