"""Hostile input, in bulk: every bad file gives one clear line, exit 2, and an unchanged database."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbench.cli.main import main
from workbench.domain.errors import InputFileError
from workbench.export.casefile import parse_case_json

HOSTILE = Path(__file__).resolve().parents[1] / "data" / "hostile"

REFUSED = {
    "empty.json": "is not valid JSON",
    "binary-junk.json": "is not valid JSON",
    "huge-line.json": "$.title: is 200000 characters long",
    "control-chars.json": "$.parties[0].name: contains control characters",
    "nested-deep.json": "nests JSON too deeply",
    "latin1.json": "not UTF-8",
    "array.json": "must be a JSON object, not list",
    "null.json": "must be a JSON object, not NoneType",
    "path-traversal-doc.json": "must be a plain file name, without folders",
}
ACCEPTED = ["bom-utf8.json", "utf16.json", "formula-name.json"]


def _state(capsys: pytest.CaptureFixture[str], url: str) -> tuple[str, str]:
    assert main(["--db", url, "case", "list", "--json"]) == 0
    cases = capsys.readouterr().out
    assert main(["--db", url, "audit", "verify", "--json"]) == 0
    chain = capsys.readouterr().out
    return cases, chain


@pytest.mark.parametrize(("name", "fragment"), sorted(REFUSED.items()))
def test_hostile_case_files_are_refused_cleanly(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, name: str, fragment: str
) -> None:
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    before = _state(capsys, sqlite_url)
    code = main(["--db", sqlite_url, "case", "import", str(HOSTILE / name)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    assert fragment in err
    assert _state(capsys, sqlite_url) == before


@pytest.mark.parametrize("name", ACCEPTED)
def test_odd_but_valid_files_are_accepted(capsys: pytest.CaptureFixture[str], sqlite_url: str, name: str) -> None:
    assert main(["--db", sqlite_url, "case", "import", str(HOSTILE / name)]) == 0
    assert "Imported case" in capsys.readouterr().out


def test_formula_names_are_kept_as_text(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert main(["--db", sqlite_url, "case", "import", str(HOSTILE / "formula-name.json")]) == 0
    capsys.readouterr()
    assert main(["--db", sqlite_url, "case", "show", "EC-FORMULA-1", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["parties"][0]["name"] == '=HYPERLINK("http://evil","x")'


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=5),
    max_leaves=30,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=400))
def test_fuzz_case_file_bytes(data: bytes) -> None:
    try:
        parse_case_json(data, "fuzz.json")
    except InputFileError as exc:
        message = str(exc)
    else:
        return
    assert message.startswith("fuzz.json: ")


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_fuzz_case_file_json_shapes(value: object) -> None:
    with pytest.raises(InputFileError):
        parse_case_json(json.dumps(value), "fuzz.json")


@settings(max_examples=200, deadline=None)
@given(
    st.fixed_dictionaries(
        {
            "format": st.just("workbench-case/1"),
            "reference": st.text(max_size=70),
            "title": st.text(max_size=40),
            "transaction_date": st.text(max_size=12) | st.dates().map(str),
            "export_from": st.text(max_size=3),
            "destination": st.sampled_from(["US", "DE", "XX", "", "de", "CN"]),
            "items": st.lists(
                st.fixed_dictionaries(
                    {
                        "description": st.text(max_size=10),
                        "eccn": st.none() | st.text(max_size=12) | st.sampled_from(["3A090.a", "EAR99", "4A9O"]),
                        "quantity": st.integers(-5, 5) | st.floats(allow_nan=False) | st.text(max_size=3),
                    }
                ),
                max_size=3,
            ),
        }
    )
)
def test_fuzz_nearly_valid_case_files(doc: dict[str, object]) -> None:
    try:
        case = parse_case_json(json.dumps(doc), "fuzz.json")
    except InputFileError as exc:
        message = str(exc)
        assert message.startswith("fuzz.json: $") or "fuzz.json: " in message
        assert "\n" not in message
    else:
        assert case.reference == str(doc["reference"]).strip()


HOSTILE_LISTS = {
    "empty.csv": b"",
    "binary.csv": bytes(range(256)) * 20,
    "huge-line.csv": b'"_id","source","name"\n"1","Entity List (EL) - Bureau of Industry and Security","'
    + b"A" * 3_000_000
    + b'"\n',
    "header-only.csv": b'"_id","source","entity_number","type","programs","name"\n',
    "not-a-list.json": b'{"hello": "world"}',
    "deep.json": b"[" * 50000 + b"]" * 50000,
    "utf16.csv": '"_id","source","name"\n"1","Entity List","Acme"\n'.encode("utf-16"),
    "sdn.csv": b"not,an,ofac,file\x00\x01",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_LISTS))
def test_hostile_list_files_are_refused_and_the_active_version_stays(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, name: str
) -> None:
    assert main(["--db", sqlite_url, "lists", "show", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    path = tmp_path / name
    path.write_bytes(HOSTILE_LISTS[name])
    code = main(["--db", sqlite_url, "lists", "import", str(path)])
    _, err = capsys.readouterr()
    assert code == 2
    assert err.startswith("error: ") and err.count("\n") == 1
    assert main(["--db", sqlite_url, "lists", "show", "--json"]) == 0
    after = json.loads(capsys.readouterr().out)
    assert after["versions"] == before["versions"]


@pytest.mark.parametrize(
    ("content", "fragment"),
    [
        (b"", "is not valid JSON"),
        (b"[]", "must be a JSON object"),
        (b'{"number": "D1"}', "is required but missing"),
        (b"\xff\xfe\x00junk", "not UTF-8"),
    ],
)
def test_hostile_licence_files(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, content: bytes, fragment: str
) -> None:
    path = tmp_path / "licence.json"
    path.write_bytes(content)
    assert main(["--db", sqlite_url, "license", "add", str(path)]) == 2
    err = capsys.readouterr().err
    assert fragment in err and err.count("\n") == 1
    assert main(["--db", sqlite_url, "license", "list", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) in ([], {"licences": []})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=600))
def test_fuzz_list_parser(tmp_path: Path, data: bytes) -> None:
    from workbench.screening.parsers import parse_list

    path = tmp_path / "fuzz.csv"
    path.write_bytes(data)
    try:
        parsed = parse_list(path)
    except InputFileError as exc:
        message = str(exc)
    else:
        assert all(m.line >= 1 for m in parsed.malformed)
        return
    assert message.startswith("fuzz.csv")


def _case_with_item(item_json: str) -> bytes:
    return (
        '{"format": "workbench-case/1", "reference": "EC-HOSTILE-1", "title": "t", "transaction_date": "2026-11-28",'
        ' "export_from": "US", "destination": "MY", "items": [{"description": "x", ' + item_json + "}]}"
    ).encode()


HOSTILE_ITEMS = {
    "5000-digit-quantity": ('"quantity": 1' + "0" * 5000, "has a number of 5,001 digits"),
    "5000-digit-decimal": ('"quantity": 1.' + "0" * 5000 + "1", "has a number of 5,003 characters"),
    "unit-value-1e308": ('"unit_value": 1e308', "$.items[0].unit_value: must be at most 1,000,000,000,000"),
    "line-total-overflow": ('"quantity": 1000000000000, "unit_value": 1000000', "above the 1,000,000,000,000,000"),
    "quantity-too-many-places": ('"quantity": 1.0000001', "$.items[0].quantity: has more than 6 decimal places"),
    "tpp-1e999": ('"tpp": 1e999', "$.items[0].tpp: must be a finite number"),
    "tpp-infinity-literal": ('"tpp": Infinity', "has Infinity, which is not a JSON number"),
    "pd-nan-literal": ('"performance_density": NaN', "has NaN, which is not a JSON number"),
    "tpp-huge": ('"tpp": 1e300', "$.items[0].tpp: must be at most 10,000,000"),
    "pd-huge": ('"performance_density": 1e12', "$.items[0].performance_density: must be at most 10,000,000"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_ITEMS))
def test_hostile_item_figures_are_refused_with_field_and_limit(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, name: str
) -> None:
    fragment, expected = HOSTILE_ITEMS[name]
    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    before = _state(capsys, sqlite_url)
    path = tmp_path / "case.json"
    path.write_bytes(_case_with_item(fragment))
    for command in (["case", "import", str(path)], ["check", str(path)]):
        code = main(["--db", sqlite_url, *command])
        _, err = capsys.readouterr()
        assert code == 2, err
        assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 400
        assert expected in err
    assert _state(capsys, sqlite_url) == before


@settings(max_examples=200, deadline=None)
@given(
    quantity=st.decimals(allow_nan=True, allow_infinity=True) | st.integers() | st.floats(),
    unit_value=st.decimals(allow_nan=True, allow_infinity=True) | st.integers() | st.floats(),
    tpp=st.none() | st.floats() | st.integers(),
)
def test_fuzz_item_figures_are_bounded_or_refused(quantity: object, unit_value: object, tpp: object) -> None:
    """Whatever the UI or a service passes, an item either holds bounded, finite figures or is refused."""
    from workbench.domain.case import MAX_ITEM_VALUE, MAX_TPP, Item
    from workbench.domain.errors import ValidationError

    try:
        item = Item("x", quantity=quantity, unit_value=unit_value, tpp=tpp)  # type: ignore[arg-type]
    except ValidationError as exc:
        message = str(exc)
        assert "\n" not in message and len(message) < 300
        return
    assert item.quantity.is_finite() and item.unit_value.is_finite()
    assert 0 <= item.total_value <= MAX_ITEM_VALUE
    assert item.tpp is None or 0 <= item.tpp <= MAX_TPP
    item.total_tpp  # noqa: B018 - must not overflow


CSL_HEADER = b'"_id","source","name","alt_names"\n'
EL = b"Entity List (EL) - Bureau of Industry and Security"


def _csl_rows(count: int, *, start: int = 0) -> bytes:
    return b"".join(b'"%d","%s","Trading Company Number %d",""\n' % (i, EL, i) for i in range(start, start + count))


def test_a_field_over_the_csv_limit_is_one_malformed_row_and_the_rest_is_read(tmp_path: Path) -> None:
    from workbench.screening.parsers import parse_list

    path = tmp_path / "list.csv"
    huge = b'"x","' + EL + b'","' + b"A" * 140_000 + b'",""\n'
    path.write_bytes(CSL_HEADER + _csl_rows(40) + huge + _csl_rows(60, start=40))
    parsed = parse_list(path)
    assert len(parsed.entries) == 100
    assert [(m.line, "field larger than field limit" in m.reason) for m in parsed.malformed] == [(42, True)]
    assert parsed.entries[-1].name == "Trading Company Number 99"


def test_oversized_names_and_aliases_are_malformed_rows(tmp_path: Path) -> None:
    from workbench.screening.parsers import parse_list

    long_alias = b"; ".join(b"Alias %d" % i for i in range(600))
    path = tmp_path / "list.csv"
    path.write_bytes(
        CSL_HEADER + _csl_rows(10)
        + b'"n","' + EL + b'","' + b"B" * 1_001 + b'",""\n'
        + b'"a","' + EL + b'","Fine Name","' + b"C" * 1_001 + b'"\n'
        + b'"c","' + EL + b'","Many Aliases","' + long_alias + b'"\n'
    )  # fmt: skip
    parsed = parse_list(path)
    assert len(parsed.entries) == 10
    reasons = [(m.line, m.reason) for m in parsed.malformed]
    assert reasons == [
        (12, "the name is 1,001 characters long, more than the 1,000 allowed"),
        (13, "an alias is 1,001 characters long, more than the 1,000 allowed"),
        (14, "it has 600 aliases, more than the 500 allowed"),
    ]


def _import_refused(capsys: pytest.CaptureFixture[str], url: str, path: Path, fragment: str) -> None:
    assert main(["--db", url, "lists", "show", "--json"]) == 0
    before = json.loads(capsys.readouterr().out)
    code = main(["--db", url, "lists", "import", str(path), "--allow-shrink"])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 600, err
    assert fragment in err, err
    assert main(["--db", url, "lists", "show", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["versions"] == before["versions"]


def test_a_list_of_huge_names_is_never_committed(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    """Entries with 120,000-character names would commit and then exhaust every later screening.

    2,000 of them (240 MB) already pass the list size cap; 200 (24 MB) are each a malformed row,
    and so many malformed rows refuse the file.
    """
    name = b"D" * 120_000
    path = tmp_path / "huge-names.csv"
    with path.open("wb") as out:
        out.write(CSL_HEADER + _csl_rows(20))
        for i in range(200):
            out.write(b'"h%d","%s","%s %d",""\n' % (i, EL, name, i))
    _import_refused(capsys, sqlite_url, path, "first at line 22: the name is 120,002 characters long")


def test_a_gzip_bomb_list_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path) -> None:
    import gzip

    path = tmp_path / "bomb.csv.gz"
    path.write_bytes(gzip.compress(CSL_HEADER + bytes(60 * 1024 * 1024), compresslevel=9))
    assert path.stat().st_size < 200_000
    _import_refused(capsys, sqlite_url, path, "as a decompression bomb does")


def test_a_list_expanding_past_the_size_cap_is_refused(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gzip

    from workbench.screening.parsers import _common

    assert main(["--db", sqlite_url, "lists", "show"]) == 0  # the bundled list is imported before the cap drops
    capsys.readouterr()
    monkeypatch.setattr(_common, "MAX_LIST_BYTES", 2 * 1024 * 1024)
    path = tmp_path / "big.csv.gz"
    path.write_bytes(gzip.compress(CSL_HEADER + _csl_rows(60_000)))
    _import_refused(capsys, sqlite_url, path, "to more than the 2 MB a screening list may be")
    plain = tmp_path / "big.csv"
    plain.write_bytes(CSL_HEADER + _csl_rows(60_000))
    _import_refused(capsys, sqlite_url, plain, "more than the 2 MB a screening list may be")


HOSTILE_BATCHES = {
    "long-name": (b"id,name\n1,Acme\n2," + b"E" * 5_000 + b"\n", "line 3: the name is 5,000 characters long"),
    "field-over-csv-limit": (b'id,name\n1,"' + b"F" * 200_000 + b'"\n', "is not readable CSV (field larger"),
    "not-utf8": (b"id,name\n1,Caf\xe9\n", "is not UTF-8 text"),
    "missing-column": (b"identifier,label\n1,x\n", "missing column(s)"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE_BATCHES))
@pytest.mark.parametrize("mode", ["--batch", "--pairs"])
def test_hostile_batch_and_pairs_files(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, name: str, mode: str
) -> None:
    content, fragment = HOSTILE_BATCHES[name]
    if mode == "--pairs":
        content = content.replace(b"id,name", b"name1,name2", 1).replace(b"identifier", b"first", 1)
    path = tmp_path / "in.csv"
    path.write_bytes(content)
    out = tmp_path / "out.csv"
    code = main(["--db", sqlite_url, "screen", mode, str(path), "--out", str(out)])
    _, err = capsys.readouterr()
    assert code == 2, err
    assert err.startswith("error: ") and err.count("\n") == 1 and len(err) < 600, err
    assert fragment in err, err
    assert not out.exists()


def test_batch_row_count_and_folder_and_query_bounds(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from workbench.cli import screening as screening_cli

    monkeypatch.setattr(screening_cli, "MAX_BATCH_ROWS", 5)
    path = tmp_path / "in.csv"
    path.write_bytes(b"name1,name2\n" + b"a,b\n" * 6)
    for argv, fragment in (
        (["screen", "--pairs", str(path), "--out", str(tmp_path / "o.csv")], "has more than 5 rows"),
        (["screen", "--pairs", str(tmp_path), "--out", str(tmp_path / "o.csv")], "is a folder, not a CSV file"),
        (["screen", "G" * 2_000], "NAME: the name is 2,000 characters long"),
    ):
        assert main(["--db", sqlite_url, *argv]) == 2
        err = capsys.readouterr().err
        assert err.startswith("error: ") and err.count("\n") == 1 and fragment in err, err


def test_a_case_file_with_a_million_items_is_refused_before_validation(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "many.json"
    items = ",".join(['{"description": "x"}'] * 200_000)
    path.write_text(
        '{"format": "workbench-case/1", "reference": "EC-MANY", "title": "t", "transaction_date": "2026-11-28",'
        f' "export_from": "US", "destination": "MY", "items": [{items}]}}'
    )
    assert main(["--db", sqlite_url, "case", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "$.items: has 200,000 entries; a case holds at most 10,000" in err, err


def test_an_oversized_passphrase_file_is_refused(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    passphrase = tmp_path / "pass.txt"
    passphrase.write_bytes(b"p" * 200_000)
    code = main(["keys", "generate", "--name", "Officer", "--out", str(tmp_path / "keys"),
                 "--passphrase-file", str(passphrase)])  # fmt: skip
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1 and "is larger than 65,536 bytes" in err, err


def test_an_over_long_allow_list_name_is_refused(capsys: pytest.CaptureFixture[str], sqlite_url: str) -> None:
    assert main(["--db", sqlite_url, "lists", "allow", "H" * 5_000]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "name: is 5000 characters long; shorten it to at most 200" in err, err


def test_an_enormous_enum_value_is_quoted_short(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "role.json"
    path.write_text(
        '{"format": "workbench-case/1", "reference": "EC-ROLE", "title": "t", "transaction_date": "2026-11-28",'
        ' "export_from": "US", "destination": "MY", "parties": [{"role": "' + "R" * 1_000_000 + '", "name": "x",'
        ' "country": "MY"}]}'
    )
    assert main(["--db", sqlite_url, "case", "import", str(path)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and len(err) < 600 and "$.parties[0].role: 'RRRR" in err, err


def test_a_figure_stored_before_the_bounds_is_named_by_case_and_item(
    capsys: pytest.CaptureFixture[str], sqlite_url: str, tmp_path: Path
) -> None:
    import sqlite3

    assert main(["--db", sqlite_url, "demo"]) == 0
    capsys.readouterr()
    conn = sqlite3.connect(sqlite_url.removeprefix("sqlite:///"))
    conn.execute(
        "UPDATE items SET tpp = 9e999 WHERE case_id = (SELECT id FROM cases WHERE reference = 'EC-2026-0042')"
    )
    conn.commit()
    conn.close()
    assert main(["--db", sqlite_url, "case", "show", "EC-2026-0042"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "case EC-2026-0042, item 1, tpp: must be a finite number" in err, err
