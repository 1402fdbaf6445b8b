"""Classification findings: missing or unknown ECCNs, proposals from the assistant, contradictions.

The engine evaluates a proposed ECCN when none is given, and the stricter of the given
and the computed level when they disagree, but every such case asks for review.
"""

from __future__ import annotations

from workbench.domain.determination import Outcome
from workbench.domain.eccn import EAR99
from workbench.rules.ccl import ccl_entry
from workbench.rules.checks.common import item_order
from workbench.rules.classify import contradiction
from workbench.rules.context import Context

CITATION = "15 CFR part 774, supp. 1 (CCL); ECCN 3A090 technical notes"


def run(ctx: Context) -> None:
    for info in ctx.items:
        item = info.item
        order = item_order(info.index)
        if item.eccn is None:
            if info.proposed and info.suggestion is not None:
                ctx.add(
                    "classification.proposed",
                    Outcome.NLR,
                    CITATION,
                    info.subject,
                    f"{info.label}: no ECCN given; the classification assistant proposes {info.eccn}: "
                    f"{info.suggestion.explanation} The proposal is used for this determination; confirm it.",
                    order=order,
                    review=True,
                )
                ctx.open_item(f"{info.subject}: confirm the proposed classification {info.eccn}")
            else:
                why = f" {info.suggestion.explanation}" if info.suggestion else ""
                ctx.add(
                    "classification.missing",
                    Outcome.NLR,
                    CITATION,
                    info.subject,
                    f"{info.label}: the item has no ECCN, so the Country Chart cannot be applied.{why}",
                    order=order,
                    review=True,
                )
                ctx.open_item(f"{info.subject}: classify the item (ECCN or EAR99)")
            continue
        if item.eccn != EAR99 and ccl_entry(item.eccn) is None:
            ctx.add(
                "classification.unknown-eccn",
                Outcome.NLR,
                CITATION,
                info.subject,
                f"{info.label}: {item.eccn} is not an entry of the CCL in the rule data (eCFR "
                f"{ctx.data.ccl.ecfr_issue_date.isoformat()}); check the classification.",
                order=order,
                review=True,
            )
            ctx.open_item(f"{info.subject}: {item.eccn} is not on the CCL; check the classification")
        problem = contradiction(item.eccn, item.tpp, item.performance_density, item.datacenter)
        if problem:
            ctx.add(
                "classification.contradiction",
                Outcome.NLR,
                CITATION,
                info.subject,
                f"{info.label}: {problem} The stricter reading ({info.level}-level) is applied until the "
                "classification is corrected.",
                order=order,
                review=True,
            )
            ctx.open_item(f"{info.subject}: the ECCN {item.eccn} contradicts the item's TPP/PD figures")
        elif item.eccn == EAR99:
            ctx.add(
                "classification.ear99",
                Outcome.NLR,
                "15 CFR 734.3(c); 772.1 (EAR99)",
                info.subject,
                f"{info.label}: EAR99 items are subject to the EAR but not on the CCL; no Country Chart licence "
                "applies, but embargoes, end-use and end-user controls still do.",
                order=order,
            )
