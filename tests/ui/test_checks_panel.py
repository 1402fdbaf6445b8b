"""The Checks panel: banner words and colour, what-if posture and as-of date, red-flag answers saved with undo."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.case import RedFlagAnswerValue
from workbench.domain.determination import Posture
from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels import CasePanels
from workbench.ui.panels.checks import BANNER_COLOURS, ChecksPanel

from .conftest import wait_op

pytestmark = pytest.mark.gui


def _panels(window: MainWindow, reference: str) -> CasePanels:
    editor = window.open_case(reference)
    assert editor is not None
    return window.panels_for(editor)


def _checks(qtbot: QtBot, window: MainWindow, reference: str) -> ChecksPanel:
    panel = _panels(window, reference).checks
    wait_op(qtbot, panel.run_checks())
    return panel


def test_banner_shows_a_licence_required_case(qtbot: QtBot, qtmodeltester: object, listed_window: MainWindow) -> None:
    panel = _checks(qtbot, listed_window, "EC-2026-0044")
    assert panel.result is not None
    assert "Licence required" in panel.banner.text()
    assert panel.banner_colour() == BANNER_COLOURS[panel.result.outcome][0] == "#fef3c7"
    assert panel.model.rowCount() == len(panel.result.findings) > 0
    assert panel.open_items.count() == len(panel.result.open_items)
    assert "15 CFR" in panel.detail.toPlainText() or "§" in panel.detail.toPlainText()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_posture_and_as_of_change_the_result(qtbot: QtBot, listed_window: MainWindow) -> None:
    panel = _checks(qtbot, listed_window, "EC-2026-0042")
    assert panel.result is not None and panel.result.outcome.value == "nlr"
    assert "No licence required" in panel.banner.text()
    enforced_colour = panel.banner_colour()

    panel.posture.setCurrentIndex(panel.posture.findData(Posture.CODIFIED.value))
    wait_op(qtbot, panel.op)
    assert panel.result.posture is Posture.CODIFIED
    assert "Licence exception available" in panel.banner.text()
    assert "what-if" in panel.banner.text()
    assert panel.banner_colour() != enforced_colour

    panel.use_transaction_date.setChecked(False)
    wait_op(qtbot, panel.op)
    qtbot.keyClick(panel.as_of.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.as_of.line, "2024-01-02")  # the year typed, digit by digit
    wait_op(qtbot, panel.op)
    assert panel.result.as_of == date(2024, 1, 2)
    assert "As of 2024-01-02" in panel.banner.text()


def test_red_flag_answers_are_undoable_and_saved(qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench) -> None:
    editor = listed_window.open_case("EC-2026-0042")
    assert editor is not None
    checklist = listed_window.panels_for(editor).checks.red_flags
    assert "kyc-01" in checklist.answers and len(checklist.flags) > 13  # advanced computing adds diversion flags
    checklist.set_answer("kyc-01", "no", "Checked the denied-persons list")
    checklist.set_answer("kyc-02", "unknown")
    assert editor.is_dirty and "1 answered yes or unknown" in checklist.summary.text()
    editor.undo_stack.undo()
    assert editor.red_flag("kyc-02") is None
    assert checklist.answers["kyc-02"].currentData() == ""
    editor.undo_stack.redo()
    assert checklist.answers["kyc-02"].currentData() == "unknown"
    assert editor.save()
    stored = {a.flag_id: a for a in get_case(listed_wb, "EC-2026-0042").red_flags}
    assert stored["kyc-01"].answer is RedFlagAnswerValue.NO
    assert stored["kyc-01"].note == "Checked the denied-persons list"
    assert stored["kyc-02"].answer is RedFlagAnswerValue.UNKNOWN
    assert not editor.is_dirty
