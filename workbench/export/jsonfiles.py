"""Reading JSON input files (case files, licence files) with errors that name file, JSON path and problem."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel
from pydantic import ValidationError as PydanticValidationError

from workbench.domain.errors import InputFileError, ValidationError, one_line

ModelT = TypeVar("ModelT", bound=BaseModel)
T = TypeVar("T")


def read_input_file(path: Path, kind: str, max_bytes: int) -> bytes:
    """The bytes of a user's input file, or one clear sentence on why it cannot be read."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise InputFileError(f"{path}: is {size:,} bytes; {kind}s are limited to {max_bytes:,} bytes.")
        return path.read_bytes()
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file; check the path.") from None
    except IsADirectoryError:
        raise InputFileError(f"{path}: is a folder, not a {kind}.") from None
    except PermissionError:
        raise InputFileError(f"{path}: cannot be read (permission denied).") from None


MAX_NUMBER_DIGITS = 40
"""No field of an input file takes a longer number; longer ones are refused before conversion."""


class _BadNumber(Exception):
    def __init__(self, text: str, reason: str) -> None:
        super().__init__(text)
        self.text = text
        self.reason = reason


def _parse_int(text: str) -> int:
    if len(text) > MAX_NUMBER_DIGITS:
        raise _BadNumber(text, f"has a number of {len(text):,} digits; no field takes more than {MAX_NUMBER_DIGITS}")
    return int(text)


def _parse_float(text: str) -> float:
    if len(text) > MAX_NUMBER_DIGITS:
        reason = f"has a number of {len(text):,} characters; no field takes more than {MAX_NUMBER_DIGITS}"
        raise _BadNumber(text, reason)
    return float(text)


def _parse_constant(text: str) -> float:
    raise _BadNumber(text, f"has {text}, which is not a JSON number; give a finite number")


def load_json_object(data: bytes | str, source: str, kind: str) -> dict[str, Any]:
    """Parse a JSON object; bad encoding, syntax, depth and number literals are one clear sentence."""
    try:
        raw = json.loads(data, parse_int=_parse_int, parse_float=_parse_float, parse_constant=_parse_constant)
    except _BadNumber as exc:
        raise InputFileError(f"{source}: {exc.reason}.") from None
    except UnicodeDecodeError as exc:
        raise InputFileError(f"{source}: is not UTF-8 text ({exc.reason}); save it as UTF-8 JSON.") from None
    except json.JSONDecodeError as exc:
        raise InputFileError(
            f"{source}: is not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}."
        ) from None
    except RecursionError:
        raise InputFileError(f"{source}: nests JSON too deeply to be a {kind}.") from None
    if not isinstance(raw, dict):
        raise InputFileError(f"{source}: a {kind} must be a JSON object, not {type(raw).__name__}.")
    return raw


def json_path(loc: tuple[int | str, ...]) -> str:
    path = "$"
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _message(error: Any, kind: str) -> str:
    code = error["type"]
    if code == "missing":
        return "is required but missing"
    if code == "extra_forbidden":
        return f"is not a field of a {kind}; check its spelling or remove it"
    if code == "greater_than_equal" and error.get("ctx", {}).get("ge") == 0:
        return f"must not be negative (got {error.get('input')})"
    if code == "enum":
        expected = error.get("ctx", {}).get("expected", "")
        shown = repr(error.get("input"))
        shown = shown if len(shown) <= 60 else f"{shown[:50]}…({len(shown):,} characters)"
        return f"{shown} is not allowed; use one of {expected}"
    return str(error["msg"]).removeprefix("Value error, ")


def validate(model: type[ModelT], raw: dict[str, Any], source: str, kind: str) -> ModelT:
    """Validate with pydantic, reporting the first problem by JSON path (and how many more there are)."""
    try:
        return model.model_validate(raw)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
        raise InputFileError(one_line(f"{source}: {json_path(first['loc'])}: {_message(first, kind)}{more}.")) from None


def located(location: str, build: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Build a domain entity; its validation error is re-raised under ``location`` (a JSON path)."""
    try:
        return build(*args, **kwargs)
    except ValidationError as exc:
        raise exc.at(location) from None


def domain_error(source: str, exc: ValidationError) -> InputFileError:
    field = exc.field if exc.field.startswith("$") else f"$.{exc.field}" if exc.field else "$"
    return InputFileError(one_line(f"{source}: {field}: {exc.message}."))
