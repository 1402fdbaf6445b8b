"""``check``: the EAR rule checks on a case file or a stored case."""

from __future__ import annotations

import argparse
import textwrap
from datetime import date

from workbench.cli.context import CliContext, add_json_flag
from workbench.cli.screening import warn_if_old
from workbench.domain.determination import Determination, Outcome, Posture, Standing
from workbench.domain.errors import ValidationError
from workbench.services import checks, rules
from workbench.services.screening import active_version


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a date; write it as YYYY-MM-DD") from None


def register(subparsers: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = subparsers.add_parser("check", help="run the EAR rule checks on a case file or a stored case")
    p.add_argument("case", metavar="CASE_FILE_OR_REF", help="a workbench-case/1 JSON file, or a case reference")
    p.add_argument("--as-of", type=_date, default=None, help="judge by the rules in force on this date (YYYY-MM-DD)")
    p.add_argument(
        "--posture",
        choices=[p.value for p in Posture],
        default=Posture.ENFORCED.value,
        help="enforced (BIS's stated posture, default) or codified (what-if: the EAR text as written)",
    )
    p.add_argument(
        "--rules",
        type=int,
        default=None,
        metavar="VERSION",
        help="judge by this stored rule data version instead of the active one ('rules show' lists them)",
    )
    add_json_flag(p)
    p.set_defaults(handler=_check)


def _check(ctx: CliContext) -> int:
    case, stored = checks.load_case_or_file(ctx.workbench, ctx.args.case)
    if ctx.args.as_of and ctx.args.as_of.year < 1990:
        raise ValidationError("--as-of", "dates before 1990 are outside the rule data")
    with rules.judged_by(ctx.workbench, ctx.args.rules):
        result = checks.check(
            ctx.workbench, case, stored=stored, as_of=ctx.args.as_of, posture=Posture(ctx.args.posture)
        )
    warn_if_old(ctx, active_version(ctx.workbench))
    if ctx.workbench.rules_problem:
        ctx.warn(ctx.workbench.rules_problem)
    if ctx.as_json:
        ctx.print_json(checks.determination_json(result))
    else:
        _print(ctx, result)
    return 0


def _print(ctx: CliContext, d: Determination) -> None:
    # The headline never reads NLR while anything is open or provisional (Determination.headline).
    headline = d.headline.upper() if d.standing is Standing.DETERMINED else d.headline
    ctx.print(f"{d.case_reference}: {headline}  (as of {d.as_of}, posture {d.posture.value})")
    if d.review_required:
        ctx.print("Open items (the outcome is not determined until they are resolved):")
        for item in d.open_items:
            ctx.print(f"  - {item}")
    ctx.print("Findings:")
    for f in d.findings:
        flag = " [UNCONFIRMED]" if f.unconfirmed else ""
        flag += f" [PROVISIONAL: if {f.provisional}]" if f.provisional else ""
        flag += " [OPEN: needs review]" if f.review and f.outcome is Outcome.NLR and not f.provisional else ""
        ctx.print(f"  * {f.outcome.value:<17} {f.rule}  {f.subject}  ({f.citation}){flag}")
        ctx.print(textwrap.indent(textwrap.fill(f.explanation, 100), "      "))
        if f.review_policy:
            ctx.print(textwrap.indent(textwrap.fill(f"Licence review policy: {f.review_policy}", 100), "      "))
    versions = ", ".join(f"{k} {v}" for k, v in sorted(d.data_versions.items()))
    ctx.print(f"Data: {versions}")
