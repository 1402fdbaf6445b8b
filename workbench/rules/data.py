"""Typed, validated access to the rule data in ``resources/rules``.

Every file is parsed once into frozen pydantic models, so a malformed data file
fails loudly at load time with the JSON path of the problem instead of producing
a wrong determination later. The shipped data is rule pack 1; a database may activate an
imported pack, and ``using_rule_data`` judges one call by another (``check --rules``).
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date
from functools import cache
from typing import Any, Literal, TypeVar

from pydantic import BaseModel, ConfigDict, Field
from pydantic import ValidationError as PydanticValidationError

from workbench.domain.errors import WorkbenchError
from workbench.resources import read_bytes
from workbench.rules.extdata import EndUseRulesFile, ExceptionRulesFile, ReviewPoliciesFile

T = TypeVar("T")

RULE_FILES = (
    "advanced-computing.json",
    "ccl.json",
    "country-chart.json",
    "country-groups.json",
    "dated-regulation.json",
    "embargoes.json",
    "foreign-made.json",
    "end-use-rules.json",
    "exception-rules.json",
    "group-changes.json",
    "license-exceptions.json",
    "part744.json",
    "red-flags.json",
    "regions.json",
    "review-policies.json",
    "rulebook.json",
)


@dataclass
class Consulted:
    """What one check read: rule ids, countries' group memberships, advanced-computing parameters.

    Findings name the local amendments behind exactly these facts."""

    rules: set[str] = dataclass_field(default_factory=set)
    countries: set[str] = dataclass_field(default_factory=set)
    advanced: bool = False


_consulted: ContextVar[Consulted | None] = ContextVar("rule_data_consulted", default=None)


@contextmanager
def consulting(*, advanced: bool = False) -> Iterator[Consulted]:
    """Record what the code inside the block reads from the rule data (this thread only)."""
    record = Consulted(advanced=advanced)
    token = _consulted.set(record)
    try:
        yield record
    finally:
        _consulted.reset(token)


def note_consulted(*, rule: str | None = None, country: str | None = None) -> None:
    record = _consulted.get()
    if record is None:
        return
    if rule:
        record.rules.add(rule)
    if country:
        record.countries.add(country)


def consulted_now() -> Consulted | None:
    return _consulted.get()


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class _Open(BaseModel):
    """Models whose files carry extra descriptive keys the engine does not need."""

    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


# --- generated eCFR datasets ------------------------------------------------------------------


class Provenance(_Open):
    dataset: str
    citation: str
    source_url: str
    ecfr_issue_date: date
    retrieved_at: str
    derived_from: str
    generated_by: str


class CountryGroupsFile(Provenance):
    labels: dict[str, str]
    notes: dict[str, str]
    groups: dict[str, tuple[str, ...]]


class ChartRow(_Model):
    marks: tuple[str, ...]
    footnotes: tuple[int, ...]


class EmbargoedRow(_Model):
    pointer: str
    footnotes: tuple[int, ...]


class Inherit(_Model):
    row: str
    basis: str


class AllDestinations(_Model):
    citation: str
    note: str
    entries: dict[str, str]
    no_exceptions: tuple[str, ...]
    gov_only: tuple[str, ...]
    gov_only_condition: str
    licensing_policy: str


class Procedure(_Model):
    citation: str
    no_mark_caveat: str


class CountryChartFile(Provenance):
    procedure: Procedure
    columns: tuple[str, ...]
    column_labels: dict[str, str]
    rows: dict[str, ChartRow]
    embargoed: dict[str, EmbargoedRow]
    footnotes: dict[str, str]
    inherits: dict[str, Inherit]
    inherits_note: str
    all_destinations: AllDestinations


class Scope(_Model):
    kind: Literal["column", "destinations", "chart-footnote", "refer"]
    columns: tuple[str, ...] = ()
    worldwide: bool = False
    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    footnote: str | None = None
    text: str = ""


class Control(_Model):
    reason: str
    applies_to: str
    entire: bool
    paragraphs: tuple[str, ...]
    except_paragraphs: tuple[str, ...]
    qualified: bool
    scope: Scope
    text: str


class ExceptionFlag(_Model):
    text: str
    yes: bool
    paragraphs: tuple[str, ...]
    qualified: bool


class CclEntry(_Model):
    heading: str
    reasons: tuple[str, ...]
    controls: tuple[Control, ...]
    exceptions: dict[str, ExceptionFlag]
    paragraphs: tuple[str, ...] = ()
    """The entry's item paragraphs ("a", "a.1", "z.1") where the eCFR parse captured them; empty: unknown."""


class CclFile(Provenance):
    note: str
    entries: dict[str, CclEntry]


class ExceptionInfo(_Model):
    section: str
    citation: str
    title: str


class ExceptionsFile(Provenance):
    exceptions: dict[str, ExceptionInfo]


# --- hand-authored rule data ------------------------------------------------------------------

EnforcementStatus = Literal["enforced", "not_enforced", "suspended", "superseded"]


class EnforcementPeriod(_Model):
    status: EnforcementStatus
    since: date = Field(alias="from")
    source: str | None = None
    note: str | None = None
    by: str | None = None
    """For ``superseded``: the id of the replacing rule."""
    unconfirmed: bool = False
    """The period itself rests on a fact the reference marks UNCONFIRMED (e.g. a suspension's end)."""


class RuleRecord(_Model):
    """One rule's lifecycle: a new or replacement rule is added here as data."""

    id: str
    title: str
    kind: str
    citation: str
    fr_doc: str | None
    published: date | None
    effective: date
    compliance_date: date | None
    enforcement: tuple[EnforcementPeriod, ...]
    source: str
    grade: Literal["P", "E", "S"]
    unconfirmed: bool
    note: str | None

    def status_on(self, day: date) -> EnforcementPeriod | None:
        """The enforcement period in force on ``day`` (None before the rule took effect)."""
        current = None
        for period in sorted(self.enforcement, key=lambda p: p.since):
            if period.since <= day:
                current = period
        return current if day >= self.effective else None

    def binding_from(self) -> date:
        """The first day compliance is required (the compliance date, else the effective date)."""
        return self.compliance_date or self.effective


class DatasetCaveat(_Model):
    id: str
    dataset: str
    before: date
    unconfirmed: bool
    note: str


class RulebookFile(_Model):
    version: str
    researched: str
    reference: str
    rules: tuple[RuleRecord, ...]
    dataset_caveats: tuple[DatasetCaveat, ...]

    def rule(self, rule_id: str) -> RuleRecord:
        note_consulted(rule=rule_id)
        for record in self.rules:
            if record.id == rule_id:
                return record
        raise KeyError(f"rulebook.json has no rule {rule_id!r}")


class GroupAlias(_Model):
    as_: str = Field(alias="as")
    basis: str


class GroupChange(_Model):
    id: str
    country: str
    group: str
    change: Literal["add", "remove"]
    effective: date
    effective_basis: str
    later_date: date | None
    later_event: str | None
    rulebook: tuple[str, ...]
    source: str
    unconfirmed: bool


class GroupChangesFile(_Open):
    aliases: dict[str, GroupAlias]
    changes: tuple[GroupChange, ...]


class DestinationScope(_Model):
    """A destination scope written as data (groups, countries, exclusions)."""

    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    worldwide: bool = False
    levels: tuple[str, ...] = ()
    text: str = ""
    source: str = ""


class LevelPattern(_Model):
    pattern: str
    level: Literal["a", "b", "hbm"]


class Levels(_Open):
    patterns: tuple[LevelPattern, ...]
    families: tuple[str, ...]


class Band(_Model):
    tpp_min: float | None = None
    tpp_below: float | None = None
    pd_min: float | None = None
    pd_below: float | None = None


class ParagraphRule(_Model):
    paragraph: Literal["a", "b"]
    text: str
    any_of: tuple[Band, ...]


class DatacenterNote(_Model):
    tpp_below: float
    text: str
    citation: str


class Classification(_Model):
    citation: str
    paragraphs: tuple[ParagraphRule, ...]
    datacenter_note: DatacenterNote
    ic_eccn: str
    computer_eccn: str
    computer_words: tuple[str, ...]
    lower_tier_hint: str


class Destination(_Model):
    citation: str
    codified_source: Literal["ccl"]
    substitute_when_diffusion_not_applied: DestinationScope


class DatedCitation(_Model):
    since: date = Field(alias="from")
    citation: str


class Headquarters(_Model):
    levels: tuple[str, ...]
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    roles: tuple[str, ...]
    except_destinations: tuple[str, ...]
    citations: tuple[DatedCitation, ...]
    rulebook: tuple[str, ...]
    source: str

    def citation_on(self, day: date) -> str:
        current = self.citations[0].citation
        for item in sorted(self.citations, key=lambda c: c.since):
            if item.since <= day:
                current = item.citation
        return current


class AcException(_Model):
    citation: str
    rulebook: str
    destination_groups: tuple[str, ...] = ()
    destination_countries: tuple[str, ...] = ()
    headquarters_groups: tuple[str, ...] = ()
    headquarters_countries: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    notification: bool
    document: str | None = None
    not_for: str
    lead_time_days: int | None = None
    lead_time_unconfirmed: bool = False
    aes_code: str
    notified_groups: tuple[str, ...] | None = None
    """When set, notification (and ``aes_code``) applies only to destinations in these groups or in
    ``notified_countries``; the exception's other destinations need none and report ``unnotified_aes_code``.
    The single NAC of 2023-11-17 to 2024-04-03 worked so (C67 notified for Macau/D:5, C68 otherwise)."""
    notified_countries: tuple[str, ...] = ()
    unnotified_aes_code: str | None = None


class Tier1(_Model):
    citation: str
    countries: tuple[str, ...]
    source: str
    document_note: str


class Tier3(_Model):
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    citation: str


class Lpp(_Model):
    citation: str
    cap_tpp_per_consignee_year: int
    source: str
    note: str


class Allocation(_Model):
    tpp: int
    period: str
    unconfirmed: bool
    text: str


class Diffusion(_Model):
    rulebook: str
    levels: tuple[str, ...]
    citation: str
    tier1: Tier1
    tier3: Tier3
    lpp: Lpp
    tier2_allocation: Allocation


class ReviewPolicy(_Model):
    id: str
    since: date = Field(alias="from")
    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    export_from: tuple[str, ...] = ()
    text: str
    citation: str
    unconfirmed: bool


class PrcModel(_Model):
    model: str
    key: str


class PrcIcs(_Model):
    rulebook: str
    citation: str
    manufacturers: tuple[str, ...]
    family_words: tuple[str, ...]
    models: tuple[PrcModel, ...]
    similarity: float
    safe_harbour: str
    source: str


class AiTraining(_Model):
    rulebook: str
    levels: tuple[str, ...]
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    citation: str
    inference_words: tuple[str, ...]
    inference_unconfirmed: bool


class AdvancedComputingFile(_Open):
    levels: Levels
    classification: Classification
    destination: Destination
    headquarters: Headquarters
    exceptions: dict[str, AcException]
    diffusion: Diffusion
    review_policies: tuple[ReviewPolicy, ...]
    prc_ics: PrcIcs
    ai_training: AiTraining


class EmbargoPeriod(_Model):
    since: date | None = Field(default=None, alias="from")
    until: date | None = Field(default=None, alias="to")
    items: Literal["all", "ccl", "ear99"]
    outcome: Literal["nlr", "license_exception", "license_required", "prohibited"]
    citation: str
    text: str
    review: bool = False
    exception: str | None = None
    rulebook: str | None = None
    barred_by: Literal["part744"] | None = None
    scope_text: str | None = None
    restriction_text: str | None = None
    text_source: str | None = None

    def covers(self, day: date) -> bool:
        return (self.since is None or self.since <= day) and (self.until is None or day <= self.until)


class Embargo(_Model):
    country: str
    rule: str
    periods: tuple[EmbargoPeriod, ...]


class EmbargoesFile(_Open):
    embargoes: tuple[Embargo, ...]


class ListRule(_Model):
    rule: str
    name: str
    outcome: Literal["nlr", "license_exception", "license_required", "prohibited"]
    citation: str
    bars_exceptions: bool
    allowed_exceptions: tuple[str, ...]
    part744: bool
    text: str
    source: str
    review: bool = False
    document: str | None = None
    default_requirement: str | None = None
    default_policy: str | None = None
    bar_scope: Literal["case", "entry"] = "case"
    """``entry``: licence exceptions are barred only for the items the entry's licence-requirement column
    reaches (Entity List, §744.16(b)); ``case``: for every item of the case."""
    bar_citation: str | None = None
    """The paragraph that bars licence exceptions, named in the findings of an ``entry``-scoped bar."""


class EndUseRule(_Model):
    rule: str
    outcome: Literal["nlr", "license_exception", "license_required", "prohibited"]
    citation: str
    part744: bool
    text: str
    review: bool = False


class AffiliatesBar(_Model):
    """How the Affiliates Rule passes a listed owner's bar on licence exceptions to the entities it covers."""

    citation: str
    text: str
    unconfirmed: bool
    note: str
    source: str


class Part744File(_Open):
    lists: dict[str, ListRule]
    end_uses: dict[str, EndUseRule]
    affiliates_bar: AffiliatesBar | None = None
    """None in a pack published before the bar was modelled: such a pack passes no bar to affiliates."""


class Flag(_Model):
    id: str
    text: str
    unconfirmed: bool


class Checklist(_Model):
    id: str
    rule: str
    title: str
    citation: str
    source: str
    applies_to: Literal["all", "advanced_computing"]
    partial: bool
    partial_note: str
    flags: tuple[Flag, ...]
    rulebook: str | None = None


class RedFlagsFile(_Open):
    checklists: tuple[Checklist, ...]


# --- dated regulation, foreign-made items, region-level sanctions (issue #17) -----------------


class Earliest(_Model):
    since: date = Field(alias="date")
    text: str


class DatedEntry(_Model):
    """CCL entries or paragraphs that came into force on ``since`` (and left after ``until``)."""

    id: str
    eccns: tuple[str, ...]
    since: date = Field(alias="from")
    until: date | None = Field(default=None, alias="to")
    rulebook: str
    what: str
    before: str
    source: str
    unconfirmed: bool
    window_until: date | None = None
    """The last day of a period in which a compliance date may not yet bind (named in findings)."""
    window_text: str = ""
    posture: Literal["diffusion"] | None = None
    """``diffusion``: codified but bound only when the AI Diffusion rule is applied (posture, compliance date)."""


class DatedException(_Model):
    """An advanced-computing licence exception as it stood between two dates (None: it did not exist)."""

    symbol: str
    since: date = Field(alias="from")
    until: date = Field(alias="to")
    rulebook: str
    exception: AcException | None
    text: str
    source: str
    unconfirmed: bool


class ScopeBefore(_Model):
    until: date
    rulebook: str
    text: str
    source: str
    unconfirmed: bool


class DatedRegulationFile(_Open):
    earliest: Earliest
    entries: tuple[DatedEntry, ...]
    not_dated: str
    ac_exceptions: tuple[DatedException, ...]
    ac_scope_before: ScopeBefore


class DeMinimisLevel(_Model):
    percent: int = Field(ge=0, le=100)
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    citation: str
    text: str


class DeMinimis(_Model):
    citation: str
    levels: tuple[DeMinimisLevel, ...]
    method: str
    not_evaluated: str
    advanced_computing_note: str


class FdpRule(_Model):
    id: str
    paragraph: str
    citation: str
    name: str
    rulebook: str
    item_levels: tuple[str, ...]
    item_eccns: tuple[str, ...]
    any_item: bool = False
    any_ccl_item: bool = False
    product: str
    reach: Literal["advanced-computing", "destinations", "entity-list-footnote"]
    groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    footnote_markers: dict[str, tuple[str, ...]] = Field(default_factory=dict)
    reach_text: str
    unconfirmed: bool


class CitedText(_Model):
    citation: str
    text: str


class ForeignMadeFile(_Open):
    in_us: CitedText
    us_origin: CitedText
    de_minimis: DeMinimis
    fdp: tuple[FdpRule, ...]
    fdp_not_evaluated: str
    source: str


class SanctionedRegion(_Model):
    id: str
    name: str
    country: str
    codes: tuple[str, ...]
    exact: bool
    """False when the ISO code (an oblast) is wider than the sanctioned region."""
    rulebook: str
    rule: str
    citation: str
    chart_footnote: str
    policy: str
    policy_unconfirmed: bool
    words: tuple[str, ...]


class RegionsFile(_Open):
    regions: tuple[SanctionedRegion, ...]
    not_exact_note: str
    roles: tuple[str, ...]
    exempt: str
    source: str


class AmendmentNote(_Model):
    """A local amendment applied to this data, as the findings that rely on it name it."""

    id: str
    kind: str
    target: str
    text: str


class DatedParameter(_Model):
    """A local parameter amendment: applies to checks on or after ``effective``."""

    id: str
    pointer: str
    value: Any
    effective: date


class RuleData(_Model):
    """Everything the engine reads, with the versions a determination records."""

    groups: CountryGroupsFile
    chart: CountryChartFile
    ccl: CclFile
    exceptions: ExceptionsFile
    rulebook: RulebookFile
    group_changes: GroupChangesFile
    advanced: AdvancedComputingFile
    embargoes: EmbargoesFile
    part744: Part744File
    red_flags: RedFlagsFile
    dated: DatedRegulationFile
    foreign: ForeignMadeFile
    regions: RegionsFile
    exception_rules: ExceptionRulesFile
    end_use_rules: EndUseRulesFile
    review_policies: ReviewPoliciesFile
    digest: str
    pack: str = "1"
    """The rule pack the data came from ("1" is the data shipped with the package)."""
    amendments: tuple[AmendmentNote, ...] = ()
    """Local amendments applied over the pack (empty for the pack as published)."""
    parameters: tuple[DatedParameter, ...] = ()
    """Parameter amendments, applied per check date (``workbench.rules.amend.data_on``)."""

    @property
    def versions(self) -> dict[str, str]:
        versions = {
            "ecfr": self.ccl.ecfr_issue_date.isoformat(),
            "rules": self.rulebook.version,
            "rules_digest": self.digest,
            "rule_pack": self.pack,
        }
        if self.amendments:
            versions["amendments"] = ", ".join(a.id for a in self.amendments)
        return versions


def _load(name: str) -> bytes:
    return read_bytes(f"rules/{name}")


class RuleDataError(WorkbenchError):
    """A rule-data part does not match its schema (file and JSON path named)."""


BUILTIN_PACK = "1"
"""The rule data shipped inside the package is pack 1."""

_PART_MODELS: dict[str, type[BaseModel]] = {
    "country-groups.json": CountryGroupsFile,
    "country-chart.json": CountryChartFile,
    "ccl.json": CclFile,
    "license-exceptions.json": ExceptionsFile,
    "rulebook.json": RulebookFile,
    "group-changes.json": GroupChangesFile,
    "advanced-computing.json": AdvancedComputingFile,
    "embargoes.json": EmbargoesFile,
    "part744.json": Part744File,
    "red-flags.json": RedFlagsFile,
    "dated-regulation.json": DatedRegulationFile,
    "foreign-made.json": ForeignMadeFile,
    "regions.json": RegionsFile,
    "exception-rules.json": ExceptionRulesFile,
    "end-use-rules.json": EndUseRulesFile,
    "review-policies.json": ReviewPoliciesFile,
}


def _json_path(loc: tuple[int | str, ...]) -> str:
    return "$" + "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in loc)


def _parse_part(name: str, raw: bytes) -> Any:
    try:
        return _PART_MODELS[name].model_validate_json(raw)
    except PydanticValidationError as exc:
        first = exc.errors()[0]
        raise RuleDataError(
            f"{name}: {_json_path(tuple(first['loc']))}: {first['msg']}; the rule data does not match its schema."
        ) from None


ADDED_PARTS = ("end-use-rules.json", "exception-rules.json", "review-policies.json")
"""Parts added after packs were first published (issue #17): a pack without them takes the shipped ones."""


def rule_data_from_parts(parts: Mapping[str, bytes], pack: str = BUILTIN_PACK) -> RuleData:
    """Validate every part against its model; a missing, extra or malformed part is refused."""
    if any(name not in parts for name in ADDED_PARTS):
        parts = {**{name: _load(name) for name in ADDED_PARTS}, **parts}
    missing = [name for name in RULE_FILES if name not in parts]
    extra = sorted(set(parts) - set(RULE_FILES))
    if missing or extra:
        what = f"missing {', '.join(missing)}" if missing else f"unknown parts {', '.join(extra)}"
        raise RuleDataError(f"The rule data is incomplete ({what}); a pack holds exactly: {', '.join(RULE_FILES)}.")
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(name.encode())
        digest.update(parts[name])
    return RuleData(
        groups=_parse_part("country-groups.json", parts["country-groups.json"]),
        chart=_parse_part("country-chart.json", parts["country-chart.json"]),
        ccl=_parse_part("ccl.json", parts["ccl.json"]),
        exceptions=_parse_part("license-exceptions.json", parts["license-exceptions.json"]),
        rulebook=_parse_part("rulebook.json", parts["rulebook.json"]),
        group_changes=_parse_part("group-changes.json", parts["group-changes.json"]),
        advanced=_parse_part("advanced-computing.json", parts["advanced-computing.json"]),
        embargoes=_parse_part("embargoes.json", parts["embargoes.json"]),
        part744=_parse_part("part744.json", parts["part744.json"]),
        red_flags=_parse_part("red-flags.json", parts["red-flags.json"]),
        dated=_parse_part("dated-regulation.json", parts["dated-regulation.json"]),
        foreign=_parse_part("foreign-made.json", parts["foreign-made.json"]),
        regions=_parse_part("regions.json", parts["regions.json"]),
        exception_rules=_parse_part("exception-rules.json", parts["exception-rules.json"]),
        end_use_rules=_parse_part("end-use-rules.json", parts["end-use-rules.json"]),
        review_policies=_parse_part("review-policies.json", parts["review-policies.json"]),
        digest=digest.hexdigest()[:16],
        pack=pack,
    )


def builtin_parts() -> dict[str, bytes]:
    """The shipped rule-data files, byte for byte (pack 1)."""
    return {name: _load(name) for name in RULE_FILES}


@cache
def builtin_rule_data() -> RuleData:
    """The rule data shipped with the package, loaded and validated once per process."""
    return rule_data_from_parts(builtin_parts(), BUILTIN_PACK)


_active: RuleData | None = None
_override: ContextVar[RuleData | None] = ContextVar("rule_data_override", default=None)


def rule_data() -> RuleData:
    """The rule data in force for this call: an override (``using_rule_data``), else the
    database's active pack (``activate_rule_data``), else the shipped pack 1."""
    return _override.get() or _active or builtin_rule_data()


def activate_rule_data(data: RuleData | None) -> None:
    """Make ``data`` the process's rule data (None: the shipped pack); a workbench does this on open."""
    global _active
    _active = data


@contextmanager
def using_rule_data(data: RuleData) -> Iterator[RuleData]:
    """Judge with ``data`` inside the block (e.g. ``check --rules VERSION``), on this thread only."""
    token = _override.set(data)
    try:
        yield data
    finally:
        _override.reset(token)


def per_rule_data(build: Callable[[], T]) -> Callable[[], T]:
    """Cache a value derived from the rule data once per rule-data object, so switching packs
    never serves a value derived from another pack."""
    memo: list[tuple[RuleData, T]] = []
    lock = threading.Lock()

    def cached() -> T:
        data = rule_data()
        with lock:
            for owner, value in memo:
                if owner is data:
                    return value
        value = build()
        with lock:
            memo.insert(0, (data, value))
            del memo[4:]
        return value

    cached.__doc__ = build.__doc__
    return cached
