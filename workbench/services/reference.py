"""Reference data for pickers and completion: countries and CCL entries.

The UI reaches the rule data only through here, so it never imports the rules
engine and still works while the CCL data is missing or being rebuilt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import cache

from workbench.domain.countries import country_names

logger = logging.getLogger(__name__)


@cache
def _ccl() -> tuple[Callable[[], list[str]], Callable[[str], str | None]] | None:
    """The CCL helpers of the rules engine, or None if they cannot be loaded."""
    try:
        from workbench.rules.ccl import ccl_eccns, ccl_heading
    except ImportError:
        logger.warning("the CCL is not available; ECCN completion is off")
        return None
    return ccl_eccns, ccl_heading


@cache
def eccn_choices() -> list[tuple[str, str]]:
    """Every ECCN entry on the CCL with its heading, sorted by ECCN (empty without CCL data)."""
    helpers = _ccl()
    if helpers is None:
        return []
    eccns, heading = helpers
    try:
        return [(eccn, heading(eccn) or "") for eccn in eccns()]
    except Exception:  # the rule data failed to load: completion is a convenience, not a must
        logger.exception("could not load the CCL for ECCN completion")
        return []


def eccn_heading(eccn: str) -> str | None:
    """The CCL heading of ``eccn``'s entry; None for EAR99, unknown entries or without CCL data."""
    helpers = _ccl()
    if helpers is None or not eccn:
        return None
    try:
        return helpers[1](eccn)
    except Exception:
        logger.exception("could not look up the CCL heading of %s", eccn)
        return None


def country_choices() -> list[tuple[str, str]]:
    """Every accepted ISO 3166 alpha-2 code with its English name, sorted by name."""
    return sorted(country_names().items(), key=lambda pair: pair[1].casefold())
