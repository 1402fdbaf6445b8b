"""The product library in the app, driven as an officer would: the Products view, the product editor,
and the picker in the case editor's Items tab (issue #15)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_op
from workbench import resources
from workbench.domain.case import Case
from workbench.domain.products import Product
from workbench.export.productfile import parse_product_json
from workbench.services import Workbench
from workbench.services import products as ps
from workbench.services.cases import get_case
from workbench.ui.caseeditor.editor import CaseEditor
from workbench.ui.dialogs.product import ProductEditor
from workbench.ui.dialogs.productpicker import ProductPicker
from workbench.ui.mainwindow import MainWindow
from workbench.ui.widgets.tppchart import region_at

HGX = parse_product_json(resources.read_bytes("demo/products/hgx-h100-8gpu.json"))


def _pick_in_library(qtbot: QtBot, editor: CaseEditor, words: str) -> None:
    """Click "Add from library…", type into the picker's search, press Enter on the one product found."""

    def use_picker() -> None:
        picker = QApplication.activeModalWidget()
        assert isinstance(picker, ProductPicker)
        qtbot.keyClicks(picker.search, words)
        qtbot.waitUntil(lambda: picker.model.rowCount() == 1 and picker.search.text() == words, timeout=5000)
        qtbot.wait(200)  # the search's debounce has run
        qtbot.keyClick(picker.search, Qt.Key.Key_Return)

    QTimer.singleShot(0, use_picker)
    qtbot.mouseClick(editor.library_button, Qt.MouseButton.LeftButton)


def _cell(editor: CaseEditor, row: int, key: str) -> object:
    index = editor.items.index(row, editor.items.column_of(key))
    if key in ("datacenter", "prc_advanced_ic"):
        return index.data(Qt.ItemDataRole.CheckStateRole) == Qt.CheckState.Checked
    return index.data()


def test_an_hgx_board_classified_once_appears_pre_filled_in_a_new_case_through_the_picker(
    qtbot: QtBot, window: MainWindow, wb: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    ps.add_product(wb, HGX)
    ps.add_product(wb, replace(HGX, part_number="OTHER-1", description="Rack rails", model="Rails", eccn="EAR99",
                               tpp=None, performance_density=None, ics_per_unit=1, datacenter=False))
    new = Case("EC-2026-0900", "HGX boards for Kuala Lumpur", date(2026, 12, 10), "US", "MY")
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda _parent: (new, True))
    editor = window.new_case()
    assert editor is not None

    _pick_in_library(qtbot, editor, "hgx h100")
    assert editor.items.rowCount() == 1
    assert [_cell(editor, 0, k) for k in ("description", "eccn", "tpp", "performance_density", "ics_per_unit")] == [
        HGX.description,
        "4A090.a",
        "15832",
        "19.4",
        "8",
    ]
    assert _cell(editor, 0, "datacenter") is True and _cell(editor, 0, "product") == HGX.part_number
    eccn = editor.items.index(0, editor.items.column_of("eccn"))
    assert not editor.items.flags(eccn) & Qt.ItemFlag.ItemIsEditable  # the library decides it
    assert "from library product 935-24287-0000-000" in eccn.data(Qt.ItemDataRole.ToolTipRole)
    quantity = editor.items.index(0, editor.items.column_of("quantity"))
    assert editor.items.flags(quantity) & Qt.ItemFlag.ItemIsEditable  # the shipment's own
    assert editor.items.setData(quantity, "16", Qt.ItemDataRole.EditRole)
    assert editor.items.setData(editor.items.index(0, editor.items.column_of("unit_value")), "250000")

    editor.undo_stack.undo()  # unit value
    editor.undo_stack.undo()  # quantity
    editor.undo_stack.undo()  # the picked item
    assert editor.items.rowCount() == 0
    editor.undo_stack.redo()
    assert _cell(editor, 0, "product") == HGX.part_number
    editor.undo_stack.redo()
    assert editor.save()
    stored = get_case(wb, "EC-2026-0900").items[0]
    assert (stored.eccn, stored.ics_per_unit, stored.quantity, stored.country_of_origin) == ("4A090.a", 8, 16, "TW")
    assert stored.product_id is not None

    window.close_editor(editor)
    reopened = window.open_case("EC-2026-0900")
    assert reopened is not None and _cell(reopened, 0, "product") == HGX.part_number


def test_products_view_searches_as_you_type_and_filters(qtbot: QtBot, window: MainWindow, wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    ps.add_product(wb, Product("EAR99-GPU", "A GPU recorded as EAR99", "NVIDIA", "H100 SXM5", eccn="EAR99",
                               tpp=15832, performance_density=19.4, datacenter=True))
    ps.add_product(wb, Product("CAB-1", "Cable assembly", "Acme", "C-1", eccn="EAR99"))
    view = window.show_products()
    assert view.model.rowCount() == 3 and view.count.text() == "3 products"
    qtbot.keyClicks(view.search, "nvidia")
    qtbot.waitUntil(lambda: view.search_op is not None and view.search_op.outcome == "succeeded", timeout=5000)
    qtbot.waitUntil(lambda: view.model.rowCount() == 2, timeout=5000)
    view.conflicts.setChecked(True)
    wait_op(qtbot, view.search_op)
    assert [view.model.part_at(r) for r in range(view.model.rowCount())] == ["EAR99-GPU"]
    assert view.model.index(0, 7).data() == "Conflict"
    view.conflicts.setChecked(False)
    view.search.clear()
    qtbot.keyClicks(view.eccn, "4A090")
    qtbot.waitUntil(lambda: view.model.rowCount() == 1 and view.model.part_at(0) == HGX.part_number, timeout=5000)
    view.eccn.setText("9Z999")
    qtbot.waitUntil(lambda: view.count.text().startswith("Not filtered"), timeout=5000)


def test_the_product_editor_validates_figures_inline_and_reclassifies_off_the_gui_thread(
    qtbot: QtBot, listed_window: MainWindow, listed_wb: Workbench, monkeypatch: pytest.MonkeyPatch
) -> None:
    window, wb = listed_window, listed_wb  # a small list: screening the case is quick
    ps.add_product(wb, HGX)
    new = Case("EC-2026-0901", "HGX boards", date(2026, 12, 10), "US", "CN")
    monkeypatch.setattr("workbench.ui.mainwindow.get_new_case", lambda _parent: (new, True))
    case_editor = window.new_case()
    assert case_editor is not None
    assert case_editor.add_product_item(HGX.part_number) == HGX.part_number
    assert case_editor.save()

    view = window.show_products()
    view.table.selectRow(0)
    qtbot.mouseClick(view.open_button, Qt.MouseButton.LeftButton)
    dialog = next(w for w in QApplication.topLevelWidgets() if isinstance(w, ProductEditor) and w.isVisible())
    qtbot.addWidget(dialog)
    assert "proposes <b>4A090.a</b>" in dialog.proposal.text() and dialog.conflict.text() == ""
    assert dialog.cases.count() == 1 and dialog.cases.item(0).text().startswith("EC-2026-0901")
    assert dialog.history.count() >= 1 and not dialog.save_button.isEnabled()

    # The 3A090 chart plots the product as it is edited: in the .a region, then below both regions.
    [point] = dialog.chart.points
    assert (point.tpp, point.pd) == (HGX.tpp, HGX.performance_density)
    chart_axes = dialog.chart.axes()
    assert region_at(dialog.chart.regions, chart_axes.point(point.pd, point.tpp), chart_axes) == "a"
    dialog.tpp.setText("1000")
    [point] = dialog.chart.points
    assert point.tpp == 1000 and region_at(dialog.chart.regions, chart_axes.point(point.pd, 1000), chart_axes) is None
    dialog.tpp.setText("abc")
    assert dialog.errors["tpp"].isVisible() and "is not a number" in dialog.errors["tpp"].text()
    assert dialog.chart.points[0].tpp == HGX.tpp  # a figure that does not read leaves the recorded one plotted
    dialog.tpp.setText("99999999")
    assert "plausible maximum" in dialog.errors["tpp"].text()
    dialog.tpp.setText("15832")
    assert not dialog.errors["tpp"].isVisible()
    dialog.eccn.clear()
    qtbot.keyClicks(dialog.eccn, "EAR99")
    assert "Conflict:" in dialog.conflict.text()  # the figures contradict EAR99, said at once
    assert not dialog.save_button.isEnabled()  # no reason yet
    qtbot.keyClicks(dialog.reason, "Test: recorded as EAR99 to see what it moves")
    assert dialog.save_button.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, dialog.recheck_op)
    assert dialog.impact is not None and [c.reference for c in dialog.impact.cases] == ["EC-2026-0901"]
    assert "Open cases re-checked: 1 of 1" in dialog.report.text() and "EC-2026-0901" in dialog.report.text()
    assert ps.get_product(wb, HGX.part_number).view.product.eccn == "EAR99"
    assert get_case(wb, "EC-2026-0901").items[0].eccn == "EAR99"
    dialog.close()
