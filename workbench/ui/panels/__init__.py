"""The case editor's panels beyond the facts: screening, checks, documents, history and chips."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.services import Workbench
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.panels.checks import ChecksPanel
from workbench.ui.panels.chips import ChipsPanel
from workbench.ui.panels.documents import DocumentsPanel
from workbench.ui.panels.history import HistoryPanel
from workbench.ui.panels.screening import ScreeningPanel


@dataclass(frozen=True)
class CasePanels:
    screening: ScreeningPanel
    checks: ChecksPanel
    documents: DocumentsPanel
    history: HistoryPanel
    chips: ChipsPanel


def install_panels(wb: Workbench, editor: CaseEditor, *, expiry_days: int | None = None) -> CasePanels:
    """Add the panels to ``editor`` as tabs and connect them: a decision or a document reruns the checks."""
    panels = CasePanels(
        ScreeningPanel(wb, editor.reference, unsaved=editor.is_new),
        ChecksPanel(wb, editor),
        DocumentsPanel(wb, editor, expiry_days=expiry_days),
        HistoryPanel(wb, editor.reference),
        ChipsPanel(editor),
    )
    editor.add_panel(panels.screening, "&Screening")
    editor.add_panel(panels.checks, "C&hecks")
    editor.add_panel(panels.documents, "&Documents")
    editor.add_panel(panels.history, "Histor&y")
    editor.add_panel(panels.chips, "&Chips")
    panels.screening.hits_changed.connect(panels.checks.rerun_if_shown)
    panels.documents.documents_changed.connect(panels.checks.rerun_if_shown)
    editor.saved.connect(lambda _case: panels.checks.rerun_if_shown())
    editor.saved.connect(lambda _case: panels.screening.case_saved())
    editor.saved.connect(lambda _case: panels.history.refresh() if panels.history.isVisible() else None)
    return panels
