"""The product library: a product classified once (ECCN, reasoning, figures) and reused in every case.

Officers classify products, not shipments. A ``Product`` keeps the classification with the
officer's reasoning, the figures the rules read (per IC, as on a case item), the CCATS if BIS
classified it, and who approved it when. Like the case entities it is a frozen dataclass
validated on construction, so an invalid product cannot exist in memory.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum
from typing import TYPE_CHECKING, Protocol

from workbench.domain.audit import AuditEntry
from workbench.domain.countries import country_code
from workbench.domain.eccn import EAR99, normalise_eccn
from workbench.domain.errors import ValidationError
from workbench.domain.validation import text as _text

if TYPE_CHECKING:
    from workbench.domain.case import Case, CaseStatus
    from workbench.domain.product_items import CaseUsingProduct, ProductUse

MAX_PART_NUMBER = 100
MAX_NAME = 500
MAX_DESCRIPTION = 2000
MAX_PARAGRAPH = 1000
MAX_REASONING = 8000
MAX_ICS_PER_UNIT = 100_000

# Upper bounds well above any real device (an H100 is TPP 15,832 and PD about 19.4; HBM3e is
# about 1.2 TB/s a stack), so a typo of a few digits or a hostile 1e308 is refused.
MAX_TPP = 10_000_000.0
MAX_PERFORMANCE_DENSITY = 100_000.0
MAX_DRAM_BANDWIDTH = 1_000_000.0
"""GB/s: the DRAM bandwidth the H200 review-policy ceiling is stated in (rulebook, 91 FR 1684)."""
MAX_MEMORY_BANDWIDTH_DENSITY = 10_000.0
"""GB/s/mm²: the 'memory bandwidth density' 3A090.c (high-bandwidth memory) is defined by."""

_PART_NUMBER = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 ._/#+:()-]*$")
_CCATS = re.compile(r"^[A-Z][0-9]{5,8}$")


class ProductStatus(StrEnum):
    DRAFT = "draft"
    APPROVED = "approved"

    @property
    def label(self) -> str:
        return self.value.capitalize()


class ProductDocumentKind(StrEnum):
    DATASHEET = "datasheet"
    CCATS = "ccats"
    OTHER = "other"


def part_key(part_number: str) -> str:
    """The identity of a part number: case and surrounding space do not make another product."""
    return " ".join(part_number.split()).casefold()


def validate_part_number(value: object, field_name: str = "part_number") -> str:
    """A part number or SKU: printable, one line, at most 100 characters."""
    part = " ".join(_text(value, field_name, max_len=MAX_PART_NUMBER).split())
    if not _PART_NUMBER.match(part):
        raise ValidationError(
            field_name,
            f"'{part}' is not a usable part number; start with a letter or digit and use letters, digits, "
            "spaces and . _ / # + : ( ) - only",
        )
    return part


def figure(value: object, field_name: str, maximum: float) -> float | None:
    """A finite number from 0 to ``maximum`` (None when not known); booleans and text are refused."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(field_name, f"must be a number, not {type(value).__name__}")
    number = float(value)
    if not math.isfinite(number):
        raise ValidationError(field_name, f"must be a finite number (got {value})")
    if number < 0:
        raise ValidationError(field_name, f"must not be negative (got {value})")
    if number > maximum:
        raise ValidationError(
            field_name, f"is {number:,.10g}, above the plausible maximum of {maximum:,.0f}; check the unit"
        )
    return number


def _flag(value: object, field_name: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(field_name, f"must be true or false, not {value!r}")
    return value


def _optional_date(value: object, field_name: str) -> date | None:
    if value is None:
        return None
    if not isinstance(value, date):
        raise ValidationError(field_name, "must be a date (YYYY-MM-DD)")
    return value


@dataclass(frozen=True, slots=True)
class Product:
    """A classified product: what it is, how it is classified and why, and the figures behind it."""

    part_number: str
    description: str
    manufacturer: str = ""
    model: str = ""
    eccn: str | None = None
    """Canonical ECCN (``3A090.a``), ``EAR99``, or None when not yet classified."""
    paragraph: str = ""
    """The CCL paragraph relied on, in the officer's words (e.g. "3A090.a.1: TPP 4800 or more")."""
    reasoning: str = ""
    """Why the officer classified it so (part 762 records: the reasoning must be on file)."""
    tpp: float | None = None
    """Total processing performance of one IC."""
    performance_density: float | None = None
    ics_per_unit: int = 1
    """Advanced ICs in one unit (8 for an 8-GPU board): TPP and PD are per IC."""
    datacenter: bool = False
    """Designed or marketed for use in datacenters (Note to 3A090)."""
    prc_advanced_ic: bool = False
    """A PRC advanced-computing IC as the GP10 guidance of 2025-05-13 names them."""
    dram_bandwidth: float | None = None
    """DRAM bandwidth in GB/s (the unit of the H200 review-policy ceiling)."""
    memory_bandwidth_density: float | None = None
    """Memory bandwidth density in GB/s/mm² (the 3A090.c parameter for high-bandwidth memory)."""
    country_of_origin: str | None = None
    ccats_number: str = ""
    ccats_date: date | None = None
    status: ProductStatus = ProductStatus.DRAFT
    approved_by: str = ""
    approved_on: date | None = None
    version: int = 0
    """Optimistic-locking counter kept by the store; 0 for a product never saved."""

    def __post_init__(self) -> None:
        set_ = object.__setattr__
        set_(self, "part_number", validate_part_number(self.part_number))
        set_(self, "description", _text(self.description, "description", max_len=MAX_DESCRIPTION))
        set_(self, "manufacturer", _text(self.manufacturer, "manufacturer", required=False, max_len=MAX_NAME))
        set_(self, "model", _text(self.model, "model", required=False, max_len=MAX_NAME))
        if self.eccn is not None and not isinstance(self.eccn, str):
            raise ValidationError("eccn", f"must be text, not {type(self.eccn).__name__}")
        set_(self, "eccn", normalise_eccn(_text(self.eccn, "eccn", required=False, max_len=40) or None))
        set_(self, "paragraph", _text(self.paragraph, "paragraph", required=False, max_len=MAX_PARAGRAPH))
        set_(self, "reasoning", _text(self.reasoning, "reasoning", required=False, max_len=MAX_REASONING))
        set_(self, "tpp", figure(self.tpp, "tpp", MAX_TPP))
        set_(
            self,
            "performance_density",
            figure(self.performance_density, "performance_density", MAX_PERFORMANCE_DENSITY),
        )
        set_(self, "dram_bandwidth", figure(self.dram_bandwidth, "dram_bandwidth", MAX_DRAM_BANDWIDTH))
        set_(
            self,
            "memory_bandwidth_density",
            figure(self.memory_bandwidth_density, "memory_bandwidth_density", MAX_MEMORY_BANDWIDTH_DENSITY),
        )
        if isinstance(self.ics_per_unit, bool) or not isinstance(self.ics_per_unit, int):
            raise ValidationError("ics_per_unit", f"'{self.ics_per_unit}' is not a whole number of ICs per unit")
        if not 1 <= self.ics_per_unit <= MAX_ICS_PER_UNIT:
            raise ValidationError(
                "ics_per_unit",
                f"must be between 1 and {MAX_ICS_PER_UNIT:,} (the advanced ICs in one unit, e.g. 8 for an 8-GPU "
                f"board; got {self.ics_per_unit})",
            )
        set_(self, "datacenter", _flag(self.datacenter, "datacenter"))
        set_(self, "prc_advanced_ic", _flag(self.prc_advanced_ic, "prc_advanced_ic"))
        if self.country_of_origin is not None:
            set_(self, "country_of_origin", country_code(self.country_of_origin, "country_of_origin"))
        self._check_ccats()
        self._check_status()
        if isinstance(self.version, bool) or not isinstance(self.version, int) or self.version < 0:
            raise ValidationError("version", f"must be a whole number of 0 or more (got {self.version!r})")

    def _check_ccats(self) -> None:
        number = _text(self.ccats_number, "ccats_number", required=False, max_len=20).upper()
        if number and not _CCATS.match(number):
            raise ValidationError(
                "ccats_number", f"'{number}' is not a CCATS number; write it as BIS issued it, e.g. G123456"
            )
        object.__setattr__(self, "ccats_number", number)
        object.__setattr__(self, "ccats_date", _optional_date(self.ccats_date, "ccats_date"))
        if self.ccats_date is not None and not number:
            raise ValidationError("ccats_number", "is needed when a CCATS date is given; give both or neither")

    def _check_status(self) -> None:
        try:
            object.__setattr__(self, "status", ProductStatus(self.status))
        except ValueError:
            allowed = ", ".join(s.value for s in ProductStatus)
            raise ValidationError("status", f"'{self.status}' is not a product status; use one of {allowed}") from None
        object.__setattr__(self, "approved_by", _text(self.approved_by, "approved_by", required=False, max_len=200))
        object.__setattr__(self, "approved_on", _optional_date(self.approved_on, "approved_on"))
        if self.status is ProductStatus.APPROVED:
            if self.eccn is None:
                raise ValidationError(
                    "status", "an unclassified product cannot be approved; record its ECCN (or EAR99) first"
                )
            if not self.approved_by or self.approved_on is None:
                raise ValidationError(
                    "approved_by", "an approved classification names the officer who approved it and the date"
                )
        elif self.approved_by or self.approved_on is not None:
            raise ValidationError(
                "status", "a draft product has no approval; set status to approved or leave approved_by/on empty"
            )

    @property
    def classification_label(self) -> str:
        return self.eccn or "unclassified"

    @property
    def total_tpp_per_unit(self) -> float | None:
        """TPP of every IC in one unit (the figure caps such as LPP count per unit shipped)."""
        return None if self.tpp is None else self.tpp * self.ics_per_unit

    @property
    def is_ear99(self) -> bool:
        return self.eccn == EAR99

    def approved(self, officer: str, on: date) -> Product:
        """The product with its classification approved by ``officer`` on ``on``."""
        return replace(self, status=ProductStatus.APPROVED, approved_by=officer, approved_on=on)

    def as_draft(self) -> Product:
        return replace(self, status=ProductStatus.DRAFT, approved_by="", approved_on=None)


@dataclass(frozen=True, slots=True)
class ClassificationReview:
    """The classification assistant's reading of a product, beside what the officer recorded.

    ``conflict`` explains how the recorded ECCN contradicts the figures; on an approved product it
    is a conflict to resolve (the classification is never changed for the officer).
    """

    recorded: str | None
    proposed: str | None
    explanation: str
    conflict: str | None = None
    missing: tuple[str, ...] = ()
    nac_aca: bool = False
    rules_digest: str = ""
    """Which rule data the review was made with, so a change of rule data can be re-reviewed."""

    @property
    def agrees(self) -> bool:
        return self.conflict is None and self.proposed is not None and self.proposed == self.recorded

    @property
    def state(self) -> str:
        """``conflict``, ``consistent`` (classified, not contradicted) or ``unclassified``."""
        if self.conflict is not None:
            return "conflict"
        return "unclassified" if self.recorded is None else "consistent"


@dataclass(frozen=True, slots=True)
class ProductDocument:
    """A document (datasheet, CCATS) on file for a product; the bytes live in the document store."""

    kind: ProductDocumentKind
    filename: str
    sha256: str
    note: str = ""

    def __post_init__(self) -> None:
        try:
            object.__setattr__(self, "kind", ProductDocumentKind(self.kind))
        except ValueError:
            allowed = ", ".join(k.value for k in ProductDocumentKind)
            raise ValidationError(
                "kind", f"'{self.kind}' is not a product document kind; use one of {allowed}"
            ) from None
        filename = _text(self.filename, "filename", max_len=255)
        if "/" in filename or "\\" in filename or filename in {".", ".."}:
            raise ValidationError("filename", f"'{filename}' must be a plain file name, without folders")
        object.__setattr__(self, "filename", filename)
        sha = str(self.sha256).strip().lower()
        if not re.fullmatch(r"[0-9a-f]{64}", sha):
            raise ValidationError("sha256", "must be 64 hexadecimal characters (a SHA-256 digest)")
        object.__setattr__(self, "sha256", sha)
        object.__setattr__(self, "note", _text(self.note, "note", required=False, max_len=4000))


@dataclass(frozen=True, slots=True)
class ProductSummary:
    """One row of the product list: what a table shows, with the stored review's verdict."""

    part_number: str
    description: str
    manufacturer: str
    model: str
    eccn: str | None
    status: ProductStatus
    proposed: str | None
    conflict: bool
    updated_at: str


class ProductRepository(Protocol):
    """What the services need from the library's persistence (implemented by ``SqlProductRepository``).

    Every write records the product's changes in the audit chain in the same transaction.
    """

    def get(self, part_number: str) -> Product:
        """The product (part numbers match regardless of case) or ``NotFoundError``."""

    def get_with_review(self, part_number: str) -> tuple[Product, ClassificationReview]:
        """The product and the assistant's review stored with it."""

    def exists(self, part_number: str) -> bool: ...

    def existing(self, part_numbers: Iterable[str]) -> set[str]:
        """The part keys (``part_key``) among ``part_numbers`` already in the library."""

    def add(self, product: Product, review: ClassificationReview, reason: str = "") -> Product:
        """Store a new product (``DuplicateError`` if its part number is taken), version 1."""

    def add_many(
        self,
        pairs: Sequence[tuple[Product, ClassificationReview]],
        reason: str,
        progress: Callable[[int, int], None] | None = None,
    ) -> int:
        """Store many new products (checked new by the caller) in the current transaction."""

    def save(self, product: Product, review: ClassificationReview, *, action: str, reason: str = "") -> Product:
        """Update a stored product; ``ConflictError`` if ``product.version`` is stale."""

    def count(
        self,
        search: str = "",
        eccn: str | None = None,
        conflicts: bool = False,
        status: ProductStatus | None = None,
        *,
        cap: int | None = None,
    ) -> int:
        """Products matching; with ``cap``, counting stops at ``cap + 1``."""

    def summaries(
        self,
        search: str = "",
        eccn: str | None = None,
        conflicts: bool = False,
        status: ProductStatus | None = None,
        *,
        offset: int = 0,
        limit: int = 200,
    ) -> list[ProductSummary]: ...

    def stale_reviews(self, digest: str, limit: int = 1000) -> list[tuple[Product, ClassificationReview]]:
        """Products whose stored review was made with rule data other than ``digest``."""

    def store_review(self, part_number: str, review: ClassificationReview, reason: str) -> None:
        """Replace the stored review; a changed proposal or conflict is audited."""

    def attach(self, part_number: str, document: ProductDocument) -> ProductDocument: ...

    def documents(self, part_number: str) -> list[ProductDocument]: ...

    def history(self, part_number: str) -> list[AuditEntry]: ...

    # What case items reference (phase 2) ------------------------------------------------------------

    def id_of(self, part_number: str) -> int:
        """The record id case items reference the product by (``NotFoundError`` if there is none)."""

    def get_by_id(self, product_id: int) -> tuple[Product, ClassificationReview]: ...

    def part_numbers(self, ids: Iterable[int]) -> dict[int, str]: ...

    def by_part_number(self, part_number: str) -> tuple[int, Product] | None: ...

    def by_manufacturer_model(self, manufacturer: str, model: str, limit: int = 10) -> list[tuple[int, Product]]:
        """Products of this manufacturer and model, case and spacing aside."""

    def uses_in(self, case: Case) -> tuple[ProductUse, ...]:
        """The products the case's items reference, as a determination records them."""

    def cases_using(
        self, part_number: str, statuses: Sequence[CaseStatus] = (), limit: int = 100_000
    ) -> list[CaseUsingProduct]: ...
