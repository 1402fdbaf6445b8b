"""Import a party or product master from the app: progress, the outcome in the dialog, the report."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from workbench.services import Workbench, products, register_import
from workbench.services import register as registry
from workbench.ui import messages
from workbench.ui.dialogs.master_import import MasterImportDialog, MasterKind

from .conftest import wait_op

pytestmark = pytest.mark.gui

LISTED = "Huawei Technologies Co., Ltd."


def _dialog(qtbot: QtBot, wb: Workbench, kind: MasterKind) -> MasterImportDialog:
    dialog = MasterImportDialog(None, wb, kind)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type(qtbot: QtBot, edit: Any, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def test_a_party_master_imports_is_screened_and_reported(
    qtbot: QtBot, listed_wb: Workbench, tmp_path: Path
) -> None:
    master = tmp_path / "customers.csv"
    master.write_text(
        f'name,country,city\n"{LISTED}",CN,Shenzhen\nQuiet Meadow Bakery Ltd,IE,Cork\n', encoding="utf-8"
    )
    dialog = _dialog(qtbot, listed_wb, MasterKind.PARTIES)
    _type(qtbot, dialog.file_edit, str(master))
    _type(qtbot, dialog.report_edit, str(tmp_path / "screening.xlsx"))
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, dialog.op)
    text = dialog.outcome.toPlainText()
    assert "Imported 2 of 2 rows" in text
    assert "1 with hits to review, 1 clear" in text and LISTED in text
    assert "screening.xlsx" in text
    book = load_workbook(tmp_path / "screening.xlsx")
    assert list(book["Hits"].iter_rows(min_row=2, values_only=True))
    assert registry.list_parties(listed_wb, "bakery")[0] == 1


def test_a_bad_row_is_named_and_nothing_is_stored(
    qtbot: QtBot, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    master = tmp_path / "customers.csv"
    master.write_text("name,country\nGood Co,DE\nBad Co,Atlantis\n", encoding="utf-8")
    dialog = _dialog(qtbot, wb, MasterKind.PARTIES)
    _type(qtbot, dialog.file_edit, str(master))
    dialog.screen_box.setChecked(False)
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    wait_op(qtbot, dialog.op, "failed")
    assert "row 3" in dialog.outcome.toPlainText()
    assert "row 3" in recorder.texts(messages.Level.ERROR)[-1]
    assert registry.list_parties(wb, "")[0] == 0


def test_a_missing_file_is_named_before_anything_runs(
    qtbot: QtBot, wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    dialog = _dialog(qtbot, wb, MasterKind.PRODUCTS)
    assert dialog.start() is None
    assert recorder.texts(messages.Level.WARNING)[-1] == "Choose the file to import."
    _type(qtbot, dialog.file_edit, str(tmp_path / "none.csv"))
    qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    assert "does not exist" in recorder.texts(messages.Level.WARNING)[-1]
    assert dialog.op is None


def test_a_product_master_shows_the_assistant_against_the_records(
    qtbot: QtBot, wb: Workbench, tmp_path: Path
) -> None:
    master = tmp_path / "products.csv"
    master.write_text(
        "part_number,description,eccn,tpp,performance_density,datacenter\n"
        "A-1,H100 GPU,3A090.a,15832,19.4,yes\nB-2,Gaming GPU,EAR99,5285,8.7,no\nC-3,New accelerator,,4900,,yes\n",
        encoding="utf-8",
    )
    dialog = _dialog(qtbot, wb, MasterKind.PRODUCTS)
    _type(qtbot, dialog.file_edit, str(master))
    with qtbot.waitSignal(dialog.imported, timeout=30000):
        qtbot.mouseClick(dialog.import_button, Qt.MouseButton.LeftButton)
    text = dialog.outcome.toPlainText()
    assert "Imported 3 products" in text and "1 in conflict, 1 unclassified" in text
    assert "row 3: B-2 recorded EAR99" in text and "row 4: C-3 unclassified; the assistant proposes 3A090.a" in text
    assert products.list_products(wb).total == 3


def test_cancel_stores_nothing(
    qtbot: QtBot, wb: Workbench, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    master = tmp_path / "customers.csv"
    master.write_text("name,country\n" + "".join(f"Company {n},DE\n" for n in range(50)), encoding="utf-8")
    started = threading.Event()
    release = threading.Event()
    real = register_import.import_parties

    def gated(*args: Any, progress: Any, cancel: Any, **kwargs: Any) -> Any:
        started.set()
        release.wait(10)

        def stop() -> bool:
            return bool(cancel())

        return real(*args, progress=progress, cancel=stop, **kwargs)

    monkeypatch.setattr(register_import, "import_parties", gated)
    dialog = _dialog(qtbot, wb, MasterKind.PARTIES)
    _type(qtbot, dialog.file_edit, str(master))
    op = dialog.start()
    assert op is not None
    qtbot.waitUntil(started.is_set, timeout=10000)
    op.cancel()
    release.set()
    wait_op(qtbot, op, "cancelled")
    assert "cancelled; nothing was stored" in dialog.outcome.toPlainText()
    assert registry.list_parties(wb, "")[0] == 0


def test_the_file_menu_opens_both_imports(qtbot: QtBot, window: Any) -> None:
    texts = [a.text() for a in window.menuBar().actions()[0].menu().actions()]
    assert "Import &party master…" in texts and "Import p&roduct master…" in texts
    window.commands.import_parties.trigger()
    dialogs = [w for w in window.findChildren(MasterImportDialog) if w.isVisible()]
    assert [d.kind for d in dialogs] == [MasterKind.PARTIES]
    dialogs[0].reject()
    window.commands.import_products.trigger()
    assert [d.kind for d in window.findChildren(MasterImportDialog) if d.isVisible()] == [MasterKind.PRODUCTS]
