"""The Applications & Licences view: balances, shipments (accepted, refused, tolerated) and application drafts."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from workbench import resources
from workbench.services import Workbench
from workbench.services.licences import get_licence, list_licences
from workbench.ui import messages
from workbench.ui.dialogs.application import ApplicationDialog, file_names, show_application
from workbench.ui.dialogs.shipment import ShipmentDialog, ShipmentValues, get_shipment
from workbench.ui.models.licences import FractionRole, LicencesModel, LinesModel, ShipmentsModel
from workbench.ui.views import licences as licences_view
from workbench.ui.views.licences import LicencesView

pytestmark = pytest.mark.gui

DEMO_LICENCE = Path(str(resources.resource("demo/licences/d123456-ec-2026-0044.json")))
REF = "EC-2026-0044"
NUMBER = "D123456"
D = Decimal


@pytest.fixture
def view(qtbot: QtBot, wb: Workbench, recorder: messages.RecordingSink) -> LicencesView:
    widget = LicencesView(wb)
    qtbot.addWidget(widget)
    widget.show()
    assert widget.record_licence_path(DEMO_LICENCE) is not None
    assert not recorder.messages
    return widget


def _answer_shipment(monkeypatch: pytest.MonkeyPatch, values: ShipmentValues | None) -> list[dict[str, Any]]:
    """Make the view's shipment dialog answer ``values`` (or be cancelled); return what it was asked."""
    calls: list[dict[str, Any]] = []

    def fake(parent: object, licence: object, **kwargs: Any) -> tuple[ShipmentValues | None, bool]:
        calls.append({"licence": licence, **kwargs})
        return values, values is not None

    monkeypatch.setattr(licences_view, "get_shipment", fake)
    return calls


def _line_cell(view: LicencesView, column: LinesModel.Column, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
    return view.lines.index(0, column).data(role)


def test_recorded_licence_shows_its_lines_and_full_balance(view: LicencesView, qtmodeltester: ModelTester) -> None:
    assert view.model.rowCount() == 1 and view.selected_number() == NUMBER
    assert view.model.text(0, LicencesModel.Column.DESTINATION) == "Malaysia (MY)"
    assert view.model.text(0, LicencesModel.Column.STATUS) == "Valid"
    assert "Nusantara Cloud Sdn Bhd (ultimate consignee, end user)" in view.model.text(0, LicencesModel.Column.PARTIES)
    assert view.lines.rowCount() == 1
    assert _line_cell(view, LinesModel.Column.ECCN) == "4A090.a"
    assert _line_cell(view, LinesModel.Column.LICENSED_QUANTITY) == "64"
    assert _line_cell(view, LinesModel.Column.LICENSED_VALUE) == "USD 16,000,000"
    assert _line_cell(view, LinesModel.Column.SHIPPED_QUANTITY) == "0"
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT) == "64 of 64"
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT, FractionRole) == 1.0
    assert _line_cell(view, LinesModel.Column.ECCN, FractionRole) is None
    assert view.shipments.rowCount() == 0
    assert view.record_shipment_button.isEnabled()
    for model in (view.model, view.lines, view.shipments):
        qtmodeltester.check(model)


def test_a_bad_licence_file_goes_to_the_funnel(
    view: LicencesView, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    assert view.record_licence_path(DEMO_LICENCE) is None  # the number is taken
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "workbench-licence/1", "number": "X1"}', encoding="utf-8")
    assert view.record_licence_path(bad) is None
    errors = recorder.texts(messages.Level.ERROR)
    assert len(errors) == 2
    assert errors[0].startswith("d123456-ec-2026-0044.json was not recorded.")
    assert errors[1].startswith("bad.json was not recorded.")
    assert view.model.rowCount() == 1


def test_shipment_through_the_dialog_decrements_the_balance(
    view: LicencesView,
    wb: Workbench,
    monkeypatch: pytest.MonkeyPatch,
    recorder: messages.RecordingSink,
    qtmodeltester: ModelTester,
    qtbot: QtBot,
) -> None:
    calls = _answer_shipment(monkeypatch, ShipmentValues(REF, 1, D(8), D(2_000_000), date(2026, 9, 1), "AWB 1"))
    with qtbot.waitSignal(view.licences_changed), qtbot.waitSignal(view.status_message) as status:
        result = view.record_shipment()
    assert result is not None and not result.warnings
    assert REF in calls[0]["references"] and calls[0]["licence"].number == NUMBER
    assert "56 left on line 1" in status.args[0]
    assert _line_cell(view, LinesModel.Column.SHIPPED_QUANTITY) == "8"
    assert _line_cell(view, LinesModel.Column.SHIPPED_VALUE) == "USD 2,000,000"
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT) == "56 of 64"
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT, FractionRole) == pytest.approx(0.875)
    assert _line_cell(view, LinesModel.Column.VALUE_LEFT) == "USD 14,000,000"
    assert view.shipments.rowCount() == 1
    row = [view.shipments.text(0, c) for c in ShipmentsModel.Column]
    assert row == ["2026-09-01", REF, "1", "8", "USD 2,000,000", "Test Officer", "AWB 1"]
    assert not recorder.messages
    for model in (view.model, view.lines, view.shipments):
        qtmodeltester.check(model)

    _answer_shipment(monkeypatch, None)  # cancelled: nothing happens
    assert view.record_shipment() is None
    assert get_licence(wb, NUMBER).balances[0].shipped_quantity == 8


def test_exceeding_the_balance_is_refused_with_a_clear_message(
    view: LicencesView, monkeypatch: pytest.MonkeyPatch, recorder: messages.RecordingSink
) -> None:
    _answer_shipment(monkeypatch, ShipmentValues(REF, 1, D(100), D(25_000_000), date(2026, 9, 1)))
    assert view.record_shipment() is None
    [refusal] = recorder.messages
    assert refusal.level is messages.Level.ERROR and refusal.title == "Shipment refused"
    assert "would exceed licence D123456 for item 1: 64 remaining" in refusal.text
    assert refusal.text.endswith("Nothing was recorded.")
    assert view.shipments.rowCount() == 0
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT) == "64 of 64"


def test_value_tolerance_is_recorded_with_a_warning(
    view: LicencesView, monkeypatch: pytest.MonkeyPatch, recorder: messages.RecordingSink
) -> None:
    _answer_shipment(monkeypatch, ShipmentValues(REF, 1, D(64), D(18_000_000), date(2026, 9, 1)))
    result = view.record_shipment()
    assert result is not None and result.warnings
    [warning] = recorder.messages
    assert warning.level is messages.Level.WARNING and warning.title == "Shipment recorded with a warning"
    assert "25% value tolerance" in warning.text
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT) == "0 of 64"
    assert _line_cell(view, LinesModel.Column.QUANTITY_LEFT, FractionRole) == 0.0
    assert view.model.text(0, LicencesModel.Column.STATUS) == "Fully shipped"
    assert "fully shipped" in view.warnings.text()


def test_expiry_warning_colours_the_licence(wb: Workbench, view: LicencesView, qtmodeltester: ModelTester) -> None:
    model = LicencesModel()
    model.set_statuses(list_licences(wb, as_of=date(2028, 8, 1)))
    until = model.index(0, LicencesModel.Column.VALID_UNTIL)
    assert model.text(0, LicencesModel.Column.STATUS) == "Expires in 13 days"
    assert until.data(Qt.ItemDataRole.BackgroundRole) is not None
    assert "expires in 13 days" in until.data(Qt.ItemDataRole.ToolTipRole)
    model.set_statuses(list_licences(wb, as_of=date(2028, 9, 1)))
    assert model.text(0, LicencesModel.Column.STATUS) == "Expired"
    qtmodeltester.check(model)


# --- the shipment dialog -------------------------------------------------------------------------------


def test_shipment_dialog_suggests_the_value_and_checks_the_entry(
    qtbot: QtBot, wb: Workbench, view: LicencesView
) -> None:
    status = get_licence(wb, NUMBER)
    dialog = ShipmentDialog(None, status.licence, status.balances, [REF], today=date(2026, 9, 1))
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert "64 of 64 units" in dialog.balance.text()
    assert not ok.isEnabled()
    qtbot.keyClicks(dialog.quantity, "8")
    assert dialog.value.text() == "2000000"
    assert ok.isEnabled() and dialog.problem.text() == ""
    assert dialog.values() == ShipmentValues(REF, 1, D(8), D(2_000_000), date(2026, 9, 1))
    dialog.quantity.setText("65")
    assert "refuse" in dialog.problem.text() and ok.isEnabled()
    dialog.quantity.setText("x")
    assert not ok.isEnabled() and "not a number" in dialog.problem.text()


@pytest.mark.parametrize("accepted", [True, False])
def test_get_shipment_accept_and_reject(
    qtbot: QtBot, wb: Workbench, view: LicencesView, monkeypatch: pytest.MonkeyPatch, accepted: bool
) -> None:
    def fake_exec(dialog: ShipmentDialog) -> int:
        qtbot.addWidget(dialog)
        dialog.quantity.setText("2")
        dialog.note.setText("pallet 1")
        return int(QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected)

    monkeypatch.setattr(ShipmentDialog, "exec", fake_exec)
    licence = get_licence(wb, NUMBER).licence
    values, ok = get_shipment(None, licence, references=[REF], today=date(2026, 9, 1))
    if accepted:
        assert ok and values == ShipmentValues(REF, 1, D(2), D(500_000), date(2026, 9, 1), "pallet 1")
    else:
        assert (values, ok) == (None, False)


# --- application drafts ----------------------------------------------------------------------------------


def test_application_dialog_lists_missing_fields_and_writes_files(
    qtbot: QtBot, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink, qtmodeltester: ModelTester
) -> None:
    dialog = ApplicationDialog(None, wb, REF, prepared_on=date(2026, 9, 1))
    qtbot.addWidget(dialog)
    missing = [dialog.missing_model.text(r, 1) for r in range(dialog.missing_model.rowCount())]
    assert "Telephone" in missing and "Employer ID number" in missing
    assert dialog.summary.text().startswith(f"{len(missing)} required fields still missing")
    assert dialog.blocks.rowCount() > 10
    block1 = dialog.blocks.index(0, 0)
    assert block1.data() == "Block 1: Contact person"
    assert dialog.blocks.index(0, 1, block1).data() == "Test Officer"
    qtmodeltester.check(dialog.blocks)
    qtmodeltester.check(dialog.missing_model)
    assert not dialog.want_nac.isEnabled()  # the demo case does not qualify, and the tooltip says why
    assert "does not qualify for a NAC notification" in dialog.want_nac.toolTip()

    out = tmp_path / "out"
    out.mkdir()
    op = dialog.write_files(out)
    assert op is not None
    with qtbot.waitSignal(op.done, timeout=10_000):
        pass
    assert op.outcome == "succeeded"
    names = file_names(REF)
    assert sorted(p.name for p in out.iterdir()) == sorted([names["xlsx"], names["json"], names["bis711"]])
    assert load_workbook(out / names["xlsx"]).sheetnames
    assert recorder.texts(messages.Level.INFO)[-1].startswith(f"Wrote 3 files to {out}")
    assert dialog.write_button.isEnabled()


def test_application_for_an_unknown_case_goes_to_the_funnel(wb: Workbench, recorder: messages.RecordingSink) -> None:
    show_application(None, wb, "EC-1999-0001")
    assert recorder.texts(messages.Level.ERROR)[0].startswith("No application draft for EC-1999-0001.")


def test_draft_button_opens_the_picked_case(view: LicencesView, monkeypatch: pytest.MonkeyPatch) -> None:
    shown: list[str] = []
    monkeypatch.setattr(licences_view, "show_application", lambda parent, wb, reference: shown.append(reference))
    view.case_picker.setCurrentText(REF)
    view.draft_button.click()
    assert shown == [REF]
