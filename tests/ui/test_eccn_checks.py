"""An ECCN is checked against the CCL where it is typed, and one contradicting the item's TPP/PD is a warning."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.services.reference import eccn_problem
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.mainwindow import MainWindow

from .cells import type_into_cell

pytestmark = pytest.mark.gui


def _type(qtbot: QtBot, editor: CaseEditor, key: str, text: str, row: int = 0) -> None:
    editor.tabs.setCurrentWidget(editor.items_page)
    type_into_cell(qtbot, editor.items_page.table, editor.items.index(row, editor.items.column_of(key)), text)


@pytest.mark.parametrize(
    ("eccn", "words"),
    [
        ("3A999.z", "3A999.z is not a paragraph of 3A999 on the Commerce Control List; did you mean 3A999."),
        ("3A998", "3A998 is not an entry on the Commerce Control List; the nearest entries are"),
    ],
)
def test_ccl_lookup_refuses_what_is_not_on_the_list(eccn: str, words: str) -> None:
    problem = eccn_problem(eccn)
    assert problem is not None and problem.startswith(words), problem


@pytest.mark.parametrize("eccn", ["3A090.a", "3A999.a", "5A992.c", "4A090.a", "5A992.z.1", "0Y521", "EAR99"])
def test_real_classifications_pass(eccn: str) -> None:
    assert eccn_problem(eccn) is None


def test_an_eccn_not_on_the_ccl_is_refused_in_the_items_table(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    _type(qtbot, editor, "eccn", "3A999.z")
    eccn = editor.items.index(0, editor.items.column_of("eccn"))
    heading = editor.items.index(0, editor.items.column_of("heading"))
    assert "did you mean 3A999." in eccn.data(Qt.ItemDataRole.ToolTipRole)
    assert heading.data().startswith("Not on the Commerce Control List")
    assert "3A999.z is not a paragraph of 3A999" in editor.items_page.problems.text()
    assert not editor.is_valid and not window.commands.save.isEnabled()
    _type(qtbot, editor, "eccn", "3A999.a")
    assert editor.is_valid and heading.data().startswith("Specific Processing Equipment")


def test_an_eccn_contradicting_the_figures_is_a_warning_on_the_item(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    assert editor.items.rows()[0]["tpp"] == "15832"
    _type(qtbot, editor, "eccn", "5A992.c")
    eccn = editor.items.index(0, editor.items.column_of("eccn"))
    tip = eccn.data(Qt.ItemDataRole.ToolTipRole)
    assert tip.startswith("The item is classified 5A992.c, but") and "3A090.a-level" in tip
    assert "Item 1, ECCN (warning): The item is classified 5A992.c" in editor.items_page.problems.text()
    assert editor.is_valid, "a warning does not block saving"
    _type(qtbot, editor, "eccn", "4A090.a")
    assert "warning" not in editor.items_page.problems.text()
