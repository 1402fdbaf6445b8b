"""One open case: tabs for general facts, parties and items (later panels slot in with ``add_panel``).

The editor keeps the case's editable values, validates a candidate ``Case`` on
every change, autosaves drafts on a timer, and writes the database only on Save.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from typing import Any

from PySide6.QtCore import QTimer, Signal, Slot
from PySide6.QtGui import QIcon, QUndoStack
from PySide6.QtWidgets import QInputDialog, QLabel, QPushButton, QStyle, QTabWidget, QVBoxLayout, QWidget

from workbench.domain.case import Case, RedFlagAnswer, RedFlagAnswerValue
from workbench.domain.errors import ConflictError, RevisionReasonRequired, ValidationError, WorkbenchError
from workbench.domain.register import RegisterParty
from workbench.services import Workbench
from workbench.services.case_register import register_statuses
from workbench.services.cases import create_case, get_case, save_case
from workbench.services.drafts import discard_draft, load_draft, save_draft
from workbench.services.product_cases import part_numbers, product_item
from workbench.services.reference import eccn_figures_warning, red_flag_checklist
from workbench.ui import messages
from workbench.ui.caseeditor.commands import (
    InsertRowCommand,
    ReplaceStateCommand,
    SetFieldCommand,
    SetRedFlagCommand,
)
from workbench.ui.caseeditor.delegates import ChoiceDelegate, ChoicesDelegate, CountryDelegate, EccnDelegate
from workbench.ui.caseeditor.general import GeneralForm
from workbench.ui.caseeditor.partypicker import STATUS_LABELS, PartyPicker
from workbench.ui.caseeditor.rowspage import RowsPage
from workbench.ui.caseeditor.state import (
    GENERAL_KEYS,
    build_case,
    build_item,
    collect_errors,
    general_from_case,
    item_row,
    party_row,
)
from workbench.ui.caseeditor.tables import (
    ENCRYPTION_CHOICES,
    FACT_CHOICES,
    FACT_KEYS,
    KIND_CHOICES,
    LISTED_ON_LABELS,
    ROLE_CHOICES,
    ItemsModel,
    PartiesModel,
)
from workbench.ui.dialogs.productpicker import ProductPicker
from workbench.ui.messages import field_label, validation_sentence
from workbench.ui.widgets.wheelguard import guard_wheel

logger = logging.getLogger(__name__)


def ask_revision_reason(parent: QWidget, text: str) -> tuple[str, bool]:
    """Ask why a determined case is changed (tests replace this function)."""
    reason, ok = QInputDialog.getText(parent, "Reason for a new revision", text)
    return reason, ok


def _state_of(case: Case) -> dict[str, Any]:
    return {
        "general": general_from_case(case),
        "parties": [party_row(p) for p in case.parties],
        "items": [item_row(i) for i in case.items],
        "red_flags": _red_flag_rows(case),
    }


def _red_flag_rows(case: Case) -> list[dict[str, str]]:
    return [{"flag_id": a.flag_id, "answer": a.answer.value, "note": a.note} for a in case.red_flags]


def _red_flags_of(rows: list[dict[str, str]]) -> dict[str, tuple[str, str]]:
    return {str(r["flag_id"]): (str(r["answer"]), str(r.get("note", ""))) for r in rows}


class CaseEditor(QWidget):
    dirty_changed = Signal(bool)
    validity_changed = Signal(bool)
    saved = Signal(object)
    """The stored ``Case`` after a successful Save."""
    red_flag_changed = Signal(str)
    """A red-flag answer changed (edit, undo or redo); the checklist shows it again."""

    def __init__(
        self,
        wb: Workbench,
        case: Case,
        *,
        is_new: bool = False,
        autosave_seconds: int = 60,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._wb = wb
        self._base = case
        self.is_new = is_new
        self._general = general_from_case(case)
        self._red_flags = _red_flags_of(_red_flag_rows(case))
        self._valid = True
        self._draft_written_at = -1
        self.undo_stack = QUndoStack(self)
        self.general = GeneralForm(case.reference)
        self.parties = PartiesModel([party_row(p) for p in case.parties], self.undo_stack, self)
        self.items = ItemsModel([item_row(i) for i in case.items], self.undo_stack, self)
        self.parties_page = RowsPage(self.parties, "Double-click a cell to edit it")
        self.parties_page.set_delegate("role", ChoiceDelegate(ROLE_CHOICES))
        self.parties_page.set_delegate("kind", ChoiceDelegate(KIND_CHOICES))
        self.parties_page.set_delegate("country", CountryDelegate())
        self.parties_page.set_delegate("headquarters_country", CountryDelegate(allow_empty=True))
        self.parties_page.set_delegate("listed_on", ChoicesDelegate(LISTED_ON_LABELS))
        self.party_picker = PartyPicker(wb)
        self.party_picker.picked.connect(self.add_register_party)
        self.parties_page.insert_top(self.party_picker)
        self.items_page = RowsPage(self.items, "ECCN completes from the Commerce Control List")
        self.items_page.set_delegate("eccn", EccnDelegate())
        self.items_page.set_delegate("country_of_origin", CountryDelegate(allow_empty=True))
        for key in FACT_KEYS:
            self.items_page.set_delegate(key, ChoiceDelegate(FACT_CHOICES))
        self.items_page.set_delegate("encryption", ChoiceDelegate(ENCRYPTION_CHOICES))
        self.library_button = QPushButton("Add from &library…")
        self.library_button.setToolTip("Pick a classified product: the item references it and is pre-filled")
        self.library_button.clicked.connect(self.pick_product)
        self.items_page.add_action_button(self.library_button)
        self._label_products()
        self.banner = QLabel()
        self.banner.setStyleSheet("font-size: 13pt; font-weight: 600; padding: 4px 2px;")
        self.tabs = QTabWidget()
        self.tabs.addTab(self.general, "&General")
        self.tabs.addTab(self.parties_page, "&Parties")
        self.tabs.addTab(self.items_page, "&Items")
        guard_wheel(self.tabs)  # no box in the editor changes on a wheel event it did not get focus for
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)

        self.general.set_values(self._general)
        self.general.field_edited.connect(self._field_edited)
        self.parties.edited.connect(self.revalidate)
        self.items.edited.connect(self.revalidate)
        self.parties.edited.connect(self.refresh_party_statuses)
        self.undo_stack.cleanChanged.connect(self._clean_changed)
        self.undo_stack.indexChanged.connect(self._index_changed)
        self._autosave = QTimer(self)
        self._autosave.setInterval(max(1, autosave_seconds) * 1000)
        self._autosave.timeout.connect(self.autosave)
        self._autosave.start()
        self.revalidate()

    # Public API ----------------------------------------------------------------
    @property
    def reference(self) -> str:
        return self._base.reference

    @property
    def base_case(self) -> Case:
        return self._base

    @property
    def is_dirty(self) -> bool:
        return self.is_new or not self.undo_stack.isClean()

    @property
    def is_valid(self) -> bool:
        return self._valid

    def add_panel(self, widget: QWidget, title: str) -> int:
        """Add a tab (screening, checks, documents…); returns its index."""
        guard_wheel(widget)
        return self.tabs.addTab(widget, title)

    def rebase(self, case: Case) -> None:
        """Take the stored ``case`` as the new base after a change made outside the editor (documents).

        The editor's own values (facts, parties, items, red flags) and its undo history are kept.
        """
        if case.reference != self.reference:
            raise ValueError(f"cannot rebase {self.reference} onto {case.reference}")
        self._base = case
        self.is_new = False
        self.revalidate()

    def current_case(self) -> Case:
        """The case as edited when it is valid, else the saved one (what checks and previews use)."""
        try:
            return self.candidate()
        except ValidationError:
            return self._base

    # Register parties ----------------------------------------------------------
    def add_register_party(self, party: RegisterParty, role: str) -> int:
        """Add a register party to the case (one undoable edit); its data comes from the register."""
        address = party.addresses[0].one_line if party.addresses else ""
        row = {
            **party_row(),
            "role": role,
            "name": party.name,
            "country": party.country,
            "headquarters_country": party.headquarters_country or "",
            "address": address,
            "kind": party.kind.value,
            "listed_on": [flag.value for flag in party.listed_on],
            "register_id": party.id,
        }
        position = self.parties.rowCount()
        self.undo_stack.push(InsertRowCommand(self.parties, position, row))
        return position

    def refresh_party_statuses(self) -> None:
        """Show each register party's party-level screening status in the Parties table."""
        ids = self.parties.register_ids()
        if not ids:
            self.parties.set_statuses({})
            return
        try:
            statuses = register_statuses(self._wb, ids)
        except WorkbenchError:
            logger.exception("could not read the register parties' screening status")
            return
        self.parties.set_statuses({pid: STATUS_LABELS[s.value] for pid, s in statuses.items()})

    # Products from the library --------------------------------------------------
    def _label_products(self) -> None:
        ids = [r["product_id"] for r in self.items.rows() if r.get("product_id") is not None]
        if ids:
            try:
                self.items.set_product_labels(part_numbers(self._wb, ids))
            except WorkbenchError as exc:
                logger.warning("the part numbers of case %s's products could not be read: %s", self.reference, exc)

    def pick_product(self) -> str | None:
        """Ask for a library product and add an item referencing it (undoable); returns its part number."""
        picker = ProductPicker(self._wb, self)
        if picker.exec() != ProductPicker.DialogCode.Accepted or picker.chosen is None:
            return None
        return self.add_product_item(picker.chosen)

    def add_product_item(self, part_number: str) -> str | None:
        try:
            item = product_item(self._wb, part_number)
        except WorkbenchError as exc:
            messages.error(self, f"Product {part_number} cannot be added.", exc=exc)
            return None
        row = item_row(item)
        row["product"] = part_number
        position = self.items.rowCount()
        self.undo_stack.push(InsertRowCommand(self.items, position, row))
        self.tabs.setCurrentWidget(self.items_page)
        index = self.items.index(position, self.items.column_of("quantity"))
        self.items_page.table.setCurrentIndex(index)
        return part_number

    # Red flags -----------------------------------------------------------------
    def red_flag(self, flag_id: str) -> tuple[str, str] | None:
        """The answer and note given for ``flag_id``, or None while unanswered."""
        return self._red_flags.get(flag_id)

    def set_red_flag(self, flag_id: str, answer: str | None, note: str = "") -> None:
        """Answer a red flag as one undoable edit (``answer`` None clears it)."""
        old = self._red_flags.get(flag_id)
        new = (answer, note) if answer else None
        if old != new:
            self.undo_stack.push(SetRedFlagCommand(self, flag_id, old, new, self._red_flag_label(flag_id)))

    def _red_flag_label(self, flag_id: str) -> str:
        """The flag's question, shortened for the Undo menu."""
        text = next((f.text for f in red_flag_checklist(self.current_case()) if f.id == flag_id), "")
        return text if len(text) <= 60 else text[:59].rstrip() + "…"

    def apply_red_flag(self, flag_id: str, value: tuple[str, str] | None) -> None:
        if value is None:
            self._red_flags.pop(flag_id, None)
        else:
            self._red_flags[flag_id] = value
        self.revalidate()
        self.red_flag_changed.emit(flag_id)

    def _red_flag_answers(self) -> tuple[RedFlagAnswer, ...]:
        return tuple(
            RedFlagAnswer(flag_id, RedFlagAnswerValue(answer), note)
            for flag_id, (answer, note) in self._red_flags.items()
        )

    def set_autosave_interval(self, seconds: int) -> None:
        self._autosave.setInterval(max(1, seconds) * 1000)

    def state(self) -> dict[str, Any]:
        """The editor's values as plain JSON-able data (what a draft stores)."""
        return {
            "general": dict(self._general),
            "parties": self.parties.rows(),
            "items": self.items.rows(),
            "red_flags": [{"flag_id": k, "answer": a, "note": n} for k, (a, n) in self._red_flags.items()],
        }

    def candidate(self) -> Case:
        """The case as edited; raises ``ValidationError`` while something is wrong."""
        case = build_case(self._base, self._general, self.parties.rows(), self.items.rows())
        try:
            return replace(case, red_flags=self._red_flag_answers())
        except ValidationError as exc:
            raise exc.at("red_flags") from None

    def save(self) -> bool:
        """Write the case to the database; returns False if nothing was saved (the officer was told why)."""
        try:
            case = self.candidate()
        except ValidationError as exc:
            messages.error(self, "The case cannot be saved yet.", exc=exc)
            return False
        try:
            stored = create_case(self._wb, case) if self.is_new else self._save_existing(case)
            if stored is None:
                return False
        except ConflictError as exc:
            self._conflict(exc)
            return False
        except WorkbenchError as exc:
            messages.error(self, f"Case {case.reference} was not saved.", exc=exc)
            return False
        self._base = stored
        self.is_new = False
        self.undo_stack.setClean()
        discard_draft(stored.reference)
        self._draft_written_at = -1
        self._update_banner()
        self.dirty_changed.emit(False)
        self.saved.emit(stored)
        return True

    def _save_existing(self, case: Case) -> Case | None:
        """Save; a determined case asks for the reason that starts its new revision (None: cancelled)."""
        try:
            return save_case(self._wb, case)
        except RevisionReasonRequired as exc:
            reason, ok = ask_revision_reason(
                self,
                f"{exc} The case goes back to 'in review' and must be determined again; "
                "the reason is kept in the audit trail.",
            )
            if not ok or not reason.strip():
                messages.info(self, f"Case {case.reference} was not saved: a determined case needs a reason to change.")
                return None
            return save_case(self._wb, case, revision_reason=reason)

    def refresh_status(self) -> None:
        """Show the stored case's real status (e.g. after it was determined elsewhere in the app)."""
        if self.is_new:
            return
        stored = get_case(self._wb, self.reference)
        if not self.is_dirty:
            self.reload(stored)
        else:
            self._base = replace(self._base, status=stored.status)
            self._update_banner()

    def reload(self, case: Case | None = None) -> None:
        """Show ``case`` (default: the stored one) and forget edits, undo history and draft."""
        self._base = case or get_case(self._wb, self.reference)
        self.is_new = False
        self.undo_stack.clear()
        self.apply_state(_state_of(self._base))
        discard_draft(self.reference)
        self.dirty_changed.emit(False)

    def offer_draft(self) -> bool:
        """If an autosaved draft exists, ask whether to restore it; returns True if restored."""
        draft = load_draft(self.reference)
        if draft is None:
            return False
        newer = ""
        if draft.base_version != self._base.version:
            newer = (
                " The case has been saved since the draft was started, so restoring it would undo those "
                "changes unless you compare carefully."
            )
        question = (
            f"Unsaved changes to case {self.reference} were autosaved at {draft.saved_at.replace('T', ' ')}."
            f"{newer} Restore them?"
        )
        if not messages.ask(self, question, "Restore unsaved changes"):
            discard_draft(self.reference)
            return False
        try:
            restored = _normalise(draft.state, self.state()["red_flags"])
            self.undo_stack.push(ReplaceStateCommand(self, "Restore draft", self.state(), restored))
        except (KeyError, TypeError, ValueError) as exc:
            messages.warning(
                self, f"The draft of case {self.reference} could not be restored ({exc}); it was set aside."
            )
            return False
        return True

    def autosave(self) -> bool:
        """Write a draft if there are edits not yet in a draft; returns True if one was written."""
        if not self.is_dirty or self._draft_written_at == self.undo_stack.index():
            return False
        try:
            save_draft(self.reference, self._base.version, self.state())
        except WorkbenchError as exc:
            logger.warning("autosave of %s failed: %s", self.reference, exc)
            return False
        self._draft_written_at = self.undo_stack.index()
        return True

    def confirm_close(self) -> bool:
        """The unsaved-changes guard: True if the editor may close (saved, discarded or clean)."""
        if not self.is_dirty:
            return True
        choice = messages.ask_save(self, f"Case {self.reference} has unsaved changes. Save them before closing?")
        if choice is messages.SaveChoice.SAVE:
            return self.save()
        if choice is messages.SaveChoice.DISCARD:
            discard_draft(self.reference)
            self._autosave.stop()
            return True
        return False

    # Commands' targets ---------------------------------------------------------
    def apply_field(self, key: str, value: Any) -> None:
        self._general[key] = value
        self.general.set_value(key, value)
        self.revalidate()

    def apply_state(self, state: dict[str, Any]) -> None:
        self._general = dict(state["general"])
        self.general.set_values(self._general)
        self.parties.reset_rows(state["parties"])
        self.items.reset_rows(state["items"])
        self._label_products()
        self._red_flags = _red_flags_of(state.get("red_flags", []))
        self.revalidate()
        self.red_flag_changed.emit("")

    # Internals -----------------------------------------------------------------
    def _field_edited(self, key: str, value: Any) -> None:
        old = self._general.get(key)
        if old != value:
            label = field_label(key)
            label = label if label[:2].isupper() else label[:1].lower() + label[1:]  # "ECCN" stays
            self.undo_stack.push(SetFieldCommand(self, key, label, old, value))

    def revalidate(self) -> None:
        errors = collect_errors(self._base, self._general, self.parties.rows(), self.items.rows())
        general: dict[str, str] = {}
        case_wide: list[str] = []
        tables: dict[str, dict[tuple[int, str], str]] = {"parties": {}, "items": {}}
        sentences: dict[str, list[str]] = {"parties": [], "items": []}
        for exc in errors:
            owner, _, rest = exc.field.partition("[")
            if owner in tables and rest:
                index, _, key = rest.partition("]")
                tables[owner][(int(index), key.lstrip("."))] = validation_sentence(exc, with_field=False)
                sentences[owner].append(validation_sentence(exc))
            elif exc.field in GENERAL_KEYS:
                general.setdefault(exc.field, validation_sentence(exc, with_field=False))
            else:
                case_wide.append(validation_sentence(exc))
        self.general.set_errors(general, case_wide)
        self.parties.set_errors(tables["parties"])
        self.items.set_errors(tables["items"])
        warnings = self._item_warnings()
        self.items.set_warnings({(i, "eccn"): text for i, text in warnings.items()})
        self.parties_page.set_problems(sentences["parties"])
        self.items_page.set_problems(
            sentences["items"] + [f"Item {i + 1}, ECCN (warning): {text}" for i, text in warnings.items()]
        )
        warn = self.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
        for page, bad in (
            (self.general, general or case_wide),
            (self.parties_page, sentences["parties"]),
            (self.items_page, sentences["items"]),
        ):
            self.tabs.setTabIcon(self.tabs.indexOf(page), warn if bad else QIcon())
        valid = not errors
        if valid != self._valid:
            self._valid = valid
            self.validity_changed.emit(valid)
        self._update_banner()

    def _item_warnings(self) -> dict[int, str]:
        """Items whose ECCN contradicts their TPP / performance density: allowed, but said on the item."""
        warnings: dict[int, str] = {}
        for i, row in enumerate(self.items.rows()):
            try:
                item = build_item(row)
            except ValidationError:
                continue
            text = eccn_figures_warning(item)
            if text:
                warnings[i] = text[:1].upper() + text[1:]
        return warnings

    @Slot(bool)
    def _clean_changed(self, clean: bool) -> None:
        self.dirty_changed.emit(self.is_new or not clean)

    @Slot(int)
    def _index_changed(self, _index: int) -> None:
        self._update_banner()

    def _update_banner(self) -> None:
        title = str(self._general.get("title", "")).strip() or "(untitled)"
        status = self._base.status.label.lower()
        marks = " — unsaved changes" if self.is_dirty else ""
        self.banner.setText(f"{self.reference}  ·  {title}  ·  {status}{marks}")

    def _conflict(self, exc: ConflictError) -> None:
        self.autosave()
        messages.error(self, f"Case {self.reference} was not saved.", exc=exc)
        if messages.ask(
            self,
            f"Reload case {self.reference} as it is now in the database? Your edits in this editor will be "
            "discarded; to keep them, answer No and copy them before reloading.",
            "Reload the case",
        ):
            self.reload()


def _normalise(state: dict[str, Any], red_flags: list[dict[str, str]]) -> dict[str, Any]:
    """Check a draft's shape before it replaces the editor's values."""
    general = {key: state["general"][key] for key in GENERAL_KEYS}
    parties = [dict(party_row(), **dict(row)) for row in state["parties"]]
    items = [dict(item_row(), **dict(row)) for row in state["items"]]
    flags = [
        {"flag_id": str(r["flag_id"]), "answer": str(r["answer"]), "note": str(r.get("note", ""))}
        for r in state.get("red_flags", red_flags)
    ]
    return {"general": general, "parties": parties, "items": items, "red_flags": flags}
