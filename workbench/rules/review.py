"""Licence review policy per finding: how BIS would review the licence a finding requires.

Runs last, over every ``license_required`` finding (provisional ones included): the policy the
text states for that reason and destination (part 742), for that Entity List entry (its own
"License Review Policy" column), for that end use or for the advanced-computing destination,
with its citation, in ``Finding.review_policy``. For H200-class items to China or Macau the
January 2026 case-by-case policy is tested against the item's figures, and its conditions
become an open-item checklist only for the items it reaches. A requirement the rule data
holds no policy for says so ("not evaluated"), never nothing.
"""

from __future__ import annotations

import re

from workbench.domain.case import TransactionType
from workbench.domain.determination import Finding, Outcome
from workbench.rules.checks.parties import listed
from workbench.rules.context import Context, ItemInfo
from workbench.rules.extdata import PolicyKind

_LABEL: dict[str, str] = {
    "denial": "Presumption of denial",
    "case-by-case": "Case-by-case review",
    "approval": "Policy of approval",
}
_COLUMN = re.compile(r"^country-chart\.([A-Z]{2})\d?$|^ccl-scope\.([A-Z]{2})$")
_ITEM = re.compile(r"^item (\d+)$")


def _label(kind: PolicyKind) -> str:
    return _LABEL[kind]


def apply(ctx: Context) -> None:
    parties = _party_policies(ctx)
    h200_items: list[str] = []
    updated: list[tuple[tuple[object, ...], Finding]] = []
    memo: dict[str, tuple[str, bool]] = {}
    for key, finding in ctx.raw_findings():
        if finding.outcome is Outcome.LICENSE_REQUIRED and finding.review_policy is None:
            if _COLUMN.match(finding.rule) or finding.rule == "country-chart.EI":
                # per reason and destination only: the same for every item
                if finding.rule not in memo:
                    memo[finding.rule] = _policy(ctx, finding, parties, h200_items)
                policy, unconfirmed = memo[finding.rule]
            else:
                policy, unconfirmed = _policy(ctx, finding, parties, h200_items)
            if unconfirmed and "UNCONFIRMED" not in policy:
                policy += " (UNCONFIRMED)"
            # The policy's own grade is shown in its text; the finding's requirement keeps its grade.
            finding = Finding(
                finding.rule,
                finding.outcome,
                finding.citation,
                finding.subject,
                finding.explanation,
                finding.unconfirmed,
                finding.review,
                finding.exception,
                finding.covered_by,
                finding.provisional,
                policy,
            )  # positional: several hundred findings per case, and dataclasses.replace is slow
        updated.append((key, finding))
    ctx.replace_findings(updated)
    if h200_items:
        h200 = ctx.data.review_policies.h200
        names = ", ".join(dict.fromkeys(h200_items))
        for condition in h200.checklist:
            ctx.open_item(f"{names}: January 2026 case-by-case review ({h200.citation}) requires that {condition}")


def _party_policies(ctx: Context) -> dict[str, str]:
    """Each listed party's label -> its Entity List entry's review-policy text (empty when not recorded)."""
    confirmed, unresolved = listed(ctx)
    out: dict[str, str] = {}
    for x in confirmed:
        if x.rule.rule == "listed.entity-list":
            out[ctx.party_label(x.index)] = x.listing.license_policy if x.listing else ""
    for index, listing in unresolved:
        out.setdefault(ctx.party_label(index), listing.license_policy)
    return out


def _policy(ctx: Context, finding: Finding, parties: dict[str, str], h200_items: list[str]) -> tuple[str, bool]:
    data = ctx.data.review_policies
    m = _COLUMN.match(finding.rule)
    if m or finding.rule == "country-chart.EI":
        reason = "EI" if finding.rule == "country-chart.EI" else (m.group(1) or m.group(2)) if m else ""
        return _reason_policy(ctx, reason)
    if finding.rule == "adv-computing.destination":
        return _advanced(ctx, finding, h200_items)
    if finding.rule in ("listed.entity-list", "screening.unresolved") and finding.subject in parties:
        return _entity_list(ctx, parties[finding.subject])
    if finding.rule == "country-chart.all-destinations":
        return f"{ctx.data.chart.all_destinations.licensing_policy} (15 CFR 738.3(a)(1))", False
    for rule in data.rules:
        if finding.rule.startswith(rule.prefix):
            return f"{_label(rule.policy)}: {rule.text} ({rule.citation})", rule.unconfirmed
    return (
        f"Not evaluated: the rule data holds no licence review policy for this requirement; see {finding.citation}",
        False,
    )


def _reason_policy(ctx: Context, reason: str) -> tuple[str, bool]:
    member = ctx.groups.lookup(ctx.case.destination, ctx.as_of)
    ids = {ctx.case.destination, member.country}
    for entry in ctx.data.review_policies.reasons:
        if entry.reason != reason:
            continue
        if (entry.groups or entry.countries) and not (member.groups & set(entry.groups) or ids & set(entry.countries)):
            continue
        flag = " (UNCONFIRMED)" if entry.unconfirmed else ""
        return f"{_label(entry.policy)}: {entry.text} ({entry.citation}){flag}", entry.unconfirmed
    return f"Not evaluated: the rule data holds no licence review policy for {reason} requirements", False


def _entity_list(ctx: Context, text: str) -> tuple[str, bool]:
    policies = ctx.data.review_policies.entity_list
    if not text:
        return f"Not known: {policies.default}", False
    cite = "(15 CFR 744.11(b); Supp. 4 to part 744)"
    per_item = _per_item_policy(ctx, text)
    if per_item:
        return f'{per_item}, as the Entity List entry states: "{text}" {cite}', False
    kinds = _kinds(ctx, text)
    if not kinds:
        return f'As the Entity List entry states: "{text}"', False
    labels = " and ".join(dict.fromkeys(_label(k) for k in kinds))
    return f'{labels}, as the Entity List entry states: "{text}" {cite}', False


def _kinds(ctx: Context, text: str) -> list[PolicyKind]:
    """The policies a text names, in the order it names them."""
    low = text.lower()
    found: list[tuple[int, PolicyKind]] = []
    for p in ctx.data.review_policies.entity_list.kinds:
        positions = [low.find(w) for w in p.words if w in low]
        if positions:
            found.append((min(positions), p.policy))
    return [kind for _, kind in sorted(found)]


def _per_item_policy(ctx: Context, text: str) -> str:
    """ "Case-by-case for all items listed on the CCL. Presumption of approval for EAR99 items": per item."""
    if "ear99" not in text.lower() or "ccl" not in text.lower():
        return ""
    ear99_kind: PolicyKind | None = None
    ccl_kind: PolicyKind | None = None
    for sentence in re.split(r"[.;]\s*", text):
        kinds = _kinds(ctx, sentence)
        if not kinds:
            continue
        if "ear99" in sentence.lower():
            ear99_kind = ear99_kind or kinds[0]
        else:
            ccl_kind = ccl_kind or kinds[0]
    if ear99_kind is None or ccl_kind is None:
        return ""
    ear99 = [i.subject for i in ctx.items if i.eccn == "EAR99"]
    ccl = [i.subject for i in ctx.items if i.eccn != "EAR99"]
    parts = []
    if ccl:
        parts.append(f"{_label(ccl_kind)} for {', '.join(ccl)} (on the CCL or unclassified)")
    if ear99:
        parts.append(f"{_label(ear99_kind)} for {', '.join(ear99)} (EAR99)")
    return "; ".join(parts)


def _advanced(ctx: Context, finding: Finding, h200_items: list[str]) -> tuple[str, bool]:
    member = ctx.groups.lookup(ctx.case.destination, ctx.as_of)
    ids = {ctx.case.destination, member.country}
    base: tuple[str, bool] | None = None
    for policy in ctx.data.advanced.review_policies:
        if (
            policy.id == "d5-denial"
            and ctx.as_of >= policy.since
            and (member.groups & set(policy.groups) or ids & set(policy.countries))
        ):
            base = (f"{_label('denial')}: {policy.text} ({policy.citation})", policy.unconfirmed)
    h200 = ctx.data.review_policies.h200
    record = ctx.rule(h200.rulebook)
    m = _ITEM.match(finding.subject)
    info = ctx.items[int(m.group(1)) - 1] if m else None
    if info is not None and ids & set(h200.countries) and ctx.as_of >= record.effective:
        return _h200(ctx, info, base, h200_items)
    if base is not None:
        return base
    return (
        f"{_label('case-by-case')}: applications for advanced-computing items to destinations outside Macau and "
        "Country Group D:5 are reviewed case by case (15 CFR 742.6(b)) (UNCONFIRMED)",
        True,
    )


def _h200(ctx: Context, info: ItemInfo, base: tuple[str, bool] | None, h200_items: list[str]) -> tuple[str, bool]:
    h200 = ctx.data.review_policies.h200
    denial = base[0] if base else f"{_label('denial')} (15 CFR 742.6(b))"
    flag = " (ceilings UNCONFIRMED)" if h200.ceilings_unconfirmed else ""
    if ctx.case.export_from not in h200.export_from or ctx.case.transaction_type is not TransactionType.EXPORT:
        return (
            f"{denial}. The January 2026 case-by-case policy ({h200.citation}) covers only exports from the United "
            f"States; this case is a {ctx.case.transaction_type.value.replace('_', ' ')} from "
            f"{ctx.case.export_from}, so the presumption of denial stands",
            h200.ceilings_unconfirmed,
        )
    item = info.item
    if item.tpp is not None and item.tpp >= h200.tpp_below:
        return (
            f"{denial}: {h200.above_text} (TPP {item.tpp:,.0f} >= {h200.tpp_below:,.0f}{flag}; {h200.citation})",
            True,
        )
    if item.dram_bandwidth is not None and item.dram_bandwidth >= h200.dram_bandwidth_below_gbps:
        return (
            f"{denial}: the item's DRAM bandwidth {item.dram_bandwidth:,.0f} GB/s is at or above the H200-class "
            f"ceiling of {h200.dram_bandwidth_below_gbps:,.0f} GB/s{flag}, so the January 2026 case-by-case policy "
            f"does not reach it ({h200.citation})",
            True,
        )
    missing = [name for name, value in (("TPP", item.tpp), ("DRAM bandwidth", item.dram_bandwidth)) if value is None]
    if missing:
        ctx.open_item(
            f"{info.subject}: record the {' and '.join(missing)} to test it against the H200-class ceilings "
            f"(TPP < {h200.tpp_below:,.0f}, DRAM bandwidth < {h200.dram_bandwidth_below_gbps:,.0f} GB/s{flag}; "
            f"{h200.citation}); until then the presumption of denial is assumed"
        )
        return (
            f"{denial} unless the item is H200-class or lesser: its {' and '.join(missing)} is not recorded, so "
            f"the January 2026 case-by-case policy ({h200.citation}) cannot be tested",
            True,
        )
    h200_items.append(info.subject)
    return (
        f"{_label(h200.policy)} under the January 2026 policy ({h200.citation}): an export from the United States, "
        f"TPP {item.tpp:,.0f} < {h200.tpp_below:,.0f} and DRAM bandwidth {item.dram_bandwidth:,.0f} GB/s < "
        f"{h200.dram_bandwidth_below_gbps:,.0f} GB/s{flag}; the rule's conditions are open items",
        True,
    )
