"""The tamper corpus: each attack is a small function that turns a signed workbook into a forged one.

Attacks work on the package as a reader of the relationships sees it (Excel, LibreOffice), on the
bytes of its parts, or through openpyxl as a forger with a spreadsheet library would. Every attack
changes what a reader sees or what a program reading the cells gets; none may pass ``verify``.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
from collections.abc import Callable

import openpyxl
from openpyxl.comments import Comment
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

Parts = dict[str, bytes]
Attack = Callable[[bytes], bytes]

SUMMARY = "xl/worksheets/sheet1.xml"
SEAL = "xl/worksheets/sheet8.xml"
RELS = "xl/_rels/workbook.xml.rels"
TYPES = "[Content_Types].xml"
OUTCOME = "Licence required (at least) \u00b7 open items: 1"
"""The demo determination's Summary headline (B3), as the reader sees it."""
OUTCOME_XML = OUTCOME.replace("\u00b7", "&#183;").encode()
OUTCOME_CELL = b'<c r="B3" s="3" t="inlineStr"><is><t>' + OUTCOME_XML + b"</t></is></c>"
NLR = "No licence required (NLR)"


def parts_of(data: bytes) -> Parts:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def pack(parts: Parts | list[tuple[str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    items = parts.items() if isinstance(parts, dict) else parts
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in items:
            archive.writestr(name, content)
    return buffer.getvalue()


def _parts_attack(change: Callable[[Parts], None]) -> Attack:
    def attack(data: bytes) -> bytes:
        parts = parts_of(data)
        change(parts)
        return pack(parts)

    return attack


def _replace(name: str, old: bytes, new: bytes) -> Attack:
    def change(parts: Parts) -> None:
        assert old in parts[name], f"{old!r} not in {name}"
        parts[name] = parts[name].replace(old, new, 1)

    return _parts_attack(change)


def _openpyxl(change: Callable[[Workbook], None]) -> Attack:
    def attack(data: bytes) -> bytes:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        change(wb)
        out = io.BytesIO()
        wb.save(out)
        return out.getvalue()

    return attack


def _add_part(name: str, content: bytes, content_type: str, rel_type: str | None = None) -> Callable[[Parts], None]:
    def change(parts: Parts) -> None:
        parts[name] = content
        override = f'<Override PartName="/{name}" ContentType="{content_type}"/>'.encode()
        parts[TYPES] = parts[TYPES].replace(b"</Types>", override + b"</Types>")
        if rel_type:
            rel = f'<Relationship Type="{rel_type}" Target="/{name}" Id="rId99"/>'.encode()
            parts[RELS] = parts[RELS].replace(b"</Relationships>", rel + b"</Relationships>")

    return change


_OD = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_SML = "application/vnd.openxmlformats-officedocument.spreadsheetml"

# --- package tricks -----------------------------------------------------------------------------------


def second_styles_part(data: bytes) -> bytes:
    """Excel follows the relationship to styles2.xml (white outcome font); openpyxl reads styles.xml."""
    parts = parts_of(data)
    parts["xl/styles2.xml"] = parts["xl/styles.xml"].replace(b'<color rgb="00FFFFFF"/>', b'<color rgb="00D9480F"/>')
    parts[RELS] = parts[RELS].replace(b'Target="styles.xml"', b'Target="styles2.xml"')
    return pack(parts)


def second_shared_strings_part(data: bytes) -> bytes:
    sst = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1">'
        + f"<si><t>{NLR}</t></si></sst>".encode()
    )
    parts = parts_of(data)
    _add_part("xl/sharedStrings2.xml", sst, f"{_SML}.sharedStrings+xml", f"{_OD}/sharedStrings")(parts)
    parts[SUMMARY] = parts[SUMMARY].replace(OUTCOME_CELL, b'<c r="B3" s="3" t="s"><v>0</v></c>')
    return pack(parts)


def second_workbook_part(data: bytes) -> bytes:
    """The package relationship points at workbook2.xml, which makes the Signature sheet visible and first."""
    parts = parts_of(data)
    book = parts["xl/workbook.xml"].replace(b'state="hidden"', b'state="visible"')
    parts["xl/workbook2.xml"] = book
    parts["xl/_rels/workbook2.xml.rels"] = parts[RELS]
    parts["_rels/.rels"] = parts["_rels/.rels"].replace(b'Target="xl/workbook.xml"', b'Target="xl/workbook2.xml"')
    return pack(parts)


def sheet_target_differs_in_case(data: bytes) -> bytes:
    """A forged Sheet1.xml beside sheet1.xml; the relationship names the forged one."""
    parts = parts_of(data)
    parts["xl/worksheets/Sheet1.xml"] = parts[SUMMARY].replace(b"Licence required", NLR.encode())
    parts[RELS] = parts[RELS].replace(b"/xl/worksheets/sheet1.xml", b"/xl/worksheets/Sheet1.xml")
    return pack(parts)


value_and_inline_text = _replace(
    SUMMARY, OUTCOME_CELL, f'<c r="B3" s="3" t="inlineStr"><v>1</v><is><t>{NLR}</t></is></c>'.encode()
)

# --- visible content outside the signed cells -----------------------------------------------------


def chartsheet(data: bytes) -> bytes:
    parts = parts_of(data)
    body = b'<chartsheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetViews><sheetView workbookViewId="0"/></sheetViews></chartsheet>'  # noqa: E501
    _add_part("xl/chartsheets/sheet1.xml", body, f"{_SML}.chartsheet+xml", f"{_OD}/chartsheet")(parts)
    sheet = b'<sheet xmlns:r="' + _OD.encode() + b'" name="Approval" sheetId="9" r:id="rId99"/>'
    parts["xl/workbook.xml"] = parts["xl/workbook.xml"].replace(b"</sheets>", sheet + b"</sheets>")
    return pack(parts)


def text_box_over_the_outcome(data: bytes) -> bytes:
    parts = parts_of(data)
    drawing = (
        b'<xdr:wsDr xmlns:xdr="http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing" '
        b'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main"><xdr:twoCellAnchor>'
        b"<xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from>"
        b"<xdr:to><xdr:col>2</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>3</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to>"
        b'<xdr:sp><xdr:nvSpPr><xdr:cNvPr id="2" name="Box"/><xdr:cNvSpPr txBox="1"/></xdr:nvSpPr><xdr:spPr/>'
        + f"<xdr:txBody><a:bodyPr/><a:p><a:r><a:t>{NLR}</a:t></a:r></a:p></xdr:txBody></xdr:sp>".encode()
        + b"<xdr:clientData/></xdr:twoCellAnchor></xdr:wsDr>"
    )
    parts["xl/drawings/drawing1.xml"] = drawing
    parts[TYPES] = parts[TYPES].replace(
        b"</Types>",
        b'<Override PartName="/xl/drawings/drawing1.xml" '
        b'ContentType="application/vnd.openxmlformats-officedocument.drawing+xml"/></Types>',
    )
    parts["xl/worksheets/_rels/sheet1.xml.rels"] = (
        b'<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + f'<Relationship Id="rId1" Type="{_OD}/drawing" Target="/xl/drawings/drawing1.xml"/>'.encode()
        + b"</Relationships>"
    )
    parts[SUMMARY] = parts[SUMMARY].replace(
        b"</worksheet>", b'<drawing xmlns:r="' + _OD.encode() + b'" r:id="rId1"/></worksheet>'
    )
    return pack(parts)


def macro_part(data: bytes) -> bytes:
    parts = parts_of(data)
    _add_part("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0" + bytes(508), "application/vnd.ms-office.vbaProject")(parts)
    parts[TYPES] = parts[TYPES].replace(b"sheet.main+xml", b"sheet.macroEnabled.main+xml")
    return pack(parts)


comment = _openpyxl(lambda wb: setattr(wb["Summary"]["B3"], "comment", Comment(f"Read as: {NLR}", "Approver")))
hyperlink = _openpyxl(lambda wb: setattr(wb["Summary"]["B3"], "hyperlink", "https://evil.example/approved"))
header_and_footer = _openpyxl(lambda wb: setattr(wb["Summary"].oddHeader.center, "text", "APPROVED: NLR"))
print_area = _openpyxl(lambda wb: setattr(wb["Summary"], "print_area", "A1:A24"))


def _prompt(wb: Workbook) -> None:
    rule = DataValidation(prompt=NLR, promptTitle="Outcome", showInputMessage=True)
    rule.add("B3")
    wb["Summary"].add_data_validation(rule)


def _defined_name(wb: Workbook) -> None:
    wb.defined_names["Outcome"] = DefinedName("Outcome", attr_text=f'"{NLR}"')


data_validation_prompt = _openpyxl(_prompt)
defined_name = _openpyxl(_defined_name)

# --- formatting that changes what is read --------------------------------------------------------------


def _font(**kwargs: object) -> Attack:
    return _openpyxl(lambda wb: setattr(wb["Summary"]["B3"], "font", Font(**kwargs)))  # type: ignore[arg-type]


rich_text_hides_a_word = _replace(
    SUMMARY,
    b"<is><t>" + OUTCOME_XML + b"</t></is>",
    b'<is><r><t>Licence </t></r><r><rPr><color rgb="FFD9480F"/></rPr><t>required'
    + OUTCOME_XML.removeprefix(b"Licence required")
    + b"</t></r></is>",
)
white_font = _font(color="FFFFFF")
fill_coloured_font = _font(color="D9480F")
strike_through = _font(strike=True)
size_one = _font(size=1)
symbol_font = _font(name="Wingdings")
huge_indent = _openpyxl(lambda wb: setattr(wb["Summary"]["B3"], "alignment", Alignment(indent=250)))
zero_column_width = _openpyxl(lambda wb: setattr(wb["Items"].column_dimensions["N"], "width", 0))
zero_row_height = _openpyxl(lambda wb: setattr(wb["Summary"].row_dimensions[3], "height", 0))
conditional_format_in_extlst = _replace(
    SUMMARY,
    b"</worksheet>",
    b'<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
    b'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main"><x14:conditionalFormattings>'
    b"<x14:conditionalFormatting>"
    b'<x14:cfRule type="expression" priority="1" id="{00000000-0000-0000-0000-000000000001}">'
    b'<xm:f xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">TRUE</xm:f>'
    b'<x14:dxf><font><color rgb="FFD9480F"/></font></x14:dxf></x14:cfRule>'
    b'<xm:sqref xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">B3</xm:sqref>'
    b"</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>",
)
conditional_format = _openpyxl(
    lambda wb: wb["Summary"].conditional_formatting.add(
        "B3", CellIsRule(operator="notEqual", formula=['""'], fill=PatternFill("solid", fgColor="2E7D32"))
    )
)


def builtin_number_format_id(data: bytes) -> bytes:
    """numFmtId 14 (a date) on the Items cells; openpyxl may report General, Excel shows a date."""
    parts = parts_of(data)
    styles = parts["xl/styles.xml"]
    start = styles.index(b"<cellXfs")
    head, tail = styles[:start], styles[start:]
    parts["xl/styles.xml"] = head + re.sub(rb'numFmtId="\d+"', b'numFmtId="14"', tail)
    return pack(parts)


# --- the signature sheet itself -------------------------------------------------------------------------

signature_sheet_unhidden = _replace("xl/workbook.xml", b'state="hidden"', b'state="visible"')
signature_sheet_made_active = _replace("xl/workbook.xml", b'activeTab="0"', b'activeTab="7"')
signature_sheet_moved_first = _openpyxl(lambda wb: wb.move_sheet("Signature", -7))
signature_sheet_extra_text = _replace(
    SEAL, b"</sheetData>", f'<row r="99"><c r="A99" t="inlineStr"><is><t>{NLR}</t></is></c></row></sheetData>'.encode()
)
signature_sheet_label = _replace(SEAL, b">Signer<", b">Approved by<")
signature_sheet_unprotected = _replace(SEAL, b'<sheetProtection sheet="1" objects="1" scenarios="1"/>', b"")

# --- the zip container ------------------------------------------------------------------------------------


def duplicate_entry(data: bytes) -> bytes:
    """A second sheet1.xml after the first: zipfile (openpyxl) reads the last, others the first."""
    parts = list(parts_of(data).items())
    forged = dict(parts)[SUMMARY].replace(b"Licence required", NLR.encode())
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return pack([*parts, (SUMMARY, forged)])


def zip_comment(data: bytes) -> bytes:
    out = io.BytesIO(data)
    with zipfile.ZipFile(out, "a") as archive:
        archive.comment = NLR.encode()
    return out.getvalue()


def trailing_data(data: bytes) -> bytes:
    return data + b"PK\x03\x04" + NLR.encode()


def folder_entry(data: bytes) -> bytes:
    parts = list(parts_of(data).items())
    return pack([("xl/hidden/", b""), *parts])


def extra_field(data: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            copy = zipfile.ZipInfo(info.filename, info.date_time)
            copy.compress_type = zipfile.ZIP_DEFLATED
            if info.filename == SUMMARY:
                copy.extra = struct.pack("<HH", 0xCAFE, 4) + b"NLR!"
            archive.writestr(copy, source.read(info))
    return buffer.getvalue()


def hidden_entry_between(data: bytes) -> bytes:
    """A local entry no directory lists, which a streaming reader still sees: spliced in before the directory."""
    end = data.rindex(b"PK\x05\x06")
    cd_size, cd_offset = struct.unpack("<LL", data[end + 12 : end + 20])
    hidden = pack({"xl/worksheets/sheet9.xml": NLR.encode()})
    local = hidden[: hidden.index(b"PK\x01\x02")]
    shifted = struct.pack("<LL", cd_size, cd_offset + len(local))
    return data[:cd_offset] + local + data[cd_offset:end] + data[end : end + 12] + shifted + data[end + 20 :]


ATTACKS: dict[str, Attack] = {
    name: attack
    for name, attack in {
        "second_styles_part": second_styles_part,
        "second_shared_strings_part": second_shared_strings_part,
        "second_workbook_part": second_workbook_part,
        "sheet_target_differs_in_case": sheet_target_differs_in_case,
        "value_and_inline_text": value_and_inline_text,
        "chartsheet": chartsheet,
        "text_box_over_the_outcome": text_box_over_the_outcome,
        "comment": comment,
        "hyperlink": hyperlink,
        "data_validation_prompt": data_validation_prompt,
        "header_and_footer": header_and_footer,
        "print_area": print_area,
        "defined_name": defined_name,
        "macro_part": macro_part,
        "rich_text_hides_a_word": rich_text_hides_a_word,
        "white_font": white_font,
        "fill_coloured_font": fill_coloured_font,
        "strike_through": strike_through,
        "size_one": size_one,
        "symbol_font": symbol_font,
        "huge_indent": huge_indent,
        "zero_column_width": zero_column_width,
        "zero_row_height": zero_row_height,
        "conditional_format_in_extlst": conditional_format_in_extlst,
        "conditional_format": conditional_format,
        "builtin_number_format_id": builtin_number_format_id,
        "signature_sheet_unhidden": signature_sheet_unhidden,
        "signature_sheet_made_active": signature_sheet_made_active,
        "signature_sheet_moved_first": signature_sheet_moved_first,
        "signature_sheet_extra_text": signature_sheet_extra_text,
        "signature_sheet_label": signature_sheet_label,
        "signature_sheet_unprotected": signature_sheet_unprotected,
        "duplicate_entry": duplicate_entry,
        "zip_comment": zip_comment,
        "trailing_data": trailing_data,
        "folder_entry": folder_entry,
        "extra_field": extra_field,
        "hidden_entry_between": hidden_entry_between,
    }.items()
}
