"""Typed, validated access to the rule data in ``resources/rules``.

Every file is parsed once into frozen pydantic models, so a malformed data file
fails loudly at load time with the JSON path of the problem instead of producing
a wrong determination later. ``rule_data()`` is cached for the process.
"""

from __future__ import annotations

import hashlib
from datetime import date
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from workbench.resources import read_bytes

RULE_FILES = (
    "advanced-computing.json",
    "ccl.json",
    "country-chart.json",
    "country-groups.json",
    "embargoes.json",
    "group-changes.json",
    "license-exceptions.json",
    "part744.json",
    "red-flags.json",
    "rulebook.json",
)


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


class EndUseRule(_Model):
    rule: str
    outcome: Literal["nlr", "license_exception", "license_required", "prohibited"]
    citation: str
    part744: bool
    text: str
    review: bool = False


class Part744File(_Open):
    lists: dict[str, ListRule]
    end_uses: dict[str, EndUseRule]


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
    digest: str

    @property
    def versions(self) -> dict[str, str]:
        return {
            "ecfr": self.ccl.ecfr_issue_date.isoformat(),
            "rules": self.rulebook.version,
            "rules_digest": self.digest,
        }


def _load(name: str) -> bytes:
    return read_bytes(f"rules/{name}")


@cache
def rule_data() -> RuleData:
    """Load and validate all rule data once per process."""
    raw = {name: _load(name) for name in RULE_FILES}
    digest = hashlib.sha256()
    for name in RULE_FILES:
        digest.update(name.encode())
        digest.update(raw[name])
    return RuleData(
        groups=CountryGroupsFile.model_validate_json(raw["country-groups.json"]),
        chart=CountryChartFile.model_validate_json(raw["country-chart.json"]),
        ccl=CclFile.model_validate_json(raw["ccl.json"]),
        exceptions=ExceptionsFile.model_validate_json(raw["license-exceptions.json"]),
        rulebook=RulebookFile.model_validate_json(raw["rulebook.json"]),
        group_changes=GroupChangesFile.model_validate_json(raw["group-changes.json"]),
        advanced=AdvancedComputingFile.model_validate_json(raw["advanced-computing.json"]),
        embargoes=EmbargoesFile.model_validate_json(raw["embargoes.json"]),
        part744=Part744File.model_validate_json(raw["part744.json"]),
        red_flags=RedFlagsFile.model_validate_json(raw["red-flags.json"]),
        digest=digest.hexdigest()[:16],
    )
