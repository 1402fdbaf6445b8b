"""The ownership facts a case's checks rest on: plain values taken from the register (issue #14).

When a case is checked, services gather, for each case party that references a register party,
the stakes above it (owners, their owners …), which of those parties are listed (declared
``listed_on`` or confirmed screening matches), their headquarters countries and KYC status,
into one ``OwnershipFacts``. The rule engine reads only this value (never the register), and a
determination stores it as it was, so a later edit of the register never changes what an
earlier determination relied on.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from workbench.domain.case import ListFlag
from workbench.domain.errors import ValidationError
from workbench.domain.ownership import THRESHOLD, OwnershipGraph, Stake

MAX_FACT_PARTIES = 20_000


@dataclass(frozen=True, slots=True)
class PartyFacts:
    """One register party in the ownership around a case (a case party or one of its owners)."""

    party_id: int
    name: str
    country: str
    headquarters_country: str | None = None
    listed_on: tuple[ListFlag, ...] = ()
    """Declared lists and lists of confirmed screening matches."""
    kyc_approved: bool = False
    version: int = 0
    """The register party's version when the facts were gathered."""

    @property
    def effective_headquarters(self) -> str:
        return self.headquarters_country or self.country


@dataclass(frozen=True, slots=True)
class OwnershipFacts:
    stakes: tuple[Stake, ...] = ()
    parties: tuple[PartyFacts, ...] = ()
    gathered_on: date | None = None
    problem: str = ""
    """Why the ownership could not be gathered (e.g. too large); the checks report it as an open item."""

    def __post_init__(self) -> None:
        if len(self.parties) > MAX_FACT_PARTIES:
            raise ValidationError("ownership", f"names {len(self.parties):,} parties, above {MAX_FACT_PARTIES:,}")
        object.__setattr__(self, "stakes", tuple(self.stakes))
        object.__setattr__(self, "parties", tuple(self.parties))

    def party(self, party_id: int) -> PartyFacts | None:
        return next((p for p in self.parties if p.party_id == party_id), None)

    def names(self) -> dict[int, str]:
        return {p.party_id: p.name for p in self.parties}

    def listed(self) -> dict[int, tuple[ListFlag, ...]]:
        return {p.party_id: p.listed_on for p in self.parties if p.listed_on}

    def graph(self) -> OwnershipGraph:
        """The stakes as a checked graph (``OwnershipCycleError`` names a circle)."""
        return OwnershipGraph(self.stakes, self.names())

    def has_owners(self, party_id: int) -> bool:
        return any(s.owned_id == party_id for s in self.stakes)

    def controlling_chain(self, party_id: int) -> tuple[Stake, ...]:
        """The chain of majority owners (more than 50 % held directly) above ``party_id``, nearest first.

        Its last owner is the ultimate parent. Empty when no owner holds more than half.
        """
        chain: list[Stake] = []
        seen = {party_id}
        current = party_id
        while True:
            majority = [
                s for s in self.stakes if s.owned_id == current and s.percent is not None and s.percent > THRESHOLD
            ]
            if not majority or majority[0].owner_id in seen:
                return tuple(chain)
            chain.append(majority[0])
            current = majority[0].owner_id
            seen.add(current)

    # --- plain JSON (the determination snapshot) -----------------------------------------------

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "stakes": [
                {
                    "owner_id": s.owner_id,
                    "owned_id": s.owned_id,
                    "percent": None if s.percent is None else format(s.percent, "f"),
                    "as_of": s.as_of.isoformat(),
                    "document_sha256": s.document_sha256,
                    "note": s.note,
                }
                for s in self.stakes
            ],
            "parties": [
                {
                    "party_id": p.party_id,
                    "name": p.name,
                    "country": p.country,
                    "headquarters_country": p.headquarters_country,
                    "listed_on": [f.value for f in p.listed_on],
                    "kyc_approved": p.kyc_approved,
                    "version": p.version,
                }
                for p in self.parties
            ],
            "gathered_on": self.gathered_on.isoformat() if self.gathered_on else None,
        }
        if self.problem:
            data["problem"] = self.problem
        return data

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> OwnershipFacts:
        return cls(
            stakes=tuple(
                Stake(
                    s["owner_id"],
                    s["owned_id"],
                    None if s["percent"] is None else Decimal(s["percent"]),
                    date.fromisoformat(s["as_of"]),
                    s["document_sha256"],
                    s["note"],
                )
                for s in raw["stakes"]
            ),
            parties=tuple(
                PartyFacts(
                    p["party_id"],
                    p["name"],
                    p["country"],
                    p["headquarters_country"],
                    tuple(ListFlag(f) for f in p["listed_on"]),
                    bool(p["kyc_approved"]),
                    int(p["version"]),
                )
                for p in raw["parties"]
            ),
            gathered_on=date.fromisoformat(raw["gathered_on"]) if raw.get("gathered_on") else None,
            problem=str(raw.get("problem", "")),
        )
