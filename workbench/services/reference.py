"""Reference data for pickers and completion (countries, CCL entries), and small read helpers for the UI.

The UI reaches the rule data only through here, so it never imports the rules
engine and still works while the CCL data is missing or being rebuilt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from typing import TYPE_CHECKING

from workbench.documents.filestore import DocumentStore, IntegrityStatus
from workbench.documents.pdfcheck import inspect_pdf
from workbench.documents.sniff import HEAD_BYTES, ContentType, sniff
from workbench.domain.case import Case, Item
from workbench.domain.countries import country_names
from workbench.domain.errors import InputFileError, NotFoundError
from workbench.export.signing import SignedWorkbook as SignedWorkbook  # re-exported: the UI shows results
from workbench.export.signing import VerificationResult as VerificationResult
from workbench.rules.data import per_rule_data
from workbench.rules.redflags import case_checklist
from workbench.screening.guard import RefreshRefused as RefreshRefused  # re-exported: the UI catches it
from workbench.services.bootstrap import Workbench
from workbench.services.documents import list_documents

if TYPE_CHECKING:
    from workbench.rules.classify import Suggestion

logger = logging.getLogger(__name__)


@cache
def _ccl() -> tuple[Callable[[], list[str]], Callable[[str], str | None]] | None:
    """The CCL helpers of the rules engine, or None if they cannot be loaded."""
    try:
        from workbench.rules.ccl import ccl_eccns, ccl_heading
    except ImportError:
        logger.warning("the CCL is not available; ECCN completion is off")
        return None
    return ccl_eccns, ccl_heading


@per_rule_data
def eccn_choices() -> list[tuple[str, str]]:
    """Every ECCN entry on the CCL with its heading, sorted by ECCN (empty without CCL data)."""
    helpers = _ccl()
    if helpers is None:
        return []
    eccns, heading = helpers
    try:
        return [(eccn, heading(eccn) or "") for eccn in eccns()]
    except Exception:  # the rule data failed to load: completion is a convenience, not a must
        logger.exception("could not load the CCL for ECCN completion")
        return []


def eccn_heading(eccn: str) -> str | None:
    """The CCL heading of ``eccn``'s entry; None for EAR99, unknown entries or without CCL data."""
    helpers = _ccl()
    if helpers is None or not eccn:
        return None
    try:
        return helpers[1](eccn)
    except Exception:
        logger.exception("could not look up the CCL heading of %s", eccn)
        return None


def eccn_problem(eccn: str, on: date | None = None) -> str | None:
    """Why ``eccn`` (canonical form) is not on the CCL in force on ``on``, with the nearest real ones; else None.

    The rule data holds one CCL issue (eCFR of 2026-07-23), so ``on`` selects that one for every date
    today; the parameter is where a dated CCL plugs in. Without CCL data nothing is refused.
    """
    try:
        from workbench.rules.ccl import eccn_problem as problem
    except ImportError:
        return None
    try:
        return problem(eccn)
    except Exception:  # the rule data failed to load: say nothing rather than refuse every ECCN
        logger.exception("could not check %s against the CCL", eccn)
        return None


def eccn_figures_warning(item: Item) -> str | None:
    """How the item's ECCN contradicts its TPP / performance density (the classification assistant), or None."""
    from workbench.rules.classify import contradiction

    return contradiction(item.eccn, item.tpp, item.performance_density, item.datacenter)


def country_choices() -> list[tuple[str, str]]:
    """Every accepted ISO 3166 alpha-2 code with its English name, sorted by name."""
    return sorted(country_names().items(), key=lambda pair: pair[1].casefold())


# Red-flag checklist ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ChecklistFlag:
    """One red flag the officer answers (yes / no / unknown with a note) for a case."""

    id: str
    text: str
    checklist: str
    """The checklist's id, e.g. ``kyc`` or the advanced-computing diversion list."""
    citation: str
    unconfirmed: bool = False


def red_flag_checklist(case: Case) -> list[ChecklistFlag]:
    """The flags that apply to ``case`` (KYC always, diversion flags for advanced computing)."""
    return [ChecklistFlag(f.id, f.text, f.checklist, f.citation, f.unconfirmed) for f in case_checklist(case)]


# Document preview ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DocumentPreview:
    """What the preview pane shows: the integrity verdict, and the verified content when intact."""

    position: int
    filename: str
    integrity: str
    """``ok``, ``missing``, ``tampered``, ``unreadable`` or ``no_file``."""
    integrity_text: str
    content_type: str = ""
    """``application/pdf``, ``image/png``… (empty unless the file verified)."""
    data: bytes = b""
    """The verified bytes of the file (an image, or a PDF for page rendering)."""
    pages: int = 0
    first_page_text: str = ""
    notes: tuple[str, ...] = ()

    @property
    def intact(self) -> bool:
        return self.integrity == "ok"


def document_preview(wb: Workbench, reference: str, position: int) -> DocumentPreview:
    """Verify one document's stored file against its SHA-256 and read what a preview needs.

    Nothing is read from a file that fails verification: the preview then only says why.
    """
    records = list_documents(wb, reference)
    if not 1 <= position <= len(records):
        raise NotFoundError(f"Case {reference} has no document {position}.")
    record = records[position - 1]
    store = DocumentStore()
    status = store.verify(record.sha256) if record.sha256 else IntegrityStatus.NO_FILE
    base = DocumentPreview(position, record.filename, status.value, status.label)
    if status is not IntegrityStatus.OK:
        return base
    data = store.read_verified(record.sha256, record.filename)
    kind = sniff(data[:HEAD_BYTES])
    if kind is ContentType.PDF:
        try:
            info = inspect_pdf(store.path_for(record.sha256), record.filename, max_pages=1)
        except InputFileError as exc:
            return replace(base, content_type=kind.value, notes=(str(exc),))
        return replace(
            base, content_type=kind.value, data=data, pages=info.pages, first_page_text=info.text, notes=info.notes
        )
    return replace(base, content_type=kind.value if kind else "", data=data)


# Advanced-computing thresholds (3A090) ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class ThresholdBand:
    """One rectangle of the TPP / performance-density plane; None bounds are open."""

    tpp_min: float | None = None
    tpp_below: float | None = None
    pd_min: float | None = None
    pd_below: float | None = None


@dataclass(frozen=True, slots=True)
class ThresholdRegion:
    """A paragraph of 3A090 (``a`` or ``b``): met when any of its bands holds the figures."""

    paragraph: str
    text: str
    bands: tuple[ThresholdBand, ...]


@per_rule_data
def advanced_computing_thresholds() -> tuple[ThresholdRegion, ...]:
    """The 3A090.a and .b parameters from the rule data, so the chart never hard-codes them."""
    from workbench.rules.data import rule_data

    rules = rule_data().advanced.classification
    return tuple(
        ThresholdRegion(
            rule.paragraph,
            rule.text,
            tuple(ThresholdBand(b.tpp_min, b.tpp_below, b.pd_min, b.pd_below) for b in rule.any_of),
        )
        for rule in rules.paragraphs
    )


def classify_figures(item: Item) -> Suggestion:
    """The classification assistant's reading of an item's TPP, PD and data-centre flag (as the checks use it)."""
    from workbench.rules.classify import suggest_eccn

    return suggest_eccn(item.tpp, item.performance_density, item.datacenter, description=item.description)
