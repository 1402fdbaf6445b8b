"""The BIS-711 Statement by Ultimate Consignee and Purchaser, pre-filled from a case as a DOCX.

The content follows Supp. No. 3 to Part 748 (§748.11): scope (single or multiple),
disposition or use of the items, nature of business and relationship with the applicant,
additional information, assistance in preparing it, and the certification the ultimate
consignee and the purchaser sign. What the case knows is filled in; the rest is left as
lines to complete. The wording paraphrases the regulation: the document says so, and the
officer checks it against the current eCFR before sending it out for signature.
"""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path
from typing import Literal

from docx import Document
from docx.shared import Pt

from workbench.domain.case import Case, Party, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.errors import ValidationError
from workbench.export.atomic import write_bytes_atomic

Scope = Literal["single", "multiple"]
_BOX = {True: "☒", False: "☐"}
_BLANK = "_" * 40

ASSURANCES = (
    "The facts stated in this statement are true and correct to the best of our knowledge, and we know of no "
    "other facts inconsistent with them.",
    "We will promptly notify the applicant of any material change in the facts or intentions stated here.",
    "We will not reexport, resell or otherwise dispose of the items listed above (i) to any country or end user "
    "not approved by the U.S. Government, or (ii) contrary to the Export Administration Regulations.",
    "The items will not be used in, or diverted to, the design, development, production or use of nuclear, "
    "chemical or biological weapons or of missiles, nor to any other end use prohibited by Part 744 of the EAR.",
    "We acknowledge that making a false statement or concealing a material fact in connection with this "
    "statement may result in criminal and administrative penalties under U.S. law.",
)

_DISPOSITIONS = (
    "(i) used as capital equipment in a manufacturing process in {country}; they will not be reexported or "
    "incorporated into an end product",
    "(ii) processed or incorporated by us into the following product(s): {blank}, to be sold for consumption "
    "in {country}",
    "(iii) resold by us in the form in which they were received, for use or consumption in {country}",
    "(iv) reexported by us in the form in which they were received to the following destination(s): {blank}",
    "(v) other (describe fully): {blank}",
)


def _party_line(party: Party | None) -> str:
    if party is None:
        return _BLANK
    address = f", {party.address}" if party.address else ""
    return f"{party.name}{address}, {country_name(party.country)}"


def render_bis711(case: Case, *, prepared_on: date, scope: Scope = "single") -> bytes:
    """The statement as DOCX bytes; refuses a case without an ultimate consignee."""
    consignees = case.parties_in(PartyRole.ULTIMATE_CONSIGNEE)
    if not consignees:
        raise ValidationError("parties", f"{case.reference} names no ultimate consignee to make the BIS-711 statement")
    if scope not in ("single", "multiple"):
        raise ValidationError("scope", "the statement's scope is 'single' or 'multiple'")
    consignee = consignees[0]
    purchasers = case.parties_in(PartyRole.PURCHASER)
    purchaser = purchasers[0] if purchasers else None
    applicants = case.parties_in(PartyRole.APPLICANT)
    applicant = _party_line(applicants[0] if applicants else None)
    country = country_name(case.destination)

    doc = Document()
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = f"BIS-711 statement for {case.reference}"
    doc.add_heading("Statement by Ultimate Consignee and Purchaser", level=1)
    doc.add_paragraph(
        f"Form BIS-711 content (15 CFR 748.11; Supp. No. 3 to Part 748). Prepared {prepared_on.isoformat()} "
        f"for case {case.reference}, export to {country}."
    )
    doc.add_paragraph(f"Ultimate consignee: {_party_line(consignee)}")
    doc.add_paragraph(
        "Purchaser: "
        + (_party_line(purchaser) if purchaser else f"{_BLANK} (write 'same as ultimate consignee' if so)")
    )

    doc.add_heading("1. Scope of this statement", level=2)
    doc.add_paragraph(
        f"{_BOX[scope == 'single']} Single: this statement is part of the licence application by {applicant}."
    )
    doc.add_paragraph(
        f"{_BOX[scope == 'multiple']} Multiple: this statement is part of every application by {applicant} "
        "until four years from the date it is signed."
    )

    doc.add_heading("2. Disposition or use of the items", level=2)
    doc.add_paragraph("The items listed below, received from the applicant, will be (tick all that apply):")
    table = doc.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, title in zip(
        table.rows[0].cells, ("Item", "Description and model", "ECCN", "Quantity", "Value"), strict=True
    ):
        cell.text = title
    for position, item in enumerate(case.items, start=1):
        row = table.add_row().cells
        row[0].text = str(position)
        row[1].text = item.description + (f" (model {item.model})" if item.model else "")
        row[2].text = item.eccn or "not classified"
        row[3].text = f"{item.quantity:f} {item.unit}"
        row[4].text = f"{item.total_value:,.2f} {item.currency}"
    for text in _DISPOSITIONS:
        doc.add_paragraph(f"{_BOX[False]} " + text.format(country=country, blank=_BLANK))
    stated = case.end_use.description.rstrip(".") or "not stated on the case"
    doc.add_paragraph(f"Specific end use as stated to the applicant: {stated}.")
    doc.add_paragraph("Any fact that is not known must be stated as unknown.")

    doc.add_heading("3. Nature of business and relationship with the applicant", level=2)
    doc.add_paragraph(f"Nature of business of the ultimate consignee: {_BLANK}")
    doc.add_paragraph(f"Nature of business of the purchaser: {_BLANK}")
    doc.add_paragraph(f"Relationship with the applicant: {_BLANK}")

    doc.add_heading("4. Additional information", level=2)
    doc.add_paragraph(_BLANK)
    doc.add_heading("5. Assistance in preparing this statement", level=2)
    doc.add_paragraph(f"Name and address of anyone who helped prepare it: {_BLANK}")

    doc.add_heading("6. Certification", level=2)
    doc.add_paragraph("We, the ultimate consignee and the purchaser, certify and undertake that:")
    for text in ASSURANCES:
        doc.add_paragraph(text, style="List Bullet")
    for role, party in (("Ultimate consignee", consignee), ("Purchaser", purchaser)):
        doc.add_paragraph(f"{role}: {party.name if party else _BLANK}")
        doc.add_paragraph(f"Signature: {_BLANK}   Name: {_BLANK}   Title: {_BLANK}   Date: {_BLANK}")

    note = doc.add_paragraph(
        "Officer's note: the wording paraphrases Supp. No. 3 to Part 748; check it against the current eCFR "
        "before sending. Letterhead or preprinted addresses do not prove the signer's identity, the destination or "
        "the end use. Keep the signed original under Part 762."
    )
    note.runs[0].italic = True
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def write_bis711(case: Case, path: Path, *, prepared_on: date, scope: Scope = "single") -> None:
    write_bytes_atomic(path, render_bis711(case, prepared_on=prepared_on, scope=scope))
