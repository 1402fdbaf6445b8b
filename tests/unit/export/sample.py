"""A fixed determination record built by hand (not by the rule engine), and a fixed key.

The record carries formula-injection strings in names, addresses and notes on purpose.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from workbench.domain.case import (
    Assurance,
    Case,
    DocumentKind,
    DocumentRecord,
    EndUse,
    Item,
    ListFlag,
    Party,
    PartyRole,
    RedFlagAnswer,
    RedFlagAnswerValue,
)
from workbench.domain.determination import Determination, Finding, Outcome, Posture
from workbench.domain.record import DeterminationRecord, PartyScreeningRow, RedFlagRow

INJECTIONS = ('=HYPERLINK("http://evil.example","click")', "+1-555-0100", "-2+3", "@SUM(A1)", "#N/A")
SIGNED_AT = datetime(2026, 12, 1, 9, 30, 0, tzinfo=UTC)
SHA = "3f" * 32


def officer_key(seed: int = 7) -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(bytes([seed]) * 32)


def fixed_clock() -> datetime:
    return SIGNED_AT


def demo_case() -> Case:
    return Case(
        reference="EC-2026-0042",
        title="GPU servers for a Kuala Lumpur data centre",
        transaction_date=date(2026, 11, 28),
        export_from="US",
        destination="MY",
        end_use=EndUse(description="Cloud inference service", iaas=True),
        parties=(
            Party(PartyRole.APPLICANT, "Acme Compute Systems Inc.", "US", "100 Innovation Way, San Jose"),
            Party(PartyRole.ULTIMATE_CONSIGNEE, INJECTIONS[0], "MY", INJECTIONS[1], headquarters_country="CN"),
            Party(
                PartyRole.END_USER,
                "Example Data Centre Sdn Bhd",
                "MY",
                "Jalan Example 1\nKuala Lumpur",
                listed_on=(ListFlag.UNVERIFIED,),
            ),
        ),
        items=(
            Item(
                "8-GPU HGX baseboard",
                "4A090.a",
                "NVIDIA",
                "HGX H100",
                Decimal(16),
                "ea",
                Decimal(250000),
                tpp=15832.0,
                performance_density=19.4,
                datacenter=True,
            ),
            Item(INJECTIONS[2], "5A992.c", "Acme", INJECTIONS[3], Decimal("2.5"), "kg", Decimal("99.95")),
            Item("Rack rails", None, quantity=Decimal(4), unit_value=Decimal(120)),
        ),
        red_flags=(
            RedFlagAnswer("kyc-01", RedFlagAnswerValue.NO),
            RedFlagAnswer("ac-03", RedFlagAnswerValue.UNKNOWN, note=INJECTIONS[4]),
        ),
        documents=(
            DocumentRecord(
                DocumentKind.BIS_711,
                "bis711.pdf",
                SHA,
                issuer="Example Data Centre Sdn Bhd",
                signatory_name="A. Director",
                signed_date=date(2026, 11, 1),
                valid_until=date(2027, 11, 1),
                covers_parties=(INJECTIONS[0],),
                covers_items=(1, 2),
                assurances=(Assurance.END_USE_STATEMENT, Assurance.NO_REEXPORT),
            ),
            DocumentRecord(DocumentKind.DATASHEET, "h100.pdf", note="expired copy", valid_until=date(2026, 1, 1)),
        ),
        version=3,
    )


def demo_determination() -> Determination:
    return Determination(
        case_reference="EC-2026-0042",
        as_of=date(2026, 11, 30),
        posture=Posture.ENFORCED,
        outcome=Outcome.LICENSE_REQUIRED,
        review_required=True,
        open_items=("Item 3 is not classified; give its ECCN.",),
        findings=(
            Finding(
                "ac-destination",
                Outcome.LICENSE_REQUIRED,
                "15 CFR 742.6(a)(6)(iii)",
                "item 1",
                "3A090/4A090 items to a D:1 destination with a headquarters in D:5 need a licence.",
                covered_by="D123456",
            ),
            Finding(
                "license-exception-acm",
                Outcome.LICENSE_EXCEPTION,
                "15 CFR 740.8",
                "item 1",
                "ACM is not available: the headquarters is in a D:5 country.",
                exception="ACM",
                review=True,
            ),
            Finding(
                "anti-terrorism",
                Outcome.NLR,
                "15 CFR 742.8",
                "item 2",
                "5A992.c is controlled for AT only; no licence to MY.",
                unconfirmed=True,
            ),
            Finding(
                "uvl-party",
                Outcome.LICENSE_EXCEPTION,
                "15 CFR 744.15",
                "party 3 (Example Data Centre Sdn Bhd)",
                "A UVL party needs a UVL statement before export.",
            ),
        ),
        data_versions={"rules": "2026.11.1", "ecfr": "2026-11-25"},
        all_requirements_covered=False,
    )


def demo_record(
    *, override_reason: str | None = "Item 3 (rack rails) is EAR99 hardware; classification pending."
) -> DeterminationRecord:
    return DeterminationRecord(
        case=demo_case(),
        determination=demo_determination(),
        officer="Jane Officer",
        determined_at=datetime(2026, 11, 30, 16, 45, tzinfo=UTC),
        screening=(
            PartyScreeningRow(
                2,
                INJECTIONS[0],
                "ultimate_consignee",
                "CSL 2026-11-27",
                "EL-1234",
                "Entity List (EL) - Bureau of Industry and Security",
                "HYPERLINK TRADING",
                "hyperlink",
                71.5,
                "false_positive",
                "Different address and country.",
                "Jane Officer",
            ),
            PartyScreeningRow(
                3,
                "Example Data Centre Sdn Bhd",
                "end_user",
                "CSL 2026-11-27",
                "UVL-77",
                "Unverified List (UVL) - Bureau of Industry and Security",
                "EXAMPLE DATA CENTRE SDN. BHD.",
                "Example Data Centre Sdn Bhd",
                98.0,
                "true_match",
                "Same name and address.",
                "Jane Officer",
            ),
        ),
        list_version="CSL 2026-11-27",
        red_flags=(
            RedFlagRow("kyc-01", "The customer is reluctant to offer information about the end use.", "no"),
            RedFlagRow("ac-03", "The end user's data centre cannot be visited.", "unknown", INJECTIONS[4]),
        ),
        override_reason=override_reason,
        revision=2,
        workbench_version="0.1.0",
    )
