"""Continuous screening: after a list import the whole register is rescreened, by delta.

For each party last screened against an earlier list version, only the entries added or
changed since that version are screened (against all of the party's names and addresses), and
hits on entries changed or removed are dropped; a party added or edited since its last
screening (or never screened) is screened against every entry. ``full=True`` screens everyone
against everything (``party screen --all``). Work goes in chunks of parties, each chunk one
transaction, so Cancel keeps what is done and names the parties that keep their earlier result
(they are still on their earlier version, so the next rescreen picks them up by delta).

The report names, for every party whose hits changed, the new hits, the hits gone and the cases
the party appears in: open ones, and determined or closed ones still within the retention
period that maintenance applies (15 CFR 762.6, five years after the last determination).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime

from workbench.domain.audit import Change
from workbench.domain.case import CaseStatus
from workbench.domain.ports import UnitOfWork
from workbench.domain.register import RegisterParty
from workbench.domain.register_screening import EntryKey, PartyHit, Subject
from workbench.domain.screening_records import ListVersion
from workbench.screening.address import AddressIndex
from workbench.screening.matcher import Screener
from workbench.screening.parallel import PartyScreeningPool, ScreeningSetup, screening_pool
from workbench.services.bootstrap import Workbench
from workbench.services.maintenance import retention_until
from workbench.services.register_screening import address_index
from workbench.services.screening import OPEN_STATUSES, allow_list, screener

Progress = Callable[[int, int], None]
CHUNK = 2_000
FULL = "full"
MAX_NAMED_NOT_SCREENED = 20


@dataclass(frozen=True, slots=True)
class CaseTouched:
    reference: str
    title: str
    status: str
    open: bool
    retained_until: date | None
    """For a determined or closed case: the end of its retention period."""


@dataclass(frozen=True, slots=True)
class WatchChange:
    """A register party whose hits changed, and the cases that change touches."""

    party_id: int
    party_name: str
    new: tuple[PartyHit, ...]
    gone: tuple[PartyHit, ...]
    cases: tuple[CaseTouched, ...] = ()


@dataclass
class RegisterRescreenReport:
    version: ListVersion
    full: bool
    parties: int = 0
    screened_full: int = 0
    """Parties screened against every entry (new, edited, never screened, or ``full``)."""
    screened_delta: int = 0
    """Parties screened against the entries added or changed since their last screening."""
    current: int = 0
    """Parties already screened against this version with their current data (nothing to do)."""
    entries_added: int = 0
    entries_changed: int = 0
    entries_removed: int = 0
    changes: list[WatchChange] = field(default_factory=list)
    not_rescreened: list[int] = field(default_factory=list)
    """Parties not reached because the rescreen was cancelled: they keep their earlier result."""
    not_rescreened_names: dict[int, str] = field(default_factory=dict)
    """Names of the first few of ``not_rescreened``, for the message."""
    seconds: float = 0.0
    index_seconds: float = 0.0
    """Of ``seconds``: building the new version's index (once per list file) and the delta indexes."""

    @property
    def cancelled(self) -> bool:
        return bool(self.not_rescreened)

    @property
    def new_hits(self) -> int:
        return sum(len(c.new) for c in self.changes)

    @property
    def gone_hits(self) -> int:
        return sum(len(c.gone) for c in self.changes)

    def not_rescreened_text(self) -> str:
        """One sentence naming the parties that keep their earlier result ("" when none)."""
        if not self.not_rescreened:
            return ""
        shown = [f"{self.not_rescreened_names.get(i, '')} (party {i})".strip() for i in self.not_rescreened]
        listed = ", ".join(shown[:MAX_NAMED_NOT_SCREENED])
        more = len(shown) - MAX_NAMED_NOT_SCREENED
        return (
            f"The register rescreen was cancelled: {len(shown):,} register "
            f"part{'ies' if len(shown) != 1 else 'y'} keep their earlier screening result: {listed}"
            + (f" and {more:,} more" if more > 0 else "")
            + "; the next list import or a full rescreen of the register screens them."
        )


@dataclass
class _Delta:
    """What changed between a party's last version and the new one, ready to screen."""

    stale: set[EntryKey]
    """Entries changed or removed: hits on them are dropped (a changed one may be found again)."""
    screener: Screener
    addresses: AddressIndex
    added: int
    changed: int
    removed: int


def _delta(
    wb: Workbench,
    old_version: int,
    new_keys: dict[EntryKey, str],
    built: Screener,
    full_addresses: AddressIndex,
    version: ListVersion,
) -> _Delta:
    with wb.uow() as uow:
        old_keys = uow.party_screening.entry_keys(old_version)
        fresh = [k for k, h in new_keys.items() if old_keys.get(k) != h]
        entries = uow.party_screening.entries_by_key(version.id, fresh)
    removed = {k for k in old_keys if k not in new_keys}
    changed = {k for k in fresh if k in old_keys}
    # The rarity of each token comes from the whole list, so a delta hit scores what a full screening would.
    small = Screener(entries, stats=built.index.stats)
    return _Delta(
        stale=removed | changed,
        screener=small,
        addresses=AddressIndex(entries, weights_from=full_addresses),
        added=len(fresh) - len(changed),
        changed=len(changed),
        removed=len(removed),
    )


def _hit_text(hit: PartyHit) -> str:
    how = " (address match)" if hit.by_address else ""
    return f"{hit.source_code} {hit.entry_id} {hit.entry_name}{how}"


def rescreen_register(
    wb: Workbench,
    *,
    full: bool = False,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    today: date | None = None,
    workers: int | None = None,
) -> RegisterRescreenReport:
    """Rescreen the register against the active list version (by delta unless ``full``).

    ``workers`` screening processes (default: the CPU count, see ``screening.parallel``).
    """
    started = time.perf_counter()
    with wb.uow() as uow:
        total = uow.party_screening.party_count()
        active = uow.lists.active()
    if total == 0 and active is not None:  # nothing to screen: no index to build either
        report = RegisterRescreenReport(active, full)
        if progress:
            progress(0, 0)
        return report
    version, built = screener(wb)
    addresses = address_index(built)
    allowed = tuple(allow_list(wb))
    threshold = wb.screening_threshold
    report = RegisterRescreenReport(version, full)
    with wb.uow() as uow:
        old_versions = [] if full else [v for v in uow.party_screening.run_versions() if v != version.id]
        new_keys = uow.party_screening.entry_keys(version.id) if old_versions else {}
    report.parties = total
    deltas = {old: _delta(wb, old, new_keys, built, addresses, version) for old in old_versions}
    report.index_seconds = time.perf_counter() - started
    setup = ScreeningSetup(
        {FULL: (built, addresses), **{str(old): (d.screener, d.addresses) for old, d in deltas.items()}},
        version.id,
        allowed,
        threshold,
    )
    changes: list[WatchChange] = []
    after, done = 0, 0
    if progress:
        progress(0, total)
    with screening_pool(setup, workers) as pool:
        while True:
            if cancel and cancel():
                _record_not_screened(wb, report, after)
                break
            with wb.uow() as uow:
                subjects = uow.party_screening.subjects(after, CHUNK)
            if not subjects:
                break
            _rescreen_chunk(wb, pool, subjects, deltas, report, changes)
            after = subjects[-1].party.id or after
            done += len(subjects)
            if progress:
                progress(min(done, total), total)
    if deltas:
        first = next(iter(deltas.values()))
        report.entries_added, report.entries_changed, report.entries_removed = first.added, first.changed, first.removed
    report.changes = _with_cases(wb, changes, today or datetime.now(UTC).date())
    _audit_summary(wb, report)
    report.seconds = time.perf_counter() - started
    return report


def _rescreen_chunk(
    wb: Workbench,
    pool: PartyScreeningPool,
    subjects: list[Subject],
    deltas: dict[int, _Delta],
    report: RegisterRescreenReport,
    changes: list[WatchChange],
) -> None:
    """Screen one chunk of parties (by delta where they can be) and store it in one transaction."""
    setup = pool.setup
    plan_full: list[Subject] = []
    plan_delta: dict[int, list[Subject]] = {}
    for subject in subjects:
        if report.full or subject.run_version_id is None or subject.run_fingerprint != subject.party.fingerprint:
            plan_full.append(subject)
        elif subject.run_version_id == setup.version_id:
            report.current += 1
        else:
            plan_delta.setdefault(subject.run_version_id, []).append(subject)
    found: dict[int, list[PartyHit]] = {}
    for which, group in ((FULL, plan_full), *((str(old), group) for old, group in plan_delta.items())):
        if group:
            results = pool.screen(which, [s.party for s in group])
            found.update((s.party.id, hits) for s, hits in zip(group, results, strict=True) if s.party.id)
    version = report.version
    threshold = setup.threshold
    with wb.uow() as uow:
        repo = uow.party_screening
        stored = repo.stored_hits([s.party.id for s in subjects if s.party.id is not None])
        moved: list[int] = []  # delta-screened: their run moves to the new version, hits as stored or updated
        for subject in plan_full:
            party = subject.party
            assert party.id is not None
            after_hits = found[party.id]
            repo.replace_hits(party.id, version.id, party.fingerprint, after_hits, wb.officer)
            change = _change(party, stored.get(party.id, []), after_hits)
            if change is not None:
                changes.append(change)
                _audit(uow, party, version, threshold, change)
        for old, group in plan_delta.items():
            delta = deltas[old]
            for subject in group:
                party = subject.party
                assert party.id is not None
                moved.append(party.id)
                before = stored.get(party.id, [])
                kept = [h for h in before if (h.source_code, h.entry_id) not in delta.stale]
                kept_keys = {h.key for h in kept}
                after_hits = kept + [h for h in found[party.id] if h.key not in kept_keys]
                change = _change(party, before, after_hits)
                if change is None:
                    continue
                old_keys = {h.key for h in before}
                now_keys = {h.key for h in after_hits}
                repo.apply_delta(
                    party.id,
                    party.fingerprint,
                    [k for k in old_keys if k not in now_keys],
                    [h for h in after_hits if h.key not in old_keys],
                )
                changes.append(change)
                _audit(uow, party, version, threshold, change)
        repo.mark_screened(moved, version.id, wb.officer)
        uow.commit()
    report.screened_full += len(plan_full)
    report.screened_delta += sum(len(g) for g in plan_delta.values())


def _change(party: RegisterParty, before: list[PartyHit], after: list[PartyHit]) -> WatchChange | None:
    assert party.id is not None
    old = {h.key for h in before}
    now = {h.key for h in after}
    new = tuple(h for h in after if h.key not in old)
    gone = tuple(h for h in before if h.key not in now)
    if not new and not gone:
        return None
    return WatchChange(party.id, party.name, new, gone)


def _audit(uow: UnitOfWork, party: RegisterParty, version: ListVersion, threshold: float, change: WatchChange) -> None:
    uow.audit.record(
        "party",
        str(party.id),
        "screen",
        [
            Change("list_version", None, version.label),
            Change("threshold", None, f"{threshold:.2f}"),
            Change("fingerprint", None, party.fingerprint),
            *(Change("hit", None, _hit_text(h)) for h in change.new),
            *(Change("hit", _hit_text(h), None) for h in change.gone),
        ],
        reason="register rescreen after a list import",
    )


def _record_not_screened(wb: Workbench, report: RegisterRescreenReport, after: int) -> None:
    with wb.uow() as uow:
        rest: list[int] = []
        cursor = after
        while True:
            chunk = uow.party_screening.subjects(cursor, 5_000)
            if not chunk:
                break
            rest.extend(s.party.id for s in chunk if s.party.id is not None)
            cursor = rest[-1]
        report.not_rescreened = rest
        report.not_rescreened_names = uow.register.names(rest[:MAX_NAMED_NOT_SCREENED])


def _with_cases(wb: Workbench, changes: list[WatchChange], today: date) -> list[WatchChange]:
    """Each change with the cases it touches: open ones, and determined or closed ones still retained."""
    if not changes:
        return []
    with wb.uow() as uow:
        links = uow.party_screening.cases_of(c.party_id for c in changes)
    open_values = {s.value for s in OPEN_STATUSES}
    retained: dict[str, date | None] = {}
    touched: dict[int, list[CaseTouched]] = {}
    for link in links:
        is_open = link.status in open_values
        until: date | None = None
        if not is_open:
            if link.reference not in retained:
                retained[link.reference] = retention_until(wb, link.reference)
            until = retained[link.reference]
            final = link.status in (CaseStatus.DETERMINED.value, CaseStatus.CLOSED.value)
            if not final or until is None or until < today:
                continue
        touched.setdefault(link.register_id, []).append(
            CaseTouched(link.reference, link.title, link.status, is_open, until)
        )
    return [WatchChange(c.party_id, c.party_name, c.new, c.gone, tuple(touched.get(c.party_id, ()))) for c in changes]


def _audit_summary(wb: Workbench, report: RegisterRescreenReport) -> None:
    with wb.uow() as uow:
        uow.audit.record(
            "register",
            "screening",
            "rescreen",
            [
                Change("list_version", None, report.version.label),
                Change("mode", None, "full" if report.full else "delta"),
                Change("parties", None, report.parties),
                Change("screened_full", None, report.screened_full),
                Change("screened_delta", None, report.screened_delta),
                Change("new_hits", None, report.new_hits),
                Change("gone_hits", None, report.gone_hits),
                Change("not_rescreened", None, len(report.not_rescreened)),
            ],
        )
        uow.commit()


def report_json(report: RegisterRescreenReport) -> dict[str, object]:
    """The report as the CLI's ``--json`` prints it."""

    def hit(h: PartyHit) -> dict[str, object]:
        return {
            "source": h.source_code,
            "entry_id": h.entry_id,
            "entry_name": h.entry_name,
            "score": h.score,
            "match": "address" if h.by_address else "name",
            "explanation": h.explanation.get("text", ""),
        }

    return {
        "list_version": report.version.label,
        "mode": "full" if report.full else "delta",
        "parties": report.parties,
        "screened_full": report.screened_full,
        "screened_delta": report.screened_delta,
        "already_current": report.current,
        "entries": {
            "added": report.entries_added,
            "changed": report.entries_changed,
            "removed": report.entries_removed,
        },
        "changes": [
            {
                "party": c.party_id,
                "party_name": c.party_name,
                "new_hits": [hit(h) for h in c.new],
                "gone_hits": [hit(h) for h in c.gone],
                "cases": [
                    {
                        "reference": t.reference,
                        "title": t.title,
                        "status": t.status,
                        "open": t.open,
                        "retained_until": t.retained_until.isoformat() if t.retained_until else None,
                    }
                    for t in c.cases
                ],
            }
            for c in report.changes
        ],
        "not_rescreened": report.not_rescreened,
        "seconds": round(report.seconds, 2),
    }
