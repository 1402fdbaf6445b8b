"""The History panel tells the audit trail in words, one group per save, newest first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.audit import AuditEntry
from workbench.ui.mainwindow import MainWindow
from workbench.ui.panels.history import Column
from workbench.ui.panels.historywords import change_sentence, group_entries, value_words

from .cells import type_into_cell

pytestmark = pytest.mark.gui


def _entry(
    seq: int, field: str, before: object, after: object, *, at: str = "t1", action: str = "update"
) -> AuditEntry:
    return AuditEntry(seq, at, "Ann", "case", "EC-1", action, field, before, after, "", "", "")


def test_a_save_is_one_group_of_sentences_newest_first(qtbot: QtBot, window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    editor.general.title.clear()
    qtbot.keyClicks(editor.general.title, "Retitled for the audit")
    editor.tabs.setCurrentWidget(editor.parties_page)
    type_into_cell(
        qtbot, editor.parties_page.table, editor.parties.index(0, editor.parties.column_of("address")), "1 Main St"
    )
    window.commands.save.trigger()
    panel = window.panels_for(editor).history
    editor.tabs.setCurrentWidget(panel)  # showing the panel loads it
    newest = panel.tree.topLevelItem(0)
    assert newest is not None and newest.isExpanded()
    assert newest.text(Column.WHAT) == "Saved changes (2 changes)"
    assert newest.text(Column.OFFICER) == "Test Officer"
    sentences = [newest.child(i).text(Column.WHAT) for i in range(newest.childCount())]
    assert any(s.startswith("Title: ") and s.endswith("→ Retitled for the audit") for s in sentences), sentences
    assert any(s.startswith("Party 1, address: ") and s.endswith("→ 1 Main St") for s in sentences), sentences
    oldest = panel.tree.topLevelItem(panel.tree.topLevelItemCount() - 1)
    assert oldest is not None and oldest.text(Column.WHAT) == "Created the case"
    for row in range(panel.tree.topLevelItemCount()):
        group = panel.tree.topLevelItem(row)
        assert group is not None
        for text in [group.child(i).text(Column.WHAT) for i in range(group.childCount())]:
            assert "{" not in text and "[" not in text and "_" not in text, text
    assert "recorded action" in panel.summary.text()
    panel.tree.collapseItem(newest)
    panel.tree.setCurrentItem(newest)
    qtbot.keyClick(panel.tree, Qt.Key.Key_Right)  # the keyboard opens a group, as a click on its arrow does
    assert newest.isExpanded()


def test_changes_read_as_words() -> None:
    assert change_sentence(_entry(1, "destination", "MY", "SG")) == "Destination: Malaysia (MY) → Singapore (SG)"
    assert change_sentence(_entry(1, "end_use.iaas", False, True)) == (
        "End use: infrastructure as a service (IaaS): no → yes"
    )
    assert change_sentence(_entry(1, "parties[1].listed_on", [], ["entity_list"])) == (
        "Party 2, listed on: (none) → Entity List"
    )
    assert value_words("x" * 500).endswith("…") and len(value_words("x" * 500)) == 160
    groups = group_entries(
        [_entry(1, "title", "a", "b"), _entry(2, "destination", "MY", "SG"), _entry(3, "title", "b", "c", at="t2")]
    )
    assert [len(g.changes) for g in groups] == [2, 1]
