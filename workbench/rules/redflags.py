"""Red-flag checklists (BIS Know Your Customer, Supp. 3 to part 732; May 2025 diversion guidance).

``checklist(advanced_computing)`` gives the flags an officer answers for a case; the
answers are stored per case as ``RedFlagAnswer`` records keyed by flag id.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbench.domain.case import Case
from workbench.rules.context import item_info
from workbench.rules.data import rule_data


@dataclass(frozen=True, slots=True)
class RedFlag:
    id: str
    text: str
    source: str
    applies_to: str
    """``all`` or ``advanced_computing``."""
    checklist: str
    citation: str
    unconfirmed: bool = False


def checklist(advanced_computing: bool) -> list[RedFlag]:
    """The flags to answer: KYC always, the diversion flags on advanced-computing cases."""
    flags: list[RedFlag] = []
    for group in rule_data().red_flags.checklists:
        if group.applies_to == "advanced_computing" and not advanced_computing:
            continue
        flags.extend(
            RedFlag(f.id, f.text, group.source, group.applies_to, group.id, group.citation, f.unconfirmed)
            for f in group.flags
        )
    return flags


def is_advanced_computing(case: Case) -> bool:
    """Whether any item is advanced computing (3A090/4A090/.z, by ECCN or by its figures)."""
    return any(item_info(i, item).advanced for i, item in enumerate(case.items))


def case_checklist(case: Case) -> list[RedFlag]:
    """The checklist that applies to ``case``."""
    return checklist(is_advanced_computing(case))
