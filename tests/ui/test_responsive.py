"""The GUI keeps processing events while a screening-list import runs on a worker thread."""

from __future__ import annotations

import gc
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QEvent, Qt, QTimer
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from workbench.services import Workbench
from workbench.services.screening import ImportResult, import_list
from workbench.ui import ops
from workbench.ui.ops import Op

from .conftest import wait_op

pytestmark = pytest.mark.gui


def test_event_loop_ticks_while_a_list_import_runs(qtbot: QtBot, wb: Workbench, small_list: Path) -> None:
    ticks = 0
    ticks_when_done: list[int] = []

    def tick() -> None:
        nonlocal ticks
        ticks += 1

    timer = QTimer()
    timer.setInterval(1)
    timer.setTimerType(Qt.TimerType.PreciseTimer)
    timer.timeout.connect(tick)
    op: Op[ImportResult] = Op(
        None,
        lambda progress, cancelled: import_list(wb, small_list, progress=progress, cancel=cancelled),
        title="Import list",
    )
    op.done.connect(lambda: ticks_when_done.append(ticks))
    # Let earlier tests' deferred deletions finish first, so only the import competes with the timer.
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    QCoreApplication.processEvents()
    timer.start()
    op.run()
    assert op.outcome == "running"  # run() returned at once: the work is on another thread
    wait_op(qtbot, op)
    timer.stop()
    assert ticks_when_done and ticks_when_done[0] >= 3, ticks_when_done


def test_garbage_collection_waits_for_the_gui_thread(qtbot: QtBot) -> None:
    """Workers never trigger a collection that would destroy Qt objects off the GUI thread."""
    qtbot.waitUntil(lambda: not ops._running, timeout=15000)  # earlier tests' operations
    assert gc.isenabled()
    op: Op[int] = Op(None, lambda progress, cancelled: 1).run()
    assert not gc.isenabled()
    wait_op(qtbot, op)
    assert gc.isenabled()


def test_an_op_whose_parent_is_deleted_mid_run_releases_collection(qtbot: QtBot) -> None:
    qtbot.waitUntil(lambda: not ops._running, timeout=15000)
    parent = QWidget()
    gate = threading.Event()
    op: Op[bool] = Op(parent, lambda progress, cancelled: gate.wait(5)).run()
    assert not gc.isenabled()
    parent.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    assert gc.isenabled() and op not in ops._running
    gate.set()
