"""Render README screenshots offscreen from a demo database (python tools/screenshot.py).

Writes ``docs/screenshots/main-window.png`` (the list with a case open),
``case-editor.png`` / ``case-editor-parties.png`` (the editor's items and parties tabs),
``screening-panel.png`` (hits with an explanation), ``checks-panel.png`` (a licence-required
demo case), ``determine-dialog.png`` (what will be signed), ``chips-panel.png`` (a case's chips
against 3A090), ``dashboard.png``, and ``products-view.png`` / ``parties-view.png`` (the library and
the register, filled by the two master imports). A small list cut from the shipped snapshot keeps
the run quick.
"""

from __future__ import annotations

import csv
import gzip
import io
import os
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication

from workbench import resources
from workbench.domain.case import Party, PartyRole
from workbench.services import Workbench, open_workbench
from workbench.services.cases import get_case, load_demo, save_case
from workbench.services.products import import_products
from workbench.services.register_import import import_parties
from workbench.services.register_import_screening import screen_imported
from workbench.services.screening import import_list
from workbench.ui import messages
from workbench.ui.dialogs.determine import DetermineDialog
from workbench.ui.mainwindow import MainWindow
from workbench.ui.ops import Op

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots"
DEMO_CASE = "EC-2026-0042"
SCREENING_CASE = "EC-2026-0049"
CHECKS_CASE = "EC-2026-0044"
CHIPS_CASE = "EC-2026-0045"
KEEP = ("Harbin Institute of Technology", "Huawei Technologies Co., Ltd.")


def _small_list(folder: Path) -> Path:
    """Every 50th snapshot row plus the entities the demo cases name, as a CSL CSV."""
    raw = gzip.decompress(resources.read_bytes("lists/consolidated-2026-07-31.csv.gz")).decode("utf-8")
    reader = csv.DictReader(io.StringIO(raw))
    rows = [r for i, r in enumerate(reader) if i % 50 == 0 or r["name"] in KEEP]
    path = folder / "csl-2026-07-31-excerpt.csv"
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(reader.fieldnames or []), quoting=csv.QUOTE_ALL)
        writer.writeheader()
        writer.writerows(rows)
    return path


def _wait(app: QApplication, op: Op[object] | None) -> None:
    assert op is not None
    while op.outcome in {"pending", "running"}:
        app.processEvents()
    assert op.outcome == "succeeded", op.outcome


def _panels(app: QApplication, window: MainWindow, wb: Workbench) -> None:
    """Screening panel with a misspelt party's hit, the checks of a licence-required case, the determine dialog."""
    case = get_case(wb, SCREENING_CASE)
    extra = Party(role=PartyRole.INTERMEDIATE_CONSIGNEE, name="Harbin Inst. of Technolgy", country="CN")
    save_case(wb, replace(case, parties=(*case.parties, extra)))
    editor = window.open_case(SCREENING_CASE)
    assert editor is not None
    screening = window.panels_for(editor).screening
    editor.tabs.setCurrentWidget(screening)
    _wait(app, screening.rescreen())
    screening.table.selectRow(screening.model.rowCount() - 1)
    app.processEvents()
    editor.grab().save(str(OUT / "screening-panel.png"))

    editor = window.open_case(CHECKS_CASE)
    assert editor is not None
    checks = window.panels_for(editor).checks
    editor.tabs.setCurrentWidget(checks)
    _wait(app, checks.op)
    app.processEvents()
    editor.grab().save(str(OUT / "checks-panel.png"))

    dialog = DetermineDialog(window, wb, CHECKS_CASE)
    _wait(app, dialog.prepare())
    dialog.key_path.setText("/home/a.officer/keys/a-officer.key")
    dialog.out_path.setText(f"/home/a.officer/determinations/{CHECKS_CASE}-r1.xlsx")
    dialog.show()
    app.processEvents()
    dialog.grab().save(str(OUT / "determine-dialog.png"))
    dialog.close()

    editor = window.open_case(CHIPS_CASE)
    assert editor is not None
    chips = window.panels_for(editor).chips
    editor.tabs.setCurrentWidget(chips)
    app.processEvents()
    editor.grab().save(str(OUT / "chips-panel.png"))

    window.cases.table.selectRow(0)
    dashboard = window.show_dashboard()
    _wait(app, dashboard.hits_op)
    app.processEvents()
    window.grab().save(str(OUT / "dashboard.png"))


SHOTS = (
    "main-window.png",
    "case-editor.png",
    "case-editor-parties.png",
    "screening-panel.png",
    "checks-panel.png",
    "determine-dialog.png",
    "chips-panel.png",
    "dashboard.png",
    "products-view.png",
    "parties-view.png",
)

_PRODUCTS = """part_number,description,manufacturer,model,eccn,tpp,performance_density,datacenter,country_of_origin
935-24287-0000-000,HGX H100 SXM5 8-GPU board,NVIDIA,HGX H100 8-GPU,4A090.a,15832,19.4,yes,TW
900-2G133-0010-000,L40S PCIe accelerator,NVIDIA,L40S,3A090.a,5945,9.8,yes,TW
100-300000075,Instinct MI300X accelerator,AMD,MI300X,3A090.a,20915,27.5,yes,TW
GW-4090,GeForce RTX 4090 card,NVIDIA,RTX 4090,EAR99,5285,8.7,no,TW
SRV-2U-8G,2U GPU server (8 x L40S),Example Systems,ES-2U8,,5945,9.8,yes,US
"""
_PARTIES = """name,country,address_lines,city
Huawei Technologies Co. Ltd,CN,Bantian,Shenzhen
Nusantara Cloud Sdn Bhd,MY,Jalan Ampang 12,Kuala Lumpur
Rhein Compute GmbH,DE,Mainzer Landstrasse 50,Frankfurt
Harbin Institute of Technology,CN,92 West Dazhi Street,Harbin
Saigon Systems Integration JSC,VN,12 Nguyen Hue,Ho Chi Minh City
"""


def _library_and_register(app: QApplication, window: MainWindow, wb: Workbench, folder: Path) -> None:
    """A few products and register parties, imported as an officer would, for the two views."""
    (folder / "products.csv").write_text(_PRODUCTS, encoding="utf-8")
    import_products(wb, folder / "products.csv")
    (folder / "parties.csv").write_text(_PARTIES, encoding="utf-8")
    screen_imported(wb, import_parties(wb, folder / "parties.csv"))
    window.show_products()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.05)
    window.grab().save(str(OUT / "products-view.png"))
    window.show_parties()
    for _ in range(20):
        app.processEvents()
        time.sleep(0.05)
    window.grab().save(str(OUT / "parties-view.png"))


def main() -> None:
    app = QApplication([])
    messages.install(messages.RecordingSink(default_answer=False))  # no modal question may block
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = tmp  # drafts and settings stay out of the user's folder
        wb = open_workbench(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", officer="A. Officer")
        import_list(wb, _small_list(Path(tmp)), label="CSL 2026-07-31 (excerpt)", rescreen=False)
        load_demo(wb)
        window = MainWindow(wb, QSettings(str(Path(tmp) / "ui.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 900)
        window.show()
        editor = window.open_case(DEMO_CASE)
        assert editor is not None
        window.splitter.setSizes([300, 600])
        row = next(r for r in range(window.model.rowCount()) if window.model.reference_at(r) == DEMO_CASE)
        window.table.selectRow(row)
        app.processEvents()
        OUT.mkdir(parents=True, exist_ok=True)
        window.grab().save(str(OUT / "main-window.png"))
        editor.tabs.setCurrentWidget(editor.items_page)
        app.processEvents()
        editor.grab().save(str(OUT / "case-editor.png"))
        editor.tabs.setCurrentWidget(editor.parties_page)
        app.processEvents()
        editor.grab().save(str(OUT / "case-editor-parties.png"))
        _panels(app, window, wb)
        _library_and_register(app, window, wb, Path(tmp))
        window.close()
        wb.close()
    for name in SHOTS:
        print(f"wrote {OUT / name}")
    app.shutdown()  # destroy the Qt objects now, not during interpreter finalisation


if __name__ == "__main__":
    main()
