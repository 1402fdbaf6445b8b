"""Run slow work off the GUI thread with progress, cancel and errors sent to the message funnel.

Usage (Anki's ``CollectionOp`` shape)::

    Op(self, lambda progress, cancelled: import_case_file(wb, path), title="Import case file")
        .success(self._imported).with_progress("Importing…").run()

The work function receives ``progress(done, total)`` and ``cancelled() -> bool``;
it may return early or raise ``Cancelled`` once ``cancelled()`` is true.
"""

from __future__ import annotations

import functools
import gc
import logging
import threading
import time
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from workbench.ui import messages

logger = logging.getLogger(__name__)

T = TypeVar("T")
Progress = Callable[[int, int], None]
IsCancelled = Callable[[], bool]
Work = Callable[[Progress, IsCancelled], T]

PROGRESS_INTERVAL = 0.05
_running: set[Op[Any]] = set()
_gc_was_enabled = False


def _hold_gc() -> None:
    """Pause automatic garbage collection while work runs on a worker thread.

    A collection triggered by a worker's allocations would destroy unreachable Qt
    objects (closed editors, panels) on that thread, which crashes Qt. Collection
    resumes, on the GUI thread, when the last operation ends.
    """
    global _gc_was_enabled
    if not _running:
        _gc_was_enabled = gc.isenabled()
        gc.disable()


def _forget(op: Op[Any], *_args: object) -> None:
    if op in _running:
        _running.discard(op)
        _release_gc()


def _release_gc() -> None:
    if not _running and _gc_was_enabled:
        gc.enable()  # the next automatic collection runs here, on the GUI thread


class Cancelled(Exception):
    """Raised by work functions that stop because the officer pressed Cancel."""


class _Signals(QObject):
    progress = Signal(int, int)
    finished = Signal(object)
    failed = Signal(object)
    cancelled = Signal()


class _Throttled:
    """Forward progress at most every ``PROGRESS_INTERVAL`` seconds (and always the last step).

    A progress bar cannot show more, and every report crosses threads as a queued signal:
    a loop over 100,000 rows would otherwise flood the GUI thread's event queue.
    """

    def __init__(self, emit: Progress) -> None:
        self._emit = emit
        self._last = -PROGRESS_INTERVAL

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if done >= total or now - self._last >= PROGRESS_INTERVAL:
            self._last = now
            self._emit(done, total)


class _Runner(QRunnable):
    def __init__(self, work: Work[Any], signals: _Signals, stop: threading.Event, keep_result: bool) -> None:
        super().__init__()
        self._work = work
        self._signals = signals
        self._stop = stop
        self._keep_result = keep_result

    def run(self) -> None:
        try:
            result = self._work(_Throttled(self._signals.progress.emit), self._stop.is_set)
        except Cancelled:
            self._signals.cancelled.emit()
        except BaseException as exc:  # every failure must reach the GUI thread
            self._signals.failed.emit(exc)
        else:
            if self._stop.is_set() and not self._keep_result:
                self._signals.cancelled.emit()
            else:
                self._signals.finished.emit(result)


class Op(QObject, Generic[T]):
    """One background operation; callbacks run on the GUI thread."""

    progress = Signal(int, int)
    done = Signal()
    """Emitted last, whether the work succeeded, failed or was cancelled."""

    def __init__(self, parent: QWidget | None, work: Work[T], *, title: str = "") -> None:
        super().__init__(parent)
        self._parent_widget = parent
        self._work = work
        self._title = title or "Background operation"
        self._on_success: Callable[[T], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._on_cancel: Callable[[], None] | None = None
        self._progress_label: str | None = None
        self._dialog: ProgressDialog | None = None
        self._stop = threading.Event()
        self._keep_result = False
        self._signals = _Signals()
        self.outcome: str = "pending"
        """``pending``, ``running``, ``succeeded``, ``failed`` or ``cancelled``."""

    def success(self, callback: Callable[[T], None]) -> Op[T]:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op[T]:
        """Handle failures yourself; without this the error goes to the message funnel."""
        self._on_failure = callback
        return self

    def cancelled(self, callback: Callable[[], None]) -> Op[T]:
        self._on_cancel = callback
        return self

    def keeps_result_on_cancel(self) -> Op[T]:
        """For work that commits part way: a result it returns stands even after Cancel was pressed.

        Such work raises ``Cancelled`` while nothing is committed, and afterwards returns a
        result that says what was left undone.
        """
        self._keep_result = True
        return self

    def with_progress(self, label: str) -> Op[T]:
        """Show a progress dialog with a Cancel button while the work runs."""
        self._progress_label = label
        return self

    def run(self, pool: QThreadPool | None = None) -> Op[T]:
        self._signals.progress.connect(self._progressed)
        self._signals.finished.connect(self._finished)
        self._signals.failed.connect(self._failed)
        self._signals.cancelled.connect(self._was_cancelled)
        if self._progress_label is not None:
            self._dialog = ProgressDialog(self._parent_widget, self._title, self._progress_label)
            self._dialog.canceled.connect(self.cancel)
        _hold_gc()
        _running.add(self)
        # If the parent widget is deleted mid-run, no result slot will run: forget the op then.
        self.destroyed.connect(functools.partial(_forget, self))
        self.outcome = "running"
        (pool or QThreadPool.globalInstance()).start(_Runner(self._work, self._signals, self._stop, self._keep_result))
        return self

    def cancel(self) -> None:
        """Ask the work to stop; it notices at its next ``cancelled()`` check."""
        self._stop.set()

    @property
    def is_cancel_requested(self) -> bool:
        return self._stop.is_set()

    def _progressed(self, done: int, total: int) -> None:
        if self._dialog is not None:
            self._dialog.set_progress(done, total)
        self.progress.emit(done, total)

    def _finished(self, result: Any) -> None:
        self._end("succeeded")
        if self._on_success is not None:
            self._on_success(result)
        self.done.emit()

    def _failed(self, exc: BaseException) -> None:
        self._end("failed")
        if self._on_failure is not None:
            self._on_failure(exc)
        else:
            messages.error(self._parent_widget, f"{self._title} failed.", exc=exc)
        self.done.emit()

    def _was_cancelled(self) -> None:
        self._end("cancelled")
        logger.info("%s was cancelled", self._title)
        if self._on_cancel is not None:
            self._on_cancel()
        self.done.emit()

    def _end(self, outcome: str) -> None:
        self.outcome = outcome
        if self._dialog is not None:
            self._dialog.canceled.disconnect(self.cancel)
            self._dialog.close()
            self._dialog.deleteLater()
            self._dialog = None
        _running.discard(self)
        _release_gc()


class ProgressDialog(QProgressDialog):
    """A window-modal progress dialog that appears only for work longer than half a second."""

    def __init__(self, parent: QWidget | None, title: str, label: str) -> None:
        super().__init__(label, "Cancel", 0, 0, parent)
        self.setWindowTitle(title)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(500)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setValue(0)

    def set_progress(self, done: int, total: int) -> None:
        if total <= 0:
            self.setRange(0, 0)  # busy indicator when the amount of work is unknown
            return
        if self.maximum() != total:
            self.setRange(0, total)
        self.setValue(min(done, total))
