"""Use cases for rule data: import, list and activate rule packs, trust publishers, local
amendments, what each change moves, and checks under an earlier version.

The shipped data is pack 1. A database holds the packs imported into it and the
organisation's local amendments, so a team on PostgreSQL shares one rule state; opening a
workbench makes that state the process's rule data.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from functools import cache
from pathlib import Path

from workbench.domain.case import CaseStatus
from workbench.domain.determination import Determination
from workbench.domain.errors import NotFoundError, ValidationError
from workbench.domain.rulepacks import Amendment, StoredRulePack, TrustedPublisher
from workbench.export.keys import fingerprint, load_private_key, public_key_from_pem, read_passphrase_file
from workbench.export.rulediff import ChangeRow, MovedCaseRow, write_rule_update_workbook
from workbench.export.rulepack import RulePack, RulePackError, build_pack, read_pack, read_pack_file, sha256_hex
from workbench.resources import read_bytes
from workbench.rules.amend import amendment_notes, apply_amendments, dated_parameters, read_amendment_file
from workbench.rules.data import (
    BUILTIN_PACK,
    RULE_FILES,
    RuleData,
    RuleDataError,
    activate_rule_data,
    builtin_parts,
    builtin_rule_data,
    rule_data_from_parts,
    using_rule_data,
)
from workbench.rules.diff import RuleChange, diff_rule_data
from workbench.services.bootstrap import Workbench
from workbench.services.products import ReviewChange, review_after_rule_change

logger = logging.getLogger(__name__)

PROJECT_PUBLISHER_KEY = "rules/publishers/workbench-project.pub.pem"
PROJECT_PUBLISHER_NAME = "Export-compliance workbench project"
OPEN_STATUSES = (CaseStatus.DRAFT, CaseStatus.IN_REVIEW)
MAX_RECHECK_CASES = 100_000
Progress = Callable[[int, int], None]


class Cancelled(Exception):
    """The officer cancelled a re-check; what was done is reported."""


@dataclass(frozen=True, slots=True)
class CaseImpact:
    reference: str
    before_outcome: str
    after_outcome: str
    before_open: tuple[str, ...]
    after_open: tuple[str, ...]

    @property
    def outcome_changed(self) -> bool:
        return self.before_outcome != self.after_outcome

    @property
    def words(self) -> str:
        parts = []
        if self.outcome_changed:
            parts.append(f"outcome {self.before_outcome} → {self.after_outcome}")
        added = [o for o in self.after_open if o not in self.before_open]
        gone = [o for o in self.before_open if o not in self.after_open]
        if added:
            parts.append(f"{len(added)} new open item(s): " + "; ".join(added))
        if gone:
            parts.append(f"{len(gone)} open item(s) resolved: " + "; ".join(gone))
        return f"{self.reference}: " + ", ".join(parts)


@dataclass(frozen=True, slots=True)
class RuleUpdate:
    """What a pack import, an activation or an amendment changed, and which open cases it moves."""

    description: str
    changes: tuple[RuleChange, ...]
    truncated: bool
    moved: tuple[CaseImpact, ...]
    checked: int
    """Open cases re-checked (fewer than the open cases when cancelled)."""
    open_cases: int
    warnings: tuple[str, ...] = ()
    cancelled: bool = False
    pack: StoredRulePack | None = None
    products_reviewed: int = 0
    """Library products the classification assistant ran on again with the new rule data."""
    products_changed: tuple[ReviewChange, ...] = ()
    """Those whose proposed classification or conflict changed: the officer reviews them."""


# --- publishers ---------------------------------------------------------------------------------


def _project_publisher() -> TrustedPublisher:
    pem = read_bytes(PROJECT_PUBLISHER_KEY)
    key = public_key_from_pem(pem, "the project's publisher key")
    return TrustedPublisher(fingerprint(key), PROJECT_PUBLISHER_NAME, pem.decode("utf-8"), None, "", builtin=True)


def trusted_publishers(wb: Workbench) -> list[TrustedPublisher]:
    with wb.uow() as uow:
        stored = uow.rule_packs.publishers()
    return [_project_publisher(), *stored]


def trust_publisher(wb: Workbench, path: Path, name: str | None = None) -> TrustedPublisher:
    try:
        pem = path.read_bytes()[: 64 * 1024]
    except OSError as exc:
        raise RulePackError(f"{path}: cannot read the public key ({exc.strerror or exc}).") from None
    key = public_key_from_pem(pem, f"The public key file {path.name}")
    print_name = name or _pem_name(pem) or path.name
    fp = fingerprint(key)
    if fp == _project_publisher().fingerprint:
        raise RulePackError(f"{path.name} is the project's own publisher key, which is always trusted.")
    with wb.uow() as uow:
        uow.rule_packs.add_publisher(fp, print_name[:300], pem.decode("utf-8", "replace"))
        uow.commit()
    return TrustedPublisher(fp, print_name, pem.decode("utf-8", "replace"), datetime.now(UTC), wb.officer)


def _pem_name(pem: bytes) -> str | None:
    for line in pem.decode("utf-8", "replace").splitlines():
        if line.startswith("# Name:"):
            return line.removeprefix("# Name:").strip() or None
    return None


# --- versions -----------------------------------------------------------------------------------


@cache
def _builtin_digest() -> str:
    parts = builtin_parts()
    return sha256_hex(b"".join(name.encode() + parts[name] for name in RULE_FILES))


def _builtin_record(active: bool) -> StoredRulePack:
    data = builtin_rule_data()
    digest = _builtin_digest()
    return StoredRulePack(
        version=int(BUILTIN_PACK),
        sha256=digest,
        publisher=PROJECT_PUBLISHER_NAME,
        fingerprint=_project_publisher().fingerprint,
        ecfr_issue_date=data.ccl.ecfr_issue_date.isoformat(),
        rulebook_version=data.rulebook.version,
        rulebook_research_date=data.rulebook.researched,
        created_at="",
        imported_at=None,
        imported_by="",
        active=active,
        builtin=True,
    )


def rule_versions(wb: Workbench) -> list[StoredRulePack]:
    """Pack 1 (shipped) and every imported pack, oldest first; exactly one is active."""
    with wb.uow() as uow:
        stored = uow.rule_packs.packs()
    active = any(p.active for p in stored)
    return [_builtin_record(not active), *stored]


def active_version(wb: Workbench) -> StoredRulePack:
    return next(p for p in rule_versions(wb) if p.active)


def amendments(wb: Workbench, *, include_withdrawn: bool = False) -> list[Amendment]:
    with wb.uow() as uow:
        return uow.rule_packs.amendments(include_withdrawn=include_withdrawn)


_pack_cache: dict[tuple[str, tuple[str, ...]], RuleData] = {}
_pack_cache_lock = threading.Lock()


def _parts_of(wb: Workbench, version: int) -> tuple[dict[str, bytes], str]:
    if version == int(BUILTIN_PACK):
        return builtin_parts(), BUILTIN_PACK
    with wb.uow() as uow:
        content = uow.rule_packs.content(version)
    pack = read_pack(content, f"stored rule pack {version}")
    return dict(pack.parts), str(version)


def rule_data_for(
    wb: Workbench, version: int | None = None, *, with_amendments: bool = True, extra: Sequence[Amendment] = ()
) -> RuleData:
    """The rule data of ``version`` (default: the active pack) with the amendments in force."""
    if version is None:
        version = active_version(wb).version
    elif version not in {p.version for p in rule_versions(wb)}:
        raise NotFoundError(f"There is no rule data version {version}.", cli_hint="'rules show' lists the versions")
    in_force = [*amendments(wb), *extra] if with_amendments else list(extra)
    return _compose(wb, version, in_force)


def _compose(wb: Workbench, version: int, in_force: Sequence[Amendment]) -> RuleData:
    key_parts = tuple(f"{a.id}@{a.recorded_at}" for a in in_force)
    with wb.uow() as uow:
        sha = next((p.sha256 for p in uow.rule_packs.packs() if p.version == version), "builtin")
    key = (f"{version}:{sha}", key_parts)
    with _pack_cache_lock:
        cached = _pack_cache.get(key)
    if cached is not None:
        return cached
    parts, label = _parts_of(wb, version)
    if in_force:
        parts = apply_amendments(parts, in_force)
    data = rule_data_from_parts(parts, label)
    if in_force:
        data = data.model_copy(
            update={"amendments": amendment_notes(in_force), "parameters": dated_parameters(in_force)}
        )
    with _pack_cache_lock:
        if len(_pack_cache) > 16:
            _pack_cache.clear()
        _pack_cache[key] = data
    return data


def apply_active_rules(wb: Workbench) -> RuleData:
    """Make the database's active pack and amendments this process's rule data."""
    with wb.uow() as uow:
        plain = uow.rule_packs.active_pack() is None and not uow.rule_packs.amendments()
    if plain:  # the common case: the shipped pack, nothing amended
        activate_rule_data(None)
        return builtin_rule_data()
    data = rule_data_for(wb)
    activate_rule_data(data)
    return data


# --- packs --------------------------------------------------------------------------------------


def _checked_pack(wb: Workbench, path: Path) -> tuple[RulePack, RuleData]:
    pack = read_pack_file(path)
    trusted = {p.fingerprint: p for p in trusted_publishers(wb)}
    if pack.fingerprint not in trusted:
        raise RulePackError(
            f"{path.name} is signed by the key {pack.fingerprint}, which this organisation does not trust;"
            " if you know the publisher, add its public key to the trusted publishers first.",
            cli_hint="'rules trust add KEY.pub.pem' adds it",
        )
    try:
        data = rule_data_from_parts(pack.parts, str(pack.version))
    except RuleDataError as exc:
        raise RulePackError(f"{path.name}: {exc}") from None
    return pack, data


def import_rule_pack(
    wb: Workbench,
    path: Path,
    *,
    allow_older: bool = False,
    recheck: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RuleUpdate:
    """Verify, validate and store a pack as the active rule data; then say what it changed."""
    pack, _ = _checked_pack(wb, path)
    current = active_version(wb)
    if pack.version in {p.version for p in rule_versions(wb)}:
        raise RulePackError(
            f"{path.name} is rule pack {pack.version}, which this workbench has already;"
            " activate it instead of importing it again.",
            cli_hint=f"'rules activate {pack.version}' makes it active",
        )
    if pack.version < current.version and not allow_older:
        raise RulePackError(
            f"{path.name} is rule pack {pack.version}, older than the active pack {current.version};"
            " import it as an older pack only if you mean to.",
            cli_hint="add --allow-older to import it anyway",
        )
    before = rule_data_for(wb)
    in_force = amendments(wb)
    contradictions = _contradictions(pack, in_force)
    record = StoredRulePack(
        version=pack.version,
        sha256=sha256_hex(path.read_bytes()),
        publisher=pack.manifest.publisher,
        fingerprint=pack.fingerprint,
        ecfr_issue_date=pack.manifest.ecfr_issue_date,
        rulebook_version=pack.manifest.rulebook_version,
        rulebook_research_date=pack.manifest.rulebook_research_date,
        created_at=pack.manifest.created_at,
        imported_at=None,
        imported_by=wb.officer,
        active=True,
        note=pack.manifest.note,
    )
    with wb.uow() as uow:
        uow.rule_packs.add_pack(record, path.read_bytes(), activate=True)
        uow.commit()
    after = apply_active_rules(wb)
    update = _impact(
        wb,
        before,
        after,
        f"Rule pack {pack.version} imported and active",
        recheck,
        progress,
        cancelled,
        warnings=contradictions,
    )
    return replace(update, pack=active_version(wb))


def _contradictions(pack: RulePack, in_force: Sequence[Amendment]) -> tuple[str, ...]:
    """Amendments the new pack disagrees with (they stay in force; the officer is told)."""
    if not in_force:
        return ()
    plain = rule_data_from_parts(pack.parts, str(pack.version))
    out = []
    for amendment in in_force:
        if amendment.kind == "lifecycle":
            try:
                rule = plain.rulebook.rule(amendment.target)
            except KeyError:
                out.append(
                    f"Pack {pack.version} has no rule {amendment.target}; amendment {amendment.id} cannot apply."
                )
                continue
            mine = {(p["status"], p["from"]) for p in amendment.body["periods"]}
            theirs = {(p.status, p.since.isoformat()) for p in rule.enforcement}
            if not mine <= theirs:
                out.append(
                    f"Pack {pack.version} gives rule {amendment.target} another lifecycle than local amendment"
                    f" {amendment.id}; the amendment stays in force until you withdraw it."
                )
        elif amendment.kind == "group_change":
            change = amendment.body["change"]
            if not any(c.id == change["id"] for c in plain.group_changes.changes):
                continue
            out.append(
                f"Pack {pack.version} also records group change {change['id']}; local amendment {amendment.id}"
                " overrides it until you withdraw it."
            )
    return tuple(out)


def activate_rule_pack(
    wb: Workbench,
    version: int,
    *,
    reason: str = "",
    recheck: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RuleUpdate:
    """Make an earlier (or later) stored version active, e.g. to roll back a pack."""
    versions = {p.version: p for p in rule_versions(wb)}
    if version not in versions:
        raise NotFoundError(f"There is no rule data version {version}.", cli_hint="'rules show' lists the versions")
    current = active_version(wb)
    if version == current.version:
        raise ValidationError("VERSION", f"rule pack {version} is the active one already")
    before = rule_data_for(wb)
    with wb.uow() as uow:
        uow.rule_packs.activate(None if versions[version].builtin else version, current.version, reason)
        uow.commit()
    after = apply_active_rules(wb)
    update = _impact(
        wb, before, after, f"Rule pack {version} active (was {current.version})", recheck, progress, cancelled
    )
    return replace(update, pack=active_version(wb))


# --- amendments ---------------------------------------------------------------------------------


def add_amendment(
    wb: Workbench,
    path: Path,
    *,
    recheck: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RuleUpdate:
    """Record an officer's amendment (validated by applying it), then say what it moves."""
    amendment = read_amendment_file(path)
    return record_amendment(wb, amendment, recheck=recheck, progress=progress, cancelled=cancelled)


def record_amendment(
    wb: Workbench,
    amendment: Amendment,
    *,
    recheck: bool = True,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> RuleUpdate:
    before = rule_data_for(wb)
    rule_data_for(wb, extra=[amendment])  # applying it first refuses an amendment that breaks the data
    with wb.uow() as uow:
        stored = uow.rule_packs.add_amendment(amendment)
        uow.commit()
    after = apply_active_rules(wb)
    return _impact(wb, before, after, f"Local amendment {stored.id}: {stored.summary()}", recheck, progress, cancelled)


def withdraw_amendment(wb: Workbench, amendment_id: str, reason: str, *, recheck: bool = True) -> RuleUpdate:
    if not reason.strip():
        raise ValidationError("reason", "say why the amendment is withdrawn; the audit log keeps it")
    before = rule_data_for(wb)
    with wb.uow() as uow:
        uow.rule_packs.withdraw_amendment(amendment_id, reason.strip())
        uow.commit()
    after = apply_active_rules(wb)
    return _impact(wb, before, after, f"Local amendment {amendment_id} withdrawn", recheck, None, None)


# --- what it moves ------------------------------------------------------------------------------


def diff_versions(wb: Workbench, old: int, new: int) -> tuple[tuple[RuleChange, ...], bool]:
    return diff_rule_data(rule_data_for(wb, old, with_amendments=False), rule_data_for(wb, new, with_amendments=False))


def _impact(
    wb: Workbench,
    before: RuleData,
    after: RuleData,
    description: str,
    recheck: bool,
    progress: Progress | None,
    cancelled: Callable[[], bool] | None,
    warnings: Sequence[str] = (),
) -> RuleUpdate:
    changes, truncated = diff_rule_data(before, after)
    moved: list[CaseImpact] = []
    checked = 0
    open_cases = 0
    was_cancelled = False
    if recheck:
        try:
            for impact, done, total in recheck_open_cases(wb, before, after):
                open_cases = total
                checked = done
                if impact is not None:
                    moved.append(impact)
                if progress:
                    progress(done, total)
                if cancelled and cancelled():
                    was_cancelled = done < total
                    break
        except Cancelled:
            was_cancelled = True
    # The product library is reviewed whatever the re-check did: a new threshold or paragraph may move
    # a product's proposed classification, and those products are listed for the officer.
    reviewed, products = review_after_rule_change(wb)
    return RuleUpdate(
        description=description,
        changes=changes,
        truncated=truncated,
        moved=tuple(moved),
        checked=checked,
        open_cases=open_cases,
        warnings=tuple(warnings),
        cancelled=was_cancelled,
        products_reviewed=reviewed,
        products_changed=tuple(products),
    )


def recheck_open_cases(
    wb: Workbench, before: RuleData, after: RuleData
) -> Iterator[tuple[CaseImpact | None, int, int]]:
    """Re-check every open case under both data sets; yields (impact or None, done, total)."""
    from workbench.services.cases import get_case
    from workbench.services.checks import check

    with wb.uow() as uow:
        references = [
            s.reference
            for s in uow.cases.summaries(
                statuses=OPEN_STATUSES, limit=MAX_RECHECK_CASES, order_by="reference", descending=False
            )
        ]
    total = len(references)
    if total == 0:
        yield None, 0, 0
        return
    for done, reference in enumerate(references, start=1):
        case = get_case(wb, reference)
        with using_rule_data(before):
            old = check(wb, case, stored=True)
        with using_rule_data(after):
            new = check(wb, case, stored=True)
        yield _compare(reference, old, new), done, total


def _compare(reference: str, old: Determination, new: Determination) -> CaseImpact | None:
    if old.outcome == new.outcome and tuple(old.open_items) == tuple(new.open_items):
        return None
    return CaseImpact(reference, old.outcome.value, new.outcome.value, tuple(old.open_items), tuple(new.open_items))


@contextmanager
def judged_by(wb: Workbench, version: int | None) -> Iterator[RuleData]:
    """Run the block's checks under rule data ``version`` (None: the active data)."""
    data = rule_data_for(wb, version)
    with using_rule_data(data):
        yield data


# --- the maintainer's side ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BuiltPack:
    path: Path
    version: int
    fingerprint: str
    parts: dict[str, int] = field(default_factory=dict)


def build_rule_pack(
    parts: dict[str, bytes],
    *,
    key_path: Path,
    passphrase_file: Path | None,
    passphrase: bytes | None = None,
    out: Path,
    pack_version: int,
    publisher: str,
    note: str = "",
    sources: dict[str, str] | None = None,
    created_at: datetime | None = None,
) -> BuiltPack:
    """Validate ``parts`` as rule data, sign them as a pack and write it atomically."""
    from workbench.export.atomic import write_bytes_atomic

    data = rule_data_from_parts(parts, str(pack_version))
    secret = (
        passphrase if passphrase is not None else (read_passphrase_file(passphrase_file) if passphrase_file else None)
    )
    key = load_private_key(key_path, secret)
    content = build_pack(
        parts,
        pack_version=pack_version,
        publisher=publisher,
        ecfr_issue_date=data.ccl.ecfr_issue_date.isoformat(),
        rulebook_version=data.rulebook.version,
        rulebook_research_date=data.rulebook.researched,
        sources=sources or {name: _default_source(name) for name in parts},
        private_key=key,
        created_at=created_at or datetime.now(UTC).replace(microsecond=0),
        note=note,
    )
    write_bytes_atomic(out, content)
    return BuiltPack(out, pack_version, fingerprint(key.public_key()), {n: len(b) for n, b in parts.items()})


_GENERATED = {"country-groups.json", "country-chart.json", "ccl.json", "license-exceptions.json"}


def _default_source(name: str) -> str:
    if name in _GENERATED:
        return "eCFR title 15, transformed by tools/build_rule_data.py"
    return "hand-authored rule data (resources/rules/README.md), sources in each record"


def write_update_report(update: RuleUpdate, path: Path) -> None:
    """The update as an XLSX: a summary, every change in words, and the cases it moves."""
    changes = [ChangeRow(c.area, c.subject, c.change, c.before, c.after, c.words) for c in update.changes]
    moved = [
        MovedCaseRow(
            m.reference,
            m.before_outcome,
            m.after_outcome,
            "; ".join(o for o in m.after_open if o not in m.before_open),
            "; ".join(o for o in m.before_open if o not in m.after_open),
        )
        for m in update.moved
    ]
    write_rule_update_workbook(path, update.description, changes, moved, update_summary(update))


def update_summary(update: RuleUpdate) -> list[str]:
    lines = [f"{len(update.changes)} change(s) to the rule data" + (" (list cut short)" if update.truncated else "")]
    lines.append(
        f"{update.checked} of {update.open_cases} open case(s) re-checked; {len(update.moved)} move(s)"
        + (" — cancelled: the rest were not re-checked" if update.cancelled else "")
    )
    lines.extend(f"Warning: {w}" for w in update.warnings)
    return lines
