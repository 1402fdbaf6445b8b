"""Table models of the Applications & Licences view: licences, their lines, shipments and application drafts.

Every row is formatted once when the data arrives (a ``{role: value}`` dict per cell), so
``data()`` is a lookup and the views never see a domain object after a reload.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import IntEnum
from typing import Any, ClassVar

from PySide6.QtCore import QAbstractItemModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFont

from workbench.domain.countries import country_name
from workbench.domain.licences import Licence, LicenceKind, LineBalance, Shipment, amount, money
from workbench.services.licences import EXPIRY_WARNING_DAYS, LicenceStatus
from workbench.ui.models.rows import RowsModel
from workbench.ui.palette import readable, tint

_Index = QModelIndex | QPersistentModelIndex
_Cell = dict[int, Any]
"""One cell: role -> value."""

FractionRole = Qt.ItemDataRole.UserRole + 2
"""For balance cells: the share of the licensed amount still left (0.0-1.0), or None if not limited."""

_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
WARN_BACKGROUND = QColor(255, 243, 205)
WARN_FOREGROUND = QColor(133, 77, 14)
BAD_BACKGROUND = QColor(255, 228, 228)
BAD_FOREGROUND = QColor(153, 27, 27)
MUTED_FOREGROUND = QColor(110, 110, 110)
MISSING_FOREGROUND = QColor(176, 0, 32)


def _text(colour: QColor) -> QBrush:
    return QBrush(readable(colour))


def _fill(colour: QColor) -> QBrush:
    return QBrush(tint(colour))


def _cell(text: str, tip: str = "", *, right: bool = False, extra: _Cell | None = None) -> _Cell:
    cell: _Cell = {Qt.ItemDataRole.DisplayRole: text, Qt.ItemDataRole.ToolTipRole: tip or text or None}
    if right:
        cell[Qt.ItemDataRole.TextAlignmentRole] = _RIGHT
    cell.update({role: value for role, value in (extra or {}).items() if value is not None})
    return cell


class _RowsModel(RowsModel):
    """The shared rows model with headers and right-aligned columns declared on the subclass."""

    headers: ClassVar[tuple[str, ...]] = ()
    numeric: ClassVar[frozenset[int]] = frozenset()

    def __init__(self, parent: Any = None) -> None:
        super().__init__(self.headers, parent, numeric=self.numeric)

    def _replace(self, rows: Sequence[tuple[_Cell, ...]], keys: Sequence[Any]) -> None:
        self.replace_rows(rows, keys)


# --- licences ----------------------------------------------------------------------------------------


def kind_label(licence: Licence) -> str:
    if licence.kind is LicenceKind.LICENCE_EXCEPTION:
        return f"Licence exception {licence.exception_symbol}"
    return "Licence"


def parties_label(licence: Licence) -> str:
    """``Acme Inc. (applicant); Nusantara Sdn Bhd (ultimate consignee, end user)``: one entry per name."""
    roles: dict[str, list[str]] = {}
    for party in licence.parties:
        roles.setdefault(party.name, []).append(party.role.value.replace("_", " "))
    return "; ".join(f"{name} ({', '.join(r)})" for name, r in roles.items())


@dataclass(frozen=True, slots=True)
class Standing:
    """What the officer should notice about a licence on the day: a word, its colours and why."""

    text: str
    tip: str = ""
    foreground: QBrush | None = None
    background: QBrush | None = None


def standing(status: LicenceStatus, warn_days: int = EXPIRY_WARNING_DAYS) -> Standing:
    lic, day = status.licence, status.as_of
    if day < lic.valid_from:
        return Standing("Not yet valid", f"Valid from {lic.valid_from.isoformat()}", _text(MUTED_FOREGROUND))
    if lic.valid_until is not None and day > lic.valid_until:
        expired = f"Expired on {lic.valid_until.isoformat()}"
        return Standing("Expired", expired, _text(BAD_FOREGROUND), _fill(BAD_BACKGROUND))
    warning = lic.expiry_warning(day, warn_days)
    if warning and lic.valid_until is not None:
        left = (lic.valid_until - day).days
        text = "Expires today" if left == 0 else f"Expires in {left} day{'s' if left != 1 else ''}"
        return Standing(text, warning, _text(WARN_FOREGROUND), _fill(WARN_BACKGROUND))
    if status.balances and all(b.exhausted for b in status.balances):
        return Standing("Fully shipped", "Every line is fully shipped (15 CFR 750.11(a)(1))", _text(MUTED_FOREGROUND))
    return Standing("Valid", "; ".join(status.warnings))


class LicencesModel(_RowsModel):
    class Column(IntEnum):
        NUMBER = 0
        KIND = 1
        DESTINATION = 2
        VALID_FROM = 3
        VALID_UNTIL = 4
        STATUS = 5
        PARTIES = 6

    headers = ("Number", "Kind", "Destination", "Valid from", "Valid until", "Status", "Parties")

    def __init__(self, parent: Any = None, warn_days: int = EXPIRY_WARNING_DAYS) -> None:
        super().__init__(parent)
        self._warn_days = warn_days

    def set_statuses(self, statuses: Sequence[LicenceStatus]) -> None:
        self._replace([self._cells(s) for s in statuses], [s.licence.number for s in statuses])

    def _cells(self, status: LicenceStatus) -> tuple[_Cell, ...]:
        lic = status.licence
        stand = standing(status, self._warn_days)
        coloured: _Cell = {
            Qt.ItemDataRole.ForegroundRole: stand.foreground,
            Qt.ItemDataRole.BackgroundRole: stand.background,
        }
        bold = QFont()
        bold.setBold(True)
        until = lic.valid_until.isoformat() if lic.valid_until else "no expiry"
        reference = f"Granted on application {lic.application_reference}" if lic.application_reference else ""
        return (
            _cell(lic.number, reference, extra={Qt.ItemDataRole.FontRole: bold}),
            _cell(kind_label(lic)),
            _cell(f"{country_name(lic.destination)} ({lic.destination})"),
            _cell(lic.valid_from.isoformat()),
            _cell(until, stand.tip, extra=coloured),
            _cell(stand.text, stand.tip, extra=coloured),
            _cell(parties_label(lic)),
        )

    def number_at(self, row: int) -> str:
        return str(self.key_at(row))


# --- lines and their balances ------------------------------------------------------------------------


def _fraction(left: Decimal | None, limit: Decimal | None) -> float | None:
    if left is None or limit is None:
        return None
    return 0.0 if limit == 0 else float(left / limit)


def _percent(fraction: float | None) -> str:
    return "" if fraction is None else f" ({fraction:.0%})"


class LinesModel(_RowsModel):
    """The item lines of one licence: what is licensed, shipped and left (the last two columns are bars)."""

    class Column(IntEnum):
        LINE = 0
        ECCN = 1
        DESCRIPTION = 2
        LICENSED_QUANTITY = 3
        LICENSED_VALUE = 4
        SHIPPED_QUANTITY = 5
        SHIPPED_VALUE = 6
        QUANTITY_LEFT = 7
        VALUE_LEFT = 8

    headers = (
        "Line",
        "ECCN",
        "Description",
        "Licensed qty",
        "Licensed value",
        "Shipped qty",
        "Shipped value",
        "Quantity left",
        "Value left",
    )
    BAR_COLUMNS = (Column.QUANTITY_LEFT, Column.VALUE_LEFT)
    numeric = frozenset(range(Column.LINE, Column.VALUE_LEFT + 1)) - {Column.ECCN, Column.DESCRIPTION}

    def set_balances(self, balances: Sequence[LineBalance]) -> None:
        self._replace([self._cells(b) for b in balances], [b.item.line for b in balances])

    @staticmethod
    def _cells(b: LineBalance) -> tuple[_Cell, ...]:
        item, cur = b.item, b.item.currency
        q_limit, v_limit = item.quantity_limit, item.value_limit
        q_left, v_left = b.remaining_quantity, b.remaining_value
        q_frac, v_frac = _fraction(q_left, q_limit), _fraction(v_left, v_limit)
        unlimited = "not limited"
        q_text = f"{amount(q_left)} of {amount(q_limit)}" if q_left is not None and q_limit is not None else unlimited
        v_text = f"{money(v_left, cur)}" if v_left is not None else unlimited
        v_tip = ""
        ceiling_left = b.remaining_value_with_tolerance
        if v_limit is not None and ceiling_left is not None:
            v_tip = f"{money(v_left or Decimal(0), cur)} of {money(v_limit, cur)} left{_percent(v_frac)}"
            if ceiling_left != v_left:
                v_tip += (
                    f"; up to {money(ceiling_left, cur)} may still ship in value with the 25% tolerance of "
                    "15 CFR 750.11(b)(2) while the quantity stays within the licence"
                )
        exhausted = "; the line is fully shipped (15 CFR 750.11(a)(1))" if b.exhausted else ""
        return (
            _cell(str(item.line), right=True),
            _cell(item.eccn),
            _cell(item.description),
            _cell(amount(q_limit) if q_limit is not None else "—", right=True),
            _cell(money(v_limit, cur) if v_limit is not None else "—", right=True),
            _cell(amount(b.shipped_quantity), right=True),
            _cell(money(b.shipped_value, cur), right=True),
            _cell(
                q_text, f"{q_text} units left{_percent(q_frac)}{exhausted}", right=True, extra={FractionRole: q_frac}
            ),
            _cell(v_text, (v_tip or v_text) + exhausted, right=True, extra={FractionRole: v_frac}),
        )


# --- shipments ---------------------------------------------------------------------------------------


class ShipmentsModel(_RowsModel):
    """Shipments against one licence, newest first."""

    class Column(IntEnum):
        DATE = 0
        CASE = 1
        LINE = 2
        QUANTITY = 3
        VALUE = 4
        OFFICER = 5
        NOTE = 6

    headers = ("Date", "Case", "Line", "Quantity", "Value", "Officer", "Note")
    numeric = frozenset({Column.LINE, Column.QUANTITY, Column.VALUE})

    def set_shipments(self, shipments: Sequence[Shipment], currencies: dict[int, str] | None = None) -> None:
        """``currencies`` maps a line to its currency (default USD)."""
        ordered = sorted(enumerate(shipments), key=lambda p: (p[1].shipped_on, p[0]), reverse=True)
        cur = currencies or {}
        rows = [
            (
                _cell(s.shipped_on.isoformat()),
                _cell(s.case_reference),
                _cell(str(s.line), right=True),
                _cell(amount(s.quantity), right=True),
                _cell(money(s.value, cur.get(s.line, "USD")), right=True),
                _cell(s.officer),
                _cell(s.note),
            )
            for _, s in ordered
        ]
        self._replace(rows, [i for i, _ in ordered])

    def shipped_on(self, row: int) -> date:
        return date.fromisoformat(self.text(row, self.Column.DATE))


# --- application drafts ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FieldRow:
    name: str
    value: str
    missing: bool
    note: str


@dataclass(frozen=True, slots=True)
class BlockRow:
    label: str
    fields: tuple[FieldRow, ...]

    @property
    def missing(self) -> int:
        return sum(f.missing for f in self.fields)


class BlocksModel(QAbstractItemModel):
    """The BIS-748P draft as a two-level tree: blocks, then their fields (missing ones in red)."""

    class Column(IntEnum):
        FIELD = 0
        VALUE = 1
        NOTE = 2

    headers = ("Block / field", "Value", "Note")
    _TOP = 0
    """internalId of a block; a field's internalId is its block's row + 1."""

    def __init__(self, blocks: Sequence[BlockRow] = (), parent: Any = None) -> None:
        super().__init__(parent)
        self._blocks = tuple(blocks)
        bold = QFont()
        bold.setBold(True)
        self._bold = bold

    def set_blocks(self, blocks: Sequence[BlockRow]) -> None:
        self.beginResetModel()
        self._blocks = tuple(blocks)
        self.endResetModel()

    def index(self, row: int, column: int, parent: _Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if not self.hasIndex(row, column, parent):
            return QModelIndex()
        if not parent.isValid():
            return self.createIndex(row, column, self._TOP)
        return self.createIndex(row, column, parent.row() + 1)

    def parent(self, child: _Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not child.isValid() or child.internalId() == self._TOP:
            return QModelIndex()
        return self.createIndex(child.internalId() - 1, 0, self._TOP)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        if not parent.isValid():
            return len(self._blocks)
        if parent.internalId() == self._TOP and parent.column() == 0:
            return len(self._blocks[parent.row()].fields)
        return 0

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.Column)

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        if index.internalId() == self._TOP:
            return self._block_data(self._blocks[index.row()], index.column(), role)
        field = self._blocks[index.internalId() - 1].fields[index.row()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return (field.name, field.value, field.note)[index.column()]
        if role == Qt.ItemDataRole.ForegroundRole and field.missing:
            return _text(MISSING_FOREGROUND)
        return None

    def _block_data(self, block: BlockRow, column: int, role: int) -> Any:
        if role == Qt.ItemDataRole.FontRole and column == self.Column.FIELD:
            return self._bold
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if role == Qt.ItemDataRole.ForegroundRole and block.missing and column == self.Column.NOTE:
                return _text(MISSING_FOREGROUND)
            return None
        if column == self.Column.FIELD:
            return block.label
        if column == self.Column.NOTE and block.missing:
            return f"{block.missing} missing"
        return ""

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers[section]
        return None


class MissingModel(_RowsModel):
    """What the officer still has to add before the application can be filed."""

    class Column(IntEnum):
        BLOCK = 0
        FIELD = 1
        WHY = 2

    headers = ("Block", "Field", "What to add")

    def set_missing(self, missing: Sequence[tuple[str, str, str]]) -> None:
        self._replace(
            [(_cell(block), _cell(field), _cell(why)) for block, field, why in missing],
            list(range(len(missing))),
        )
