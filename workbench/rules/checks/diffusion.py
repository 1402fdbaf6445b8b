"""Rule 3: the AI Diffusion rule (90 FR 4544) under the chosen posture.

Posture ``enforced`` (BIS's stated posture since 2025-05-13) does not apply it and says
so once per case. Posture ``codified`` applies the text from its compliance date:
a worldwide licence for .a-level items, License Exception AIA for Tier 1 destinations,
LPP up to the per-consignee annual TPP cap elsewhere, and nothing for Tier 3
(D:5, Macau, or parties headquartered there).
"""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.case import Party
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome, Posture
from workbench.rules.ccl import exception_flag
from workbench.rules.checks.common import CASE, item_order
from workbench.rules.context import Context, ItemInfo


def run(ctx: Context) -> None:
    diffusion = ctx.data.advanced.diffusion
    items = [i for i in ctx.items if i.level in diffusion.levels or i.level == "unknown"]
    record = ctx.rule(diffusion.rulebook)
    if not items or ctx.as_of < record.effective:
        return
    if not ctx.diffusion_applied():
        _posture_note(ctx, items)
        return
    total = _total_tpp(items)
    for info in items:
        _item(ctx, info, total)


def _posture_note(ctx: Context, items: list[ItemInfo]) -> None:
    diffusion = ctx.data.advanced.diffusion
    record = ctx.rule(diffusion.rulebook)
    status = record.status_on(ctx.as_of)
    subjects = ", ".join(i.subject for i in items)
    head = (
        f"The AI Diffusion rule ({record.title}, {record.citation}, published {record.published}, effective "
        f"{record.effective.isoformat()}, compliance date {record.binding_from().isoformat()}) is still codified"
    )
    if ctx.posture is Posture.ENFORCED and status is not None and status.status != "enforced":
        text = (
            f"{head}, but BIS announced on {status.since.isoformat()} that it would not enforce it; posture "
            f"enforced follows that announcement. Under the codified text {subjects} would need a licence to any "
            f"destination ({diffusion.citation}); evaluate with posture codified to see that what-if."
        )
    else:
        text = (
            f"{head}; on {ctx.as_of.isoformat()} its compliance date has not been reached, so its requirements "
            f"are not applied to {subjects} (posture {ctx.posture.value})."
        )
    ctx.add("diffusion.posture", Outcome.NLR, record.citation, "case", text, order=CASE)


def _total_tpp(items: list[ItemInfo]) -> Decimal | None:
    total = Decimal(0)
    for info in items:
        if info.item.tpp is None:
            return None
        total += info.item.total_tpp or Decimal(0)
    return total


def _why_not_aia(ctx: Context, dest: str, outside_tier1: list[tuple[int, Party]]) -> str:
    if dest not in ctx.data.advanced.diffusion.tier1.countries:
        return f"{country_name(dest)} is not a Tier 1 destination, so AIA is not available"
    if outside_tier1:
        return "AIA is not available because " + ", ".join(
            f"{ctx.party_label(i)} is headquartered in {country_name(p.effective_headquarters)}"
            for i, p in outside_tier1
        )
    return "the CCL does not list AIA for this paragraph"


def _item(ctx: Context, info: ItemInfo, total: Decimal | None) -> None:
    diffusion = ctx.data.advanced.diffusion
    hq_roles = ctx.data.advanced.headquarters.roles
    dest = ctx.case.destination
    record = ctx.rule(diffusion.rulebook)
    citation = f"{diffusion.citation}; {record.citation}"
    order = item_order(info.index)
    member = ctx.member(dest)
    base = (
        f"Posture codified (what-if; BIS does not enforce this rule): under the AI Diffusion rule {info.label} is "
        f".a-level advanced computing and needs a licence to or within any destination worldwide"
    )
    tier3 = diffusion.tier3
    tier3_dest, _ = ctx.groups.in_scope(dest, ctx.as_of, groups=tier3.groups, countries=tier3.countries)
    tier3_parties = ctx.hq_parties(diffusion.tier3.groups, diffusion.tier3.countries, hq_roles)
    if tier3_dest or tier3_parties:
        who = country_name(dest) if tier3_dest else ", ".join(ctx.party_label(i) for i, _, _ in tier3_parties)
        ctx.add(
            "diffusion.worldwide",
            Outcome.LICENSE_REQUIRED,
            citation,
            info.subject,
            f"{base}. {who} is Tier 3 (D:5 or Macau, or headquartered there): AIA, ACM and LPP are not available "
            f"({diffusion.tier3.citation}); licence review under a presumption of denial.",
            order=order,
            notes=member.notes,
            unconfirmed=member.unconfirmed,
        )
        return
    receiving = ctx.parties_in_roles(hq_roles)
    outside_tier1 = [(i, p) for i, p in receiving if p.effective_headquarters not in diffusion.tier1.countries]
    aia_ok, aia_flag = exception_flag(info.ac_eccn or "", "AIA")
    if dest in diffusion.tier1.countries and aia_ok and not outside_tier1:
        ctx.add(
            "diffusion.worldwide",
            Outcome.LICENSE_EXCEPTION,
            citation,
            info.subject,
            f"{base}. {country_name(dest)} is a Tier 1 destination (para. (a) of supp. 5 to part 740) and no receiving "
            f"party is headquartered outside Tier 1, so License Exception AIA ({diffusion.tier1.citation}) is "
            f'available (CCL: "{aia_flag}"). {diffusion.tier1.document_note}.',
            order=order,
            exception="AIA",
        )
        ctx.open_item(
            f"{info.subject}: posture codified relies on License Exception AIA; {diffusion.tier1.document_note}"
        )
        return
    why_not_aia = _why_not_aia(ctx, dest, outside_tier1)
    lpp_ok, lpp_flag = exception_flag(info.ac_eccn or "", "LPP")
    cap = diffusion.lpp.cap_tpp_per_consignee_year
    alloc = diffusion.tier2_allocation
    if not lpp_ok:
        ctx.add(
            "diffusion.worldwide",
            Outcome.LICENSE_REQUIRED,
            citation,
            info.subject,
            f"{base}. {why_not_aia}, and the CCL does not list LPP for this paragraph. {alloc.text.capitalize()}.",
            order=order,
            unconfirmed=alloc.unconfirmed,
            notes=member.notes,
        )
        return
    if total is None:
        ctx.add(
            "diffusion.worldwide",
            Outcome.LICENSE_REQUIRED,
            citation,
            info.subject,
            f"{base}. {why_not_aia}. License Exception LPP ({diffusion.lpp.citation}) allows up to {cap:,} TPP per "
            "ultimate consignee per calendar year, but not every .a-level item on the case has a TPP, so the cap "
            "cannot be checked.",
            order=order,
            review=True,
            notes=member.notes,
        )
        ctx.open_item("posture codified: give the TPP of every .a-level item so the LPP cap can be checked")
        return
    year = ctx.as_of.year
    if total <= cap:
        ctx.add(
            "diffusion.worldwide",
            Outcome.LICENSE_EXCEPTION,
            citation,
            info.subject,
            f'{base}. {why_not_aia}; License Exception LPP ({diffusion.lpp.citation}; CCL: "{lpp_flag}") is '
            f"available: the case's .a-level items total {total:,.0f} TPP (TPP x ICs per unit x quantity), "
            f"within the cap of {cap:,} TPP per ultimate consignee in calendar year {year}.",
            order=order,
            exception="LPP",
            notes=member.notes,
        )
        ctx.open_item(
            f"posture codified: confirm that earlier {year} shipments to the ultimate consignee plus this case "
            f"({total:,.0f} TPP) stay within the LPP cap of {cap:,} TPP"
        )
        return
    ctx.add(
        "diffusion.worldwide",
        Outcome.LICENSE_REQUIRED,
        citation,
        info.subject,
        f"{base}. {why_not_aia}; the case's .a-level items total {total:,.0f} TPP (TPP x ICs per unit x "
        f"quantity), above the LPP cap of {cap:,} TPP per ultimate consignee per calendar year "
        f"({diffusion.lpp.citation}), so LPP is not available. Tier 2: {alloc.text}.",
        order=order,
        unconfirmed=alloc.unconfirmed,
        notes=member.notes,
    )
