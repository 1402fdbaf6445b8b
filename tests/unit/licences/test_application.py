"""BIS-748P field mapping per block, missing-field reporting, the Excel/JSON writers, NAC and BIS-711."""

from __future__ import annotations

import io
import json
from dataclasses import replace
from datetime import date
from decimal import Decimal
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook

from tests.unit.licences._fixtures import demo, two_item_case, with_purchaser
from workbench.domain.case import Case, DocumentKind, DocumentRecord, Item, Party, PartyRole
from workbench.domain.errors import ValidationError
from workbench.export.application import (
    FORMAT,
    NacNotEligibleError,
    application_to_json,
    application_workbook,
    build_application,
    nac_notification,
    nac_to_json,
    write_application_xlsx,
)
from workbench.export.bis711 import ASSURANCES, render_bis711
from workbench.rules.engine import evaluate
from workbench.services.cases import demo_cases

DAY = date(2026, 8, 1)


def _draft(case: Case, contact: str = "Jane Officer"):  # type: ignore[no-untyped-def]
    return build_application(case, evaluate(case), prepared_on=DAY, contact=contact)


def test_blocks_of_ec_2026_0044_are_filled_from_the_case() -> None:
    d = _draft(demo("EC-2026-0044"))
    assert d.value("1", "Name") == "Jane Officer"
    assert d.value("4", "Date") == "2026-08-01"
    assert d.value("5", "Type") == "Export"
    assert d.value("14", "Name") == "Acme Compute Systems Inc."
    assert d.value("14", "Address") == "100 Innovation Way, San Jose, CA 95134"
    assert d.value("14", "Country") == "US (United States)"
    assert d.value("18", "Name") == d.value("19", "Name") == "Nusantara Cloud Sdn Bhd"
    assert d.value("18", "Country") == "MY (Malaysia)"
    assert d.value("21", "Description").startswith("Large language model training for the parent group")
    assert "AI model training" in d.value("21", "Description") and "IaaS" in d.value("21", "Description")
    assert d.value("22", "(a) ECCN", item=1) == "4A090.a"
    assert d.value("22", "(b) CTP/APP/TPP", item=1) == "TPP 15832; PD 19.4"
    assert d.value("22", "(c) Model number", item=1) == "HGX H100 SXM5 8-GPU"
    assert d.value("22", "(e) Quantity", item=1) == "64"
    assert d.value("22", "(f) Units", item=1) == "ea"
    assert d.value("22", "(g) Unit price", item=1) == "250000.00"
    assert d.value("22", "(h) Total price", item=1) == "16000000.00 USD"
    assert d.value("22", "(i) Manufacturer", item=1) == "NVIDIA"
    tech = d.value("22", "(j) Technical description", item=1)
    assert "TPP" in tech and "Performance Density (PD) 19.4" in tech and "datacenters" in tech
    assert d.value("23", "Total") == "16000000.00 USD"
    info = d.value("24", "Text")
    assert "adv-computing.headquarters" in info and "headquartered in China" in info
    assert d.value("25", "Name") == "Jane Officer"


def test_missing_fields_are_listed_once_per_field() -> None:
    d = _draft(demo("EC-2026-0044"), contact="")
    missing = {(m.block, m.field) for m in d.missing}
    assert missing == {
        ("Block 1", "Name"),
        ("Block 2", "Telephone"),
        ("Block 14", "Employer ID number"),
        ("Block 16", "Name"),
        ("Block 25", "Name"),
        ("Block 25", "Title"),
    }
    assert "ultimate consignee buys" in next(m.why for m in d.missing if m.block == "Block 16")


def test_a_purchaser_on_the_case_fills_block_16() -> None:
    d = _draft(with_purchaser(demo("EC-2026-0044"), "Reseller Pte Ltd"))
    assert d.value("16", "Name") == "Reseller Pte Ltd"
    assert [m.field for m in d.missing if m.block == "Block 16"] == ["Address"]  # the case has no address for it


@pytest.mark.parametrize(
    ("reference", "expected"),
    [
        ("EC-2026-0045", {("Block 19", "Name")}),
        ("EC-2026-0046", {("Block 20", "Name"), ("Block 22 (item 1)", "(a) ECCN"), ("Block 19", "Name")}),
        ("EC-2025-0107", {("Block 22 (item 1)", "(b) CTP/APP/TPP")}),
        ("EC-2026-0049", {("Block 18", "Name")}),
    ],
)
def test_case_specific_gaps_are_reported(reference: str, expected: set[tuple[str, str]]) -> None:
    missing = {(m.block, m.field) for m in _draft(demo(reference)).missing}
    assert expected <= missing


def test_every_demo_case_drafts_and_round_trips_to_json() -> None:
    for case in demo_cases():
        d = _draft(case)
        data = json.loads(json.dumps(application_to_json(d)))
        assert data["format"] == FORMAT and data["case"] == case.reference
        assert len(data["missing"]) == len(d.missing)
        assert [b["block"] for b in data["blocks"]][:5] == ["1", "2", "3", "4", "5"]


def test_several_items_and_documents() -> None:
    case = two_item_case()
    d = _draft(case)
    assert d.value("22", "(a) ECCN", item=2) == "5A992.c"
    assert d.value("22", "(b) CTP/APP/TPP", item=2) == ""  # not an advanced IC: not required
    assert "BIS-748P-A" in d.value("6", "Documents")
    assert d.value("23", "Total") == "16120000.00 USD"


def test_other_currencies_ask_for_conversion() -> None:
    case = demo("EC-2026-0044")
    case = replace(case, items=(replace(case.items[0], currency="EUR"),))
    d = _draft(case)
    assert d.value("23", "Total") == ""
    assert "EUR" in next(m.why for m in d.missing if m.block == "Block 23")


def test_workbook_is_laid_out_by_block_and_never_holds_formulas(tmp_path: Path) -> None:
    case = demo("EC-2026-0044")
    hostile = replace(case.parties[1], name='=HYPERLINK("http://x","y")')
    case = replace(case, parties=(case.parties[0], hostile, case.parties[2]), title="t")
    case = replace(case, end_use=replace(case.end_use, description="+cmd|' /C calc'!A0"))
    path = tmp_path / "draft.xlsx"
    write_application_xlsx(_draft(case), path)
    wb = load_workbook(path)
    assert wb.sheetnames == ["BIS-748P", "Missing", "Items (Block 22)"]
    ws = wb["BIS-748P"]
    rows = [tuple(c.value for c in r) for r in ws.iter_rows(min_row=1)]
    assert rows[0] == ("Block", "Field", "Value", "Status", "Note")
    assert ("Block 18: Ultimate consignee", None, None, None, None) in rows
    cells = [c for r in ws.iter_rows() for c in r if isinstance(c.value, str) and c.value[:1] in "=+-@"]
    assert hostile.name in {c.value for c in cells}
    assert any(str(c.value).startswith("+cmd|") for c in cells)
    assert all(c.data_type == "s" for c in cells)
    missing = [tuple(c.value for c in r) for r in wb["Missing"].iter_rows(min_row=2)]
    assert ("Block 2", "Telephone", "the applicant's telephone is not kept on cases") in missing
    items = list(wb["Items (Block 22)"].iter_rows(values_only=True))
    assert items[1][:2] == ("1", "4A090.a")


def test_workbook_bytes_load() -> None:
    data = application_workbook(_draft(demo("EC-2026-0043")))
    assert load_workbook(io.BytesIO(data))["BIS-748P"]["A1"].value == "Block"


def _nac_case() -> Case:
    case = demo("EC-2026-0044")
    card = Item(
        description="PCIe accelerator",
        eccn="4A090.b",
        manufacturer="Example",
        model="L40",
        quantity=Decimal(8),
        unit_value=Decimal(9000),
        tpp=4800,
        performance_density=5.0,
    )
    return replace(case, items=(card,))


def test_nac_draft_for_an_eligible_case() -> None:
    case = _nac_case()
    draft = nac_notification(case, evaluate(case), prepared_on=DAY)
    data = nac_to_json(draft)
    assert data["license_exception"] == "NAC" and data["ultimate_consignee"]["name"] == "Nusantara Cloud Sdn Bhd"
    assert data["items"][0]["tpp"] == 4800 and data["items"][0]["performance_density"] == 5.0
    assert data["items"][0]["total_value"] == "72000.00"


def test_nac_refuses_datacenter_boards_too_many_items_and_missing_figures() -> None:
    case = demo("EC-2026-0044")
    with pytest.raises(NacNotEligibleError, match="no item of the case is eligible"):
        nac_notification(case, evaluate(case), prepared_on=DAY)
    seven = replace(_nac_case(), items=_nac_case().items * 7)
    with pytest.raises(NacNotEligibleError, match="at most 6"):
        nac_notification(seven, evaluate(seven), prepared_on=DAY)
    two = replace(
        _nac_case(),
        parties=(*_nac_case().parties, Party(PartyRole.ULTIMATE_CONSIGNEE, "Second Sdn Bhd", "MY")),
    )
    with pytest.raises(NacNotEligibleError, match="exactly one ultimate consignee"):
        nac_notification(two, evaluate(two), prepared_on=DAY)


def test_bis711_is_prefilled_with_parties_items_and_assurances() -> None:
    case = with_purchaser(demo("EC-2026-0044"), "Reseller Pte Ltd")
    document = docx.Document(io.BytesIO(render_bis711(case, prepared_on=DAY, scope="multiple")))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "Nusantara Cloud Sdn Bhd, Jalan Teknologi 5" in text and "Purchaser: Reseller Pte Ltd" in text
    assert "☒ Multiple" in text and "☐ Single" in text and "four years" in text
    assert "Large language model training for the parent group." in text
    for assurance in ASSURANCES:
        assert assurance in text
    table = [[c.text for c in r.cells] for r in document.tables[0].rows]
    assert table[1] == [
        "1",
        "8-GPU HGX H100 baseboard (model HGX H100 SXM5 8-GPU)",
        "4A090.a",
        "64 ea",
        "16,000,000.00 USD",
    ]


def test_bis711_needs_an_ultimate_consignee() -> None:
    with pytest.raises(ValidationError, match="no ultimate consignee"):
        render_bis711(demo("EC-2026-0049"), prepared_on=DAY)


def test_documents_on_file_and_certificates_fill_blocks_6_7_and_13() -> None:
    case = demo("EC-2026-0044")
    docs = (
        DocumentRecord(DocumentKind.BIS_711, "bis711-signed.pdf", signed_date=date(2026, 7, 1)),
        DocumentRecord(DocumentKind.EUC, "euc.pdf", valid_until=date(2026, 7, 31)),
        DocumentRecord(DocumentKind.DATASHEET, "h100.pdf"),
    )
    d = _draft(replace(case, documents=docs))
    assert d.value("7", "Documents") == "BIS-711: bis711-signed.pdf; Import/End-user certificate: euc.pdf"
    assert "euc.pdf expired on 2026-07-31" in d.block("7").fields[0].note
    assert d.value("6", "Documents") == "Technical specifications"
    assert d.value("13", "Country") == "MY (Malaysia)"
    assert ("Block 13", "Number") in {(m.block, m.field) for m in d.missing}
