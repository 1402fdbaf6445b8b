"""Persistence of the product library; every change is in the audit chain (entity ``product``).

The repository stores a product together with the classification assistant's review of it
(the service makes the review; the store never runs the rules), so the library can list
conflicts from an index. Saves use optimistic locking on the version column, as cases do.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Column, ColumnElement, MetaData, Select, Table, and_, func, insert, or_, select, update
from sqlalchemy.orm import Session

from workbench.domain.audit import AuditEntry, Change, diff
from workbench.domain.case import Case, CaseStatus
from workbench.domain.errors import ConflictError, DuplicateError, NotFoundError
from workbench.domain.product_items import PRODUCT_ITEM_FIELDS, CaseUsingProduct, ProductUse, match_key
from workbench.domain.products import (
    ClassificationReview,
    Product,
    ProductDocument,
    ProductDocumentKind,
    ProductStatus,
    ProductSummary,
    part_key,
)
from workbench.export.productfile import product_fields
from workbench.store.audit import SqlAuditLog
from workbench.store.orm import CaseRow, ItemRow
from workbench.store.orm_products import ProductDocumentRow, ProductRow
from workbench.store.product_search import FTS, fts_match, uses_product_fts
from workbench.store.search import MIN_TRIGRAM_WORD

if TYPE_CHECKING:
    from workbench.domain.products import ProductRepository

ENTITY = "product"
_BATCH = 1000

_FIELDS = (
    "part_number",
    "description",
    "manufacturer",
    "model",
    "eccn",
    "paragraph",
    "reasoning",
    "tpp",
    "performance_density",
    "ics_per_unit",
    "datacenter",
    "prc_advanced_ic",
    "dram_bandwidth",
    "memory_bandwidth_density",
    "country_of_origin",
    "ccats_number",
    "ccats_date",
    "approved_by",
    "approved_on",
)


def _stage_table(table: Table) -> Table:
    """A temporary table shaped like ``products`` (no keys: the real insert checks them)."""
    columns = [Column(c.name, c.type) for c in table.columns if c.name != "id"]
    return Table("products_import_stage", MetaData(), *columns, prefixes=["TEMPORARY"])


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_text(product: Product) -> str:
    """What search as you type looks in, case-folded (the trigram index and LIKE both match it)."""
    parts = (product.part_number, product.manufacturer, product.model, product.eccn or "", product.description)
    return " | ".join(p for p in parts if p).casefold()


def _values(product: Product, review: ClassificationReview) -> dict[str, Any]:
    values: dict[str, Any] = {name: getattr(product, name) for name in _FIELDS}
    values.update(
        part_key=part_key(product.part_number),
        status=product.status.value,
        proposed_eccn=review.proposed,
        conflict=review.conflict,
        has_conflict=review.conflict is not None,
        review_explanation=review.explanation,
        review_digest=review.rules_digest,
        search_text=search_text(product),
    )
    return values


def product_of_row(row: ProductRow) -> Product:
    """The domain product of a row."""
    values = {name: getattr(row, name) for name in _FIELDS}
    return Product(**values, status=ProductStatus(row.status), version=row.version)


def review_of_row(row: ProductRow) -> ClassificationReview:
    return ClassificationReview(
        recorded=row.eccn,
        proposed=row.proposed_eccn,
        explanation=row.review_explanation,
        conflict=row.conflict,
        rules_digest=row.review_digest,
    )


def _document(row: ProductDocumentRow) -> ProductDocument:
    return ProductDocument(ProductDocumentKind(row.kind), row.filename, row.sha256, row.note)


class SqlProductRepository:
    def __init__(self, session: Session, audit: SqlAuditLog) -> None:
        self._session = session
        self._audit = audit

    def _row(self, part_number: str) -> ProductRow:
        row = self._session.scalars(select(ProductRow).where(ProductRow.part_key == part_key(part_number))).first()
        if row is None:
            raise NotFoundError(
                f"There is no product with part number '{part_number.strip()}'; check the part number.",
                cli_hint="'product list --search' finds products",
            )
        return row

    def get(self, part_number: str) -> Product:
        return product_of_row(self._row(part_number))

    def get_with_review(self, part_number: str) -> tuple[Product, ClassificationReview]:
        row = self._row(part_number)
        return product_of_row(row), review_of_row(row)

    def exists(self, part_number: str) -> bool:
        key = part_key(part_number)
        return self._session.scalar(select(ProductRow.id).where(ProductRow.part_key == key)) is not None

    def existing(self, part_numbers: Iterable[str]) -> set[str]:
        """The part keys among ``part_numbers`` that the library has already."""
        keys = sorted({part_key(p) for p in part_numbers})
        found: set[str] = set()
        for start in range(0, len(keys), _BATCH):
            chunk = keys[start : start + _BATCH]
            found.update(self._session.scalars(select(ProductRow.part_key).where(ProductRow.part_key.in_(chunk))))
        return found

    def add(self, product: Product, review: ClassificationReview, reason: str = "") -> Product:
        if self.exists(product.part_number):
            raise DuplicateError(
                f"A product with part number '{product.part_number}' is in the library already; "
                "reclassify that one or give the new product another part number."
            )
        now = datetime.now(UTC)
        row = ProductRow(**_values(product, review), created_at=now, updated_at=now)
        self._session.add(row)
        self._session.flush()
        self._audit.record(ENTITY, product.part_number, "create", [Change("", None, product_fields(product))], reason)
        return product_of_row(row)

    def add_many(
        self,
        pairs: Sequence[tuple[Product, ClassificationReview]],
        reason: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Insert many new products in the current transaction (a bulk import), each audited.

        The caller has checked the part numbers are new; a race with another writer fails the
        unique index and rolls the whole import back.
        """
        now = datetime.now(UTC)
        total = len(pairs)
        table = ProductRow.metadata.tables[ProductRow.__tablename__]
        connection = self._session.connection()
        # SQLite's FTS5 trigger is several times faster over one INSERT ... SELECT than over many
        # single-row inserts, so the rows go through a temporary table first.
        staged = uses_product_fts(connection)
        target = _stage_table(table) if staged else table
        if staged:
            target.drop(connection, checkfirst=True)
            target.create(connection)
        for start in range(0, total, _BATCH):
            chunk = pairs[start : start + _BATCH]
            rows = [{**_values(p, r), "created_at": now, "updated_at": now, "version": 1} for p, r in chunk]
            self._session.execute(insert(target), rows)
            self._audit.record_many(
                [(ENTITY, p.part_number, "import", [Change("", None, product_fields(p))], reason) for p, _ in chunk]
            )
            if progress:
                progress(min(start + _BATCH, total), total)
        if staged:
            names = [c.name for c in target.columns]
            self._session.execute(insert(table).from_select(names, select(*target.columns)))
            target.drop(connection)
        return total

    def save(self, product: Product, review: ClassificationReview, *, action: str, reason: str = "") -> Product:
        """Update a stored product; ``ConflictError`` if ``product.version`` is stale."""
        row = self._row(product.part_number)
        if row.version != product.version:
            raise ConflictError(
                f"Product {row.part_number} was changed by someone else since you opened it "
                f"(your copy is version {product.version}, the database has version {row.version}); "
                "reload it and apply your changes again."
            )
        before = product_fields(product_of_row(row))
        old_review = review_of_row(row)
        for name, value in _values(product, review).items():
            setattr(row, name, value)
        row.updated_at = datetime.now(UTC)
        self._session.flush()
        changes = diff(before, product_fields(product))
        if old_review.proposed != review.proposed or old_review.conflict != review.conflict:
            changes.append(Change("review.proposed", old_review.proposed, review.proposed))
            changes.append(Change("review.conflict", old_review.conflict, review.conflict))
        self._audit.record(ENTITY, row.part_number, action, changes, reason)
        sync_item_rows(self._session, row.id, product)
        return product_of_row(row)

    # --- what case items reference -----------------------------------------------------------------

    def id_of(self, part_number: str) -> int:
        """The record id case items reference the product by."""
        return self._row(part_number).id

    def get_by_id(self, product_id: int) -> tuple[Product, ClassificationReview]:
        row = self._session.get(ProductRow, product_id)
        if row is None:
            raise NotFoundError(f"There is no product with id {product_id} in the library.")
        return product_of_row(row), review_of_row(row)

    def part_numbers(self, ids: Iterable[int]) -> dict[int, str]:
        wanted = sorted(set(ids))
        found: dict[int, str] = {}
        for start in range(0, len(wanted), _BATCH):
            chunk = wanted[start : start + _BATCH]
            query = select(ProductRow.id, ProductRow.part_number).where(ProductRow.id.in_(chunk))
            found.update((r.id, r.part_number) for r in self._session.execute(query))
        return found

    def by_part_number(self, part_number: str) -> tuple[int, Product] | None:
        row = self._session.scalars(select(ProductRow).where(ProductRow.part_key == part_key(part_number))).first()
        return None if row is None else (row.id, product_of_row(row))

    def by_manufacturer_model(self, manufacturer: str, model: str, limit: int = 10) -> list[tuple[int, Product]]:
        """Products of this manufacturer and model (case and spacing aside), at most ``limit``."""
        if not manufacturer.strip() and not model.strip():
            return []
        exact = select(ProductRow).where(ProductRow.manufacturer == manufacturer, ProductRow.model == model)
        rows = list(self._session.scalars(exact.order_by(ProductRow.id).limit(limit)))
        if not rows:  # the index finds the exact spelling; another case or spacing costs a scan
            key = match_key(manufacturer, model)
            loose = select(ProductRow).where(
                func.lower(ProductRow.manufacturer) == key[0], func.lower(ProductRow.model) == key[1]
            )
            rows = list(self._session.scalars(loose.order_by(ProductRow.id).limit(limit)))
        return [(row.id, product_of_row(row)) for row in rows]

    def uses_in(self, case: Case) -> tuple[ProductUse, ...]:
        """What a determination records of the products the case's items reference (version, classification)."""
        products = products_by_id(self._session, (i.product_id for i in case.items if i.product_id is not None))
        return tuple(
            ProductUse.of(position, item.product_id, *products[item.product_id])
            for position, item in enumerate(case.items, start=1)
            if item.product_id is not None and item.product_id in products
        )

    def cases_using(
        self, part_number: str, statuses: Sequence[CaseStatus] = (), limit: int = 100_000
    ) -> list[CaseUsingProduct]:
        """The cases with an item referencing the product (all, or those in ``statuses``), by reference."""
        product_id = self._row(part_number).id
        query = (
            select(CaseRow.reference, CaseRow.title, CaseRow.status, CaseRow.outcome, ItemRow.position)
            .join(ItemRow, ItemRow.case_id == CaseRow.id)
            .where(ItemRow.product_id == product_id)
            .order_by(CaseRow.reference, ItemRow.position)
        )
        if statuses:
            query = query.where(CaseRow.status.in_([s.value for s in statuses]))
        found: dict[str, CaseUsingProduct] = {}
        for r in self._session.execute(query):
            known = found.get(r.reference)
            if known is not None:
                found[r.reference] = replace(known, positions=(*known.positions, r.position + 1))
            elif len(found) < limit:
                found[r.reference] = CaseUsingProduct(
                    r.reference, r.title, CaseStatus(r.status), r.outcome, (r.position + 1,)
                )
        return list(found.values())

    def _query(
        self,
        columns: Sequence[Any],
        search: str,
        eccn: str | None,
        conflicts: bool,
        status: ProductStatus | None,
    ) -> Select[Any]:
        """The products matching, by part number; a search alone, in the order the products were added.

        A search alone drives the query from the index in row order, so the first page and a
        capped count stop early however many products match a word typed so far.
        """
        words = search.casefold().split()[:20]
        query = select(*columns)
        indexed = [w for w in words if len(w) >= MIN_TRIGRAM_WORD] if words else []
        if indexed and uses_product_fts(self._session.connection()):
            words = [w for w in words if len(w) < MIN_TRIGRAM_WORD]
            if eccn is None and not conflicts and status is None:
                query = query.select_from(ProductRow).join(FTS, FTS.c.rowid == ProductRow.id).where(fts_match(indexed))
                query = query.order_by(FTS.c.rowid)
            else:
                # With an indexed filter beside it the planner may loop over that index and run the
                # FTS query once per row; as a subquery the index is read once.
                matching = select(FTS.c.rowid).where(fts_match(indexed))
                query = query.where(ProductRow.id.in_(matching)).order_by(ProductRow.part_key)
        else:
            query = query.order_by(ProductRow.id if words else ProductRow.part_key)
        for word in words:
            query = query.where(ProductRow.search_text.like(f"%{_escape_like(word)}%", escape="\\"))
        if eccn is not None:
            if eccn == "unclassified":
                query = query.where(ProductRow.eccn.is_(None))
            else:
                query = query.where(self._eccn_filter(eccn))
        if conflicts:
            query = query.where(ProductRow.has_conflict.is_(True))
        if status is not None:
            query = query.where(ProductRow.status == status.value)
        return query

    def _eccn_filter(self, eccn: str) -> ColumnElement[bool]:
        """3A090 selects 3A090 and its paragraphs (3A090.a, 3A090.a.1 ...); 3A090.a only that one and below."""
        if self._session.get_bind().dialect.name == "sqlite":
            # SQLite compares bytes: in ECCN syntax only "." may follow an entry or paragraph, and
            # "." < "/", so this index range is exactly those.
            return and_(ProductRow.eccn >= eccn, ProductRow.eccn < eccn + "/")
        # A server's collation may ignore punctuation when ordering, so no range there.
        return or_(ProductRow.eccn == eccn, ProductRow.eccn.like(f"{_escape_like(eccn)}.%", escape="\\"))

    def count(
        self,
        search: str = "",
        eccn: str | None = None,
        conflicts: bool = False,
        status: ProductStatus | None = None,
        *,
        cap: int | None = None,
    ) -> int:
        """How many products match; with ``cap``, counting stops at ``cap + 1`` (shown as "cap+")."""
        query = self._query([ProductRow.id], search, eccn, conflicts, status).order_by(None)
        if cap is not None:
            query = query.limit(cap + 1)
        return int(self._session.scalar(select(func.count()).select_from(query.subquery())) or 0)

    def summaries(
        self,
        search: str = "",
        eccn: str | None = None,
        conflicts: bool = False,
        status: ProductStatus | None = None,
        *,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ProductSummary]:
        columns = (
            ProductRow.part_number,
            ProductRow.description,
            ProductRow.manufacturer,
            ProductRow.model,
            ProductRow.eccn,
            ProductRow.status,
            ProductRow.proposed_eccn,
            ProductRow.has_conflict,
            ProductRow.updated_at,
        )
        query = self._query(columns, search, eccn, conflicts, status).offset(offset).limit(limit)
        return [
            ProductSummary(
                part_number=r.part_number,
                description=r.description,
                manufacturer=r.manufacturer,
                model=r.model,
                eccn=r.eccn,
                status=ProductStatus(r.status),
                proposed=r.proposed_eccn,
                conflict=r.has_conflict,
                updated_at=r.updated_at.isoformat(timespec="seconds"),
            )
            for r in self._session.execute(query)
        ]

    def stale_reviews(self, digest: str, limit: int = _BATCH) -> list[tuple[Product, ClassificationReview]]:
        """Products whose stored review was made with other rule data than ``digest``."""
        rows = self._session.scalars(
            select(ProductRow).where(ProductRow.review_digest != digest).order_by(ProductRow.id).limit(limit)
        )
        return [(product_of_row(r), review_of_row(r)) for r in rows]

    def store_review(self, part_number: str, review: ClassificationReview, reason: str) -> None:
        """Replace the stored review (the officer's record is untouched, so the version stays);
        a changed proposal or conflict is audited."""
        row = self._row(part_number)
        old = review_of_row(row)
        self._session.execute(
            update(ProductRow)
            .where(ProductRow.id == row.id)
            .values(
                proposed_eccn=review.proposed,
                conflict=review.conflict,
                has_conflict=review.conflict is not None,
                review_explanation=review.explanation,
                review_digest=review.rules_digest,
            )
            .execution_options(synchronize_session=False)
        )
        self._session.expire(row)
        if (old.proposed, old.conflict) != (review.proposed, review.conflict):
            changes = [
                Change("review.proposed", old.proposed, review.proposed),
                Change("review.conflict", old.conflict, review.conflict),
            ]
            self._audit.record(ENTITY, row.part_number, "review", changes, reason)

    def attach(self, part_number: str, document: ProductDocument) -> ProductDocument:
        """Put a document of the store on file for a product (the file is in the store already)."""
        row = self._row(part_number)
        if any(d.sha256 == document.sha256 for d in row.documents):
            raise DuplicateError(
                f"{document.filename}: this file is on file for product {row.part_number} already; nothing was added."
            )
        row.documents.append(
            ProductDocumentRow(
                sha256=document.sha256,
                kind=document.kind.value,
                filename=document.filename,
                note=document.note,
                added_at=datetime.now(UTC),
                added_by=self._audit.officer,
            )
        )
        row.updated_at = datetime.now(UTC)  # bumps the version: the product's record changed
        self._session.flush()
        self._audit.record(
            ENTITY,
            row.part_number,
            "attach_document",
            [Change(f"documents[{len(row.documents)}]", None, _document_json(document))],
        )
        return document

    def documents(self, part_number: str) -> list[ProductDocument]:
        return [_document(d) for d in self._row(part_number).documents]

    def history(self, part_number: str) -> list[AuditEntry]:
        return self._audit.history(ENTITY, self._row(part_number).part_number)


def products_by_id(session: Session, ids: Iterable[int]) -> dict[int, tuple[Product, ClassificationReview]]:
    """The products (with their stored reviews) of these record ids."""
    wanted = sorted(set(ids))
    found: dict[int, tuple[Product, ClassificationReview]] = {}
    for start in range(0, len(wanted), _BATCH):
        rows = session.scalars(select(ProductRow).where(ProductRow.id.in_(wanted[start : start + _BATCH])))
        found.update((row.id, (product_of_row(row), review_of_row(row))) for row in rows)
    return found


def sync_item_rows(session: Session, product_id: int, product: Product) -> None:
    """Bring the copies of a product's record that its case item rows keep up to date."""
    values: dict[str, Any] = {name: getattr(product, name) for name in PRODUCT_ITEM_FIELDS}
    if product.country_of_origin is None:  # the item's own origin stays when the library has none
        del values["country_of_origin"]
    session.execute(
        update(ItemRow)
        .where(ItemRow.product_id == product_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


def _document_json(document: ProductDocument) -> dict[str, str]:
    return {
        "kind": document.kind.value,
        "filename": document.filename,
        "sha256": document.sha256,
        "note": document.note,
    }


if TYPE_CHECKING:
    _conforms: type[ProductRepository] = SqlProductRepository
