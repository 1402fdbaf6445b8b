"""Typed errors whose messages a compliance officer can act on."""

from __future__ import annotations


def one_line(text: str) -> str:
    """Escape line breaks and control characters so a message stays one readable line."""
    return "".join(ch if ch >= " " or ch == "\t" else repr(ch)[1:-1] for ch in text)


class WorkbenchError(Exception):
    """Base of every error the user caused and can fix (CLI exit code 2).

    The message itself is what any front end shows, so it never names a command; a hint that only
    makes sense on the command line (``"check the reference with 'case list'"``) goes in ``cli_hint``
    and only ``workbench-cli`` adds it (``for_cli``).
    """

    def __init__(self, *args: object, cli_hint: str = "") -> None:
        super().__init__(*args)
        self.cli_hint = cli_hint

    def for_cli(self) -> str:
        """The message with its command-line hint, as ``workbench-cli`` prints it."""
        text = str(self)
        return f"{text.rstrip('.')}; {self.cli_hint}." if self.cli_hint else text


class ValidationError(WorkbenchError, ValueError):
    """A value broke a domain rule; ``field`` says where, ``message`` says what to do.

    It subclasses ``ValueError`` so pydantic validators report it with the JSON path.
    """

    def __init__(self, field: str, message: str) -> None:
        self.field = field
        self.message = message
        super().__init__(f"{field}: {message}" if field else message)

    def at(self, prefix: str) -> ValidationError:
        """Return the same error located under ``prefix`` (e.g. ``items[2]``)."""
        field = f"{prefix}.{self.field}" if self.field else prefix
        return ValidationError(field, self.message)


class NotFoundError(WorkbenchError):
    """The thing asked for does not exist."""


class DuplicateError(WorkbenchError):
    """A record with the same identity exists already."""


class ConflictError(WorkbenchError):
    """Someone else saved the same record since it was read (optimistic locking)."""


class InputFileError(WorkbenchError):
    """A file given by the user cannot be read or does not have the expected content."""


class RevisionReasonRequired(WorkbenchError):
    """A determined case was to be changed without the reason that starts its new revision."""
