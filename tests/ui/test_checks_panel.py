"""The Checks panel: banner words and colour, what-if posture and as-of date, red-flag answers saved with undo."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QScrollArea, QWidget
from pytestqt.qtbot import QtBot

from workbench.domain.case import RedFlagAnswerValue
from workbench.domain.determination import Outcome, Posture, Standing
from workbench.services import Workbench
from workbench.services.cases import create_case, get_case
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels import CasePanels
from workbench.ui.panels.checks import BANNER_COLOURS, OPEN_BANNER, ChecksPanel

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
    assert panel.result is not None and panel.result.outcome.value == "nlr" and panel.result.open_items
    # Nothing requires a licence so far, but items are open: the banner says open, never NLR on green.
    count = len(panel.result.open_items)
    assert f"Open items: {count} — outcome not yet determined" in panel.banner.text()
    assert "No licence required" not in panel.banner.text()
    assert panel.banner_colour() == OPEN_BANNER[0] != BANNER_COLOURS[Outcome.NLR][0]

    panel.posture.setCurrentIndex(panel.posture.findData(Posture.CODIFIED.value))
    wait_op(qtbot, panel.op)
    assert panel.result.posture is Posture.CODIFIED
    assert panel.result.outcome is Outcome.LICENSE_EXCEPTION
    assert "outcome not yet determined" in panel.banner.text() and "Licence exception" not in panel.banner.text()
    assert "what-if" in panel.banner.text()
    rows = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert any(row.startswith("Licence exception available") for row in rows)

    panel.use_transaction_date.setChecked(False)
    wait_op(qtbot, panel.op)
    qtbot.keyClick(panel.as_of.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(panel.as_of.line, "2024-01-02")  # the year typed, digit by digit
    wait_op(qtbot, panel.op)
    assert panel.result.as_of == date(2024, 1, 2)
    assert "As of 2024-01-02" in panel.banner.text()


def test_unresolved_hit_gives_a_provisional_banner(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench
) -> None:
    """An end user named like an Entity List entry, not yet decided: licence required if confirmed."""
    base = get_case(listed_wb, "EC-2026-0042")
    end_user = dataclasses.replace(base.parties[-1], name="Huawei Technologies Co., Ltd.", listed_on=())
    create_case(
        listed_wb,
        dataclasses.replace(base, reference="EC-2026-0990", parties=(*base.parties[:-1], end_user), version=0),
    )
    panel = _checks(qtbot, listed_window, "EC-2026-0990")
    assert panel.result is not None and panel.result.standing is Standing.PROVISIONAL
    position = len(base.parties)
    text = panel.banner.text()
    assert "Provisional: licence required if the Entity List match for party" in text
    assert f"party {position} (Huawei Technologies Co., Ltd.) is confirmed" in text
    assert "No licence required" not in text
    assert panel.banner_colour() == BANNER_COLOURS[Outcome.LICENSE_REQUIRED][0]
    rows = [panel.model.index(r, 0).data() for r in range(panel.model.rowCount())]
    assert "Licence required if confirmed (provisional)" in rows
    assert not any(row.startswith("No licence required") and "needs review" in row for row in rows)


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


def _wheel(widget: QWidget, steps: int) -> bool:
    """A real wheel event over the middle of ``widget``, delivered as Qt delivers one from the mouse."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(
        centre,
        QPointF(widget.mapToGlobal(centre.toPoint())),
        QPoint(0, 0),
        QPoint(0, -120 * steps),
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
        Qt.ScrollPhase.NoScrollPhase,
        False,
    )
    return QApplication.sendEvent(widget, event)


def test_scrolling_the_checklist_never_changes_an_answer(qtbot: QtBot, listed_window: MainWindow) -> None:
    listed_window.resize(900, 520)
    editor = listed_window.open_case("EC-2026-0042")
    assert editor is not None
    panel = listed_window.panels_for(editor).checks
    editor.tabs.setCurrentWidget(panel)
    wait_op(qtbot, panel.op)  # showing the panel runs the checks, which lay the checklist out again
    panel.tabs.setCurrentWidget(panel.red_flags)
    checklist = panel.red_flags
    checklist.set_answer("kyc-01", "no")
    combo = checklist.answers["kyc-01"]
    qtbot.waitUntil(combo.isVisible)
    scroll = checklist.findChild(QScrollArea)
    assert scroll is not None and scroll.verticalScrollBar().maximum() > 0  # the checklist does scroll
    listed_window.activateWindow()
    panel.run_button.setFocus()
    assert not combo.hasFocus()
    before = scroll.verticalScrollBar().value()

    for _ in range(3):
        _wheel(combo, 1)
    assert combo.currentData() == "no" and editor.red_flag("kyc-01") == ("no", "")
    assert scroll.verticalScrollBar().value() > before  # the wheel scrolled the checklist instead
    assert combo.focusPolicy() == Qt.FocusPolicy.StrongFocus

    combo.setFocus()  # once the officer has chosen the box, the wheel may change it
    qtbot.waitUntil(combo.hasFocus)
    _wheel(combo, 1)
    assert combo.currentData() != "no"
