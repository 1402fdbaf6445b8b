"""The determination record: lossless JSON round trip, stable hash, sign-off policy."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from datetime import datetime

import pytest

from tests.unit.export.sample import demo_record
from workbench.domain.determination import Outcome
from workbench.domain.errors import InputFileError, ValidationError
from workbench.domain.record import DeterminationRecord, SignOff, SignOffError


def test_json_round_trip_is_lossless() -> None:
    record = demo_record()
    again = DeterminationRecord.from_json(record.to_json())
    assert again == record
    assert again.to_json() == record.to_json()
    assert again.case.items[1].quantity.as_tuple() == record.case.items[1].quantity.as_tuple()


def test_content_hash_is_sha256_of_the_canonical_text() -> None:
    record = demo_record()
    assert record.content_hash == hashlib.sha256(record.to_json().encode("utf-8")).hexdigest()
    assert demo_record().content_hash == record.content_hash
    changed = dataclasses.replace(record, officer="John Officer")
    assert changed.content_hash != record.content_hash


def test_records_stored_before_ics_per_unit_existed_keep_their_hash() -> None:
    record = demo_record()
    assert all(item.ics_per_unit == 1 for item in record.case.items)
    assert "ics_per_unit" not in record.to_json()  # byte for byte what an older workbench stored
    boards = dataclasses.replace(
        record,
        case=dataclasses.replace(
            record.case, items=(dataclasses.replace(record.case.items[0], ics_per_unit=8), *record.case.items[1:])
        ),
    )
    assert '"ics_per_unit":8' in boards.to_json()
    again = DeterminationRecord.from_json(boards.to_json())
    assert again.case.items[0].ics_per_unit == 8 and again.content_hash == boards.content_hash


def test_records_stored_before_provisional_findings_existed_keep_their_hash() -> None:
    record = demo_record()
    assert all(f.provisional is None for f in record.determination.findings)
    assert '"provisional"' not in record.to_json()  # byte for byte what an older workbench stored
    first = dataclasses.replace(record.determination.findings[0], provisional="the Entity List match is confirmed")
    det = dataclasses.replace(record.determination, findings=(first, *record.determination.findings[1:]))
    marked = dataclasses.replace(record, determination=det)
    assert '"provisional":"the Entity List match is confirmed"' in marked.to_json()
    again = DeterminationRecord.from_json(marked.to_json())
    assert again.determination.findings[0].provisional == first.provisional
    assert again.content_hash == marked.content_hash != record.content_hash


def test_record_needs_an_aware_time_and_its_own_case() -> None:
    record = demo_record()
    with pytest.raises(ValidationError, match="time zone"):
        dataclasses.replace(record, determined_at=datetime(2026, 1, 1))
    other = dataclasses.replace(record.determination, case_reference="EC-1")
    with pytest.raises(ValidationError, match="belongs to case EC-1"):
        dataclasses.replace(record, determination=other)


def test_damaged_record_json_is_one_clear_error() -> None:
    raw = json.loads(demo_record().to_json())
    del raw["officer"]
    with pytest.raises(InputFileError, match="the field 'officer' is missing"):
        DeterminationRecord.from_json(json.dumps(raw))
    with pytest.raises(InputFileError, match="is not a workbench-determination/1 record"):
        DeterminationRecord.from_json('{"format": "other"}')
    with pytest.raises(InputFileError, match="not valid JSON"):
        DeterminationRecord.from_json("{")


def test_item_outcome_takes_item_and_case_wide_findings() -> None:
    record = demo_record()
    assert record.item_outcome(1) is Outcome.LICENSE_REQUIRED
    # item 2's own finding is NLR, but the finding on party 3 binds every item
    assert record.item_outcome(2) is Outcome.LICENSE_EXCEPTION
    explicit = dataclasses.replace(record, item_outcomes=("prohibited", "nlr", "nlr"))
    assert explicit.item_outcome(1) is Outcome.PROHIBITED


def test_sign_off_requires_an_override_reason_for_open_items() -> None:
    record = demo_record(override_reason="   ")
    assert record.override_reason is None
    assert len(record.open_items) == 1
    with pytest.raises(SignOffError, match=r"^EC-2026-0042 has 1 open item \(first: Item 3 is not classified"):
        SignOff.of(record).require()
    SignOff.of(demo_record()).require()
    assert SignOff.of(demo_record()).overridden


def test_open_screening_hit_is_an_open_item() -> None:
    record = demo_record()
    hit = dataclasses.replace(record.screening[0], disposition=None)
    opened = dataclasses.replace(record, screening=(hit, record.screening[1]))
    assert "EL-1234" in opened.open_items[-1] and "has no disposition" in opened.open_items[-1]


def test_records_stored_before_party_kind_existed_keep_their_hash() -> None:
    from workbench.domain.case import EntryType

    record = demo_record()
    assert all(party.kind is None for party in record.case.parties)
    # Byte for byte what an older workbench stored: no party carries the field at its old value.
    assert all("kind" not in party for party in json.loads(record.to_json())["case"]["parties"])
    assert DeterminationRecord.from_json(record.to_json()).content_hash == record.content_hash
    parties = (dataclasses.replace(record.case.parties[0], kind=EntryType.ENTITY), *record.case.parties[1:])
    kinded = dataclasses.replace(record, case=dataclasses.replace(record.case, parties=parties))
    assert json.loads(kinded.to_json())["case"]["parties"][0]["kind"] == "entity"
    assert kinded.content_hash != record.content_hash
    again = DeterminationRecord.from_json(kinded.to_json())
    assert again.case.parties[0].kind is EntryType.ENTITY and again.content_hash == kinded.content_hash
