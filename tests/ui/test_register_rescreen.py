"""A list import in the app rescreens the register off the GUI thread and says what changed; Cancel
during it names the register parties that keep their earlier result."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from pytestqt.qtbot import QtBot

from tests.ui.conftest import wait_op, write_list
from workbench.domain.register import RegisterParty
from workbench.services import Workbench, register_watch
from workbench.services import screening as screening_service
from workbench.services.register_watch import rescreen_register
from workbench.ui import messages
from workbench.ui.dialogs.lists import ListsDialog


@pytest.fixture
def register_wb(wb: Workbench, tmp_path: Path, small_list_rows: tuple[list[str], list[dict[str, str]]]) -> Workbench:
    fields, rows = small_list_rows
    screening_service.import_list(
        wb, write_list(tmp_path / "v1.csv", fields, [r for r in rows if "Huawei" not in r["name"]]), rescreen=False
    )
    with wb.uow() as uow:
        uow.register.add(RegisterParty("Huawei Technologies Co., Ltd.", "CN"))
        uow.register.add(RegisterParty("Quiet Meadow Bakery Ltd", "IE"))
        uow.commit()
    rescreen_register(wb, workers=1)
    return wb


def test_the_import_message_names_the_new_hits(
    qtbot: QtBot, register_wb: Workbench, small_list: Path, recorder: messages.RecordingSink
) -> None:
    dialog = ListsDialog(None, register_wb, 7)
    qtbot.addWidget(dialog)
    wait_op(qtbot, dialog.import_path(small_list))
    text = recorder.texts(messages.Level.INFO)[-1]
    assert "The counterparty register (2 parties) was rescreened" in text
    assert "(new: Huawei Technologies Co., Ltd.)" in text and "Screening inbox" in text
    assert "party screen" not in text


def test_cancel_during_the_register_rescreen_names_who_keeps_the_earlier_result(
    qtbot: QtBot,
    register_wb: Workbench,
    small_list: Path,
    monkeypatch: pytest.MonkeyPatch,
    recorder: messages.RecordingSink,
) -> None:
    started = threading.Event()
    real = register_watch.rescreen_register

    def gated(wb: Workbench, progress: Any, cancel: Any) -> Any:  # the register is rescreened first
        started.set()
        while not cancel():
            threading.Event().wait(0.005)
        return real(wb, progress=progress, cancel=cancel)

    monkeypatch.setattr(register_watch, "rescreen_register", gated)
    dialog = ListsDialog(None, register_wb, 7)
    qtbot.addWidget(dialog)
    op = dialog.import_path(small_list)
    qtbot.waitUntil(started.is_set, timeout=15000)
    with qtbot.waitSignal(op.done, timeout=15000):
        op.cancel()
    assert op.outcome == "succeeded"
    text = recorder.texts(messages.Level.INFO)[-1]
    assert "The register rescreen was cancelled: 2 register parties keep their earlier screening result" in text
    assert "Huawei Technologies Co., Ltd. (party 1), Quiet Meadow Bakery Ltd (party 2)" in text
