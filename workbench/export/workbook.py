"""The determination workbook: what an officer hands to management, a forwarder or an auditor.

``render_workbook(record, signature=None) -> openpyxl.Workbook`` lays out a
``DeterminationRecord`` on seven sheets — Summary, Items, Parties and screening, Findings,
Documents, Red flags, Provenance — styled to be read on screen and printed (frozen, filtered
headers; repeated header rows, fit to page width, landscape for wide tables). The workbook is
unsigned; ``workbench.export.signing`` signs what this module renders.

Every value is written as it will read back from the file, because the signature covers the
values read back: text is written as a literal string (``data_type = "s"``, so a party named
``=HYPERLINK(...)`` never becomes a formula and ``#N/A`` never becomes an error), line breaks
are ``\\n``, characters XML cannot carry become U+FFFD, empty text becomes an empty cell,
dates are ISO text, decimals become numbers, and every number is written in its shortest exact
form (``repr``), so it reads back as the same number (openpyxl alone would round to 16 digits).
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Final

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from workbench.domain.case import TransactionType
from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome, Posture, Standing
from workbench.domain.record import RECORD_FORMAT, DeterminationRecord, SignOff

MAX_CELL_TEXT: Final = 32_767
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
Value = str | int | float | None

# Fill colour and font colour per outcome: dark red, orange-red, amber, green.
OUTCOME_COLOURS: Final = {
    Outcome.PROHIBITED: ("8B0000", "FFFFFF"),
    Outcome.LICENSE_REQUIRED: ("D9480F", "FFFFFF"),
    Outcome.LICENSE_EXCEPTION: ("FFC000", "000000"),
    Outcome.NLR: ("2E7D32", "FFFFFF"),
}
OPEN_COLOURS: Final = ("FFE699", "000000")
"""Fill and font of an outcome not yet determined (open items, nothing requiring a licence so far)."""
_HEADER_FILL: Final = PatternFill("solid", fgColor="1F3864")
_HEADER_FONT: Final = Font(bold=True, color="FFFFFF")
_LABEL_FONT: Final = Font(bold=True)
_TITLE_FONT: Final = Font(bold=True, size=14)
_WARN_FILL: Final = PatternFill("solid", fgColor="FFE699")
_ALERT_FILL: Final = PatternFill("solid", fgColor="F4B183")
_THIN: Final = Side(style="thin", color="BFBFBF")
_GRID: Final = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_TOP: Final = Alignment(vertical="top")
_WRAP: Final = Alignment(vertical="top", horizontal="left", wrap_text=True)
_LINE_POINTS: Final = 15.0
_MAX_ROW_POINTS: Final = 409.0

SHEETS: Final = ("Summary", "Items", "Parties and screening", "Findings", "Documents", "Red flags", "Provenance")
_POSTURE_WORDS: Final = {
    Posture.ENFORCED: "Enforced: BIS's stated enforcement posture",
    Posture.CODIFIED: "Codified (what-if): the codified text of the EAR, enforced or not",
}
_KIND_WORDS: Final = {
    "euc": "End-user certificate",
    "bis_711": "BIS-711",
    "uvl_statement": "UVL statement",
    "nac_notification": "NAC notification",
}
_DISPOSITION_WORDS: Final = {"true_match": "True match", "false_positive": "False positive"}


@dataclass(frozen=True, slots=True)
class SignatureInfo:
    """Who signs and when; known before signing, so the signed sheets can state it."""

    signer_name: str
    fingerprint: str
    signed_at: datetime


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    width: int
    wrap: bool = False
    number_format: str | None = None


# --- cell writing -----------------------------------------------------------------------------------


def clean_text(text: str) -> str:
    """Text exactly as the file will hold it (see the module docstring)."""
    text = _ILLEGAL_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))
    return text if len(text) <= MAX_CELL_TEXT else text[: MAX_CELL_TEXT - 1] + "…"


def number(value: Decimal | float | int) -> int | float:
    """Decimals as integers when integral, else as the nearest float."""
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def put(ws: Worksheet, row: int, col: int, value: Value, number_format: str | None = None) -> None:
    """Write one value; text is always literal text, never a formula or an error."""
    cell = ws.cell(row=row, column=col)
    if isinstance(value, str):
        text = clean_text(value)
        if text:
            cell.value = text
            cell.data_type = "s"
    elif value is not None:
        if isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value):
            # openpyxl writes numbers as "%.16g", which loses the 17th digit (4800/336) and large integers;
            # the shortest exact text (repr) reads back as the same number in every spreadsheet program.
            cell._value, cell.data_type = repr(value), "n"
        else:
            cell.value = value
        if number_format:
            cell.number_format = number_format


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value else None


def _when(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S UTC")


def _country(code: str | None) -> str | None:
    return f"{code} — {country_name(code)}" if code else None


def _words(value: str) -> str:
    return value.replace("_", " ").capitalize()


def _named(ws: Worksheet, name: str, **parts: object) -> str:
    """Register a named style once per workbook; assigning it by name is far cheaper than per-cell styles."""
    wb = ws.parent
    if name not in wb.named_styles:
        wb.add_named_style(NamedStyle(name=name, **parts))
    return name


def _paint(ws: Worksheet, row: int, col: int, outcome: Outcome) -> None:
    fill, font = OUTCOME_COLOURS[outcome]
    name = _named(
        ws,
        f"Workbench outcome {outcome.value}",
        fill=PatternFill("solid", fgColor=fill),
        font=Font(bold=True, color=font),
        border=_GRID,
        alignment=_WRAP,
    )
    ws.cell(row=row, column=col).style = name


def _column_style(ws: Worksheet, column: Column) -> str:
    name = f"Workbench {'wrapped text' if column.wrap else 'cell'}"
    if column.number_format:
        name += f" {column.number_format}"
    return _named(
        ws,
        name,
        alignment=_WRAP if column.wrap else _TOP,
        border=_GRID,
        number_format=column.number_format or "General",
    )


# --- sheet layouts ------------------------------------------------------------------------------------


def _print_setup(ws: Worksheet, reference: str, *, landscape: bool, title_rows: str | None) -> None:
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.gridLines = False
    ws.page_margins.left = ws.page_margins.right = 0.5
    if title_rows:
        ws.print_title_rows = title_rows
    ws.oddFooter.left.text = f"{reference} — {ws.title}"
    ws.oddFooter.right.text = "Page &P of &N"


def _lines(value: Value, width: float) -> int:
    """Lines a wrapped value needs in a column ``width`` characters wide (an estimate for row heights)."""
    if not isinstance(value, str):
        return 1
    per_line = max(int(width * 1.1), 1)
    return sum(max(1, math.ceil(len(part) / per_line)) for part in value.split("\n"))


def _fit_height(ws: Worksheet, row: int, cells: Sequence[tuple[Value, float]]) -> None:
    """Set the row tall enough for its wrapped text; spreadsheet programs do not do it on opening."""
    lines = max((_lines(value, width) for value, width in cells), default=1)
    if lines > 1:
        ws.row_dimensions[row].height = min(lines * _LINE_POINTS, _MAX_ROW_POINTS)


def _table(
    ws: Worksheet,
    reference: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Value]],
    empty_text: str,
) -> None:
    """A header row, one row per record, filter and frozen header; ``empty_text`` when there are none."""
    for c, column in enumerate(columns, start=1):
        put(ws, 1, c, column.title)
        cell = ws.cell(row=1, column=c)
        cell.fill, cell.font, cell.border = _HEADER_FILL, _HEADER_FONT, _GRID
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(c)].width = column.width
    _fit_height(ws, 1, [(column.title, column.width) for column in columns])
    if not rows:
        put(ws, 2, 1, empty_text)
        ws.cell(row=2, column=1).font = Font(italic=True)
    styles = [_column_style(ws, column) for column in columns]
    for r, values in enumerate(rows, start=2):
        for c, (style, value) in enumerate(zip(styles, values, strict=True), start=1):
            put(ws, r, c, value)
            ws.cell(row=r, column=c).style = style
        _fit_height(ws, r, [(v, col.width) for v, col in zip(values, columns, strict=True) if col.wrap])
    last_row = max(len(rows) + 1, 2)
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(columns))}{last_row}"
    _print_setup(ws, reference, landscape=len(columns) > 6, title_rows="1:1")


def _pairs(ws: Worksheet, reference: str, title: str, rows: Sequence[tuple[str, Value]]) -> dict[str, int]:
    """A titled two-column sheet of labelled values; returns the row of each label."""
    put(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = _TITLE_FONT
    ws.column_dimensions["A"].width = 30
    ws.column_dimensions["B"].width = 100
    where: dict[str, int] = {}
    for r, (label, value) in enumerate(rows, start=3):
        put(ws, r, 1, label)
        put(ws, r, 2, value)
        ws.cell(row=r, column=1).font = _LABEL_FONT
        ws.cell(row=r, column=1).alignment = _TOP
        ws.cell(row=r, column=2).alignment = _WRAP
        _fit_height(ws, r, [(value, 100)])
        where.setdefault(label, r)
    _print_setup(ws, reference, landscape=False, title_rows=None)
    return where


def _signature_text(signature: SignatureInfo | None) -> str:
    if signature is None:
        return "Not signed."
    return (
        f"Signed by {signature.signer_name} on {_when(signature.signed_at)} with the Ed25519 key "
        f"{signature.fingerprint}. Check it with: workbench-cli verify FILE.xlsx --public-key OFFICER.pub.pem"
    )


def _override_text(record: DeterminationRecord) -> str:
    sign_off = SignOff.of(record)
    if sign_off.overridden:
        count = len(sign_off.open_items)
        return f"Signed with {count} open item{'s' if count != 1 else ''}. Reason given: {record.override_reason}"
    if record.override_reason:
        return f"No open items; reason recorded anyway: {record.override_reason}"
    return "None"


def _screening_text(record: DeterminationRecord) -> str:
    if not record.list_version and not record.screening:
        return "Not screened"
    hits = record.screening
    counts = {d: sum(1 for h in hits if h.disposition == d) for d in ("true_match", "false_positive", None)}
    text = f"{len(hits)} hit{'s' if len(hits) != 1 else ''} against {record.list_version or 'the lists'}"
    if hits:
        text += f": {counts['true_match']} true match, {counts['false_positive']} false positive, {counts[None]} open"
    return text


def _red_flag_text(record: DeterminationRecord) -> str:
    answers = [f.answer for f in record.red_flags] or [a.answer.value for a in record.case.red_flags]
    if not answers:
        return "None answered"
    return (
        f"{len(answers)} answered: {answers.count('yes')} yes, {answers.count('no')} no, "
        f"{len(answers) - answers.count('yes') - answers.count('no')} unknown"
    )


def _coverage_text(covered: bool | None) -> str:
    if covered is None:
        return "Not checked against recorded licences"
    if covered:
        return "Every licence requirement is covered by a recorded licence or licence exception"
    return "NOT every licence requirement is covered by a recorded licence or licence exception"


def _summary(ws: Worksheet, record: DeterminationRecord, signature: SignatureInfo | None) -> None:
    case, det = record.case, record.determination
    totals: dict[str, Decimal] = {}
    for item in case.items:
        totals[item.currency] = totals.get(item.currency, Decimal(0)) + item.total_value
    value_text = ", ".join(f"{cur} {amount:,.2f}" for cur, amount in sorted(totals.items()))
    uses = [
        label
        for flag, label in (
            (case.end_use.ai_model_training, "AI model training"),
            (case.end_use.military, "military"),
            (case.end_use.wmd, "WMD"),
            (case.end_use.iaas, "IaaS"),
        )
        if flag
    ]
    end_use = case.end_use.description or "Not described"
    if uses:
        end_use += f" (declared: {', '.join(uses)})"
    open_items = record.open_items
    rows: list[tuple[str, Value]] = [
        ("Outcome", record.headline),
        ("Officer review required", "Yes" if det.review_required else "No"),
        ("Case", case.reference),
        ("Title", case.title),
        ("Transaction", f"{_words(TransactionType(case.transaction_type).value)} on {case.transaction_date}"),
        ("Export from", _country(case.export_from)),
        ("Destination", _country(case.destination)),
        ("Parties", "\n".join(f"{_words(p.role.value)}: {p.name} ({p.country})" for p in case.parties) or "None"),
        (
            "Items",
            f"{len(case.items)} item{'s' if len(case.items) != 1 else ''}"
            + (f", total {value_text}" if value_text else ""),
        ),
        ("End use", end_use),
        ("Screening", _screening_text(record)),
        ("Red flags", _red_flag_text(record)),
        ("Officer", record.officer),
        ("Determined at", _when(record.determined_at)),
        ("Rules as of", det.as_of.isoformat()),
        ("Posture", _POSTURE_WORDS[det.posture]),
        ("Determination revision", record.revision),
        ("Data versions", "\n".join(f"{k}: {v}" for k, v in record.data_versions.items()) or "Not recorded"),
        ("Licence coverage", _coverage_text(det.all_requirements_covered)),
        ("Open items", "\n".join(open_items) if open_items else "None"),
        ("Override", _override_text(record)),
        ("Signature", _signature_text(signature)),
    ]
    where = _pairs(ws, case.reference, f"Export control determination — {case.reference}", rows)
    # Green only for a determined NLR: an outcome still open is painted as open, never as NLR.
    undetermined = record.standing is Standing.OPEN and det.outcome.severity < Outcome.LICENSE_REQUIRED.severity
    colours = OPEN_COLOURS if undetermined else OUTCOME_COLOURS[det.outcome]
    ws.cell(row=where["Outcome"], column=2).style = _named(
        ws,
        "Workbench outcome open" if undetermined else f"Workbench outcome {det.outcome.value}",
        fill=PatternFill("solid", fgColor=colours[0]),
        font=Font(bold=True, color=colours[1]),
        border=_GRID,
        alignment=_WRAP,
    )
    ws.cell(row=where["Outcome"], column=2).font = Font(bold=True, size=13, color=colours[1])
    ws.row_dimensions[where["Outcome"]].height = 21
    if open_items:
        ws.cell(row=where["Open items"], column=2).fill = _WARN_FILL
    if SignOff.of(record).overridden:
        ws.cell(row=where["Override"], column=2).fill = _ALERT_FILL


def _items(ws: Worksheet, record: DeterminationRecord) -> None:
    columns = [
        Column("#", 5),
        Column("Description", 40, wrap=True),
        Column("Manufacturer", 18, wrap=True),
        Column("Model", 22, wrap=True),
        Column("ECCN", 12),
        Column("TPP", 10),
        Column("Performance density", 13, number_format="0.0#"),
        Column("ICs per unit", 9),
        Column("Quantity", 10),
        Column("Unit", 7),
        Column("Unit value", 14, number_format="#,##0.00"),
        Column("Currency", 9),
        Column("Total value", 16, number_format="#,##0.00"),
        Column("Outcome", 28, wrap=True),
        Column("Rules", 30, wrap=True),
    ]
    outcomes = record.outcomes_by_item()
    rules_of: dict[int, set[str]] = {}
    for finding, position in zip(record.determination.findings, record.finding_items(), strict=True):
        if position is not None:
            rules_of.setdefault(position, set()).add(finding.rule)
    rows: list[list[Value]] = []
    for n, item in enumerate(record.case.items, start=1):
        rules = sorted(rules_of.get(n, ()))
        rows.append(
            [
                n,
                item.description,
                item.manufacturer,
                item.model,
                item.eccn or "Unclassified",
                item.tpp,
                item.performance_density,
                item.ics_per_unit,
                number(item.quantity),
                item.unit,
                number(item.unit_value),
                item.currency,
                number(item.total_value),
                outcomes[n - 1].label,
                ", ".join(rules),
            ]
        )
    _table(ws, record.case.reference, columns, rows, "The case has no items.")
    outcome_column = next(c for c, column in enumerate(columns, start=1) if column.title == "Outcome")
    for n, outcome in enumerate(outcomes, start=1):
        _paint(ws, n + 1, outcome_column, outcome)


def _parties(ws: Worksheet, record: DeterminationRecord) -> None:
    columns = [
        Column("Party #", 8),
        Column("Party", 30, wrap=True),
        Column("Role", 16),
        Column("Address", 30, wrap=True),
        Column("Country", 9),
        Column("HQ country", 9),
        Column("Declared on lists", 18, wrap=True),
        Column("List version", 18, wrap=True),
        Column("Source", 16, wrap=True),
        Column("Entry ID", 12),
        Column("Listed name", 30, wrap=True),
        Column("Matched name", 30, wrap=True),
        Column("Score", 8, number_format="0.0"),
        Column("Disposition", 16, wrap=True),
        Column("Reason", 36, wrap=True),
        Column("Decided by", 16),
    ]
    rows: list[list[Value]] = []
    marks: list[str | None] = []
    for pos, party in enumerate(record.case.parties, start=1):
        head: list[Value] = [
            pos,
            party.name,
            _words(party.role.value),
            party.address,
            party.country,
            party.headquarters_country or "Same",
            ", ".join(_words(f.value) for f in party.listed_on) or "None",
        ]
        hits = [h for h in record.screening if h.party_position == pos]
        for hit in hits:
            words = _DISPOSITION_WORDS.get(hit.disposition or "", "OPEN: no disposition")
            rows.append(
                [
                    *head,
                    hit.list_version,
                    hit.source,
                    hit.entry_id,
                    hit.listed_name,
                    hit.matched_name,
                    hit.score,
                    words,
                    hit.disposition_reason,
                    hit.decided_by,
                ]
            )
            marks.append(hit.disposition)
        if not hits:
            status = "No hits" if record.list_version else "Not screened"
            rows.append([*head, record.list_version or None, None, None, None, None, None, status, None, None])
            marks.append("none" if record.list_version else None)
    _table(ws, record.case.reference, columns, rows, "The case has no parties.")
    col = 1 + [c.title for c in columns].index("Disposition")
    for r, mark in enumerate(marks, start=2):
        if mark == "true_match":
            _paint(ws, r, col, Outcome.PROHIBITED)
        elif mark is None:
            ws.cell(row=r, column=col).fill = _WARN_FILL


def _findings(ws: Worksheet, record: DeterminationRecord) -> None:
    columns = [
        Column("#", 5),
        Column("Rule", 22, wrap=True),
        Column("Subject", 24, wrap=True),
        Column("Outcome", 24, wrap=True),
        Column("Licence exception", 11),
        Column("Covered by", 14),
        Column("Citation", 26, wrap=True),
        Column("Explanation", 80, wrap=True),
        Column("Officer review", 9),
        Column("Unconfirmed", 12),
        Column("Review policy", 40, wrap=True),
    ]
    findings = record.determination.findings
    rows: list[list[Value]] = [
        [
            n,
            f.rule,
            f.subject,
            f.outcome.label,
            f.exception,
            f.covered_by,
            f.citation,
            f.explanation,
            "Yes" if f.review else "No",
            "Yes" if f.unconfirmed else "No",
            f.review_policy,
        ]
        for n, f in enumerate(findings, start=1)
    ]
    _table(ws, record.case.reference, columns, rows, "The rule engine made no findings.")
    for r, finding in enumerate(findings, start=2):
        _paint(ws, r, 4, finding.outcome)


def _document_status(valid_from: date | None, valid_until: date | None, as_of: date) -> str:
    if valid_until and valid_until < as_of:
        return f"Expired on {valid_until}"
    if valid_from and valid_from > as_of:
        return f"Not yet valid (from {valid_from})"
    if valid_until or valid_from:
        return "Valid"
    return "No validity dates"


def _documents(ws: Worksheet, record: DeterminationRecord) -> None:
    columns = [
        Column("#", 5),
        Column("Kind", 18),
        Column("File name", 28, wrap=True),
        Column("Issuer", 22, wrap=True),
        Column("Signatory", 20, wrap=True),
        Column("Signatory title", 18, wrap=True),
        Column("Signed", 11),
        Column("Valid from", 11),
        Column("Valid until", 11),
        Column("Status on as-of date", 18, wrap=True),
        Column("Covers parties", 24, wrap=True),
        Column("Covers items", 10, wrap=True),
        Column("Assurances", 28, wrap=True),
        Column("SHA-256", 66),
        Column("Note", 30, wrap=True),
    ]
    as_of = record.determination.as_of
    rows: list[list[Value]] = [
        [
            n,
            _KIND_WORDS.get(d.kind.value, _words(d.kind.value)),
            d.filename,
            d.issuer,
            d.signatory_name,
            d.signatory_title,
            _iso(d.signed_date),
            _iso(d.valid_from),
            _iso(d.valid_until),
            _document_status(d.valid_from, d.valid_until, as_of),
            "\n".join(d.covers_parties),
            ", ".join(str(i) for i in d.covers_items),
            "\n".join(_words(a.value) for a in d.assurances),
            d.sha256 or "Not recorded",
            d.note,
        ]
        for n, d in enumerate(record.case.documents, start=1)
    ]
    _table(ws, record.case.reference, columns, rows, "No supporting documents were recorded.")
    for r, row in enumerate(rows, start=2):
        if not str(row[9]).startswith(("Valid", "No validity")):
            ws.cell(row=r, column=10).fill = _ALERT_FILL


def _red_flags(ws: Worksheet, record: DeterminationRecord) -> None:
    columns = [Column("ID", 14), Column("Question", 80, wrap=True), Column("Answer", 10), Column("Note", 50, wrap=True)]
    if record.red_flags:
        rows: list[list[Value]] = [[f.id, f.text, _words(f.answer), f.note] for f in record.red_flags]
    else:
        rows = [
            [a.flag_id, "(question text not recorded)", _words(a.answer.value), a.note] for a in record.case.red_flags
        ]
    _table(ws, record.case.reference, columns, rows, "No red-flag answers were recorded.")
    for r, row in enumerate(rows, start=2):
        answer = str(row[2]).lower()
        if answer == "yes":
            ws.cell(row=r, column=3).fill = _ALERT_FILL
        elif answer != "no":
            ws.cell(row=r, column=3).fill = _WARN_FILL


def _provenance(ws: Worksheet, record: DeterminationRecord, signature: SignatureInfo | None) -> None:
    det = record.determination
    rows: list[tuple[str, Value]] = [
        ("Record format", RECORD_FORMAT),
        ("Record SHA-256", record.content_hash),
        ("Case", record.case.reference),
        ("Case version", record.case.version),
        ("Case status when determined", _words(record.case.status.value)),
        ("Determination revision", record.revision),
        ("Determined by", record.officer),
        ("Determined at", _when(record.determined_at)),
        ("Rules as of", det.as_of.isoformat()),
        ("Posture", _POSTURE_WORDS[det.posture]),
    ]
    rows += [(f"Data version: {k}", v) for k, v in record.data_versions.items()]
    rows += [
        ("Screening list version", record.list_version or "Not screened"),
        ("Workbench version", record.workbench_version or "Not recorded"),
    ]
    rows += [(f"Open item {n}", text) for n, text in enumerate(record.open_items, start=1)] or [("Open items", "None")]
    rows += [
        ("Override reason", record.override_reason or "None"),
        (
            "Signature method",
            "Ed25519 over every part of this file byte for byte and the values of every cell "
            "(workbench-signed-determination/2); the signature is kept in the hidden sheet 'Signature'.",
        ),
        ("Signer", signature.signer_name if signature else "Not signed"),
        ("Key fingerprint", signature.fingerprint if signature else "Not signed"),
        ("Signed at", _when(signature.signed_at) if signature else "Not signed"),
        ("How to verify", "workbench-cli verify FILE.xlsx --public-key OFFICER.pub.pem (offline; exit 0 = intact)"),
    ]
    _pairs(ws, record.case.reference, f"Provenance — {record.case.reference}", rows)


def render_workbook(record: DeterminationRecord, signature: SignatureInfo | None = None) -> Workbook:
    """The unsigned determination workbook for ``record`` (``signature`` only fills in who signs)."""
    wb = Workbook()
    sheets = [wb.active] + [wb.create_sheet() for _ in SHEETS[1:]]
    for ws, title in zip(sheets, SHEETS, strict=True):
        ws.title = title
    _summary(sheets[0], record, signature)
    _items(sheets[1], record)
    _parties(sheets[2], record)
    _findings(sheets[3], record)
    _documents(sheets[4], record)
    _red_flags(sheets[5], record)
    _provenance(sheets[6], record, signature)
    props = wb.properties
    props.title = f"Export determination {record.case.reference}"
    props.subject = record.determination.outcome.label
    props.creator = props.lastModifiedBy = record.officer
    moment = (signature.signed_at if signature else record.determined_at).replace(tzinfo=None)
    props.created = props.modified = moment
    return wb
