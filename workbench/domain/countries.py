"""ISO 3166-1 alpha-2 country codes, with names for pickers and messages."""

from __future__ import annotations

from functools import cache

import pycountry

from workbench.domain.errors import ValidationError

# Codes the export-control world uses that ISO 3166-1 does not (yet) assign.
_EXTRA = {"XK": "Kosovo"}


@cache
def country_names() -> dict[str, str]:
    """Map every accepted alpha-2 code to its common English name."""
    names = {c.alpha_2: getattr(c, "common_name", None) or c.name for c in pycountry.countries}
    names.update(_EXTRA)
    return dict(sorted(names.items()))


def country_name(code: str) -> str:
    """Return the English name of ``code``, or the code itself if unknown."""
    return country_names().get(code, code)


def country_code(value: object, field: str = "country") -> str:
    """Validate and normalise a country code (case-insensitive, trimmed)."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "a country is required: give its ISO 3166 two-letter code, e.g. DE")
    code = value.strip().upper()
    if code not in country_names():
        raise ValidationError(
            field,
            f"'{value}' is not an ISO 3166 two-letter country code; use e.g. DE for Germany, "
            "CN for China, MY for Malaysia",
        )
    return code


def subdivision_code(value: object, country: str, field: str = "region") -> str:
    """Validate an ISO 3166-2 subdivision code (e.g. UA-43 for Crimea) that lies in ``country``."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, "give the region as an ISO 3166-2 code, e.g. UA-43 for Crimea, or leave it empty")
    code = value.strip().upper()
    subdivision = pycountry.subdivisions.get(code=code)  # type: ignore[no-untyped-call]
    if subdivision is None:
        raise ValidationError(
            field,
            f"'{value}' is not an ISO 3166-2 region code; use e.g. UA-43 (Crimea), UA-14 (Donetsk), UA-09 (Luhansk)",
        )
    if subdivision.country_code != country:
        raise ValidationError(
            field, f"region {code} ({subdivision.name}) is not in {country}; correct the region or the country"
        )
    return code
