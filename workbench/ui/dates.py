"""Dates in the window: one field used everywhere, typed in the officer's locale or ISO, never coerced.

``QDateEdit`` lets a typed ``12/15/2026`` vanish and turns ``2026-13-45`` into another day; an
officer must see what they typed refused, with the reason, where they typed it. ``DateField``
accepts ``2026-12-15`` (ISO) or the locale's short date (``12/15/2026`` in the US,
``15/12/2026`` in the UK), says inline what is wrong with anything else, and offers a calendar.
"""

from __future__ import annotations

import re
from datetime import date

from PySide6.QtCore import QDate, QLocale, Signal
from PySide6.QtWidgets import (
    QCalendarWidget,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from workbench.ui.models.rows import BAD
from workbench.ui.palette import css

_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
MIN_YEAR, MAX_YEAR = 1900, 2200


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def officer_locale(locale: QLocale | None = None) -> QLocale:
    """The locale dates are typed in: the system's, or US English where the system has none ("C")."""
    locale = locale or QLocale()
    if locale.language() == QLocale.Language.C:
        return QLocale(QLocale.Language.English, QLocale.Country.UnitedStates)
    return locale


def locale_format(locale: QLocale) -> str:
    """The locale's short date format with a four-digit year (``M/d/yyyy``, ``dd/MM/yyyy``)."""
    text = locale.dateFormat(QLocale.FormatType.ShortFormat)
    return re.sub(r"(?<!y)yy(?!y)", "yyyy", text)


def _example(locale: QLocale) -> str:
    return locale.toString(QDate(2026, 12, 15), locale_format(locale))


def parse_date(text: str, locale: QLocale | None = None) -> date:
    """The day ``text`` names, ISO or in ``locale``'s short form; ``ValueError`` with a sentence otherwise."""
    locale = officer_locale(locale)
    value = text.strip()
    hint = f"type it as 2026-12-15 or {_example(locale)}"
    if not value:
        raise ValueError(f"A date is required; {hint}.")
    iso = _ISO.match(value)
    if iso:
        year, month, day = (int(g) for g in iso.groups())
        if not 1 <= month <= 12:
            raise ValueError(f"'{value}' is not a date: there is no month {month}; {hint}.")
        try:
            parsed = date(year, month, day)
        except ValueError:
            raise ValueError(f"'{value}' is not a date: month {month} of {year} has no day {day}; {hint}.") from None
    else:
        shown = locale.toDate(value, locale_format(locale))  # four-digit years only: "26" is no year
        if not shown.isValid():
            raise ValueError(f"'{value}' is not a date; {hint}.")
        parsed = date(shown.year(), shown.month(), shown.day())
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        raise ValueError(f"'{value}' is outside the years {MIN_YEAR} to {MAX_YEAR}; check the year.")
    return parsed


class DateField(QWidget):
    """A line edit for one date with a calendar button and an inline message; emits only valid dates."""

    date_changed = Signal(object)
    """A new valid ``date`` was typed or picked."""
    problem_changed = Signal(str)
    """The inline message changed ("" once the text is a valid date again)."""

    def __init__(
        self,
        value: date | None = None,
        parent: QWidget | None = None,
        *,
        locale: QLocale | None = None,
        show_problem: bool = True,
    ) -> None:
        super().__init__(parent)
        self._locale = officer_locale(locale)
        self._date: date | None = value
        self._problem = ""
        self._minimum: date | None = None
        self._maximum: date | None = None
        self.line = QLineEdit()
        self.line.setPlaceholderText(f"2026-12-15 or {_example(self._locale)}")
        self.line.setToolTip(f"Type the date as 2026-12-15 or {_example(self._locale)}, or pick it from the calendar")
        self.calendar = QCalendarWidget()
        self.calendar.clicked.connect(self._picked)
        menu = QMenu(self)
        action = QWidgetAction(menu)
        action.setDefaultWidget(self.calendar)
        menu.addAction(action)
        self.calendar_button = QToolButton()
        self.calendar_button.setText("…")
        self.calendar_button.setToolTip("Pick the date from a calendar")
        self.calendar_button.setMenu(menu)
        self.calendar_button.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {css(BAD)};")
        self.message.hide()
        self._show_problem = show_problem
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.line, 1)
        row.addWidget(self.calendar_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.message)
        self.setFocusProxy(self.line)
        self.line.textEdited.connect(self._typed)
        if value is not None:
            self.set_date(value)

    # Our API -----------------------------------------------------------------
    def value(self) -> date | None:
        """The date shown, or None while the text is not a valid date."""
        return None if self._problem else self._date

    def problem(self) -> str:
        return self._problem

    def text(self) -> str:
        return self.line.text()

    def set_date(self, value: date) -> None:
        """Show ``value`` (ISO) without emitting ``date_changed``."""
        self._date = value
        self.line.setText(value.isoformat())
        self.calendar.setSelectedDate(qdate(value))
        self._set_problem("")

    def set_range(self, minimum: date | None, maximum: date | None) -> None:
        self._minimum, self._maximum = minimum, maximum
        if minimum:
            self.calendar.setMinimumDate(qdate(minimum))
        if maximum:
            self.calendar.setMaximumDate(qdate(maximum))
        self._typed(self.line.text())

    # Internals ---------------------------------------------------------------
    def _check(self, text: str) -> date:
        day = parse_date(text, self._locale)
        if self._minimum and day < self._minimum:
            raise ValueError(f"{day.isoformat()} is before {self._minimum.isoformat()}, the earliest date allowed.")
        if self._maximum and day > self._maximum:
            raise ValueError(f"{day.isoformat()} is after {self._maximum.isoformat()}, the latest date allowed.")
        return day

    def _typed(self, text: str) -> None:
        try:
            day = self._check(text)
        except ValueError as exc:
            self._set_problem(str(exc))
            return
        self._set_problem("")
        if day != self._date:
            self._date = day
            self.calendar.setSelectedDate(qdate(day))
            self.date_changed.emit(day)

    def _picked(self, picked: QDate) -> None:
        self.calendar_button.menu().hide()
        day = date(picked.year(), picked.month(), picked.day())
        self.line.setText(day.isoformat())
        self._typed(day.isoformat())

    def _set_problem(self, text: str) -> None:
        if text == self._problem:
            return
        self._problem = text
        self.message.setText(text)
        self.message.setVisible(bool(text) and self._show_problem)
        self.line.setStyleSheet(f"border: 1px solid {css(BAD)};" if text else "")
        self.problem_changed.emit(text)
