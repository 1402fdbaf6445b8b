"""Dated regulation: a case is judged by the CCL text and exceptions in force on its date.

``dated-regulation.json`` dates CCL entries and paragraphs (3A090.c and the SME entries of
89 FR 96790 from 2024-12-02, 4E091 from 2025-01-13), the advanced-computing licence exceptions
as they stood (one NAC from 2023-11-17 to 2024-04-03, then NAC and ACA) and the earliest date the
rule data describes. Other checks ask ``absent_entry``, ``gated`` and ``ac_exception``; this
module reports what it changed, so nothing about a date is silent.
"""

from __future__ import annotations

from workbench.domain.determination import Outcome, Posture
from workbench.rules.checks.common import CASE, item_order
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import AcException, DatedEntry, DatedException, DatedRegulationFile


def _covers(entry: DatedEntry, eccn: str) -> bool:
    return any(eccn == e or eccn.startswith(e + ".") for e in entry.eccns)


# (id of the dated-regulation data, ECCN) -> (that data, its entry): the lookup runs for every item and row.
_memo: dict[tuple[int, str], tuple[DatedRegulationFile, DatedEntry | None]] = {}


def _entry(ctx: Context, eccn: str | None) -> DatedEntry | None:
    if not eccn:
        return None
    dated = ctx.data.dated
    key = (id(dated), eccn)
    hit = _memo.get(key)
    if hit is not None and hit[0] is dated:
        return hit[1]
    found = next((entry for entry in dated.entries if _covers(entry, eccn)), None)
    if len(_memo) > 4096:
        _memo.clear()
    _memo[key] = (dated, found)
    return found


def absent_entry(ctx: Context, eccn: str | None) -> DatedEntry | None:
    """The dated entry ``eccn`` falls under when that entry was not in force on ``ctx.as_of``."""
    entry = _entry(ctx, eccn)
    if entry is None:
        return None
    if ctx.as_of < entry.since or (entry.until is not None and ctx.as_of > entry.until):
        return entry
    return None


def gated(ctx: Context, eccn: str | None) -> DatedEntry | None:
    """An entry in force but codified-only: its RS requirement binds only when the Diffusion rule is applied."""
    entry = _entry(ctx, eccn)
    if entry is None or entry.posture != "diffusion" or absent_entry(ctx, eccn) is not None:
        return None
    return None if ctx.diffusion_applied() else entry


def ac_exception(ctx: Context, symbol: str) -> tuple[AcException | None, DatedException | None]:
    """NAC/ACA as they stood on ``ctx.as_of``: (the exception or None if it did not exist, the dated record used)."""
    for dated in ctx.data.dated.ac_exceptions:
        if dated.symbol == symbol and dated.since <= ctx.as_of <= dated.until:
            return dated.exception, dated
    return ctx.data.advanced.exceptions[symbol], None


def before_earliest(ctx: Context) -> bool:
    return ctx.as_of < ctx.data.dated.earliest.since


def not_evaluated(ctx: Context) -> None:
    """The whole determination for a date the rule data does not describe."""
    earliest = ctx.data.dated.earliest
    ctx.add(
        "data.not-evaluated",
        Outcome.NLR,
        "rule data: dated-regulation.json",
        "case",
        f"Not evaluated: the case is dated {ctx.as_of.isoformat()}, before {earliest.since.isoformat()}. "
        f"{earliest.text}",
        order=CASE,
        review=True,
    )
    ctx.open_item(
        f"the engine does not evaluate {ctx.as_of.isoformat()} (its rule data starts on "
        f"{earliest.since.isoformat()}); determine the case by the EAR in force then"
    )


def run(ctx: Context) -> None:
    for info in ctx.items:
        _item(ctx, info)


def _item(ctx: Context, info: ItemInfo) -> None:
    eccn = info.eccn
    order = item_order(info.index)
    absent = absent_entry(ctx, eccn)
    if absent is not None:
        record = ctx.rule(absent.rulebook)
        state = "was not yet in force" if ctx.as_of < absent.since else f"had left the CCL ({absent.until})"
        ctx.add(
            "data.eccn-dating",
            Outcome.NLR,
            record.citation,
            info.subject,
            f"{info.label}: {absent.what} took effect on {absent.since.isoformat()} ({record.citation}) and "
            f"{state} on {ctx.as_of.isoformat()}, so no requirement resting on it is applied. {absent.before} "
            f"Source: {absent.source}.",
            order=order,
            review=True,
            unconfirmed=absent.unconfirmed,
        )
        ctx.open_item(
            f"{info.subject}: classify it under the CCL as it stood on {ctx.as_of.isoformat()} "
            f"({absent.what} took effect on {absent.since.isoformat()})"
        )
        return
    entry = _entry(ctx, eccn)
    if entry is None:
        return
    if entry.window_until is not None and ctx.as_of <= entry.window_until:
        ctx.add(
            "data.compliance-window",
            Outcome.NLR,
            ctx.rule(entry.rulebook).citation,
            info.subject,
            f"{info.label}: {entry.what} is in force from {entry.since.isoformat()}; {entry.window_text}.",
            order=order,
            review=True,
            unconfirmed="UNCONFIRMED" in entry.window_text,
        )
    if gated(ctx, eccn) is not None:
        _posture(ctx, info, entry)


def _posture(ctx: Context, info: ItemInfo, entry: DatedEntry) -> None:
    record = ctx.rule(ctx.data.advanced.diffusion.rulebook)
    status = record.status_on(ctx.as_of)
    if ctx.posture is Posture.ENFORCED and status is not None and status.status != "enforced":
        why = (
            f"BIS announced on {status.since.isoformat()} that it would not enforce the AI Diffusion rule "
            f"({record.citation}); {entry.what} is codified but unenforced (reference section 1.5), so posture "
            "enforced does not apply its worldwide licence requirement (15 CFR 742.6(a)(13)). Evaluate with posture "
            "codified to see that what-if."
        )
    else:
        why = (
            f"the AI Diffusion rule's compliance date ({record.binding_from().isoformat()}) is after "
            f"{ctx.as_of.isoformat()}, so its worldwide licence requirement (15 CFR 742.6(a)(13)) does not yet bind "
            f"(posture {ctx.posture.value})."
        )
    ctx.add(
        "dated.posture",
        Outcome.NLR,
        f"15 CFR 742.6(a)(13); {record.citation}",
        info.subject,
        f"{info.label}: {why} End-use, end-user and embargo controls still apply.",
        order=item_order(info.index),
    )
