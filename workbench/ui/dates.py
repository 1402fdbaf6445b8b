"""Python dates to Qt dates, spelled out so it works with every PySide6 the workbench supports."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
