"""Field checks shared by the domain entities, so every entity words its errors the same way."""

from __future__ import annotations

import math
from decimal import Decimal

from workbench.domain.errors import ValidationError


def text(value: object, field_name: str, *, required: bool = True, max_len: int = 500) -> str:
    """Trimmed text; refuses non-text, empty (when required), over-long and control characters."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise ValidationError(field_name, f"must be text, not {type(value).__name__}")
    text = value.strip()
    if required and not text:
        raise ValidationError(field_name, "is required and cannot be empty")
    if len(text) > max_len:
        raise ValidationError(field_name, f"is {len(text)} characters long; shorten it to at most {max_len}")
    if any(ord(ch) < 32 and ch not in "\n\t" for ch in text):
        raise ValidationError(field_name, "contains control characters; remove them")
    return text


def non_negative(value: Decimal | float | None, field_name: str) -> None:
    if value is not None and value < 0:
        raise ValidationError(field_name, f"must not be negative (got {value})")


MAX_NUMBER_TEXT = 64
"""Longest number text read at all: enough for any bounded field, short of pathological inputs."""


def _show(value: object) -> str:
    """A number as a message can quote it: short values as given, long ones abbreviated."""
    if isinstance(value, Decimal) and value.is_finite() and len(str(value)) > 24:
        return f"{value:.3E}"
    text = str(value)
    return text if len(text) <= 24 else f"{text[:12]}…({len(text):,} characters)"


def bounded_decimal(value: object, field_name: str, *, maximum: Decimal, places: int) -> Decimal:
    """An exact, finite, non-negative number of at most ``maximum`` with at most ``places`` decimals.

    Bounds keep every product and sum the workbench forms (totals, TPP x quantity) exact and
    far from any overflow, in Python, in SQL and in a spreadsheet.
    """
    if isinstance(value, bool):
        raise ValidationError(field_name, f"must be a number, not {value}")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        number = Decimal(value)
    else:
        text = str(value).strip()
        if len(text) > MAX_NUMBER_TEXT:
            raise ValidationError(field_name, f"'{_show(text)}' is too long to be a number here; at most {maximum:,}")
        try:
            number = Decimal(text)
        except ArithmeticError:
            raise ValidationError(field_name, f"'{_show(text)}' is not a number") from None
    if not number.is_finite():
        raise ValidationError(field_name, f"must be a finite number (got {_show(number)})")
    if number < 0:
        raise ValidationError(field_name, f"must not be negative (got {_show(number)})")
    if number > maximum:
        raise ValidationError(field_name, f"must be at most {maximum:,} (got {_show(number)}); check the figure")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > places:
        raise ValidationError(
            field_name, f"has more than {places} decimal places (got {_show(number)}); round it to {places}"
        )
    return number


def bounded_float(value: object, field_name: str, *, maximum: float) -> float | None:
    """An optional finite, non-negative measurement of at most ``maximum`` (None stays None)."""
    if value is None:
        return None
    if isinstance(value, bool):
        raise ValidationError(field_name, f"must be a number, not {value}")
    if isinstance(value, int | float | Decimal):
        try:
            number = float(value)
        except OverflowError:
            number = float("inf")
    else:
        raise ValidationError(field_name, f"must be a number, not {type(value).__name__}")
    if not math.isfinite(number):
        raise ValidationError(field_name, f"must be a finite number (got {_show(value)})")
    if number < 0:
        raise ValidationError(field_name, f"must not be negative (got {_show(value)})")
    if number > maximum:
        raise ValidationError(field_name, f"must be at most {maximum:,.0f} (got {_show(value)}); check the figure")
    return value if isinstance(value, int | float) else number  # as given, so serialised figures stay the same


MAX_RECORD_ID = 2**63 - 1


def optional_id(value: object, field_name: str) -> int | None:
    """A database id referenced from a plain value (a register party, a product), or None."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_RECORD_ID:
        raise ValidationError(field_name, f"'{value}' is not a record id (a positive whole number)")
    return value
