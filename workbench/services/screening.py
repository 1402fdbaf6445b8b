"""Use cases for restricted-party screening: list versions, screening names and cases, dispositions.

The first list version is the CSL snapshot shipped in ``resources/lists``, imported on first
use, so screening works offline from the first start. A ``Screener`` (the in-memory index of a
list version) is built once per list file (keyed by its SHA-256) and reused across
databases; the allow-list is applied per call, from the database in use.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from workbench import resources
from workbench.config import data_dir
from workbench.domain import validation
from workbench.domain.audit import Change
from workbench.domain.case import Case, CaseStatus
from workbench.domain.errors import DuplicateError, NotFoundError, ValidationError
from workbench.domain.screening import DispositionDecision, ListEntry, ListFormat, MalformedRow, ScreeningHit
from workbench.domain.screening_records import ListVersion, StoredHit
from workbench.rules.engine import PartyListing
from workbench.rules.listing import unmodelled_effect
from workbench.screening.explain import explanation_to_dict
from workbench.screening.guard import check_refresh
from workbench.screening.index_cache import load_screener, save_screener
from workbench.screening.matcher import DEFAULT_THRESHOLD, Screener, build_screener
from workbench.screening.parsers import Cancelled, parse_list
from workbench.services.bootstrap import Workbench

if TYPE_CHECKING:
    from workbench.services.register_watch import RegisterRescreenReport

logger = logging.getLogger(__name__)

SNAPSHOT = "lists/consolidated-2026-07-31.csv.gz"
OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
NEVER_SCREENED = "Never screened"
"""How the case list, the Dashboard and the Screening panel mark a case whose parties were never screened."""
DEFAULT_MAX_AGE_DAYS = 30
Progress = Callable[[int, int], None]

_screeners: dict[str, Screener] = {}
_screeners_lock = threading.Lock()
_build_lock = threading.Lock()

__all__ = ["DEFAULT_THRESHOLD", "Cancelled"]


def _sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    for file in files:
        with file.open("rb") as handle:  # in blocks: the parser, not this hash, bounds the file's size
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class RescreenChange:
    reference: str
    new_hits: tuple[StoredHit, ...]
    gone_hits: tuple[StoredHit, ...]


@dataclass(frozen=True)
class ImportResult:
    version: ListVersion
    malformed: tuple[MalformedRow, ...]
    rescreened: tuple[RescreenChange, ...] = field(default=())
    not_rescreened: tuple[str, ...] = field(default=())
    """Open cases left on their previous hits because rescreening was cancelled after the import."""
    register: RegisterRescreenReport | None = None
    """The counterparty register rescreened by delta (None when the import did not rescreen)."""


def _stored(position: int, party_name: str, version_id: int, hit: ScreeningHit) -> StoredHit:
    return StoredHit(
        party_position=position,
        party_name=party_name,
        list_version_id=version_id,
        entry_id=hit.entry.entry_id,
        source_code=hit.entry.source_code,
        content_hash=hit.entry.content_hash,
        entry_name=hit.entry.name,
        matched_name=hit.matched_name,
        score=hit.score,
        explanation=explanation_to_dict(hit.explanation),
    )


# List versions ---------------------------------------------------------------------------


def list_versions(wb: Workbench) -> list[ListVersion]:
    with wb.uow() as uow:
        return uow.lists.versions()


def active_version(wb: Workbench) -> ListVersion:
    """The active list version, importing the shipped snapshot when there is none yet."""
    with wb.uow() as uow:
        version = uow.lists.active()
    if version is not None:
        return version
    snapshot = Path(str(resources.resource(SNAPSHOT)))
    logger.info("no list version yet: importing the shipped snapshot %s", snapshot)
    try:
        return import_list(wb, snapshot, label="CSL 2026-07-31 (shipped snapshot)", rescreen=False).version
    except DuplicateError:
        with wb.uow() as uow:
            version = uow.lists.active()
        assert version is not None
        return version


def list_age_warning(version: ListVersion, max_age_days: int, today: date | None = None) -> str | None:
    age = version.age_days(today or datetime.now(UTC).date())
    if age > max_age_days:
        return (
            f"The active restricted-party list ({version.label}) is {age} days old, older than {max_age_days} "
            "days; import a current Consolidated Screening List with 'lists import'."
        )
    return None


def import_list(
    wb: Workbench,
    path: Path,
    fmt: ListFormat | None = None,
    *,
    label: str | None = None,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    rescreen: bool = True,
    allow_shrink: bool = False,
) -> ImportResult:
    """Parse, guard and store a list file as the new active version, then rescreen open cases
    and the counterparty register (by delta, ``services.register_watch``).

    A file that fails to parse, or would shrink a source list sharply (unless ``allow_shrink``,
    which is logged), is refused and the current version stays active; the import is one
    transaction.
    """
    parsed = parse_list(path, fmt, progress=progress, cancel=cancel)  # bounds the file before it is hashed
    sha = _sha256_of(path) if path.exists() else ""
    with wb.uow() as uow:
        current = uow.lists.active()
        if current is not None and current.sha256 == sha:
            raise DuplicateError(
                f"{path.name} is already the active list version ({current.label}, imported "
                f"{current.imported_at:%Y-%m-%d}); nothing was imported."
            )
        previous = current.rows_per_source if current and not allow_shrink else None
        check_refresh(previous, parsed, path.name)
        when = parsed.publication_date.isoformat() if parsed.publication_date else "undated"
        name = label or f"{parsed.format.value} {when} ({path.name}, {sha[:8]})"
        version = uow.lists.add_version(
            parsed, label=name, source_file=path.name, sha256=sha, imported_by=wb.officer, progress=None
        )
        uow.audit.record(
            "lists",
            str(version.id),
            "import",
            [
                Change("label", current.label if current else None, version.label),
                Change("rows_per_source", current.rows_per_source if current else None, version.rows_per_source),
                Change("malformed_rows", None, len(parsed.malformed)),
            ],
            reason="imported with --allow-shrink: the shrink guard was overridden" if allow_shrink else "",
        )
        if cancel and cancel():
            raise Cancelled("the import was cancelled; the previous list version stays active")
        uow.commit()
    if not rescreen:
        return ImportResult(version, parsed.malformed)
    # The new version is committed: cancelling from here on stops rescreening, not the import.
    from workbench.services.register_watch import rescreen_register  # it builds on this module

    # The register first: its delta report names every register party newly hit (or no longer hit)
    # and the cases it touches, before the open cases' rescreen screens their register parties again.
    register = rescreen_register(wb, progress=progress, cancel=cancel)
    report = rescreen_open_cases(wb, progress=progress, cancel=cancel, register_fresh=not register.cancelled)
    return ImportResult(version, parsed.malformed, tuple(report), tuple(report.not_rescreened), register)


def screener(wb: Workbench, version: ListVersion | None = None) -> tuple[ListVersion, Screener]:
    """The screener of the active (or given) version, built once per list file and cached."""
    version = version or active_version(wb)
    built = _cached_screener(wb, version, build=True)
    assert built is not None  # built when not cached
    return version, built


def warm_up(wb: Workbench) -> ListVersion | None:
    """Load the active list's screener from the disk cache ahead of the first screening (the app, at start).

    Only a cached index is loaded (about a second): importing the shipped list or building an
    index takes longer than a quick quit should wait, so that stays with the first screening.
    """
    with wb.uow() as uow:
        version = uow.lists.active()
    if version is None or _cached_screener(wb, version, build=False) is None:
        return None
    return version


def _cached_screener(wb: Workbench, version: ListVersion, *, build: bool) -> Screener | None:
    """From memory, else from the disk cache, else (with ``build``) built and cached; one build at a time."""
    with _screeners_lock:
        cached = _screeners.get(version.sha256)
    if cached is not None:
        return cached
    with _build_lock:  # a second caller (say a rescreen during the app's warm-up) waits for the first build
        with _screeners_lock:
            cached = _screeners.get(version.sha256)
        if cached is not None:
            return cached
        cache_dir = data_dir() / "cache"
        built = load_screener(cache_dir, version.sha256)
        if built is None:
            if not build:
                return None
            with wb.uow() as uow:
                entries = uow.lists.entries(version.id)
            built = build_screener(entries)
            save_screener(cache_dir, version.sha256, built)
        with _screeners_lock:
            _screeners[version.sha256] = built
    return built


def allow_list(wb: Workbench) -> list[str]:
    with wb.uow() as uow:
        return uow.lists.allow_list()


def add_allowed_name(wb: Workbench, name: str, note: str = "") -> None:
    """Add one of the organisation's own names, which never raises a hit."""
    if not str(name).strip():
        raise ValidationError("name", "give the organisation's name to allow")
    name = validation.text(name, "name", max_len=200)  # the audit log keys entries by it
    note = validation.text(note, "note", required=False, max_len=4000)
    with wb.uow() as uow:
        uow.lists.add_allowed(name, note)
        uow.audit.record("allow_list", name, "add", [Change("name", None, name)], reason=note)
        uow.commit()


def remove_allowed_name(wb: Workbench, name: str) -> None:
    with wb.uow() as uow:
        uow.lists.remove_allowed(name)
        uow.audit.record("allow_list", name, "remove", [Change("name", name, None)])
        uow.commit()


# Screening -------------------------------------------------------------------------------


def screen_name(
    wb: Workbench,
    name: str,
    *,
    country: str | None = None,
    entry_type: str | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    limit: int = 10,
) -> tuple[ListVersion, list[ScreeningHit]]:
    if not 0 < threshold <= 1:
        raise ValidationError("threshold", f"must be between 0 and 1 (got {threshold})")
    version, built = screener(wb)
    hits = built.screen(
        name, country=country, entry_type=entry_type, threshold=threshold, limit=limit, allow_list=allow_list(wb)
    )
    return version, hits


def _screen_parties(
    built: Screener,
    version_id: int,
    case: Case,
    allowed: Sequence[str],
    threshold: float,
    memo: dict[tuple[Any, ...], Any] | None = None,
) -> list[tuple[StoredHit, ListEntry]]:
    """Every party's hits, with the listed entry they hit (``memo`` keeps a party's hits across many cases)."""
    hits: list[tuple[StoredHit, ListEntry]] = []
    for position, party in enumerate(case.parties, 1):
        if party.register_id is not None:
            continue  # screened at party level (services.case_screening)
        key = (version_id, party.name, party.country, party.kind, threshold)
        hits_of_party = memo.get(key) if memo is not None else None
        if hits_of_party is None:
            hits_of_party = built.screen(
                party.name, country=party.country, entry_type=party.kind, threshold=threshold, allow_list=allowed
            )
            if memo is not None:
                memo[key] = hits_of_party
        for hit in hits_of_party:
            hits.append((_stored(position, party.name, version_id, hit), hit.entry))
    return hits


def screen_case(wb: Workbench, reference: str, *, register_fresh: bool = False) -> RescreenChange:
    """Screen every party of a stored case, store the hits and log what changed.

    Register parties are screened at party level (their hits and decisions belong to the party);
    their hits are also stored with the case, as the case saw them. ``register_fresh``: the whole
    register was just rescreened against the active version, so its stored hits are taken as they are.
    """
    from workbench.services.case_screening import screen_register_parties, stored_register_hits

    version, built = screener(wb)
    stored_case = get_stored_case(wb, reference)
    register_hits = (
        stored_register_hits(wb, stored_case) if register_fresh else screen_register_parties(wb, stored_case)
    )
    with wb.uow() as uow:
        case = uow.cases.get(reference)
        before = uow.screening.hits(reference)
        allowed = uow.lists.allow_list()
        hits = [stored for stored, _ in _screen_parties(built, version.id, case, allowed, wb.screening_threshold)]
        if register_hits:
            hits = sorted([*hits, *register_hits], key=lambda h: (h.party_position, -h.score, h.entry_id))
        uow.screening.replace_hits(reference, version.id, hits, wb.officer)
        old_keys = {(h.party_name, *h.key) for h in before}
        new_keys = {(h.party_name, *h.key) for h in hits}
        new = tuple(h for h in hits if (h.party_name, *h.key) not in old_keys)
        gone = tuple(h for h in before if (h.party_name, *h.key) not in new_keys)
        uow.audit.record(
            "case",
            reference,
            "screen",
            [
                Change("list_version", None, version.label),
                Change("threshold", None, f"{wb.screening_threshold:.2f}"),
                *(Change("hit", None, f"{h.party_name} ~ {h.source_code} {h.entry_id} {h.entry_name}") for h in new),
                *(Change("hit", f"{h.party_name} ~ {h.source_code} {h.entry_id} {h.entry_name}", None) for h in gone),
            ],
        )
        uow.commit()
    return RescreenChange(reference, new, gone)


def get_stored_case(wb: Workbench, reference: str) -> Case:
    with wb.uow() as uow:
        return uow.cases.get(reference)


def case_hits(wb: Workbench, reference: str) -> list[StoredHit]:
    """The case's hits: case-only parties' as stored with the case, register parties' from party level."""
    from workbench.services.case_screening import linked_positions, stored_register_hits

    with wb.uow() as uow:
        case = uow.cases.get(reference)
        stored = uow.screening.hits(reference)
    linked = linked_positions(case)
    if not linked:
        return stored
    own = [h for h in stored if h.party_position not in linked]
    return sorted([*own, *stored_register_hits(wb, case)], key=lambda h: (h.party_position, -h.score, h.entry_id))


@dataclass(frozen=True, slots=True)
class ScreeningState:
    """When a stored case was last screened, against which list, and whether its parties changed since."""

    screened_at: datetime | None
    """None: the case was never screened."""
    officer: str = ""
    version_label: str = ""
    parties_changed: bool = False

    @property
    def screened(self) -> bool:
        return self.screened_at is not None


def screening_state(wb: Workbench, reference: str) -> ScreeningState:
    """The case's last screening run; ``parties_changed`` when a saved edit touched the parties after it."""
    with wb.uow() as uow:
        run = uow.screening.last_run(reference)
        if run is None:
            return ScreeningState(None)
        label = uow.lists.get(run.list_version_id).label
        history = uow.audit.history("case", reference)
    screens = [e.seq for e in history if e.action == "screen"]
    last_screen = screens[-1] if screens else -1
    changed = any(e.seq > last_screen and e.action == "update" and e.field.startswith("parties") for e in history)
    screened_at = run.screened_at if run.screened_at.tzinfo else run.screened_at.replace(tzinfo=UTC)
    return ScreeningState(screened_at, run.officer, label, changed)


def never_screened(wb: Workbench, references: Sequence[str]) -> set[str]:
    """Which of ``references`` were never screened (the case list and the Dashboard mark them)."""
    with wb.uow() as uow:
        return set(references) - uow.screening.screened_among(references)


def hit_entries(wb: Workbench, hits: Sequence[StoredHit]) -> dict[tuple[str, str, str], ListEntry]:
    """The list entry behind each hit (by ``hit.key``), as stored in the list version it came from."""
    entries: dict[tuple[str, str, str], ListEntry] = {}
    with wb.uow() as uow:
        for hit in hits:
            entry = uow.lists.entry(hit.list_version_id, hit.source_code, hit.entry_id)
            if entry is not None:
                entries[hit.key] = entry
    return entries


def decide(wb: Workbench, reference: str, hit: StoredHit, decision: DispositionDecision, reason: str) -> None:
    """Record a true-match or false-positive decision; it holds until the listed entry changes."""
    from workbench.services.case_screening import decide_register_hit

    reason = reason.strip()
    if len(reason) < 5:
        raise ValidationError("reason", "explain the decision in a few words, so an auditor can follow it")
    if decide_register_hit(wb, get_stored_case(wb, reference), hit, DispositionDecision(decision), reason):
        return  # decided on the register party: it applies in every case the party appears in
    with wb.uow() as uow:
        uow.screening.decide(reference, hit, DispositionDecision(decision), reason, wb.officer)
        uow.audit.record(
            "case",
            reference,
            "disposition",
            [Change(f"{hit.party_name} ~ {hit.source_code} {hit.entry_id}", None, DispositionDecision(decision).value)],
            reason=reason,
        )
        uow.commit()


class RescreenReport(list[RescreenChange]):
    """The cases whose hits changed, plus those not reached because the work was cancelled."""

    not_rescreened: list[str]

    def __init__(self) -> None:
        super().__init__()
        self.not_rescreened = []


def rescreen_open_cases(
    wb: Workbench,
    progress: Progress | None = None,
    cancel: Callable[[], bool] | None = None,
    *,
    register_fresh: bool = False,
) -> RescreenReport:
    """Rescreen every draft or in-review case; report the cases whose hits changed.

    After a completed register rescreen (``register_fresh``) the cases' register parties are not
    screened a second time: their fresh party-level hits are read.

    Each case is screened and stored in its own transaction, so cancelling keeps the cases
    already done and leaves the rest on their previous hits (listed in ``not_rescreened``).
    """
    with wb.uow() as uow:
        references = uow.screening.screened_references([s.value for s in OPEN_STATUSES])
    report = RescreenReport()
    if progress:
        progress(0, len(references))
    for done, reference in enumerate(references, 1):
        if cancel and cancel():
            report.not_rescreened.extend(references[done - 1 :])
            break
        change = screen_case(wb, reference, register_fresh=register_fresh)
        if change.new_hits or change.gone_hits:
            report.append(change)
        if progress:
            progress(done, len(references))
    return report


def current_hits(
    wb: Workbench, case: Case, stored: bool, memo: dict[tuple[Any, ...], Any] | None = None
) -> list[tuple[StoredHit, ListEntry]]:
    """Screen the case's parties now, with the officer's stored decisions applied (by entry content).

    This is the screening a check sees; the Dashboard's undecided hits come from the same call, so
    its hits and its open items never disagree. A re-check of many cases passes one ``memo`` so a
    party in many of them (the applicant) is screened once.
    """
    from workbench.services.case_screening import current_register_hits

    version, built = screener(wb)
    allowed = allow_list(wb)
    decisions: dict[tuple[str, str, str, str], StoredHit] = {}
    if stored:
        with wb.uow() as uow:
            for h in uow.screening.hits(case.reference):
                decisions[(h.party_name, *h.key)] = h
    hits = []
    for hit, entry in _screen_parties(built, version.id, case, allowed, wb.screening_threshold, memo):
        known = decisions.get((hit.party_name, *hit.key))
        hits.append((replace(hit, disposition=known.disposition if known else None), entry))
    register = current_register_hits(wb, case, built, version.id, allowed, wb.screening_threshold)
    if not register:
        return hits
    return sorted([*hits, *register], key=lambda pair: (pair[0].party_position, -pair[0].score, pair[0].entry_id))


def listings_for_check(wb: Workbench, case: Case, stored: bool) -> tuple[dict[int, list[PartyListing]], list[str]]:
    """Screen the case's parties now and turn hits into the rule engine's input."""
    return listings_from_hits(current_hits(wb, case, stored))


def listings_from_hits(
    hits: Sequence[tuple[StoredHit, ListEntry]],
) -> tuple[dict[int, list[PartyListing]], list[str]]:
    """True matches become resolved listings, open hits unresolved ones; hits on lists the
    rules do not model (e.g. ISN, DTC) become open items."""
    listings: dict[int, list[PartyListing]] = {}
    open_items: list[str] = []
    for hit, entry in hits:
        disposition = hit.disposition
        if disposition and disposition.decision is DispositionDecision.FALSE_POSITIVE:
            continue
        resolved = disposition is not None
        label = f"party {hit.party_position} ({hit.party_name})"
        if entry.list_flag is not None:
            listings.setdefault(hit.party_position - 1, []).append(
                PartyListing(
                    list_flag=entry.list_flag,
                    source_name=entry.source,
                    entry_name=entry.name,
                    license_requirement=entry.license_requirement,
                    license_policy=entry.license_policy,
                    resolved=resolved,
                )
            )
        elif resolved:
            open_items.append(
                f"{label} is a confirmed match for {hit.entry_name} on {hit.source_code} "
                f"({unmodelled_effect(hit.source_code)}); review those restrictions for this transaction"
            )
        else:
            open_items.append(
                f"{label}: unresolved screening hit {hit.entry_name} ({hit.source_code} {hit.entry_id}, "
                f"score {hit.score:.2f}; if confirmed: {unmodelled_effect(hit.source_code)}); "
                "mark it a true match or a false positive"
            )
    return listings, open_items


def version_summary(version: ListVersion, today: date | None = None) -> Mapping[str, Any]:
    return {
        "id": version.id,
        "label": version.label,
        "source_file": version.source_file,
        "sha256": version.sha256,
        "format": version.format,
        "imported_at": version.imported_at.isoformat(timespec="seconds"),
        "imported_by": version.imported_by,
        "publication_date": version.publication_date.isoformat() if version.publication_date else None,
        "age_days": version.age_days(today or datetime.now(UTC).date()),
        "entries": version.entry_count,
        "malformed_rows": version.malformed_count,
        "rows_per_source": version.rows_per_source,
        "active": version.active,
    }


def require_hit(hits: Sequence[StoredHit], party: int, entry_id: str) -> StoredHit:
    for hit in hits:
        if hit.party_position == party and hit.entry_id == entry_id:
            return hit
    raise NotFoundError(f"Party {party} has no screening hit on entry {entry_id}.", cli_hint="see 'screening show REF'")
