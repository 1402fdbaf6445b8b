"""Document checks: what is missing, expired, mismatched or unverifiable in a case's documents.

Pure functions over the domain (no database, no files): the services gather the inputs
(whether the case needs a licence or concerns advanced computing, the integrity of each
stored file, the text of each PDF) and feed ``open_item`` issues into the rule engine's open
items, which sets ``review_required``. ``warning`` issues are shown but do not block.

Decisions (documented because an officer relies on them):

* **Validity is inclusive at both ends.** A document "valid until 2026-03-14" is valid on
  14 March 2026 and expired on the 15th; one "valid from 2026-03-14" is valid on the 14th.
  A document is never valid before it was signed, so the start is the later of
  ``valid_from`` and ``signed_date``. Missing dates mean "no limit on that side".
* **The date judged** is ``as_of``, by default the case's transaction date.
* **An EUC covers a party only if the officer recorded it** (``covers_parties``). An EUC
  that records no party covers nobody, and the issue says so, because the whole point of an
  EUC is to bind a named end user. Items are the other way round: an EUC that records no
  items covers all of them, as most EUCs describe the goods of the whole transaction.
* **EUC-type documents** are EUCs and BIS-711 statements (both are end-use statements by
  the consignee). A missing, tampered or unreadable stored file does not count as coverage.
* **BIS-711 required content** (Supp. No. 3 to Part 748, see the reference notes): the
  disposition/end-use paragraph, the certification that the items will not be reexported or
  otherwise disposed of contrary to the EAR, no WMD/missile (military) use, and the ultimate
  consignee (and purchaser) named. The end user is not required on a BIS-711. A missing one
  is an open item. For an EUC the same assurances plus the end user named are expected
  (compliance-features §3c), missing ones are a warning.
* **Names** are compared fuzzily (``names``): the same name at >= 0.88 similarity, "similar"
  (named in the message as the likely party) at >= 0.70.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from workbench.documents.countries import countries_named
from workbench.documents.filenames import safe_display_name
from workbench.documents.filestore import IntegrityStatus
from workbench.documents.names import (
    BASIC_NORMALISER,
    SAME_NAME,
    SIMILAR_NAME,
    NameNormaliser,
    find_name,
    name_similarity,
    printable,
    text_words,
)
from workbench.domain.case import Assurance, Case, CaseStatus, DocumentKind, DocumentRecord, Party, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.errors import ValidationError

__all__ = [
    "BIS711_REQUIRED",
    "DEFAULT_EXPIRING_WITHIN_DAYS",
    "EUC_EXPECTED",
    "DocumentIssue",
    "ExpiringDocument",
    "IssueSeverity",
    "document_findings",
    "document_label",
    "expiring_documents",
    "expiring_within_days",
    "safe_display_name",
    "validity_window",
]

ENV_EXPIRING_DAYS = "WORKBENCH_DOCUMENT_EXPIRY_WARNING_DAYS"
DEFAULT_EXPIRING_WITHIN_DAYS = 30

EUC_KINDS = frozenset({DocumentKind.EUC, DocumentKind.BIS_711})
"""Documents that count as an end-use statement covering a party."""
TIME_LIMITED_KINDS = frozenset(
    {
        DocumentKind.EUC,
        DocumentKind.BIS_711,
        DocumentKind.IMPORT_CERTIFICATE,
        DocumentKind.LETTER_OF_ASSURANCE,
        DocumentKind.UVL_STATEMENT,
        DocumentKind.NAC_NOTIFICATION,
    }
)
"""Documents whose validity decides whether the transaction may go ahead (others only warn)."""
BIS711_REQUIRED = (
    Assurance.END_USE_STATEMENT,
    Assurance.NO_REEXPORT,
    Assurance.NO_MILITARY_WMD,
    Assurance.CONSIGNEE_NAMED,
)
EUC_EXPECTED = (
    Assurance.END_USE_STATEMENT,
    Assurance.NO_REEXPORT,
    Assurance.NO_MILITARY_WMD,
    Assurance.END_USER_NAMED,
)
_ASSURANCE_TEXT = {
    Assurance.END_USE_STATEMENT: "an end-use statement",
    Assurance.NO_REEXPORT: "no reexport without authorisation",
    Assurance.NO_MILITARY_WMD: "no military/WMD end use",
    Assurance.CONSIGNEE_NAMED: "the ultimate consignee named",
    Assurance.END_USER_NAMED: "the end user named",
}
_BAD_FILE = frozenset({IntegrityStatus.MISSING, IntegrityStatus.TAMPERED, IntegrityStatus.UNREADABLE})


class IssueSeverity(StrEnum):
    OPEN_ITEM = "open_item"
    """Must be resolved before the determination is signed (feeds ``review_required``)."""
    WARNING = "warning"
    """Worth a look; does not block."""


@dataclass(frozen=True, slots=True)
class DocumentIssue:
    id: str
    """Stable identifier, e.g. ``doc.expired:2`` (kind of issue, then document or party)."""
    severity: IssueSeverity
    subject: str
    """What the issue is about, e.g. 'document 2 (euc.pdf)' or 'end user Bukit Semiconductor'."""
    message: str
    document: int | None = None
    """1-based position of the document, when the issue concerns one."""

    @property
    def text(self) -> str:
        """One line for open-item lists: subject and message."""
        return f"{self.subject}: {self.message}"


def expiring_within_days() -> int:
    """Days ahead in which an expiry is flagged: ``WORKBENCH_DOCUMENT_EXPIRY_WARNING_DAYS`` or 30."""
    raw = os.environ.get(ENV_EXPIRING_DAYS, "").strip()
    if not raw:
        return DEFAULT_EXPIRING_WITHIN_DAYS
    if not raw.isdigit() or int(raw) > 3650:
        raise ValidationError(ENV_EXPIRING_DAYS, f"'{raw}' is not a number of days; set it to e.g. 30")
    return int(raw)


def document_label(position: int, record: DocumentRecord) -> str:
    return f"document {position} ({safe_display_name(record.filename)})"


def _kind_text(kind: DocumentKind) -> str:
    return {
        DocumentKind.EUC: "EUC",
        DocumentKind.BIS_711: "BIS-711",
        DocumentKind.UVL_STATEMENT: "UVL statement",
        DocumentKind.NAC_NOTIFICATION: "NAC notification",
    }.get(kind, kind.value.replace("_", " "))


def _role_text(party: Party) -> str:
    return party.role.value.replace("_", " ")


def validity_window(record: DocumentRecord) -> tuple[date | None, date | None]:
    """(first valid day, last valid day), both inclusive; None where the document sets no limit."""
    starts = [d for d in (record.valid_from, record.signed_date) if d is not None]
    return (max(starts) if starts else None), record.valid_until


def _valid_on(record: DocumentRecord, day: date) -> bool:
    start, end = validity_window(record)
    return (start is None or start <= day) and (end is None or day <= end)


def _day_text(case: Case, day: date) -> str:
    return f"{day.isoformat()} (the transaction date)" if day == case.transaction_date else day.isoformat()


@dataclass(frozen=True, slots=True)
class _Doc:
    position: int
    record: DocumentRecord
    label: str
    usable: bool
    """Its stored file is not known to be missing, tampered or unreadable."""


def document_findings(
    case: Case,
    *,
    as_of: date | None = None,
    licence_or_advanced: bool,
    expiring_within_days: int = DEFAULT_EXPIRING_WITHIN_DAYS,
    integrity: Mapping[int, IntegrityStatus] | None = None,
    texts: Mapping[int, str] | None = None,
    normaliser: NameNormaliser = BASIC_NORMALISER,
) -> list[DocumentIssue]:
    """The document issues of ``case`` on ``as_of`` (default: its transaction date).

    ``licence_or_advanced``: the case needs a licence or concerns advanced computing, so an
    EUC covering the end user is required. ``integrity`` maps document positions (1-based)
    to the result of verifying their stored files; ``texts`` maps positions to the text
    read from their PDFs, enabling the name and country comparisons with the document itself.
    """
    day = as_of or case.transaction_date
    statuses = dict(integrity or {})
    docs = [
        _Doc(i, record, document_label(i, record), statuses.get(i) not in _BAD_FILE)
        for i, record in enumerate(case.documents, start=1)
    ]
    issues: list[DocumentIssue] = []
    issues += _integrity(docs, statuses)
    issues += _validity(case, docs, day, expiring_within_days)
    if licence_or_advanced:
        issues += _coverage(case, docs, day)
    issues += _assurances(docs)
    issues += _issuers(case, docs, normaliser)
    issues += _text_checks(case, docs, dict(texts or {}), normaliser)
    order = {IssueSeverity.OPEN_ITEM: 0, IssueSeverity.WARNING: 1}
    return sorted(issues, key=lambda x: (order[x.severity], x.document or 0, x.id))


def _integrity(docs: Sequence[_Doc], statuses: Mapping[int, IntegrityStatus]) -> list[DocumentIssue]:
    out = []
    for doc in docs:
        status = statuses.get(doc.position)
        if status in _BAD_FILE:
            out.append(
                DocumentIssue(
                    f"doc.integrity:{doc.position}",
                    IssueSeverity.OPEN_ITEM,
                    doc.label,
                    f"{status.label if status else ''}; it cannot be relied on. Attach the original again or restore "
                    "the document store from a backup.",
                    doc.position,
                )
            )
        elif status is IntegrityStatus.NO_FILE and doc.record.kind in TIME_LIMITED_KINDS:
            out.append(
                DocumentIssue(
                    f"doc.no-file:{doc.position}",
                    IssueSeverity.WARNING,
                    doc.label,
                    f"the {_kind_text(doc.record.kind)} is recorded but no file is attached; attach the signed "
                    "document so it is kept with the case.",
                    doc.position,
                )
            )
    return out


def _validity(case: Case, docs: Sequence[_Doc], day: date, within: int) -> list[DocumentIssue]:
    out = []
    for doc in docs:
        record = doc.record
        start, end = validity_window(record)
        severity = IssueSeverity.OPEN_ITEM if record.kind in TIME_LIMITED_KINDS else IssueSeverity.WARNING
        what = _kind_text(record.kind)
        if start is not None and day < start:
            since = "signed" if start == record.signed_date and start != record.valid_from else "valid from"
            out.append(
                DocumentIssue(
                    f"doc.not-yet-valid:{doc.position}",
                    severity,
                    doc.label,
                    f"the {what} is not valid yet on {_day_text(case, day)}: it is {since} {start.isoformat()}. "
                    "Check the dates, or obtain a document valid on the transaction date.",
                    doc.position,
                )
            )
        elif end is not None and day > end:
            out.append(
                DocumentIssue(
                    f"doc.expired:{doc.position}",
                    severity,
                    doc.label,
                    f"the {what} expired on {end.isoformat()}, before {_day_text(case, day)}; obtain a renewed "
                    f"{what} before shipping.",
                    doc.position,
                )
            )
        elif end is not None and (end - day).days <= within:
            left = (end - day).days
            if left == 0:
                message = (
                    f"the {what} expires on {end.isoformat()}, {_day_text(case, day)} itself (its last valid day); "
                    f"a delayed shipment would need a renewed {what}."
                )
            else:
                message = (
                    f"the {what} expires on {end.isoformat()}, {left} day{'s' if left != 1 else ''} after "
                    f"{_day_text(case, day)}; ship before then or ask for a renewal in time."
                )
            out.append(
                DocumentIssue(f"doc.expiring:{doc.position}", IssueSeverity.WARNING, doc.label, message, doc.position)
            )
    return out


def _targets(case: Case) -> tuple[Party, ...]:
    return case.parties_in(PartyRole.END_USER) or case.parties_in(PartyRole.ULTIMATE_CONSIGNEE)


def _coverage(case: Case, docs: Sequence[_Doc], day: date) -> list[DocumentIssue]:
    targets = _targets(case)
    if not targets:
        return [
            DocumentIssue(
                "doc.euc-no-end-user",
                IssueSeverity.OPEN_ITEM,
                f"case {case.reference}",
                "the case needs an EUC (licence required or advanced computing) but names no end user or "
                "ultimate consignee; add the end user so the EUC can be matched to it.",
            )
        ]
    out: list[DocumentIssue] = []
    eucs = [d for d in docs if d.record.kind in EUC_KINDS]
    covering_all: list[_Doc] = []
    for party in targets:
        covering = [d for d in eucs if party.name in d.record.covers_parties]
        good = [d for d in covering if d.usable and _valid_on(d.record, day)]
        covering_all += good
        if good:
            continue
        reasons = []
        for d in covering:
            if not d.usable:
                reasons.append(f"{d.label} covers them but its file cannot be verified")
            else:
                start, end = validity_window(d.record)
                if start is not None and day < start:
                    reasons.append(f"{d.label} covers them but is valid only from {start.isoformat()}")
                else:
                    reasons.append(f"{d.label} covers them but expired on {end.isoformat() if end else '?'}")
        for d in eucs:
            if not d.record.covers_parties:
                reasons.append(f"{d.label} is an {_kind_text(d.record.kind)} but records no covered party")
        why = f" ({'; '.join(reasons)})" if reasons else ""
        out.append(
            DocumentIssue(
                f"doc.euc-missing:{party.name}",
                IssueSeverity.OPEN_ITEM,
                f"{_role_text(party)} {party.name}",
                f"no valid EUC covers the {_role_text(party)} on {_day_text(case, day)}{why}. The case needs a "
                "licence or concerns advanced computing: obtain an end-user certificate (or BIS-711) naming "
                f"{party.name} and record that it covers them.",
            )
        )
    out += _item_coverage(case, covering_all)
    return out


def _item_coverage(case: Case, covering: Sequence[_Doc]) -> list[DocumentIssue]:
    if not covering or any(not d.record.covers_items for d in covering):
        return []  # no valid EUC (reported already), or one that covers every item
    covered = {i for d in covering for i in d.record.covers_items}
    out = []
    for position, item in enumerate(case.items, start=1):
        if position not in covered:
            out.append(
                DocumentIssue(
                    f"doc.item-uncovered:{position}",
                    IssueSeverity.WARNING,
                    f"item {position} ({item.description[:60]})",
                    "no valid EUC lists this item; check that the end user's EUC covers it, or record the items "
                    "it covers.",
                )
            )
    return out


def _assurances(docs: Sequence[_Doc]) -> list[DocumentIssue]:
    out = []
    for doc in docs:
        kind = doc.record.kind
        if kind not in EUC_KINDS:
            continue
        expected = BIS711_REQUIRED if kind is DocumentKind.BIS_711 else EUC_EXPECTED
        missing = [a for a in expected if a not in doc.record.assurances]
        if not missing:
            continue
        listed = ", ".join(_ASSURANCE_TEXT[a] for a in missing)
        if kind is DocumentKind.BIS_711:
            out.append(
                DocumentIssue(
                    f"doc.bis711-assurances:{doc.position}",
                    IssueSeverity.OPEN_ITEM,
                    doc.label,
                    f"a BIS-711 must contain {listed} (Supp. No. 3 to Part 748), and none of these is recorded; "
                    "check the statement and record its assurances, or obtain a complete statement.",
                    doc.position,
                )
            )
        else:
            out.append(
                DocumentIssue(
                    f"doc.euc-assurances:{doc.position}",
                    IssueSeverity.WARNING,
                    doc.label,
                    f"the EUC does not record {listed}; check the certificate and record the assurances it gives.",
                    doc.position,
                )
            )
    return out


def _issuers(case: Case, docs: Sequence[_Doc], normaliser: NameNormaliser) -> list[DocumentIssue]:
    out = []
    names = list(dict.fromkeys(p.name for p in case.parties))
    for doc in docs:
        issuer = doc.record.issuer
        if doc.record.kind not in EUC_KINDS | {DocumentKind.LETTER_OF_ASSURANCE} or not issuer or not names:
            continue
        best_score, best_name = max((name_similarity(issuer, n, normaliser), n) for n in names)
        if best_score >= SAME_NAME:
            continue
        hint = (
            f"; the closest party is '{best_name}' ({best_score:.0%} similar), so check the spelling or whether the "
            "document belongs to this transaction"
            if best_score >= SIMILAR_NAME
            else "; check that the document belongs to this transaction (if an authority issued it for the end "
            "user, say so in the document's note)"
        )
        out.append(
            DocumentIssue(
                f"doc.issuer-not-party:{doc.position}",
                IssueSeverity.WARNING,
                doc.label,
                f"the {_kind_text(doc.record.kind)} is issued by '{issuer}', who is not a party of this case{hint}.",
                doc.position,
            )
        )
    return out


def _text_checks(
    case: Case, docs: Sequence[_Doc], texts: Mapping[int, str], normaliser: NameNormaliser
) -> list[DocumentIssue]:
    out: list[DocumentIssue] = []
    by_name = {p.name: p for p in case.parties}
    for doc in docs:
        text = texts.get(doc.position, "")
        if doc.record.kind not in EUC_KINDS or not text.strip():
            continue
        parties = [by_name[n] for n in doc.record.covers_parties if n in by_name] or list(_targets(case))
        words = text_words(text, normaliser)
        for party in parties:
            if find_name(party.name, words, normaliser, SAME_NAME) is not None:
                continue
            similar = find_name(party.name, words, normaliser, SIMILAR_NAME)
            found = f"; it names '{printable(text[similar.start : similar.end])}' instead" if similar else ""
            out.append(
                DocumentIssue(
                    f"doc.party-not-named:{doc.position}:{party.name}",
                    IssueSeverity.WARNING,
                    doc.label,
                    f"the text of the {_kind_text(doc.record.kind)} does not name the {_role_text(party)} "
                    f"{party.name}{found}; check that it is the right document and the name is spelt as in the case.",
                    doc.position,
                )
            )
        expected = {p.country for p in parties} or {case.destination}
        named = countries_named(text) - {case.export_from, "US"}
        if named and not (expected & named):
            names = ", ".join(sorted(country_name(c) for c in named))
            where = ", ".join(sorted({f"{country_name(p.country)}" for p in parties})) or country_name(case.destination)
            out.append(
                DocumentIssue(
                    f"doc.country-mismatch:{doc.position}",
                    IssueSeverity.WARNING,
                    doc.label,
                    f"the {_kind_text(doc.record.kind)} names {names}, but the party it covers is in {where}; check "
                    "the destination and the end user's address.",
                    doc.position,
                )
            )
    return out


@dataclass(frozen=True, slots=True)
class ExpiringDocument:
    """One row of the dashboard's "expiring documents" list."""

    reference: str
    position: int
    filename: str
    kind: DocumentKind
    valid_until: date
    days_left: int
    """Negative when the document has already expired."""


def expiring_documents(
    cases: Iterable[Case], *, today: date, within_days: int = DEFAULT_EXPIRING_WITHIN_DAYS
) -> list[ExpiringDocument]:
    """Documents of open (not closed) cases that expire within ``within_days`` of ``today`` or have expired.

    Sorted soonest first. Closed cases are left out: their documents no longer need renewing.
    """
    rows = []
    for case in cases:
        if case.status is CaseStatus.CLOSED:
            continue
        for position, record in enumerate(case.documents, start=1):
            end = record.valid_until
            if end is None:
                continue
            left = (end - today).days
            if left <= within_days:
                rows.append(
                    ExpiringDocument(
                        case.reference, position, safe_display_name(record.filename), record.kind, end, left
                    )
                )
    return sorted(rows, key=lambda r: (r.valid_until, r.reference, r.position))
