"""The party editor: a register party's names, addresses, identifiers and KYC (editable), its
ownership tree both ways with percentages and the over-100 % warning, its screening with the
explanation of each hit and the decisions, the cases it appears in, and its audit history.

Saving checks the party as the domain does and says what is wrong in the dialog; a party saved
by someone else meanwhile is a conflict, said in one sentence, and nothing is overwritten.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import date
from html import escape
from typing import cast

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QTextBrowser,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.ownership import OwnershipNode
from workbench.domain.register import (
    Address,
    Identifier,
    IdentifierScheme,
    Kyc,
    KycStatus,
    NameKind,
    OtherName,
    RegisterParty,
)
from workbench.domain.screening import EntryType
from workbench.services import Workbench
from workbench.services.register_view import PartyDetails, party_details, save_party
from workbench.ui import messages
from workbench.ui.dialogs.partydocs import PartyDocumentsTab
from workbench.ui.models.rows import BAD
from workbench.ui.widgets.countrypicker import CountryPicker
from workbench.ui.widgets.explanation import explanation_html


def _table(headers: tuple[str, ...], rows: Sequence[tuple[str, ...]]) -> QTableWidget:
    table = QTableWidget(len(rows), len(headers))
    table.setHorizontalHeaderLabels(list(headers))
    table.horizontalHeader().setStretchLastSection(True)
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            table.setItem(r, c, QTableWidgetItem(value))
    return table


def _cells(table: QTableWidget) -> list[tuple[str, ...]]:
    out = []
    for r in range(table.rowCount()):
        items = [table.item(r, c) for c in range(table.columnCount())]
        values = tuple((item.text() if item is not None else "").strip() for item in items)
        if any(values):
            out.append(values)
    return out


def _editable(table: QTableWidget) -> QWidget:
    """The table with Add and Remove row buttons under it."""
    add, remove = QPushButton("Add"), QPushButton("Remove")
    add.clicked.connect(lambda: table.insertRow(table.rowCount()))
    remove.clicked.connect(lambda: table.removeRow(table.currentRow()) if table.currentRow() >= 0 else None)
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.addWidget(table)
    buttons = QHBoxLayout()
    buttons.addWidget(add)
    buttons.addWidget(remove)
    buttons.addStretch(1)
    layout.addLayout(buttons)
    return box


class PartyEditor(QDialog):
    def __init__(self, parent: QWidget | None, wb: Workbench, party_id: int) -> None:
        super().__init__(parent)
        self._wb = wb
        self.details: PartyDetails = party_details(wb, party_id)
        party = self.details.party
        self.setWindowTitle(f"Register party {party.id}: {party.name}")
        self.resize(900, 640)
        self.tabs = QTabWidget()
        self.tabs.addTab(self._general(), "&Party")
        self.names = _table(("Kind", "Name"), [(o.kind.value, o.name) for o in party.other_names])
        self.tabs.addTab(_editable(self.names), "&Names")
        self.addresses = _table(
            ("Lines (separated by ;)", "City", "Country"),
            [("; ".join(a.lines), a.city, a.country) for a in party.addresses],
        )
        self.tabs.addTab(_editable(self.addresses), "&Addresses")
        self.identifiers = _table(
            ("Scheme", "Value", "Label"), [(i.scheme.value, i.value, i.label) for i in party.identifiers]
        )
        self.tabs.addTab(_editable(self.identifiers), "&Identifiers")
        self.tabs.addTab(self._ownership(), "&Ownership")
        self.tabs.addTab(self._screening(), "&Screening")
        self.documents = PartyDocumentsTab(wb, party_id)
        self.tabs.addTab(self.documents, "&Documents")
        self.cases = QListWidget()
        for case in self.details.cases:
            self.cases.addItem(f"{case.reference}: {case.title} ({case.status.replace('_', ' ')})")
        if not self.details.cases:
            self.cases.addItem("This party appears in no case.")
        self.tabs.addTab(self.cases, "&Cases")
        history = [(e.at[:19].replace("T", " "), e.officer, e.action, e.field, e.reason) for e in self.details.history]
        self.history = _table(("When (UTC)", "Officer", "Action", "Field", "Reason"), history)
        self.history.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.tabs.addTab(self.history, "&History")
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {BAD.name()};")
        self.error.hide()
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Close)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

    # Tabs ----------------------------------------------------------------------------------
    def _general(self) -> QWidget:
        party = self.details.party
        self.name = QLineEdit(party.name)
        self.kind = QComboBox()
        for kind in EntryType:
            self.kind.addItem(kind.value.capitalize(), kind.value)
        self.kind.setCurrentIndex(self.kind.findData(party.kind.value))
        self.country = CountryPicker()
        self.country.set_code(party.country)
        self.headquarters = CountryPicker(allow_empty=True)
        self.headquarters.set_code(party.headquarters_country or "")
        self.website = QLineEdit(party.website)
        self.notes = QPlainTextEdit(party.notes)
        self.kyc_status = QComboBox()
        for kyc in KycStatus:
            self.kyc_status.addItem(kyc.label, kyc.value)
        self.kyc_status.setCurrentIndex(self.kyc_status.findData(party.kyc.status.value))
        self.kyc_date = QLineEdit(party.kyc.decided_on.isoformat() if party.kyc.decided_on else "")
        self.kyc_date.setPlaceholderText("YYYY-MM-DD")
        self.kyc_officer = QLineEdit(party.kyc.officer)
        self.kyc_note = QLineEdit(party.kyc.note)
        box = QWidget()
        form = QFormLayout(box)
        form.addRow("Name", self.name)
        form.addRow("Kind", self.kind)
        form.addRow("Country", self.country)
        form.addRow("Headquarters country", self.headquarters)
        form.addRow("Website", self.website)
        form.addRow("Notes", self.notes)
        form.addRow("KYC status", self.kyc_status)
        form.addRow("KYC date", self.kyc_date)
        form.addRow("KYC officer", self.kyc_officer)
        form.addRow("KYC note", self.kyc_note)
        return box

    def _tree(self, root: OwnershipNode, up: bool) -> QTreeWidget:
        names = self.details.ownership.graph.names
        tree = QTreeWidget()
        tree.setHeaderLabels(["Party", "Stake", "As of"])

        def add(node: OwnershipNode, parent: QTreeWidgetItem | QTreeWidget) -> None:
            stake = node.stake
            percent = "" if stake is None else ("unknown %" if stake.percent is None else f"{stake.percent} %")
            when = "" if stake is None else stake.as_of.isoformat()
            item = QTreeWidgetItem([f"{names.get(node.party_id, '')} (party {node.party_id})", percent, when])
            if isinstance(parent, QTreeWidget):
                parent.addTopLevelItem(item)
            else:
                parent.addChild(item)
            for child in node.children:
                add(child, item)
            if node.truncated:
                item.addChild(QTreeWidgetItem(["… more not shown"]))

        add(root, tree)
        tree.expandAll()
        tree.setAccessibleName("Owners" if up else "Holdings")
        return tree

    def _ownership(self) -> QWidget:
        report = self.details.ownership
        self.owners_tree = self._tree(report.owners_tree, up=True)
        self.owned_tree = self._tree(report.owned_tree, up=False)
        warnings = report.graph.warnings()
        self.ownership_warning = QLabel("\n".join(f"⚠ {w}" for w in warnings))
        self.ownership_warning.setWordWrap(True)
        self.ownership_warning.setStyleSheet(f"color: {BAD.name()}; font-weight: 600;")
        self.ownership_warning.setVisible(bool(warnings))
        findings = QLabel(
            "\n".join(f"{f.rule}: {f.outcome.value}: {f.explanation}" for f in report.evaluation.findings)
            or "No ownership finding: no listed owner holds a stake that counts."
        )
        findings.setWordWrap(True)
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(self.ownership_warning)
        layout.addWidget(QLabel("Owned by (direct stakes, and their owners):"))
        layout.addWidget(self.owners_tree)
        layout.addWidget(QLabel("Owns:"))
        layout.addWidget(self.owned_tree)
        layout.addWidget(findings)
        return box

    def _screening(self) -> QWidget:
        self.hits = QListWidget()
        self.hits.setAccessibleName("Screening hits")
        for hit in self.details.hits:
            state = hit.disposition.decision.value.replace("_", " ") if hit.disposition else "unresolved"
            how = "address" if hit.by_address else "name"
            self.hits.addItem(f"{hit.score:.2f}  {hit.source_code} {hit.entry_name} ({how} match)  [{state}]")
        self.hit_explanation = QTextBrowser()
        self.hits.currentRowChanged.connect(self._show_hit)
        status = QLabel(f"Screening status: {self.details.status.value.replace('_', ' ')}")
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.addWidget(status)
        layout.addWidget(self.hits, 1)
        layout.addWidget(self.hit_explanation, 2)
        if self.details.hits:
            self.hits.setCurrentRow(0)
        else:
            self.hit_explanation.setHtml("<p>No hits in the party's latest screening.</p>")
        return box

    def _show_hit(self, row: int) -> None:
        if not 0 <= row < len(self.details.hits):
            return
        hit = self.details.hits[row]
        decision = ""
        if hit.disposition is not None:
            d = hit.disposition
            decision = (
                f"<p><b>Decided {escape(d.decision.value.replace('_', ' '))}</b> by {escape(d.officer)} on "
                f"{d.decided_at:%Y-%m-%d}: {escape(d.reason)}</p>"
            )
        elif hit.reopened:
            decision = f"<p><b>{escape(hit.reopened)}</b></p>"
        self.hit_explanation.setHtml(
            f"<p>{escape(str(hit.explanation.get('text', '')))}</p>{decision}"
            + explanation_html(hit.explanation, str(hit.explanation.get("query", "")), hit.matched_name)
        )

    # Saving ----------------------------------------------------------------------------------
    def edited(self) -> RegisterParty:
        """The party as edited (a ``RegisterParty``); ``ValidationError`` names what is wrong."""
        party = self.details.party
        kyc_day = self.kyc_date.text().strip()
        try:
            decided = date.fromisoformat(kyc_day) if kyc_day else None
        except ValueError:
            raise ValidationError("KYC date", f"'{kyc_day}' is not a date; write it as YYYY-MM-DD") from None
        return replace(
            party,
            name=self.name.text().strip(),
            kind=EntryType(self.kind.currentData()),
            country=self.country.code(),
            headquarters_country=self.headquarters.code() or None,
            website=self.website.text().strip(),
            notes=self.notes.toPlainText().strip(),
            kyc=Kyc(
                KycStatus(self.kyc_status.currentData()), decided, self.kyc_officer.text().strip(), self.kyc_note.text()
            ),
            # The domain checks the kinds and schemes typed in, and says which are allowed.
            other_names=tuple(OtherName(cast(NameKind, k or "alias"), n) for k, n in _cells(self.names)),
            addresses=tuple(
                Address(country, tuple(x.strip() for x in lines.split(";") if x.strip()), city)
                for lines, city, country in _cells(self.addresses)
            ),
            identifiers=tuple(
                Identifier(cast(IdentifierScheme, s or "other"), v, label) for s, v, label in _cells(self.identifiers)
            ),
        )

    def save(self) -> bool:
        try:
            party = self.edited()
            saved = save_party(self._wb, party)
        except ValidationError as exc:
            self.error.setText(messages.validation_sentence(exc))
            self.error.show()
            return False
        except WorkbenchError as exc:
            self.error.setText(messages.describe(exc))
            self.error.show()
            return False
        self.error.hide()
        self.details = party_details(self._wb, saved.id or 0)
        self.accept()
        return True


def open_party(parent: QWidget | None, wb: Workbench, party_id: int) -> PartyEditor:
    """Open the editor of ``party_id`` (non-modal, so the Parties view stays usable)."""
    editor = PartyEditor(parent, wb, party_id)
    editor.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    editor.show()
    return editor
