"""Licence exceptions for Country Chart requirements (part 740), per reason for control and destination.

Runs after the checks: each ``license_required`` finding of the Country Chart (a column with an
X, a stated-scope row, the EI requirement of §742.15) is tried against the exceptions the
item's licence-exception block and the section text allow (``exception-rules.json``), after the
restrictions of §740.2. The first exception the case's facts settle turns the finding into
``license_exception`` with the exception's section beside the requirement in its citation;
one that needs a fact the case does not hold leaves the requirement standing and becomes an
open item naming the condition; one whose conditions of use must still be met (STA statements,
TSR assurance) is available with an open item until the document is recorded. Every finding
also names the exceptions considered and why they fail, and the parts of part 740 the engine
does not evaluate (e.g. TMP's technology paragraph), so nothing is passed over in silence. TMP
and RPL, which no ECCN block names, are read from the case's transaction facts (``temporary``).
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import timedelta
from decimal import Decimal

from workbench.domain.case import Assurance, DocumentKind, EncryptionClass
from workbench.domain.countries import country_name
from workbench.domain.determination import Finding, Outcome
from workbench.domain.eccn import eccn_head
from workbench.rules.ccl import Match, ccl_entry, control_match
from workbench.rules.checks.temporary import rpl_verdict, tmp_verdict
from workbench.rules.checks.verdict import Verdict as _Verdict
from workbench.rules.context import Context, ItemInfo
from workbench.rules.exception_flags import Reach, flag_terms, reach, terms_for
from workbench.rules.extdata import ExceptionRule

_COLUMN = re.compile(r"^country-chart\.([A-Z]{2})\d$")
_SCOPE = re.compile(r"^ccl-scope\.([A-Z]{2})$")
_ITEM = re.compile(r"^item (\d+)$")
EI_RULE = "country-chart.EI"


@dataclass
class _Requirement:
    key: tuple[object, ...]
    finding: Finding
    reason: str


def _reason(finding: Finding) -> str | None:
    if finding.rule == EI_RULE:
        return "EI"
    m = _COLUMN.match(finding.rule) or _SCOPE.match(finding.rule)
    return m.group(1) if m else None


def _item_index(subject: str) -> int | None:
    m = _ITEM.match(subject)
    return int(m.group(1)) if m else None


def apply(ctx: Context) -> None:
    """Replace requirement findings overcome by an exception; name the rest; add their open items."""
    _ei_requirements(ctx)
    per_item: dict[int, list[_Requirement]] = defaultdict(list)
    mt_rows: dict[int, bool] = {}
    kept: list[tuple[tuple[object, ...], Finding]] = []
    for key, finding in ctx.raw_findings():
        outcome = finding.outcome
        if finding.rule == "country-chart.MT1":
            index = _item_index(finding.subject)
            if index is not None:
                mt_rows[index] = mt_rows.get(index, False) or not finding.review
        if outcome is Outcome.LICENSE_REQUIRED and finding.exception is None:
            index = _item_index(finding.subject)
            reason = _reason(finding) if index is not None else None
            if index is not None and reason:
                per_item[index].append(_Requirement(key, finding, reason))
                continue
        elif outcome is Outcome.LICENSE_EXCEPTION:
            finding = _cite_exception(ctx, finding)
        kept.append((key, finding))
    if not per_item:
        ctx.replace_findings(kept)
        return
    pending: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    memo: dict[tuple[object, ...], _Assessment] = {}
    values = _values_by_head(ctx)
    for index, requirements in per_item.items():
        info = ctx.items[index - 1]
        reasons = {r.reason for r in requirements}
        for requirement in requirements:
            finding = _decide(
                ctx, info, requirement, reasons, index in mt_rows, mt_rows.get(index, False), values, pending, memo
            )
            kept.append(((-finding.outcome.severity, *requirement.key[1:]), finding))
    ctx.replace_findings(kept)
    for (symbol, citation, condition), subjects in pending.items():
        names = ", ".join(dict.fromkeys(subjects))
        ctx.open_item(f"{names}: to use License Exception {symbol} ({citation}): {condition}")


def _cite_exception(ctx: Context, finding: Finding) -> Finding:
    """Findings ending in an exception (NAC, ACA, AIA, SPP ...) cite its section beside the requirement."""
    if finding.outcome is not Outcome.LICENSE_EXCEPTION or not finding.exception:
        return finding
    symbol = finding.exception
    adv = ctx.data.advanced.exceptions.get(symbol)
    catalogue = ctx.data.exceptions.exceptions.get(symbol)
    citation = adv.citation if adv else (catalogue.citation if catalogue else None)
    if citation is None:
        return finding
    section = citation.removeprefix("15 CFR ").split("(")[0]
    if section in finding.citation:
        return finding
    return replace(finding, citation=f"{finding.citation}; {citation}")


def _values_by_head(ctx: Context) -> dict[str, tuple[Decimal, set[str], bool]]:
    """Net value per ECCN entry over the case (one order), its currencies, and whether any value is missing."""
    out: dict[str, tuple[Decimal, set[str], bool]] = {}
    for info in ctx.items:
        if not info.eccn:
            continue
        head = eccn_head(info.eccn)
        total, currencies, missing = out.get(head, (Decimal(0), set(), False))
        out[head] = (
            total + info.item.total_value,
            currencies | {info.item.currency},
            missing or info.item.unit_value == 0,
        )
    return out


@dataclass(frozen=True)
class _Assessment:
    barred: tuple[str, tuple[str, ...]] | None
    considered: tuple[str, ...]
    chosen: _Verdict | None
    unknown: tuple[_Verdict, ...]


def _assess(
    ctx: Context,
    info: ItemInfo,
    reason: str,
    reasons: set[str],
    mt_controlled: bool,
    mt_firm: bool,
    values: dict[str, tuple[Decimal, set[str], bool]],
) -> _Assessment:
    rules = ctx.data.exception_rules
    barred = _restriction(ctx, info, mt_controlled, mt_firm)
    considered: list[str] = []
    chosen: _Verdict | None = None
    unknown_verdicts: list[_Verdict] = []
    for symbol in rules.order:
        rule = rules.exceptions[symbol]
        verdict = _verdict(ctx, info, symbol, rule, reason, reasons, values, mt_controlled)
        if verdict is None:
            continue
        if (verdict.available or verdict.unknown) and barred is not None and symbol not in barred[1]:
            considered.append(f"{symbol}: barred by {barred[0]}")
            continue
        if verdict.available:
            chosen = verdict
            break
        if verdict.unknown:
            unknown_verdicts.append(verdict)
            considered.append(f"{symbol} ({verdict.citation}) if {'; '.join(verdict.unknown)}")
        else:
            considered.append(f"{symbol}: {verdict.why_not}")
    return _Assessment(barred, tuple(considered), chosen, tuple(unknown_verdicts))


def _decide(
    ctx: Context,
    info: ItemInfo,
    requirement: _Requirement,
    reasons: set[str],
    mt_controlled: bool,
    mt_firm: bool,
    values: dict[str, tuple[Decimal, set[str], bool]],
    pending: dict[tuple[str, str, str], list[str]],
    memo: dict[tuple[object, ...], _Assessment],
) -> Finding:
    finding = requirement.finding
    item = info.item
    docs_per_item = any(d.covers_items for d in ctx.case.documents)
    key = (
        info.eccn,
        info.level,
        requirement.reason,
        frozenset(reasons),
        mt_controlled,
        mt_firm,
        item.encryption,
        item.encryption_filed_on,
        info.index if docs_per_item else 0,
    )
    assessment = memo.get(key)
    if assessment is None:
        assessment = _assess(ctx, info, requirement.reason, reasons, mt_controlled, mt_firm, values)
        memo[key] = assessment
    barred, chosen = assessment.barred, assessment.chosen
    considered = list(assessment.considered)
    unknown_verdicts = assessment.unknown
    rules = ctx.data.exception_rules
    not_evaluated = "; ".join(f"{s} ({n.citation}): {n.text}" for s, n in rules.not_evaluated.items())
    if chosen is not None:
        for condition in chosen.conditions:
            pending[(chosen.symbol, chosen.citation, condition)].append(info.subject)
        text = (
            f"{finding.explanation} License Exception {chosen.symbol} ({chosen.citation}) overcomes this "
            f"requirement: {chosen.text}."
        )
        if chosen.conditions:
            text += " Conditions still to meet: " + "; ".join(chosen.conditions) + "."
        if considered:
            text += " Also considered: " + "; ".join(considered) + "."
        return replace(
            finding,
            outcome=Outcome.LICENSE_EXCEPTION,
            exception=chosen.symbol,
            citation=f"{finding.citation}; {chosen.citation}",
            explanation=text,
            unconfirmed=finding.unconfirmed or chosen.unconfirmed,
            review=finding.review or bool(chosen.conditions),
        )
    for verdict in unknown_verdicts:
        pending[(verdict.symbol, verdict.citation, "confirm " + "; ".join(verdict.unknown))].append(info.subject)
    text = finding.explanation
    if barred is not None:
        text += f" Restriction on all licence exceptions: {barred[0]}."
        considered = [c for c in considered if ": barred by " not in c]
    if considered:
        text += " Licence exceptions considered: " + "; ".join(considered) + "."
    elif barred is None:
        text += " The item's licence-exception block names no exception that can overcome this reason."
    text += f" Not evaluated: {not_evaluated}."
    return replace(
        finding,
        explanation=text,
        unconfirmed=finding.unconfirmed
        or any(v.unconfirmed for v in unknown_verdicts)
        or (barred is not None and "UNCONFIRMED" in barred[0]),
        review=finding.review or bool(unknown_verdicts),
    )


def _restriction(
    ctx: Context, info: ItemInfo, mt_controlled: bool, mt_firm: bool
) -> tuple[str, tuple[str, ...]] | None:
    """(why, surviving exceptions) when a §740.2 restriction bars the Country Chart exceptions."""
    for restriction in ctx.data.exception_rules.restrictions:
        hit_level = info.level in restriction.levels
        hit_mt = "MT" in restriction.reasons and mt_controlled
        if hit_level or hit_mt:
            what = f"a {info.level}-level advanced-computing item" if hit_level else "an MT-controlled item"
            if hit_mt and not hit_level and not mt_firm:
                what = "an item the MT row may reach (confirm the MT row's condition)"
            flag = " (UNCONFIRMED)" if restriction.unconfirmed else ""
            return f"{restriction.citation}{flag} for {what}: {restriction.text}", restriction.allowed
    return None


def _in(ctx: Context, rule: ExceptionRule, groups: tuple[str, ...] | None = None) -> tuple[bool, str]:
    inside, _member = ctx.groups.in_scope(
        ctx.case.destination,
        ctx.as_of,
        groups=rule.groups if groups is None else groups,
        exclude_groups=rule.exclude_groups,
        exclude_countries=rule.exclude_countries,
    )
    wanted = ", ".join(rule.groups if groups is None else groups) or "the eligible destinations"
    dest = country_name(ctx.case.destination)
    return inside, f"{dest} is {'in' if inside else 'not in'} Country Group {wanted}" + (
        f" (excluding {', '.join(country_name(c) for c in rule.exclude_countries)})" if rule.exclude_countries else ""
    )


def _verdict(
    ctx: Context,
    info: ItemInfo,
    symbol: str,
    rule: ExceptionRule,
    reason: str,
    reasons: set[str],
    values: dict[str, tuple[Decimal, set[str], bool]],
    mt_controlled: bool = False,
) -> _Verdict | None:
    """The verdict of one exception, or None when it has nothing to say about this item and reason."""
    if rule.kind == "tmp":
        return tmp_verdict(ctx, info, rule, mt_controlled)
    if rule.kind == "rpl":
        return rpl_verdict(ctx, info, rule, mt_controlled)
    eccn = info.eccn or ""
    if rule.product_groups and (len(eccn) < 2 or eccn[1] not in rule.product_groups):
        return None
    if rule.kind == "enc":
        return _enc(ctx, info, rule, reason)
    if rule.kind == "sta":
        return _sta(ctx, info, rule, reasons)
    terms = terms_for(eccn, rule.flag)
    if terms is None or not terms.open:
        return None
    verdict = _Verdict(symbol, rule.citation, unconfirmed=rule.unconfirmed, text=rule.text)
    reached = reach(eccn, terms)
    if reached is Reach.NO:
        verdict.why_not = f'the ECCN\'s block excludes this paragraph ("{terms.text}")'
        return verdict
    if reason in terms.na_reasons:
        verdict.why_not = f'"N/A for {reason}" in the ECCN\'s block'
        return verdict
    if rule.kind == "ns_only" and reasons - set(rule.reasons):
        others = ", ".join(sorted(reasons - set(rule.reasons)))
        verdict.why_not = f"the item also needs a licence for {others}, and {symbol} covers NS-only requirements"
        return verdict
    inside, where = _in(ctx, rule)
    if not inside:
        verdict.why_not = where
        return verdict
    if reached is Reach.CONFIRM:
        verdict.unknown.append(f'the item falls within the ECCN block\'s "{terms.text}"')
    if rule.kind == "value_limit":
        _lvs(info, terms.value, values, verdict)
        if verdict.why_not:
            return verdict
    if rule.kind == "officer":
        verdict.unknown.extend(rule.conditions)
        return verdict
    if rule.document and not _has_document(ctx, rule.document, info):
        verdict.conditions.extend(rule.conditions)
    verdict.available = not verdict.unknown
    verdict.text = f"{rule.text}; {where}"
    return verdict


def _lvs(
    info: ItemInfo, limit: int | None, values: dict[str, tuple[Decimal, set[str], bool]], verdict: _Verdict
) -> None:
    if limit is None:
        verdict.why_not = "the ECCN's block states no LVS value"
        return
    head = eccn_head(info.eccn or "")
    total, currencies, missing = values.get(head, (Decimal(0), set(), True))
    if missing:
        verdict.unknown.append(f"the net value of the order's {head} items is recorded (a unit value is 0 or missing)")
        return
    if currencies != {"USD"}:
        verdict.unknown.append(
            f"the net value of the {head} items ({', '.join(sorted(currencies))}) is at most ${limit:,} in US dollars"
        )
        return
    if total > limit:
        verdict.why_not = f"the {head} items in this order total ${total:,.2f}, above the LVS limit of ${limit:,}"
        return
    verdict.text = f"{verdict.text}; the {head} items in this order total ${total:,.2f}, within ${limit:,}"


def _has_document(ctx: Context, kind: str, info: ItemInfo) -> bool:
    wanted = DocumentKind(kind)
    return any(d.kind is wanted and (not d.covers_items or info.index in d.covers_items) for d in ctx.case.documents)


def _sta(ctx: Context, info: ItemInfo, rule: ExceptionRule, reasons: set[str]) -> _Verdict:
    verdict = _Verdict("STA", rule.citation, unconfirmed=rule.unconfirmed, text=rule.text)
    eccn = info.eccn or ""
    a5, _ = _in(ctx, rule, ("A:5",))
    a6, _ = _in(ctx, rule, ("A:6",))
    dest = country_name(ctx.case.destination)
    if not (a5 or a6):
        verdict.why_not = f"{dest} is in neither Country Group A:5 nor A:6"
        return verdict
    allowed = set(rule.reasons if a5 else rule.reasons_a6)
    verdict.citation = (rule.citation_a5 if a5 else rule.citation_a6) or rule.citation
    if reasons - allowed:
        group = "A:5" if a5 else "A:6"
        verdict.why_not = (
            f"{dest} is in {group}, where STA covers only {', '.join(sorted(allowed))}; the item also needs a "
            f"licence for {', '.join(sorted(reasons - allowed))}"
        )
        return verdict
    terms = terms_for(eccn, "STA")
    if terms is not None:
        limited = _sta_limited(eccn, terms.text)
        if limited is Reach.NO:
            verdict.why_not = f'the ECCN\'s STA paragraph bars it: "{terms.text}"'
            return verdict
        if limited is Reach.CONFIRM:
            verdict.unknown.append(f'the ECCN\'s STA paragraph does not reach the item ("{terms.text}")')
            return verdict
    verdict.text = (
        f"{dest} is in Country Group {'A:5' if a5 else 'A:6'} and the item's licence requirements "
        f"({', '.join(sorted(reasons))}) are all ones {verdict.citation} covers; the exclusions of 740.20(b)(2) are "
        "not evaluated"
    )
    if not any(
        d.kind is DocumentKind.LETTER_OF_ASSURANCE and Assurance.NO_REEXPORT in d.assurances for d in ctx.case.documents
    ):
        verdict.conditions.extend(rule.conditions)
    verdict.available = True
    return verdict


def _sta_limited(eccn: str, text: str) -> Reach:
    """Whether an ECCN's "STA may not be used to ship X to A:5 or A:6" paragraph reaches the item."""
    m = re.search(r"may not be used (?:to ship|for)\s+(.*?)\s+to any of the destinations", text)
    if not m:
        return Reach.CONFIRM
    named = flag_terms("Yes, for " + m.group(1), eccn_head(eccn))
    if not named.include:
        return Reach.CONFIRM
    if any(eccn == r or eccn.startswith(r + ".") for r in named.include):
        if any(eccn == r or eccn.startswith(r + ".") for r in named.confirm) or "except" in m.group(1):
            return Reach.CONFIRM
        return Reach.NO
    if any(r.startswith(eccn + ".") for r in named.include):
        return Reach.CONFIRM
    return Reach.YES


def _enc(ctx: Context, info: ItemInfo, rule: ExceptionRule, reason: str) -> _Verdict | None:
    if reason not in rule.reasons:
        return None
    eccn = info.eccn or ""
    terms = terms_for(eccn, rule.flag)
    if terms is None or not terms.open:
        return None
    verdict = _Verdict("ENC", rule.citation, unconfirmed=rule.unconfirmed, text=rule.text)
    dest = country_name(ctx.case.destination)
    blocked, member = ctx.groups.in_scope(ctx.case.destination, ctx.as_of, groups=rule.exclude_groups)
    if blocked:
        verdict.why_not = f"{dest} is in Country Group {', '.join(sorted(member.groups & set(rule.exclude_groups)))}"
        return verdict
    item = info.item
    cls = item.encryption
    if cls is None:
        verdict.unknown.append(
            "the item's 740.17 paragraph is recorded ((b)(1), (b)(2), (b)(3), mass market or not eligible)"
        )
        return verdict
    if cls is EncryptionClass.NOT_ELIGIBLE:
        verdict.why_not = "the item is recorded as not eligible for ENC"
        return verdict
    if cls is EncryptionClass.MASS_MARKET:
        verdict.unknown.append(f"the ECCN is corrected: {rule.mass_market}")
        return verdict
    para = rule.paragraphs[cls.value]
    verdict.citation = para.citation
    if item.encryption_filed_on is None:
        verdict.unknown.append(f"{para.filing} is recorded with its date")
        return verdict
    in_supp3 = (
        ctx.case.destination in rule.supp3 or ctx.groups.lookup(ctx.case.destination, ctx.as_of).country in rule.supp3
    )
    flag = " (the Supp. 3 list is UNCONFIRMED)" if rule.supp3_unconfirmed else ""
    if in_supp3:
        verdict.text = (
            f"{dest} is a {rule.supp3_citation} country{flag}; {para.filing} was submitted on "
            f"{item.encryption_filed_on.isoformat()}"
        )
        verdict.available = True
        return verdict
    ready = item.encryption_filed_on + timedelta(days=para.wait_days_outside_supp3)
    if ctx.as_of < ready:
        verdict.why_not = (
            f"{dest} is outside {rule.supp3_citation}{flag}, where {para.citation} items may go only "
            f"{para.wait_days_outside_supp3} days after the filing of {item.encryption_filed_on.isoformat()}, "
            f"i.e. from {ready.isoformat()}"
        )
        return verdict
    verdict.text = (
        f"{para.filing} was submitted on {item.encryption_filed_on.isoformat()}"
        + (f", more than {para.wait_days_outside_supp3} days before" if para.wait_days_outside_supp3 else "")
        + f"; {dest} is outside {rule.supp3_citation}{flag}"
    )
    if not para.government_end_user_outside_supp3:
        verdict.unknown.append(f'the end user in {dest} is not a "government end user" ({para.citation})')
        return verdict
    verdict.available = True
    return verdict


def _ei_qualified(ctx: Context, subject: str) -> bool:
    """Whether the EI row reaches the item only conditionally (e.g. 5D002's EI row names some software)."""
    index = _item_index(subject)
    if index is None:
        return True
    eccn = ctx.items[index - 1].eccn
    entry = ccl_entry(eccn)
    if entry is None or eccn is None:
        return True
    return any(c.reason == "EI" and control_match(eccn, c) is not Match.APPLIES for c in entry.controls)


def _ei_requirements(ctx: Context) -> None:
    """The EI row ("Refer to §742.15") read: a licence to every destination but Canada (§742.15(a))."""
    enc = ctx.data.exception_rules.exceptions.get("ENC")
    if enc is None:
        return
    updated: list[tuple[tuple[object, ...], Finding]] = []
    changed = False
    for key, finding in ctx.raw_findings():
        if finding.rule != "ccl-refer.EI":
            updated.append((key, finding))
            continue
        changed = True
        dest = country_name(ctx.case.destination)
        exempt = ctx.case.destination in enc.ei_exempt_countries
        outcome = Outcome.NLR if exempt else Outcome.LICENSE_REQUIRED
        qualified = _ei_qualified(ctx, finding.subject)
        text = f"{finding.explanation.split(' Check that provision.')[0]} {enc.ei_text}. " + (
            f"{dest} is that exception: no licence is required for EI."
            if exempt
            else f"So a licence is required to {dest} for EI."
        )
        ei = replace(
            finding,
            rule=EI_RULE,
            outcome=outcome,
            citation=enc.ei_citation,
            explanation=text,
            review=qualified,
        )
        updated.append(((-outcome.severity, *key[1:]), ei))
    if changed:
        ctx.replace_findings(updated)
        ctx.drop_open_items(": check the EI requirement of ")
