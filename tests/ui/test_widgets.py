"""Country picker, dialogs called like functions, settings and the message funnel's sentences."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox
from pytestqt.qtbot import QtBot

from tests.helpers.pdfs import text_pdf
from workbench.domain.errors import ValidationError
from workbench.services.reference import country_choices, eccn_choices, eccn_heading
from workbench.ui import messages
from workbench.ui.dialogs.newcase import NewCaseDialog, get_new_case
from workbench.ui.dialogs.preferences import PreferencesDialog, get_preferences
from workbench.ui.models.rows import BAD, cell
from workbench.ui.settings import AUTOSAVE_SECONDS, CASELIST_HEADER, UiSettings
from workbench.ui.widgets.countrypicker import CountryPicker
from workbench.ui.widgets.pdfpreview import PdfPreview

pytestmark = pytest.mark.gui


@pytest.mark.parametrize(
    ("typed", "code"),
    [
        ("DE", "DE"),
        ("de", "DE"),
        ("Germany", "DE"),
        ("germany", "DE"),
        ("Malaysia (MY)", "MY"),
        ("Viet", "VN"),
        ("Narnia", "Narnia"),
        ("", ""),
    ],
)
def test_country_picker_resolves_names_and_codes(qtbot: QtBot, typed: str, code: str) -> None:
    picker = CountryPicker()
    qtbot.addWidget(picker)
    assert picker.resolve(typed) == code


def test_country_picker_typing_and_signals(qtbot: QtBot) -> None:
    picker = CountryPicker()
    qtbot.addWidget(picker)
    picker.set_code("US")
    assert picker.currentText() == "United States (US)"
    with qtbot.waitSignal(picker.code_changed) as signal:
        picker.lineEdit().setText("my")  # type: ignore[union-attr]
        picker.lineEdit().editingFinished.emit()  # type: ignore[union-attr]
    assert signal.args == ["MY"]
    assert picker.currentText() == "Malaysia (MY)"
    assert picker.code() == "MY"
    picker.set_code("XQ")
    assert picker.code() == "XQ"  # unknown codes stay visible so validation can explain them
    completer = picker.completer()
    completer.setCompletionPrefix("germ")
    assert completer.currentCompletion() == "Germany (DE)"


def test_new_case_dialog_accept_and_reject(qtbot: QtBot, monkeypatch: pytest.MonkeyPatch) -> None:
    dialog = NewCaseDialog(None)
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled() and "Reference" in dialog.problem.text()
    qtbot.keyClicks(dialog.reference, "EC-2026-0500")
    qtbot.keyClicks(dialog.title, "Test rack")
    dialog.destination.set_code("SG")
    assert ok.isEnabled() and dialog.problem.isHidden()
    case = dialog.case()
    assert (case.reference, case.export_from, case.destination) == ("EC-2026-0500", "US", "SG")
    assert case.transaction_date == date.today()

    def accept(self: NewCaseDialog) -> int:
        self.reference.setText("EC-2026-0501")
        self.title.setText("Accepted")
        self.destination.set_code("JP")
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(NewCaseDialog, "exec", accept)
    made, accepted = get_new_case(None)
    assert accepted and made is not None and made.reference == "EC-2026-0501"
    monkeypatch.setattr(NewCaseDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    assert get_new_case(None) == (None, False)


def test_preferences_dialog(monkeypatch: pytest.MonkeyPatch) -> None:
    def accept(self: PreferencesDialog) -> int:
        self.spins["autosave_seconds"].setValue(30)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(PreferencesDialog, "exec", accept)
    values, ok = get_preferences(None, {"autosave_seconds": 60})
    assert ok and values["autosave_seconds"] == 30
    monkeypatch.setattr(PreferencesDialog, "exec", lambda self: QDialog.DialogCode.Rejected.value)
    assert get_preferences(None, {"autosave_seconds": 60}) == ({"autosave_seconds": 60}, False)


def test_settings_are_typed_and_fall_back_to_defaults(tmp_path: Path) -> None:
    store = QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat)
    settings = UiSettings(store)
    assert settings.get(AUTOSAVE_SECONDS) == 60
    settings.set(AUTOSAVE_SECONDS, 15)
    settings.set(CASELIST_HEADER, b"\x00\x01")
    store.sync()
    again = UiSettings(QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    assert again.get(AUTOSAVE_SECONDS) == 15
    assert again.get(CASELIST_HEADER) == b"\x00\x01"
    store.setValue(AUTOSAVE_SECONDS.path, "soon")
    assert settings.get(AUTOSAVE_SECONDS) == 60
    store.setValue(AUTOSAVE_SECONDS.path, 10**6)  # out of range
    assert settings.get(AUTOSAVE_SECONDS) == 60


def test_error_sentences() -> None:
    assert messages.field_label("parties[1].headquarters_country") == "Party 2, headquarters country"
    assert messages.field_label("export_from") == "Export from"
    error = ValidationError("title", "is required and cannot be empty")
    assert messages.describe(error) == "Title is required and cannot be empty."
    assert messages.describe(ValidationError("items[0].eccn", "'x' is not valid")) == "Item 1, ECCN: 'x' is not valid."
    assert "unexpected" in messages.describe(KeyError("boom"))


def test_crash_reports_go_through_the_funnel(recorder: messages.RecordingSink) -> None:
    try:
        raise RuntimeError("kaboom")
    except RuntimeError as exc:
        messages._excepthook(RuntimeError, exc, exc.__traceback__)
    crash = recorder.messages[-1]
    assert crash.level is messages.Level.CRASH
    assert "kaboom" in crash.details and "Qt " in crash.details


def test_reference_data_for_pickers() -> None:
    assert ("DE", "Germany") in country_choices()
    choices = dict(eccn_choices())
    assert "3A090" in choices
    assert eccn_heading("3A090.a") == choices["3A090"]
    assert eccn_heading("EAR99") is None


def test_eccn_completion_shows_headings_and_inserts_the_eccn(qtbot: QtBot) -> None:
    from PySide6.QtWidgets import QLineEdit

    from workbench.ui.caseeditor.delegates import eccn_completer

    line = QLineEdit()
    qtbot.addWidget(line)
    completer = eccn_completer(line)
    completer.setCompletionPrefix("3a09")
    assert completer.currentCompletion() == "3A090"
    shown = completer.completionModel().index(0, 0).data()
    assert shown.startswith("3A090  Integrated circuits")


def test_pdf_preview_pages_through_a_document(qtbot: QtBot) -> None:
    preview = PdfPreview()
    qtbot.addWidget(preview)
    preview.resize(400, 600)
    preview.show()
    assert preview.load(text_pdf(["First page", "Second page", "Third page"]))
    assert (preview.page_count, preview.current, preview.position.text()) == (3, 0, "Page 1 of 3")
    assert not preview.previous_button.isEnabled() and preview.next_button.isEnabled()
    preview.next_button.click()
    preview.next_button.click()
    assert preview.current == 2 and not preview.next_button.isEnabled()
    assert not preview.rendered().isNull()
    assert not preview.load(b"%PDF-1.7 but nothing else")  # unreadable: the panel falls back to text
    assert preview.page_count == 0 and preview.rendered().isNull()


def test_status_colours_stay_readable_on_a_dark_palette(qapp: QApplication) -> None:
    light = qapp.palette()
    on_light = cell("Prohibited", colour=BAD, background=QColor(255, 228, 228))
    assert on_light[Qt.ItemDataRole.ForegroundRole].color() == BAD  # unchanged on a light palette
    dark = QPalette(light)
    dark.setColor(QPalette.ColorRole.Base, QColor(30, 30, 30))
    dark.setColor(QPalette.ColorRole.Text, QColor(230, 230, 230))
    qapp.setPalette(dark)
    try:
        on_dark = cell("Prohibited", colour=BAD, background=QColor(255, 228, 228))
        text = on_dark[Qt.ItemDataRole.ForegroundRole].color()
        fill = on_dark[Qt.ItemDataRole.BackgroundRole].color()
        assert text.lightness() >= 170 and text.hslHue() == BAD.hslHue()  # still red, now light
        assert fill.lightness() < 80  # a deep shade under light text, not a pale glare
    finally:
        qapp.setPalette(light)
