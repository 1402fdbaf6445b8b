"""Transaction types (issue #17 item 5): exports (15 CFR 734.13), reexports (734.14), in-country transfers
(734.16); the January 2026 review policy (91 FR 1684) applies only to exports from the United States."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from tests.unit.rules._cases import by_rule, h100_board, make_case, one
from workbench.domain.case import TransactionType
from workbench.rules.engine import evaluate

H200_DAY = date(2026, 2, 1)  # after 91 FR 1684 took effect on 2026-01-15


def _case(kind: TransactionType, origin: str, destination: str = "CN", on: date = H200_DAY):
    return replace(make_case(destination, [h100_board()], export_from=origin, on=on), transaction_type=kind)


@pytest.mark.parametrize(
    ("kind", "origin", "destination", "problem"),
    [
        (TransactionType.EXPORT, "US", "CN", None),
        (TransactionType.EXPORT, "DE", "CN", "an export leaves the United States"),
        (TransactionType.REEXPORT, "US", "CN", "a shipment from the US is an export"),
        (TransactionType.REEXPORT, "SG", "CN", None),
        (TransactionType.REEXPORT, "CN", "CN", "record it as an in-country transfer"),
        (TransactionType.IN_COUNTRY_TRANSFER, "CN", "CN", None),
    ],
)
def test_type_and_countries_agree(kind: TransactionType, origin: str, destination: str, problem: str | None) -> None:
    d = evaluate(_case(kind, origin, destination))
    found = by_rule(d, "transaction.type")
    if problem is None:
        assert all(not f.review for f in found)
    else:
        assert problem in one(d, "transaction.type").explanation
        assert any(problem in o for o in d.open_items)


@pytest.mark.parametrize(
    ("kind", "origin", "on", "case_by_case"),
    [
        (TransactionType.EXPORT, "US", date(2026, 1, 14), False),  # the day before 91 FR 1684
        (TransactionType.EXPORT, "US", date(2026, 1, 15), True),  # "applies only to exports from the US"
        (TransactionType.REEXPORT, "SG", date(2026, 1, 15), False),  # reexports keep the presumption of denial
        (TransactionType.IN_COUNTRY_TRANSFER, "CN", date(2026, 1, 15), False),
    ],
)
def test_the_h200_review_policy_is_for_exports_from_the_us_only(
    kind: TransactionType, origin: str, on: date, case_by_case: bool
) -> None:
    d = evaluate(_case(kind, origin, on=on))
    text = one(d, "adv-computing.destination").explanation
    assert ("case-by-case" in text) is case_by_case
    assert "presumption of denial" in text


def test_an_in_country_transfer_names_the_rows_worded_to_or_within() -> None:
    f = one(evaluate(_case(TransactionType.IN_COUNTRY_TRANSFER, "CN")), "transaction.type")
    assert "734.16" in f.citation and "to or within" in f.explanation and "4A090.a RS" in f.explanation
