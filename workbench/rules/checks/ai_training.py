"""Rule 5: AI-model training for D:5/Macau-headquartered parties (BIS policy statement, 2025-05-13).

.a-level items with an AI-training end use for or on behalf of a party headquartered in
D:5 or Macau need a licence under the part 744 end-use controls; an IaaS end use is a red
flag for review. Inference is flagged for review only: whether it is covered is UNCONFIRMED.
"""

from __future__ import annotations

from workbench.domain.countries import country_name
from workbench.domain.determination import Outcome
from workbench.rules.checks.common import item_order
from workbench.rules.context import Context


def run(ctx: Context) -> None:
    spec = ctx.data.advanced.ai_training
    record = ctx.rule(spec.rulebook)
    end_use = ctx.case.end_use
    items = [i for i in ctx.items if i.level in spec.levels or i.level == "unknown"]
    if not items or ctx.as_of < record.effective:
        return
    parties = ctx.hq_parties(spec.groups, spec.countries)
    names = ", ".join(
        f"{ctx.party_label(i)} (headquartered in {country_name(p.effective_headquarters)})" for i, p, _ in parties
    )
    notes = [n for _, _, m in parties for n in m.notes]
    unconfirmed = any(m.unconfirmed for _, _, m in parties)
    mentions_inference = any(w in end_use.description.lower() for w in spec.inference_words)
    for info in items:
        order = item_order(info.index)
        if end_use.ai_model_training and parties:
            ctx.add(
                "ai-training.d5-hq",
                Outcome.LICENSE_REQUIRED,
                spec.citation,
                info.subject,
                f"{info.label} is .a-level advanced computing and the case's end use is training AI models for or "
                f"on behalf of {names}. Under BIS's policy statement of {record.effective.isoformat()} a licence "
                "is required under the part 744 end-use controls where such training could support WMD or "
                "military-intelligence end uses; policy of denial.",
                order=order,
                notes=notes,
                unconfirmed=unconfirmed,
            )
        elif mentions_inference and parties:
            ctx.add(
                "ai-training.inference",
                Outcome.NLR,
                spec.citation,
                info.subject,
                f"{info.label}: the end use mentions inference for {names}. BIS's press release also warned about "
                "inference, but whether the policy statement covers it is UNCONFIRMED; review.",
                order=order,
                review=True,
                unconfirmed=spec.inference_unconfirmed,
            )
        if end_use.iaas:
            ctx.add(
                "ai-training.iaas",
                Outcome.NLR,
                spec.citation,
                info.subject,
                f"{info.label} is .a-level advanced computing with an IaaS end use. Supplying IaaS providers that "
                "train models for or on behalf of parties headquartered in D:5 or Macau is a red flag of a "
                "prohibited end use (BIS policy statement of 2025-05-13); routing through an IaaS provider does not "
                "avoid the control. Review who the compute is provided to.",
                order=order,
                review=True,
            )
            ctx.open_item(f"{info.subject}: IaaS end use: identify the IaaS customers and where they are headquartered")
