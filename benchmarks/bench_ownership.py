"""Ownership evaluation on a 5-level, 200-party tree (issue #14 goal: 10 ms or less).

Builds the graph (with its cycle check) and aggregates the Affiliates Rule lists and the SDN
list for the bottom party, as the rule evaluator does for one case party.
"""

from __future__ import annotations

import statistics
import time
from datetime import date
from decimal import Decimal
from itertools import pairwise

from workbench.domain.case import ListFlag
from workbench.domain.ownership import OwnershipGraph, Stake
from workbench.rules.ownership import evaluate_ownership

LEVELS = (1, 4, 15, 60, 119)  # with the bottom party: 200 parties over five levels of owners


def build() -> tuple[list[Stake], dict[int, list[ListFlag]], int]:
    stakes: list[Stake] = []
    levels: list[list[int]] = []
    next_id = 1
    for size in LEVELS:
        levels.append(list(range(next_id, next_id + size)))
        next_id += size
    # Every party of a level is owned by three parties of the level above (except the top).
    for upper, lower in pairwise(levels):
        for i, owned in enumerate(lower):
            owners = {upper[(i + k) % len(upper)] for k in range(3)}
            for owner in sorted(owners):
                stakes.append(Stake(owner, owned, Decimal("33.34"), date(2026, 1, 1), note="bench"))
    # The bottom party of the tree: owned by every party of the last level.
    bottom = next_id
    for owner in levels[-1]:
        stakes.append(Stake(owner, bottom, Decimal("0.5"), date(2026, 1, 1), note="bench"))
    listed = {
        levels[1][0]: [ListFlag.ENTITY_LIST],
        levels[1][1]: [ListFlag.MILITARY_END_USER],
        levels[2][3]: [ListFlag.SDN],
    }
    return stakes, listed, bottom


def main() -> None:
    stakes, listed, bottom = build()
    times = []
    for _ in range(50):
        start = time.perf_counter()
        graph = OwnershipGraph(tuple(stakes))
        evaluate_ownership(bottom, graph, listed, date(2025, 10, 15))
        times.append((time.perf_counter() - start) * 1000)
    parties = len(graph.parties())
    print(
        f"| ownership: build + evaluate a 5-level, {parties}-party tree ({len(stakes)} stakes), median / best of 50 "
        f"| {statistics.median(times):.2f} ms / {min(times):.2f} ms |"
    )


if __name__ == "__main__":
    main()
