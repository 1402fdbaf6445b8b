"""Whether each item is subject to the EAR at all (15 CFR 734.3): foreign-made items, de minimis, FDP.

An item in the United States (a case exported from the US) and a US-origin item are subject to
the EAR. A foreign-made item abroad (a reexport or in-country transfer) is subject when a foreign
direct product rule reaches it (734.9(h) advanced computing, (k) SME, (e)(1)/(e)(2) Entity List
footnote 1/4 parties, (f) Russia/Belarus/Crimea), or when its US-controlled content exceeds the
de minimis level of its destination (734.4: 10 % for E:1/E:2, 25 % elsewhere). A fact the
decision needs but the case lacks (origin, US content, the two FDP product facts, the ECCN) is an
open item and the item is treated as subject meanwhile. An item shown not to be subject is taken
out of the other checks, and its finding says why, with the facts used.
"""

from __future__ import annotations

from decimal import Decimal

from workbench.domain.case import ListFlag, PartyRole, TransactionType
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.domain.eccn import EAR99
from workbench.rules.checks.common import item_order
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import FdpRule

_RECIPIENTS = (
    PartyRole.PURCHASER,
    PartyRole.INTERMEDIATE_CONSIGNEE,
    PartyRole.ULTIMATE_CONSIGNEE,
    PartyRole.END_USER,
)


def run(ctx: Context) -> None:
    case = ctx.case
    abroad = not (case.transaction_type is TransactionType.EXPORT and case.export_from == "US")
    keep: list[ItemInfo] = []
    for info in ctx.items:
        if _judge(ctx, info, abroad) is False:
            ctx.not_subject.append(info)
        else:
            keep.append(info)
    ctx.items = tuple(keep)


def _judge(ctx: Context, info: ItemInfo, abroad: bool) -> bool | None:
    data = ctx.data.foreign
    origin = info.item.country_of_origin
    order = item_order(info.index)
    if not abroad:
        if origin is not None and origin != "US":
            ctx.add(
                "jurisdiction.in-us",
                Outcome.NLR,
                data.in_us.citation,
                info.subject,
                f"{info.label} was made in {country_name(origin)} but is exported from the United States: "
                f"{data.in_us.text} ({data.in_us.citation}), so de minimis and the FDP rules do not arise.",
                order=order,
            )
        return True
    if origin == "US":
        ctx.add(
            "jurisdiction.us-origin",
            Outcome.NLR,
            data.us_origin.citation,
            info.subject,
            f"{info.label} is of US origin: {data.us_origin.text} ({data.us_origin.citation}).",
            order=order,
        )
        return True
    if origin is None:
        ctx.add(
            "jurisdiction.origin-unknown",
            Outcome.NLR,
            "15 CFR 734.3",
            info.subject,
            f"{info.label} leaves {country_name(ctx.case.export_from)}, not the United States, and its country of "
            "origin is not recorded: whether it is subject to the EAR (US origin, de minimis, foreign direct "
            "product rules) is not evaluated; it is treated as subject to the EAR meanwhile.",
            order=order,
            review=True,
        )
        ctx.open_item(f"{info.subject}: record its country of origin (and, if foreign-made, its US-controlled content)")
        return None
    return _foreign_made(ctx, info, origin)


def _foreign_made(ctx: Context, info: ItemInfo, origin: str) -> bool | None:
    data = ctx.data.foreign
    order = item_order(info.index)
    facts = [
        f"made in {country_name(origin)}",
        f"located abroad ({ctx.case.transaction_type.value} from "
        f"{country_name(ctx.case.export_from)} to {country_name(ctx.case.destination)})",
    ]
    unknown: list[str] = []
    ruled_out: list[str] = []
    for rule in data.fdp:
        if ctx.as_of < ctx.rule(rule.rulebook).effective:
            continue
        verdict, why = _fdp(ctx, info, rule)
        if verdict is True:
            ctx.add(
                "jurisdiction.fdp",
                Outcome.NLR,
                rule.citation,
                info.subject,
                f"{info.label} is foreign-made but subject to the EAR under the {rule.name} ({rule.citation}): "
                f"{why}. Facts used: {'; '.join(facts)}. The other checks apply to it.",
                order=order,
                unconfirmed=rule.unconfirmed,
            )
            return True
        if verdict is None:
            unknown.append(f"{rule.citation}: {why}")
        else:
            ruled_out.append(f"{rule.citation} does not reach it ({why})")
    level, level_text, level_citation = _de_minimis_level(ctx)
    percent = info.item.us_content_percent
    if percent is None:
        unknown.append(f"{level_citation}: the US-controlled content is not recorded (de minimis {level} % here)")
    elif percent > level:
        facts.append(f"US-controlled content {_pct(percent)} %")
        ctx.add(
            "jurisdiction.de-minimis",
            Outcome.NLR,
            level_citation,
            info.subject,
            f"{info.label} is foreign-made, but its US-controlled content of {_pct(percent)} % exceeds the de minimis "
            f"level ({level_text}), so it is subject to the EAR. Facts used: {'; '.join(facts)}. "
            "The other checks apply to it.",
            order=order,
        )
        return True
    else:
        facts.append(f"US-controlled content {_pct(percent)} % (at most {level} %: {level_text})")
    if unknown:
        ctx.add(
            "jurisdiction.undetermined",
            Outcome.NLR,
            "15 CFR 734.3; 734.4; 734.9",
            info.subject,
            f"{info.label} is foreign-made; whether it is subject to the EAR turns on facts the case does not have: "
            f"{'; '.join(unknown)}. Facts used: {'; '.join(facts)}. It is treated as subject to the EAR until they "
            "are recorded.",
            order=order,
            review=True,
        )
        for text in unknown:
            ctx.open_item(f"{info.subject}: {text}")
        return None
    note = f" {data.de_minimis.advanced_computing_note}" if info.advanced else ""
    ctx.add(
        "jurisdiction.not-subject",
        Outcome.NLR,
        f"{level_citation}; 15 CFR 734.9",
        info.subject,
        f"{info.label} is not subject to the EAR: it is foreign-made, its US-controlled content is within the de "
        f"minimis level, and no foreign direct product rule evaluated reaches it: {'; '.join(ruled_out)}. "
        f"Facts used: {'; '.join(facts)}. "
        f"Counted as: {data.de_minimis.method}. Not evaluated: {data.de_minimis.not_evaluated}; FDP rules "
        f"{data.fdp_not_evaluated}. No other check requires a licence for it.{note}",
        order=order,
        review=info.advanced,
        unconfirmed=info.advanced,
    )
    return False


def _pct(value: Decimal) -> str:
    return f"{value.normalize():f}"


def _de_minimis_level(ctx: Context) -> tuple[int, str, str]:
    for level in ctx.data.foreign.de_minimis.levels:
        if not level.groups and not level.countries:
            return level.percent, level.text, level.citation
        inside, _ = ctx.groups.in_scope(ctx.case.destination, ctx.as_of, groups=level.groups, countries=level.countries)
        if inside:
            return level.percent, level.text, level.citation
    raise ValueError("foreign-made.json: the de minimis levels need a catch-all level without groups or countries")


def _item_in_scope(info: ItemInfo, rule: FdpRule) -> bool | None:
    eccn = info.eccn
    if rule.any_item:
        return True
    if eccn is None:
        return None  # not classified: the item scope cannot be ruled out
    if rule.any_ccl_item:
        return eccn != EAR99
    if rule.item_levels and (info.level in rule.item_levels or info.level == "unknown"):
        return True
    return any(eccn == e or eccn.startswith(e + ".") for e in rule.item_eccns)


def _product(info: ItemInfo, rule: FdpRule) -> tuple[bool | None, str]:
    direct, plant = info.item.us_technology_product, info.item.us_technology_plant
    if direct or plant:
        which = "a direct product of US-origin technology or software" if direct else "made by a US-technology plant"
        return True, f"the item is {which} ({rule.product})"
    if direct is False and plant is False:
        return False, "the item is neither a direct product of US technology or software nor made by such a plant"
    return None, f"whether the item is {rule.product} is not recorded (us_technology_product, us_technology_plant)"


def _fdp(ctx: Context, info: ItemInfo, rule: FdpRule) -> tuple[bool | None, str]:
    """(True: the rule reaches the item, False: it does not, None: a fact is missing), and why."""
    reach, reach_why = _reach(ctx, rule)
    if reach is False:
        return False, reach_why
    scope = _item_in_scope(info, rule)
    if scope is False:
        return False, "the item is outside the rule's product scope"
    product, product_why = _product(info, rule)
    if product is False:
        return False, product_why
    if reach and scope and product:
        return True, f"{reach_why}, and {product_why}"
    missing = [
        text
        for ok, text in (
            (reach, reach_why),
            (scope, "the item has no ECCN, so the rule's product scope cannot be ruled out"),
            (product, product_why),
        )
        if ok is None
    ]
    return None, f"the {rule.name} reaches it if {rule.reach_text}; " + "; ".join(missing)


def _reach(ctx: Context, rule: FdpRule) -> tuple[bool | None, str]:
    dest = ctx.case.destination
    if rule.reach == "advanced-computing":
        ac = ctx.data.advanced
        scope = ac.destination.substitute_when_diffusion_not_applied
        if ctx.diffusion_applied():
            return True, "posture codified: the AI Diffusion rule's text reaches .a-level items worldwide"
        inside, _ = ctx.groups.in_scope(
            dest,
            ctx.as_of,
            groups=scope.groups,
            countries=scope.countries,
            exclude_groups=scope.exclude_groups,
            exclude_countries=scope.exclude_countries,
        )
        if inside:
            return True, f"{country_name(dest)} is within the advanced-computing scope ({scope.text})"
        hq = ctx.hq_parties(ac.headquarters.groups, ac.headquarters.countries, ac.headquarters.roles)
        if hq:
            return True, f"{ctx.party_label(hq[0][0])} is headquartered in Macau or D:5"
        return (
            False,
            f"{country_name(dest)} is outside the advanced-computing scope and no party is headquartered in D:5 "
            "or Macau",
        )
    if rule.reach == "destinations":
        inside, _ = ctx.groups.in_scope(dest, ctx.as_of, groups=rule.groups, countries=rule.countries)
        if inside:
            return True, f"the destination {country_name(dest)} is within it ({rule.reach_text})"
        for index, party in enumerate(ctx.case.parties):
            if party.region in rule.regions and party.role in _RECIPIENTS:
                return True, f"{ctx.party_label(index)} is in {party.region} ({rule.reach_text})"
        return False, f"the destination {country_name(dest)} is not {rule.reach_text.removeprefix('destined to ')}"
    return _entity_list_reach(ctx, rule)


def _entity_list_reach(ctx: Context, rule: FdpRule) -> tuple[bool | None, str]:
    unknown = []
    for index, party in enumerate(ctx.case.parties):
        if party.role not in _RECIPIENTS:
            continue
        texts = [x.license_requirement for x in ctx.listings.get(index, ()) if x.list_flag is ListFlag.ENTITY_LIST]
        flagged = ListFlag.ENTITY_LIST in party.listed_on
        if not texts and not flagged:
            continue
        for text in texts:
            lowered = text.lower()
            for footnote, markers in rule.footnote_markers.items():
                if any(m.lower() in lowered for m in markers):
                    return (
                        True,
                        f"{ctx.party_label(index)} is on the Entity List with a footnote {footnote} designation",
                    )
        if not any(texts):
            unknown.append(f"whether the Entity List entry of {ctx.party_label(index)} carries footnote 1 or 4")
    if unknown:
        return None, "; ".join(unknown)
    return False, "no Entity List party with a footnote 1 or 4 designation takes part"
