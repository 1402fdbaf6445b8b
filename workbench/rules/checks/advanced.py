"""Rule 2: advanced computing (3A090, 4A090 and the .z paragraphs) as BIS enforces it.

Destination scope: the CCL's codified scope for the item's paragraph, except that while
the AI Diffusion rule is not applied (posture ``enforced``, or before its compliance
date) the .a-level worldwide scope is replaced by the pre-Diffusion scope kept in
``advanced-computing.json``. Headquarters rule: a licence for parties headquartered (or
whose ultimate parent is) in D:5 or Macau, wherever they are. NAC/ACA where they apply.
"""

from __future__ import annotations

from workbench.domain.case import DocumentKind
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome, Posture
from workbench.rules.ccl import Match, ccl_entry, control_match
from workbench.rules.checks import dated, transactions
from workbench.rules.checks.common import cfr, item_order
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import AcException, DestinationScope
from workbench.rules.groups import Membership, describe_groups


def _scope(ctx: Context, info: ItemInfo, level: str) -> tuple[DestinationScope, str, str]:
    """(scope, citation, how the scope was chosen) for the item's level on ``ctx.as_of``."""
    dest_rules = ctx.data.advanced.destination
    substitute = dest_rules.substitute_when_diffusion_not_applied
    entry = ccl_entry(info.ac_eccn)
    codified = None
    if entry is not None and info.ac_eccn:
        for control in entry.controls:
            if (
                control.reason == "RS"
                and control.scope.kind == "destinations"
                and control_match(info.ac_eccn, control) in (Match.APPLIES, Match.CONDITIONAL)
            ):
                codified = control
                break
    if level in substitute.levels and not ctx.diffusion_applied():
        record = ctx.rule(ctx.data.advanced.diffusion.rulebook)
        if ctx.posture is Posture.ENFORCED:
            why = (
                f"Posture enforced: BIS announced on {_not_enforced_since(ctx)} that it would not enforce the AI "
                f"Diffusion rule ({record.citation}), so its worldwide scope for .a-level items is not applied and "
                "the pre-Diffusion scope is used"
            )
        else:
            why = (
                f"Posture codified: the AI Diffusion rule's compliance date ({record.binding_from().isoformat()}) "
                f"is after {ctx.as_of.isoformat()}, so the pre-Diffusion scope is used"
            )
        return substitute, dest_rules.citation, why
    if codified is not None:
        s = codified.scope
        scope = DestinationScope(
            groups=s.groups,
            countries=s.countries,
            exclude_groups=s.exclude_groups,
            exclude_countries=s.exclude_countries,
            worldwide=s.worldwide,
            text=codified.text,
        )
        return scope, cfr(codified.text, dest_rules.citation), "scope as codified on the CCL"
    return substitute, dest_rules.citation, "no CCL row found for the paragraph; the pre-Diffusion scope is used"


def _not_enforced_since(ctx: Context) -> str:
    record = ctx.rule(ctx.data.advanced.diffusion.rulebook)
    for period in record.enforcement:
        if period.status != "enforced":
            return period.since.isoformat()
    return "(no date recorded)"


def _exception_ok(ctx: Context, symbol: str, info: ItemInfo, level: str) -> bool:
    """Item eligibility for NAC/ACA: not for datacenter items meeting 3A090.a; rule in effect."""
    exc, _ = dated.ac_exception(ctx, symbol)
    if exc is None or level not in ("a", "b") or (level == "a" and info.item.datacenter):
        return False
    return ctx.as_of >= ctx.rule(exc.rulebook).effective


def _review_policy(ctx: Context, member: Membership) -> tuple[str, bool]:
    texts, unconfirmed = [], False
    for policy in ctx.data.advanced.review_policies:
        if ctx.as_of < policy.since:
            continue
        if policy.export_from and not transactions.exported_from(ctx, policy.export_from):
            continue  # e.g. 91 FR 1684 applies only to exports from the US, not reexports or transfers
        if member.country in policy.countries or member.groups & set(policy.groups):
            texts.append(f"{policy.text} ({policy.citation})")
            unconfirmed = unconfirmed or policy.unconfirmed
    return ("; ".join(texts) + ".") if texts else "", unconfirmed


def _nac_note(ctx: Context, exc: AcException) -> str:
    if exc.lead_time_days is None:
        return ""
    flag = " (UNCONFIRMED)" if exc.lead_time_unconfirmed else ""
    return f" A lead time of {exc.lead_time_days} days is reported{flag}."


def _notification(ctx: Context, exc: AcException) -> tuple[bool, str]:
    """(prior notification required, AES licence code) for the case's destination under ``exc``."""
    if not exc.notification or exc.notified_groups is None:
        return exc.notification, exc.aes_code
    inside, _ = ctx.groups.in_scope(
        ctx.case.destination, ctx.as_of, groups=exc.notified_groups, countries=exc.notified_countries
    )
    return (True, exc.aes_code) if inside else (False, exc.unnotified_aes_code or exc.aes_code)


def _needs_notification(ctx: Context, symbol: str, info: ItemInfo) -> None:
    exc, _ = dated.ac_exception(ctx, symbol)
    if exc is None or not _notification(ctx, exc)[0]:
        return
    kind = DocumentKind(exc.document) if exc.document else None
    if kind is None or not any(d.kind is kind for d in ctx.case.documents):
        ctx.open_item(
            f"{info.subject}: License Exception {symbol} requires prior notification to BIS ({exc.citation}); "
            "no NAC notification is recorded on the case" + _nac_note(ctx, exc)
        )


def run(ctx: Context) -> None:
    for info in ctx.items:
        if info.level is None or dated.absent_entry(ctx, info.ac_eccn or info.eccn) is not None:
            continue
        level = "a" if info.level == "unknown" else info.level
        if info.level == "unknown":
            ctx.open_item(
                f"{info.subject}: {info.eccn} is a 3A090-type ECCN without its paragraph and without TPP; "
                "give the paragraph or the TPP/PD (treated as .a-level meanwhile)"
            )
        if not (level == "a" and ctx.diffusion_applied()):
            _destination(ctx, info, level)
        _headquarters(ctx, info, level)


def _destination(ctx: Context, info: ItemInfo, level: str) -> None:
    scope, citation, why = _scope(ctx, info, level)
    inside, member = ctx.groups.in_scope(
        ctx.case.destination,
        ctx.as_of,
        groups=scope.groups,
        countries=scope.countries,
        exclude_groups=scope.exclude_groups,
        exclude_countries=scope.exclude_countries,
        worldwide=scope.worldwide,
    )
    dest = country_name(ctx.case.destination)
    figures = ctx.figures(info)
    facts = f"{info.label}{' [' + figures + ']' if figures else ''} is {level}-level advanced computing"
    where = describe_groups(member, (*scope.groups, *scope.exclude_groups))
    scope_text = scope.text or "the scope in the rule data"
    review = info.level == "unknown"
    order = item_order(info.index)
    if not inside:
        ctx.add(
            "adv-computing.destination",
            Outcome.NLR,
            citation,
            info.subject,
            f'{facts}; {dest} is {where} on {ctx.as_of.isoformat()}, outside "{scope_text}", so no licence is '
            f"required for the destination ({why}). Headquarters and end-use rules are checked separately.",
            order=order,
            notes=member.notes,
            unconfirmed=member.unconfirmed,
            review=review,
        )
        return
    policy, policy_unconfirmed = _review_policy(ctx, member)
    base = f'{facts}; {dest} is {where} on {ctx.as_of.isoformat()}, inside "{scope_text}" ({why}).'
    unconfirmed = member.unconfirmed or policy_unconfirmed
    if level == "hbm":
        _, hbm_text = _hbm_flag(info)
        ctx.add(
            "adv-computing.destination",
            Outcome.LICENSE_REQUIRED,
            citation,
            info.subject,
            f"{base} A licence is required. {hbm_text} {policy}".strip(),
            order=order,
            notes=member.notes,
            unconfirmed=unconfirmed,
            review=review,
        )
        return
    for symbol in ("NAC", "ACA"):
        exc, as_then = dated.ac_exception(ctx, symbol)
        if exc is None:
            continue
        ok, _ = ctx.groups.in_scope(
            ctx.case.destination,
            ctx.as_of,
            groups=exc.destination_groups,
            countries=exc.destination_countries,
            exclude_groups=exc.exclude_groups,
            exclude_countries=exc.exclude_countries,
        )
        if ok and _exception_ok(ctx, symbol, info, level):
            notified, aes_code = _notification(ctx, exc)
            note = " Prior notification to BIS is required." if notified else " No notification is needed."
            ctx.add(
                "adv-computing.destination",
                Outcome.LICENSE_EXCEPTION,
                citation,
                info.subject,
                f"{base} A licence is required, but License Exception {symbol} ({exc.citation}) is available: "
                f"{dest} is an eligible destination and the exception excludes only {exc.not_for}, which this "
                f"item is not.{note} AES code {aes_code}." + (_nac_note(ctx, exc) if notified else ""),
                order=order,
                notes=[*member.notes, as_then.text if as_then else ""],
                unconfirmed=unconfirmed
                or (exc.lead_time_unconfirmed and notified)
                or bool(as_then and as_then.unconfirmed),
                review=review,
                exception=symbol,
            )
            _needs_notification(ctx, symbol, info)
            return
    blocked = (
        " NAC/ACA are not available: the item is designed or marketed for datacenters and meets 3A090.a."
        if (level == "a" and info.item.datacenter)
        else ""
    )
    ctx.add(
        "adv-computing.destination",
        Outcome.LICENSE_REQUIRED,
        citation,
        info.subject,
        f"{base} A licence is required.{blocked} {policy}".strip(),
        order=order,
        notes=member.notes,
        unconfirmed=unconfirmed,
        review=review,
    )


def _hbm_flag(info: ItemInfo) -> tuple[bool, str]:
    from workbench.rules.ccl import exception_flag

    ok, text = exception_flag(info.ac_eccn or "", "HBM")
    if ok:
        return True, (
            f'The CCL lists License Exception HBM for this paragraph ("{text}"); its conditions (§740.25) are not '
            "evaluated by the engine."
        )
    return False, ""


def _latest(ctx: Context, rule_ids: tuple[str, ...]) -> str:
    return max(ctx.rule(r).effective for r in rule_ids).isoformat()


def _headquarters(ctx: Context, info: ItemInfo, level: str) -> None:
    hq = ctx.data.advanced.headquarters
    if level not in hq.levels or ctx.case.destination in hq.except_destinations:
        return
    if ctx.as_of < min(ctx.rule(r).effective for r in hq.rulebook):
        return
    parties = ctx.hq_parties(hq.groups, hq.countries, hq.roles)
    if not parties:
        return
    names = "; ".join(
        f"{ctx.party_label(i)} headquartered in {country_name(p.effective_headquarters)} "
        f"({describe_groups(m, hq.groups) if m.groups & set(hq.groups) else 'Macau'})"
        for i, p, m in parties
    )
    notes = [n for _, _, m in parties for n in m.notes]
    unconfirmed = any(m.unconfirmed for _, _, m in parties)
    citation = hq.citation_on(ctx.as_of)
    base = (
        f"{info.label} is {level}-level advanced computing and goes to {names}: a licence is "
        f"required wherever the party is located when it, or its ultimate parent, is headquartered in D:5 or Macau "
        f"(BIS confirmed in its guidance of {_latest(ctx, hq.rulebook)} that it still enforces this requirement)."
    )
    exc, as_then = dated.ac_exception(ctx, "NAC")
    if exc is not None and _exception_ok(ctx, "NAC", info, level):
        ctx.add(
            "adv-computing.headquarters",
            Outcome.LICENSE_EXCEPTION,
            citation,
            info.subject,
            f"{base} License Exception NAC ({exc.citation}) is available (it excludes only {exc.not_for}); prior "
            f"notification to BIS is required." + _nac_note(ctx, exc),
            order=item_order(info.index),
            notes=[*notes, as_then.text if as_then else ""],
            unconfirmed=unconfirmed or exc.lead_time_unconfirmed or bool(as_then and as_then.unconfirmed),
            exception="NAC",
        )
        _needs_notification(ctx, "NAC", info)
        return
    blocked = (
        " NAC is not available: the item is designed or marketed for datacenters and meets 3A090.a."
        if (level == "a" and info.item.datacenter)
        else ""
    )
    ctx.add(
        "adv-computing.headquarters",
        Outcome.LICENSE_REQUIRED,
        citation,
        info.subject,
        base + blocked + " Licence review policy: presumption of denial.",
        order=item_order(info.index),
        notes=notes,
        unconfirmed=unconfirmed,
    )
