"""Case items that reference the product library, on SQLite and PostgreSQL: resolution on load,
reclassification moving open cases, determination snapshots, conflicts in the checks, case-file import."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from workbench import resources
from workbench.domain.case import Case, CaseStatus, Item, Party, PartyRole
from workbench.domain.errors import NotFoundError
from workbench.domain.product_items import MatchedBy
from workbench.domain.products import Product
from workbench.export.productfile import parse_product_json
from workbench.services import product_cases as pc
from workbench.services import products as ps
from workbench.services.audit import case_history
from workbench.services.bootstrap import Workbench, open_workbench
from workbench.services.cases import create_case, export_case_file, get_case, import_case_file_matched, save_case
from workbench.services.checks import check
from workbench.services.determinations import determination, determine

HGX = parse_product_json(resources.read_bytes("demo/products/hgx-h100-8gpu.json"))
PART = HGX.part_number


@pytest.fixture
def wb(db_url: str) -> Iterator[Workbench]:
    bench = open_workbench(db_url, "Jane Officer")
    try:
        yield bench
    finally:
        bench.close()


def _case(reference: str, items: tuple[Item, ...], destination: str = "MY") -> Case:
    return Case(
        reference=reference,
        title="GPU servers",
        transaction_date=date(2026, 11, 28),
        export_from="US",
        destination=destination,
        parties=(
            Party(PartyRole.APPLICANT, "Acme Compute Systems Inc.", "US"),
            Party(PartyRole.ULTIMATE_CONSIGNEE, "Example Data Centre Sdn Bhd", destination),
            Party(PartyRole.END_USER, "Example Data Centre Sdn Bhd", destination),
        ),
        items=items,
    )


def _hgx_case(wb: Workbench, reference: str, quantity: int = 16, destination: str = "MY") -> Case:
    item = pc.product_item(wb, PART, quantity=Decimal(quantity), unit_value=Decimal(250000))
    return create_case(wb, _case(reference, (item,), destination))


def test_a_picked_product_pre_fills_the_item_and_the_case_reads_its_current_record(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    own = Item(description="Rack rails", eccn="EAR99", manufacturer="Acme", quantity=Decimal(16))
    item = pc.product_item(wb, PART, quantity=Decimal(16), unit_value=Decimal(250000))
    assert (item.eccn, item.tpp, item.ics_per_unit, item.datacenter, item.country_of_origin) == (
        "4A090.a",
        15832,
        8,
        True,
        "TW",
    )
    assert item.product_id is not None and (item.quantity, item.unit_value) == (16, 250000)
    create_case(wb, _case("EC-P-1", (item, own)))

    ps.reclassify_product(wb, PART, eccn="4A090.b", tpp=2000.0, performance_density=3.0, reason="datasheet rev B")
    stored = get_case(wb, "EC-P-1")
    assert (stored.items[0].eccn, stored.items[0].tpp, stored.items[0].product_id) == ("4A090.b", 2000, item.product_id)
    assert (stored.items[0].quantity, stored.items[0].unit_value) == (16, 250000)  # the shipment's own
    assert stored.items[1] == own  # a case-only item keeps its values
    assert pc.part_numbers(wb, [item.product_id]) == {item.product_id: PART}


def test_a_referencing_item_cannot_say_something_else_than_the_product(wb: Workbench) -> None:
    """What the editor sends for a referencing item is resolved again on save: the product decides."""
    ps.add_product(wb, HGX)
    case = _hgx_case(wb, "EC-P-2")
    edited = replace(case, items=(replace(case.items[0], eccn="EAR99", tpp=1.0, quantity=Decimal(4)),))
    stored = save_case(wb, edited)
    assert (stored.items[0].eccn, stored.items[0].tpp, stored.items[0].quantity) == ("4A090.a", 15832, 4)


def test_linking_an_item_to_a_product_is_audited(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    case = create_case(wb, _case("EC-P-3", (Item(description="HGX board", eccn="4A090.a"),)))
    product_id = pc.product_item(wb, PART).product_id
    save_case(wb, replace(case, items=(replace(case.items[0], product_id=product_id),)))
    fields = [(e.action, e.field, e.after) for e in case_history(wb, "EC-P-3")]
    assert ("update", "items[1].product_id", product_id) in fields


def test_an_unknown_part_number_is_one_clear_sentence(wb: Workbench) -> None:
    with pytest.raises(NotFoundError, match="no product with part number 'NOPE-1'"):
        pc.product_item(wb, "NOPE-1")


def test_reclassification_rechecks_the_open_cases_using_the_product_before_and_after(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    _hgx_case(wb, "EC-P-10", destination="CN")
    _hgx_case(wb, "EC-P-11", quantity=2)
    determine(wb, "EC-P-12") if _hgx_case(wb, "EC-P-12") else None  # determined: not open, not re-checked
    create_case(wb, _case("EC-P-13", (Item(description="cables", eccn="EAR99"),)))  # does not use it
    before = check(wb, get_case(wb, "EC-P-10"), stored=True)

    impact = pc.reclassify_and_recheck(
        wb,
        PART,
        eccn="EAR99",
        tpp=10.0,
        performance_density=0.1,
        datacenter=False,
        reason="BIS CCATS G123456 says EAR99 (hypothetical test)",
    )
    assert [c.reference for c in impact.cases] == ["EC-P-10", "EC-P-11"]
    assert impact.open_cases == 2 and not impact.cancelled
    first = impact.cases[0]
    assert first.before_outcome == before.outcome.value and first.before_headline == before.headline
    after = check(wb, get_case(wb, "EC-P-10"), stored=True)
    assert first.after_outcome == after.outcome.value
    assert first.before_outcome != first.after_outcome and first in impact.moved

    recheck = [e for e in ps.get_product(wb, PART).history if e.action == "recheck"]
    assert recheck and recheck[0].reason.startswith("BIS CCATS") and recheck[0].after["checked"] == 2
    moved = [e for e in case_history(wb, "EC-P-10") if e.action == "product_reclassified"]
    assert moved and (moved[0].before, moved[0].after) == (first.before_outcome, first.after_outcome)


def test_cancelling_the_recheck_keeps_the_reclassification_and_says_how_far_it_got(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    for n in range(3):
        _hgx_case(wb, f"EC-P-2{n}")
    impact = pc.reclassify_and_recheck(wb, PART, eccn="4A090.b", reason="test", cancelled=lambda: True)
    assert impact.cancelled and impact.cases == () and impact.open_cases == 3
    assert ps.get_product(wb, PART).view.product.eccn == "4A090.b"


def test_a_determination_keeps_the_classification_it_used(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    _hgx_case(wb, "EC-P-30")
    record = determine(wb, "EC-P-30")
    assert [(u.part_number, u.version, u.eccn, u.status) for u in record.products] == [
        (PART, 1, "4A090.a", "approved")
    ]
    ps.reclassify_product(wb, PART, eccn="4A090.b", tpp=2000.0, performance_density=3.0, reason="rev B")
    stored = determination(wb, "EC-P-30")
    assert stored.content_hash == record.content_hash
    assert stored.case.items[0].eccn == "4A090.a" and stored.products[0].eccn == "4A090.a"
    assert stored.products[0].version == 1 and get_case(wb, "EC-P-30").items[0].eccn == "4A090.b"


def test_a_product_whose_figures_contradict_its_eccn_is_a_finding_in_every_case_using_it(wb: Workbench) -> None:
    ps.add_product(wb, replace(HGX, eccn="5A992.c", paragraph="", status="draft", approved_by="", approved_on=None))
    assert ps.list_products(wb, conflicts=True).total == 1  # flagged in the library
    for reference in ("EC-P-40", "EC-P-41"):
        _hgx_case(wb, reference)
        result = check(wb, get_case(wb, reference), stored=True)
        found = [f for f in result.findings if f.rule == "product.conflict"]
        assert len(found) == 1 and found[0].review and found[0].subject == "item 1"
        assert PART in found[0].citation and PART in found[0].explanation and "5A992.c" in found[0].explanation


def _write_case_file(tmp_path: Path, items: list[dict[str, object]], reference: str = "EC-P-50") -> Path:
    data = {
        "format": "workbench-case/1",
        "reference": reference,
        "title": "GPU servers",
        "transaction_date": "2026-11-28",
        "export_from": "US",
        "destination": "MY",
        "items": items,
    }
    path = tmp_path / f"{reference}.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


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


def test_case_file_import_matches_items_and_says_which_and_round_trips(wb: Workbench, tmp_path: Path) -> None:
    ps.add_product(wb, HGX)
    ps.add_product(wb, GPU)
    path = _write_case_file(
        tmp_path,
        [
            {"description": "HGX board", "part_number": PART.lower(), "quantity": 2},
            {"description": "GPU", "manufacturer": "nvidia", "model": "H100  SXM5", "eccn": "3A090.b", "tpp": 15832},
            {"description": "cables", "manufacturer": "Acme", "model": "C-1", "eccn": "EAR99"},
            {"description": "rails"},
        ],
    )
    imported = import_case_file_matched(wb, path)
    how = [(m.matched_by, m.part_number) for m in imported.item_matches]
    assert how == [
        (MatchedBy.PART_NUMBER, PART),
        (MatchedBy.MANUFACTURER_MODEL, GPU.part_number),
        (MatchedBy.CASE_ONLY, None),
        (MatchedBy.CASE_ONLY, None),
    ]
    notes = [m.note for m in imported.item_matches]
    assert "eccn 3A090.b → 3A090.a" in notes[1]
    assert "no product of Acme C-1" in notes[2] and "no manufacturer and model" in notes[3]
    case = get_case(wb, "EC-P-50")
    assert case.items[0].eccn == "4A090.a" and case.items[0].quantity == 2 and case.items[1].eccn == "3A090.a"
    assert [i.product_id is not None for i in case.items] == [True, True, False, False]

    exported = json.loads(export_case_file(wb, "EC-P-50", None))
    assert exported["format"] == "workbench-case/1"
    assert all("part_number" not in i and "product_id" not in i for i in exported["items"])
    assert exported["items"][0]["model"] == HGX.model and exported["items"][0]["eccn"] == "4A090.a"

    # Round trip: the exported file imports into the same library with the same matches (now by maker and model).
    again = tmp_path / "again.json"
    again.write_text(json.dumps({**exported, "reference": "EC-P-51"}), encoding="utf-8")
    second = import_case_file_matched(wb, again)
    assert [m.matched_by for m in second.item_matches] == [
        MatchedBy.MANUFACTURER_MODEL,
        MatchedBy.MANUFACTURER_MODEL,
        MatchedBy.CASE_ONLY,
        MatchedBy.CASE_ONLY,
    ]
    assert all(m.note == "" for m in second.item_matches[:2])  # nothing the library had to replace
    assert get_case(wb, "EC-P-51").items == case.items
    assert json.loads(export_case_file(wb, "EC-P-51", None)) == {**exported, "reference": "EC-P-51"}


def test_an_item_matching_two_products_stays_case_only_and_names_them(wb: Workbench, tmp_path: Path) -> None:
    ps.add_product(wb, GPU)
    ps.add_product(wb, replace(GPU, part_number="H100-SXM5-80GB-B"))
    path = _write_case_file(tmp_path, [{"description": "GPU", "manufacturer": "NVIDIA", "model": "H100 SXM5"}])
    match = import_case_file_matched(wb, path).item_matches[0]
    assert match.matched_by is MatchedBy.CASE_ONLY
    assert "H100-SXM5-80GB, H100-SXM5-80GB-B" in match.note
    assert get_case(wb, "EC-P-50").items[0].product_id is None


def test_cases_using_a_product(wb: Workbench) -> None:
    ps.add_product(wb, HGX)
    _hgx_case(wb, "EC-P-60")
    _hgx_case(wb, "EC-P-61")
    determine(wb, "EC-P-61")
    using = pc.cases_using_product(wb, PART)
    assert [(u.reference, u.status, u.positions) for u in using] == [
        ("EC-P-60", CaseStatus.DRAFT, (1,)),
        ("EC-P-61", CaseStatus.DETERMINED, (1,)),
    ]
    assert [u.reference for u in pc.cases_using_product(wb, PART, open_only=True)] == ["EC-P-60"]
