"""Render the Applications & Licences screenshot offscreen from a demo database (python tools/screenshot_licences.py).

Records the demo licence D123456, ships part of it for EC-2026-0044 and writes
``docs/screenshots/licences.png``.
"""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PySide6.QtWidgets import QApplication

from workbench import resources
from workbench.domain.case import PartyRole
from workbench.domain.licences import Licence, LicenceItem, LicenceKind, LicenceParty
from workbench.services import open_workbench
from workbench.services.cases import load_demo
from workbench.services.licences import record_licence, record_licence_file, ship
from workbench.ui import messages
from workbench.ui.views.licences import LicencesView

OUT = Path(__file__).resolve().parent.parent / "docs" / "screenshots" / "licences.png"
DEMO_LICENCE = "demo/licences/d123456-ec-2026-0044.json"
DEMO_CASE = "EC-2026-0044"


def _other_licences() -> list[Licence]:
    """A licence close to expiry and a licence exception, so the table shows every state."""
    today = date.today()
    consignee = LicenceParty(PartyRole.ULTIMATE_CONSIGNEE, "Gulf Vision Analytics FZ-LLC", "AE")
    exporter = LicenceParty(PartyRole.APPLICANT, "Acme Compute Systems Inc.", "US")
    expiring = Licence(
        number="D118702",
        kind=LicenceKind.LICENCE,
        valid_from=today - timedelta(days=700),
        valid_until=today + timedelta(days=18),
        destination="AE",
        parties=(exporter, consignee),
        items=(LicenceItem(1, "3A090.a", "AI accelerator modules", Decimal(200), Decimal(5_000_000)),),
    )
    nac = Licence(
        number="NAC-2026-017",
        kind=LicenceKind.LICENCE_EXCEPTION,
        exception_symbol="NAC",
        valid_from=date(2026, 6, 1),
        valid_until=None,
        destination="SG",
        parties=(exporter, LicenceParty(PartyRole.END_USER, "Straits Render Farm Pte Ltd", "SG")),
        items=(LicenceItem(1, "4A090.b", "Inference servers, 8x L40S", Decimal(12)),),
    )
    return [expiring, nac]


def main() -> None:
    app = QApplication([])
    messages.install(messages.RecordingSink(default_answer=False))  # no modal question may block
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["WORKBENCH_DATA_DIR"] = tmp  # drafts and settings stay out of the user's folder
        wb = open_workbench(f"sqlite:///{Path(tmp) / 'demo.sqlite3'}", officer="A. Officer")
        load_demo(wb)
        licence = record_licence_file(wb, Path(str(resources.resource(DEMO_LICENCE))))
        for shipped_on, quantity, note in ((date(2026, 9, 2), 16, "AWB 176-0231 4410"), (date(2026, 10, 6), 24, "")):
            ship(
                wb,
                licence.number,
                DEMO_CASE,
                quantity=Decimal(quantity),
                value=Decimal(quantity * 250_000),
                shipped_on=shipped_on,
                note=note or "AWB 176-0231 5982",
            )
        for other in _other_licences():
            record_licence(wb, other)
        view = LicencesView(wb)
        view.setWindowTitle("Applications & Licences")
        view.resize(1280, 590)
        view.case_picker.setCurrentText(DEMO_CASE)
        view.select_licence(licence.number)
        view.show()
        view.splitter.setSizes([150, 380])
        view.detail_splitter.setSizes([100, 200])
        app.processEvents()
        OUT.parent.mkdir(parents=True, exist_ok=True)
        view.grab().save(str(OUT))
        view.close()
        wb.close()
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
