"""Case parties that reference the counterparty register, resolved to plain values.

A case party with a ``register_id`` is (role, register party, which of its addresses applies);
the register is the source of its name, country, headquarters, kind and declared lists. The
repository resolves the reference whenever it loads or saves a case, so the rule engine, the
documents checks and the exports keep receiving a plain ``Case`` with the party's current data.
The party row keeps a copy of what was resolved at the last save (the case list shows it) and
``register_address``, the position of the chosen address among the register party's addresses;
an address typed in the case that is not one of the register party's is kept as the case's own.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.domain.case import Case, ListFlag, Party
from workbench.domain.errors import NotFoundError
from workbench.domain.register import normalise_for_search
from workbench.domain.screening import EntryType
from workbench.store.orm import PartyRow
from workbench.store.orm_register import RegisterPartyRow


def address_line(address: dict[str, object]) -> str:
    """A register address as the one line a case party carries (as ``Address.one_line``)."""
    raw = address.get("lines")
    lines = [str(x) for x in raw] if isinstance(raw, list) else []
    city = str(address.get("city") or "")
    return ", ".join([*lines, *([city] if city else []), str(address.get("country") or "")])


def _register_rows(session: Session, ids: Iterable[int]) -> dict[int, RegisterPartyRow]:
    wanted = sorted(set(ids))
    if not wanted:
        return {}
    rows = session.scalars(select(RegisterPartyRow).where(RegisterPartyRow.id.in_(wanted)))
    return {row.id: row for row in rows}


def address_position(row: RegisterPartyRow, address: str) -> int | None:
    """Which of the register party's addresses ``address`` is (None: the case's own address)."""
    key = normalise_for_search(address)
    for position, candidate in enumerate(row.addresses):
        if normalise_for_search(address_line(candidate)) == key:
            return position
    return None


def _resolved(party: Party, row: RegisterPartyRow, position: int | None) -> Party:
    addresses = row.addresses
    if position is not None and 0 <= position < len(addresses):
        address = address_line(addresses[position])
    else:
        address = party.address
    return replace(
        party,
        name=row.name,
        country=row.country,
        address=address,
        headquarters_country=row.headquarters_country,
        kind=EntryType(row.kind),
        listed_on=tuple(ListFlag(f) for f in row.listed_on),
        region=party.region if party.region and party.region.startswith(f"{row.country}-") else None,
    )


def resolve(session: Session, case: Case, positions: Iterable[int | None] | None = None) -> Case:
    """``case`` with every register party's data taken from the register.

    ``positions`` are the stored address positions (from the party rows); without them the
    address is matched by its text. A document that names a party by its old name follows the
    rename, so a renamed register party never makes its cases unreadable.
    """
    linked = [p.register_id for p in case.parties if p.register_id is not None]
    if not linked:
        return case
    rows = _register_rows(session, linked)
    missing = sorted(set(linked) - set(rows))
    if missing:
        raise NotFoundError(
            f"Case {case.reference} names register party {missing[0]}, which is not in the register; "
            "pick the party again from the register.",
            cli_hint="'party list --search' finds register parties",
        )
    chosen = list(positions) if positions is not None else [None] * len(case.parties)
    parties = []
    renamed: dict[str, str] = {}
    for party, position in zip(case.parties, chosen, strict=True):
        if party.register_id is None:
            parties.append(party)
            continue
        row = rows[party.register_id]
        where = position if positions is not None else address_position(row, party.address)
        resolved = _resolved(party, row, where)
        if resolved.name != party.name:
            renamed.setdefault(party.name, resolved.name)
        parties.append(resolved)
    documents = case.documents
    if renamed:
        names = {p.name for p in parties}
        documents = tuple(
            replace(
                d,
                covers_parties=tuple(dict.fromkeys(n if n in names else renamed.get(n, n) for n in d.covers_parties)),
            )
            for d in case.documents
        )
    return replace(case, parties=tuple(parties), documents=documents)


def link(session: Session, case: Case, rows: list[PartyRow]) -> None:
    """After the party rows are written: record which register address each referencing party uses."""
    registers = _register_rows(session, (p.register_id for p in case.parties if p.register_id is not None))
    for party, row in zip(case.parties, rows, strict=True):
        register = registers.get(party.register_id) if party.register_id is not None else None
        position = address_position(register, party.address) if register is not None else None
        if row.register_address != position:
            row.register_address = position


def stored_positions(rows: list[PartyRow]) -> list[int | None]:
    return [row.register_address for row in rows]
