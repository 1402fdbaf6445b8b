"""Reading a product master: bounded, every problem named by row and column, never a crash."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook

from workbench.domain.errors import InputFileError
from workbench.export import producttable
from workbench.export.producttable import TableRefusedError, read_mapping, read_products


def _csv(tmp_path: Path, text: str | bytes, name: str = "m.csv") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_every_problem_is_collected_with_its_row_and_column(tmp_path: Path) -> None:
    path = _csv(tmp_path, "part_number,description,tpp\nA,ok,1\nB,,2\nC,ok,x\n\nD,ok,-1\n")
    with pytest.raises(TableRefusedError) as err:
        read_products(path)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "description"), (4, "tpp"), (6, "tpp")]
    assert str(err.value).startswith(f"{path}: row 3, column 'description': is required")
    assert "(and 2 more problems; nothing was imported)" in str(err.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "is empty"),
        (b"part_number,description\n", "no products"),
        (b"part_number,name\nA,B\n", "no column for description"),
        (b"\xff\xfe p,d\n", "is not UTF-8"),
        (b"part_number,description,part\nA,B,C\n", "a second column for part_number"),
        ("part_number,description\nA," + "x" * 10_001 + "\n", "a cell may hold at most 10,000"),
    ],
)
def test_malformed_files_are_refused_in_one_sentence(tmp_path: Path, content: str | bytes, expected: str) -> None:
    with pytest.raises(InputFileError) as err:
        read_products(_csv(tmp_path, content))
    assert expected in str(err.value) and "\n" not in str(err.value)


@pytest.mark.parametrize(
    "content",
    [
        'part_number,description\nA,"unterminated\n',
        "part_number,description\nA,B\n" + "x," * 300 + "\n",  # a stray wide row: extra cells are not read
    ],
)
def test_odd_but_readable_files_lose_nothing(tmp_path: Path, content: str) -> None:
    rows = read_products(_csv(tmp_path, content))
    assert rows[0].product.part_number == "A"


def test_too_many_rows_and_columns_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(producttable, "MAX_ROWS", 3)
    path = _csv(tmp_path, "part_number,description\n" + "".join(f"P{i},d\n" for i in range(5)))
    with pytest.raises(InputFileError, match="more than 3 rows"):
        read_products(path)
    wide = _csv(tmp_path, ",".join(f"c{i}" for i in range(201)) + "\n", "wide.csv")
    with pytest.raises(InputFileError, match="201 columns"):
        read_products(wide)


def test_xlsx_bombs_and_fakes_are_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = Workbook()
    sheet = book.active
    sheet.append(["part_number", "description"])
    for i in range(200):
        sheet.append([f"P{i}", "x" * 100])
    path = tmp_path / "m.xlsx"
    book.save(path)
    assert len(read_products(path)) == 200
    monkeypatch.setattr(producttable, "MAX_XLSX_UNCOMPRESSED", 10_000)
    with pytest.raises(InputFileError, match="unpacks to"):
        read_products(path)
    fake = _csv(tmp_path, b"PK\x03\x04 not really a zip", "fake.xlsx")
    with pytest.raises(InputFileError, match="not an XLSX workbook"):
        read_products(fake)


def test_the_mapping_is_validated(tmp_path: Path) -> None:
    path = _csv(tmp_path, '{"columns": {"part_number": "SKU"}, "extra": 1}', "map.json")
    with pytest.raises(InputFileError, match=r"\$\.extra: is not a field of a mapping file"):
        read_mapping(path)
    path.write_text('{"columns": {"part_number": "SKU", "description": "Name"}, "sheet": "Nope"}')
    mapping = read_mapping(path)
    master = tmp_path / "m.xlsx"
    Workbook().save(master)
    with pytest.raises(InputFileError, match="has no sheet 'Nope'"):
        read_products(master, mapping)
    csv_master = _csv(tmp_path, "SKU,Other\nA,B\n")
    with pytest.raises(InputFileError, match="the mapping names column 'Name' for description"):
        read_products(csv_master, mapping)


def test_blank_rows_count_towards_the_row_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(producttable, "MAX_ROWS", 10)
    path = _csv(tmp_path, "part_number,description\nA,b\n" + "\n" * 20 + ",\n" * 5)
    with pytest.raises(InputFileError, match="more than 10 rows"):
        read_products(path)
