"""A country combo box that finds a country by its name or its ISO code as you type."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QComboBox, QCompleter, QWidget

from workbench.services.reference import country_choices

_WITH_CODE = re.compile(r"\(([A-Za-z]{2})\)\s*$")


def country_label(code: str, name: str) -> str:
    return f"{name} ({code})"


class CountryPicker(QComboBox):
    """Editable combo: type "germ", "Germany" or "DE" and get DE.

    ``code()`` returns the chosen ISO code, or the typed text when it matches no
    country, so the domain's validation can say what is wrong with it.
    """

    code_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None, *, allow_empty: bool = False) -> None:
        super().__init__(parent)
        self.setEditable(True)
        self.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.setMaxVisibleItems(20)
        self._names: dict[str, str] = {}
        if allow_empty:
            self.addItem("", "")
        for code, name in country_choices():
            self.addItem(country_label(code, name), code)
            self._names[code] = name
        self._by_name = {name.casefold(): code for code, name in self._names.items()}
        completer = QCompleter(self.model(), self)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.setCompleter(completer)
        line = self.lineEdit()
        assert line is not None  # editable combos always have one
        line.setPlaceholderText("Country name or code")
        line.editingFinished.connect(self._resolve_typed)
        self.currentIndexChanged.connect(lambda _i: self._announce())
        self._last = self.code()

    def resolve(self, text: str) -> str:
        """The ISO code ``text`` names (a code, a name, "Name (XX)" or a unique fragment), else ``text``."""
        typed = text.strip()
        if not typed:
            return ""
        if typed.upper() in self._names and len(typed) == 2:
            return typed.upper()
        match = _WITH_CODE.search(typed)
        if match and match.group(1).upper() in self._names:
            return match.group(1).upper()
        folded = typed.casefold()
        if folded in self._by_name:
            return self._by_name[folded]
        hits = [code for name, code in self._by_name.items() if folded in name]
        return hits[0] if len(hits) == 1 else typed

    def code(self) -> str:
        return self.resolve(self.currentText())

    def set_code(self, code: str | None) -> None:
        """Select ``code``; an unknown code stays as typed text so it can be corrected."""
        index = self.findData((code or "").upper())
        if index >= 0:
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))
        else:
            self.setCurrentIndex(-1)
            self.setEditText(code or "")
        self._announce()

    def _resolve_typed(self) -> None:
        code = self.resolve(self.currentText())
        index = self.findData(code) if code else -1
        if index >= 0 and self.itemText(index) != self.currentText():
            self.setCurrentIndex(index)
            self.setEditText(self.itemText(index))
        self._announce()

    def _announce(self) -> None:
        code = self.code()
        if code != self._last:
            self._last = code
            self.code_changed.emit(code)
