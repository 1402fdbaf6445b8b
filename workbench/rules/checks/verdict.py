"""What one licence exception does for one Country Chart requirement (shared by the part 740 checks)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Verdict:
    """What one exception does for one requirement."""

    symbol: str
    citation: str
    available: bool = False
    conditions: list[str] = field(default_factory=list)
    """Conditions of use still to meet (the exception is available once they are)."""
    unknown: list[str] = field(default_factory=list)
    """Facts the case does not hold that decide eligibility (the requirement stands until confirmed)."""
    why_not: str = ""
    unconfirmed: bool = False
    text: str = ""
