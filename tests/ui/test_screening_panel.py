"""The Screening panel: hits with their explanation, decisions with reasons, rescreening off the GUI thread."""

from __future__ import annotations

from dataclasses import replace

import pytest
from pytestqt.qtbot import QtBot

from workbench.domain.case import Party, PartyRole
from workbench.services import Workbench
from workbench.services.cases import get_case, save_case
from workbench.services.screening import case_hits
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.screening import Column, ScreeningPanel
from workbench.ui.widgets.explanation import HOW_COLOURS, explanation_html

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
    assert "Rescreen" in panel.version_label.text()
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
    panel.reason.setText("no")
    assert not panel.decide_false_positive()
    assert "reason" in recorder.texts(messages.Level.ERROR)[0].lower()
    panel.reason.setText("Same university, same address in Harbin")
    assert panel.decide_true_match()
    assert panel.model.text(0, Column.DECISION) == "True match"
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
