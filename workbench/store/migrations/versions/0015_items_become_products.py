"""case items with the same manufacturer, model and ECCN become one library product (with a report)

Revision ID: 0015
Revises: 0017
Create Date: 2026-12-03 14:10:00.000000

Every item not yet referencing a product that names a manufacturer and a model is grouped by
manufacturer, model (case and spacing aside) and ECCN. A group whose items agree on the figures
the rules read (TPP, performance density, ICs per unit, data-centre, PRC advanced IC, country of
origin) becomes one draft product, or references the one library product of that manufacturer,
model and ECCN with those figures; its items then reference it. A group whose items disagree is
left case-only, since one product would change some case's facts. Items have no part number,
so the product's is made up: ``MIG-`` and the first ten hex digits of the SHA-256 of
manufacturer, model and ECCN as grouped (``-2``, ``-3`` ... if that is taken), the same in every
database. The report is in the audit chain (entity ``upgrade``, key ``0015``; ``product
upgrade-report`` prints it), with an entry for each product made and each case changed.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.orm import Session

revision: str = '0015'
down_revision: str | None = '0017'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OFFICER = "workbench upgrade (migration 0015)"
REPORT_ENTITY, REPORT_KEY = "upgrade", "0015"
_DATES = ("ccats_date", "approved_on", "status")
FIGURES = ("tpp", "performance_density", "ics_per_unit", "datacenter", "prc_advanced_ic", "country_of_origin")

_items = sa.table(
    "items",
    sa.column("id", sa.Integer), sa.column("case_id", sa.Integer), sa.column("position", sa.Integer),
    sa.column("description", sa.Text), sa.column("eccn", sa.String), sa.column("manufacturer", sa.String),
    sa.column("model", sa.String), sa.column("tpp", sa.Float), sa.column("performance_density", sa.Float),
    sa.column("ics_per_unit", sa.Integer), sa.column("datacenter", sa.Boolean),
    sa.column("prc_advanced_ic", sa.Boolean), sa.column("country_of_origin", sa.String),
    sa.column("product_id", sa.Integer),
)
_cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("reference", sa.String))
_products = sa.table(
    "products",
    sa.column("id", sa.Integer), sa.column("part_number", sa.String), sa.column("part_key", sa.String),
    sa.column("description", sa.Text), sa.column("manufacturer", sa.String), sa.column("model", sa.String),
    sa.column("eccn", sa.String), sa.column("paragraph", sa.Text), sa.column("reasoning", sa.Text),
    sa.column("tpp", sa.Float), sa.column("performance_density", sa.Float), sa.column("ics_per_unit", sa.Integer),
    sa.column("datacenter", sa.Boolean), sa.column("prc_advanced_ic", sa.Boolean),
    sa.column("dram_bandwidth", sa.Float), sa.column("memory_bandwidth_density", sa.Float),
    sa.column("country_of_origin", sa.String), sa.column("ccats_number", sa.String),
    sa.column("ccats_date", sa.Date), sa.column("status", sa.String), sa.column("approved_by", sa.String),
    sa.column("approved_on", sa.Date), sa.column("proposed_eccn", sa.String), sa.column("conflict", sa.Text),
    sa.column("has_conflict", sa.Boolean), sa.column("review_explanation", sa.Text),
    sa.column("review_digest", sa.String), sa.column("search_text", sa.Text),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("version", sa.Integer),
)


def _norm(text: str | None) -> str:
    return " ".join((text or "").split()).casefold()


def made_up_part_number(manufacturer: str, model: str, eccn: str | None) -> str:
    """``MIG-`` and ten hex digits of SHA-256 over manufacturer, model and ECCN as grouped."""
    key = "\x1f".join((_norm(manufacturer), _norm(model), eccn or ""))
    return "MIG-" + hashlib.sha256(key.encode("utf-8")).hexdigest()[:10].upper()


def upgrade() -> None:
    from workbench.domain.errors import ValidationError
    from workbench.domain.products import Product, part_key
    from workbench.export.productfile import product_fields
    from workbench.rules.products import review
    from workbench.store.audit import SqlAuditLog
    from workbench.store.products import search_text

    bind = op.get_bind()
    session = Session(bind=bind)
    audit = SqlAuditLog(session, OFFICER)
    rows = session.execute(
        sa.select(_items, _cases.c.reference)
        .join(_cases, _cases.c.id == _items.c.case_id)
        .where(_items.c.product_id.is_(None))
        .order_by(_items.c.id)
    ).mappings().all()
    groups: dict[tuple[str, str, str | None], list[Any]] = {}
    for row in rows:
        if _norm(row["manufacturer"]) and _norm(row["model"]):
            groups.setdefault((_norm(row["manufacturer"]), _norm(row["model"]), row["eccn"]), []).append(row)
    if not groups:
        return
    taken = {k for (k,) in session.execute(sa.select(_products.c.part_key))}
    made: list[dict[str, Any]] = []
    linked: list[dict[str, Any]] = []
    kept: list[dict[str, Any]] = []
    now = datetime.now(UTC)
    for (manufacturer_key, model_key, eccn), members in sorted(groups.items(), key=lambda g: g[1][0]["id"]):
        first = members[0]
        where = [{"case": m["reference"], "item": m["position"] + 1} for m in members]
        about = {"manufacturer": first["manufacturer"], "model": first["model"], "eccn": eccn, "items": where}
        figures = {tuple(m[f] for f in FIGURES) for m in members}
        if len(figures) > 1:
            kept.append({**about, "why": "the items disagree on the figures (TPP, PD, ICs per unit, data-centre, "
                         "PRC advanced IC or origin); one product would change some case's facts"})
            continue
        values = dict(zip(FIGURES, next(iter(figures)), strict=True))
        existing = _existing(session, manufacturer_key, model_key, eccn, values)
        description = Counter(m["description"] for m in members).most_common(1)[0][0]
        if existing is not None:
            product_id, part = existing
            linked.append({**about, "part_number": part})
        else:
            part = made_up_part_number(first["manufacturer"], first["model"], eccn)
            base, n = part, 1
            while part_key(part) in taken:
                n += 1
                part = f"{base}-{n}"
            try:
                product = Product(
                    part_number=part,
                    description=description,
                    manufacturer=first["manufacturer"],
                    model=first["model"],
                    eccn=eccn,
                    **{**values, "ics_per_unit": values["ics_per_unit"] or 1},
                )
            except ValidationError as exc:
                kept.append({**about, "why": f"no valid product can be made of them ({exc.field}: {exc.message})"})
                continue
            taken.add(part_key(part))
            found = review(product)
            product_id = session.execute(
                sa.insert(_products).values(
                    **{k: v for k, v in product_fields(product).items() if k not in _DATES},
                    ccats_date=None, approved_on=None, part_key=part_key(part), status="draft",
                    proposed_eccn=found.proposed, conflict=found.conflict, has_conflict=found.conflict is not None,
                    review_explanation=found.explanation, review_digest=found.rules_digest,
                    search_text=search_text(product), created_at=now, updated_at=now, version=1,
                ).returning(_products.c.id)
            ).scalar_one()
            reason = (
                f"made from {len(members)} case item(s) with the same manufacturer, model and ECCN when the database "
                "was upgraded (migration 0015); the part number is made up (MIG- and ten hex digits of SHA-256 of "
                "manufacturer, model and ECCN): give the real one when you know it"
            )
            audit.record("product", part, "upgrade", [
                sa_change("", None, product_fields(product)), sa_change("items", None, where),
            ], reason)
            made.append({**about, "part_number": part, "conflict": found.conflict})
        session.execute(
            sa.update(_items).where(_items.c.id.in_([m["id"] for m in members])).values(
                product_id=product_id, description=description
            )
        )
        for m in members:
            changes = [sa_change(f"items[{m['position'] + 1}].product_id", None, product_id)]
            if m["description"] != description:
                changes.append(sa_change(f"items[{m['position'] + 1}].description", m["description"], description))
            audit.record("case", m["reference"], "upgrade", changes, f"the item references product {part} "
                         "(items with the same manufacturer, model and ECCN became one product, migration 0015)")
    audit.record(
        REPORT_ENTITY, REPORT_KEY, "report",
        [sa_change("", None, {"products_made": made, "linked_to_existing": linked, "kept_case_only": kept})],
        f"{len(made)} product(s) made, {len(linked)} group(s) linked to existing products, {len(kept)} kept case-only",
    )
    session.flush()


def _existing(
    session: Session, manufacturer: str, model: str, eccn: str | None, figures: dict[str, Any]
) -> tuple[int, str] | None:
    """The one library product of this manufacturer, model and ECCN with exactly these figures, if any."""
    query = sa.select(_products).where(
        sa.func.lower(_products.c.manufacturer) == manufacturer, sa.func.lower(_products.c.model) == model,
        _products.c.eccn.is_(None) if eccn is None else _products.c.eccn == eccn,
    )
    found = [
        r for r in session.execute(query).mappings()
        if all(r[f] == figures[f] for f in FIGURES if f != "country_of_origin")
        and (figures["country_of_origin"] is None or r["country_of_origin"] in (None, figures["country_of_origin"]))
    ]
    return (found[0]["id"], found[0]["part_number"]) if len(found) == 1 else None


def sa_change(field: str, before: Any, after: Any) -> Any:
    from workbench.domain.audit import Change

    return Change(field, before, after)


def downgrade() -> None:
    # The products made stay in the library (they may have been classified since); the items keep
    # their values either way, so dropping the references is all a downgrade needs.
    bind = op.get_bind()
    made = [
        r for (r,) in bind.execute(
            sa.text("SELECT entity_key FROM audit_log WHERE entity = 'product' AND action = 'upgrade'")
        )
    ]
    if made:
        ids = sa.select(_products.c.id).where(_products.c.part_number.in_(made))
        bind.execute(sa.update(_items).where(_items.c.product_id.in_(ids)).values(product_id=None))
