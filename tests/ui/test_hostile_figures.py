"""Hostile figures typed into the case editor: the same domain bounds as a case file, shown next to the item."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui import messages
from workbench.ui.caseeditor import CaseEditor

pytestmark = pytest.mark.gui

REF = "EC-2026-0042"


@pytest.mark.parametrize(
    ("key", "value", "fragment"),
    [
        ("quantity", "1" + "0" * 5000, "quantity must be at most 1,000,000,000,000 (got 1.000E+5000)"),
        ("quantity", "1.0000001", "more than 6 decimal places"),
        ("unit_value", "1e308", "must be at most 1,000,000,000,000"),
        ("tpp", "inf", "must be a finite number"),
        ("tpp", "1e300", "must be at most 10,000,000"),
        ("performance_density", "nan", "must be a finite number"),
    ],
)
def test_hostile_figures_block_the_save_and_say_why(
    qtbot: QtBot, wb: Workbench, recorder: messages.RecordingSink, key: str, value: str, fragment: str
) -> None:
    before = get_case(wb, REF)
    editor = CaseEditor(wb, before, autosave_seconds=3600)
    qtbot.addWidget(editor)
    editor.show()
    assert editor.items.setData(editor.items.index(0, editor.items.column_of(key)), value, Qt.ItemDataRole.EditRole)
    assert not editor.is_valid
    problem = editor.items_page.problems.text()
    assert problem.startswith("Item 1, ") and fragment in problem and len(problem) < 300, problem
    assert not editor.save()
    assert get_case(wb, REF) == before
