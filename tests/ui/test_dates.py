"""Dates are typed in the officer's locale or ISO, checked where they are typed, never coerced."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QLocale, Qt
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from workbench.services import Workbench
from workbench.services.cases import get_case
from workbench.ui.dates import DateField, parse_date
from workbench.ui.dialogs.newcase import NewCaseDialog
from workbench.ui.mainwindow import MainWindow

pytestmark = pytest.mark.gui

US = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
UK = QLocale(QLocale.Language.English, QLocale.Country.UnitedKingdom)


def _retype(qtbot: QtBot, field: DateField, text: str) -> None:
    qtbot.keyClick(field.line, Qt.Key.Key_A, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClick(field.line, Qt.Key.Key_Delete)
    qtbot.keyClicks(field.line, text)


@pytest.mark.parametrize(
    ("text", "locale", "expected"),
    [
        ("2026-12-15", US, date(2026, 12, 15)),
        ("12/15/2026", US, date(2026, 12, 15)),
        ("15/12/2026", UK, date(2026, 12, 15)),
        ("2026-2-3", UK, date(2026, 2, 3)),
    ],
)
def test_iso_and_the_locales_short_date_are_read(text: str, locale: QLocale, expected: date) -> None:
    assert parse_date(text, locale) == expected


@pytest.mark.parametrize(
    ("text", "locale", "words"),
    [
        ("2026-13-45", US, "there is no month 13"),
        ("2026-02-30", US, "month 2 of 2026 has no day 30"),
        ("12/15/2026", UK, "type it as 2026-12-15 or 15/12/2026"),
        ("12/15/26", US, "type it as 2026-12-15 or 12/15/2026"),
        ("", US, "A date is required"),
        ("0001-01-01", US, "outside the years"),
    ],
)
def test_what_is_not_a_date_is_refused_with_the_reason(text: str, locale: QLocale, words: str) -> None:
    with pytest.raises(ValueError, match=words):
        parse_date(text, locale)


def test_the_transaction_date_is_checked_where_it_is_typed(qtbot: QtBot, window: MainWindow, wb: Workbench) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    saved = get_case(wb, "EC-2026-0042").transaction_date
    field = editor.general.transaction_date
    _retype(qtbot, field, "2026-13-45")
    message = editor.general.errors["transaction_date"]
    assert message.isVisibleTo(editor.general) and "there is no month 13" in message.text()
    assert not editor.is_valid and not window.commands.save.isEnabled()
    assert field.text() == "2026-13-45", "what was typed stays as typed"
    _retype(qtbot, field, "12/15/2026")
    assert not message.isVisibleTo(editor.general)
    assert editor.is_valid and editor.candidate().transaction_date == date(2026, 12, 15)
    assert field.text() == "12/15/2026", "the text is not rewritten under the cursor"
    window.commands.undo.trigger()
    assert editor.candidate().transaction_date == saved


def test_the_new_case_dialog_refuses_a_date_that_is_not_one(qtbot: QtBot) -> None:
    dialog = NewCaseDialog(None)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.reference, "EC-2026-0600")
    qtbot.keyClicks(dialog.title, "Test rack")
    dialog.destination.set_code("SG")
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert ok.isEnabled()
    _retype(qtbot, dialog.transaction_date, "2026-02-30")
    assert not ok.isEnabled() and "has no day 30" in dialog.problem.text()
    _retype(qtbot, dialog.transaction_date, "2026-02-28")
    assert ok.isEnabled() and dialog.case().transaction_date == date(2026, 2, 28)


def test_a_picked_calendar_day_is_typed_in_iso(qtbot: QtBot) -> None:
    field = DateField(date(2026, 1, 1), locale=UK)
    qtbot.addWidget(field)
    with qtbot.waitSignal(field.date_changed) as blocker:
        field.calendar.clicked.emit(field.calendar.selectedDate().addDays(3))
    assert blocker.args == [date(2026, 1, 4)] and field.text() == "2026-01-04"
