"""The screening inbox: unresolved hits across the register, highest score first, triaged from the
keyboard (F or T, a reason, and on to the next), filtered by list, country and age."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from tests.ui.conftest import write_list
from workbench.domain.register import Address, RegisterParty
from workbench.services import Workbench
from workbench.services import register_screening as party_screening
from workbench.services.register_watch import rescreen_register
from workbench.services.screening import import_list
from workbench.ui.dialogs.reason import ReasonDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.views.inbox import HEADERS, ScreeningInboxView

LISTED_ADDRESS = "Room 1802, 18/F, 31 Jinrong Street, Xicheng District, Beijing, 100033, CN"


@pytest.fixture
def inbox_wb(wb: Workbench, tmp_path: Path, small_list_rows: tuple[list[str], list[dict[str, str]]]) -> Workbench:
    fields, rows = small_list_rows
    extra = {
        **{k: "" for k in fields},
        "_id": "addr-1",
        "source": "Entity List (EL) - Bureau of Industry and Security",
        "type": "Entity",
        "name": "Pinnacle Optoelectronic Research Institute",
        "addresses": LISTED_ADDRESS,
    }
    import_list(wb, write_list(tmp_path / "list.csv", fields, [*rows, extra]), rescreen=False)
    with wb.uow() as uow:
        uow.register.add(RegisterParty("Huawei Technologies Co., Ltd.", "CN"))
        uow.register.add(
            RegisterParty(
                "Harbour Light Trading Ltd",
                "CN",
                addresses=(Address("CN", ("Room 1802, 31 Jinrong Street", "Xicheng District"), "Beijing"),),
            )
        )
        uow.register.add(RegisterParty("Quiet Meadow Bakery Ltd", "IE"))
        uow.register.add(RegisterParty("Harbin Institute of Technology", "CN"))
        uow.commit()
    rescreen_register(wb, workers=1)
    return wb


@pytest.fixture
def inbox(qtbot: QtBot, inbox_wb: Workbench, settings: object) -> ScreeningInboxView:
    window = MainWindow(inbox_wb, settings)  # type: ignore[arg-type]
    qtbot.addWidget(window)
    window.show()
    window.commands.inbox.trigger()
    view = window.register_tabs.inbox
    assert view is not None and window.editors.currentWidget() is view
    return view


def _column(view: ScreeningInboxView, header: str) -> list[str]:
    col = HEADERS.index(header)
    return [view.model.text(r, col) for r in range(view.model.rowCount())]


def _answer_reason(qtbot: QtBot, text: str) -> None:
    """Type ``text`` into the reason dialog when it opens, and press Enter."""

    def fill() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, ReasonDialog):
            QTimer.singleShot(20, fill)
            return
        qtbot.keyClicks(dialog.reason, text)
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)

    QTimer.singleShot(0, fill)


def test_the_inbox_lists_every_open_hit_highest_score_first(inbox: ScreeningInboxView) -> None:
    scores = [float(s) for s in _column(inbox, "Score")]
    assert scores and scores == sorted(scores, reverse=True)
    assert {p.split(" (party")[0] for p in _column(inbox, "Party")} == {
        "Huawei Technologies Co., Ltd.",
        "Harbour Light Trading Ltd",
        "Harbin Institute of Technology",
    }
    assert inbox.count_label.text() == f"{len(scores)} unresolved hits"
    row = _column(inbox, "Entry").index("Pinnacle Optoelectronic Research Institute (addr-1)")
    assert _column(inbox, "Match")[row] == "address"
    inbox.table.selectRow(row)
    assert "Address match" in inbox.explanation.toPlainText()
    assert "31 Jinrong Street" in inbox.explanation.toPlainText()


def test_keyboard_triage_decides_with_a_reason_and_moves_to_the_next(
    qtbot: QtBot, inbox: ScreeningInboxView, inbox_wb: Workbench
) -> None:
    before = inbox.model.rowCount()
    assert before >= 3
    inbox.table.setFocus()
    inbox.table.selectRow(0)
    second = inbox.model.key_at(1)
    first = inbox.current_row()
    assert first is not None
    _answer_reason(qtbot, "different company, other registration number")
    qtbot.keyClick(inbox.table, Qt.Key.Key_F)
    assert inbox.model.rowCount() == before - 1
    assert inbox.model.key_at(inbox.table.currentIndex().row()) == second, "the next hit is selected"
    _, hits, _ = party_screening.party_hits(inbox_wb, first.hit.party_id)
    [decided] = [h for h in hits if h.entry_id == first.hit.entry_id]
    assert decided.disposition is not None and decided.disposition.reason.startswith("different company")
    qtbot.keyClick(inbox.table, Qt.Key.Key_N)
    assert inbox.table.currentIndex().row() == 1
    # Cancelling the reason records nothing.
    QTimer.singleShot(0, lambda: QApplication.activeModalWidget().reject())  # type: ignore[union-attr]
    qtbot.keyClick(inbox.table, Qt.Key.Key_T)
    assert inbox.model.rowCount() == before - 1


def test_a_reason_too_short_is_said_in_the_dialog(qtbot: QtBot, inbox: ScreeningInboxView) -> None:
    seen: list[str] = []

    def short_then_cancel() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, ReasonDialog)
        qtbot.keyClicks(dialog.reason, "no")
        qtbot.keyClick(dialog.reason, Qt.Key.Key_Return)
        seen.append(dialog.message.text())
        dialog.reject()

    before = inbox.model.rowCount()
    QTimer.singleShot(0, short_then_cancel)
    assert not inbox.decide(party_screening.DispositionDecision.TRUE_MATCH)
    assert seen and "at least 5 characters" in seen[0]
    assert inbox.model.rowCount() == before


def test_filters_by_list_country_and_age(qtbot: QtBot, inbox: ScreeningInboxView) -> None:
    everything = inbox.model.rowCount()
    inbox.list_filter.setCurrentIndex(inbox.list_filter.findData("EL"))
    assert set(_column(inbox, "List")) == {"EL"} and inbox.model.rowCount() <= everything
    inbox.list_filter.setCurrentIndex(0)
    inbox.country_filter.set_code("IE")
    assert inbox.model.rowCount() == 0
    assert "No unresolved hits" in inbox.explanation.toPlainText()
    assert not inbox.true_match.isEnabled()
    inbox.country_filter.set_code("CN")
    assert inbox.model.rowCount() == everything
    inbox.age_filter.setCurrentIndex(2)  # waiting more than 7 days: all were found just now
    assert inbox.model.rowCount() == 0
    inbox.age_filter.setCurrentIndex(1)
    assert inbox.model.rowCount() == everything
