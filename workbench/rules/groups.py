"""Country Group membership on a given date, and destination scopes built from groups.

The base table is the eCFR snapshot; effective-dated changes (``group-changes.json``)
are undone for dates before them and applied from their date when they postdate the
snapshot. Each lookup also returns the notes a finding must repeat: the two dates of
the Cambodia change while both matter, and UNCONFIRMED dates.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from workbench.domain.countries import country_name
from workbench.rules.data import GroupChange, RuleData, note_consulted, per_rule_data, rule_data


@dataclass(frozen=True, slots=True)
class Membership:
    country: str
    """The code looked up (after aliases such as Hong Kong -> China)."""
    groups: frozenset[str]
    notes: tuple[str, ...] = ()
    unconfirmed: bool = False


def _change_note(change: GroupChange, as_of: date, in_force: bool, snapshot: date) -> tuple[str | None, bool]:
    name = country_name(change.country)
    verb = "removed from" if change.change == "remove" else "added to"
    if change.later_date and change.effective <= as_of < change.later_date:
        return (
            f"{name} is treated as {verb} {change.group} from {change.effective.isoformat()}: "
            f"{change.effective_basis} The EAR table itself changed only later ({change.later_event}); "
            f"as-of {as_of.isoformat()} falls between the two dates, and the first is used.",
            change.unconfirmed,
        )
    if change.unconfirmed and as_of < snapshot:
        state = f"{verb} {change.group}" if in_force else f"not yet {verb} {change.group}"
        return (
            f"{name} {state} on {as_of.isoformat()}: the change's date ({change.effective.isoformat()}) "
            f"is UNCONFIRMED ({change.effective_basis})",
            True,
        )
    return None, False


class GroupTable:
    """Membership lookups against one loaded data set (cached per country and date)."""

    def __init__(self, data: RuleData) -> None:
        self._data = data
        self._base = {g: frozenset(m) for g, m in data.groups.groups.items()}
        self._snapshot = data.groups.ecfr_issue_date
        self._changes: dict[str, tuple[GroupChange, ...]] = {}
        for change in data.group_changes.changes:
            self._changes[change.country] = (*self._changes.get(change.country, ()), change)
        self._cached_lookup = lru_cache(maxsize=4096)(self._lookup)

    def lookup(self, code: str, as_of: date) -> Membership:
        """The groups of ``code`` on ``as_of`` (recorded as consulted, for local-amendment notes)."""
        note_consulted(country=code)
        return self._cached_lookup(code, as_of)

    def canonical(self, code: str) -> str:
        alias = self._data.group_changes.aliases.get(code)
        return alias.as_ if alias else code

    def _lookup(self, code: str, as_of: date) -> Membership:
        country = self.canonical(code)
        groups = {g for g, members in self._base.items() if country in members}
        notes: list[str] = []
        unconfirmed = False
        for change in sorted(self._changes.get(country, ()), key=lambda c: (c.effective, c.id)):
            in_force = change.effective <= as_of
            reflected = change.effective <= self._snapshot
            present = in_force if change.change == "add" else not in_force
            if reflected != in_force:
                if present:
                    groups.add(change.group)
                else:
                    groups.discard(change.group)
            note, flag = _change_note(change, as_of, in_force, self._snapshot)
            if note:
                notes.append(note)
                unconfirmed = unconfirmed or flag
        if country != code:
            notes.insert(0, f"{country_name(code)} takes {country_name(country)}'s Country Groups")
        return Membership(country, frozenset(groups), tuple(notes), unconfirmed)

    def in_scope(
        self,
        code: str,
        as_of: date,
        *,
        groups: Iterable[str] = (),
        countries: Iterable[str] = (),
        exclude_groups: Iterable[str] = (),
        exclude_countries: Iterable[str] = (),
        worldwide: bool = False,
    ) -> tuple[bool, Membership]:
        """Whether ``code`` falls in a scope such as "D:1, D:4, D:5 or Macau, excluding A:5/A:6"."""
        member = self.lookup(code, as_of)
        ids = {code, member.country}
        if ids & set(exclude_countries):
            return False, member
        if member.groups & set(exclude_groups) and not ids & set(countries):
            # An explicitly named country survives a group exclusion (e.g. the UAE in A:5).
            return False, member
        inside = worldwide or bool(ids & set(countries)) or bool(member.groups & set(groups))
        return inside, member


@per_rule_data
def _default_table() -> GroupTable:
    return GroupTable(rule_data())


def group_table() -> GroupTable:
    return _default_table()


def describe_groups(member: Membership, relevant: Iterable[str]) -> str:
    """ "in D:1, D:4" / "in none of D:1, D:4, D:5" for explanations."""
    wanted = sorted(set(relevant))
    hits = [g for g in wanted if g in member.groups]
    if hits:
        return "in Country Group " + ", ".join(hits)
    return "in none of Country Groups " + ", ".join(wanted) if wanted else "in no listed Country Group"
