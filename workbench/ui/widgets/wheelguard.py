"""Combo and spin boxes that the mouse wheel cannot change in passing.

Scrolling a form with the wheel must scroll it, not silently turn a "No" under the
pointer into "Yes". A guarded box takes focus only by click or Tab, and ignores a wheel
event unless it already has focus; the event scrolls the scroll area around it instead.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractScrollArea, QAbstractSpinBox, QComboBox, QWidget

_GUARDED = "workbench_wheel_guarded"


class _WheelGuard(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.Wheel or not isinstance(watched, QWidget) or watched.hasFocus():
            return False
        # The box never sees it; the scroll area around it scrolls instead. Handed on explicitly:
        # Qt does not propagate a wheel event to the parents once a filter has taken it.
        area = _scroll_area_of(watched)
        if area is not None:
            QCoreApplication.sendEvent(area.viewport(), event)
        event.accept()
        return True


def _scroll_area_of(widget: QWidget) -> QAbstractScrollArea | None:
    parent = widget.parentWidget()
    while parent is not None and not isinstance(parent, QAbstractScrollArea):
        parent = parent.parentWidget()
    return parent


_guard: _WheelGuard | None = None


def _shared_guard() -> _WheelGuard:
    global _guard
    if _guard is None:
        _guard = _WheelGuard()
    return _guard


def guard_wheel(root: QWidget) -> int:
    """Guard every combo and spin box (date edits included) under ``root``; returns how many were new."""
    guard = _shared_guard()
    count = 0
    boxes: list[QWidget] = [*root.findChildren(QComboBox), *root.findChildren(QAbstractSpinBox)]
    if isinstance(root, QComboBox | QAbstractSpinBox):
        boxes.append(root)
    for box in boxes:
        if box.property(_GUARDED):
            continue
        box.setFocusPolicy(Qt.FocusPolicy.StrongFocus)  # the default WheelFocus would let the wheel take focus
        box.installEventFilter(guard)
        box.setProperty(_GUARDED, True)
        count += 1
    return count
