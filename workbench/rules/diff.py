"""What changed between two versions of the rule data, in words an officer reads.

Country Group memberships, Country Chart cells and CCL entries are compared by meaning (a
member added, a cell that gained an X, an entry reworded); the hand-authored files are compared
leaf by leaf by JSON pointer, so nothing that changed can go unreported.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from itertools import zip_longest
from typing import Any

from workbench.domain.countries import country_name
from workbench.rules.data import EnforcementPeriod, RuleData

MAX_CHANGES = 5000
"""A diff longer than this is cut (and says so): two unrelated data sets, not an update."""


@dataclass(frozen=True, slots=True)
class RuleChange:
    area: str
    """country_groups, country_chart, ccl, license_exceptions, rulebook, group_changes, advanced_computing,
    embargoes, part744, red_flags, dated_regulation, foreign_made, regions."""
    subject: str
    change: str
    """added, removed or changed."""
    before: str
    after: str
    words: str


def _name(code: str) -> str:
    try:
        return f"{country_name(code)} ({code})"
    except Exception:  # an unknown code is still worth naming
        return code


def _groups(old: RuleData, new: RuleData) -> Iterator[RuleChange]:
    for group in sorted(set(old.groups.groups) | set(new.groups.groups)):
        before = set(old.groups.groups.get(group, ()))
        after = set(new.groups.groups.get(group, ()))
        for code in sorted(after - before):
            yield RuleChange(
                "country_groups", f"{group} {code}", "added", "", group, f"{_name(code)} added to Country Group {group}"
            )
        for code in sorted(before - after):
            yield RuleChange(
                "country_groups",
                f"{group} {code}",
                "removed",
                group,
                "",
                f"{_name(code)} removed from Country Group {group}",
            )


def _chart(old: RuleData, new: RuleData) -> Iterator[RuleChange]:
    old_rows, new_rows = old.chart.rows, new.chart.rows
    for code in sorted(set(old_rows) | set(new_rows)):
        before = set(old_rows[code].marks) if code in old_rows else set()
        after = set(new_rows[code].marks) if code in new_rows else set()
        for column in sorted(after - before):
            yield RuleChange(
                "country_chart",
                f"{code} {column}",
                "added",
                "",
                "X",
                f"Country Chart: {_name(code)} now has an X under {column} (licence required)",
            )
        for column in sorted(before - after):
            yield RuleChange(
                "country_chart",
                f"{code} {column}",
                "removed",
                "X",
                "",
                f"Country Chart: {_name(code)} no longer has an X under {column}",
            )
        old_notes = tuple(old_rows[code].footnotes) if code in old_rows else ()
        new_notes = tuple(new_rows[code].footnotes) if code in new_rows else ()
        if old_notes != new_notes:
            yield RuleChange(
                "country_chart",
                f"{code} footnotes",
                "changed",
                str(list(old_notes)),
                str(list(new_notes)),
                f"Country Chart: footnotes of {_name(code)} changed",
            )
    yield from _leaves("country_chart", _without(old.chart, "rows"), _without(new.chart, "rows"))


def _ccl(old: RuleData, new: RuleData) -> Iterator[RuleChange]:
    before, after = old.ccl.entries, new.ccl.entries
    for eccn in sorted(set(after) - set(before)):
        yield RuleChange("ccl", eccn, "added", "", after[eccn].heading, f"CCL: {eccn} added ({after[eccn].heading})")
    for eccn in sorted(set(before) - set(after)):
        yield RuleChange("ccl", eccn, "removed", before[eccn].heading, "", f"CCL: {eccn} removed")
    for eccn in sorted(set(before) & set(after)):
        if before[eccn] == after[eccn]:
            continue
        parts = []
        if before[eccn].heading != after[eccn].heading:
            parts.append("heading")
        if before[eccn].controls != after[eccn].controls:
            old_p = {c.applies_to for c in before[eccn].controls}
            new_p = {c.applies_to for c in after[eccn].controls}
            added = ", ".join(sorted(new_p - old_p))
            removed = ", ".join(sorted(old_p - new_p))
            detail = "licence requirements"
            if added:
                detail += f" (now also {added})"
            if removed:
                detail += f" (no longer {removed})"
            parts.append(detail)
        if before[eccn].exceptions != after[eccn].exceptions:
            parts.append("licence exceptions")
        if before[eccn].reasons != after[eccn].reasons:
            parts.append(
                "reasons for control " + "/".join(before[eccn].reasons) + " → " + "/".join(after[eccn].reasons)
            )
        yield RuleChange(
            "ccl",
            eccn,
            "changed",
            before[eccn].heading,
            after[eccn].heading,
            f"CCL: {eccn} reworded: {', '.join(parts)}",
        )


def _rulebook(old: RuleData, new: RuleData) -> Iterator[RuleChange]:
    before = {r.id: r for r in old.rulebook.rules}
    after = {r.id: r for r in new.rulebook.rules}
    for rule_id in sorted(set(after) - set(before)):
        r = after[rule_id]
        yield RuleChange(
            "rulebook", rule_id, "added", "", r.title, f"Rule added: {r.title} ({r.citation}), effective {r.effective}"
        )
    for rule_id in sorted(set(before) - set(after)):
        yield RuleChange("rulebook", rule_id, "removed", before[rule_id].title, "", f"Rule removed: {rule_id}")
    for rule_id in sorted(set(before) & set(after)):
        b, a = before[rule_id], after[rule_id]
        if b == a:
            continue
        for old_p, new_p in zip_longest(b.enforcement, a.enforcement):
            if old_p == new_p:
                continue
            if new_p is None:
                yield RuleChange(
                    "rulebook",
                    f"{rule_id} enforcement",
                    "removed",
                    _period(old_p),
                    "",
                    f"Lifecycle of {rule_id}: the entry '{_period(old_p)}' was removed",
                )
            elif old_p is None:
                yield RuleChange(
                    "rulebook",
                    f"{rule_id} enforcement",
                    "added",
                    "",
                    _period(new_p),
                    f"Lifecycle of {rule_id}: {_period(new_p)} added",
                )
            else:
                yield RuleChange(
                    "rulebook",
                    f"{rule_id} enforcement",
                    "changed",
                    _period(old_p),
                    _period(new_p),
                    f"Lifecycle of {rule_id}: '{_period(old_p)}' is now '{_period(new_p)}'",
                )
        yield from _leaves(
            f"rulebook {rule_id}", _without(b, "enforcement"), _without(a, "enforcement"), area="rulebook"
        )
    yield from _leaves("rulebook", _without(old.rulebook, "rules"), _without(new.rulebook, "rules"))


def _period(period: EnforcementPeriod) -> str:
    note = f" ({period.note})" if period.note else ""
    return f"{period.status} from {period.since}{note}"


def _without(model: Any, key: str) -> dict[str, Any]:
    dumped: dict[str, Any] = model.model_dump(mode="json", by_alias=True)
    dumped.pop(key, None)
    return dumped


def _flatten(value: Any, pointer: str = "") -> Iterator[tuple[str, Any]]:
    if isinstance(value, dict):
        if not value:
            yield pointer or "/", {}
        for key in sorted(value):
            yield from _flatten(value[key], f"{pointer}/{str(key).replace('~', '~0').replace('/', '~1')}")
    elif isinstance(value, list):
        if not value:
            yield pointer or "/", []
        for i, item in enumerate(value):
            yield from _flatten(item, f"{pointer}/{i}")
    else:
        yield pointer or "/", value


def _short(value: Any) -> str:
    text = "" if value is None else str(value)
    return text if len(text) <= 200 else text[:199] + "…"


def _leaves(
    label: str, old: Mapping[str, Any], new: Mapping[str, Any], area: str | None = None
) -> Iterator[RuleChange]:
    before = dict(_flatten(dict(old)))
    after = dict(_flatten(dict(new)))
    for pointer in sorted(set(before) | set(after)):
        if pointer in before and pointer in after:
            if before[pointer] == after[pointer]:
                continue
            change, words = "changed", f"{label} {pointer}: {_short(before[pointer])} → {_short(after[pointer])}"
        elif pointer in after:
            change, words = "added", f"{label} {pointer} added: {_short(after[pointer])}"
        else:
            change, words = "removed", f"{label} {pointer} removed (was {_short(before[pointer])})"
        yield RuleChange(area or label, pointer, change, _short(before.get(pointer)), _short(after.get(pointer)), words)


def _generic(area: str, attribute: str, old: RuleData, new: RuleData) -> Iterator[RuleChange]:
    yield from _leaves(
        area,
        getattr(old, attribute).model_dump(mode="json", by_alias=True),
        getattr(new, attribute).model_dump(mode="json", by_alias=True),
    )


def diff_rule_data(old: RuleData, new: RuleData) -> tuple[tuple[RuleChange, ...], bool]:
    """Every change from ``old`` to ``new``; the flag says the list was cut at ``MAX_CHANGES``."""
    if old.digest == new.digest:
        return (), False
    generators = [
        _groups(old, new),
        _chart(old, new),
        _ccl(old, new),
        _generic("license_exceptions", "exceptions", old, new),
        _rulebook(old, new),
        _generic("group_changes", "group_changes", old, new),
        _generic("advanced_computing", "advanced", old, new),
        _generic("embargoes", "embargoes", old, new),
        _generic("part744", "part744", old, new),
        _generic("red_flags", "red_flags", old, new),
        _generic("dated_regulation", "dated", old, new),
        _generic("foreign_made", "foreign", old, new),
        _generic("regions", "regions", old, new),
    ]
    out: list[RuleChange] = []
    for generator in generators:
        for change in generator:
            if len(out) >= MAX_CHANGES:
                return tuple(out), True
            out.append(change)
    return tuple(out), False
