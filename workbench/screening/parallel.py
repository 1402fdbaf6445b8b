"""Screen many register parties on several cores.

Screening is pure Python and CPU-bound, so threads do not help; worker processes do. Workers are
forked (where the platform can) after the screeners are built, so they inherit the built
indexes instead of unpickling them (the full CSL index takes seconds to pickle). Each task is a
batch of parties with the name of the screener to use; results come back as ``PartyHit`` lists
in the same order. Where forking is not available, or for a small batch, screening runs in the
calling process, with the same results.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass

from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import PartyHit
from workbench.screening.address import AddressIndex
from workbench.screening.matcher import Screener
from workbench.screening.party import screen_register_party

MIN_PARALLEL = 400
"""Fewer parties than this in a batch are screened in the calling process (forking costs more)."""
ENV_WORKERS = "WORKBENCH_SCREEN_WORKERS"


@dataclass(frozen=True, slots=True)
class ScreeningSetup:
    """What every worker screens with: named screeners (with their address indexes) and the settings."""

    screeners: Mapping[str, tuple[Screener, AddressIndex]]
    version_id: int
    allowed: tuple[str, ...]
    threshold: float


_SETUP: ScreeningSetup | None = None
"""The setup a forked worker inherited (set in the parent just before forking)."""


def workers_wanted() -> int:
    """``$WORKBENCH_SCREEN_WORKERS`` if set (1 turns parallel screening off), else the CPU count, at most 4."""
    configured = os.environ.get(ENV_WORKERS, "").strip()
    if configured.isdigit() and int(configured) >= 1:
        return min(int(configured), 16)
    return max(1, min(os.cpu_count() or 1, 4))


def _screen(setup: ScreeningSetup, which: str, parties: Sequence[RegisterParty]) -> list[list[PartyHit]]:
    built, addresses = setup.screeners[which]
    return [
        screen_register_party(built, addresses, p, setup.version_id, setup.allowed, setup.threshold) for p in parties
    ]


def _work(which: str, parties: Sequence[RegisterParty]) -> list[list[PartyHit]]:
    assert _SETUP is not None, "a screening worker started without its setup"
    return _screen(_SETUP, which, parties)


class PartyScreeningPool:
    """Screens batches of parties, in worker processes when there are enough of them."""

    def __init__(self, setup: ScreeningSetup, executor: Executor | None, workers: int) -> None:
        self.setup = setup
        self._executor = executor
        self.workers = workers

    def screen(self, which: str, parties: Sequence[RegisterParty]) -> list[list[PartyHit]]:
        if self._executor is None or len(parties) < MIN_PARALLEL:
            return _screen(self.setup, which, parties)
        size = -(-len(parties) // (self.workers * 2))
        batches = [list(parties[i : i + size]) for i in range(0, len(parties), size)]
        futures = [self._executor.submit(_work, which, batch) for batch in batches]
        return [hits for future in futures for hits in future.result()]


@contextmanager
def screening_pool(setup: ScreeningSetup, workers: int | None = None) -> Iterator[PartyScreeningPool]:
    """A pool for ``setup``: forked workers when more than one is wanted and forking is available."""
    global _SETUP
    wanted = workers_wanted() if workers is None else workers
    if wanted <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        yield PartyScreeningPool(setup, None, 1)
        return
    _SETUP = setup
    executor = ProcessPoolExecutor(max_workers=wanted, mp_context=multiprocessing.get_context("fork"))
    try:
        yield PartyScreeningPool(setup, executor, wanted)
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
        _SETUP = None
