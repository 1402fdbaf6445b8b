"""Schemas of the rule-data parts for licence exceptions, part 744 end uses and review policies.

Kept apart from ``data.py`` (which registers them) so each part's shape sits beside the others
of its issue (#17 items 1, 3, 7) and a malformed file fails at load time with its JSON path.
"""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class _Open(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", populate_by_name=True)


# --- exception-rules.json (part 740) ----------------------------------------------------------


class EncParagraph(_Model):
    citation: str
    filing: str
    wait_days_outside_supp3: int
    government_end_user_outside_supp3: bool


class TmpPurposeRule(_Model):
    """One paragraph of 15 CFR 740.9(a) a temporary export can rely on."""

    citation: str
    text: str
    exclude_groups: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    """Only these destinations (740.9(a)(8): Mexico); empty: any the other limits allow."""
    export_only: bool = False
    product_groups: tuple[str, ...] = ()
    """CCL product groups (second ECCN character) the paragraph covers; empty: commodities and software."""
    return_years: int
    return_citation: str
    conditions: tuple[str, ...] = ()


class RplKindRule(_Model):
    """One branch of 15 CFR 740.10 (replacement parts, serviced return, replacement of defective items)."""

    citation: str
    text: str
    product_groups: tuple[str, ...]
    bar_groups: tuple[str, ...] = ()
    bar_text: str = ""
    ask_groups: tuple[str, ...] = ()
    """Destinations where eligibility turns on a fact about the equipment repaired (740.10(a)(3)(iv))."""
    ask_text: str = ""
    bars_nuclear_end_use: bool = False
    nuclear_text: str = ""
    improvement_citation: str
    authorisation_citation: str
    conditions: tuple[str, ...] = ()
    d1_conditions: tuple[str, ...] = ()
    """Further conditions to Country Group D:1 destinations other than the PRC (740.10(b)(2)(iii), (b)(3)(ii))."""
    b_conditions: tuple[str, ...] = ()
    """Further conditions to Country Group B or D:1 destinations (740.10(b)(3)(ii))."""


class MtCarveOut(_Model):
    """The MT-controlled items 740.2(a)(5) still lets TMP kits and RPL carry."""

    citation: str
    eccns: tuple[str, ...]
    condition: str
    one_for_one_eccns: tuple[str, ...]
    one_for_one_citation: str
    tmp_purposes: tuple[str, ...]
    rpl_kinds: tuple[str, ...]


class ExceptionRule(_Open):
    citation: str
    flag: str
    kind: Literal["ns_only", "value_limit", "officer", "sta", "enc", "tmp", "rpl"]
    groups: tuple[str, ...] = ()
    exclude_groups: tuple[str, ...] = ()
    exclude_countries: tuple[str, ...] = ()
    reasons: tuple[str, ...] = ()
    reasons_a6: tuple[str, ...] = ()
    product_groups: tuple[str, ...] = ()
    text: str
    conditions: tuple[str, ...] = ()
    document: str | None = None
    citation_a5: str | None = None
    citation_a6: str | None = None
    paragraphs: dict[str, EncParagraph] = {}
    supp3: tuple[str, ...] = ()
    supp3_citation: str = ""
    supp3_unconfirmed: bool = False
    ei_citation: str = ""
    ei_exempt_countries: tuple[str, ...] = ()
    ei_text: str = ""
    mass_market: str = ""
    purposes: dict[str, TmpPurposeRule] = {}
    kinds: dict[str, RplKindRule] = {}
    general_conditions: tuple[str, ...] = ()
    missing_text: str = ""
    technology_text: str = ""
    mt: MtCarveOut | None = None
    source: str
    grade: Literal["P", "E", "S"]
    unconfirmed: bool


class NotEvaluated(_Model):
    citation: str
    text: str
    unconfirmed: bool = False


class Restriction(_Model):
    id: str
    citation: str
    reasons: tuple[str, ...]
    levels: tuple[str, ...]
    text: str
    allowed: tuple[str, ...]
    unconfirmed: bool
    source: str


class ExceptionRulesFile(_Open):
    order: tuple[str, ...]
    exceptions: dict[str, ExceptionRule]
    not_evaluated: dict[str, NotEvaluated]
    restrictions: tuple[Restriction, ...]


# --- end-use-rules.json (part 744) ------------------------------------------------------------


class EndUseControl(_Model):
    rule: str
    citation: str
    items: Literal["all", "ccl", "activity"]
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    worldwide: bool
    since: date | None
    text: str
    source: str
    unconfirmed: bool


class Meu(_Model):
    citation: str
    countries: tuple[str, ...]
    countries_since: dict[str, date] = {}
    """The day a destination joined 744.21(a) when that falls in the period the engine evaluates."""
    countries_sources: dict[str, str] = {}
    """The Federal Register rule that added each dated destination."""
    countries_unconfirmed: bool
    supp2_bundled: bool
    text: str
    source: str


class ScopeWords(_Model):
    """Words that name one form of an Entity List entry's licence-requirement column; the first form
    whose words the column contains is its reading (checks.elscope)."""

    words: tuple[str, ...]
    scope: Literal["all", "ccl", "eccns", "projects"]
    unconfirmed: bool = False
    """No entry of the bundled lists uses the form, so its reading is not checked against a real column."""
    note: str = ""


class Footnote(_Model):
    id: str
    patterns: tuple[str, ...]
    text: str


class EntityListReading(_Model):
    scopes: tuple[ScopeWords, ...]
    footnotes: tuple[Footnote, ...]
    footnote_note: str
    gov_words: tuple[str, ...]
    source: str


class EndUseRulesFile(_Open):
    end_uses: dict[str, EndUseControl]
    legacy_wmd: str
    meu: Meu
    entity_list: EntityListReading


# --- review-policies.json ---------------------------------------------------------------------

PolicyKind = Literal["denial", "case-by-case", "approval"]


class ReasonPolicy(_Model):
    reason: str
    groups: tuple[str, ...]
    countries: tuple[str, ...]
    policy: PolicyKind
    text: str
    citation: str
    unconfirmed: bool


class RulePolicy(_Model):
    prefix: str
    policy: PolicyKind
    text: str
    citation: str
    unconfirmed: bool


class PolicyWords(_Model):
    words: tuple[str, ...]
    policy: PolicyKind


class EntityListPolicies(_Model):
    default: str
    kinds: tuple[PolicyWords, ...]


class H200(_Model):
    id: str
    rulebook: str
    countries: tuple[str, ...]
    export_from: tuple[str, ...]
    tpp_below: float
    dram_bandwidth_below_gbps: float
    ceilings_unconfirmed: bool
    citation: str
    policy: PolicyKind
    above_text: str
    checklist: tuple[str, ...]
    source: str


class ReviewPoliciesFile(_Open):
    reasons: tuple[ReasonPolicy, ...]
    rules: tuple[RulePolicy, ...]
    entity_list: EntityListPolicies
    h200: H200
