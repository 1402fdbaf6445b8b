"""Conversion between table rows and domain objects (the domain never sees a row).

Child rows carry columns named exactly as their entity's fields, so both directions copy
by field name; only the case row flattens the end use into ``end_use_*`` columns and
its TMP/RPL transaction facts into columns of their field names.
"""

from __future__ import annotations

from dataclasses import fields
from enum import Enum
from typing import Any, TypeVar

from workbench.domain.case import Case, DocumentRecord, EndUse, Item, Party, RedFlagAnswer, TransactionFacts
from workbench.domain.countries import country_name
from workbench.domain.errors import ValidationError
from workbench.store.orm import CaseRow, DocumentRow, ItemRow, PartyRow, RedFlagRow

EntityT = TypeVar("EntityT")
RowT = TypeVar("RowT", PartyRow, ItemRow, RedFlagRow, DocumentRow)

_CASE_FIELDS = ("reference", "title", "status", "transaction_date", "transaction_type", "export_from", "destination")
_END_USE_FIELDS = tuple(f.name for f in fields(EndUse))
_FACT_FIELDS = tuple(f.name for f in fields(TransactionFacts))


def _entity(cls: type[EntityT], row: object, **overrides: Any) -> EntityT:
    names = [f.name for f in fields(cls)]  # type: ignore[arg-type]
    values = {name: getattr(row, name) for name in names if name not in overrides}
    return cls(**values, **overrides)


def _column(value: Any) -> Any:
    """Domain values as column values: enums by value, tuples as JSON lists."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, tuple):
        return [_column(v) for v in value]
    return value


def _columns(entity: object, **overrides: Any) -> dict[str, Any]:
    values = {f.name: _column(getattr(entity, f.name)) for f in fields(entity)}  # type: ignore[arg-type]
    values.update(overrides)
    return values


def _stored_item(reference: str, position: int, row: ItemRow) -> Item:
    """An item as stored; one saved before its figures were bounded is named by case and position."""
    try:
        return _entity(Item, row)
    except ValidationError as exc:
        raise ValidationError(
            f"case {reference}, item {position}, {exc.field}",
            f"{exc.message}, a figure stored before such figures were refused; the case cannot be opened "
            "until an administrator corrects it in the database",
        ) from None


def case_from_row(row: CaseRow) -> Case:
    return Case(
        **{name: getattr(row, name) for name in _CASE_FIELDS},
        end_use=EndUse(**{name: getattr(row, f"end_use_{name}") for name in _END_USE_FIELDS}),
        transaction_facts=TransactionFacts(**{name: getattr(row, name) for name in _FACT_FIELDS}),
        parties=tuple(_entity(Party, p, listed_on=tuple(p.listed_on)) for p in row.parties),
        items=tuple(_stored_item(row.reference, n, i) for n, i in enumerate(row.items, start=1)),
        red_flags=tuple(_entity(RedFlagAnswer, r) for r in row.red_flags),
        documents=tuple(
            _entity(
                DocumentRecord,
                d,
                covers_parties=tuple(d.covers_parties),
                covers_items=tuple(d.covers_items),
                assurances=tuple(d.assurances),
            )
            for d in row.documents
        ),
        version=row.version,
    )


def _sync_children(rows: list[RowT], values: list[dict[str, object]], factory: type[RowT]) -> None:
    """Update rows in place by position so row ids stay stable; add or drop the rest."""
    for position, row_values in enumerate(values):
        if position < len(rows):
            row = rows[position]
            for key, value in row_values.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
        else:
            rows.append(factory(position=position, **row_values))
    del rows[len(values) :]


def apply_case_to_row(case: Case, row: CaseRow) -> None:
    """Copy every field of ``case`` onto ``row`` (and its children)."""
    for name in _CASE_FIELDS:
        setattr(row, name, _column(getattr(case, name)))
    for name in _END_USE_FIELDS:
        setattr(row, f"end_use_{name}", getattr(case.end_use, name))
    for name in _FACT_FIELDS:
        setattr(row, name, _column(getattr(case.transaction_facts, name)))
    row.party_names = "; ".join(p.name for p in case.parties)
    row.item_count = len(case.items)
    row.search_text = " ".join(
        [case.reference, case.title, row.party_names, case.destination, country_name(case.destination)]
    ).casefold()
    _sync_children(row.parties, [_columns(p) for p in case.parties], PartyRow)
    _sync_children(row.items, [_columns(i) for i in case.items], ItemRow)
    _sync_children(row.red_flags, [_columns(r) for r in case.red_flags], RedFlagRow)
    _sync_children(row.documents, [_columns(d) for d in case.documents], DocumentRow)
