"""UI fixtures: a demo database, a main window, and a recording message sink (no modal dialogs)."""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QSettings
from pytestqt.qtbot import QtBot

from workbench import resources
from workbench.services import Workbench, open_workbench
from workbench.services.cases import load_demo
from workbench.services.screening import import_list
from workbench.ui import messages
from workbench.ui.mainwindow import MainWindow
from workbench.ui.ops import Op


@pytest.fixture(autouse=True)
def recorder() -> Iterator[messages.RecordingSink]:
    """Every message the officer would see; questions answer "no" unless a test queues answers."""
    sink = messages.RecordingSink(default_answer=False)
    previous = messages.install(sink)
    yield sink
    messages.install(previous)


@pytest.fixture
def wb(sqlite_url: str) -> Iterator[Workbench]:
    workbench = open_workbench(sqlite_url, officer="Test Officer")
    load_demo(workbench)
    yield workbench
    workbench.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "ui.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot: QtBot, wb: Workbench, settings: QSettings) -> MainWindow:
    win = MainWindow(wb, settings)
    qtbot.addWidget(win)
    win.show()
    return win


KEEP = ("Harbin Institute of Technology", "Huawei Technologies Co., Ltd.")


@pytest.fixture(scope="session")
def small_list_rows() -> tuple[list[str], list[dict[str, str]]]:
    """A few hundred real CSL rows (every 100th, plus the entities the demo cases name)."""
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    rows = [r for i, r in enumerate(reader) if i % 100 == 0 or r["name"] in KEEP]
    return list(reader.fieldnames or []), rows


def write_list(path: Path, fields: list[str], rows: list[dict[str, str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields, quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


@pytest.fixture
def small_list(tmp_path: Path, small_list_rows: tuple[list[str], list[dict[str, str]]]) -> Path:
    return write_list(tmp_path / "csl-small.csv", *small_list_rows)


@pytest.fixture
def listed_wb(wb: Workbench, small_list: Path) -> Workbench:
    """The demo database with the small list imported as the active version (no full snapshot import)."""
    import_list(wb, small_list, rescreen=False)
    return wb


@pytest.fixture
def listed_window(qtbot: QtBot, listed_wb: Workbench, settings: QSettings) -> MainWindow:
    win = MainWindow(listed_wb, settings)
    qtbot.addWidget(win)
    win.show()
    return win


def wait_op(qtbot: QtBot, op: Op[Any] | None, outcome: str = "succeeded") -> None:
    """Wait for a background operation to end, and check how it ended."""
    assert op is not None
    qtbot.waitUntil(lambda: op.outcome not in {"pending", "running"}, timeout=15000)
    assert op.outcome == outcome
