"""The classification assistant run on a product: the same code the checks and the Chips panel use.

``review`` asks ``classify.suggest_eccn`` for a proposal from the product's figures and
``classify.contradiction`` whether the recorded ECCN disagrees with them, so the library,
the case checks and the chart never read the 3A090 thresholds differently.
"""

from __future__ import annotations

from workbench.domain.products import ClassificationReview, Product
from workbench.rules.classify import contradiction, suggest_eccn
from workbench.rules.data import rule_data


def _describe(product: Product) -> str:
    """The words the assistant reads to tell an IC (3A090) from a board or system (4A090)."""
    return " ".join(part for part in (product.description, product.model) if part)


def review(product: Product) -> ClassificationReview:
    """The assistant's proposal for ``product`` and whether its recorded ECCN contradicts the figures."""
    suggestion = suggest_eccn(
        product.tpp, product.performance_density, product.datacenter, description=_describe(product)
    )
    conflict = contradiction(product.eccn, product.tpp, product.performance_density, product.datacenter)
    return ClassificationReview(
        recorded=product.eccn,
        proposed=suggestion.eccn,
        explanation=suggestion.explanation,
        conflict=conflict,
        missing=suggestion.missing,
        nac_aca=suggestion.nac_aca,
        rules_digest=rule_data().digest,
    )
