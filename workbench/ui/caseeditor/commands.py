"""Undo commands: every field edit, cell edit, row insert and row removal is one command."""

from __future__ import annotations

from typing import Any, Protocol

from PySide6.QtGui import QUndoCommand

from workbench.ui.caseeditor.state import Row

_FIELD_ID = 1001
_RED_FLAG_ID = 1002


class FieldTarget(Protocol):
    def apply_field(self, key: str, value: Any) -> None: ...


class RowTarget(Protocol):
    noun: str

    def apply_cell(self, row: int, key: str, value: Any) -> None: ...
    def insert_row(self, row: int, values: Row) -> None: ...
    def remove_row(self, row: int) -> Row: ...


class RedFlagTarget(Protocol):
    def apply_red_flag(self, flag_id: str, value: tuple[str, str] | None) -> None: ...


class StateTarget(Protocol):
    def apply_state(self, state: dict[str, Any]) -> None: ...


class SetFieldCommand(QUndoCommand):
    """Change one general field; consecutive edits of the same field merge into one step."""

    def __init__(self, target: FieldTarget, key: str, label: str, old: Any, new: Any) -> None:
        super().__init__(f"Edit {label}")
        self._target, self.key, self._old, self._new = target, key, old, new

    def id(self) -> int:
        return _FIELD_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetFieldCommand) or other.key != self.key or other._target is not self._target:
            return False
        self._new = other._new
        self.setObsolete(self._new == self._old)
        return True

    def redo(self) -> None:
        self._target.apply_field(self.key, self._new)

    def undo(self) -> None:
        self._target.apply_field(self.key, self._old)


class SetRedFlagCommand(QUndoCommand):
    """Answer a red flag (answer and note; None = unanswered); note typing on one flag merges into one step."""

    def __init__(
        self,
        target: RedFlagTarget,
        flag_id: str,
        old: tuple[str, str] | None,
        new: tuple[str, str] | None,
        label: str = "",
    ) -> None:
        super().__init__(f"Answer red flag: {label}" if label else f"Answer red flag {flag_id}")
        self._target, self.flag_id, self._old, self._new = target, flag_id, old, new

    def id(self) -> int:
        return _RED_FLAG_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        if not isinstance(other, SetRedFlagCommand) or other.flag_id != self.flag_id:
            return False
        if other._target is not self._target:
            return False
        self._new = other._new
        self.setObsolete(self._new == self._old)
        return True

    def redo(self) -> None:
        self._target.apply_red_flag(self.flag_id, self._new)

    def undo(self) -> None:
        self._target.apply_red_flag(self.flag_id, self._old)


class SetCellCommand(QUndoCommand):
    def __init__(self, target: RowTarget, row: int, key: str, label: str, old: Any, new: Any) -> None:
        super().__init__(f"Edit {target.noun} {row + 1}: {label}")
        self._target, self._row, self._key, self._old, self._new = target, row, key, old, new

    def redo(self) -> None:
        self._target.apply_cell(self._row, self._key, self._new)

    def undo(self) -> None:
        self._target.apply_cell(self._row, self._key, self._old)


class InsertRowCommand(QUndoCommand):
    def __init__(self, target: RowTarget, row: int, values: Row) -> None:
        super().__init__(f"Add {target.noun}")
        self._target, self._row, self._values = target, row, dict(values)

    def redo(self) -> None:
        self._target.insert_row(self._row, dict(self._values))

    def undo(self) -> None:
        self._target.remove_row(self._row)


class RemoveRowCommand(QUndoCommand):
    def __init__(self, target: RowTarget, row: int) -> None:
        super().__init__(f"Remove {target.noun} {row + 1}")
        self._target, self._row = target, row
        self._values: Row = {}

    def redo(self) -> None:
        self._values = self._target.remove_row(self._row)

    def undo(self) -> None:
        self._target.insert_row(self._row, dict(self._values))


class ReplaceStateCommand(QUndoCommand):
    """Swap the whole editor state, e.g. to restore an autosaved draft (undo goes back to the saved case)."""

    def __init__(self, target: StateTarget, text: str, old: dict[str, Any], new: dict[str, Any]) -> None:
        super().__init__(text)
        self._target, self._old, self._new = target, old, new

    def redo(self) -> None:
        self._target.apply_state(self._new)

    def undo(self) -> None:
        self._target.apply_state(self._old)
