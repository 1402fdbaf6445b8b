"""Screening results handed to the engine: one party's (possible) listing on a restricted list."""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.case import ListFlag


@dataclass(frozen=True, slots=True)
class PartyListing:
    """A confirmed (``resolved=True``) or unresolved screening hit for one party.

    ``license_requirement`` and ``license_policy`` quote the Entity List entry's columns
    when the screening source has them. An unresolved hit is treated as a match until an
    officer clears it: its consequence becomes a provisional finding and an open item.
    """

    list_flag: ListFlag
    source_name: str
    entry_name: str
    license_requirement: str = ""
    license_policy: str = ""
    resolved: bool = True
