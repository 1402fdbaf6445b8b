"""The product library on SQLite and PostgreSQL: repository, search index, audit chain, locking, import."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from alembic import command
from openpyxl import Workbook

from tests.helpers.pdfs import text_pdf, write
from workbench import resources
from workbench.domain.errors import ConflictError, DuplicateError, InputFileError, NotFoundError, ValidationError
from workbench.domain.products import Product, ProductStatus
from workbench.export.productfile import parse_product_json
from workbench.export.producttable import TableRefusedError
from workbench.rules.products import review
from workbench.services import products as ps
from workbench.services.bootstrap import Workbench, open_workbench
from workbench.store.db import alembic_config, create_database_engine

HGX = parse_product_json(resources.read_bytes("demo/products/hgx-h100-8gpu.json"))
GPU = Product(
    part_number="H100-SXM5-80GB",
    description="NVIDIA H100 SXM5 80GB GPU",
    manufacturer="NVIDIA",
    model="H100 SXM5",
    eccn="3A090.a",
    tpp=15832,
    performance_density=19.4,
    datacenter=True,
)


@pytest.fixture
def wb(db_url: str) -> Iterator[Workbench]:
    bench = open_workbench(db_url, "Jane Officer")
    try:
        yield bench
    finally:
        bench.close()


def test_add_get_and_refuse_a_second_product_with_the_same_part_number(wb: Workbench) -> None:
    view = ps.add_product(wb, HGX)
    assert view.product.version == 1 and view.review.state == "consistent"
    detail = ps.get_product(wb, " 935-24287-0000-000 ")
    assert detail.view.product == replace(HGX, version=1)
    assert detail.view.review.proposed == "4A090.a"
    with pytest.raises(DuplicateError, match="in the library already"):
        ps.add_product(wb, replace(GPU, part_number="935-24287-0000-000"))
    with pytest.raises(NotFoundError, match="no product with part number 'nope'"):
        ps.get_product(wb, "nope")


def test_part_numbers_match_regardless_of_case(wb: Workbench) -> None:
    ps.add_product(wb, GPU)
    assert ps.get_product(wb, "h100-sxm5-80gb").view.product.part_number == "H100-SXM5-80GB"
    with pytest.raises(DuplicateError):
        ps.add_product(wb, replace(GPU, part_number="h100-sxm5-80GB"))


def test_search_as_you_type_filters_and_pages(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    ps.add_product(wb, GPU)
    gaming = replace(GPU, part_number="RTX-4090", description="GeForce RTX 4090 gaming card", model="RTX 4090")
    ps.add_product(wb, replace(gaming, eccn="EAR99", tpp=5285.0, performance_density=8.7, datacenter=False))
    ps.add_product(wb, Product("CABLE-1", "Copper network cable", eccn="EAR99"))
    ps.add_product(wb, Product("NEW-1", "An accelerator not yet classified", tpp=4900.0))
    assert ps.list_products(wb, "nvidia").total == 3
    assert [r.part_number for r in ps.list_products(wb, "sxm5 80").rows] == ["935-24287-0000-000", "H100-SXM5-80GB"]
    assert [r.part_number for r in ps.list_products(wb, "rt").rows] == ["RTX-4090"]  # short: LIKE
    assert [r.part_number for r in ps.list_products(wb, "gaming").rows] == ["RTX-4090"]
    assert ps.list_products(wb, "100%").total == 0
    assert [r.part_number for r in ps.list_products(wb, eccn="3a090").rows] == ["H100-SXM5-80GB"]
    assert [r.part_number for r in ps.list_products(wb, eccn="EAR99").rows] == ["CABLE-1", "RTX-4090"]
    assert [r.part_number for r in ps.list_products(wb, eccn="unclassified").rows] == ["NEW-1"]
    conflicts = ps.list_products(wb, conflicts=True)
    assert [r.part_number for r in conflicts.rows] == ["RTX-4090"]  # TPP 5285 meets 3A090.a
    assert conflicts.rows[0].proposed == "4A090.a"
    assert [r.part_number for r in ps.list_products(wb, status=ProductStatus.APPROVED).rows] == ["935-24287-0000-000"]
    # words and an indexed filter together
    assert [r.part_number for r in ps.list_products(wb, "nvidia", conflicts=True).rows] == ["RTX-4090"]
    assert [r.part_number for r in ps.list_products(wb, "nvidia gpu", eccn="3A090").rows] == ["H100-SXM5-80GB"]
    assert ps.list_products(wb, "nvidia", status=ProductStatus.APPROVED).total == 1
    assert ps.list_products(wb, "nv", eccn="EAR99").total == 1
    page = ps.list_products(wb, offset=1, limit=2)
    assert page.total == 5 and [r.part_number for r in page.rows] == ["CABLE-1", "H100-SXM5-80GB"]
    with pytest.raises(ValidationError):
        ps.list_products(wb, eccn="4A9O")


def test_reclassification_is_audited_with_its_reason_and_flags_the_conflict(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    result = ps.reclassify_product(
        wb, "935-24287-0000-000", eccn="EAR99", reason="Supplier says not controlled", tpp=15832.0
    )
    assert result.before.product.eccn == "4A090.a" and result.before.review.conflict is None
    assert result.after.product.eccn == "EAR99"
    assert result.after.conflict_to_resolve  # approved, and the assistant contradicts it
    assert result.after.product.approved_by == "Jane Officer"
    assert result.after.product.version == 2
    assert [r.part_number for r in ps.list_products(wb, conflicts=True).rows] == ["935-24287-0000-000"]
    history = ps.get_product(wb, "935-24287-0000-000").history
    assert history[0].action == "create"
    changed = {h.field: (h.before, h.after, h.reason) for h in history if h.action == "reclassify"}
    assert changed["eccn"] == ("4A090.a", "EAR99", "Supplier says not controlled")
    assert "review.conflict" in changed
    with pytest.raises(ValidationError, match="nothing changes"):
        ps.reclassify_product(wb, "935-24287-0000-000", eccn="EAR99", reason="again")
    with pytest.raises(ValidationError, match="reason"):
        ps.reclassify_product(wb, "935-24287-0000-000", eccn="4A090.a", reason="  ")
    with wb.uow() as uow:
        assert uow.audit.verify().ok


def test_a_stale_copy_is_refused_and_nothing_is_lost(wb: Workbench) -> None:
    ps.add_product(wb, GPU)
    ps.reclassify_product(wb, "H100-SXM5-80GB", eccn="3A090", reason="first", expected_version=1)
    with pytest.raises(ConflictError, match="changed by someone else"):
        ps.reclassify_product(wb, "H100-SXM5-80GB", eccn="3A090.b", reason="second", expected_version=1)
    assert ps.get_product(wb, "H100-SXM5-80GB").view.product.eccn == "3A090"


def test_simultaneous_saves_conflict(db_url: str) -> None:
    first = open_workbench(db_url, "A")
    try:
        ps.add_product(first, GPU)
        barrier = threading.Barrier(2)
        errors: list[BaseException] = []

        def reclassify(eccn: str) -> None:
            bench = open_workbench(db_url, eccn)
            try:
                with bench.uow() as uow:
                    product = uow.products.get("H100-SXM5-80GB")
                    barrier.wait()
                    changed = replace(product, eccn=eccn)
                    uow.products.save(changed, review(changed), action="reclassify", reason=eccn)
                    uow.commit()
            except BaseException as exc:  # collected for the assertion
                errors.append(exc)
            finally:
                bench.close()

        threads = [threading.Thread(target=reclassify, args=(e,)) for e in ("3A090", "3A090.b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join(30)
        assert len(errors) == 1 and isinstance(errors[0], ConflictError), errors
        stored = ps.get_product(first, "H100-SXM5-80GB").view.product
        assert stored.version == 2
    finally:
        first.close()


def test_approve_refuses_a_contradicted_classification_without_a_reason(wb: Workbench) -> None:
    ps.add_product(wb, replace(GPU, eccn="EAR99"))
    with pytest.raises(ValidationError, match="contradicts"):
        ps.approve_product(wb, "H100-SXM5-80GB")
    view = ps.approve_product(wb, "H100-SXM5-80GB", reason="Figures are for the unit, not per IC")
    assert view.product.status is ProductStatus.APPROVED and view.conflict_to_resolve
    assert view.product.approved_on is not None


def test_documents_are_stored_by_hash_and_linked(wb: Workbench, tmp_path: Path) -> None:
    ps.add_product(wb, GPU)
    pdf = write(tmp_path / "h100-datasheet.pdf", text_pdf("NVIDIA H100 datasheet"))
    doc = ps.attach_product_document(wb, "H100-SXM5-80GB", pdf, "datasheet")
    assert len(doc.sha256) == 64
    detail = ps.get_product(wb, "H100-SXM5-80GB")
    assert [d.filename for d in detail.documents] == ["h100-datasheet.pdf"]
    assert detail.view.product.version == 2
    assert detail.history[-1].action == "attach_document"
    with pytest.raises(DuplicateError):
        ps.attach_product_document(wb, "H100-SXM5-80GB", pdf, "ccats")
    with pytest.raises(ValidationError, match="product document kind"):
        ps.attach_product_document(wb, "H100-SXM5-80GB", pdf, "euc")
    with pytest.raises(NotFoundError):
        ps.attach_product_document(wb, "NOPE", pdf, "datasheet")


CSV_HEADER = "Part No,Description,Mfr,Model,ECCN,TPP,PD,ICs,Data centre,Origin\n"
MAPPING = (
    '{"columns": {"part_number": "Part No", "description": "Description", "manufacturer": "Mfr", '
    '"model": "Model", "eccn": "ECCN", "tpp": "TPP", "performance_density": "PD", "ics_per_unit": "ICs", '
    '"datacenter": "Data centre", "country_of_origin": "Origin"}}'
)


def _master(tmp_path: Path, rows: str) -> tuple[Path, Path]:
    master = tmp_path / "master.csv"
    master.write_text(CSV_HEADER + rows, encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(MAPPING, encoding="utf-8")
    return master, mapping


def test_import_stores_every_row_and_reports_proposed_against_recorded(wb: Workbench, tmp_path: Path) -> None:
    master, mapping = _master(
        tmp_path,
        "H100-SXM5,H100 SXM5 GPU,NVIDIA,H100,3A090.a,15832,19.4,1,yes,TW\n"
        "HGX-8,HGX H100 8-GPU board,NVIDIA,HGX,EAR99,15832,19.4,8,yes,TW\n"
        "\n"
        'L4,L4 inference GPU,NVIDIA,L4,,"1,936",6.6,1,no,\n',
    )
    seen: list[tuple[int, int]] = []
    report = ps.import_products(wb, master, mapping, progress=lambda d, t: seen.append((d, t)))
    assert [(r.row, r.part_number, r.state) for r in report.rows] == [
        (2, "H100-SXM5", "consistent"),
        (3, "HGX-8", "conflict"),
        (5, "L4", "unclassified"),
    ]
    assert report.rows[1].proposed == "4A090.a" and report.count("conflict") == 1
    assert seen[-1] == (3, 3)
    assert ps.list_products(wb).total == 3
    l4 = ps.get_product(wb, "L4").view.product
    assert (l4.tpp, l4.datacenter, l4.country_of_origin) == (1936.0, False, None)
    assert ps.get_product(wb, "HGX-8").history[0].reason == "imported from master.csv"
    with wb.uow() as uow:
        assert uow.audit.verify().ok


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ("A-1,GPU,N,M,3A090.a,abc,1,1,yes,TW\n", "row 2, column 'TPP': 'abc' is not a number"),
        ("A-1,GPU,N,M,3A09.a,1,1,1,yes,TW\n", "row 2, column 'ECCN': '3A09.a' is not a valid ECCN"),
        ("A-1,GPU,N,M,,1,1,1,maybe,TW\n", "row 2, column 'Data centre': 'maybe' is not yes or no"),
        ("A-1,GPU,N,M,,1,1,0,yes,TW\n", "row 2, column 'ICs': must be between 1"),
        ("A-1,GPU,N,M,,1,1,1,yes,XX\n", "row 2, column 'Origin'"),
        ("A-1,,N,M,,1,1,1,yes,TW\n", "row 2, column 'Description': is required"),
        (
            "A-1,GPU,N,M,,1,1,1,yes,TW\na-1,GPU,N,M,,1,1,1,yes,TW\n",
            "row 3, column 'Part No': part number 'a-1' is on row 2",
        ),
        ("A-1,GPU,N,M,,nan,1,1,yes,TW\n", "row 2, column 'TPP': must be a finite number"),
    ],
)
def test_a_bad_row_refuses_the_whole_import(wb: Workbench, tmp_path: Path, rows: str, expected: str) -> None:
    master, mapping = _master(tmp_path, "GOOD-1,Fine product,N,M,EAR99,,,1,no,US\n" + rows.replace("row 2", "row 3"))
    with pytest.raises(TableRefusedError) as err:
        ps.import_products(wb, master, mapping)
    message = str(err.value)
    shifted = expected.replace("row 3", "row 4").replace("row 2", "row 3")
    assert message.startswith(f"{master}: ") and shifted in message and "nothing was imported" in message
    assert ps.list_products(wb).total == 0


def test_import_refuses_part_numbers_already_in_the_library(wb: Workbench, tmp_path: Path) -> None:
    ps.add_product(wb, GPU)
    master, mapping = _master(tmp_path, "NEW-2,Other,N,M,,,,1,no,\nh100-sxm5-80gb,Dup,N,M,,,,1,no,\n")
    with pytest.raises(TableRefusedError, match="row 3: part number 'h100-sxm5-80gb' is in the library already"):
        ps.import_products(wb, master, mapping)
    assert ps.list_products(wb).total == 1


def test_import_without_mapping_reads_field_names_and_aliases(wb: Workbench, tmp_path: Path) -> None:
    master = tmp_path / "plain.csv"
    master.write_text("SKU;Description;ECCN;TPP;Datacenter\nX-1;Chip;3A090.b;3000;1\n", encoding="utf-8")
    report = ps.import_products(wb, master)
    # TPP 3000 without a performance density: the assistant cannot decide, so nothing contradicts 3A090.b.
    assert (report.rows[0].part_number, report.rows[0].proposed, report.rows[0].state) == ("X-1", None, "consistent")
    assert ps.get_product(wb, "X-1").view.product.datacenter is True
    with pytest.raises(InputFileError, match="no column for description"):
        (tmp_path / "bad.csv").write_text("SKU,Name\nX,Y\n", encoding="utf-8")
        ps.import_products(wb, tmp_path / "bad.csv")


def test_import_cancel_leaves_nothing(wb: Workbench, tmp_path: Path) -> None:
    master, mapping = _master(tmp_path, "A-1,GPU,N,M,,,,1,no,\n")
    with pytest.raises(ps.ImportCancelled):
        ps.import_products(wb, master, mapping, cancel=lambda: True)
    assert ps.list_products(wb).total == 0


def test_import_reads_xlsx_with_a_sheet_named_in_the_mapping(wb: Workbench, tmp_path: Path) -> None:
    book = Workbook()
    book.active.title = "Notes"
    sheet = book.create_sheet("Master")
    sheet.append(["Part No", "Description", "ECCN", "TPP", "Data centre", "CCATS", "CCATS date"])
    sheet.append(["G-1", "H200 GPU", "3A090.a", 15832, True, "G123456", date(2026, 2, 1)])
    sheet.append([1234, "Numeric part number", "EAR99", None, None, None, None])
    path = tmp_path / "master.xlsx"
    book.save(path)
    mapping = tmp_path / "map.json"
    mapping.write_text(
        '{"sheet": "Master", "columns": {"part_number": "Part No", "description": "Description", "eccn": "ECCN",'
        ' "tpp": "TPP", "datacenter": "Data centre", "ccats_number": "CCATS", "ccats_date": "CCATS date"}}'
    )
    report = ps.import_products(wb, path, mapping)
    assert [r.part_number for r in report.rows] == ["G-1", "1234"]
    g1 = ps.get_product(wb, "G-1").view.product
    assert (g1.ccats_number, g1.ccats_date, g1.datacenter) == ("G123456", date(2026, 2, 1), True)


def test_upgrade_from_0007_adds_the_library_and_downgrade_removes_it(db_url: str) -> None:
    engine = create_database_engine(db_url)
    try:
        command.upgrade(alembic_config(engine), "head")
        command.downgrade(alembic_config(engine), "0007")
        command.upgrade(alembic_config(engine), "head")
    finally:
        engine.dispose()
    bench = open_workbench(db_url, "Jane Officer")
    try:
        ps.add_product(bench, GPU)
        assert ps.list_products(bench, "h100").total == 1
    finally:
        bench.close()


def test_eccn_filter_takes_the_entry_and_its_lower_paragraphs_only(wb: Workbench) -> None:
    for part, eccn in (("A", "3A090"), ("B", "3A090.a"), ("C", "3A090.a.1"), ("D", "3A090.b"), ("E", "3A001.a")):
        ps.add_product(wb, Product(part, f"item {part}", eccn=eccn))
    assert [r.part_number for r in ps.list_products(wb, eccn="3A090").rows] == ["A", "B", "C", "D"]
    assert [r.part_number for r in ps.list_products(wb, eccn="3A090.a").rows] == ["B", "C"]
    assert [r.part_number for r in ps.list_products(wb, eccn="3a001").rows] == ["E"]


def test_search_counts_stop_past_the_cap_but_filters_count_exactly(wb: Workbench, tmp_path: Path) -> None:
    n = ps.SEARCH_COUNT_CAP + 50
    master = tmp_path / "many.csv"
    rows = "".join(f"ACC-{i:05d},Accelerator card {i},{'EAR99' if i % 2 else ''}\n" for i in range(n))
    master.write_text("part_number,description,eccn\n" + rows, encoding="utf-8")
    ps.import_products(wb, master)
    page = ps.list_products(wb, "accelerator")
    assert page.capped and page.total == ps.SEARCH_COUNT_CAP and page.total_label == "1,000+"
    assert [r.part_number for r in page.rows[:2]] == ["ACC-00000", "ACC-00001"] and len(page.rows) == 200
    exact = ps.list_products(wb, "card 104")
    assert not exact.capped and {r.part_number for r in exact.rows} == {f"ACC-{i:05d}" for i in range(1040, 1050)} | {
        "ACC-00104"
    }
    assert ps.list_products(wb).total == n and not ps.list_products(wb).capped
    assert ps.list_products(wb, eccn="EAR99").total == n // 2


def test_products_reviewed_with_older_rule_data_are_reviewed_again_and_listed(wb: Workbench) -> None:
    from sqlalchemy import update

    from workbench.store.orm_products import ProductRow

    ps.add_product(wb, replace(GPU, eccn="EAR99"))  # contradicted by the figures
    ps.add_product(wb, HGX)
    assert ps.review_after_rule_change(wb) == (0, [])
    with wb.uow() as uow:  # as stored by a workbench whose rule data had no 3A090 yet
        uow.session.execute(
            update(ProductRow).values(proposed_eccn=None, conflict=None, has_conflict=False, review_digest="old")
        )
        uow.commit()
    assert ps.list_products(wb, conflicts=True).total == 0
    reviewed, changed = ps.review_after_rule_change(wb)
    assert reviewed == 2
    assert [(c.part_number, c.before.proposed, c.after.proposed) for c in changed] == [
        ("H100-SXM5-80GB", None, "3A090.a"),
        ("935-24287-0000-000", None, "4A090.a"),
    ]
    assert [r.part_number for r in ps.list_products(wb, conflicts=True).rows] == ["H100-SXM5-80GB"]
    detail = ps.get_product(wb, "H100-SXM5-80GB")
    assert detail.view.product.version == 1  # the officer's record is untouched
    assert detail.history[-1].action == "review" and "new rule data" in detail.history[-1].reason


def test_reclassifying_an_approved_product_as_unclassified_makes_it_a_draft(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    result = ps.reclassify_product(wb, HGX.part_number, eccn="unclassified", reason="Datasheet withdrawn")
    assert result.after.product.eccn is None and result.after.product.status is ProductStatus.DRAFT
    assert result.after.review.state == "unclassified" and result.after.review.proposed == "4A090.a"
