"""Rule 0: what the rule data cannot say about ``as_of``, said rather than left silent.

The CCL, Country Chart and Country Groups are one eCFR issue; the rulebook dates the rules
that changed them. A check as of an earlier date is flagged (the CCL is not dated yet), an
item whose ECCN took its present form after ``as_of`` is an open item, and rules in the
rulebook that were not yet in force are named as not applied.
"""

from __future__ import annotations

from workbench.domain.determination import Outcome
from workbench.rules.checks.common import CASE, item_order
from workbench.rules.context import Context, ItemInfo

# The rule that gave 3A090/4A090 and their .z paragraphs the TPP/performance-density form the
# rule data carries (ear-facts.md section 2.1: 88 FR 73458, effective 2023-11-17).
ADVANCED_COMPUTING_FORM = "acs-2023"


def run(ctx: Context) -> None:
    _ccl_issue(ctx)
    for info in ctx.items:
        _eccn_form(ctx, info)
    _rules_not_yet_in_force(ctx)


def _ccl_issue(ctx: Context) -> None:
    issued = ctx.data.ccl.ecfr_issue_date
    classified = sorted({i.eccn for i in ctx.items if i.eccn and i.eccn != "EAR99"})
    if ctx.as_of >= issued or not classified:
        return
    ctx.add(
        "data.ccl-issue",
        Outcome.NLR,
        "15 CFR part 774, supp. 1",
        "case",
        f"The Commerce Control List in the rule data is the eCFR issue of {issued.isoformat()}; this check is as of "
        f"{ctx.as_of.isoformat()}, earlier. The rule data dates only the entries of dated-regulation.json "
        f"({', '.join(e.id for e in ctx.data.dated.entries)}), so whether "
        f"{', '.join(classified)} read the same on {ctx.as_of.isoformat()} is UNCONFIRMED: compare the entries "
        "with the CCL in force then.",
        order=CASE,
        unconfirmed=True,
    )


def _eccn_form(ctx: Context, info: ItemInfo) -> None:
    # Entries created later (4E091, 3A090.c, SME ECCNs) are dated by checks.dated.
    if info.level not in ("a", "b", "unknown"):
        return
    record = ctx.rule(ADVANCED_COMPUTING_FORM)
    what = "the 3A090/4A090 parameters (TPP and performance density) in the rule data"
    if ctx.as_of >= record.effective:
        return
    text = (
        f"{info.label}: {what} took effect on {record.effective.isoformat()} ({record.citation}); on "
        f"{ctx.as_of.isoformat()} the entry did not exist in this form, so the classification and every finding "
        f"resting on it do not describe the rules then in force. {ctx.data.dated.ac_scope_before.text}"
    )
    order = item_order(info.index)
    ctx.add("data.eccn-dating", Outcome.NLR, record.citation, info.subject, text, order=order, review=True)
    ctx.open_item(
        f"{info.subject}: classify it under the CCL as it stood on {ctx.as_of.isoformat()} "
        f"({what} took effect on {record.effective.isoformat()})"
    )


def _rules_not_yet_in_force(ctx: Context) -> None:
    later = sorted(
        (r for r in ctx.data.rulebook.rules if r.effective > ctx.as_of), key=lambda r: (r.effective, r.id)
    )
    if not later:
        return
    names = "; ".join(f"{r.title} ({r.citation}, effective {r.effective.isoformat()})" for r in later)
    ctx.add(
        "data.rules-not-in-force",
        Outcome.NLR,
        "rule data: rulebook.json",
        "case",
        f"Not applied, because not yet in force on {ctx.as_of.isoformat()}: {names}.",
        order=CASE,
    )
