"""License Exceptions TMP (15 CFR 740.9) and RPL (740.10): transaction-based, read from the case's facts.

Neither is named in an ECCN's licence-exception block: they turn on what the transaction is (a
temporary export for a 740.9(a) purpose, returned within a year; a one-for-one replacement part,
a serviced item's return, a replacement for a defective item) and on the earlier export they
build on. The case records those facts (``Case.transaction_facts``); a case that records none
gets a plain "not used" line, a case that records some but not all gets the requirement kept
with an open item naming the missing fact. Destinations each paragraph excludes, the MT
carve-outs of §740.2(a)(5) and the product groups each paragraph covers are applied here; the
restrictions on all exceptions (advanced computing, Entity List) stay with ``exceptions``.
"""

from __future__ import annotations

from datetime import date

from workbench.domain.case import ServicingKind, TemporaryPurpose, TransactionType
from workbench.domain.countries import country_name
from workbench.domain.eccn import eccn_head
from workbench.rules.checks.verdict import Verdict
from workbench.rules.context import Context, ItemInfo
from workbench.rules.extdata import ExceptionRule, MtCarveOut


def years_after(day: date, years: int) -> date:
    """The same calendar day ``years`` later; 29 February becomes 28 February (the earlier, safer day).

    740.9(a)(14) says "no later than one year after the date of export": a return on that day is in
    time, a day later is not.
    """
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _group(info: ItemInfo) -> str:
    eccn = info.eccn or ""
    return eccn[1] if len(eccn) > 1 else ""


def _in_groups(ctx: Context, groups: tuple[str, ...]) -> tuple[bool, str]:
    if not groups:
        return False, ""
    inside, member = ctx.groups.in_scope(ctx.case.destination, ctx.as_of, groups=groups)
    if not inside:
        return False, ""
    return True, ", ".join(sorted(member.groups & set(groups)))


def _mt(carve: MtCarveOut, info: ItemInfo, branch: str, branches: tuple[str, ...], verdict: Verdict) -> None:
    """740.2(a)(5): an MT-controlled item goes under TMP kits or RPL only for the ECCNs it lists."""
    head = eccn_head(info.eccn or "")
    if head in carve.one_for_one_eccns and branch in branches:
        return
    if head in carve.eccns and branch in branches:
        verdict.unknown.append(carve.condition)
        return
    verdict.why_not = (
        f"the item is MT-controlled, and {carve.citation} lets {verdict.symbol} carry MT items only as "
        f"{' or '.join(branches)} for ECCNs {', '.join((*carve.eccns, *carve.one_for_one_eccns))}"
    )


def _item_excluded(
    info: ItemInfo,
    rule: ExceptionRule,
    verdict: Verdict,
    *,
    covers: str,
    product_groups: tuple[str, ...] | None,
    mt: tuple[str, tuple[str, ...]] | None,
) -> bool:
    """The checks TMP and RPL both make of the item; True when one of them sets ``verdict.why_not``.

    Technology is not evaluated; the paragraph covers only its product groups (``None``: every
    group); an MT-controlled item (``mt``: this branch and the branches §740.2(a)(5) lets carry
    MT items) must fit the carve-out.
    """
    group = _group(info)
    if group == "E":
        verdict.why_not = rule.technology_text
        return True
    if product_groups is not None and group not in product_groups:
        verdict.why_not = f"{verdict.citation} covers {covers}, and a {info.eccn} item is not one"
        return True
    if mt is not None and rule.mt is not None:
        _mt(rule.mt, info, mt[0], mt[1], verdict)
    return bool(verdict.why_not)


def tmp_verdict(ctx: Context, info: ItemInfo, rule: ExceptionRule, mt_controlled: bool) -> Verdict:
    facts = ctx.case.transaction_facts
    verdict = Verdict("TMP", rule.citation, unconfirmed=rule.unconfirmed, text=rule.text)
    purpose = facts.temporary_purpose
    if purpose is None:
        verdict.why_not = rule.missing_text
        return verdict
    para = rule.purposes[TemporaryPurpose(purpose).value]
    verdict.citation = para.citation
    dest = country_name(ctx.case.destination)
    mt = (purpose.value, rule.mt.tmp_purposes) if mt_controlled and rule.mt is not None else None
    if _item_excluded(info, rule, verdict, covers=para.text, product_groups=para.product_groups or None, mt=mt):
        return verdict
    excluded, named = _in_groups(ctx, para.exclude_groups)
    if excluded:
        verdict.why_not = f"{dest} is in Country Group {named}, which {para.citation} excludes"
        return verdict
    if para.countries and ctx.case.destination not in para.countries:
        allowed = ", ".join(country_name(c) for c in para.countries)
        verdict.why_not = f"{para.citation} is for shipments to {allowed}, not {dest}"
        return verdict
    if para.export_only and ctx.case.transaction_type is not TransactionType.EXPORT:
        verdict.why_not = f"{para.citation} covers exports from the United States, and this case is a " + (
            ctx.case.transaction_type.value.replace("_", "-")
        )
        return verdict
    day = ctx.case.transaction_date
    latest = years_after(day, para.return_years)
    span = "one year" if para.return_years == 1 else f"{para.return_years} years"
    if facts.return_by is None:
        verdict.unknown.append(
            f"the day the items are to be back is recorded ({para.return_citation}: no later than {span} after the "
            f"export, i.e. by {latest.isoformat()})"
        )
    elif facts.return_by < day:
        verdict.why_not = (
            f"the recorded return date {facts.return_by.isoformat()} is before the transaction date "
            f"{day.isoformat()}; correct one of them"
        )
        return verdict
    elif facts.return_by > latest:
        verdict.why_not = (
            f"the items are to be back on {facts.return_by.isoformat()}, later than {span} after the export of "
            f"{day.isoformat()} ({para.return_citation}: by {latest.isoformat()}); keeping them abroad longer needs a "
            "BIS licence (740.9(a)(14)(iii))"
        )
        return verdict
    verdict.conditions.extend(rule.general_conditions)
    verdict.conditions.extend(para.conditions)
    when = f"back by {facts.return_by.isoformat()}, within {span} of {day.isoformat()}" if facts.return_by else ""
    verdict.text = (
        f"a temporary export for {para.text}"
        + (f", {when}" if when else "")
        + (f"; {dest} is outside Country Group {', '.join(para.exclude_groups)}" if para.exclude_groups else "")
    )
    verdict.available = not verdict.unknown
    return verdict


def rpl_verdict(ctx: Context, info: ItemInfo, rule: ExceptionRule, mt_controlled: bool) -> Verdict:
    facts = ctx.case.transaction_facts
    verdict = Verdict("RPL", rule.citation, unconfirmed=rule.unconfirmed, text=rule.text)
    kind = facts.servicing
    if kind is None:
        verdict.why_not = rule.missing_text
        return verdict
    branch = rule.kinds[ServicingKind(kind).value]
    verdict.citation = branch.citation
    dest = country_name(ctx.case.destination)
    mt = (kind.value, rule.mt.rpl_kinds) if mt_controlled and rule.mt is not None else None
    if _item_excluded(info, rule, verdict, covers=branch.text, product_groups=branch.product_groups, mt=mt):
        return verdict
    barred, named = _in_groups(ctx, branch.bar_groups)
    if barred:
        verdict.why_not = f"{dest} is in Country Group {named}: {branch.bar_text}"
        return verdict
    if branch.bars_nuclear_end_use and ctx.case.end_use.nuclear:
        verdict.why_not = branch.nuclear_text
        return verdict
    if facts.improves_equipment:
        verdict.why_not = (
            f"the case records that it improves or changes the equipment's basic characteristics (accuracy, "
            f"capability, performance or productivity), which {branch.improvement_citation} excludes"
        )
        return verdict
    asked, named = _in_groups(ctx, branch.ask_groups)
    if asked:
        verdict.unknown.append(f"{dest} is in Country Group {named}: {branch.ask_text}")
    if facts.improves_equipment is None:
        verdict.unknown.append(
            "it does not improve or change the equipment's basic characteristics (accuracy, capability, "
            f"performance or productivity; {branch.improvement_citation}), and the case records so"
        )
    if not facts.original_authorisation:
        verdict.unknown.append(
            "the earlier export's authority is recorded (licence number, licence exception or NLR; "
            f"{branch.authorisation_citation})"
        )
    verdict.conditions.extend(branch.conditions)
    in_b, _ = _in_groups(ctx, ("B", "D:1"))
    if in_b:
        verdict.conditions.extend(branch.b_conditions)
    in_d1, _ = _in_groups(ctx, ("D:1",))
    if in_d1 and ctx.case.destination != "CN":
        verdict.conditions.extend(branch.d1_conditions)
    verdict.text = (
        f"{branch.text}"
        + (f", under the earlier authority {facts.original_authorisation}" if facts.original_authorisation else "")
        + ", recorded as not improving the equipment" * (facts.improves_equipment is False)
    )
    verdict.available = not verdict.unknown
    return verdict
