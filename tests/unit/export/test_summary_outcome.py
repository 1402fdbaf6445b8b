"""The workbook Summary's outcome row never reads NLR on green while anything is open or provisional."""

from __future__ import annotations

import dataclasses

from tests.unit.export.sample import demo_record
from workbench.domain.determination import Finding, Outcome
from workbench.domain.record import DeterminationRecord
from workbench.export.workbook import OPEN_COLOURS, OUTCOME_COLOURS, render_workbook


def _record(outcome: Outcome, findings: tuple[Finding, ...], open_items: tuple[str, ...]) -> DeterminationRecord:
    record = demo_record()
    det = dataclasses.replace(
        record.determination,
        outcome=outcome,
        findings=findings,
        open_items=open_items,
        review_required=bool(open_items),
    )
    return dataclasses.replace(record, determination=det, screening=())


def _outcome_cell(record: DeterminationRecord) -> tuple[str, str]:
    ws = render_workbook(record)["Summary"]
    assert ws["A3"].value == "Outcome"
    return str(ws["B3"].value), str(ws["B3"].fill.fgColor.rgb)


def test_open_items_read_open_not_nlr() -> None:
    nlr = Finding("chart", Outcome.NLR, "15 CFR 738", "item 1", "No X in the chart.")
    text, fill = _outcome_cell(_record(Outcome.NLR, (nlr,), ("Answer the red-flag checklist",)))
    assert text == "Open items: 1 — outcome not yet determined"
    assert "NLR" not in text and fill.endswith(OPEN_COLOURS[0])


def test_determined_nlr_is_green() -> None:
    nlr = Finding("chart", Outcome.NLR, "15 CFR 738", "item 1", "No X in the chart.")
    text, fill = _outcome_cell(_record(Outcome.NLR, (nlr,), ()))
    assert text == "No licence required (NLR)" and fill.endswith(OUTCOME_COLOURS[Outcome.NLR][0])


def test_provisional_outcome_names_its_condition() -> None:
    hit = Finding(
        "screening.unresolved",
        Outcome.LICENSE_REQUIRED,
        "15 CFR 744.11; 744.16",
        "party 2 (Acme)",
        "Unresolved possible Entity List match.",
        review=True,
        provisional="the Entity List match for party 2 (Acme) is confirmed",
    )
    text, fill = _outcome_cell(_record(Outcome.LICENSE_REQUIRED, (hit,), ("resolve the possible match",)))
    assert text == (
        "Provisional: licence required if the Entity List match for party 2 (Acme) is confirmed · open items: 1"
    )
    assert fill.endswith(OUTCOME_COLOURS[Outcome.LICENSE_REQUIRED][0])
