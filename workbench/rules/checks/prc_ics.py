"""Rule 4: General Prohibition 10 and PRC advanced ICs (BIS guidance of 2025-05-13).

Any Huawei Ascend 910B/910C/910D (matched on manufacturer, model and description,
tolerant of spacing and small misspellings) or an item flagged as a PRC 3A090-class
IC is ``prohibited`` without BIS authorization, anywhere, citing §736.2(b)(10).
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from workbench.domain.case import Item
from workbench.domain.determination import Outcome
from workbench.rules.checks.common import item_order
from workbench.rules.context import Context
from workbench.rules.data import PrcIcs

_TOKEN = re.compile(r"[a-z]+|\d+[a-z]*")


def _similar(token: str, words: tuple[str, ...], threshold: float) -> bool:
    return any(token == w or SequenceMatcher(None, token, w).ratio() >= threshold for w in words)


def match_prc_ic(item: Item, spec: PrcIcs) -> str | None:
    """The named model an item is, or why it is treated as one; None if it is not."""
    if item.prc_advanced_ic:
        return "the item is flagged as a PRC 3A090-class advanced IC"
    text = " ".join((item.manufacturer, item.model, item.description)).lower()
    tokens = _TOKEN.findall(text)
    compact = "".join(tokens)
    for model in spec.models:
        if model.key not in compact:
            continue
        maker = any(_similar(t, spec.manufacturers, spec.similarity) for t in tokens if t.isalpha())
        family = any(_similar(t, spec.family_words, spec.similarity) for t in tokens if t.isalpha())
        if maker or family:
            return f'the item is a Huawei {model.model} (matched on "{" ".join(tokens)}")'
    return None


def run(ctx: Context) -> None:
    spec = ctx.data.advanced.prc_ics
    record = ctx.rule(spec.rulebook)
    for info in ctx.items:
        why = match_prc_ic(info.item, spec)
        if why is None:
            continue
        if ctx.as_of < record.effective:
            ctx.add(
                "gp10.prc-advanced-ic",
                Outcome.NLR,
                spec.citation,
                info.subject,
                f"{info.label}: {why}. BIS's GP10 guidance on PRC advanced ICs dates from "
                f"{record.effective.isoformat()}, after {ctx.as_of.isoformat()}; General Prohibition 10 may still "
                "apply if the chip was made in violation of the EAR. Review.",
                order=item_order(info.index),
                review=True,
            )
            continue
        ctx.add(
            "gp10.prc-advanced-ic",
            Outcome.PROHIBITED,
            spec.citation,
            info.subject,
            f"{info.label}: {why}. Under BIS's guidance of {record.effective.isoformat()} ({record.title}), such "
            "chips were very probably designed or produced in violation of the EAR, and using, transferring, "
            "financing or servicing them anywhere in the world engages General Prohibition 10: prohibited without "
            f"BIS authorization. Safe harbour: {spec.safe_harbour}. Before any dealing, confirm with the supplier "
            "that all required authorizations were and remain in effect.",
            order=item_order(info.index),
        )
