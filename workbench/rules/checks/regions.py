"""Region-level sanctions: Crimea and the so-called DNR and LNR regions of Ukraine (15 CFR 746.6).

A party's ISO 3166-2 region decides; the Country Chart footnote that sends the reader to §746.6
(footnote 9 to Ukraine's row) is quoted in every finding. A party without a region whose address
names a place in one of these regions (Latin or Cyrillic: Sevastopol, Сімферополь, Donetsk, …) is
a warning and an open item asking the officer to set the region, never silently cleared.
"""

from __future__ import annotations

import re
import unicodedata

from workbench.domain.case import Party, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.domain.eccn import EAR99
from workbench.rules.checks.common import DESTINATION, party_order
from workbench.rules.context import Context
from workbench.rules.data import SanctionedRegion


def run(ctx: Context) -> None:
    data = ctx.data.regions
    in_force = [r for r in data.regions if ctx.as_of >= ctx.rule(r.rulebook).effective]
    if not in_force:
        return
    unset: list[str] = []
    for index, party in enumerate(ctx.case.parties):
        if party.region is not None:
            region = next((r for r in in_force if party.region in r.codes), None)
            if region is not None:
                _in_region(ctx, index, party, region)
            continue
        hits = _address_hits(party, in_force)
        if hits:
            _address_warning(ctx, index, party, hits)
        elif party.country in {r.country for r in in_force}:
            unset.append(ctx.party_label(index))
    if unset:
        country = country_name(in_force[0].country)
        ctx.add(
            "regions.not-set",
            Outcome.NLR,
            in_force[0].citation,
            "case",
            f"{', '.join(unset)} in {country} without a region: §746.6 requires a licence for the Crimea, DNR and LNR "
            f"regions only, and nothing in the address names them. {_footnote(ctx, in_force[0])} Set the region "
            "(ISO 3166-2) if the address lies in one of them.",
            order=DESTINATION,
        )


def _footnote(ctx: Context, region: SanctionedRegion) -> str:
    text = ctx.data.chart.footnotes.get(region.chart_footnote, "")
    row = ctx.data.chart.rows.get(region.country)
    carries = row is not None and int(region.chart_footnote) in row.footnotes
    where = f"The Country Chart row for {country_name(region.country)}" + (" carries" if carries else " points to")
    return f'{where} footnote {region.chart_footnote}: "{text}"'


def _in_region(ctx: Context, index: int, party: Party, region: SanctionedRegion) -> None:
    data = ctx.data.regions
    label = ctx.party_label(index)
    record = ctx.rule(region.rulebook)
    where = f"{label} is in {party.region} ({region.name})"
    if not region.exact:
        where += f"; {data.not_exact_note}"
    only_ear99 = bool(ctx.items) and all(i.eccn == EAR99 for i in ctx.items)
    exempt = (
        f" The items are EAR99: the requirement does not cover {data.exempt}; the engine does not evaluate whether "
        "they are."
        if only_ear99
        else ""
    )
    if party.role.value in data.roles:
        ctx.add(
            region.rule,
            Outcome.LICENSE_REQUIRED,
            region.citation,
            f"party {index + 1}",
            f"{where}. A licence is required to export or reexport to, or transfer within, {region.name} all items "
            f"subject to the EAR except {data.exempt} ({region.citation}; {record.citation}). {_footnote(ctx, region)} "
            f"Licence review policy: {region.policy}"
            + (" (UNCONFIRMED)." if region.policy_unconfirmed else ".")
            + exempt
            + " Licence exceptions are limited to those §746.6 names; the engine does not evaluate them.",
            order=party_order(index),
            review=not region.exact or bool(exempt),
            unconfirmed=record.unconfirmed or region.policy_unconfirmed,
        )
        if not region.exact:
            ctx.open_item(f"{label}: confirm whether the address lies in {region.name} ({party.region} is wider)")
        return
    ctx.add(
        region.rule,
        Outcome.NLR,
        region.citation,
        f"party {index + 1}",
        f"{where}, as {party.role.value.replace('_', ' ')}: the items are not shipped there, so §746.6 does not apply "
        f"to them directly, but confirm they will not go there (a diversion risk). {_footnote(ctx, region)}",
        order=party_order(index),
        review=True,
    )
    ctx.open_item(f"{label} is in {region.name}: confirm no item will be exported, reexported or transferred there")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", text).casefold().replace("ё", "е")


def _address_hits(party: Party, regions: list[SanctionedRegion]) -> list[tuple[SanctionedRegion, str]]:
    text = _fold(party.address)
    if not text:
        return []
    hits = []
    for region in regions:
        for word in region.words:
            if re.search(rf"(?<!\w){re.escape(_fold(word))}(?!\w)", text):
                hits.append((region, word))
                break
    return hits


def _address_warning(ctx: Context, index: int, party: Party, hits: list[tuple[SanctionedRegion, str]]) -> None:
    label = ctx.party_label(index)
    named = "; ".join(f'"{word}" ({region.name}, {", ".join(region.codes)})' for region, word in hits)
    region = hits[0][0]
    fix = (
        f"set its region to {' or '.join(region.codes)}"
        if party.country == region.country
        else f"its country is {country_name(party.country)}: if the address lies in {region.name}, record the country "
        f"as {country_name(region.country)} and the region as {' or '.join(region.codes)}"
    )
    recipient = party.role is not PartyRole.APPLICANT and party.role.value in ctx.data.regions.roles
    ctx.add(
        "regions.address",
        Outcome.NLR,
        region.citation,
        f"party {index + 1}",
        f"{label} has no region set, but its address names {named}. If it lies there, "
        + ("a licence is required under " if recipient else "")
        + f"{region.citation}. {_footnote(ctx, region)} The engine has not applied it: {fix}.",
        order=party_order(index),
        review=True,
    )
    ctx.open_item(f"{label}: the address names {hits[0][1]} ({region.name}); {fix}")
