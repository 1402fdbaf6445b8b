"""Signing and verification: intact files pass, every kind of tampering is named, writes are atomic."""

from __future__ import annotations

import dataclasses
import os
import random
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import PatternFill
from openpyxl.workbook.workbook import Workbook

from tests.unit.export.sample import INJECTIONS, SIGNED_AT, demo_record, fixed_clock, officer_key
from workbench.domain.determination import Outcome
from workbench.domain.errors import InputFileError
from workbench.domain.record import SignOffError
from workbench.export.atomic import OutputFileError
from workbench.export.keys import KeyFileError, fingerprint, public_key_pem
from workbench.export.signing import sign_and_write, verify_workbook
from workbench.export.workbook import SHEETS, render_workbook

OFFICER_FP = fingerprint(officer_key().public_key())


def _edit(path: Path, change: Callable[[Workbook], None]) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def test_intact_workbook_verifies(signed: Path, officer_pem: bytes) -> None:
    result = verify_workbook(signed, officer_pem)
    assert (result.status, result.exit_code, result.ok) == ("intact", 0, True)
    assert result.signer_name == "Jane Officer" and result.fingerprint == OFFICER_FP
    assert result.signed_at == SIGNED_AT and result.key_source == "given"
    assert (result.case_reference, result.revision, result.outcome) == ("EC-2026-0042", 2, "license_required")
    assert result.record_sha256 == demo_record().content_hash
    assert "intact" in result.message and "checked against the given public key" in result.message
    assert result.to_dict()["signed_at"] == "2026-12-01T09:30:00+00:00"


def test_without_a_public_key_the_signer_is_unconfirmed(signed: Path) -> None:
    result = verify_workbook(signed)
    assert (result.status, result.exit_code, result.ok) == ("unconfirmed", 4, False)
    assert result.key_source == "embedded" and result.fingerprint == OFFICER_FP
    assert result.message.split(": ", 1)[1].startswith("SIGNER UNCONFIRMED: every part of the file is exactly")
    assert OFFICER_FP in result.message and "public key (.pub.pem)" in result.message


def test_resaving_without_changes_is_named_as_another_program(signed: Path, officer_pem: bytes) -> None:
    _edit(signed, lambda wb: None)
    result = verify_workbook(signed, officer_pem)
    assert (result.status, result.exit_code) == ("tampered", 3)
    assert result.first_difference is not None
    assert result.first_difference.startswith(
        "the values are the ones signed but the file was changed by another program (parts: "
    )
    assert result.first_difference.endswith("the signed original is in the workbench's records (`audit pack`)")
    assert "xl/worksheets/sheet2.xml changed" in result.changed_parts  # openpyxl rounds to 16 digits


@pytest.mark.parametrize("seed", range(6))
def test_changing_one_random_cell_is_named(signed: Path, officer_pem: bytes, seed: int) -> None:
    wb = openpyxl.load_workbook(signed)
    cells = [c for name in SHEETS for row in wb[name].iter_rows() for c in row if c.value is not None]
    cell = random.Random(seed).choice(cells)
    cell.value = cell.value + 1 if isinstance(cell.value, int | float) else cell.value + " (edited)"
    wb.save(signed)
    result = verify_workbook(signed, officer_pem)
    assert (result.status, result.exit_code) == ("tampered", 3)
    sheet = cell.parent.title
    where = f"'{sheet}'" if " " in sheet else sheet
    assert result.first_difference is not None
    assert result.first_difference.startswith(f"{where}!{cell.coordinate}: expected ")
    assert "found" in result.first_difference and "TAMPERED" in result.message


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        (lambda wb: wb["Items"].append([4, "Smuggled item"]), "Items!A5: expected an empty cell, found 4"),
        (lambda wb: wb["Items"].insert_rows(3), "Items!A3: expected 2, found an empty cell"),
        (lambda wb: wb["Findings"].delete_rows(2), "Findings!A2: expected 1, found 2"),
        (lambda wb: wb.remove(wb["Red flags"]), "Red flags: the sheet was removed"),
        (lambda wb: wb.create_sheet("Notes", 1).append(["hi"]), "Notes: the sheet was added after signing"),
        (lambda wb: wb.create_sheet("Notes").append(["hi"]), "Notes: the sheet was added after signing"),
        (lambda wb: wb.move_sheet("Findings", -1), "sheet 3 is 'Findings' where 'Parties and screening' was signed"),
        (
            lambda wb: setattr(wb["Summary"]["B3"], "number_format", ';;;"Approved"'),
            "Summary!B3: expected 'Licence required",
        ),
        (
            lambda wb: setattr(wb["Parties and screening"]["B3"], "value", INJECTIONS[0]),
            "'Parties and screening'!B3: expected '=HYPERLINK",
        ),
        (lambda wb: setattr(wb["Findings"], "sheet_state", "hidden"), "Findings: the sheet is hidden"),
        (lambda wb: setattr(wb["Items"].row_dimensions[3], "hidden", True), "xl/worksheets/sheet2.xml changed"),
        (lambda wb: setattr(wb["Items"].column_dimensions["M"], "hidden", True), "xl/worksheets/sheet2.xml changed"),
        (
            lambda wb: wb["Summary"].conditional_formatting.add(
                "B3", CellIsRule(operator="equal", formula=['"x"'], fill=PatternFill("solid", fgColor="00FF00"))
            ),
            "xl/worksheets/sheet1.xml changed",
        ),
        (
            lambda wb: setattr(wb["Signature"]["B2"], "value", "Mallory"),
            "xl/worksheets/sheet8.xml (the sheet 'Signature') changed",
        ),
        (lambda wb: setattr(wb["Signature"]["B8"], "value", "AAAA"), "cannot be decoded"),
    ],
    ids=[
        "row-appended",
        "row-inserted",
        "row-deleted",
        "sheet-deleted",
        "sheet-inserted",
        "sheet-appended",
        "sheets-reordered",
        "number-format",
        "text-made-formula",
        "sheet-hidden",
        "row-hidden",
        "column-hidden",
        "conditional-format",
        "signer-cell",
        "payload-damaged",
    ],
)
def test_structural_tampering_is_named(
    signed: Path, officer_pem: bytes, change: Callable[[Workbook], None], difference: str
) -> None:
    result = verify_workbook(_edit(signed, change), officer_pem)
    assert result.status == "tampered" and result.exit_code == 3
    assert result.first_difference is not None and difference in result.first_difference, result.first_difference


def _copy_signature(source: Path, target: Path, rows: range | None = None) -> None:
    donor = openpyxl.load_workbook(source)["Signature"]
    wb = openpyxl.load_workbook(target)
    ws = wb["Signature"]
    for row in rows or range(1, max(donor.max_row, ws.max_row) + 1):
        for col in (1, 2):
            ws.cell(row=row, column=col).value = donor.cell(row=row, column=col).value
    wb.save(target)


def test_signature_from_another_workbook_of_the_same_officer(tmp_path: Path, signed: Path, officer_pem: bytes) -> None:
    other = tmp_path / "other.xlsx"
    revised = dataclasses.replace(demo_record(), revision=3)
    sign_and_write(revised, officer_key(), other, "Jane Officer", now=fixed_clock)
    assert verify_workbook(other, officer_pem).ok
    _copy_signature(other, signed)
    result = verify_workbook(signed, officer_pem)
    assert result.status == "tampered"
    assert result.first_difference == "Summary!B19: expected 3, found 2"


def test_signature_value_alone_swapped(tmp_path: Path, signed: Path, officer_pem: bytes) -> None:
    other = tmp_path / "other.xlsx"
    sign_and_write(
        dataclasses.replace(demo_record(), revision=3), officer_key(), other, "Jane Officer", now=fixed_clock
    )
    _copy_signature(other, signed, range(6, 7))
    result = verify_workbook(signed, officer_pem)
    assert result.status == "tampered" and "signature does not match the signed content" in result.message


def test_valid_signature_by_another_key_is_caught_with_the_officers_key(
    tmp_path: Path, signed: Path, officer_pem: bytes
) -> None:
    """A forger re-signs a changed determination with a key of their own, claiming the officer's name."""
    det = dataclasses.replace(demo_record().determination, outcome=Outcome.NLR)
    forged = dataclasses.replace(demo_record(), determination=det)
    sign_and_write(forged, officer_key(99), signed, "Jane Officer", now=fixed_clock)
    result = verify_workbook(signed, officer_pem)
    assert (result.status, result.exit_code) == ("wrong_key", 3)
    assert f"NOT signed by the given key {OFFICER_FP}" in result.message
    alone = verify_workbook(signed)
    assert (alone.status, alone.exit_code) == ("unconfirmed", 4)
    assert alone.fingerprint != OFFICER_FP and alone.key_source == "embedded"


@pytest.mark.parametrize("content", [b"", b"hello, not a workbook", b"PK\x03\x04broken zip"])
def test_not_a_workbook_is_not_signed(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "x.xlsx"
    path.write_bytes(content)
    result = verify_workbook(path)
    assert (result.status, result.exit_code) == ("not_signed", 2)
    assert "is not an Excel workbook" in result.message


def test_unsigned_workbook_is_not_signed(tmp_path: Path) -> None:
    path = tmp_path / "plain.xlsx"
    render_workbook(demo_record()).save(path)
    result = verify_workbook(path)
    assert (result.status, result.exit_code) == ("not_signed", 2)
    assert "no 'Signature' sheet" in result.message


def test_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="no such file"):
        verify_workbook(tmp_path / "missing.xlsx")


def test_open_items_without_override_are_refused_and_nothing_is_written(tmp_path: Path) -> None:
    out = tmp_path / "out.xlsx"
    with pytest.raises(SignOffError, match="resolve it or sign with a written override reason"):
        sign_and_write(demo_record(override_reason=None), officer_key(), out, "Jane Officer")
    assert list(tmp_path.iterdir()) == []


def test_interrupted_write_leaves_no_partial_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "out.xlsx"
    out.write_bytes(b"previous determination")

    def crash(*args: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(KeyboardInterrupt):
        sign_and_write(demo_record(), officer_key(), out, "Jane Officer", now=fixed_clock)
    monkeypatch.undo()
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]
    assert out.read_bytes() == b"previous determination"


def test_disk_error_mid_write_is_one_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def full(fd: int) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", full)
    with pytest.raises(OutputFileError, match=r"No space left on device\. Nothing was written\."):
        sign_and_write(demo_record(), officer_key(), tmp_path / "out.xlsx", "Jane Officer", now=fixed_clock)
    assert list(tmp_path.iterdir()) == []


def test_public_key_pem_with_comments_is_accepted(signed: Path) -> None:
    pem = public_key_pem(officer_key().public_key(), "Jane Officer")
    assert pem.startswith(b"# Workbench officer public key")
    assert verify_workbook(signed, pem).ok


def test_unusable_public_key_is_an_input_error(signed: Path) -> None:
    with pytest.raises(KeyFileError, match="is not a PEM public key"):
        verify_workbook(signed, b"not a key")
