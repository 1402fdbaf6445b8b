"""Use cases: determine a case (an immutable snapshot), sign it into a workbook, verify workbooks."""

from __future__ import annotations

import hashlib
from datetime import UTC, date, datetime
from pathlib import Path

from workbench import __version__
from workbench.domain.determination import Posture
from workbench.domain.errors import WorkbenchError
from workbench.domain.record import (
    DeterminationRecord,
    DeterminationSummary,
    PartyScreeningRow,
    RedFlagRow,
    SignOff,
    WorkbookRecord,
)
from workbench.export.keys import MIN_PASSPHRASE as MIN_PASSPHRASE  # for the app's key dialog
from workbench.export.keys import KeyPairFiles as KeyPairFiles
from workbench.export.keys import (
    fingerprint,
    generate_keypair,
    load_private_key,
    load_public_key,
    public_key_pem,
)
from workbench.export.signing import SignedWorkbook, VerificationResult, sign_and_write, verify_workbook
from workbench.rules.redflags import case_checklist
from workbench.services.bootstrap import Workbench
from workbench.services.case_register import register_records, with_ownership
from workbench.services.cases import get_case
from workbench.services.checks import check
from workbench.services.party_documents import with_party_documents
from workbench.services.screening import case_hits, screen_case


def _screening_rows(wb: Workbench, reference: str, list_label: str) -> tuple[PartyScreeningRow, ...]:
    case = get_case(wb, reference)
    rows = []
    for hit in case_hits(wb, reference):
        decision = hit.disposition
        rows.append(
            PartyScreeningRow(
                party_position=hit.party_position,
                party_name=hit.party_name,
                role=case.parties[hit.party_position - 1].role.value,
                list_version=list_label,
                entry_id=hit.entry_id,
                source=hit.source_code,
                listed_name=hit.entry_name,
                matched_name=hit.matched_name,
                score=hit.score,
                disposition=decision.decision.value if decision else None,
                disposition_reason=decision.reason if decision else "",
                decided_by=decision.officer if decision else "",
            )
        )
    return tuple(rows)


def build_record(
    wb: Workbench,
    reference: str,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    override_reason: str | None = None,
    now: datetime | None = None,
) -> DeterminationRecord:
    """Screen the parties afresh, run the rules and assemble the snapshot (not stored yet)."""
    screen_case(wb, reference)
    case = with_party_documents(wb, with_ownership(wb, get_case(wb, reference)), as_of)
    determination = check(wb, case, stored=True, as_of=as_of, posture=posture)
    with wb.uow() as uow:
        run = uow.screening.last_run(reference)
        list_label = uow.lists.get(run.list_version_id).label if run else ""
        revision = uow.determinations.next_revision(reference)
        products = uow.products.uses_in(case)
    answers = {a.flag_id: a for a in case.red_flags}
    red_flags = tuple(
        RedFlagRow(
            id=flag.id,
            text=flag.text,
            answer=answers[flag.id].answer.value if flag.id in answers else "unanswered",
            note=answers[flag.id].note if flag.id in answers else "",
        )
        for flag in case_checklist(case)
    )
    register_parties, owner_hits = register_records(wb, case)
    return DeterminationRecord(
        case=case,
        determination=determination,
        officer=wb.officer,
        determined_at=now or datetime.now(UTC),
        screening=_screening_rows(wb, reference, list_label),
        list_version=list_label,
        red_flags=red_flags,
        override_reason=override_reason,
        revision=revision,
        workbench_version=__version__,
        register_parties=tuple(register_parties),
        owner_hits=tuple(owner_hits),
        products=products,
    )


def determine(
    wb: Workbench,
    reference: str,
    *,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    override_reason: str | None = None,
    require_sign_off: bool = False,
) -> DeterminationRecord:
    """Store a new determination revision; with ``require_sign_off`` refuse open items without an override."""
    record = build_record(wb, reference, as_of=as_of, posture=posture, override_reason=override_reason)
    if require_sign_off:
        SignOff.of(record).require()
    with wb.uow() as uow:
        uow.determinations.add(record)
        uow.commit()
    return record


def determination(wb: Workbench, reference: str, revision: int | None = None) -> DeterminationRecord:
    with wb.uow() as uow:
        return uow.determinations.get(reference, revision)


def determination_history(wb: Workbench, reference: str) -> list[DeterminationSummary]:
    with wb.uow() as uow:
        return uow.determinations.history(reference)


def workbooks(wb: Workbench, reference: str) -> list[WorkbookRecord]:
    with wb.uow() as uow:
        return uow.determinations.workbooks(reference)


def sign(
    wb: Workbench,
    record: DeterminationRecord,
    key_path: Path,
    passphrase: bytes | None,
    out: Path,
) -> SignedWorkbook:
    """Write the signed workbook atomically and record it (path, file hash, key fingerprint)."""
    private_key = load_private_key(key_path, passphrase)
    signed = sign_and_write(record, private_key, out, wb.officer)
    file_hash = hashlib.sha256(out.read_bytes()).hexdigest()
    with wb.uow() as uow:
        uow.determinations.add_workbook(
            record.case.reference,
            record.revision,
            WorkbookRecord(
                record.revision, str(out), file_hash, signed.signer_name, signed.fingerprint, signed.signed_at
            ),
        )
        uow.commit()
    return signed


def determine_and_sign(
    wb: Workbench,
    reference: str,
    *,
    key_path: Path,
    passphrase: bytes | None,
    out: Path,
    as_of: date | None = None,
    posture: Posture = Posture.ENFORCED,
    override_reason: str | None = None,
) -> tuple[DeterminationRecord, SignedWorkbook]:
    """Unlock the key first (a wrong passphrase writes nothing), check sign-off, store, then sign."""
    load_private_key(key_path, passphrase)
    record = build_record(wb, reference, as_of=as_of, posture=posture, override_reason=override_reason)
    SignOff.of(record).require()
    with wb.uow() as uow:
        uow.determinations.add(record)
        uow.commit()
    return record, sign(wb, record, key_path, passphrase, out)


def verify(path: Path, public_key: Path | None = None) -> VerificationResult:
    pem = public_key_pem(load_public_key(public_key)) if public_key else None
    return verify_workbook(path, pem)


def generate_officer_keys(name: str, out_dir: Path, passphrase: bytes) -> KeyPairFiles:
    return generate_keypair(name, out_dir, passphrase)


def key_fingerprint(private_key: Path) -> str | None:
    """The fingerprint of the public key saved beside ``private_key`` (NAME.pub.pem next to NAME.key), if any."""
    if private_key.suffix != ".key" or private_key.name == ".key":
        return None
    public = private_key.with_name(private_key.name.removesuffix(".key") + ".pub.pem")
    try:
        return fingerprint(load_public_key(public)) if public.is_file() else None
    except (WorkbenchError, OSError):
        return None
