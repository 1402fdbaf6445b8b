"""Conversion between table rows and domain objects (the domain never sees a row)."""

from __future__ import annotations

from typing import TypeVar

from workbench.domain.case import (
    Case,
    DocumentRecord,
    EndUse,
    Item,
    Party,
    RedFlagAnswer,
)
from workbench.domain.countries import country_name
from workbench.store.orm import CaseRow, DocumentRow, ItemRow, PartyRow, RedFlagRow


def case_from_row(row: CaseRow) -> Case:
    return Case(
        reference=row.reference,
        title=row.title,
        status=row.status,  # type: ignore[arg-type]
        transaction_date=row.transaction_date,
        transaction_type=row.transaction_type,  # type: ignore[arg-type]
        export_from=row.export_from,
        destination=row.destination,
        end_use=EndUse(
            description=row.end_use_description,
            ai_model_training=row.end_use_ai_model_training,
            military=row.end_use_military,
            wmd=row.end_use_wmd,
            iaas=row.end_use_iaas,
        ),
        parties=tuple(
            Party(
                role=p.role,  # type: ignore[arg-type]
                name=p.name,
                country=p.country,
                address=p.address,
                headquarters_country=p.headquarters_country,
                listed_on=tuple(p.listed_on),  # type: ignore[arg-type]
            )
            for p in row.parties
        ),
        items=tuple(
            Item(
                description=i.description,
                eccn=i.eccn,
                manufacturer=i.manufacturer,
                model=i.model,
                quantity=i.quantity,
                unit=i.unit,
                unit_value=i.unit_value,
                currency=i.currency,
                tpp=i.tpp,
                performance_density=i.performance_density,
                datacenter=i.datacenter,
                prc_advanced_ic=i.prc_advanced_ic,
            )
            for i in row.items
        ),
        red_flags=tuple(
            RedFlagAnswer(flag_id=r.flag_id, answer=r.answer, note=r.note)  # type: ignore[arg-type]
            for r in row.red_flags
        ),
        documents=tuple(
            DocumentRecord(
                kind=d.kind,  # type: ignore[arg-type]
                filename=d.filename,
                sha256=d.sha256,
                issuer=d.issuer,
                signatory_name=d.signatory_name,
                signatory_title=d.signatory_title,
                signed_date=d.signed_date,
                valid_from=d.valid_from,
                valid_until=d.valid_until,
                covers_parties=tuple(d.covers_parties),
                covers_items=tuple(d.covers_items),
                assurances=tuple(d.assurances),  # type: ignore[arg-type]
                note=d.note,
            )
            for d in row.documents
        ),
        version=row.version,
    )


RowT = TypeVar("RowT", PartyRow, ItemRow, RedFlagRow, DocumentRow)


def _sync_children(rows: list[RowT], values: list[dict[str, object]], factory: type[RowT]) -> None:
    """Update rows in place by position so row ids stay stable; add or drop the rest."""
    for position, fields in enumerate(values):
        if position < len(rows):
            row = rows[position]
            for key, value in fields.items():
                if getattr(row, key) != value:
                    setattr(row, key, value)
        else:
            rows.append(factory(position=position, **fields))
    del rows[len(values) :]


def apply_case_to_row(case: Case, row: CaseRow) -> None:
    """Copy every field of ``case`` onto ``row`` (and its children)."""
    row.reference = case.reference
    row.title = case.title
    row.status = case.status.value
    row.transaction_date = case.transaction_date
    row.transaction_type = case.transaction_type.value
    row.export_from = case.export_from
    row.destination = case.destination
    row.end_use_description = case.end_use.description
    row.end_use_ai_model_training = case.end_use.ai_model_training
    row.end_use_military = case.end_use.military
    row.end_use_wmd = case.end_use.wmd
    row.end_use_iaas = case.end_use.iaas
    row.party_names = "; ".join(p.name for p in case.parties)
    row.item_count = len(case.items)
    row.search_text = " ".join(
        [case.reference, case.title, row.party_names, case.destination, country_name(case.destination)]
    ).casefold()
    _sync_children(
        row.parties,
        [
            {
                "role": p.role.value,
                "name": p.name,
                "country": p.country,
                "address": p.address,
                "headquarters_country": p.headquarters_country,
                "listed_on": [f.value for f in p.listed_on],
            }
            for p in case.parties
        ],
        PartyRow,
    )
    _sync_children(
        row.items,
        [
            {
                "description": i.description,
                "eccn": i.eccn,
                "manufacturer": i.manufacturer,
                "model": i.model,
                "quantity": i.quantity,
                "unit": i.unit,
                "unit_value": i.unit_value,
                "currency": i.currency,
                "tpp": i.tpp,
                "performance_density": i.performance_density,
                "datacenter": i.datacenter,
                "prc_advanced_ic": i.prc_advanced_ic,
            }
            for i in case.items
        ],
        ItemRow,
    )
    _sync_children(
        row.red_flags,
        [{"flag_id": r.flag_id, "answer": r.answer.value, "note": r.note} for r in case.red_flags],
        RedFlagRow,
    )
    _sync_children(
        row.documents,
        [
            {
                "kind": d.kind.value,
                "filename": d.filename,
                "sha256": d.sha256,
                "issuer": d.issuer,
                "signatory_name": d.signatory_name,
                "signatory_title": d.signatory_title,
                "signed_date": d.signed_date,
                "valid_from": d.valid_from,
                "valid_until": d.valid_until,
                "covers_parties": list(d.covers_parties),
                "covers_items": list(d.covers_items),
                "assurances": [a.value for a in d.assurances],
                "note": d.note,
            }
            for d in case.documents
        ],
        DocumentRow,
    )
