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


# What a confirmed match on a CSL source list the rule data does not model implies (shared
# reference/ear-facts.md section 6). None of them is an EAR licence requirement by itself, so a
# hit stays an open item for the officer, never NLR by default.
UNMODELLED_EFFECTS: dict[str, str] = {
    "DTC": "State's AECA/ITAR debarment: barred from defense-article exports (22 CFR 127.7); for EAR items a red flag",
    "ISN": "State's nonproliferation sanctions: restrictions per the party's Federal Register determination, "
    "which can include denial of export licences",
    "SSI": "OFAC sectoral sanctions (directives on financing and certain dealings)",
    "NS-MBS": "OFAC menu-based sanctions (the sanctions chosen for that party)",
    "CMIC": "OFAC restrictions on securities of Chinese military-industrial complex companies",
    "PLC": "OFAC's Palestinian Legislative Council list",
    "CAP": "OFAC's correspondent and payable-through account restrictions (CAPTA)",
    "FSE": "OFAC's Foreign Sanctions Evaders list (its current status is UNCONFIRMED in the reference)",
}


def unmodelled_effect(source_code: str) -> str:
    return UNMODELLED_EFFECTS.get(source_code, f"the {source_code} programme's restrictions")
