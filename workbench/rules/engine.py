"""The EAR determination engine: ``evaluate(case) -> Determination``.

Public API (stable; services and the CLI call these):

``evaluate(case, *, as_of=None, posture=Posture.ENFORCED, party_listings=None, open_items_extra=())``
    Judge ``case`` by the rules in force on ``as_of`` (default: the case's transaction
    date) under ``posture`` (``enforced``: BIS's stated enforcement posture, the default;
    ``codified``: a what-if applying the codified EAR text, e.g. the AI Diffusion rule).
    ``party_listings`` maps a party's index in ``case.parties`` to screening results
    (``PartyListing``); unresolved ones become open items. Without them the parties'
    ``listed_on`` flags are used. ``open_items_extra`` adds open items from elsewhere
    (e.g. missing documents found by services).

``determination_to_json(determination) -> dict``
    The JSON shape of ``workbench-cli check --json``.

Rules (each a module in ``workbench.rules.checks``): dates (the CCL and exceptions in force,
``dated``; nothing before the rule data's earliest date is evaluated), transaction type,
jurisdiction (foreign-made items: de minimis and the FDP rules), classification, Country Chart,
advanced computing, AI Diffusion, GP10/PRC ICs, AI-model training, embargoes, region-level
sanctions (§746.6), listed parties and end uses, ownership of register parties (``case.ownership``),
red flags; then licence exceptions and the review policy of each finding. The outcome is the most restrictive finding
(prohibited > license_required > license_exception > nlr), counting an unresolved screening
hit as a match (a *provisional* finding); ``review_required`` is set by open items or findings
that ask for review, and ``Determination.headline`` never reads NLR while either is present.
Findings are sorted most restrictive first, then by subject and rule, so the same inputs and
data give the same output.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date
from typing import Any

from workbench.domain.case import Case
from workbench.domain.determination import Determination, Finding, Outcome, Posture, Standing
from workbench.rules.amend import data_on
from workbench.rules.checks import (
    advanced,
    ai_training,
    bars,
    classification,
    country_chart,
    dated,
    dating,
    diffusion,
    embargo,
    enduse,
    exceptions,
    foreign,
    ownership,
    parties,
    prc_ics,
    red_flags,
    regions,
    transactions,
)
from workbench.rules.context import Context, item_info
from workbench.rules.data import RuleData, consulting, rule_data, using_rule_data
from workbench.rules.groups import group_table
from workbench.rules.listing import PartyListing
from workbench.rules.review import apply as apply_review_policies

__all__ = ["PartyListing", "Posture", "determination_to_json", "evaluate"]

_CHECKS = (
    dating.run,
    dated.run,
    transactions.run,
    foreign.run,
    classification.run,
    country_chart.run,
    advanced.run,
    diffusion.run,
    prc_ics.run,
    ai_training.run,
    embargo.run,
    regions.run,
    parties.run,
    enduse.run,
    ownership.run,
    red_flags.run,
)
# Checks that read the advanced-computing parameters: a local parameter amendment is named in their findings.
_READS_ADVANCED_PARAMETERS = frozenset(
    {classification.run, advanced.run, diffusion.run, prc_ics.run, ai_training.run, foreign.run}
)


def evaluate(
    case: Case,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    party_listings: Mapping[int, Sequence[PartyListing]] | None = None,
    open_items_extra: Sequence[str] = (),
) -> Determination:
    """Determine the licence outcome of ``case`` on ``as_of`` under ``posture``."""
    day = as_of or case.transaction_date
    data = data_on(rule_data(), day)
    with using_rule_data(data):
        return _evaluate(case, day, posture, data, party_listings, open_items_extra)


def _evaluate(
    case: Case,
    day: date,
    posture: Posture,
    data: RuleData,
    party_listings: Mapping[int, Sequence[PartyListing]] | None,
    open_items_extra: Sequence[str],
) -> Determination:
    ctx = Context(
        case=case,
        as_of=day,
        posture=Posture(posture),
        data=data,
        groups=group_table(),
        listings=dict(party_listings or {}),
        items=tuple(item_info(i + 1, item) for i, item in enumerate(case.items)),
    )
    if dated.before_earliest(ctx):
        dated.not_evaluated(ctx)  # the rule data does not describe that date: say so rather than guess
    else:
        for check in _CHECKS:
            with consulting(advanced=check in _READS_ADVANCED_PARAMETERS):
                check(ctx)
        enduse.entity_scope(ctx)
        exceptions.apply(ctx)
        bars.apply(ctx)
        _nothing_subject(ctx)
        ownership.run_unknown(ctx)  # after the bars and jurisdiction: it asks whether the case needs a licence
        apply_review_policies(ctx)
    for text in open_items_extra:
        ctx.open_item(text)
    findings = ctx.findings()
    outcome = max((f.outcome for f in findings), key=lambda o: o.severity, default=Outcome.NLR)
    open_items = tuple(ctx.open_items)
    review = bool(open_items) or any(f.review for f in findings)
    return Determination(
        case_reference=case.reference,
        as_of=day,
        posture=ctx.posture,
        outcome=outcome,
        review_required=review,
        open_items=open_items,
        findings=tuple(findings),
        data_versions=dict(data.versions),
    )


def _nothing_subject(ctx: Context) -> None:
    """When no item of the case is subject to the EAR, no EAR licence requirement binds (prohibitions stay)."""
    if ctx.items or not ctx.not_subject:
        return
    bound = (Outcome.LICENSE_REQUIRED, Outcome.LICENSE_EXCEPTION)
    updated = []
    for key, finding in ctx.raw_findings():
        if finding.outcome in bound:
            finding = replace(
                finding,
                outcome=Outcome.NLR,
                exception=None,
                explanation=f"{finding.explanation} No item of the case is subject to the EAR (see the jurisdiction "
                "findings), so this EAR licence requirement does not bind this case; it would for any item that is.",
            )
            key = (-finding.outcome.severity, *key[1:])
        updated.append((key, finding))
    ctx.replace_findings(updated)


def _finding_json(finding: Finding, versions: Mapping[str, str]) -> dict[str, Any]:
    return {
        "rule": finding.rule,
        "outcome": finding.outcome.value,
        "citation": finding.citation,
        "subject": finding.subject,
        "explanation": finding.explanation,
        "exception": finding.exception,
        "review": finding.review,
        "unconfirmed": finding.unconfirmed,
        "covered_by": finding.covered_by,
        "provisional": finding.provisional,
        "label": finding.label,
        "review_policy": finding.review_policy,
        "data": dict(versions),
    }


def determination_to_json(d: Determination) -> dict[str, Any]:
    """The ``check --json`` shape: case, as_of, posture, standing, headline, outcome, review, open items,
    findings, data.

    ``outcome`` is the most restrictive finding, provisional ones included; read it with ``standing``
    (``determined``, ``provisional``: it holds if the hits in ``provisional_on`` are confirmed, ``open``:
    not yet determined) and ``determined_outcome`` (null unless the standing is ``determined``).
    """
    standing = d.standing
    return {
        "case": d.case_reference,
        "as_of": d.as_of.isoformat(),
        "posture": d.posture.value,
        "standing": standing.value,
        "headline": d.headline,
        "determined_outcome": d.outcome.value if standing is Standing.DETERMINED else None,
        "provisional_on": list(d.provisional_on),
        "outcome": d.outcome.value,
        "review_required": d.review_required,
        "open_items": list(d.open_items),
        "unconfirmed": any(f.unconfirmed for f in d.findings),
        "all_requirements_covered": d.all_requirements_covered,
        "findings": [_finding_json(f, d.data_versions) for f in d.findings],
        "data": dict(d.data_versions),
    }
