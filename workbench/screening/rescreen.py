"""Compare a party's hits before and after a list import: what is new, what is gone."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from workbench.domain.screening import ScreeningHit

HitKey = tuple[str, str, str]
"""(source code, entry id, entry content hash): a changed entry counts as gone and new."""


@dataclass(frozen=True, slots=True)
class HitDiff:
    new: tuple[ScreeningHit, ...]
    gone: tuple[ScreeningHit, ...]
    unchanged: tuple[ScreeningHit, ...]

    @property
    def changed(self) -> bool:
        return bool(self.new or self.gone)


def diff_hits(before: Iterable[ScreeningHit], after: Iterable[ScreeningHit]) -> HitDiff:
    """Hits in ``after`` but not ``before`` are new; the reverse are gone; ``unchanged`` are from ``after``."""
    old = {h.key: h for h in before}
    cur = {h.key: h for h in after}
    return HitDiff(
        new=tuple(h for k, h in cur.items() if k not in old),
        gone=tuple(h for k, h in old.items() if k not in cur),
        unchanged=tuple(h for k, h in cur.items() if k in old),
    )


def diff_keys(before: Iterable[HitKey], after: Iterable[HitKey]) -> tuple[set[HitKey], set[HitKey]]:
    """The same for stored hits known only by key: (new keys, gone keys)."""
    old, cur = set(before), set(after)
    return cur - old, old - cur
