"""The app speaks British English and in words: outcome labels, undo steps, tab titles."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QTabWidget, QWidget
from pytestqt.qtbot import QtBot

from workbench.domain.determination import Outcome, outcome_label
from workbench.services import Workbench
from workbench.ui.mainwindow import MainWindow
from workbench.ui.models.caselist import Column

from .cells import type_into_cell

pytestmark = pytest.mark.gui

AMERICAN = re.compile(r"licen[sc]e_\w+|\blicense\b(?! exception [A-Z])|\bauthoriz", re.IGNORECASE)
STRAY_MNEMONIC = re.compile(r"(?<!&)&(?=\s|$)")


def _texts(root: QWidget) -> list[str]:
    texts = []
    for widget in root.findChildren(QWidget):
        if isinstance(widget, QLabel | QAbstractButton):
            texts.append(widget.text())
        elif isinstance(widget, QGroupBox):
            texts.append(widget.title())
        if isinstance(widget, QTabWidget):
            texts.extend(widget.tabText(i) for i in range(widget.count()))
    return texts


def test_outcome_labels_come_from_one_mapping() -> None:
    assert outcome_label("license_required") == "Licence required"
    assert outcome_label("nlr") == Outcome.NLR.label
    assert outcome_label(None) == ""
    assert outcome_label("provisional") == "Provisional", "an outcome without a label yet still reads as words"
    for outcome in Outcome:
        assert not AMERICAN.search(outcome.label), outcome.label


def test_the_case_list_shows_outcomes_in_british_english(qtbot: QtBot, window: MainWindow, wb: Workbench) -> None:
    from workbench.services.cases import list_cases

    determined = [r for r in list_cases(wb, limit=100).rows if r.outcome]
    model = window.model
    shown = {model.index(r, Column.OUTCOME).data() for r in range(model.rowCount())}
    assert all(not AMERICAN.search(text) for text in shown), shown
    assert {outcome_label(r.outcome) for r in determined} <= shown


def test_tabs_buttons_and_labels_have_no_stray_ampersand_or_american_licence(qtbot: QtBot, window: MainWindow) -> None:
    window.show_licences()
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    texts = _texts(window)
    assert "Applications && Licences" in [window.editors.tabText(i) for i in range(window.editors.count())]
    for text in texts:
        assert not STRAY_MNEMONIC.search(text), f"{text!r} shows an underscore instead of an ampersand"
        assert not AMERICAN.search(text), text


def test_undo_names_every_edit_in_words(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    stack = editor.undo_stack
    box = editor.general.flags["end_use.iaas"]
    assert box.isVisible(), "the General tab shows first"
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert stack.undoText() == "Edit end use: infrastructure as a service (IaaS)"
    assert window.commands.undo.text() == "&Undo Edit end use: infrastructure as a service (IaaS)"
    qtbot.keyClicks(editor.general.title, " v2")
    assert stack.undoText() == "Edit title"
    editor.tabs.setCurrentWidget(editor.items_page)
    type_into_cell(qtbot, editor.items_page.table, editor.items.index(0, editor.items.column_of("tpp")), "100")
    assert stack.undoText() == "Edit item 1: TPP"
    for command in (editor.undo_stack.command(i) for i in range(editor.undo_stack.count())):
        assert "." not in command.text() and "_" not in command.text(), command.text()
