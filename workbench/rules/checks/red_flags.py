"""Rule 8: red-flag checklists (KYC, Supp. 3 to part 732; the May 2025 diversion red flags).

A "yes" or "unknown" answer asks for review on any case; on an advanced-computing case an
unanswered flag does too. Answers are the case's ``RedFlagAnswer`` records keyed by flag id.
"""

from __future__ import annotations

from workbench.domain.case import RedFlagAnswerValue
from workbench.domain.determination import Outcome
from workbench.rules.checks.common import CASE
from workbench.rules.checks.prc_ics import match_prc_ic
from workbench.rules.context import Context


def advanced_case(ctx: Context) -> bool:
    spec = ctx.data.advanced.prc_ics
    return any(i.advanced or match_prc_ic(i.item, spec) for i in ctx.items)


def run(ctx: Context) -> None:
    advanced = advanced_case(ctx)
    answers = {a.flag_id: a for a in ctx.case.red_flags}
    for group in ctx.data.red_flags.checklists:
        if group.applies_to == "advanced_computing" and not advanced:
            continue
        raised, unknown, unanswered = [], [], []
        for flag in group.flags:
            answer = answers.get(flag.id)
            if answer is None:
                unanswered.append(flag)
            elif answer.answer is RedFlagAnswerValue.YES:
                raised.append((flag, answer.note))
            elif answer.answer is RedFlagAnswerValue.UNKNOWN:
                unknown.append((flag, answer.note))
        for flag, note in raised:
            ctx.open_item(f"red flag {flag.id} answered yes: {flag.text}" + (f" ({note})" if note else ""))
        for flag, note in unknown:
            ctx.open_item(f"red flag {flag.id} is unresolved (unknown): {flag.text}" + (f" ({note})" if note else ""))
        open_unanswered = advanced and bool(unanswered)
        if open_unanswered:
            ctx.open_item(
                f"{len(unanswered)} {group.title} unanswered on an advanced-computing case: "
                + ", ".join(f.id for f in unanswered)
            )
        parts = []
        if raised:
            parts.append("answered yes: " + "; ".join(f"{f.id} ({f.text})" for f, _ in raised))
        if unknown:
            parts.append("unknown: " + ", ".join(f.id for f, _ in unknown))
        if unanswered:
            parts.append(f"{len(unanswered)} unanswered")
        summary = "; ".join(parts) if parts else f"all {len(group.flags)} answered no"
        partial = f" The checklist is partial: {group.partial_note}" if group.partial else ""
        review = bool(raised or unknown or open_unanswered)
        tail = (
            " An advanced-computing case needs every flag answered; a yes or an unresolved flag must be inquired "
            "into before shipping (duty to inquire, no self-blinding)."
            if review
            else ""
        )
        ctx.add(
            group.rule,
            Outcome.NLR,
            group.citation,
            "case",
            f"{group.title}: {summary}.{tail}{partial}",
            order=CASE,
            review=review,
            unconfirmed="UNCONFIRMED" in group.partial_note,
        )
