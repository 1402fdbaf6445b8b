"""Listings that bar licence exceptions, applied after the exceptions are found (``parties.exception_bars``,
and ``ownership.exception_bars`` for the bars the Affiliates Rule passes from listed owners to the
entities they own 50 % or more of, while it is enforced).

A Denied Persons, Unverified List, MEU or SDN listing takes every licence exception the case has
found away (save those the list allows, e.g. GOV for the MEU list). An Entity List entry takes them
away only for the items its licence-requirement column reaches (15 CFR 744.16(b): no licence
exceptions "to listed entities ... of specified items"), so an item outside the entry keeps what the
Country Chart, §740.2 and the other bars leave it, and its finding says why. A column the engine
cannot read reaches every item, as it does for the licence requirement. ``rules.coverage`` tells a
barred requirement by the words "bars licence exceptions"; a spared finding never contains them.
"""

from __future__ import annotations

from dataclasses import replace

from workbench.domain.determination import Finding, Outcome
from workbench.rules.checks import elscope, ownership
from workbench.rules.checks.parties import ExceptionBar, exception_bars
from workbench.rules.context import Context


def apply(ctx: Context) -> None:
    """Turn each exception a bar covers into a licence requirement; name the entry bars an item escapes."""
    bars = [*exception_bars(ctx), *ownership.exception_bars(ctx)]
    if not bars:
        return
    updated = []
    for key, finding in ctx.raw_findings():
        if finding.outcome is Outcome.LICENSE_EXCEPTION and finding.exception:
            against = [bar for bar in bars if finding.exception not in bar.allowed]
            blocking = [bar for bar in against if bar.covers(finding.subject)]
            if blocking:
                finding = _barred(finding, blocking)
                key = (-finding.outcome.severity, *key[1:])
            elif against:
                finding = _spared(finding, against)
        updated.append((key, finding))
    ctx.replace_findings(updated)


def _on_item(subject: str) -> bool:
    return elscope.item_index(subject) is not None


def _clause(bar: ExceptionBar, subject: str) -> str:
    """Why one bar holds for the finding's subject, in one clause."""
    if not bar.citation:
        return f"{bar.why}, and that list bars licence exceptions"
    among = ", this item among them" if bar.settled and _on_item(subject) else ""
    return (
        f"{bar.why}, whose entry's licence requirement {bar.reach}{among}, "
        f"and {bar.citation} bars licence exceptions for the items an entry reaches"
    )


def _barred(finding: Finding, blocking: list[ExceptionBar]) -> Finding:
    firm = [bar for bar in blocking if bar.provisional is None]
    # A bar resting only on unresolved hits makes the requirement provisional.
    condition = None if firm else " or ".join(dict.fromkeys(b.provisional or "" for b in blocking))
    clauses = "; ".join(_clause(bar, finding.subject) for bar in blocking)
    return replace(
        finding,
        outcome=Outcome.LICENSE_REQUIRED,
        exception=None,
        explanation=f"{finding.explanation} License Exception {finding.exception} is not available: {clauses}. "
        + ("A licence is required if that match is confirmed." if condition else "A licence is required."),
        provisional=condition,
        unconfirmed=finding.unconfirmed or any(_unconfirmed(bar) for bar in blocking),
    )


def _spared(finding: Finding, spared: list[ExceptionBar]) -> Finding:
    """An exception kept because the Entity List entries against it do not reach the finding's items."""
    what = "this item" if _on_item(finding.subject) else "any item of this case"
    notes = [
        f"{bar.why[0].upper()}{bar.why[1:]}, but its entry's licence requirement {bar.reach}, which does not "
        f"include {what}, so {bar.citation} leaves License Exception {finding.exception} available here"
        + (" even if the match is confirmed." if bar.provisional else ".")
        for bar in spared
    ]
    return replace(
        finding,
        explanation=f"{finding.explanation} " + " ".join(notes),
        unconfirmed=finding.unconfirmed or any(_unconfirmed(bar) for bar in spared),
    )


def _unconfirmed(bar: ExceptionBar) -> bool:
    return bar.unconfirmed or "UNCONFIRMED" in bar.reach
