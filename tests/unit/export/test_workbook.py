"""The rendered workbook: golden cell values, literal text, layout, and a second reader."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from python_calamine import CalamineWorkbook

from tests.unit.export.sample import INJECTIONS, demo_record
from workbench.export import canonical
from workbench.export.workbook import SHEETS, render_workbook

GOLDEN = Path(__file__).resolve().parents[2] / "data" / "golden" / "determination-EC-2026-0042.json"


def _load(path: Path) -> openpyxl.Workbook:
    return openpyxl.load_workbook(path)


def _golden_text(sheets: list[dict[str, Any]]) -> str:
    """One row per line, so a change shows up as a readable diff."""
    parts = []
    for sheet in sheets:
        rows = ",\n    ".join(json.dumps(row, ensure_ascii=False) for row in sheet["rows"])
        head = json.dumps({"name": sheet["name"], "state": sheet["state"]}, ensure_ascii=False)[:-1]
        parts.append(f'  {head}, "rows": [\n    {rows}\n  ]}}')
    return '{"sheets": [\n' + ",\n".join(parts) + "\n]}\n"


def test_golden_cell_values(signed: Path) -> None:
    """Every cell of every sheet, as read back, equals the reference (set WORKBENCH_UPDATE_GOLDEN=1 to refresh)."""
    actual = {"sheets": canonical.content_json(canonical.workbook_content(_load(signed)))}
    if os.environ.get("WORKBENCH_UPDATE_GOLDEN"):
        GOLDEN.write_text(_golden_text(actual["sheets"]), encoding="utf-8")
    expected = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert [s["name"] for s in expected["sheets"]] == list(SHEETS)
    for want, got in zip(expected["sheets"], actual["sheets"], strict=True):
        assert got == want, f"sheet {want['name']} differs from the golden file"


def test_in_memory_content_equals_what_reads_back(signed: Path) -> None:
    """The signer hashes the in-memory workbook; that must be exactly what the file holds."""
    rendered = canonical.workbook_content(render_workbook(demo_record()))
    from_file = canonical.workbook_content(_load(signed))
    # Only the signature status differs: the rendered copy here is unsigned.
    assert canonical.first_difference(rendered, from_file) is not None
    assert all(a == b for a, b in zip(rendered[1:6], from_file[1:6], strict=True))


def test_formula_injection_strings_stay_text(signed: Path) -> None:
    wb = _load(signed)
    found = {
        cell.value: cell.data_type
        for ws in wb.worksheets
        for row in ws.iter_rows()
        for cell in row
        if cell.value in INJECTIONS
    }
    assert set(found) == set(INJECTIONS)
    assert set(found.values()) == {"s"}
    second = CalamineWorkbook.from_path(str(signed))
    texts = {v for name in SHEETS for row in second.get_sheet_by_name(name).to_python() for v in row}
    assert set(INJECTIONS) <= texts


def _plain(value: object) -> object:
    """A canonical cell as a second reader would report it (numbers as floats, empties as '')."""
    if isinstance(value, dict):
        value = value.get("v")
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return value


def test_second_reader_reads_the_same_values(signed: Path) -> None:
    ours = canonical.workbook_content(_load(signed))
    second = CalamineWorkbook.from_path(str(signed))
    assert second.sheet_names == [*SHEETS, "Signature"]
    for sheet in ours:
        rows = second.get_sheet_by_name(sheet.name).to_python(skip_empty_area=False)
        width = max((len(r) for r in sheet.rows), default=0)
        for r, row in enumerate(sheet.rows):
            expected = [_plain(v) for v in row] + [""] * (width - len(row))
            got = [float(v) if isinstance(v, int | float) and not isinstance(v, bool) else v for v in rows[r]]
            assert got[:width] == expected, f"{sheet.name} row {r + 1}"


def test_layout_prints_and_reads_well(signed: Path) -> None:
    wb = _load(signed)
    assert wb.sheetnames == [*SHEETS, "Signature"]
    assert wb.active.title == "Summary"
    summary = wb["Summary"]
    # Signed with one open item (overridden): the headline says so, and a licence requirement stays red-orange.
    assert summary["A3"].value == "Outcome" and summary["B3"].value == "Licence required (at least) · open items: 1"
    assert summary["B3"].fill.fgColor.rgb.endswith("D9480F")
    items = wb["Items"]
    assert items.freeze_panes == "A2"
    assert items.auto_filter.ref == "A1:O4"
    assert items.print_title_rows == "$1:$1"
    assert items.page_setup.orientation == "landscape"
    assert items.sheet_properties.pageSetUpPr.fitToPage and items.page_setup.fitToWidth == 1
    assert items["A1"].font.b and items["B2"].alignment.wrap_text
    assert items.column_dimensions["B"].width == 40
    assert items["M2"].number_format == "#,##0.00"
    assert items["N2"].value == "Licence required" and items["N2"].fill.fgColor.rgb.endswith("D9480F")
    assert wb["Findings"]["D2"].fill.fgColor.rgb.endswith("D9480F")
    assert wb["Signature"].sheet_state == "hidden" and wb["Signature"].protection.sheet
    override = next(r for r in summary.iter_rows(values_only=True) if r[0] == "Override")[1]
    assert override.startswith("Signed with 1 open item. Reason given: Item 3 (rack rails)")


def test_empty_case_says_so() -> None:
    import dataclasses

    record = demo_record()
    case = dataclasses.replace(record.case, parties=(), items=(), documents=(), red_flags=())
    bare = dataclasses.replace(record, case=case, screening=(), red_flags=())
    wb = render_workbook(bare)
    assert wb["Items"]["A2"].value == "The case has no items."
    assert wb["Documents"]["A2"].value == "No supporting documents were recorded."
    signature = next(r for r in wb["Summary"].iter_rows(values_only=True) if r[0] == "Signature")
    assert signature[1] == "Not signed."


@pytest.mark.parametrize("text", ["a\r\nb", "bell\x07", "x" * 40_000])
def test_text_is_stored_as_it_will_read_back(tmp_path: Path, text: str) -> None:
    from workbench.export.workbook import put

    wb = openpyxl.Workbook()
    put(wb.active, 1, 1, text)
    before = canonical.workbook_content(wb)
    wb.save(tmp_path / "t.xlsx")
    assert canonical.workbook_content(openpyxl.load_workbook(tmp_path / "t.xlsx")) == before


def test_libreoffice_opens_it_and_keeps_text_literal(signed: Path, tmp_path: Path) -> None:
    """LibreOffice converts every sheet without complaint; formula-like names come out as typed."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice is not installed")
    csv_filter = "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1"
    subprocess.run(
        [
            soffice,
            "--headless",
            "--norestore",
            f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
            "--convert-to",
            csv_filter,
            "--outdir",
            str(tmp_path),
            str(signed),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    with (tmp_path / f"{signed.stem}-Parties and screening.csv").open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[2][1] == INJECTIONS[0] and rows[2][3] == INJECTIONS[1]
    with (tmp_path / f"{signed.stem}-Items.csv").open(newline="", encoding="utf-8") as handle:
        items = list(csv.reader(handle))
    assert [row[1] for row in items[1:]] == ["8-GPU HGX baseboard", INJECTIONS[2], "Rack rails"]


def test_a_second_reader_reads_the_hand_written_signature_sheet(signed: Path) -> None:
    """The Signature sheet is written by the workbench itself, so check it with a reader other than openpyxl."""
    second = CalamineWorkbook.from_path(str(signed))
    meta = second.sheets_metadata[-1]
    assert (meta.name, str(meta.visible)) == ("Signature", "SheetVisibleEnum.Hidden")
    rows = second.get_sheet_by_name("Signature").to_python()
    assert [row[0] for row in rows[:7]] == [
        "Workbench signature",
        "Signer",
        "Key fingerprint",
        "Signed at",
        "Case",
        "Signature (Ed25519, base64)",
        "Payload parts",
    ]
    assert rows[0][1] == "workbench-signed-determination/2" and rows[1][1] == "Jane Officer"
    assert rows[-1][0] == "Note"
