"""Field checks shared by the domain entities, so every entity words its errors the same way."""

from __future__ import annotations

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
