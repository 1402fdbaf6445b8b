"""The Parties view and the party editor, driven as an officer would: search as you type, filters,
lazy paging, and the editor's names, ownership both ways, screening, cases, history and saving."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, QSettings, Qt
from PySide6.QtWidgets import QApplication, QTableWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import update

from workbench.domain.case import Case, CaseStatus, Item, Party, PartyRole
from workbench.domain.ownership import Stake
from workbench.domain.register import Address, KycStatus, NameKind, OtherName, RegisterParty
from workbench.domain.register_screening import PartyScreeningStatus
from workbench.services import Workbench
from workbench.services import register as registry
from workbench.services.cases import create_case
from workbench.services.register_watch import rescreen_register
from workbench.services.screening import import_list
from workbench.store.orm import CaseRow, PartyRow
from workbench.ui.dialogs.party import PartyEditor
from workbench.ui.mainwindow import MainWindow
from workbench.ui.views.parties import PAGE_SIZE, SEARCH_DELAY_MS, PartiesView

FILLER = 450


@pytest.fixture
def register_wb(wb: Workbench, small_list: Path) -> Workbench:
    import_list(wb, small_list, rescreen=False)
    with wb.uow() as uow:
        huawei = uow.register.add(
            RegisterParty(
                "Huawei Technologies Co., Ltd.",
                "CN",
                other_names=(OtherName(NameKind.OWN_SCRIPT, "华为技术有限公司"),),
                addresses=(Address("CN", ("Bantian",), "Shenzhen"),),
            )
        )
        owner_a = uow.register.add(RegisterParty("Harbour Holdings AG", "CH"))
        owner_b = uow.register.add(RegisterParty("Lakeside Capital AB", "SE"))
        for i in range(FILLER):
            uow.register.add(RegisterParty(f"Filler Trading {i:03d} GmbH", "DE"))
        assert huawei.id and owner_a.id and owner_b.id
        uow.register.record_stake(Stake(owner_a.id, huawei.id, Decimal("60"), date(2026, 1, 1), note="filing"))
        uow.register.record_stake(Stake(owner_b.id, huawei.id, Decimal("50"), date(2026, 1, 1), note="filing"))
        uow.commit()
    rescreen_register(wb, workers=1)
    create_case(
        wb,
        Case(
            reference="EC-P-1",
            title="Servers for Shenzhen",
            transaction_date=date(2026, 3, 1),
            export_from="US",
            destination="CN",
            status=CaseStatus.DRAFT,
            parties=(Party(PartyRole.END_USER, "Huawei Technologies Co., Ltd.", "CN"),),
            items=(Item("Server", eccn="5A992.c", quantity=1, unit_value=10),),
        ),
    )
    with wb.uow() as uow:  # the case editor's party picker links case parties to the register
        case_id = uow.session.scalar(
            CaseRow.__table__.select().with_only_columns(CaseRow.id).where(CaseRow.reference == "EC-P-1")
        )
        uow.session.execute(update(PartyRow).where(PartyRow.case_id == case_id).values(register_id=huawei.id))
        uow.commit()
    return wb


@pytest.fixture
def parties(qtbot: QtBot, register_wb: Workbench, settings: QSettings) -> PartiesView:
    window = MainWindow(register_wb, settings)
    qtbot.addWidget(window)
    window.show()
    window.commands.parties.trigger()
    view = window.register_tabs.parties
    assert view is not None and window.editors.currentWidget() is view
    return view


def _names(view: PartiesView) -> list[str]:
    return [view.model.index(r, 0).data() for r in range(view.model.rowCount())]


def _type(qtbot: QtBot, view: PartiesView, text: str) -> None:
    view.search.clear()
    qtbot.keyClicks(view.search, text)
    qtbot.wait(SEARCH_DELAY_MS + 50)


def test_the_register_opens_lazily_and_pages_as_it_scrolls(qtbot: QtBot, parties: PartiesView) -> None:
    total = FILLER + 3
    assert parties.count_label.text() == f"{total} parties"
    assert parties.model.rowCount() == PAGE_SIZE and parties.model.canFetchMore()
    parties.table.scrollToBottom()
    qtbot.waitUntil(lambda: parties.model.rowCount() > PAGE_SIZE, timeout=5000)
    while parties.model.canFetchMore():
        parties.model.fetchMore()
    assert parties.model.rowCount() == total
    assert _names(parties) == sorted(_names(parties), key=str.casefold)


def test_search_as_you_type_and_the_filters(qtbot: QtBot, parties: PartiesView) -> None:
    _type(qtbot, parties, "hua")
    assert _names(parties) == ["Huawei Technologies Co., Ltd."]
    parties.search.setText("华为")  # the name in its own script (pasted: the test keyboard types Latin)
    qtbot.wait(SEARCH_DELAY_MS + 50)
    assert _names(parties) == ["Huawei Technologies Co., Ltd."]
    _type(qtbot, parties, "filler 04")
    assert len(_names(parties)) == 15 and parties.count_label.text() == "15 parties"  # 004, 040-049, 104…404
    _type(qtbot, parties, "")
    parties.status_filter.setCurrentIndex(parties.status_filter.findData(PartyScreeningStatus.UNRESOLVED.value))
    assert _names(parties) == ["Huawei Technologies Co., Ltd."]
    assert parties.model.index(0, 4).data() == "Unresolved hits"
    parties.status_filter.setCurrentIndex(0)
    parties.country_filter.set_code("SE")
    assert _names(parties) == ["Lakeside Capital AB"]
    parties.country_filter.set_code("")
    parties.kyc_filter.setCurrentIndex(parties.kyc_filter.findData(KycStatus.APPROVED.value))
    assert _names(parties) == [] and parties.count_label.text() == "0 parties"


def _open(qtbot: QtBot, parties: PartiesView, name: str) -> PartyEditor:
    _type(qtbot, parties, name)
    index = parties.model.index(0, 0)
    parties.table.setCurrentIndex(index)
    qtbot.keyClick(parties.table, Qt.Key.Key_Return)
    editor = next(w for w in QApplication.topLevelWidgets() if isinstance(w, PartyEditor) and w.isVisible())
    qtbot.addWidget(editor)
    return editor


def test_the_editor_shows_ownership_screening_cases_and_history(qtbot: QtBot, parties: PartiesView) -> None:
    editor = _open(qtbot, parties, "huawei")
    assert editor.name.text() == "Huawei Technologies Co., Ltd."
    assert editor.names.item(0, 1).text() == "华为技术有限公司"
    top = editor.owners_tree.topLevelItem(0)
    assert top is not None and top.text(0).startswith("Huawei Technologies")
    owners = {top.child(i).text(0).split(" (party")[0]: top.child(i).text(1) for i in range(top.childCount())}
    assert owners == {"Harbour Holdings AG": "60 %", "Lakeside Capital AB": "50 %"}
    assert not editor.ownership_warning.isHidden() and "110" in editor.ownership_warning.text()
    assert editor.hits.count() >= 1 and "[unresolved]" in editor.hits.item(0).text()
    assert "Score" in editor.hit_explanation.toPlainText()
    assert editor.cases.item(0).text() == "EC-P-1: Servers for Shenzhen (draft)"
    actions = {editor.history.item(r, 2).text() for r in range(editor.history.rowCount())}
    assert {"create", "ownership", "screen"} <= actions
    editor.close()
    owner = _open(qtbot, parties, "harbour holdings")
    held = owner.owned_tree.topLevelItem(0)
    assert held is not None and held.child(0).text(0).startswith("Huawei") and held.child(0).text(1) == "60 %"


def test_saving_an_edit_and_a_bad_value_said_in_the_dialog(
    qtbot: QtBot, parties: PartiesView, register_wb: Workbench
) -> None:
    editor = _open(qtbot, parties, "lakeside")
    row = editor.addresses.rowCount()
    editor.addresses.insertRow(row)
    for col, value in enumerate(("Strandvägen 7", "Stockholm", "XX")):
        editor.addresses.setItem(row, col, QTableWidgetItem(value))
    assert not editor.save()
    assert editor.error.isVisibleTo(editor) and "country" in editor.error.text().lower()
    assert registry.get_party(register_wb, 3).addresses == ()
    editor.addresses.item(row, 2).setText("SE")
    editor.name.setText("Lakeside Capital AB (publ)")
    assert editor.save()
    saved = registry.get_party(register_wb, 3)
    assert saved.name == "Lakeside Capital AB (publ)" and saved.addresses[0].city == "Stockholm"
    assert _names(parties) == ["Lakeside Capital AB (publ)"]


def test_an_euc_attached_in_the_editor_is_on_file_for_the_party(
    qtbot: QtBot, parties: PartiesView, register_wb: Workbench, tmp_path: Path
) -> None:
    from tests.helpers.pdfs import text_pdf, write
    from workbench.services.party_documents import party_documents
    from workbench.ui.dialogs.partydocs import PartyDocumentsTab

    editor = _open(qtbot, parties, "huawei")
    tab = editor.documents
    assert isinstance(tab, PartyDocumentsTab)
    assert tab.list.item(0).text() == "No document is on file for this party."
    tab.valid_until.setDate(QDate(2099, 12, 31))
    pdf = write(tmp_path / "euc.pdf", text_pdf("End-user certificate for Huawei Technologies Co., Ltd."))
    with qtbot.waitSignal(tab.attached, timeout=15000):
        tab.attach(pdf)
    assert tab.list.count() == 1
    line = tab.list.item(0).text()
    assert line.startswith("EUC · euc.pdf") and "2099-12-31" in line and "valid today" in line
    party_id = editor.details.party.id
    assert party_id is not None
    [record] = party_documents(register_wb, party_id)
    assert record.valid_until == date(2099, 12, 31)
    editor.close()
