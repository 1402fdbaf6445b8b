"""Which recorded licences cover a determination's licence requirements.

``cover`` is pure: it reads the determination, the case, the licences and the shipments
already made, and returns the determination with ``covered_by`` set on each
``license_required`` finding a licence covers, plus ``all_requirements_covered``. The
engine's outcome is left alone: a covered requirement is still a requirement, now met.

A licence (or a recorded licence exception) covers a finding when, on ``as_of``:
it is valid; its destination is the case's; every party of the case (except role
``other``, and the applicant when the licence names none) is named on it in the same
role and country; and, for an item finding, the item's ECCN is on a licence line whose
remaining balance (§750.11 tolerances included) takes what the case has still to ship on
that line. A finding about the case, the destination or a party needs every item covered.
A licence exception never covers a finding about a listed party or about a party the
Affiliates Rule covers (its owners' restrictions pass to it, Supp. No. 8 to part 744 (b)), nor
one the engine turned into a requirement because a listing bars licence exceptions; one that covers
another requirement is marked for review, since the engine did not find the exception
available.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from workbench.domain.case import Case
from workbench.domain.determination import Determination, Finding, Outcome
from workbench.domain.licences import (
    Licence,
    LicenceKind,
    LineBalance,
    Shipment,
    balances,
    check_shipment,
    scope_problems,
    shipped_for_case,
)

_ITEM = re.compile(r"^item (\d+)$")
_BARRED = "bars licence exceptions"
_NEVER_BY_EXCEPTION = ("listed.", "ownership.affiliates")
"""Rules whose requirements no recorded licence exception covers: listings and affiliates of listed owners."""


@dataclass(frozen=True, slots=True)
class LicenceFit:
    """How far one licence covers one case on one day."""

    licence: Licence
    problems: tuple[str, ...]
    """Why it covers nothing (dates, destination, parties); empty when the scope fits."""
    items: dict[int, int]
    """Case item position -> licence line, for the items it covers."""
    item_problems: dict[int, str]
    """Case item position -> why the licence does not cover it."""

    def covers_item(self, position: int) -> bool:
        return not self.problems and position in self.items

    def covers_all(self, case: Case) -> bool:
        return not self.problems and all(i in self.items for i in range(1, len(case.items) + 1))


def fit(licence: Licence, case: Case, as_of: date, shipments: Sequence[Shipment] = ()) -> LicenceFit:
    """Check ``licence`` against ``case`` on ``as_of``, with the balances left after ``shipments``."""
    problems = tuple(scope_problems(licence, case, as_of))
    line_balance = {b.item.line: b for b in balances(licence, shipments)}
    demand: dict[int, tuple[Decimal, Decimal]] = {}
    chosen: dict[int, int] = {}
    item_problems: dict[int, str] = {}
    for position, item in enumerate(case.items, start=1):
        lines = [li for li in licence.items if li.eccn == item.eccn]
        if item.eccn is None or not lines:
            item_problems[position] = (
                f"item {position} has no ECCN" if item.eccn is None else f"{item.eccn} is not on {licence.label}"
            )
            continue
        line = lines[0]
        if line.limited and line.currency != item.currency:
            item_problems[position] = f"item {position} is priced in {item.currency}, the licence in {line.currency}"
            continue
        done_q, done_v = shipped_for_case(shipments, licence.number, line.line, case.reference)
        q, v = demand.get(line.line, (Decimal(0), Decimal(0)))
        demand[line.line] = (
            q + max(item.quantity - done_q, Decimal(0)),
            v + max(item.total_value - done_v, Decimal(0)),
        )
        chosen[position] = line.line
    for line_no, (quantity, value) in demand.items():
        if quantity == 0 and value == 0:
            continue
        balance: LineBalance = line_balance[line_no]
        verdict = check_shipment(licence, balance, quantity, value)
        if not verdict.allowed:
            for position in [p for p, ln in chosen.items() if ln == line_no]:
                del chosen[position]
                item_problems[position] = " ".join(verdict.refusals)
    return LicenceFit(licence, problems, chosen, item_problems)


def _may_cover(licence: Licence, finding: Finding) -> bool:
    if licence.kind is LicenceKind.LICENCE:
        return True
    return not finding.rule.startswith(_NEVER_BY_EXCEPTION) and _BARRED not in finding.explanation


def cover(
    determination: Determination,
    case: Case,
    licences: Sequence[Licence],
    as_of: date,
    *,
    shipments: Sequence[Shipment] = (),
) -> Determination:
    """``determination`` with ``covered_by`` on covered ``license_required`` findings and the overall verdict.

    Licences are tried before licence exceptions, each group by number, so the answer is stable.
    """
    ordered = sorted(licences, key=lambda lic: (lic.kind is not LicenceKind.LICENCE, lic.number))
    fits = [fit(lic, case, as_of, shipments) for lic in ordered]
    findings = []
    for finding in determination.findings:
        if finding.outcome is not Outcome.LICENSE_REQUIRED:
            findings.append(replace(finding, covered_by=None))
            continue
        match = _ITEM.match(finding.subject)
        covering = None
        for f in fits:
            if not _may_cover(f.licence, finding):
                continue
            if f.covers_item(int(match.group(1))) if match else f.covers_all(case):
                covering = f.licence
                break
        if covering is None:
            findings.append(replace(finding, covered_by=None))
        else:
            review = finding.review or covering.kind is LicenceKind.LICENCE_EXCEPTION
            findings.append(replace(finding, covered_by=covering.number, review=review))
    required = [f for f in findings if f.outcome is Outcome.LICENSE_REQUIRED]
    prohibited = any(f.outcome is Outcome.PROHIBITED for f in findings)
    return replace(
        determination,
        findings=tuple(findings),
        review_required=determination.review_required or any(f.review for f in findings),
        all_requirements_covered=not prohibited and all(f.covered_by for f in required),
    )


def gaps(case: Case, licences: Sequence[Licence], as_of: date, shipments: Sequence[Shipment] = ()) -> list[str]:
    """For each licence to the case's destination, why it does not cover the whole case (for the officer)."""
    out = []
    for lic in sorted(licences, key=lambda x: x.number):
        if lic.destination != case.destination:
            continue
        f = fit(lic, case, as_of, shipments)
        reasons = list(f.problems) + [f.item_problems[p] for p in sorted(f.item_problems)]
        if reasons:
            out.append(f"{lic.label}: " + "; ".join(reasons))
    return out
