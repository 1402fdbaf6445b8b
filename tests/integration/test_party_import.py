"""Bulk import of a customer master: mapping, CSV and XLSX, row/column errors, all or nothing, duplicates."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook as XlsxWorkbook

from workbench.domain.errors import InputFileError
from workbench.domain.register import RegisterParty
from workbench.services import Workbench, open_workbench
from workbench.services import register as registry
from workbench.services.register_import import import_parties

HEADER = ["Company", "Aliases", "Country", "Street", "City", "LEI", "Parent", "Share"]
ROWS = [
    ["Red Star Holdings", "RSH", "CN", "1 Long Road", "Beijing", "", "", ""],
    ["Bright Sub Ltd", "Bright;BSL", "MY", "8 Jalan Teknologi", "Penang", "", "Red Star Holdings", "50"],
    ["GLEIF", "", "CH", "St. Alban-Vorstadt 5", "Basel", "506700GE1G29325QX363", "", ""],
    ["Bright Sub Ltd", "", "MY", "", "", "", "", ""],
]
MAPPING = {
    "format": "workbench-party-mapping/1",
    "columns": {
        "name": "Company", "other_names": "Aliases", "country": "Country", "address_lines": ["Street"],
        "city": "City", "lei": "LEI", "parent": "Parent", "parent_percent": "Share", "kind": None,
        "headquarters_country": None, "registration": None, "tax_id": None, "parent_as_of": None,
    },
}  # fmt: skip


@pytest.fixture
def wb(db_url: str) -> Iterator[Workbench]:
    bench = open_workbench(db_url, officer="Jane Officer")
    try:
        yield bench
    finally:
        bench.close()


def _csv(tmp_path: Path, rows: list[list[str]], name: str = "master.csv") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(",".join(r) for r in [HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def _mapping(tmp_path: Path) -> Path:
    path = tmp_path / "map.json"
    path.write_text(json.dumps(MAPPING), encoding="utf-8")
    return path


def test_a_csv_master_imports_with_owners_and_reports_repeats(wb: Workbench, tmp_path: Path) -> None:
    report = import_parties(wb, _csv(tmp_path, ROWS), _mapping(tmp_path), today=date(2026, 12, 1))
    assert [p.name for p in report.created] == ["Red Star Holdings", "Bright Sub Ltd", "GLEIF"]
    assert [(d.row, d.existing, d.why) for d in report.duplicates] == [
        (5, None, "it repeats an earlier row of the file")
    ]
    [stake] = report.stakes
    assert (stake.owner_id, stake.owned_id, stake.percent, stake.as_of) == (1, 2, Decimal(50), date(2026, 12, 1))
    sub = registry.get_party(wb, 2)
    assert [o.name for o in sub.other_names] == ["Bright", "BSL"] and sub.addresses[0].city == "Penang"
    again = import_parties(wb, _csv(tmp_path, ROWS), _mapping(tmp_path))
    assert again.created == [] and again.stakes == []
    assert [(d.row, d.existing) for d in again.duplicates] == [(2, 1), (3, 2), (4, 3), (5, 2)]
    assert "LEI 506700GE1G29325QX363" in again.duplicates[2].why


def test_an_xlsx_master_imports_the_same_way(wb: Workbench, tmp_path: Path) -> None:
    book = XlsxWorkbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in ROWS[:3]:
        sheet.append(row)
    path = tmp_path / "master.xlsx"
    book.save(path)
    report = import_parties(wb, path, _mapping(tmp_path))
    assert len(report.created) == 3 and len(report.stakes) == 1


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        (
            ["Bad Country Co", "", "Germany", "", "", "", "", ""],
            "row 3, column 'Country': 'Germany' is not an ISO 3166",
        ),
        (["Bad LEI Co", "", "DE", "", "", "506700GE1G29325QX364", "", ""], "row 3, column 'LEI': '506700"),
        (["", "", "DE", "", "", "", "", ""], "row 3, column 'Company': is required"),
        (["Orphan GmbH", "", "DE", "", "", "", "Nobody AG", "60"], "row 3, column 'Parent': no party 'Nobody AG'"),
        (["Too Much GmbH", "", "DE", "", "", "", "Red Star Holdings", "150"], "row 3, column 'Share': must be"),
    ],
)
def test_a_bad_row_names_row_and_column_and_nothing_is_stored(
    wb: Workbench, tmp_path: Path, row: list[str], fragment: str
) -> None:
    with pytest.raises(InputFileError) as exc:
        import_parties(wb, _csv(tmp_path, [ROWS[0], row]), _mapping(tmp_path))
    assert fragment in str(exc.value) and str(exc.value).startswith(str(tmp_path / "master.csv"))
    assert registry.list_parties(wb)[0] == 0


def test_files_that_cannot_be_imported_say_why(wb: Workbench, tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="has no column 'name'"):
        import_parties(wb, _csv(tmp_path, ROWS))
    other = tmp_path / "master.txt"
    other.write_text("x", encoding="utf-8")
    with pytest.raises(InputFileError, match=r"neither \.csv nor \.xlsx"):
        import_parties(wb, other)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(InputFileError, match="is not an XLSX workbook"):
        import_parties(wb, broken, _mapping(tmp_path))
    with wb.uow() as uow:
        uow.register.add(RegisterParty("Red Star Holdings", "CN"))
        uow.commit()
    report = import_parties(wb, _csv(tmp_path, ROWS[:2]), _mapping(tmp_path))
    assert [d.existing for d in report.duplicates] == [1] and [p.name for p in report.created] == ["Bright Sub Ltd"]
    assert [(s.owner_id, s.owned_id) for s in report.stakes] == [(1, 2)]


def test_a_cancelled_import_stores_nothing(wb: Workbench, tmp_path: Path) -> None:
    from workbench.services.register_import import Cancelled

    seen: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        import_parties(
            wb,
            _csv(tmp_path, ROWS),
            _mapping(tmp_path),
            progress=lambda d, t: seen.append((d, t)),
            cancel=lambda: bool(seen),
        )
    assert seen == [(1, 8)]
    assert registry.list_parties(wb)[0] == 0
