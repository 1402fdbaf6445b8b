"""The rule-update report as an Excel workbook: every change in words, and the cases it moves."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from workbench.export.atomic import write_bytes_atomic
from workbench.export.sheets import add_table_sheet, summary_workbook


@dataclass(frozen=True, slots=True)
class ChangeRow:
    area: str
    subject: str
    change: str
    before: str
    after: str
    words: str


@dataclass(frozen=True, slots=True)
class MovedCaseRow:
    reference: str
    before_outcome: str
    after_outcome: str
    open_items_added: str
    open_items_resolved: str


def rule_update_workbook(
    title: str, changes: Sequence[ChangeRow], moved: Sequence[MovedCaseRow], summary: Sequence[str]
) -> bytes:
    wb = summary_workbook(title, summary)
    add_table_sheet(
        wb,
        "Changes",
        ("Area", "Subject", "Change", "Before", "After", "In words"),
        [(c.area, c.subject, c.change, c.before, c.after, c.words) for c in changes],
        (20, 28, 10, 30, 30, 90),
    )
    add_table_sheet(
        wb,
        "Cases moved",
        ("Case", "Outcome before", "Outcome after", "Open items added", "Open items resolved"),
        [(m.reference, m.before_outcome, m.after_outcome, m.open_items_added, m.open_items_resolved) for m in moved],
        (18, 18, 18, 70, 70),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def write_rule_update_workbook(
    path: Path, title: str, changes: Sequence[ChangeRow], moved: Sequence[MovedCaseRow], summary: Sequence[str]
) -> None:
    write_bytes_atomic(path, rule_update_workbook(title, changes, moved, summary))
