"""After a party master is imported: screen the parties it created, and the XLSX report of
their hits, so one step takes a customer master from a file to an officer's review list."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from workbench.domain.register_screening import PartyScreeningStatus
from workbench.export.atomic import write_bytes_atomic
from workbench.export.partyreport import ReportHit, ReportParty, screening_report_workbook
from workbench.services import register_screening
from workbench.services.bootstrap import Workbench
from workbench.services.register_import import ImportReport
from workbench.services.register_screening import PartyScreening

Progress = Callable[[int, int], None]


@dataclass
class ImportScreening:
    results: list[PartyScreening] = field(default_factory=list)
    not_screened: list[int] = field(default_factory=list)
    """Imported parties not reached because screening was cancelled: they stay not screened."""
    list_label: str = ""

    def count(self, status: PartyScreeningStatus) -> int:
        return sum(1 for r in self.results if r.status is status)


def screen_imported(
    wb: Workbench,
    report: ImportReport,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportScreening:
    """Screen every party the import created, each in its own transaction (the import itself stays)."""
    ids = [p.id for p in report.created if p.id is not None]
    outcome = ImportScreening()
    if progress:
        progress(0, len(ids))
    for done, party_id in enumerate(ids, 1):
        if cancel and cancel():
            outcome.not_screened.extend(ids[done - 1 :])
            break
        result = register_screening.screen_party(wb, party_id)
        outcome.results.append(result)
        outcome.list_label = result.version.label
        if progress:
            progress(done, len(ids))
    return outcome


def write_screening_report(report: ImportReport, screening: ImportScreening, path: Path) -> None:
    """The report as one workbook, written atomically (the old file or the whole new one)."""
    parties = [ReportParty(r.party.id or 0, r.party.name, r.party.country, r.status.value) for r in screening.results]
    parties += [
        ReportParty(p.id or 0, p.name, p.country, PartyScreeningStatus.NOT_SCREENED.value)
        for p in report.created
        if p.id in set(screening.not_screened)
    ]
    hits = [
        ReportHit(
            party_id=h.party_id,
            party_name=r.party.name,
            list_code=h.source_code,
            entry_id=h.entry_id,
            entry_name=h.entry_name,
            matched_name=h.matched_name,
            queried_name=str(h.explanation.get("query", "")),
            score=h.score,
            explanation=str(h.explanation.get("text", "")),
        )
        for r in screening.results
        for h in r.hits
        if not h.resolved
    ]
    unresolved = screening.count(PartyScreeningStatus.UNRESOLVED)
    summary = [
        f"Source: {report.source} ({report.rows:,} rows; {len(report.created):,} parties created, "
        f"{len(report.duplicates):,} already in the register or repeated, not created).",
        f"Screened against: {screening.list_label or 'no list (nothing was screened)'}, on {date.today().isoformat()}.",
        f"{unresolved:,} parties have hits to review ({len(hits):,} hits, on the Hits sheet, highest score first); "
        f"{screening.count(PartyScreeningStatus.CLEAR):,} are clear.",
    ]
    if screening.not_screened:
        summary.append(
            f"Screening was cancelled: {len(screening.not_screened):,} parties were not screened "
            "(screen the whole register to finish them)."
        )
    data = screening_report_workbook(
        f"Screening of the imported party master {Path(report.source).name}", summary, parties, hits
    )
    write_bytes_atomic(path, data)
