"""The History panel lists the case's audit entries: who, when, field, before → after, reason."""

from __future__ import annotations

import pytest
from pytestqt.qtbot import QtBot

from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.history import Column, value_text

pytestmark = pytest.mark.gui


def test_history_lists_edits_newest_first(qtbot: QtBot, qtmodeltester: object, window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    editor.general.title.clear()
    qtbot.keyClicks(editor.general.title, "Retitled for the audit")
    assert editor.save()
    panel = window.panels_for(editor).history
    editor.tabs.setCurrentWidget(panel)  # showing the panel loads it
    assert panel.model.rowCount() >= 1
    fields = [panel.model.text(r, Column.FIELD) for r in range(panel.model.rowCount())]
    assert "title" in fields
    row = fields.index("title")
    assert panel.model.text(row, Column.CHANGE).endswith("→ Retitled for the audit")
    assert panel.model.text(row, Column.OFFICER) == "Test Officer"
    assert "recorded change" in panel.summary.text()
    qtmodeltester.check(panel.model)  # type: ignore[attr-defined]


def test_values_are_one_short_line() -> None:
    assert value_text(None) == "—"
    assert value_text({"b": 1, "a": [1, 2]}) == '{"a": [1, 2], "b": 1}'
    assert len(value_text("x" * 500)) == 120
