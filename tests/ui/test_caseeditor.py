"""The case editor: round trip through the database, undo, validation, guard, conflicts and drafts."""

from __future__ import annotations

from dataclasses import replace

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.domain.case import PartyRole
from workbench.services import Workbench, open_workbench
from workbench.services.cases import get_case, save_case
from workbench.services.drafts import draft_path, load_draft
from workbench.ui import messages
from workbench.ui.caseeditor import CaseEditor

pytestmark = pytest.mark.gui

REF = "EC-2026-0042"


@pytest.fixture
def editor(qtbot: QtBot, wb: Workbench) -> CaseEditor:
    widget = CaseEditor(wb, get_case(wb, REF), autosave_seconds=3600)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def _set_cell(editor: CaseEditor, model_name: str, row: int, key: str, value: object) -> None:
    model = editor.parties if model_name == "parties" else editor.items
    assert model.setData(model.index(row, model.column_of(key)), value, Qt.ItemDataRole.EditRole)


def test_round_trip_with_undo_and_redo(qtbot: QtBot, editor: CaseEditor, wb: Workbench) -> None:
    original = get_case(wb, REF)
    editor.general.title.clear()
    qtbot.keyClicks(editor.general.title, "Edited title")
    assert editor.is_dirty
    parties_before = editor.parties.rowCount()
    editor.parties_page.add()
    new_row = editor.parties.rowCount() - 1
    _set_cell(editor, "parties", new_row, "name", "Freight Forwarder Sdn Bhd")
    _set_cell(editor, "parties", new_row, "country", "MY")
    _set_cell(editor, "parties", new_row, "role", PartyRole.INTERMEDIATE_CONSIGNEE.value)
    editor.items.add()
    _set_cell(editor, "items", 1, "description", "Spare fans")
    _set_cell(editor, "items", 1, "eccn", "EAR99")
    _set_cell(editor, "items", 1, "quantity", "4")
    editor.items.remove(0)
    assert editor.is_valid

    # Undo everything back to the saved state, then redo it all.
    steps = editor.undo_stack.index()
    while editor.undo_stack.canUndo():
        editor.undo_stack.undo()
    assert editor.general.title.text() == original.title
    assert editor.parties.rowCount() == parties_before
    assert editor.candidate() == original
    assert not editor.is_dirty
    for _ in range(steps):
        editor.undo_stack.redo()
    assert editor.parties.rowCount() == parties_before + 1

    assert editor.save()
    assert not editor.is_dirty
    stored = get_case(wb, REF)
    assert stored == editor.base_case
    assert stored.title == "Edited title"
    assert stored.parties[-1].name == "Freight Forwarder Sdn Bhd"
    assert stored.parties[-1].role is PartyRole.INTERMEDIATE_CONSIGNEE
    assert [i.description for i in stored.items] == ["Spare fans"]
    reopened = CaseEditor(wb, stored)
    qtbot.addWidget(reopened)
    assert reopened.candidate() == stored


def test_typing_merges_into_one_undo_step(qtbot: QtBot, editor: CaseEditor) -> None:
    qtbot.keyClicks(editor.general.title, "abc")
    assert editor.undo_stack.count() == 1
    editor.undo_stack.undo()
    assert not editor.is_dirty


def test_bad_eccn_shows_a_message_and_blocks_save(editor: CaseEditor, recorder: messages.RecordingSink) -> None:
    with_validity = []
    editor.validity_changed.connect(with_validity.append)
    _set_cell(editor, "items", 0, "eccn", "3A09")
    assert not editor.is_valid and with_validity == [False]
    assert "not a valid ECCN" in editor.items_page.problems.text()
    assert editor.items_page.problems.text().startswith("Item 1, ECCN:")
    index = editor.items.index(0, editor.items.column_of("eccn"))
    assert "not a valid ECCN" in index.data(Qt.ItemDataRole.ToolTipRole)
    assert editor.items.index(0, editor.items.column_of("heading")).data() == ""
    assert not editor.tabs.tabIcon(editor.tabs.indexOf(editor.items_page)).isNull()
    assert not editor.save()
    assert "cannot be saved" in recorder.texts(messages.Level.ERROR)[-1]
    _set_cell(editor, "items", 0, "eccn", "3a090.a")
    assert editor.is_valid and with_validity == [False, True]
    assert editor.items.index(0, editor.items.column_of("heading")).data().startswith("Integrated circuits")


def test_ics_per_unit_is_edited_checked_and_saved(editor: CaseEditor, wb: Workbench) -> None:
    assert editor.items.index(0, editor.items.column_of("ics_per_unit")).data() == "8"  # an 8-GPU board
    _set_cell(editor, "items", 0, "ics_per_unit", "eight")
    assert not editor.is_valid
    assert editor.items_page.problems.text().startswith("Item 1, ICs per unit:")
    _set_cell(editor, "items", 0, "ics_per_unit", "0")
    assert "between 1 and 100,000" in editor.items_page.problems.text()
    _set_cell(editor, "items", 0, "ics_per_unit", "4")
    assert editor.is_valid and editor.save()
    assert get_case(wb, REF).items[0].ics_per_unit == 4


def test_general_field_errors_show_next_to_each_field(qtbot: QtBot, editor: CaseEditor) -> None:
    editor.general.title.clear()
    qtbot.keyClicks(editor.general.title, " ")
    editor.general.destination.set_code("ZZ")
    assert editor.general.errors["title"].text() == "Is required and cannot be empty."
    assert "not an ISO 3166" in editor.general.errors["destination"].text()
    assert not editor.is_valid
    editor.undo_stack.undo()
    assert editor.general.errors["destination"].isHidden()
    assert not editor.general.errors["title"].isHidden()


def test_unsaved_changes_guard(
    qtbot: QtBot, editor: CaseEditor, recorder: messages.RecordingSink, wb: Workbench
) -> None:
    assert editor.confirm_close()  # nothing to ask about
    assert not recorder.messages
    qtbot.keyClicks(editor.general.title, " v2")
    recorder.save_answers.extend([messages.SaveChoice.CANCEL, messages.SaveChoice.SAVE])
    assert not editor.confirm_close()
    assert "unsaved changes" in recorder.messages[-1].text
    assert editor.confirm_close()
    assert get_case(wb, REF).title.endswith(" v2")


def test_conflict_on_save_is_explained_and_reload_offered(
    qtbot: QtBot, editor: CaseEditor, recorder: messages.RecordingSink, sqlite_url: str
) -> None:
    other = open_workbench(sqlite_url, officer="Colleague")
    try:
        theirs = get_case(other, REF)
        save_case(other, replace(theirs, title="Saved by a colleague"))
    finally:
        other.close()
    qtbot.keyClicks(editor.general.title, " (mine)")
    recorder.answers.append(True)  # yes, reload
    assert not editor.save()
    error = recorder.texts(messages.Level.ERROR)[-1]
    assert "was not saved" in error and "changed by someone else" in error
    assert "Reload case" in recorder.texts(messages.Level.QUESTION)[-1]
    assert editor.general.title.text() == "Saved by a colleague"
    assert not editor.is_dirty


def test_autosave_writes_a_draft_that_is_offered_on_reopen(
    qtbot: QtBot, wb: Workbench, recorder: messages.RecordingSink
) -> None:
    editor = CaseEditor(wb, get_case(wb, REF), autosave_seconds=1)
    qtbot.addWidget(editor)
    assert not editor.autosave()  # nothing to keep yet
    qtbot.keyClicks(editor.general.title, " draft")
    _set_cell(editor, "items", 0, "quantity", "not a number")  # drafts may be invalid
    qtbot.waitUntil(lambda: draft_path(REF).exists(), timeout=3000)
    draft = load_draft(REF)
    assert draft is not None and draft.state["general"]["title"].endswith(" draft")
    assert draft.base_version == get_case(wb, REF).version

    reopened = CaseEditor(wb, get_case(wb, REF), autosave_seconds=3600)
    qtbot.addWidget(reopened)
    recorder.answers.append(True)
    assert reopened.offer_draft()
    assert "were autosaved" in recorder.texts(messages.Level.QUESTION)[-1]
    assert reopened.general.title.text().endswith(" draft")
    assert not reopened.is_valid and reopened.is_dirty
    reopened.undo_stack.undo()  # the restore is one undoable step
    assert not reopened.is_dirty and reopened.is_valid

    third = CaseEditor(wb, get_case(wb, REF), autosave_seconds=3600)
    qtbot.addWidget(third)
    recorder.answers.append(False)  # declined: the draft is dropped
    assert not third.offer_draft()
    assert load_draft(REF) is None


def test_panels_slot_in_as_tabs(editor: CaseEditor) -> None:
    from PySide6.QtWidgets import QLabel

    index = editor.add_panel(QLabel("Screening results"), "Screening")
    assert editor.tabs.tabText(index) == "Screening"


def test_table_models_pass_the_model_tester(qtmodeltester: object, editor: CaseEditor) -> None:
    qtmodeltester.check(editor.parties)  # type: ignore[attr-defined]
    qtmodeltester.check(editor.items)  # type: ignore[attr-defined]
    editor.parties.add()
    editor.items.remove(0)
    qtmodeltester.check(editor.parties)  # type: ignore[attr-defined]
    qtmodeltester.check(editor.items)  # type: ignore[attr-defined]


def test_party_kind_is_chosen_and_saved_and_a_lying_name_is_flagged(editor: CaseEditor, wb: Workbench) -> None:
    kind = editor.parties.index(0, editor.parties.column_of("kind"))
    assert kind.data() == ""  # not recorded
    _set_cell(editor, "parties", 0, "kind", "entity")
    assert kind.data() == "Organisation"
    name = editor.parties.index(0, editor.parties.column_of("name"))
    assert name.data(Qt.ItemDataRole.BackgroundRole) is None
    _set_cell(editor, "parties", 0, "name", "Hu\u0430wei Technologies Co., Ltd.\u202e")
    warning = name.data(Qt.ItemDataRole.ToolTipRole)
    assert warning.startswith("Warning:") and "Cyrillic а for a" in warning and "U+202E" in warning
    assert name.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert editor.is_valid and editor.save()
    assert get_case(wb, REF).parties[0].kind == "entity"


def test_determined_case_header_and_revision_reason(
    qtbot: QtBot, wb: Workbench, recorder: messages.RecordingSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The header shows the stored status; saving a change to a determined case asks for a reason."""
    from workbench.domain.case import CaseStatus
    from workbench.services.audit import case_history
    from workbench.services.determinations import determine
    from workbench.ui.caseeditor import editor as editor_module

    widget = CaseEditor(wb, get_case(wb, REF), autosave_seconds=3600)
    qtbot.addWidget(widget)
    widget.show()
    assert "·  draft" in widget.banner.text()
    determine(wb, REF, override_reason="Open items reviewed offline for this test")
    widget.refresh_status()  # what the main window does after Determine & sign
    assert "·  determined" in widget.banner.text() and "draft" not in widget.banner.text()

    asked: list[str] = []
    answers = iter([("", False), ("Consignee asked for a corrected title", True)])

    def ask(_parent: object, text: str) -> tuple[str, bool]:
        asked.append(text)
        return next(answers)

    monkeypatch.setattr(editor_module, "ask_revision_reason", ask)
    widget.general.title.clear()
    qtbot.keyClicks(widget.general.title, "Corrected title")
    assert not widget.save()  # cancelled: nothing written
    assert "is determined" in asked[0] and get_case(wb, REF).status is CaseStatus.DETERMINED
    assert any("needs a reason" in t for t in recorder.texts())
    assert widget.save()
    stored = get_case(wb, REF)
    assert stored.status is CaseStatus.IN_REVIEW and stored.title == "Corrected title"
    assert "·  in review" in widget.banner.text()
    reasons = {e.reason for e in case_history(wb, REF) if e.action == "revise"}
    assert reasons == {"Consignee asked for a corrected title"}


def test_part_744_end_uses_are_ticked_and_saved(qtbot: QtBot, editor: CaseEditor, wb: Workbench) -> None:
    # The End use group offers the §744.2-744.4, §744.23 and §744.6 end uses as check boxes.
    for key in ("end_use.nuclear", "end_use.supercomputer", "end_use.us_person_support"):
        box = editor.general.flags[key]
        box.setFocus()
        qtbot.keyClick(box, Qt.Key.Key_Space)
        assert box.isChecked(), key
    assert editor.is_valid and editor.save()
    saved = get_case(wb, REF).end_use
    assert saved.nuclear and saved.supercomputer and saved.us_person_support and not saved.missile


def test_encryption_class_filing_date_and_dram_bandwidth_are_edited_checked_and_saved(
    editor: CaseEditor, wb: Workbench
) -> None:
    _set_cell(editor, "items", 0, "encryption", "b2")
    _set_cell(editor, "items", 0, "encryption_filed_on", "2026-13-01")
    assert not editor.is_valid
    assert editor.items_page.problems.text().startswith("Item 1, ENC filing date:")
    _set_cell(editor, "items", 0, "encryption_filed_on", "2026-10-01")
    _set_cell(editor, "items", 0, "dram_bandwidth", "4800")
    assert editor.items.index(0, editor.items.column_of("encryption")).data() == "740.17(b)(2)"
    assert editor.is_valid and editor.save()
    item = get_case(wb, REF).items[0]
    assert item.encryption == "b2" and str(item.encryption_filed_on) == "2026-10-01" and item.dram_bandwidth == 4800


def test_tmp_and_rpl_facts_are_chosen_typed_checked_and_saved(qtbot: QtBot, editor: CaseEditor, wb: Workbench) -> None:
    # The "Temporary export and servicing" group holds the facts of 15 CFR 740.9 (TMP) and 740.10 (RPL).
    form = editor.general
    form.temporary_purpose.setCurrentIndex(form.temporary_purpose.findData("exhibition"))
    qtbot.keyClicks(form.return_by, "2027-02-30")
    assert not editor.is_valid
    assert "not a date" in form.errors["facts.return_by"].text()
    form.return_by.clear()
    qtbot.keyClicks(form.return_by, "2027-02-28")
    assert form.errors["facts.return_by"].isHidden()
    form.servicing.setCurrentIndex(form.servicing.findData("replacement_parts"))
    form.improves_equipment.setCurrentIndex(form.improves_equipment.findData("no"))
    qtbot.keyClicks(form.original_authorisation, "D1234567")
    assert editor.is_valid and editor.save()
    facts = get_case(wb, REF).transaction_facts
    assert (facts.temporary_purpose, str(facts.return_by)) == ("exhibition", "2027-02-28")
    assert (facts.servicing, facts.improves_equipment, facts.original_authorisation) == (
        "replacement_parts",
        False,
        "D1234567",
    )
    # Undo walks the edits back field by field (the typing as one step), the combo boxes included.
    editor.undo_stack.undo()
    assert form.original_authorisation.text() == "" and form.improves_equipment.currentData() == "no"
    editor.undo_stack.undo()
    assert form.servicing.currentData() == "replacement_parts" and form.improves_equipment.currentData() == ""
    editor.undo_stack.undo()
    assert form.servicing.currentData() == ""
