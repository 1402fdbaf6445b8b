"""Use cases of the product library: add, list, show, classify, reclassify, import, attach documents.

Every product is stored with the classification assistant's review (``rules.products.review``,
the same code the checks use). The assistant proposes; it never changes a recorded
classification: an approved one it contradicts is flagged as a conflict for the officer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Final

from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import DocumentStore
from workbench.documents.intake import inspect_candidate
from workbench.domain.audit import AuditEntry
from workbench.domain.eccn import normalise_eccn
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.products import (
    ClassificationReview,
    Product,
    ProductDocument,
    ProductDocumentKind,
    ProductStatus,
    ProductSummary,
    part_key,
)
from workbench.domain.validation import text as _text
from workbench.export.productfile import product_fields, read_product_file
from workbench.export.producttable import Mapping, Problem, TableRefusedError, TableRow, read_mapping, read_products
from workbench.rules.products import review
from workbench.services.bootstrap import Workbench

MAX_REASON: Final = 4000
MAX_PAGE: Final = 1000
SEARCH_COUNT_CAP: Final = 1000
"""Search as you type counts matches up to here ("1,000+"): an exact count of a common word costs more than it tells."""

Progress = Callable[[int, int], None]


class ImportCancelled(WorkbenchError):
    """The officer cancelled the import; nothing was imported."""


@dataclass(frozen=True, slots=True)
class ProductView:
    """A product with the assistant's review of it."""

    product: Product
    review: ClassificationReview

    @property
    def conflict(self) -> bool:
        return self.review.conflict is not None

    @property
    def conflict_to_resolve(self) -> bool:
        """An approved classification the assistant contradicts: the officer must resolve it."""
        return self.conflict and self.product.status is ProductStatus.APPROVED


@dataclass(frozen=True, slots=True)
class ProductDetail:
    view: ProductView
    documents: tuple[ProductDocument, ...]
    history: tuple[AuditEntry, ...]


@dataclass(frozen=True, slots=True)
class ProductPage:
    total: int
    """Products matching; while searching, counting stops past ``SEARCH_COUNT_CAP`` (see ``capped``)."""
    rows: tuple[ProductSummary, ...]
    capped: bool = False

    @property
    def total_label(self) -> str:
        return f"{SEARCH_COUNT_CAP:,}+" if self.capped else f"{self.total:,}"


@dataclass(frozen=True, slots=True)
class Classification:
    """The assistant's fresh review beside the one stored with the product (rule data may have changed)."""

    view: ProductView
    stored: ClassificationReview

    @property
    def changed_since_stored(self) -> bool:
        fresh = self.view.review
        return (fresh.proposed, fresh.conflict) != (self.stored.proposed, self.stored.conflict)


@dataclass(frozen=True, slots=True)
class Reclassification:
    before: ProductView
    after: ProductView
    reason: str


@dataclass(frozen=True, slots=True)
class ImportedRow:
    row: int
    part_number: str
    recorded: str | None
    proposed: str | None
    state: str
    conflict: str | None


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import stored, and the assistant's proposal against each recorded classification."""

    source: str
    rows: tuple[ImportedRow, ...]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    def summary(self) -> str:
        return (
            f"Imported {len(self.rows):,} products from {self.source}: {self.count('consistent'):,} consistent "
            f"with the assistant, {self.count('conflict'):,} in conflict, {self.count('unclassified'):,} "
            "unclassified."
        )

    def notes(self) -> list[str]:
        """One line per row the officer should look at: a conflict, or an unclassified row with a proposal."""
        return [
            f"row {r.row}: {r.part_number} recorded {r.recorded}, assistant {r.proposed or 'none'}: {r.conflict}"
            for r in self.rows
            if r.state == "conflict"
        ] + [
            f"row {r.row}: {r.part_number} unclassified; the assistant proposes {r.proposed}"
            for r in self.rows
            if r.state == "unclassified" and r.proposed
        ]

    @property
    def proposals_differing(self) -> tuple[ImportedRow, ...]:
        """Classified rows whose recorded ECCN is not what the assistant proposes (conflict or not)."""
        return tuple(r for r in self.rows if r.recorded and r.proposed and r.recorded != r.proposed)


def _reason(value: str, field_name: str = "reason") -> str:
    return _text(value, field_name, max_len=MAX_REASON)


def view_of(product: Product) -> ProductView:
    return ProductView(product, review(product))


def add_product(wb: Workbench, product: Product) -> ProductView:
    view = view_of(product)
    with wb.uow() as uow:
        stored = uow.products.add(product, view.review)
        uow.commit()
    return ProductView(stored, view.review)


def add_product_file(wb: Workbench, path: Path) -> ProductView:
    """Validate a ``workbench-product/1`` file completely, then add the product in one transaction."""
    return add_product(wb, read_product_file(Path(path)))


def get_product(wb: Workbench, part_number: str) -> ProductDetail:
    with wb.uow() as uow:
        product, stored = uow.products.get_with_review(part_number)
        documents = tuple(uow.products.documents(part_number))
        history = tuple(uow.products.history(part_number))
    return ProductDetail(ProductView(product, stored), documents, history)


def list_products(
    wb: Workbench,
    search: str = "",
    *,
    eccn: str | None = None,
    conflicts: bool = False,
    status: ProductStatus | None = None,
    offset: int = 0,
    limit: int = 200,
) -> ProductPage:
    """A page of the library; ``eccn`` also selects its lower paragraphs.

    Without search words the page is in part-number order; while searching, in the order the
    products were added (the index yields them so, and the first page arrives at once).
    """
    search = _text(search, "search", required=False, max_len=200)
    if eccn is not None and eccn.strip().casefold() != "unclassified":
        eccn = normalise_eccn(eccn, "--eccn")
    elif eccn is not None:
        eccn = "unclassified"
    limit = max(1, min(limit, MAX_PAGE))
    with wb.uow() as uow:
        cap = SEARCH_COUNT_CAP if search.strip() else None
        total = uow.products.count(search, eccn, conflicts, status, cap=cap)
        rows = uow.products.summaries(search, eccn, conflicts, status, offset=max(0, offset), limit=limit)
    capped = cap is not None and total > cap
    return ProductPage(min(total, cap) if capped and cap is not None else total, tuple(rows), capped)


def classify_product(wb: Workbench, part_number: str) -> Classification:
    """The assistant's proposal for a stored product, with its reasoning (nothing is changed)."""
    with wb.uow() as uow:
        product, stored = uow.products.get_with_review(part_number)
    return Classification(view_of(product), stored)


_UNSET: Any = object()


def reclassify_product(
    wb: Workbench,
    part_number: str,
    *,
    eccn: str | None,
    reason: str,
    tpp: float | None = _UNSET,
    performance_density: float | None = _UNSET,
    ics_per_unit: int = _UNSET,
    datacenter: bool = _UNSET,
    paragraph: str = _UNSET,
    reasoning: str = _UNSET,
    expected_version: int | None = None,
) -> Reclassification:
    """Record a new classification (and figures) with the officer's written reason, in the audit chain.

    An approved product stays approved, now in the name of the officer who reclassified it and
    dated today. ``expected_version`` is the version the officer opened (optimistic locking).
    """
    why = _reason(reason)
    changes: dict[str, Any] = {"eccn": eccn}
    if normalise_eccn(eccn, "--eccn") is None:  # back to unclassified: no classification left to approve
        changes.update(status=ProductStatus.DRAFT, approved_by="", approved_on=None)
    for name, value in (
        ("tpp", tpp),
        ("performance_density", performance_density),
        ("ics_per_unit", ics_per_unit),
        ("datacenter", datacenter),
        ("paragraph", paragraph),
        ("reasoning", reasoning),
    ):
        if value is not _UNSET:
            changes[name] = value
    with wb.uow() as uow:
        before, stored = uow.products.get_with_review(part_number)
        if expected_version is not None:
            before = replace(before, version=expected_version)
        updated = replace(before, **changes)
        if product_fields(updated) == product_fields(before):
            raise ValidationError(
                "ECCN",
                f"product {before.part_number} is classified so already; nothing changes, nothing was recorded",
            )
        if updated.status is ProductStatus.APPROVED:
            updated = updated.approved(wb.officer, datetime.now(UTC).date())
        after = view_of(updated)
        saved = uow.products.save(updated, after.review, action="reclassify", reason=why)
        uow.commit()
    return Reclassification(ProductView(before, stored), ProductView(saved, after.review), why)


def approve_product(wb: Workbench, part_number: str, reason: str = "") -> ProductView:
    """Approve the recorded classification in the officer's name; against the assistant only with a reason."""
    with wb.uow() as uow:
        product = uow.products.get(part_number)
        view = view_of(product)
        if view.review.conflict is not None and not reason.strip():
            raise ValidationError(
                "reason",
                f"the assistant contradicts the classification of {product.part_number}: {view.review.conflict} "
                "Reclassify it, or approve it with a written reason saying why the figures do not decide it",
            )
        approved = product.approved(wb.officer, datetime.now(UTC).date())
        saved = uow.products.save(approved, view.review, action="approve", reason=_reason(reason) if reason else "")
        uow.commit()
    return ProductView(saved, view.review)


def _kind(kind: ProductDocumentKind | str) -> ProductDocumentKind:
    try:
        return ProductDocumentKind(kind)
    except ValueError:
        allowed = ", ".join(k.value for k in ProductDocumentKind)
        raise ValidationError("kind", f"'{kind}' is not a product document kind; use one of {allowed}") from None


def attach_product_document(
    wb: Workbench,
    part_number: str,
    path: Path,
    kind: ProductDocumentKind | str,
    *,
    note: str = "",
    store: DocumentStore | None = None,
) -> ProductDocument:
    """Copy a datasheet or CCATS into the content-addressed document store and put it on file for the product."""
    path = Path(path)
    display = safe_display_name(path.name)
    draft = ProductDocument(kind=_kind(kind), filename=display, sha256="0" * 64, note=note)
    with wb.uow() as uow:
        uow.products.get(part_number)  # a typo in the part number costs no copy
    stored, _ = (store or DocumentStore()).add_file(path, display, lambda tmp: inspect_candidate(tmp, display))
    document = replace(draft, sha256=stored.sha256)
    with wb.uow() as uow:
        uow.products.attach(part_number, document)
        uow.commit()
    return document


def import_products(
    wb: Workbench,
    path: Path,
    mapping_path: Path | None = None,
    *,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
) -> ImportReport:
    """Import a product master (CSV or XLSX): all rows or none, in one transaction.

    Every row is validated first (``TableRefusedError`` names each problem by row and column);
    part numbers already in the library are refused the same way. The assistant reviews every
    product; the report sets its proposals against the recorded classifications.
    """
    path = Path(path)
    mapping: Mapping | None = read_mapping(Path(mapping_path)) if mapping_path is not None else None
    rows: list[TableRow] = read_products(path, mapping)
    reviewed = [(r, view_of(r.product)) for r in rows]
    if cancel and cancel():
        raise ImportCancelled(f"{path}: the import was cancelled; nothing was imported.")
    reason = f"imported from {safe_display_name(path.name)}"
    with wb.uow() as uow:
        _refuse_existing(uow.products.existing(r.product.part_number for r in rows), rows, str(path))

        def step(done: int, total: int) -> None:
            if cancel and cancel():
                raise ImportCancelled(f"{path}: the import was cancelled; nothing was imported.")
            if progress:
                progress(done, total)

        uow.products.add_many([(v.product, v.review) for _, v in reviewed], reason, step)
        uow.commit()
    return ImportReport(
        str(path),
        tuple(
            ImportedRow(
                r.row, v.product.part_number, v.review.recorded, v.review.proposed, v.review.state, v.review.conflict
            )
            for r, v in reviewed
        ),
    )


def _refuse_existing(existing: set[str], rows: list[TableRow], source: str) -> None:
    if not existing:
        return
    problems = [
        Problem(
            r.row,
            "",
            f"part number '{r.product.part_number}' is in the library already; remove the row, or change that "
            "product with 'product reclassify'",
        )
        for r in rows
        if part_key(r.product.part_number) in existing
    ]
    raise TableRefusedError(source, problems, len(problems))


@dataclass(frozen=True, slots=True)
class ReviewChange:
    """A product whose proposal or conflict changed when the assistant ran on new rule data."""

    part_number: str
    before: ClassificationReview
    after: ClassificationReview


def review_after_rule_change(wb: Workbench, progress: Progress | None = None) -> tuple[int, list[ReviewChange]]:
    """Run the assistant again on products reviewed with older rule data (a new threshold, a new paragraph).

    Returns how many were reviewed and those whose proposal or conflict changed, for the officer
    to look at; no classification is changed. Each batch is its own transaction.
    """
    from workbench.rules.data import rule_data

    digest = rule_data().digest
    reason = f"the classification assistant ran on new rule data ({digest})"
    reviewed = 0
    changed: list[ReviewChange] = []
    while True:
        with wb.uow() as uow:
            stale = uow.products.stale_reviews(digest)
            if not stale:
                return reviewed, changed
            for product, before in stale:
                after = review(product)
                uow.products.store_review(product.part_number, after, reason)
                if (before.proposed, before.conflict) != (after.proposed, after.conflict):
                    changed.append(ReviewChange(product.part_number, before, after))
            uow.commit()
        reviewed += len(stale)
        if progress:
            progress(reviewed, reviewed)


# --- JSON forms for --json and the UI --------------------------------------------------------------


def review_json(r: ClassificationReview) -> dict[str, Any]:
    return {
        "recorded": r.recorded,
        "proposed": r.proposed,
        "state": r.state,
        "explanation": r.explanation,
        "conflict": r.conflict,
        "missing": list(r.missing),
        "nac_aca": r.nac_aca,
        "rules_digest": r.rules_digest,
    }


def view_json(view: ProductView) -> dict[str, Any]:
    return {
        **product_fields(view.product),
        "version": view.product.version,
        "review": review_json(view.review),
        "conflict_to_resolve": view.conflict_to_resolve,
    }


def summary_json(s: ProductSummary) -> dict[str, Any]:
    return {
        "part_number": s.part_number,
        "description": s.description,
        "manufacturer": s.manufacturer,
        "model": s.model,
        "eccn": s.eccn,
        "status": s.status.value,
        "proposed": s.proposed,
        "conflict": s.conflict,
        "updated_at": s.updated_at,
    }


def report_json(report: ImportReport) -> dict[str, Any]:
    states = ("consistent", "conflict", "unclassified")
    return {
        "source": report.source,
        "imported": len(report.rows),
        "counts": {s: report.count(s) for s in states},
        "rows": [
            {
                "row": r.row,
                "part_number": r.part_number,
                "recorded": r.recorded,
                "proposed": r.proposed,
                "state": r.state,
                "conflict": r.conflict,
            }
            for r in report.rows
        ],
    }
