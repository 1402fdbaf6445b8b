"""Case items that reference library products, resolved whenever the store loads or saves a case.

The rules read one plain ``Item``; ``resolve_items`` puts the product's current classification
and figures into each item that references one (``item_from_product``), so a reclassification
reaches every case that uses the product without rewriting the cases. The item rows keep a copy
of the resolved values (``sync_item_rows`` keeps it current) for readers of the table.
"""

from __future__ import annotations

from dataclasses import replace

from sqlalchemy.orm import Session

from workbench.domain.case import Case, Item
from workbench.domain.errors import NotFoundError
from workbench.domain.product_items import item_from_product
from workbench.store.products import products_by_id


def resolve_items(session: Session, case: Case) -> Case:
    """``case`` with every product-referencing item holding the product's current record."""
    ids = {item.product_id for item in case.items if item.product_id is not None}
    if not ids:
        return case
    products = products_by_id(session, ids)
    items: list[Item] = []
    for position, item in enumerate(case.items, start=1):
        if item.product_id is None:
            items.append(item)
            continue
        pair = products.get(item.product_id)
        if pair is None:
            raise NotFoundError(
                f"Case {case.reference}, item {position} references product id {item.product_id}, which is not "
                "in the library; pick the product again or make the item case-only."
            )
        items.append(item_from_product(item, pair[0], item.product_id))
    return replace(case, items=tuple(items))
