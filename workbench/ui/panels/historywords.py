"""The audit trail in words: one group per save (or screening, decision…), one sentence per change.

The audit log stores field paths and JSON values (``destination``: ``"MY"`` -> ``"SG"``); the
officer reads "Destination: Malaysia (MY) → Singapore (SG)". Entries written by one action share
their time, officer, action and reason, which is how they are grouped.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from workbench.domain.audit import AuditEntry
from workbench.domain.countries import country_name
from workbench.ui.caseeditor.tables import listed_on_label
from workbench.ui.messages import field_label

MAX_TEXT = 160
ACTION_WORDS = {
    "create": "Created the case",
    "update": "Saved changes",
    "screen": "Screened the parties",
    "disposition": "Decided a screening hit",
    "attach_document": "Attached a document",
    "update_document": "Changed a document's record",
    "remove_document": "Removed a document",
    "determine": "Determined the case",
    "sign": "Signed the determination",
    "import_bundle": "Imported the case from a bundle",
    "delete": "Deleted the case",
}
_COUNTRY_FIELDS = {"destination", "export_from", "country", "headquarters_country"}
_DECISIONS = {"true_match": "true match", "false_positive": "false positive"}


@dataclass(frozen=True, slots=True)
class SaveGroup:
    """The entries one action wrote: when, who, what (in words), why, and a sentence per change."""

    at: str
    officer: str
    action: str
    reason: str
    changes: tuple[str, ...]
    first_seq: int


def action_words(action: str) -> str:
    return ACTION_WORDS.get(action, action.replace("_", " ").capitalize())


def _short(text: str) -> str:
    return text if len(text) <= MAX_TEXT else text[: MAX_TEXT - 1] + "…"


def _summary(value: dict[str, Any]) -> str:
    """A record (a document, a party) by its most telling field."""
    for key in ("filename", "name", "description", "title", "number"):
        if value.get(key):
            return str(value[key])
    return ", ".join(f"{k}: {v}" for k, v in sorted(value.items()) if v not in (None, "", [], {}))


def value_words(value: Any, field: str = "") -> str:
    """One value as the officer reads it: countries by name, yes/no, lists joined, records summarised."""
    leaf = field.rsplit(".", 1)[-1].split("[", 1)[0]
    if value is None or value == "" or value == []:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if leaf in _COUNTRY_FIELDS and isinstance(value, str):
        return f"{country_name(value)} ({value})"
    if leaf == "listed_on" and isinstance(value, list):
        return listed_on_label([str(v) for v in value])
    if isinstance(value, list):
        return _short(", ".join(_summary(v) if isinstance(v, dict) else str(v) for v in value))
    if isinstance(value, dict):
        return _short(_summary(value))
    if isinstance(value, str):
        return _short(" ".join(value.split()))
    return _short(json.dumps(value, ensure_ascii=False, default=str))


def change_sentence(entry: AuditEntry) -> str:
    """``Destination: Malaysia (MY) → Singapore (SG)``, or what the action did when it has no field."""
    field, before, after = entry.field, entry.before, entry.after
    if entry.action == "create" and not field and isinstance(after, dict):
        parties, items = len(after.get("parties") or []), len(after.get("items") or [])
        party_words = f"{parties} part{'y' if parties == 1 else 'ies'}"
        return f"{after.get('title', '')}: {party_words}, {items} item{'' if items == 1 else 's'}"
    if entry.action == "delete" and not field:
        return "The case and its parts were deleted"
    if entry.action == "screen" and field == "hit":
        return f"New hit: {after}" if after else f"No longer a hit: {before}"
    if entry.action == "screen" and field == "list_version":
        return f"Against the list version {after}"
    if entry.action == "screen" and field == "threshold":
        return f"Hit threshold {after}"
    if entry.action == "disposition":
        return f"{field}: {_DECISIONS.get(str(after), value_words(after))}"
    if not field:
        return action_words(entry.action)
    label = field_label(field)
    if before is None and isinstance(after, dict):
        return f"{label} added: {value_words(after, field)}"
    if after is None and isinstance(before, dict):
        return f"{label} removed: {value_words(before, field)}"
    return f"{label}: {value_words(before, field)} → {value_words(after, field)}"


def group_entries(entries: Sequence[AuditEntry]) -> list[SaveGroup]:
    """Consecutive entries of one action (same time, officer, action, reason) as one group, oldest first."""
    groups: list[SaveGroup] = []
    current: list[AuditEntry] = []

    def close() -> None:
        if current:
            head = current[0]
            groups.append(
                SaveGroup(
                    head.at,
                    head.officer,
                    head.action,
                    head.reason,
                    tuple(change_sentence(e) for e in current),
                    head.seq,
                )
            )

    for entry in sorted(entries, key=lambda e: e.seq):
        if current and (entry.at, entry.officer, entry.action, entry.reason) != (
            current[0].at,
            current[0].officer,
            current[0].action,
            current[0].reason,
        ):
            close()
            current = []
        current.append(entry)
    close()
    return groups
