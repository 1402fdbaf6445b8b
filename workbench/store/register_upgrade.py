"""Migration 0013's data step: every case party becomes (or joins) a register party.

Case parties whose normalised name, country and address agree, and whose kind, headquarters
country and declared lists agree too, become one register party; an existing register party
with the same name, country, address and attributes is reused. Nothing that differs is merged:
parties with the same name and country but a different address or attribute stay apart, and
the report says so, so an officer can merge them deliberately. Every step is in the audit chain
(entity ``upgrade``, key ``0013``, besides the usual ``party`` create and ``case`` update
entries); ``workbench-cli maintenance upgrade-report`` shows it.

Written against the schema as it is at revision 0013 (plain table definitions here, not the
ORM models, which follow the newest schema).
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, datetime
from types import SimpleNamespace
from typing import Any

import sqlalchemy as sa
from sqlalchemy import Connection

from workbench.domain.case import ListFlag
from workbench.domain.errors import ValidationError
from workbench.domain.register import RegisterParty, address_from_text, normalise_for_search
from workbench.domain.screening import EntryType
from workbench.export.partyfile import party_json
from workbench.store.audit import entry_hash

REVISION = "0013"
OFFICER = "workbench upgrade"
_cases = sa.table("cases", sa.column("id"), sa.column("reference"))
_parties = sa.table(
    "parties",
    sa.column("id"),
    sa.column("case_id"),
    sa.column("position"),
    sa.column("role"),
    sa.column("name"),
    sa.column("country"),
    sa.column("address"),
    sa.column("headquarters_country"),
    sa.column("listed_on", sa.JSON),
    sa.column("kind"),
    sa.column("register_id"),
)
_register = sa.table(
    "register_parties",
    sa.column("id"),
    sa.column("kind"),
    sa.column("name"),
    sa.column("name_key"),
    sa.column("country"),
    sa.column("headquarters_country"),
    sa.column("other_names", sa.JSON),
    sa.column("addresses", sa.JSON),
    sa.column("website"),
    sa.column("notes"),
    sa.column("kyc_status"),
    sa.column("kyc_date"),
    sa.column("kyc_officer"),
    sa.column("kyc_note"),
    sa.column("listed_on", sa.JSON),
    sa.column("fingerprint"),
    sa.column("search_text"),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
    sa.column("version"),
)
_audit = sa.table(
    "audit_log",
    *(
        sa.column(n)
        for n in ("seq", "at", "officer", "entity", "entity_key", "action", "field", "before", "after", "reason")
    ),
    sa.column("prev_hash"),
    sa.column("hash"),
)
_head = sa.table("audit_head", sa.column("id"), sa.column("seq"), sa.column("last_hash"))


@dataclass
class _CaseParty:
    id: int
    reference: str
    position: int
    name: str
    country: str
    address: str
    hq: str | None
    kind: str
    listed_on: tuple[str, ...]
    kind_recorded: bool = True

    @property
    def where(self) -> str:
        return f"{self.reference} party {self.position + 1}"

    @property
    def key(self) -> tuple[str, str, str]:
        return (normalise_for_search(self.name), self.country, address_key(self.address))

    @property
    def attributes(self) -> tuple[str, str | None, tuple[str, ...]]:
        return (self.kind, self.hq, self.listed_on)


@dataclass
class UpgradeReport:
    """What the upgrade did, as the audit chain records it."""

    created: list[tuple[int, list[str]]] = field(default_factory=list)
    merged: list[tuple[int, list[str]]] = field(default_factory=list)
    """Register parties that several case parties became (or joined): id, the case parties."""
    reused: list[tuple[int, list[str]]] = field(default_factory=list)
    kept_apart: list[str] = field(default_factory=list)
    not_converted: list[str] = field(default_factory=list)
    kind_assumed: list[str] = field(default_factory=list)
    """Case parties stored without a kind: registered as organisations (the register's default)."""


def address_key(address: str) -> str:
    """An address compared for merging: normalised text, commas and line breaks as spaces."""
    return " ".join(re.sub(r"[,;]", " ", normalise_for_search(address)).split())


def _register_party(party: _CaseParty) -> RegisterParty:
    address = address_from_text(party.country, party.address)
    return RegisterParty(
        name=" ".join(party.name.split()),
        country=party.country,
        kind=EntryType(party.kind),
        addresses=(address,) if address else (),
        headquarters_country=party.hq,
        listed_on=tuple(ListFlag(f) for f in party.listed_on),
    )


class _Chain:
    """Appends audit entries exactly as ``SqlAuditLog.record`` does (same fields, same hash)."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn
        head = conn.execute(sa.select(_head.c.seq, _head.c.last_hash).where(_head.c.id == 1)).one_or_none()
        if head is None:  # a database from before the chain had its head row cannot be upgraded silently
            raise RuntimeError("the audit chain has no head row; restore the database from a backup")
        self.seq, self.prev = int(head.seq), str(head.last_hash)
        self.at = datetime.now(UTC).isoformat(timespec="microseconds")

    def record(self, entity: str, key: str, action: str, field_name: str, after: Any, reason: str = "") -> None:
        self.seq += 1
        row = SimpleNamespace(
            seq=self.seq,
            at=self.at,
            officer=OFFICER,
            entity=entity,
            entity_key=key,
            action=action,
            field=field_name,
            before=None,
            after=None if after is None else json.dumps(after, sort_keys=True, ensure_ascii=False, default=str),
            reason=reason,
            prev_hash=self.prev,
        )
        row.hash = entry_hash(row)  # type: ignore[arg-type]
        self._conn.execute(sa.insert(_audit).values(**vars(row)))
        self.prev = row.hash

    def close(self) -> None:
        self._conn.execute(sa.update(_head).where(_head.c.id == 1).values(seq=self.seq, last_hash=self.prev))


def _case_parties(conn: Connection) -> list[_CaseParty]:
    query = (
        sa.select(_parties, _cases.c.reference)
        .join(_cases, _cases.c.id == _parties.c.case_id)
        .where(_parties.c.register_id.is_(None))
        .order_by(_cases.c.reference, _parties.c.position)
    )
    out = []
    for row in conn.execute(query):
        listed = row.listed_on if isinstance(row.listed_on, list) else json.loads(row.listed_on or "[]")
        out.append(
            _CaseParty(
                id=row.id,
                reference=row.reference,
                position=row.position,
                name=row.name,
                country=row.country,
                address=row.address or "",
                hq=row.headquarters_country,
                kind=row.kind or EntryType.ENTITY.value,
                listed_on=tuple(sorted(set(listed))),
                kind_recorded=row.kind is not None,
            )
        )
    return out


def _existing(
    conn: Connection,
) -> dict[tuple[str, str, str], list[tuple[int, tuple[str, str | None, tuple[str, ...]]]]]:
    """Register parties by (name, country, address) keys, each with its attributes."""
    found: dict[tuple[str, str, str], list[tuple[int, tuple[str, str | None, tuple[str, ...]]]]] = defaultdict(list)
    rows = conn.execute(
        sa.select(
            _register.c.id,
            _register.c.name,
            _register.c.country,
            _register.c.addresses,
            _register.c.kind,
            _register.c.headquarters_country,
            _register.c.listed_on,
        )
    )
    for row in rows:
        addresses = row.addresses if isinstance(row.addresses, list) else json.loads(row.addresses or "[]")
        listed = row.listed_on if isinstance(row.listed_on, list) else json.loads(row.listed_on or "[]")
        attributes = (row.kind, row.headquarters_country, tuple(sorted(set(listed))))
        keys = {
            address_key(", ".join([*a.get("lines", []), *([a["city"]] if a.get("city") else []), *extra]))
            for a in addresses
            for extra in ((), (a.get("country", ""),))
        } | {address_key(", ".join(a.get("lines", []))) for a in addresses} or {""}
        for address in keys:
            found[(normalise_for_search(row.name), row.country, address)].append((row.id, attributes))
    return found


def _insert(conn: Connection, party: RegisterParty) -> int:
    now = datetime.now(UTC)
    values = party_json(party)
    result = conn.execute(
        sa.insert(_register)
        .values(
            kind=party.kind.value,
            name=party.name,
            name_key=normalise_for_search(party.name)[:500],
            country=party.country,
            headquarters_country=party.headquarters_country,
            other_names=[],
            addresses=values["addresses"],
            website="",
            notes="",
            kyc_status="not_started",
            kyc_date=None,
            kyc_officer="",
            kyc_note="",
            listed_on=values["listed_on"],
            fingerprint=party.fingerprint,
            search_text=party.search_text,
            created_at=now,
            updated_at=now,
            version=1,
        )
        .returning(_register.c.id)
    )
    return int(result.scalar_one())


def upgrade_case_parties(conn: Connection) -> UpgradeReport:
    """Turn every case party without a register reference into one; audit and return the report."""
    report = UpgradeReport()
    parties = _case_parties(conn)
    if not parties:
        return report
    chain = _Chain(conn)
    existing = _existing(conn)
    groups: dict[tuple[str, str, str], list[_CaseParty]] = defaultdict(list)
    for party in parties:
        groups[party.key].append(party)
    by_name: dict[tuple[str, str], set[tuple[str, str, str]]] = defaultdict(set)
    for key in groups:
        by_name[key[:2]].add(key)
    for key, members in groups.items():
        variants: dict[tuple[str, str | None, tuple[str, ...]], list[_CaseParty]] = defaultdict(list)
        for member in members:
            variants[member.attributes].append(member)
        if len(variants) > 1:
            text = (
                f"'{members[0].name}' ({members[0].country}, same address) differs in kind, headquarters or "
                "declared lists between "
                + "; ".join(
                    f"{', '.join(m.where for m in group)} (kind {attrs[0]}, headquarters {attrs[1] or 'none'}, "
                    f"lists {', '.join(attrs[2]) or 'none'})"
                    for attrs, group in variants.items()
                )
                + ": kept as separate register parties"
            )
            report.kept_apart.append(text)
            chain.record(
                "upgrade", REVISION, "kept_apart", members[0].name, {"parties": [m.where for m in members]}, text
            )
        for attributes, group in variants.items():
            where = [m.where for m in group]
            match = next((pid for pid, attrs in existing.get(key, []) if attrs == attributes), None)
            if match is not None:
                register_id = match
                report.reused.append((register_id, where))
                chain.record(
                    "upgrade",
                    REVISION,
                    "reuse",
                    f"party {register_id}",
                    {"register_id": register_id, "case_parties": where},
                    f"{', '.join(where)} agree with register party {register_id} in name, country, address, "
                    "kind, headquarters and lists",
                )
            else:
                try:
                    register = _register_party(group[0])
                except ValidationError as exc:
                    text = f"{', '.join(where)} ('{group[0].name}') stays a case-only party: {exc}"
                    report.not_converted.append(text)
                    chain.record("upgrade", REVISION, "not_converted", group[0].name, {"case_parties": where}, text)
                    continue
                register_id = _insert(conn, register)
                chain.record(
                    "party",
                    str(register_id),
                    "create",
                    "",
                    party_json(register),
                    f"upgrade {REVISION}: from {', '.join(where)}",
                )
                report.created.append((register_id, where))
                if len(group) > 1:
                    report.merged.append((register_id, where))
                    chain.record(
                        "upgrade",
                        REVISION,
                        "merge",
                        f"party {register_id}",
                        {"register_id": register_id, "case_parties": where},
                        f"{', '.join(where)} have the same normalised name, country and address "
                        f"('{register.name}', {register.country}): merged into register party {register_id}",
                    )
            for member in group:
                if not member.kind_recorded:
                    report.kind_assumed.append(member.where)
                conn.execute(sa.update(_parties).where(_parties.c.id == member.id).values(register_id=register_id))
                chain.record("case", member.reference, "update", f"parties[{member.position}].register_id", register_id)
    for (_name, country), keys in by_name.items():
        if len(keys) > 1:
            spread = "; ".join(
                ", ".join(m.where for m in groups[k]) + f" (address '{groups[k][0].address or 'none'}')"
                for k in sorted(keys)
            )
            first = groups[next(iter(keys))][0].name
            text = f"'{first}' ({country}) appears with different addresses: {spread}; kept apart"
            report.kept_apart.append(text)
            chain.record("upgrade", REVISION, "kept_apart", groups[next(iter(keys))][0].name, None, text)
    if report.kind_assumed:
        text = (
            f"{', '.join(report.kind_assumed)} had no kind recorded and are registered as organisations; "
            "correct the register party where one is an individual, a vessel or an aircraft"
        )
        chain.record("upgrade", REVISION, "kind_assumed", "kind", {"case_parties": report.kind_assumed}, text)
    summary = (
        f"{len(parties)} case parties: {len(report.created)} register parties created, {len(report.merged)} of "
        f"them merged from several case parties, {len(report.reused)} existing register parties reused, "
        f"{len(report.kept_apart)} look-alikes kept apart, {len(report.not_converted)} left case-only"
    )
    chain.record("upgrade", REVISION, "summary", "", None, summary)
    chain.close()
    return report
