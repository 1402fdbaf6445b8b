"""Small helpers shared by the checks: citations from text, ordering keys, subjects."""

from __future__ import annotations

import re

from workbench.domain.countries import country_name
from workbench.rules.context import Context

CASE = (0, 0)
DESTINATION = (0, 1)

_SECTION = re.compile(r"§+\s*(\d{3}\.\d+(?:\([A-Za-z0-9]+\))*)")


def item_order(index: int) -> tuple[int, int]:
    return (1, index)


def party_order(index: int) -> tuple[int, int]:
    return (2, index)


def cfr(text: str, default: str) -> str:
    """ "15 CFR 742.6(a)(6)(iii)(B)" from a row like "... See § 742.6(a)(6)(iii)(B) of the EAR."."""
    sections = _SECTION.findall(text)
    return "15 CFR " + "; ".join(dict.fromkeys(sections)) if sections else default


def dest_label(ctx: Context) -> str:
    return f"destination ({country_name(ctx.case.destination)})"


def chart_caveats(ctx: Context) -> list[str]:
    """Dataset caveats (e.g. 2025 chart rows UNCONFIRMED) that apply on ``ctx.as_of``."""
    return [c.note for c in ctx.data.rulebook.dataset_caveats if c.dataset == "country-chart" and ctx.as_of < c.before]


def posture_phrase(ctx: Context) -> str:
    return f"posture {ctx.posture.value}, as of {ctx.as_of.isoformat()}"
