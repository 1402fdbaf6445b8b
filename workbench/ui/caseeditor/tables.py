"""Table models of the parties and items being edited.

Rows are the editor's plain values; the displayed text of each row is computed
once when the row changes, so ``data()`` is a lookup. Edits from the view become
undo commands; the commands call ``apply_cell``/``insert_row``/``remove_row``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from functools import lru_cache
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QUndoStack

from workbench.domain.case import EncryptionClass, EntryType, ListFlag, PartyRole
from workbench.domain.countries import country_name
from workbench.domain.eccn import EAR99, normalise_eccn
from workbench.domain.errors import ValidationError
from workbench.domain.product_items import PRODUCT_ITEM_FIELDS
from workbench.services.cases import name_warning
from workbench.services.reference import eccn_heading, eccn_problem
from workbench.ui.caseeditor.commands import InsertRowCommand, RemoveRowCommand, SetCellCommand
from workbench.ui.caseeditor.state import Row, item_row, party_row
from workbench.ui.palette import tint

ERROR_BACKGROUND = QColor(255, 228, 228)
WARNING_BACKGROUND = QColor(255, 243, 205)
_Index = QModelIndex | QPersistentModelIndex


class Kind(Enum):
    TEXT = "text"
    NUMBER = "number"
    FLAG = "flag"
    CHOICES = "choices"
    """A list of values from fixed choices (a party's known listings)."""
    DERIVED = "derived"
    """Computed from other columns; not editable."""


@dataclass(frozen=True)
class ColumnSpec:
    key: str
    header: str
    kind: Kind = Kind.TEXT
    width: int = 120
    tip: str = ""


KIND_TIP = "Organisation, individual, vessel or aircraft: screening weighs a listed entry of another kind down"
_KIND_LABELS = {"entity": "Organisation", "individual": "Individual", "vessel": "Vessel", "aircraft": "Aircraft"}


REGION_TIP = (
    "ISO 3166-2 region of the address, e.g. UA-43 (Crimea), UA-40 (Sevastopol), UA-14 (Donetsk), UA-09 (Luhansk): "
    "region-level sanctions (15 CFR 746.6)"
)
US_TECHNOLOGY_PRODUCT_TIP = (
    "Is the item a direct product of US-origin technology or software (foreign direct product rules, 15 CFR 734.9)?"
)
US_TECHNOLOGY_PLANT_TIP = (
    "Was it made by a plant, or a major component of a plant, that is itself a direct product of US technology"
    " or software (15 CFR 734.9)?"
)
FACT_KEYS = frozenset({"us_technology_product", "us_technology_plant"})
FACT_CHOICES = [("", "Unknown"), ("yes", "Yes"), ("no", "No")]
_FACT_LABELS = dict(FACT_CHOICES)


def fact_label(value: str) -> str:
    return _FACT_LABELS.get(value, value)


def kind_label(kind: str) -> str:
    return _KIND_LABELS.get(kind, "")


def role_label(role: str) -> str:
    return role.replace("_", " ").capitalize()


LISTED_ON_LABELS = {
    ListFlag.ENTITY_LIST.value: "Entity List",
    ListFlag.DENIED_PERSONS.value: "Denied Persons List",
    ListFlag.UNVERIFIED.value: "Unverified List",
    ListFlag.MILITARY_END_USER.value: "Military End-User List",
    ListFlag.SDN.value: "SDN List",
}
LISTED_ON_TIP = "Restricted-party lists you already know the party is on (screening finds the others)"


def listed_on_label(values: list[str]) -> str:
    return ", ".join(LISTED_ON_LABELS.get(v, v) for v in values)


def country_label(code: str) -> str:
    return f"{country_name(code)} ({code})" if code else ""


@lru_cache(maxsize=4096)
def heading_of(eccn: str) -> str:
    """The CCL heading shown beside an ECCN as typed (empty while it is not a valid ECCN)."""
    try:
        normal = normalise_eccn(eccn)
    except ValidationError:
        return ""
    if normal is None:
        return ""
    if normal == EAR99:
        return "EAR99: subject to the EAR but not on the CCL"
    if eccn_problem(normal):
        return "Not on the Commerce Control List (see the ECCN's message)"
    return eccn_heading(normal) or "Not an entry on the Commerce Control List"


class RowsModel(QAbstractTableModel):
    """A list of editable rows with per-cell validation messages and undoable edits."""

    edited = Signal()
    """Any row or cell changed (through a command, so also on undo and redo)."""

    noun = "row"
    columns: tuple[ColumnSpec, ...] = ()

    def __init__(self, rows: list[Row], stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(parent)
        self._stack = stack
        self._rows: list[Row] = [dict(r) for r in rows]
        self._cells: list[tuple[str, ...]] = [self._display(r) for r in self._rows]
        self._errors: dict[tuple[int, str], str] = {}
        self._warnings: dict[tuple[int, str], str] = {}
        self._keys = [c.key for c in self.columns]

    # Subclass hooks ----------------------------------------------------------
    def _display(self, row: Row) -> tuple[str, ...]:
        return tuple(str(row.get(c.key, "")) for c in self.columns)

    def new_row(self) -> Row:
        raise NotImplementedError

    # Qt overrides -------------------------------------------------------------
    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        spec = self.columns[index.column()]
        row = index.row()
        if spec.kind is Kind.FLAG:
            if role == Qt.ItemDataRole.CheckStateRole:
                checked = bool(self._rows[row].get(spec.key))
                return Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked
            if role == Qt.ItemDataRole.EditRole:
                return bool(self._rows[row].get(spec.key))
        elif role == Qt.ItemDataRole.DisplayRole:
            return self._cells[row][index.column()]
        elif role == Qt.ItemDataRole.EditRole and spec.kind is Kind.CHOICES:
            return list(self._rows[row].get(spec.key) or [])
        elif role == Qt.ItemDataRole.EditRole:
            return str(self._rows[row].get(spec.key, ""))
        error = self._errors.get((row, spec.key))
        warning = self._warnings.get((row, spec.key))
        if role == Qt.ItemDataRole.ToolTipRole:
            return error or warning or self._cells[row][index.column()] or None
        if role == Qt.ItemDataRole.BackgroundRole and (error or warning):
            return QBrush(tint(ERROR_BACKGROUND if error else WARNING_BACKGROUND))
        return None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal:
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.ToolTipRole:
                return self.columns[section].tip or None
        elif role == Qt.ItemDataRole.DisplayRole:
            return str(section + 1)
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
        kind = self.columns[index.column()].kind
        if kind is Kind.FLAG:
            return flags | Qt.ItemFlag.ItemIsUserCheckable
        if kind is not Kind.DERIVED:
            return flags | Qt.ItemFlag.ItemIsEditable
        return flags

    def setData(self, index: _Index, value: Any, role: int = Qt.ItemDataRole.EditRole) -> bool:
        if not index.isValid():
            return False
        spec = self.columns[index.column()]
        if spec.kind is Kind.FLAG and role == Qt.ItemDataRole.CheckStateRole:
            value = Qt.CheckState(value) == Qt.CheckState.Checked
        elif spec.kind is Kind.FLAG and role == Qt.ItemDataRole.EditRole:
            value = bool(value)
        elif spec.kind is Kind.CHOICES and role == Qt.ItemDataRole.EditRole:
            value = [str(v) for v in value or []]
        elif role != Qt.ItemDataRole.EditRole or spec.kind is Kind.DERIVED:
            return False
        else:
            value = "" if value is None else str(value)
        old = self._rows[index.row()].get(spec.key)
        if old == value:
            return False
        self._stack.push(SetCellCommand(self, index.row(), spec.key, spec.header, old, value))
        return True

    # Commands' targets -------------------------------------------------------
    def apply_cell(self, row: int, key: str, value: Any) -> None:
        self._rows[row][key] = value
        self._cells[row] = self._display(self._rows[row])
        self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.columns) - 1))
        self.edited.emit()

    def insert_row(self, row: int, values: Row) -> None:
        self.beginInsertRows(QModelIndex(), row, row)
        self._rows.insert(row, values)
        self._cells.insert(row, self._display(values))
        self.endInsertRows()
        self.edited.emit()

    def remove_row(self, row: int) -> Row:
        self.beginRemoveRows(QModelIndex(), row, row)
        values = self._rows.pop(row)
        del self._cells[row]
        self.endRemoveRows()
        self.edited.emit()
        return values

    # Our API ------------------------------------------------------------------
    def add(self) -> int:
        """Append a new row (undoable) and return its position."""
        row = len(self._rows)
        self._stack.push(InsertRowCommand(self, row, self.new_row()))
        return row

    def remove(self, row: int) -> None:
        if 0 <= row < len(self._rows):
            self._stack.push(RemoveRowCommand(self, row))

    def rows(self) -> list[Row]:
        return [dict(r) for r in self._rows]

    def reset_rows(self, rows: list[Row]) -> None:
        self.beginResetModel()
        self._rows = [dict(r) for r in rows]
        self._cells = [self._display(r) for r in self._rows]
        self._errors = {}
        self.endResetModel()
        self.edited.emit()

    def set_errors(self, errors: dict[tuple[int, str], str]) -> None:
        """Mark cells with problems: ``{(row, key): message}``; a row-wide problem uses key ``""``."""
        if errors == self._errors:
            return
        self._errors = dict(errors)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def set_warnings(self, warnings: dict[tuple[int, str], str]) -> None:
        """Mark cells that are allowed but questionable (amber, the reason in the tooltip)."""
        if warnings == self._warnings:
            return
        self._warnings = dict(warnings)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def column_of(self, key: str) -> int:
        return self._keys.index(key)

    def key_at(self, column: int) -> str:
        return self._keys[column]


class PartiesModel(RowsModel):
    noun = "party"
    columns = (
        ColumnSpec("role", "Role", width=150),
        ColumnSpec("name", "Name", width=260),
        ColumnSpec("country", "Country", width=170),
        ColumnSpec(
            "headquarters_country",
            "Headquarters",
            width=170,
            tip="Country of the headquarters or ultimate parent, if it differs",
        ),
        ColumnSpec("address", "Address", width=300),
        ColumnSpec("kind", "Kind", width=120, tip=KIND_TIP),
        ColumnSpec("listed_on", "Known listings", Kind.CHOICES, width=170, tip=LISTED_ON_TIP),
        ColumnSpec("region", "Region", width=80, tip=REGION_TIP),
        ColumnSpec(
            "register",
            "Register · screening",
            Kind.DERIVED,
            width=190,
            tip="The counterparty-register party this is, and its screening status (decided once, for every case)",
        ),
    )
    REGISTER_KEYS = frozenset({"name", "country", "headquarters_country", "kind", "listed_on"})
    """Columns a register party takes from the register: edited there, not in the case."""

    def __init__(self, rows: list[Row], stack: QUndoStack, parent: Any = None) -> None:
        super().__init__(rows, stack, parent)
        self._statuses: dict[int, str] = {}

    def set_statuses(self, statuses: dict[int, str]) -> None:
        """The screening status of each register party shown (``{register id: label}``)."""
        if statuses == self._statuses:
            return
        self._statuses = dict(statuses)
        self._cells = [self._display(r) for r in self._rows]
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))

    def register_ids(self) -> list[int]:
        return [int(r["register_id"]) for r in self._rows if r.get("register_id")]

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        linked = index.isValid() and bool(self._rows[index.row()].get("register_id"))
        if linked and self.key_at(index.column()) in self.REGISTER_KEYS:
            return flags & ~Qt.ItemFlag.ItemIsEditable
        return flags

    def _register_text(self, row: Row) -> str:
        register_id = row.get("register_id")
        if not register_id:
            return "Case only"
        status = getattr(self, "_statuses", {}).get(int(register_id), "")
        return f"Party {register_id}" + (f" · {status}" if status else "")

    def _display(self, row: Row) -> tuple[str, ...]:
        return (
            role_label(row.get("role", "")),
            row.get("name", ""),
            country_label(row.get("country", "")),
            country_label(row.get("headquarters_country", "")),
            " ".join(str(row.get("address", "")).split()),
            kind_label(row.get("kind", "")),
            listed_on_label(row.get("listed_on") or []),
            str(row.get("region", "")),
            self._register_text(row),
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        # A name that does not read as it displays (invisible, right-to-left or look-alike letters).
        if index.isValid() and self.key_at(index.column()) == "name" and (index.row(), "name") not in self._errors:
            warning = name_warning(str(self._rows[index.row()].get("name", "")))
            if warning and role == Qt.ItemDataRole.ToolTipRole:
                return f"Warning: {warning}"
            if warning and role == Qt.ItemDataRole.BackgroundRole:
                return QBrush(tint(WARNING_BACKGROUND))
        return super().data(index, role)

    def new_row(self) -> Row:
        return party_row()


ENCRYPTION_TIP = (
    "Where an encryption item stands under License Exception ENC (15 CFR 740.17): (b)(1), (b)(2), (b)(3), "
    "mass market, or not eligible"
)
_ENCRYPTION_LABELS = {
    "b1": "740.17(b)(1)",
    "b2": "740.17(b)(2)",
    "b3": "740.17(b)(3)",
    "mass_market": "Mass market",
    "not_eligible": "Not eligible",
}
ENCRYPTION_CHOICES = [("", "Not recorded"), *((e.value, _ENCRYPTION_LABELS[e.value]) for e in EncryptionClass)]


ROLE_CHOICES = [(r.value, role_label(r.value)) for r in PartyRole]
KIND_CHOICES = [("", "Not recorded"), *((k.value, kind_label(k.value)) for k in EntryType)]


class ItemsModel(RowsModel):
    noun = "item"
    columns = (
        ColumnSpec("description", "Description", width=220),
        ColumnSpec("eccn", "ECCN", width=90, tip="Export Control Classification Number, or EAR99"),
        ColumnSpec("heading", "CCL heading", Kind.DERIVED, width=330),
        ColumnSpec("manufacturer", "Manufacturer", width=110),
        ColumnSpec("model", "Model", width=90),
        ColumnSpec("quantity", "Quantity", Kind.NUMBER, width=70),
        ColumnSpec("unit", "Unit", width=50),
        ColumnSpec("unit_value", "Unit value", Kind.NUMBER, width=90),
        ColumnSpec("currency", "Currency", width=70),
        ColumnSpec("tpp", "TPP", Kind.NUMBER, width=70, tip="Total processing performance"),
        ColumnSpec("performance_density", "PD", Kind.NUMBER, width=60, tip="Performance density"),
        ColumnSpec(
            "ics_per_unit",
            "ICs/unit",
            Kind.NUMBER,
            width=65,
            tip="Advanced ICs in one unit (8 for an 8-GPU board); TPP is per IC, caps count every IC",
        ),
        ColumnSpec(
            "datacenter", "Data centre", Kind.FLAG, width=80, tip="Designed or marketed for use in data centres"
        ),
        ColumnSpec(
            "prc_advanced_ic",
            "PRC advanced IC",
            Kind.FLAG,
            width=110,
            tip="An advanced IC designed or produced in the PRC (or Macau), or by a PRC-headquartered company",
        ),
        ColumnSpec(
            "country_of_origin", "Origin", width=150, tip="Country where the item was made; empty: not recorded"
        ),
        ColumnSpec(
            "us_content_percent",
            "US content %",
            Kind.NUMBER,
            width=90,
            tip="US-controlled content by value, in percent, for de minimis (15 CFR 734.4); empty: not known",
        ),
        ColumnSpec("us_technology_product", "US-tech product", width=110, tip=US_TECHNOLOGY_PRODUCT_TIP),
        ColumnSpec("us_technology_plant", "US-tech plant", width=100, tip=US_TECHNOLOGY_PLANT_TIP),
        ColumnSpec(
            "dram_bandwidth",
            "DRAM GB/s",
            Kind.NUMBER,
            width=80,
            tip="DRAM bandwidth in GB/s (tested against the H200-class review-policy ceiling)",
        ),
        ColumnSpec("encryption", "Encryption (ENC)", width=150, tip=ENCRYPTION_TIP),
        ColumnSpec(
            "encryption_filed_on",
            "ENC filed",
            width=90,
            tip="Day the ENC classification request or self-classification report was submitted (YYYY-MM-DD)",
        ),
        ColumnSpec(
            "product",
            "Library product",
            Kind.DERIVED,
            width=150,
            tip="The product-library product the item references: its classification and figures come from there",
        ),
    )

    def _display(self, row: Row) -> tuple[str, ...]:
        return tuple(
            heading_of(str(row.get("eccn", "")).strip())
            if c.key == "heading"
            else _ENCRYPTION_LABELS.get(str(row.get("encryption", "")), "")
            if c.key == "encryption"
            else ""
            if c.kind is Kind.FLAG
            else country_label(str(row.get(c.key, "")))
            if c.key == "country_of_origin"
            else fact_label(str(row.get(c.key, "")))
            if c.key in FACT_KEYS
            else str(row.get(c.key, ""))
            for c in self.columns
        )

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (
            role == Qt.ItemDataRole.TextAlignmentRole
            and index.isValid()
            and self.columns[index.column()].kind is Kind.NUMBER
        ):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if (
            role == Qt.ItemDataRole.ToolTipRole
            and index.isValid()
            and self.key_at(index.column()) in PRODUCT_ITEM_FIELDS
            and self.from_product(index.row())
            and (index.row(), self.key_at(index.column())) not in self._errors
        ):
            shown = self._cells[index.row()][index.column()]
            part = self.from_product(index.row())
            return f"{shown} — from library product {part}; reclassify the product to change it".lstrip(" —")
        return super().data(index, role)

    def new_row(self) -> Row:
        row = item_row()
        row["description"] = ""
        return row

    def from_product(self, row: int) -> str:
        """The part number of the library product the row references ("" for a case-only item)."""
        values = self._rows[row]
        if values.get("product_id") is None:
            return ""
        return str(values.get("product") or f"id {values['product_id']}")

    def flags(self, index: _Index) -> Qt.ItemFlag:
        flags = super().flags(index)
        if index.isValid() and self.key_at(index.column()) in PRODUCT_ITEM_FIELDS and self.from_product(index.row()):
            # The product decides these: reclassify it in the library instead.
            return flags & ~(Qt.ItemFlag.ItemIsEditable | Qt.ItemFlag.ItemIsUserCheckable)
        return flags

    def set_product_labels(self, labels: dict[int, str]) -> None:
        """Show the part numbers of the referenced products (looked up once when the case is opened)."""
        for row, values in enumerate(self._rows):
            product_id = values.get("product_id")
            if product_id is not None and product_id in labels:
                values["product"] = labels[product_id]
                self._cells[row] = self._display(values)
        if self._rows:
            self.dataChanged.emit(self.index(0, 0), self.index(len(self._rows) - 1, len(self.columns) - 1))
