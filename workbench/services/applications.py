"""Use cases for licence applications: the BIS-748P draft, the BIS-711 statement and the NAC notification.

Every file is built in memory first and written atomically only when all of them could be
built, so a refused NAC notification leaves no half set of files behind.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from workbench.domain.determination import Posture
from workbench.export.application import (
    ApplicationDraft,
    NacDraft,
    application_to_json,
    application_workbook,
    build_application,
    nac_notification,
    nac_to_json,
)
from workbench.export.atomic import write_bytes_atomic
from workbench.export.bis711 import Scope, render_bis711
from workbench.rules.engine import evaluate
from workbench.services.bootstrap import Workbench
from workbench.services.cases import get_case


@dataclass(frozen=True, slots=True)
class DraftFiles:
    draft: ApplicationDraft
    nac: NacDraft | None
    written: tuple[Path, ...]


def draft_application(
    wb: Workbench, reference: str, *, prepared_on: date | None = None, posture: Posture = Posture.ENFORCED
) -> ApplicationDraft:
    """The BIS-748P blocks for a stored case (its determination as of the transaction date goes to Block 24)."""
    day = prepared_on or date.today()
    case = get_case(wb, reference)
    return build_application(
        case, evaluate(case, posture=posture), prepared_on=day, contact=wb.officer, signer_title=wb.officer_title
    )


def draft_nac(wb: Workbench, reference: str, *, prepared_on: date | None = None) -> NacDraft:
    """A NAC notification draft; ``NacNotEligibleError`` says why the case does not qualify."""
    day = prepared_on or date.today()
    case = get_case(wb, reference)
    return nac_notification(case, evaluate(case), prepared_on=day)


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def write_application_files(
    wb: Workbench,
    reference: str,
    *,
    xlsx: Path,
    json_path: Path | None = None,
    bis711: Path | None = None,
    nac: Path | None = None,
    prepared_on: date | None = None,
    bis711_scope: Scope = "single",
) -> DraftFiles:
    """Write the draft workbook and, when asked, its JSON, the BIS-711 statement and the NAC draft."""
    day = prepared_on or date.today()
    case = get_case(wb, reference)
    determination = evaluate(case)
    draft = build_application(case, determination, prepared_on=day, contact=wb.officer, signer_title=wb.officer_title)
    outputs: list[tuple[Path, bytes]] = [(xlsx, application_workbook(draft))]
    if json_path is not None:
        outputs.append((json_path, _json_bytes(application_to_json(draft))))
    if bis711 is not None:
        outputs.append((bis711, render_bis711(case, prepared_on=day, scope=bis711_scope)))
    nac_draft = None
    if nac is not None:
        nac_draft = nac_notification(case, determination, prepared_on=day)
        outputs.append((nac, _json_bytes(nac_to_json(nac_draft))))
    for path, data in outputs:
        write_bytes_atomic(path, data)
    return DraftFiles(draft, nac_draft, tuple(p for p, _ in outputs))
