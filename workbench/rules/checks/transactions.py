"""Transaction types: exports, reexports and in-country transfers, where the text distinguishes them.

An export leaves the United States (15 CFR 734.13), a reexport ships an item from one foreign
country to another (734.14; ``export_from`` is the reexport's origin), an in-country transfer
changes the end use or end user within one foreign country (734.16). A case whose type and
countries disagree is an open item. Rules limited to one type ask ``exported_from`` (e.g. the
January 2026 review policy, 91 FR 1684, only for exports from the US); scopes worded "to or
within" reach in-country transfers expressly, and the finding says which rows do.
"""

from __future__ import annotations

from collections.abc import Iterable

from workbench.domain.case import TransactionType
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.rules.ccl import Match, ccl_entry, control_match
from workbench.rules.checks.common import CASE
from workbench.rules.context import Context

DEFINITIONS = {
    TransactionType.EXPORT: "15 CFR 734.13",
    TransactionType.REEXPORT: "15 CFR 734.14",
    TransactionType.IN_COUNTRY_TRANSFER: "15 CFR 734.16",
}


def exported_from(ctx: Context, origins: Iterable[str]) -> bool:
    """Whether the case is an export (not a reexport or in-country transfer) from one of ``origins``."""
    return ctx.case.transaction_type is TransactionType.EXPORT and ctx.case.export_from in tuple(origins)


def run(ctx: Context) -> None:
    case = ctx.case
    kind = case.transaction_type
    origin, dest = country_name(case.export_from), country_name(case.destination)
    problem = None
    if kind is TransactionType.EXPORT and case.export_from != "US":
        problem = (
            f"the case is an export, but it ships from {origin}: an export leaves the United States (15 CFR 734.13); "
            "record it as a reexport (or correct export_from)"
        )
    elif kind is TransactionType.REEXPORT and case.export_from == "US":
        problem = "the case is a reexport from the United States: a shipment from the US is an export (15 CFR 734.13)"
    elif kind is TransactionType.REEXPORT and case.export_from == case.destination:
        problem = (
            f"the case is a reexport from {origin} to {dest}, the same country: record it as an in-country "
            "transfer (15 CFR 734.16)"
        )
    elif kind is TransactionType.IN_COUNTRY_TRANSFER and case.export_from == "US":
        problem = (
            "an in-country transfer under the EAR takes place within a foreign country (15 CFR 734.16), not the US"
        )
    if problem:
        ctx.add(
            "transaction.type",
            Outcome.NLR,
            DEFINITIONS[kind],
            "case",
            f"Transaction type: {problem}.",
            order=CASE,
            review=True,
        )
        ctx.open_item(f"transaction type: {problem}")
        return
    if kind is TransactionType.EXPORT:
        return  # the plain case: every rule is written for it
    if kind is TransactionType.REEXPORT:
        text = (
            f"Reexport from {origin} to {dest} (15 CFR 734.14): the Country Chart and CCL scopes are applied to "
            f"{dest}; "
            "rules limited to exports from the United States (e.g. the January 2026 case-by-case review policy, "
            "91 FR 1684) do not apply, and foreign-made items are judged for de minimis and the foreign direct "
            "product rules."
        )
        ctx.add("transaction.type", Outcome.NLR, DEFINITIONS[kind], "case", text, order=CASE)
        return
    within, only_to = _scopes(ctx)
    text = (
        f"In-country transfer within {dest} (15 CFR 734.16). "
        + (f"Rows worded 'to or within' reach it expressly: {'; '.join(within)}. " if within else "")
        + (
            f"Rows not worded 'within' are applied to it as to a shipment to {dest} (an interpretation, "
            f"UNCONFIRMED for: {'; '.join(only_to)}). "
            if only_to
            else ""
        )
        + "Rules limited to exports from the United States (e.g. 91 FR 1684) do not apply."
    )
    ctx.add("transaction.type", Outcome.NLR, DEFINITIONS[kind], "case", text, order=CASE, unconfirmed=bool(only_to))


def _scopes(ctx: Context) -> tuple[list[str], list[str]]:
    within: dict[str, None] = {}
    only_to: dict[str, None] = {}
    for info in ctx.items:
        entry = ccl_entry(info.eccn)
        if entry is None or info.eccn is None:
            continue
        for control in entry.controls:
            if control.reason == "AT" or control_match(info.eccn, control) is Match.NO:
                continue
            label = f"{info.eccn} {control.reason}"
            if "within" in control.text.lower():
                within[label] = None
            else:
                only_to[label] = None
    return list(within), list(only_to)
