"""Importers on the real shared files, the malformed sample, JSON, gzip, progress and cancel."""

from __future__ import annotations

import gzip
import shutil
from datetime import date
from pathlib import Path

import pytest

from tests.unit.screening.conftest import DATA, SNAPSHOT
from workbench.domain.case import ListFlag
from workbench.domain.errors import InputFileError
from workbench.domain.screening import EntryType, ListFormat, list_flag
from workbench.screening.parsers import Cancelled, detect_format, parse_list


def test_shipped_snapshot_is_the_full_csl() -> None:
    parsed = parse_list(SNAPSHOT)
    assert parsed.format is ListFormat.CSL_CSV
    assert len(parsed.entries) == 25_921
    assert parsed.malformed == ()
    assert parsed.publication_date == date(2026, 7, 31)
    codes = {e.source_code for e in parsed.entries}
    assert {"SDN", "EL", "DPL", "UVL", "MEU", "DTC", "ISN", "SSI", "PLC", "CMIC", "NS-MBS", "CAP"} <= codes
    huawei = next(e for e in parsed.entries if e.name == "Huawei Technologies Co., Ltd.")
    assert huawei.list_flag is ListFlag.ENTITY_LIST
    assert "CN" in huawei.countries


def test_2023_subset_repeated_header_is_reported(shared: Path) -> None:
    parsed = parse_list(shared / "data/csl/consolidated-2023-11-subset.csv")
    assert parsed.malformed[0].line == 2
    assert "header" in parsed.malformed[0].reason
    assert parsed.rows_per_source["Specially Designated Nationals (SDN) - Treasury Department"] >= 1737
    vtb = next(e for e in parsed.entries if e.entry_id == "17013")
    assert vtb.entry_type is EntryType.ENTITY and "RU" in vtb.countries and len(vtb.addresses) > 3
    # ISN names lose their "and any successor" suffix only in normalisation, not in the entry
    assert all(e.name for e in parsed.entries)


def test_malformed_rows_are_reported_with_line_and_reason(shared: Path) -> None:
    parsed = parse_list(shared / "data/csl/consolidated-invalid-rows.csv")
    assert [e.name for e in parsed.entries] == [
        "GAZPROMBANK UPRAVLENIE AKTIVAMI",
        "Gulf Eagle Industrial and Metal Profiles (GEIMP)",
    ]
    lines = {m.line for m in parsed.malformed}
    assert {2, 4, 5} <= lines
    assert all("fields" in m.reason for m in parsed.malformed)
    # the 2019 layout has no _id: the id is derived, stable across imports
    assert parsed.entries[0].entry_id == "20298"
    assert len(parsed.entries[1].entry_id) == 56


def test_ofac_legacy_folder(shared: Path) -> None:
    parsed = parse_list(shared / "data/ofac-2021-07")
    assert parsed.format is ListFormat.OFAC_SDN
    assert len(parsed.entries) == 8976
    bnc = next(e for e in parsed.entries if e.entry_id == "306")
    assert bnc.name == "BANCO NACIONAL DE CUBA"
    assert "NATIONAL BANK OF CUBA" in bnc.alt_names  # alt.csv
    assert "BNC" in bnc.alt_names  # weak a.k.a. from the remarks
    assert {"CH", "ES", "PA"} <= set(bnc.countries)  # from add.csv country names
    types = {e.entry_type for e in parsed.entries}
    assert types == {EntryType.ENTITY, EntryType.INDIVIDUAL, EntryType.VESSEL, EntryType.AIRCRAFT}
    assert all(e.remarks != "-0-" and e.name != "-0-" for e in parsed.entries)
    assert next(e for e in parsed.entries if e.entry_id == "36").remarks == ""


def test_ofac_sdn_csv_path_finds_side_files(shared: Path, tmp_path: Path) -> None:
    for name in ("sdn.csv", "alt.csv"):
        shutil.copy(shared / "data/ofac-2021-07" / name, tmp_path / name)
    parsed = parse_list(tmp_path / "sdn.csv")
    assert next(e for e in parsed.entries if e.entry_id == "36").alt_names == ("AERO-CARIBBEAN",)


def test_csl_json_bulk_format() -> None:
    parsed = parse_list(DATA / "consolidated-2023-11-sample.json")
    assert parsed.format is ListFormat.CSL_JSON
    assert len(parsed.entries) == 6
    assert parsed.malformed[0].line == 7 and "name" in parsed.malformed[0].reason
    sdn = next(e for e in parsed.entries if e.name == "AEROCARIBBEAN AIRLINES")
    assert sdn.countries == ("CU",) and sdn.programs == ("CUBA",)


def test_gzip_and_detection(tmp_path: Path) -> None:
    source = DATA / "consolidated-2023-11-sample.json"
    packed = tmp_path / "consolidated.json.gz"
    packed.write_bytes(gzip.compress(source.read_bytes()))
    assert detect_format(packed) is ListFormat.CSL_JSON
    assert len(parse_list(packed).entries) == 6


def test_truncated_gzip_names_the_file_not_its_folder(tmp_path: Path) -> None:
    cut = tmp_path / "consolidated.csv.gz"
    cut.write_bytes(gzip.compress(b"_id,name\n1,x\n")[:12])
    with pytest.raises(InputFileError, match=r"^consolidated\.csv\.gz: is not a complete gzip file"):
        parse_list(cut)


def test_unknown_file_is_refused(tmp_path: Path) -> None:
    bad = tmp_path / "notes.txt"
    bad.write_text("hello\nworld\n")
    with pytest.raises(InputFileError, match="neither the Consolidated Screening List"):
        parse_list(bad)
    with pytest.raises(InputFileError, match="no such file"):
        parse_list(tmp_path / "missing.csv")


def test_progress_and_cancel() -> None:
    seen: list[tuple[int, int]] = []
    parse_list(SNAPSHOT, progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) > 10
    with pytest.raises(Cancelled):
        parse_list(SNAPSHOT, cancel=lambda: True)


def test_list_flags() -> None:
    assert list_flag("Denied Persons List (DPL) - Bureau of Industry and Security") is ListFlag.DENIED_PERSONS
    assert list_flag("MEU") is ListFlag.MILITARY_END_USER
    assert list_flag("Nonproliferation Sanctions (ISN) - State Department") is None
