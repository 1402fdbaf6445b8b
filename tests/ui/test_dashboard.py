"""The dashboard counts the demo cases, the 3A090 chart places items in the right region, Preferences persist."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from PySide6.QtCore import QPointF, QRectF, QSettings, Qt
from PySide6.QtGui import QUndoCommand
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from workbench.domain.case import CaseStatus, Item
from workbench.services import Workbench
from workbench.services.cases import demo_cases
from workbench.services.reference import advanced_computing_thresholds, classify_figures
from workbench.services.screening import rescreen_open_cases
from workbench.ui.app import startup_choices
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.dialogs.preferences import PreferencesDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.settings import (
    DATABASE_URL,
    DEFAULT_KEY_PATH,
    EXPIRY_WARN_DAYS,
    OFFICER_NAME,
    OFFICER_TITLE,
    SCREENING_THRESHOLD,
    UiSettings,
)
from workbench.ui.views.dashboard import DashboardView, outcome_counts, status_counts
from workbench.ui.widgets.tppchart import (
    Axes,
    ChartPoint,
    TppChart,
    item_points,
    region_at,
    region_paths,
)

from .conftest import wait_op

pytestmark = pytest.mark.gui

AXES = Axes(QRectF(50, 10, 500, 400))


def test_status_and_outcome_counts_match_the_demo_cases(wb: Workbench) -> None:
    expected = Counter(c.status for c in demo_cases())
    counts = status_counts(wb)
    assert counts == {s: expected.get(s, 0) for s in CaseStatus}
    outcomes = outcome_counts(wb)
    assert sum(outcomes.values()) == len(demo_cases())
    assert outcomes["none"] == len(demo_cases())  # the demo has no determinations yet


def test_dashboard_tab_opens_counts_and_closes(qtbot: QtBot, listed_wb: Workbench, listed_window: MainWindow) -> None:
    rescreen_open_cases(listed_wb)
    view = listed_window.show_dashboard()
    assert listed_window.editors.currentWidget() is view
    drafts = view.status_model.row_of(CaseStatus.DRAFT.value)
    assert view.status_model.text(drafts, 1) == str(Counter(c.status for c in demo_cases())[CaseStatus.DRAFT])
    wait_op(qtbot, view.hits_op)
    assert view.hits_model.rowCount() > 0  # the small list names entities the demo parties match
    # Open items: what each open case's checks still need, the undecided hits among them.
    items = [(view.items_model.key_at(r), view.items_model.text(r, 1)) for r in range(view.items_model.rowCount())]
    assert any(ref == "EC-2026-0049" and "resolve the possible Entity List" in text for ref, text in items)
    assert "open item(s) in" in view.items_label.text()
    assert {view.hits_model.key_at(r) for r in range(view.hits_model.rowCount())} <= {
        c.reference for c in demo_cases() if c.status in (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
    }
    assert listed_window.show_dashboard() is view  # a second call brings the same tab forward
    wait_op(qtbot, view.hits_op)
    listed_window._close_tab(listed_window.editors.indexOf(view))
    assert listed_window.editors.indexOf(view) == -1
    assert listed_window.show_dashboard() is not view


def test_dashboard_charts_the_chosen_case(qtbot: QtBot, wb: Workbench) -> None:
    view = DashboardView(wb)
    qtbot.addWidget(view)
    view.reload("EC-2026-0042")
    wait_op(qtbot, view.hits_op)
    assert view.charted_reference == "EC-2026-0042"
    assert [p.tpp for p in view.chart.points] == [15832.0]


def test_thresholds_come_from_the_rule_data() -> None:
    regions = {r.paragraph: r for r in advanced_computing_thresholds()}
    assert set(regions) == {"a", "b"}
    assert {(b.tpp_min, b.pd_min) for b in regions["a"].bands} == {(4800, None), (1600, 5.92)}
    assert {(b.tpp_min, b.tpp_below, b.pd_min, b.pd_below) for b in regions["b"].bands} == {
        (2400, 4800, 1.6, 5.92),
        (1600, None, 3.2, 5.92),
    }


def test_an_h100_class_point_falls_in_the_3a090a_region() -> None:
    regions = advanced_computing_thresholds()
    h100 = AXES.point(19.4, 15832)
    assert AXES.plot.contains(h100)
    assert region_at(regions, h100, AXES) == "a"
    assert region_at(regions, AXES.point(4.0, 3000), AXES) == "b"
    assert region_at(regions, AXES.point(1.0, 1000), AXES) is None
    # Larger TPP is higher on screen, larger performance density further right.
    assert AXES.point(10, 10_000).y() < AXES.point(10, 5_000).y()
    assert AXES.point(10, 5_000).x() > AXES.point(5, 5_000).x()


def test_region_outlines_give_a_precedence_and_do_not_overlap() -> None:
    paths = region_paths(advanced_computing_thresholds(), AXES)
    assert set(paths) == {"a", "b"}
    # TPP 10,000 at PD 4 lies in a .b band too, but meets .a: only .a is shaded there.
    assert paths["a"].contains(AXES.point(4.0, 10_000)) and not paths["b"].contains(AXES.point(4.0, 10_000))
    assert paths["b"].contains(AXES.point(2.0, 3000)) and not paths["a"].contains(AXES.point(2.0, 3000))
    assert not paths["a"].contains(AXES.point(1.0, 1000)) and not paths["b"].contains(AXES.point(1.0, 1000))


@pytest.mark.parametrize(
    ("tpp", "pd", "paragraph"),
    [
        (15832, 19.4, "a"),
        (4800, 0.5, "a"),
        (4799, 1.0, None),
        (1600, 5.92, "a"),
        (1600, 5.91, "b"),
        (2400, 1.6, "b"),
        (2399, 2.0, None),
        (10_000, 4.0, "a"),
    ],
)
def test_the_chips_table_reads_the_thresholds_at_their_boundaries(tpp: float, pd: float, paragraph: str | None) -> None:
    item = Item(description="Accelerator board", tpp=tpp, performance_density=pd, datacenter=True)
    assert classify_figures(item).paragraph == paragraph


def test_the_chips_table_applies_the_datacenter_note(window: MainWindow) -> None:
    # Not designed for data centres and TPP below 4800: 3A090.a and .b do not apply, as in the checks.
    item = Item(description="Workstation card", tpp=3000.0, performance_density=2.0, datacenter=False)
    assert classify_figures(item).paragraph is None
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    chips = window.panels_for(editor).chips
    row = chips._row(1, item)
    assert row[-1][Qt.ItemDataRole.DisplayRole] == "outside 3A090.a and .b"
    assert "do not apply" in row[-1][Qt.ItemDataRole.ToolTipRole]


def test_the_log_axis_keeps_regions_and_pins_out_of_range_points() -> None:
    log = Axes(AXES.plot, log_scale=True)
    regions = advanced_computing_thresholds()
    assert region_at(regions, log.point(19.4, 15832), log) == "a"
    assert region_at(regions, log.point(4.0, 3000), log) == "b"
    assert log.point(40, 90_000) == QPointF(AXES.plot.right(), AXES.plot.top())


def test_item_points_skip_items_without_both_figures(qtbot: QtBot) -> None:
    case = next(c for c in demo_cases() if c.reference == "EC-2026-0042")
    points = item_points(case.items)
    assert [p.tpp for p in points] == [15832.0]
    chart = TppChart()
    qtbot.addWidget(chart)
    chart.resize(600, 400)
    chart.set_points([*points, ChartPoint("x", 2.0, 3000)])
    chart.grab()  # paints without error
    assert "TPP 15,832" in chart.toolTip()


def test_chips_panel_in_the_case_editor(window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    chips = window.panels_for(editor).chips
    editor.tabs.setCurrentWidget(chips)
    assert [p.pd for p in chips.chart.points] == [19.4]
    assert chips.model.text(0, chips.model.columnCount() - 1) == "meets 3A090.a"
    assert chips.model.text(0, 2) == "15,832"


def test_preferences_round_trip(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, window: MainWindow) -> None:
    def accept(self: PreferencesDialog) -> int:
        self.edits[OFFICER_NAME.key].setText("  Ada Lovelace ")
        self.edits[OFFICER_TITLE.key].setText("Export Control Officer")
        self.edits[DATABASE_URL.key].setText("sqlite:///elsewhere.sqlite3")
        self.spins[EXPIRY_WARN_DAYS.key].setValue(45)
        self.edits[DEFAULT_KEY_PATH.key].setText("/keys/officer.key")
        self.spins[SCREENING_THRESHOLD.key].setValue(90)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(PreferencesDialog, "exec", accept)
    monkeypatch.delenv("WORKBENCH_OFFICER", raising=False)
    window.edit_preferences()
    assert window.officer_label.text() == "Officer: Ada Lovelace (Export Control Officer)"
    assert window._wb.officer == "Ada Lovelace"  # changes from now on are recorded under this name
    assert window._wb.screening_threshold == 0.90
    window.settings.store.sync()
    again = UiSettings(QSettings(window.settings.store.fileName(), QSettings.Format.IniFormat))
    assert again.get(OFFICER_NAME) == "Ada Lovelace"
    assert again.get(EXPIRY_WARN_DAYS) == 45
    assert again.get(DEFAULT_KEY_PATH) == "/keys/officer.key"
    assert again.get(SCREENING_THRESHOLD) == 90
    assert again.get(DATABASE_URL) == "sqlite:///elsewhere.sqlite3"

    seen: list[str] = []

    def capture(self: DetermineDialog) -> int:
        seen.append(self.key_path.text())
        return QDialog.DialogCode.Rejected.value

    monkeypatch.setattr(DetermineDialog, "prepare", lambda self: None)
    monkeypatch.setattr(DetermineDialog, "exec", capture)
    assert window.open_case("EC-2026-0042") is not None
    assert window.determine_current() is None
    assert seen == ["/keys/officer.key"]  # the Determine dialog starts from the default key

    monkeypatch.delenv("WORKBENCH_DB", raising=False)
    monkeypatch.delenv("WORKBENCH_OFFICER", raising=False)
    assert startup_choices(None, again) == ("sqlite:///elsewhere.sqlite3", "Ada Lovelace")
    assert startup_choices("sqlite:///cli.sqlite3", again)[0] == "sqlite:///cli.sqlite3"
    monkeypatch.setenv("WORKBENCH_DB", "sqlite:///env.sqlite3")
    assert startup_choices(None, again)[0] is None  # open_workbench then reads the environment


def test_preferences_dialog_shows_defaults_for_new_settings(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(None, {})
    qtbot.addWidget(dialog)
    values = dialog.values()
    assert values[EXPIRY_WARN_DAYS.key] == EXPIRY_WARN_DAYS.default
    assert values[OFFICER_NAME.key] == ""


def test_closing_the_dashboard_while_hits_load_is_safe(qtbot: QtBot, listed_window: MainWindow) -> None:
    view = listed_window.show_dashboard()
    op = view.hits_op
    listed_window._close_tab(listed_window.editors.indexOf(view))
    assert op is not None
    qtbot.waitUntil(lambda: op.outcome not in {"pending", "running"}, timeout=15000)


def test_chips_panel_follows_unsaved_edits(window: MainWindow) -> None:
    editor = window.open_case("EC-2026-0042")
    assert editor is not None
    chips = window.panels_for(editor).chips
    editor.tabs.setCurrentWidget(chips)
    calls: list[int] = []
    chips.refresh = lambda: calls.append(1)  # type: ignore[method-assign]
    editor.undo_stack.push(QUndoCommand("nothing"))
    assert calls


def test_preferences_refuse_a_database_password(qtbot: QtBot) -> None:
    dialog = PreferencesDialog(None, {})
    qtbot.addWidget(dialog)
    dialog.edits[DATABASE_URL.key].setText("postgresql+psycopg://officer:s3cret@db.example/workbench")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted.value and "~/.pgpass" in dialog.db_note.text()
    dialog.edits[DATABASE_URL.key].setText("postgresql+psycopg://officer@db.example/workbench")
    dialog.accept()
    assert dialog.result() == QDialog.DialogCode.Accepted.value
