"""Use cases where the product library meets the cases: pick a product for an item, match a case file's
items to the library, find the cases using a product, and re-check them when it is reclassified.

A case item that references a product reads the product's current classification (the store
resolves it on load); a reclassification therefore moves every open case using the product, and
``reclassify_and_recheck`` says how, case by case, before and after, in the audit chain too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any, Final

from workbench.domain.audit import Change
from workbench.domain.case import Case, CaseStatus, Item
from workbench.domain.determination import Determination, Finding, Outcome
from workbench.domain.product_items import (
    CaseUsingProduct,
    ItemMatch,
    MatchedBy,
    ProductUse,
    item_differences,
    item_from_product,
)
from workbench.domain.products import part_key
from workbench.services.bootstrap import Workbench
from workbench.services.products import Reclassification, reclassify_product

OPEN_STATUSES: Final = (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
MAX_RECHECK: Final = 100_000
_LOAD_BATCH: Final = 50
PRODUCT_ENTITY: Final = "product"
Progress = Callable[[int, int], None]


# --- an item from a product (the case editor's picker) -------------------------------------------------


def product_item(
    wb: Workbench,
    part_number: str,
    *,
    quantity: Decimal = Decimal(1),
    unit: str = "ea",
    unit_value: Decimal = Decimal(0),
    currency: str = "USD",
) -> Item:
    """A new case item referencing the product, pre-filled with its classification and figures."""
    with wb.uow() as uow:
        product_id = uow.products.id_of(part_number)
        product, _ = uow.products.get_by_id(product_id)
    blank = Item(
        description=product.description, quantity=quantity, unit=unit, unit_value=unit_value, currency=currency
    )
    return item_from_product(blank, product, product_id)


def part_numbers(wb: Workbench, ids: Iterable[int]) -> dict[int, str]:
    """The part numbers of these product ids (what the case editor shows beside a referencing item)."""
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    with wb.uow() as uow:
        return uow.products.part_numbers(wanted)


def cases_using_product(wb: Workbench, part_number: str, *, open_only: bool = False) -> list[CaseUsingProduct]:
    with wb.uow() as uow:
        return uow.products.cases_using(part_number, OPEN_STATUSES if open_only else ())


# --- case-file import -------------------------------------------------------------------------------


def match_items(uow: Any, case: Case, part_numbers: Sequence[str | None] = ()) -> tuple[Case, tuple[ItemMatch, ...]]:
    """Match each item of an imported case to the library: by part number, else by manufacturer and model.

    A matched item references the product and takes its classification (what the file said
    differently is named in the match); an item matching nothing, or several products, stays
    case-only. ``uow`` is the caller's unit of work, so the import stays one transaction.
    """
    items: list[Item] = []
    matches: list[ItemMatch] = []
    for position, item in enumerate(case.items, start=1):
        part = part_numbers[position - 1] if position <= len(part_numbers) else None
        found, how, note = _find(uow, item, part)
        if found is None:
            items.append(replace(item, product_id=None))
            matches.append(ItemMatch(position, MatchedBy.CASE_ONLY, None, note))
            continue
        product_id, product = found
        differences = item_differences(item, product)
        if differences:
            said = "; ".join(f"{name} {_shown(old)} → {_shown(new)}" for name, (old, new) in differences.items())
            note = f"the library's record replaces what the file said ({said})"
        items.append(item_from_product(item, product, product_id))
        matches.append(ItemMatch(position, how, product.part_number, note))
    return replace(case, items=tuple(items)), tuple(matches)


def _shown(value: object) -> str:
    if value is None or value == "":
        return "none"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def _find(uow: Any, item: Item, part: str | None) -> tuple[Any, MatchedBy, str]:
    if part:
        hit = uow.products.by_part_number(part)
        if hit is not None:
            return hit, MatchedBy.PART_NUMBER, ""
    if not item.manufacturer.strip() or not item.model.strip():
        why = f"part number {part} is not in the library and " if part else ""
        return None, MatchedBy.CASE_ONLY, f"{why}the item names no manufacturer and model to match by"
    hits = uow.products.by_manufacturer_model(item.manufacturer, item.model, limit=5)
    if len(hits) == 1:
        return hits[0], MatchedBy.MANUFACTURER_MODEL, ""
    unknown = f"part number {part} is not in the library; " if part else ""
    if not hits:
        return None, MatchedBy.CASE_ONLY, f"{unknown}no product of {item.manufacturer} {item.model} in the library"
    parts = ", ".join(p.part_number for _, p in hits)
    return (
        None,
        MatchedBy.CASE_ONLY,
        f"{unknown}{item.manufacturer} {item.model} is more than one product ({parts}); pick one in the case editor",
    )


def match_json(match: ItemMatch) -> dict[str, Any]:
    return {
        "item": match.position,
        "matched_by": match.matched_by.value,
        "part_number": match.part_number,
        "note": match.note,
    }


# --- conflicts in the case checks ----------------------------------------------------------------


PRODUCT_CITATION: Final = "Product library (15 CFR 762: the classification on file); 15 CFR part 774, supp. 1"


def product_findings(uses: Sequence[ProductUse]) -> tuple[Finding, ...]:
    """A finding for each item whose product's figures contradict its recorded ECCN, citing the product."""
    return tuple(
        Finding(
            rule="product.conflict",
            outcome=Outcome.NLR,
            citation=f"{PRODUCT_CITATION}; product {use.part_number} v{use.version}",
            subject=f"item {use.item_position}",
            explanation=(
                f"item {use.item_position} is product {use.part_number} of the library ({use.status}), whose figures "
                f"contradict its recorded ECCN {use.eccn or 'unclassified'}: {use.conflict} Resolve it in the "
                "product library: reclassify the product, or approve it with a reason."
            ),
            review=True,
        )
        for use in uses
        if use.conflict
    )


def with_product_findings(
    wb: Workbench, case: Case, determination: Determination, uses: Sequence[ProductUse] | None = None
) -> Determination:
    """The determination with a review finding for every conflicted library product the case uses
    (``uses``: the products as given, else as the library has them now)."""
    if not any(i.product_id is not None for i in case.items):
        return determination
    if uses is None:
        with wb.uow() as uow:
            uses = uow.products.uses_in(case)
    found = product_findings(uses)
    if not found:
        return determination
    return replace(determination, findings=(*determination.findings, *found), review_required=True)


def product_uses(wb: Workbench, case: Case) -> tuple[ProductUse, ...]:
    with wb.uow() as uow:
        return tuple(uow.products.uses_in(case))


# --- reclassification moves cases ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CaseMove:
    """An open case using the product, checked with the product as it was and as it is now."""

    reference: str
    title: str
    before_outcome: str
    after_outcome: str
    before_headline: str
    after_headline: str
    before_open: tuple[str, ...]
    after_open: tuple[str, ...]

    @property
    def outcome_changed(self) -> bool:
        return self.before_outcome != self.after_outcome

    @property
    def changed(self) -> bool:
        return self.outcome_changed or self.before_open != self.after_open

    def to_json(self) -> dict[str, Any]:
        return {
            "reference": self.reference,
            "title": self.title,
            "before": _side(self.before_outcome, self.before_headline, self.before_open),
            "after": _side(self.after_outcome, self.after_headline, self.after_open),
            "outcome_changed": self.outcome_changed,
            "changed": self.changed,
        }


def _side(outcome: str, headline: str, open_items: tuple[str, ...]) -> dict[str, Any]:
    return {"outcome": outcome, "headline": headline, "open_items": list(open_items)}


@dataclass(frozen=True, slots=True)
class ReclassificationImpact:
    reclassification: Reclassification
    cases: tuple[CaseMove, ...]
    """Every open case using the product that was re-checked, in reference order."""
    open_cases: int
    cancelled: bool = False

    @property
    def moved(self) -> tuple[CaseMove, ...]:
        """The cases whose outcome or open items changed."""
        return tuple(c for c in self.cases if c.changed)


def reclassify_and_recheck(
    wb: Workbench,
    part_number: str,
    *,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    **changes: Any,
) -> ReclassificationImpact:
    """Reclassify the product (``reclassify_product``'s arguments), then re-check every open case using it.

    Each case is checked with the product as it was and as it is now; the cases and their
    outcomes before and after go into the audit chain with the reason. Cancelling stops the
    re-check (the reclassification stands; the report says how many were checked).
    """
    result = reclassify_product(wb, part_number, **changes)
    with wb.uow() as uow:
        product_id = uow.products.id_of(part_number)
        using = uow.products.cases_using(part_number, OPEN_STATUSES, limit=MAX_RECHECK)
    moves: list[CaseMove] = []
    stopped = False
    from workbench.services.checks import Rechecker

    checker = Rechecker(wb)
    for start in range(0, len(using), _LOAD_BATCH):
        batch = using[start : start + _LOAD_BATCH]
        with wb.uow() as uow:
            cases = uow.cases.get_many([u.reference for u in batch])
            uses = [uow.products.uses_in(case) for case in cases]
        for case, case_uses, use in zip(cases, uses, batch, strict=True):
            if cancelled and cancelled():
                stopped = True
                break
            moves.append(_recheck(checker, case, case_uses, use.title, product_id, result))
            if progress:
                progress(len(moves), len(using))
        if stopped:
            break
    impact = ReclassificationImpact(result, tuple(moves), len(using), stopped)
    _audit_moves(wb, impact)
    return impact


def _recheck(
    checker: Any,
    now: Case,
    uses_now: Sequence[ProductUse],
    title: str,
    product_id: int,
    change: Reclassification,
) -> CaseMove:
    """Check the case with the product as it was (rebuilt in memory) and as the store now resolves it."""
    before = change.before
    was = replace(
        now,
        items=tuple(
            item_from_product(i, before.product, product_id) if i.product_id == product_id else i for i in now.items
        ),
    )
    uses_then = tuple(
        ProductUse.of(u.item_position, product_id, before.product, before.review) if u.product_id == product_id else u
        for u in uses_now
    )
    old, new = checker.check([was, now], [uses_then, uses_now])
    return CaseMove(
        now.reference,
        title,
        old.outcome.value,
        new.outcome.value,
        old.headline,
        new.headline,
        tuple(old.open_items),
        tuple(new.open_items),
    )


def _audit_moves(wb: Workbench, impact: ReclassificationImpact) -> None:
    reason = impact.reclassification.reason
    part = impact.reclassification.after.product.part_number
    summary = [
        {"case": c.reference, "before": c.before_outcome, "after": c.after_outcome, "changed": c.changed}
        for c in impact.cases
    ]
    with wb.uow() as uow:
        uow.audit.record(
            PRODUCT_ENTITY,
            part,
            "recheck",
            [Change("open_cases", None, {"checked": len(impact.cases), "of": impact.open_cases, "cases": summary})],
            reason,
        )
        for c in impact.moved:
            uow.audit.record(
                "case",
                c.reference,
                "product_reclassified",
                [Change("outcome", c.before_outcome, c.after_outcome)],
                f"product {part} reclassified: {reason}",
            )
        uow.commit()


def impact_json(impact: ReclassificationImpact) -> dict[str, Any]:
    from workbench.services.products import view_json

    return {
        "part_number": impact.reclassification.after.product.part_number,
        "reason": impact.reclassification.reason,
        "before": view_json(impact.reclassification.before),
        "after": view_json(impact.reclassification.after),
        "open_cases": impact.open_cases,
        "checked": len(impact.cases),
        "cancelled": impact.cancelled,
        "moved": sum(1 for c in impact.cases if c.changed),
        "cases": [c.to_json() for c in impact.cases],
    }


def same_part(a: str, b: str) -> bool:
    return part_key(a) == part_key(b)


# --- the upgrade that made products of existing items (migration 0015) ---------------------------------


@dataclass(frozen=True, slots=True)
class UpgradeReport:
    """What migration 0015 did: products made of case items, groups linked to existing products, items kept."""

    at: str
    summary: str
    products_made: tuple[dict[str, Any], ...]
    linked_to_existing: tuple[dict[str, Any], ...]
    kept_case_only: tuple[dict[str, Any], ...]


def upgrade_report(wb: Workbench) -> UpgradeReport | None:
    """The report migration 0015 left in the audit chain, or None when it had no items to group."""
    with wb.uow() as uow:
        entries = uow.audit.history("upgrade", "0015")
    if not entries:
        return None
    entry = entries[-1]
    body = entry.after if isinstance(entry.after, dict) else {}
    return UpgradeReport(
        entry.at,
        entry.reason,
        tuple(body.get("products_made", ())),
        tuple(body.get("linked_to_existing", ())),
        tuple(body.get("kept_case_only", ())),
    )


def upgrade_report_json(report: UpgradeReport | None) -> dict[str, Any]:
    if report is None:
        return {"upgraded": False, "products_made": [], "linked_to_existing": [], "kept_case_only": []}
    return {
        "upgraded": True,
        "at": report.at,
        "summary": report.summary,
        "products_made": list(report.products_made),
        "linked_to_existing": list(report.linked_to_existing),
        "kept_case_only": list(report.kept_case_only),
    }
