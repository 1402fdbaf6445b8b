"""The red-flag checklist: one row per flag with an answer (yes / no / unknown) and a note.

Answers are part of the case: each change goes to the editor as an undoable edit and
is written with the case on Save. The editor announces changes (also from undo), and
the checklist shows them again without echoing them back.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from workbench.domain.case import RedFlagAnswerValue
from workbench.services.reference import ChecklistFlag, red_flag_checklist
from workbench.ui.caseeditor import CaseEditor
from workbench.ui.models.rows import MUTED
from workbench.ui.palette import css
from workbench.ui.widgets.wheelguard import guard_wheel

ANSWER_LABELS = {
    "": "Not answered",
    RedFlagAnswerValue.NO.value: "No",
    RedFlagAnswerValue.YES.value: "Yes: a red flag",
    RedFlagAnswerValue.UNKNOWN.value: "Unknown",
}
_CHECKLIST_TITLES = {
    "kyc": "BIS Know Your Customer red flags",
    "diversion": "BIS diversion red flags for advanced computing ICs",
}


class RedFlagChecklist(QWidget):
    def __init__(self, editor: CaseEditor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._editor = editor
        self._updating = False
        self.flags: list[ChecklistFlag] = []
        self.answers: dict[str, QComboBox] = {}
        self.notes: dict[str, QLineEdit] = {}
        self.summary = QLabel()
        self._grid_host = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self._grid_host)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(scroll, 1)
        editor.red_flag_changed.connect(self._changed)
        self.rebuild()

    def rebuild(self) -> None:
        """Lay out the flags that apply to the case as edited (advanced computing adds the diversion list)."""
        self.flags = red_flag_checklist(self._editor.current_case())
        old = self._grid_host.layout()
        if old is not None:
            QWidget().setLayout(old)  # reparent the old layout so it and its widgets are deleted
        grid = QGridLayout(self._grid_host)
        grid.setColumnStretch(0, 3)
        grid.setColumnStretch(2, 2)
        self.answers, self.notes = {}, {}
        row, checklist = 0, ""
        for flag in self.flags:
            if flag.checklist != checklist:
                checklist = flag.checklist
                title = _CHECKLIST_TITLES.get(checklist, checklist)
                heading = QLabel(f"<b>{title}</b> <span style='color:{css(MUTED)}'>({flag.citation})</span>")
                grid.addWidget(heading, row, 0, 1, 3)
                row += 1
            text = QLabel(flag.text + (" <i>(unconfirmed wording)</i>" if flag.unconfirmed else ""))
            text.setWordWrap(True)
            text.setToolTip(f"{flag.id} — {flag.citation}")
            answer = QComboBox()
            for value, label in ANSWER_LABELS.items():
                answer.addItem(label, value)
            note = QLineEdit()
            note.setMaxLength(4000)
            note.setPlaceholderText("Note (what you checked)")
            answer.currentIndexChanged.connect(lambda _i, f=flag.id: self._edited(f))
            note.editingFinished.connect(lambda f=flag.id: self._edited(f))
            grid.addWidget(text, row, 0)
            grid.addWidget(answer, row, 1, Qt.AlignmentFlag.AlignTop)
            grid.addWidget(note, row, 2, Qt.AlignmentFlag.AlignTop)
            self.answers[flag.id], self.notes[flag.id] = answer, note
            row += 1
        grid.setRowStretch(row, 1)
        guard_wheel(self._grid_host)  # scrolling the checklist never changes an answer
        self._changed("")

    def set_answer(self, flag_id: str, answer: str, note: str = "") -> None:
        """Answer a flag as the officer would (tests and keyboard-free use)."""
        self.notes[flag_id].setText(note)
        combo = self.answers[flag_id]
        combo.setCurrentIndex(combo.findData(answer))
        self._edited(flag_id)

    def _edited(self, flag_id: str) -> None:
        if self._updating:
            return
        answer = str(self.answers[flag_id].currentData() or "")
        self._editor.set_red_flag(flag_id, answer or None, self.notes[flag_id].text().strip())

    def _changed(self, flag_id: str) -> None:
        self._updating = True
        try:
            for fid in [flag_id] if flag_id in self.answers else list(self.answers):
                answer, note = self._editor.red_flag(fid) or ("", "")
                self.answers[fid].setCurrentIndex(max(0, self.answers[fid].findData(answer)))
                if self.notes[fid].text() != note:
                    self.notes[fid].setText(note)
        finally:
            self._updating = False
        answered = sum(1 for f in self.flags if self._editor.red_flag(f.id))
        yes = sum(1 for f in self.flags if (self._editor.red_flag(f.id) or ("",))[0] in {"yes", "unknown"})
        text = f"{answered} of {len(self.flags)} flags answered"
        if yes:
            text += f"; {yes} answered yes or unknown, which asks for review"
        self.summary.setText(text + ". Answers are saved with the case.")
