"""Lists ▸ Rule updates…: import a pack, add and withdraw an amendment, roll back — each off the GUI
thread, with the changes and the cases they move shown in the report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from tests.integration.test_rule_packs import _amendment, _pack, _three_changes
from workbench.export.keys import public_key_pem
from workbench.services import Workbench
from workbench.services import rules as service
from workbench.ui import messages
from workbench.ui.dialogs.rules import RuleUpdatesDialog
from workbench.ui.mainwindow import MainWindow

from .conftest import wait_op

pytestmark = pytest.mark.gui


def test_the_officer_imports_a_pack_sees_what_moves_and_rolls_back(
    qtbot: QtBot, listed_wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "k.pub.pem"
    pem.write_bytes(public_key_pem(key.public_key(), "Publisher"))
    service.trust_publisher(listed_wb, pem)
    dialog = RuleUpdatesDialog(None, listed_wb)
    qtbot.addWidget(dialog)
    assert dialog.versions.rowCount() == 1
    with qtbot.waitSignal(dialog.rules_changed, timeout=20000):
        op = dialog.import_path(_pack(tmp_path, key, 2, _three_changes))
    wait_op(qtbot, op)
    assert dialog.versions.rowCount() == 2
    assert dialog.versions.text(1, 0) == "Active"
    report = dialog.report.toPlainText()
    assert "(VN) removed from Country Group D:1" in report
    assert "EC-2026-0045: outcome license_required → nlr" in report
    assert dialog.save_button.isEnabled()
    # Roll back through the table selection and the activate action (reason asked in a dialog: bypassed).
    wait_op(qtbot, dialog.activate(1, "pack withdrawn by its publisher"))
    assert dialog.versions.text(0, 0) == "Active"
    assert "EC-2026-0045: outcome nlr → license_required" in dialog.report.toPlainText()


def test_an_amendment_is_added_listed_and_withdrawn(
    qtbot: QtBot, listed_wb: Workbench, tmp_path: Path, recorder: messages.RecordingSink
) -> None:
    dialog = RuleUpdatesDialog(None, listed_wb)
    qtbot.addWidget(dialog)
    wait_op(qtbot, dialog.amend_path(_amendment(tmp_path, "2026-08-01")))
    assert dialog.amendments.rowCount() == 1
    assert dialog.amendments.text(0, 0) == "vn-leaves-d1"
    assert "EC-2026-0045" in dialog.report.toPlainText()
    wait_op(qtbot, dialog.withdraw("vn-leaves-d1", "our reading was wrong"))
    assert dialog.amendments.rowCount() == 0
    # A broken amendment is refused with its JSON path and nothing is recorded.
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"format": "workbench-amendment/1", "id": "Bad Id"}))
    wait_op(qtbot, dialog.amend_path(bad), "failed")
    assert any("$.id" in t or "$.kind" in t for t in recorder.texts(messages.Level.ERROR))
    assert service.amendments(listed_wb) == []


def test_the_lists_menu_opens_rule_updates(qtbot: QtBot, window: MainWindow) -> None:
    dialog = window.show_rule_updates()
    qtbot.addWidget(dialog)
    assert dialog.isVisible()
    assert dialog.versions.rowCount() == 1
