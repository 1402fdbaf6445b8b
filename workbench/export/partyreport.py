"""The screening report of an imported party master: every imported party, its status, and each
hit with the explanation an officer needs to decide it, as an Excel workbook."""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass

from workbench.export.sheets import add_table_sheet, summary_workbook


@dataclass(frozen=True, slots=True)
class ReportParty:
    party_id: int
    name: str
    country: str
    status: str


@dataclass(frozen=True, slots=True)
class ReportHit:
    party_id: int
    party_name: str
    list_code: str
    entry_id: str
    entry_name: str
    matched_name: str
    queried_name: str
    score: float
    explanation: str


def screening_report_workbook(
    title: str, summary: Sequence[str], parties: Sequence[ReportParty], hits: Sequence[ReportHit]
) -> bytes:
    """Summary, Parties (one row each, with its screening status) and Hits (highest score first)."""
    wb = summary_workbook(title, summary)
    add_table_sheet(
        wb,
        "Parties",
        ("Party", "Name", "Country", "Screening"),
        [(p.party_id, p.name, p.country, p.status) for p in parties],
        (10, 60, 10, 16),
    )
    ordered = sorted(hits, key=lambda h: (-h.score, h.party_id, h.entry_id))
    add_table_sheet(
        wb,
        "Hits",
        ("Party", "Party name", "Name screened", "List", "Entry", "Listed name", "Matched name", "Score", "Why"),
        [
            (
                h.party_id,
                h.party_name,
                h.queried_name,
                h.list_code,
                h.entry_id,
                h.entry_name,
                h.matched_name,
                round(h.score, 3),
                h.explanation,
            )
            for h in ordered
        ],
        (10, 40, 40, 8, 14, 40, 40, 8, 100),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
