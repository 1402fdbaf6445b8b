"""Every attack of the tamper corpus is detected; genuine workbooks verify; hostile files are refused quickly."""

from __future__ import annotations

import base64
import dataclasses
import io
import json
import time
import zipfile
import zlib
from pathlib import Path

import openpyxl
import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from tests.unit.export import tamper
from tests.unit.export.sample import SIGNED_AT, demo_record, officer_key
from workbench.export import canonical, sealsheet
from workbench.export import workbook as workbook_module
from workbench.export.keys import fingerprint
from workbench.export.package import PackageRefused, read_package
from workbench.export.signing import signed_workbook_bytes, verify_workbook, verify_workbook_bytes
from workbench.export.workbook import put

OFFICER_FP = fingerprint(officer_key().public_key())
MESSAGE_TAIL = "the signed original is in the workbench's records (`audit pack`)"


@pytest.fixture(scope="module")
def genuine() -> bytes:
    data, _ = signed_workbook_bytes(demo_record(), officer_key(), "Jane Officer", SIGNED_AT)
    return data


@pytest.mark.parametrize("name", sorted(tamper.ATTACKS))
def test_every_attack_is_detected(name: str, genuine: bytes, officer_pem: bytes) -> None:
    forged = tamper.ATTACKS[name](genuine)
    assert forged != genuine
    result = verify_workbook_bytes(forged, officer_pem, "forged.xlsx")
    assert (result.status, result.exit_code) == ("tampered", 3), result.message
    assert result.first_difference and result.message.startswith("forged.xlsx: TAMPERED: ")
    alone = verify_workbook_bytes(forged, None, "forged.xlsx")
    assert alone.status == "tampered" and alone.exit_code == 3


@pytest.mark.parametrize(
    ("name", "part"),
    [
        ("second_styles_part", "xl/styles2.xml added"),
        ("second_workbook_part", "xl/workbook2.xml added"),
        ("chartsheet", "xl/chartsheets/sheet1.xml added"),
        ("text_box_over_the_outcome", "xl/drawings/drawing1.xml added"),
        ("macro_part", "xl/vbaProject.bin added"),
        ("rich_text_hides_a_word", "xl/worksheets/sheet1.xml changed"),
        ("white_font", "xl/styles.xml changed"),
        ("conditional_format_in_extlst", "xl/worksheets/sheet1.xml changed"),
        ("builtin_number_format_id", "xl/styles.xml changed"),
        ("signature_sheet_unhidden", "xl/workbook.xml changed"),
        ("signature_sheet_made_active", "xl/workbook.xml changed"),
        ("signature_sheet_extra_text", "xl/worksheets/sheet8.xml (the sheet 'Signature') changed"),
        ("signature_sheet_label", "xl/worksheets/sheet8.xml (the sheet 'Signature') changed"),
        ("zip_comment", "zip: a zip comment"),
        ("trailing_data", "zip: data after the end of the zip directory"),
        ("folder_entry", "zip: a folder entry xl/hidden/"),
        ("extra_field", "zip: extra fields or a comment on the zip entry xl/worksheets/sheet1.xml"),
        ("duplicate_entry", "zip: two zip entries named xl/worksheets/sheet1.xml"),
        (
            "sheet_target_differs_in_case",
            "zip: entries xl/worksheets/sheet1.xml and xl/worksheets/Sheet1.xml differ in case",
        ),
        ("hidden_entry_between", "zip: data between the zip entries and their directory"),
    ],
)
def test_the_changed_parts_are_named(name: str, part: str, genuine: bytes, officer_pem: bytes) -> None:
    result = verify_workbook_bytes(tamper.ATTACKS[name](genuine), officer_pem, "forged.xlsx")
    assert part in result.changed_parts, result.changed_parts


def test_values_unchanged_but_file_changed_says_so_in_officers_terms(genuine: bytes, officer_pem: bytes) -> None:
    result = verify_workbook_bytes(tamper.white_font(genuine), officer_pem, "EC-2026-0042.xlsx")
    assert result.message == (
        "EC-2026-0042.xlsx: TAMPERED: the values are the ones signed but the file was changed by another program "
        f"(parts: {', '.join(result.changed_parts)}): {MESSAGE_TAIL}."
    )


def test_a_changed_value_is_named_by_sheet_and_cell(genuine: bytes, officer_pem: bytes) -> None:
    forged = tamper._replace(tamper.SUMMARY, b">" + tamper.OUTCOME_XML + b"<", f">{tamper.NLR}<".encode())(genuine)
    result = verify_workbook_bytes(forged, officer_pem)
    assert result.first_difference == f"Summary!B3: expected '{tamper.OUTCOME}', found '{tamper.NLR}'"
    assert result.changed_parts == ("xl/worksheets/sheet1.xml changed",)


def test_resigned_with_another_key_while_the_summary_shows_the_officers_fingerprint(
    monkeypatch: pytest.MonkeyPatch, officer_pem: bytes
) -> None:
    """A forger signs with their own key, but the sheets still state the genuine officer's key."""
    genuine_text = workbook_module._signature_text
    monkeypatch.setattr(
        workbook_module,
        "_signature_text",
        lambda info: genuine_text(dataclasses.replace(info, fingerprint=OFFICER_FP)) if info else "Not signed.",
    )
    forged, _ = signed_workbook_bytes(demo_record(), officer_key(99), "Jane Officer", SIGNED_AT)
    monkeypatch.undo()
    alone = verify_workbook_bytes(forged)
    assert (alone.status, alone.exit_code) == ("tampered", 3)
    assert alone.first_difference is not None
    assert alone.first_difference.startswith(f"Summary!B24 names the key {OFFICER_FP}, but the workbook was signed")
    assert verify_workbook_bytes(forged, officer_pem).status == "wrong_key"


def test_a_genuine_figure_needing_17_significant_digits_verifies_and_reads_back_exactly(
    tmp_path: Path, officer_pem: bytes
) -> None:
    record = demo_record()
    first = dataclasses.replace(record.case.items[0], performance_density=4800 / 336, tpp=0.1 + 0.2)
    case = dataclasses.replace(record.case, items=(first, *record.case.items[1:]))
    data, _ = signed_workbook_bytes(dataclasses.replace(record, case=case), officer_key(), "Jane Officer", SIGNED_AT)
    path = tmp_path / "exact.xlsx"
    path.write_bytes(data)
    assert verify_workbook(path, officer_pem).status == "intact"
    items = openpyxl.load_workbook(path)["Items"]
    assert items["G2"].value == 4800 / 336 and repr(items["G2"].value) == "14.285714285714286"
    assert items["F2"].value == 0.1 + 0.2


def test_the_old_format_is_not_vouched_for(tmp_path: Path) -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Summary"
    wb.create_sheet("Signature")["B1"] = "workbench-signed-determination/1"
    out = io.BytesIO()
    wb.save(out)
    result = verify_workbook_bytes(out.getvalue(), None, "old.xlsx")
    assert (result.status, result.exit_code) == ("old_format", 3)
    assert "did not cover every part of the file" in result.message


# --- hostile inputs: bounded work, one sentence ------------------------------------------------------------


def _timed(data: bytes) -> tuple[object, float]:
    start = time.perf_counter()
    try:
        outcome: object = verify_workbook_bytes(data, None, "hostile.xlsx")
    except PackageRefused as exc:
        outcome = exc
    return outcome, time.perf_counter() - start


def test_one_cell_at_xfd1048576_in_a_plain_workbook_is_quick() -> None:
    wb = openpyxl.Workbook()
    wb.active["XFD1048576"] = "x"
    out = io.BytesIO()
    wb.save(out)
    assert len(out.getvalue()) < 24 * 1024
    outcome, seconds = _timed(out.getvalue())
    assert seconds < 2 and getattr(outcome, "status", None) == "not_signed"


def test_one_cell_at_xfd1048576_in_a_signed_workbook_is_named(genuine: bytes) -> None:
    far = b'<row r="1048576"><c r="XFD1048576" t="inlineStr"><is><t>NLR</t></is></c></row></sheetData>'
    forged = tamper._replace(tamper.SUMMARY, b"</sheetData>", far)(genuine)
    outcome, seconds = _timed(forged)
    assert seconds < 5
    assert getattr(outcome, "first_difference", "") == "Summary!XFD1048576: expected an empty cell, found 'NLR'"


def _empty_cells(count: int) -> bytes:
    sheet = (
        b'<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1">'
        + b"<c/>" * count
        + b"</row></sheetData></worksheet>"
    )
    parts = tamper.parts_of(_plain_workbook())
    parts["xl/worksheets/sheet1.xml"] = sheet
    return tamper.pack(parts)


def _plain_workbook() -> bytes:
    out = io.BytesIO()
    openpyxl.Workbook().save(out)
    return out.getvalue()


def test_thirty_million_empty_cells_are_refused_in_one_sentence() -> None:
    outcome, seconds = _timed(_empty_cells(30_000_000))
    assert seconds < 5 and isinstance(outcome, PackageRefused)
    assert str(outcome) == (
        "hostile.xlsx: part xl/worksheets/sheet1.xml expands 1,0"
        + str(outcome).split("expands 1,0", 1)[1]
    )
    assert "zip bomb" in str(outcome) and str(outcome).count("\n") == 0


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (tamper.pack({f"p{i}.xml": b"" for i in range(250)}), "holds 250 parts"),
        (tamper.pack({"a.xml": b'<!DOCTYPE x [<!ENTITY a "aaaa">]><x>&a;</x>'}), "declares a DTD"),
    ],
)
def test_bounds_are_refused(data: bytes, why: str) -> None:
    with pytest.raises(PackageRefused, match=why):
        read_package(data, "hostile.xlsx")


def test_encrypted_and_deflate64_entries_are_refused() -> None:
    data = bytearray(tamper.pack({"xl/workbook.xml": b"<workbook/>"}))
    central = data.index(b"PK\x01\x02")
    for offset, value, why in ((8, 1, "is encrypted"), (10, 9, "compression method 9")):
        copy = bytearray(data)
        copy[central + offset : central + offset + 2] = value.to_bytes(2, "little")
        with pytest.raises(PackageRefused, match=why):
            read_package(bytes(copy), "hostile.xlsx")


def test_a_lying_size_never_inflates_past_it() -> None:
    data = bytearray(tamper.pack({"xl/workbook.xml": b"<workbook/>" * 10_000}))
    central = data.index(b"PK\x01\x02")
    data[central + 24 : central + 28] = (10).to_bytes(4, "little")  # claims 10 bytes uncompressed
    with pytest.raises(PackageRefused, match="does not expand to the size its header declares"):
        read_package(bytes(data), "hostile.xlsx")


def test_plain_zip_is_not_signed() -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert verify_workbook_bytes(buffer.getvalue()).status == "not_signed"


def _signed_sheets(data: bytes) -> list[dict[str, object]]:
    seal = sealsheet.parse(tamper.parts_of(data)[tamper.SEAL])
    payload = json.loads(zlib.decompress(base64.b64decode("".join(seal.chunks))))
    sheets: list[dict[str, object]] = payload["sheets"]
    return sheets


def test_the_signed_values_are_the_stored_values(genuine: bytes) -> None:
    record = demo_record()
    first = dataclasses.replace(record.case.items[0], performance_density=4800 / 336, tpp=2.0**0.5 * 1e6)
    case = dataclasses.replace(record.case, items=(first, *record.case.items[1:]))
    exact, _ = signed_workbook_bytes(dataclasses.replace(record, case=case), officer_key(), "J. O.", SIGNED_AT)
    for data in (genuine, exact):
        stored = canonical.workbook_content(openpyxl.load_workbook(io.BytesIO(data)))
        assert _signed_sheets(data) == canonical.content_json(stored)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.floats(allow_nan=False, allow_infinity=False),
            st.integers(min_value=-(2**63), max_value=2**63),
            st.text(max_size=40),
        ),
        min_size=1,
        max_size=12,
    )
)
@example(["_x000D_", " lead", "tail ", "a\tb", "\u00a0", "x\u2028y", 1e308, -0.0, 5e-324, 4800 / 336, 2**60])
def test_every_value_put_reads_back_as_rendered(values: list[object]) -> None:
    wb = openpyxl.Workbook()
    for column, value in enumerate(values, start=1):
        put(wb.active, 1, column, value, "0.0#" if column % 2 else None)  # type: ignore[arg-type]
    out = io.BytesIO()
    wb.save(out)
    stored = canonical.workbook_content(openpyxl.load_workbook(io.BytesIO(out.getvalue())))
    assert canonical.content_json(stored) == canonical.content_json(canonical.workbook_content(wb))


def test_a_fingerprint_quoted_in_free_text_does_not_fail_a_genuine_workbook(officer_pem: bytes) -> None:
    other = fingerprint(officer_key(99).public_key())
    record = dataclasses.replace(demo_record(), override_reason=f"The old key {other} was retired.")
    data, _ = signed_workbook_bytes(record, officer_key(), "Jane Officer", SIGNED_AT)
    assert verify_workbook_bytes(data, officer_pem).status == "intact"


def test_a_signed_workbook_padded_with_a_million_cells_is_refused_before_parsing(genuine: bytes) -> None:
    cells = b"".join(b'<c r="%s%d"/>' % (b"ABCDEFGHIJ"[i % 10 : i % 10 + 1], i + 1) for i in range(1_100_000))
    forged = tamper._replace(tamper.SUMMARY, b"</sheetData>", b'<row r="99">' + cells + b"</row></sheetData>")(genuine)
    outcome, seconds = _timed(forged)
    assert seconds < 10 and isinstance(outcome, PackageRefused)
    assert "more than the 1,000,000 a determination can have" in str(outcome)


def test_a_changed_package_openpyxl_cannot_read_is_not_called_values_unchanged(
    genuine: bytes, officer_pem: bytes
) -> None:
    forged = tamper._replace("xl/workbook.xml", b"<sheets>", b"<sheets><broken")(genuine)
    result = verify_workbook_bytes(forged, officer_pem)
    assert result.status == "tampered" and result.first_difference is not None
    assert result.first_difference.startswith("the file was changed after signing; its cells cannot be read")


def test_signing_is_deterministic(genuine: bytes) -> None:
    """The same record, key and time give the same bytes: nothing of the moment leaks into the file."""
    time.sleep(1.05)  # openpyxl stamps the second of saving unless the signer states the signing time
    again, _ = signed_workbook_bytes(demo_record(), officer_key(), "Jane Officer", SIGNED_AT)
    assert again == genuine


def test_a_file_over_the_size_cap_is_refused_unread(tmp_path: Path) -> None:
    huge = tmp_path / "huge.xlsx"
    with huge.open("wb") as handle:
        handle.truncate(65 * 1024 * 1024)  # sparse: no disk space used
    with pytest.raises(PackageRefused, match=r"huge\.xlsx: is 68,157,440 bytes, more than the 67,108,864"):
        verify_workbook(huge)
