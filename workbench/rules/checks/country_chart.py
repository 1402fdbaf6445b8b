"""Rule 1: the Commerce Country Chart (15 CFR 738.4), one finding per reason for control.

Each "License Requirements" row of the item's entry that reaches its paragraph is
checked against the destination's column; rows that state a destination scope
instead of a column are checked against Country Groups. No X is reported as
``nlr`` with the §738.4(a)(2)(ii)(B) caveat, never as clearance.
"""

from __future__ import annotations

from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.rules.ccl import Match, ccl_entry, control_match
from workbench.rules.checks import dated
from workbench.rules.checks.common import DESTINATION, cfr, chart_caveats, dest_label, item_order
from workbench.rules.context import Context, ItemInfo
from workbench.rules.data import ChartRow, Control
from workbench.rules.groups import describe_groups

CHART = "15 CFR 738.4(a)(2); supp. 1 to part 738"


def _row(ctx: Context) -> tuple[str, ChartRow | None, str]:
    chart = ctx.data.chart
    code = ctx.case.destination
    if code in chart.rows or code in chart.embargoed:
        return code, chart.rows.get(code), ""
    inherit = chart.inherits.get(code)
    if inherit:
        note = f"{country_name(code)} has no row of its own and takes {country_name(inherit.row)}'s: {inherit.basis}"
        return inherit.row, chart.rows.get(inherit.row), note
    return code, None, ""


def run(ctx: Context) -> None:
    chart = ctx.data.chart
    row_code, row, inherit_note = _row(ctx)
    notes = [inherit_note, *chart_caveats(ctx)]
    dest = country_name(ctx.case.destination)
    embargoed = chart.embargoed.get(row_code)
    has_embargo = any(e.country == row_code for e in ctx.data.embargoes.embargoes)
    if embargoed is not None:
        ctx.add(
            "country-chart.part746",
            Outcome.NLR,
            CHART,
            dest_label(ctx),
            f'The Country Chart row for {dest} carries no marks: "{embargoed.pointer}" The absence of an X '
            "has no permissive meaning here; see the embargo findings.",
            order=DESTINATION,
            notes=notes,
            review=not has_embargo,
        )
    elif row is None:
        ctx.add(
            "country-chart.no-row",
            Outcome.NLR,
            CHART,
            dest_label(ctx),
            f"{dest} has no row in the Country Chart and is not a territory the EAR assigns to another row; "
            f"{chart.inherits_note}",
            order=DESTINATION,
            review=True,
        )
        ctx.open_item(f"Country Chart: no row for {dest}; determine which row governs it")
    for info in ctx.items:
        _item(ctx, info, row_code, row, embargoed is not None, notes)


def _item(ctx: Context, info: ItemInfo, row_code: str, row: ChartRow | None, embargoed: bool, notes: list[str]) -> None:
    eccn = info.eccn
    entry = ccl_entry(eccn)
    if eccn is None or entry is None or dated.absent_entry(ctx, eccn) is not None:
        return  # an entry not yet in force on the date: see checks.dated
    codified_only = dated.gated(ctx, eccn) is not None
    all_dest = ctx.data.chart.all_destinations
    for key, text in all_dest.entries.items():
        if eccn == key or eccn.startswith(key + "."):
            ctx.add(
                "country-chart.all-destinations",
                Outcome.LICENSE_REQUIRED,
                "15 CFR 738.3(a)(1)",
                info.subject,
                f"{info.label}: {text} needs a licence to all destinations; the Country Chart does not apply "
                f"({all_dest.note} {all_dest.licensing_policy})",
                order=item_order(info.index),
                notes=notes,
            )
    for control in entry.controls:
        match = control_match(eccn, control)
        if match is Match.NO:
            continue
        if info.level is not None and control.reason == "RS" and control.scope.kind == "destinations":
            continue  # advanced-computing scopes are posture-dependent: see checks.advanced
        if codified_only and control.reason == "RS" and control.scope.kind == "destinations":
            continue  # codified but not applied on this date or posture (4E091): see checks.dated
        kind = control.scope.kind
        if kind == "column" and not embargoed and row is not None:
            for column in control.scope.columns:
                _column(ctx, info, control, match, column, row, notes)
        elif kind == "destinations":
            _scope(ctx, info, control, match, notes)
        elif kind == "chart-footnote" and row is not None and control.scope.footnote is not None:
            if int(control.scope.footnote) in row.footnotes:
                ctx.add(
                    f"country-chart.{control.reason}",
                    Outcome.LICENSE_REQUIRED,
                    cfr(control.text, "15 CFR 746.1(b)"),
                    info.subject,
                    f'{info.label}: ECCN {eccn} is controlled for {control.reason} ("{control.text}") and the '
                    f"Country Chart row for {country_name(row_code)} carries footnote {control.scope.footnote}: "
                    f"{ctx.data.chart.footnotes[control.scope.footnote]}",
                    order=item_order(info.index),
                    notes=notes,
                )
        elif kind == "refer":
            ctx.add(
                f"ccl-refer.{control.reason}",
                Outcome.NLR,
                cfr(control.text, "15 CFR part 774, supp. 1"),
                info.subject,
                f"{info.label}: ECCN {eccn} is controlled for {control.reason}, and its licence requirement is "
                f'not expressed as a Country Chart column: "{control.text}" Check that provision.',
                order=item_order(info.index),
                review=True,
            )
            ctx.open_item(f'{info.subject}: check the {control.reason} requirement of {eccn} ("{control.text}")')


def _qualifier(control: Control, match: Match, eccn: str) -> str:
    if match is Match.CONDITIONAL:
        return f' The row applies to "{control.applies_to}"; confirm the item falls within it.'
    if match is Match.UNSPECIFIED:
        return (
            f" The row applies to {', '.join(control.paragraphs)} and the ECCN {eccn} does not say which "
            "paragraph the item is in; give the full paragraph."
        )
    return ""


def _column(
    ctx: Context, info: ItemInfo, control: Control, match: Match, column: str, row: ChartRow, notes: list[str]
) -> None:
    eccn = info.eccn or ""
    dest = country_name(ctx.case.destination)
    label = ctx.data.chart.column_labels.get(column, column)
    rule = "country-chart." + column.replace(" ", "")
    citation = f"{CHART}, column {column}"
    base = f"{info.label}: ECCN {eccn} is controlled for {control.reason} ({label}, column {column})"
    if column in row.marks:
        ctx.add(
            rule,
            Outcome.LICENSE_REQUIRED,
            citation,
            info.subject,
            f"{base}, and the Country Chart has an X for {dest} in column {column}: a licence is required for "
            "this reason unless a licence exception overcomes it; each reason must be overcome separately."
            + _qualifier(control, match, eccn),
            order=item_order(info.index),
            notes=notes,
            review=match is not Match.APPLIES,
        )
    else:
        ctx.add(
            rule,
            Outcome.NLR,
            citation,
            info.subject,
            f"{base}; the Country Chart has no X for {dest} in column {column}. No X is not clearance: "
            f"{ctx.data.chart.procedure.no_mark_caveat}",
            order=item_order(info.index),
            notes=notes,
        )


def _scope(ctx: Context, info: ItemInfo, control: Control, match: Match, notes: list[str]) -> None:
    scope = control.scope
    eccn = info.eccn or ""
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
    where = describe_groups(member, (*scope.groups, *scope.exclude_groups))
    text = (
        f"{info.label}: ECCN {eccn} is controlled for {control.reason} with a stated scope instead of a "
        f'chart column: "{control.text}" {dest} is {where} on {ctx.as_of.isoformat()}'
    )
    outcome = Outcome.LICENSE_REQUIRED if inside else Outcome.NLR
    text += ", so a licence is required." if inside else ", so this row does not require a licence."
    ctx.add(
        f"ccl-scope.{control.reason}",
        outcome,
        cfr(control.text, "15 CFR part 774, supp. 1"),
        info.subject,
        text + (_qualifier(control, match, eccn) if inside else ""),
        order=item_order(info.index),
        notes=[*member.notes, *notes],
        unconfirmed=member.unconfirmed,
        review=inside and match is not Match.APPLIES,
    )
