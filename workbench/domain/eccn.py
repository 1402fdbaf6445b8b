"""Export Control Classification Number syntax (15 CFR part 774)."""

from __future__ import annotations

import re

from workbench.domain.errors import ValidationError

EAR99 = "EAR99"

# Category digit, product group A-E, three digits; then paragraphs such as
# .a, .z.1.a, .b.4.b or 5A002.a.1. The "0Y521" series names items not yet classified.
_ECCN = re.compile(r"^(?P<head>[0-9][A-E][0-9]{3}|[0-9]Y521)(?P<par>(\.[a-z0-9]{1,4})*)$")


def normalise_eccn(value: str | None, field: str = "eccn") -> str | None:
    """Return the canonical ECCN, ``EAR99``, or ``None`` for "not yet classified".

    The five-character head is upper case and paragraphs lower case, so
    ``3a090.A`` and ``3A090.a`` are the same classification.
    """
    if value is None:
        return None
    text = value.strip()
    if not text or text.lower() in {"unclassified", "none", "-"}:
        return None
    if text.upper() == EAR99:
        return EAR99
    head, _, rest = text.partition(".")
    candidate = head.upper() + ("." + rest.lower() if rest else "")
    if not _ECCN.match(candidate):
        raise ValidationError(
            field,
            f"'{value}' is not a valid ECCN; write it as on the Commerce Control List, "
            "e.g. 3A090.a, 5A992.c or 0Y521, or EAR99 for items subject to the EAR but not listed",
        )
    return candidate


def eccn_head(eccn: str) -> str:
    """Return the five-character entry (``3A090`` for ``3A090.a.1``)."""
    return eccn.split(".", 1)[0]
