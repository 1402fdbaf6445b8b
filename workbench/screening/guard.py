"""Refresh guard: refuse a list file that would silently shrink a source list or barely parsed.

Feeds are sometimes partial (trade.gov developer portal #95, #146: ISN vanishing for a day,
15,000 SDN rows missing). A refused import leaves the current list version active.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workbench.domain.errors import InputFileError
from workbench.domain.screening import ParsedList, source_code


@dataclass(frozen=True, slots=True)
class GuardPolicy:
    """Refuse when a source loses more than ``max_drop_share`` of its rows AND more than
    ``min_drop_rows`` rows, or disappears; or when more than ``max_malformed_share`` of rows are
    malformed."""

    max_drop_share: float = 0.20
    min_drop_rows: int = 50
    max_malformed_share: float = 0.05


DEFAULT_POLICY = GuardPolicy()


class RefreshRefused(InputFileError):
    """The new list file was not imported; the message says why and what to do."""


def check_refresh(
    previous: Mapping[str, int] | None,
    parsed: ParsedList,
    file_name: str = "the file",
    policy: GuardPolicy = DEFAULT_POLICY,
) -> None:
    """Raise ``RefreshRefused`` if ``parsed`` must not replace a version with ``previous`` rows per source."""
    if not parsed.entries:
        raise RefreshRefused(
            f"{file_name}: no list entry could be read; the current list version stays active. Download the file again."
        )
    if parsed.malformed_share > policy.max_malformed_share:
        first = parsed.malformed[0]
        raise RefreshRefused(
            f"{file_name}: {len(parsed.malformed)} of {parsed.total_rows} rows are malformed "
            f"(more than {policy.max_malformed_share:.0%}; first at line {first.line}: {first.reason}); "
            "the current list version stays active. Download the file again."
        )
    if not previous:
        return
    problems = []
    for source, before in sorted(previous.items()):
        after = parsed.rows_per_source.get(source, 0)
        drop = before - after
        if before and (after == 0 or (drop > policy.min_drop_rows and drop / before > policy.max_drop_share)):
            problems.append(f"{source_code(source)} {before} -> {after} rows")
    if problems:
        raise RefreshRefused(
            f"{file_name}: would shrink {', '.join(problems)} (more than {policy.max_drop_share:.0%} and "
            f"{policy.min_drop_rows} rows, or gone); the current list version stays active. Feeds are "
            "sometimes partial: download the file again later, or import it anyway if the list really shrank.",
            cli_hint="to import it anyway, add --allow-shrink",
        )
