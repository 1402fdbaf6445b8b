"""The one funnel for user-facing messages, questions and the crash dialog.

Every message is logged and then handed to a sink. The default sink shows
QMessageBox dialogs; tests install a ``RecordingSink`` so no modal dialog blocks
a run and assertions read what the officer would have seen.
"""

from __future__ import annotations

import logging
import platform
import re
import sys
import traceback
from collections import deque
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from types import TracebackType
from typing import Protocol

from PySide6 import __version__ as pyside_version
from PySide6.QtCore import qVersion
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from workbench import __version__
from workbench.config import log_dir
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.ui.dialogs.backup import BackupAnswer, BackupChoice, BackupPromptDialog

logger = logging.getLogger(__name__)

APP_TITLE = "Export-Compliance Workbench"


class Level(Enum):
    INFO = "info"
    WARNING = "warning"
    ERROR = "error"
    QUESTION = "question"
    CRASH = "crash"


class SaveChoice(Enum):
    SAVE = "save"
    DISCARD = "discard"
    CANCEL = "cancel"


@dataclass(frozen=True)
class Message:
    level: Level
    title: str
    text: str
    details: str = ""


class Sink(Protocol):
    def show(self, parent: QWidget | None, message: Message) -> None: ...
    def ask(self, parent: QWidget | None, message: Message) -> bool: ...
    def ask_save(self, parent: QWidget | None, message: Message) -> SaveChoice: ...
    def ask_backup(self, parent: QWidget | None, message: Message, folder: Path) -> BackupAnswer: ...


class DialogSink:
    """Shows messages as modal message boxes (the production sink)."""

    def show(self, parent: QWidget | None, message: Message) -> None:
        if message.level is Level.CRASH:
            CrashDialog(parent, message.details).exec()
            return
        icon = {
            Level.INFO: QMessageBox.Icon.Information,
            Level.WARNING: QMessageBox.Icon.Warning,
        }.get(message.level, QMessageBox.Icon.Critical)
        box = QMessageBox(icon, message.title, message.text, QMessageBox.StandardButton.Ok, parent)
        if message.details:
            box.setDetailedText(message.details)
        box.exec()

    def ask(self, parent: QWidget | None, message: Message) -> bool:
        buttons = QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
        answer = QMessageBox.question(parent, message.title, message.text, buttons, QMessageBox.StandardButton.Yes)
        return answer == QMessageBox.StandardButton.Yes

    def ask_save(self, parent: QWidget | None, message: Message) -> SaveChoice:
        buttons = (
            QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard | QMessageBox.StandardButton.Cancel
        )
        answer = QMessageBox.warning(parent, message.title, message.text, buttons, QMessageBox.StandardButton.Save)
        if answer == QMessageBox.StandardButton.Save:
            return SaveChoice.SAVE
        if answer == QMessageBox.StandardButton.Discard:
            return SaveChoice.DISCARD
        return SaveChoice.CANCEL

    def ask_backup(self, parent: QWidget | None, message: Message, folder: Path) -> BackupAnswer:
        dialog = BackupPromptDialog(parent, message.text, folder, message.title)
        dialog.exec()
        return dialog.answer()


@dataclass
class RecordingSink:
    """Records every message; questions are answered from queues (default: yes / cancel)."""

    messages: list[Message] = field(default_factory=list)
    answers: deque[bool] = field(default_factory=deque)
    save_answers: deque[SaveChoice] = field(default_factory=deque)
    backup_answers: deque[BackupAnswer] = field(default_factory=deque)
    default_answer: bool = True

    def show(self, parent: QWidget | None, message: Message) -> None:
        self.messages.append(message)

    def ask(self, parent: QWidget | None, message: Message) -> bool:
        self.messages.append(message)
        return self.answers.popleft() if self.answers else self.default_answer

    def ask_save(self, parent: QWidget | None, message: Message) -> SaveChoice:
        self.messages.append(message)
        return self.save_answers.popleft() if self.save_answers else SaveChoice.CANCEL

    def ask_backup(self, parent: QWidget | None, message: Message, folder: Path) -> BackupAnswer:
        """Queued answers first; otherwise back up (``default_answer``) or quit without one."""
        self.messages.append(message)
        if self.backup_answers:
            return self.backup_answers.popleft()
        return BackupAnswer(BackupChoice.BACKUP if self.default_answer else BackupChoice.QUIT, folder)

    def texts(self, level: Level | None = None) -> list[str]:
        return [m.text for m in self.messages if level is None or m.level is level]


_sink: Sink = DialogSink()


def install(sink: Sink) -> Sink:
    """Route messages to ``sink``; return the previous one so tests can restore it."""
    global _sink
    previous, _sink = _sink, sink
    return previous


def info(parent: QWidget | None, text: str, title: str = APP_TITLE) -> None:
    logger.info("%s", text)
    _sink.show(parent, Message(Level.INFO, title, text))


def warning(parent: QWidget | None, text: str, title: str = APP_TITLE) -> None:
    logger.warning("%s", text)
    _sink.show(parent, Message(Level.WARNING, title, text))


def error(parent: QWidget | None, text: str = "", *, exc: BaseException | None = None, title: str = APP_TITLE) -> None:
    """Show an error; with ``exc`` the text is the error's own sentence (unexpected ones get a traceback)."""
    details = ""
    if exc is not None:
        sentence = describe(exc)
        text = f"{text} {sentence}".strip() if text else sentence
        if not isinstance(exc, WorkbenchError):
            details = "".join(traceback.format_exception(exc))
            logger.error("%s", text, exc_info=exc)
        else:
            logger.warning("%s", text)
    else:
        logger.error("%s", text)
    _sink.show(parent, Message(Level.ERROR, title, text, details))


def ask(parent: QWidget | None, text: str, title: str = APP_TITLE) -> bool:
    logger.info("asking: %s", text)
    return _sink.ask(parent, Message(Level.QUESTION, title, text))


def ask_save(parent: QWidget | None, text: str, title: str = "Unsaved changes") -> SaveChoice:
    logger.info("asking save/discard/cancel: %s", text)
    return _sink.ask_save(parent, Message(Level.QUESTION, title, text))


def ask_backup(parent: QWidget | None, text: str, folder: Path, title: str = "Backup") -> BackupAnswer:
    """Back up into a folder (the officer may choose another), quit without a backup, or cancel quitting."""
    logger.info("asking backup/quit/cancel: %s", text)
    return _sink.ask_backup(parent, Message(Level.QUESTION, title, text), folder)


# Readable error sentences ------------------------------------------------

_FIELD_LABELS = {
    "reference": "Reference",
    "title": "Title",
    "transaction_date": "Transaction date",
    "transaction_type": "Transaction type",
    "export_from": "Export from",
    "destination": "Destination",
    "end_use.description": "End-use description",
    "end_use.ai_model_training": "End use: AI model training",
    "end_use.military": "End use: military",
    "end_use.wmd": "End use: WMD",
    "end_use.iaas": "End use: infrastructure as a service (IaaS)",
    "end_use.nuclear": "End use: nuclear",
    "end_use.missile": "End use: missile",
    "end_use.chem_bio": "End use: chemical or biological weapons",
    "end_use.supercomputer": "End use: supercomputer",
    "end_use.advanced_ic": "End use: advanced-node IC production",
    "end_use.sme": "End use: semiconductor manufacturing equipment",
    "end_use.us_person_support": "End use: U.S.-person support",
    "facts.temporary_purpose": "Temporary export (TMP)",
    "facts.return_by": "Return by",
    "facts.servicing": "Servicing or replacement (RPL)",
    "facts.improves_equipment": "Improves the equipment",
    "facts.original_authorisation": "Earlier export's authority",
    "listed_on": "listed on",
    "prc_advanced_ic": "PRC advanced IC",
    "datacenter": "data centre",
    "notes": "notes",
    "description": "description",
    "name": "name",
    "role": "role",
    "country": "country",
    "headquarters_country": "headquarters country",
    "address": "address",
    "eccn": "ECCN",
    "quantity": "quantity",
    "unit": "unit",
    "unit_value": "unit value",
    "currency": "currency",
    "tpp": "TPP",
    "performance_density": "performance density",
    "ics_per_unit": "ICs per unit",
    "region": "region",
    "country_of_origin": "country of origin",
    "us_content_percent": "US content %",
    "us_technology_product": "US-technology product",
    "us_technology_plant": "US-technology plant",
    "dram_bandwidth": "DRAM bandwidth",
    "encryption": "encryption class",
    "encryption_filed_on": "ENC filing date",
    "manufacturer": "manufacturer",
    "model": "model",
}
_INDEXED = re.compile(r"^(parties|items|documents|red_flags)\[(\d+)\]\.?(.*)$")
_OWNERS = {"parties": "Party", "items": "Item", "documents": "Document", "red_flags": "Red flag"}


def field_label(field_path: str) -> str:
    """``parties[1].country`` -> ``Party 2, country``; ``export_from`` -> ``Export from``."""
    match = _INDEXED.match(field_path)
    if match:
        owner, index, rest = match.groups()
        label = f"{_OWNERS[owner]} {int(index) + 1}"
        return f"{label}, {_FIELD_LABELS.get(rest, rest.replace('_', ' '))}" if rest else label
    label = _FIELD_LABELS.get(field_path, field_path.replace("_", " "))
    return label[:1].upper() + label[1:]


def validation_sentence(exc: ValidationError, *, with_field: bool = True) -> str:
    """One sentence for a validation error, e.g. ``Title is required and cannot be empty.``"""
    message = exc.message.rstrip(".")
    if not with_field or not exc.field:
        sentence = message[:1].upper() + message[1:]
    elif message.startswith(("is ", "must ", "contains ")):
        sentence = f"{field_label(exc.field)} {message}"
    else:
        sentence = f"{field_label(exc.field)}: {message}"
    return sentence + "."


def describe(exc: BaseException) -> str:
    """The sentence the officer sees for ``exc``."""
    if isinstance(exc, ValidationError):
        return validation_sentence(exc)
    if isinstance(exc, WorkbenchError):
        return str(exc)
    if isinstance(exc, OSError):
        where = f" ({exc.filename})" if exc.filename else ""
        return f"The operating system refused the operation{where}: {exc.strerror or exc}."
    return (
        f"Something unexpected went wrong ({type(exc).__name__}: {exc}). "
        f"The details are in the log in {log_dir()}; please report them."
    )


# Crash dialog ----------------------------------------------------------------


def crash_report(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> str:
    return (
        f"Workbench {__version__}\nPython {platform.python_version()} on {platform.platform()}\n"
        f"Qt {qVersion()}, PySide6 {pyside_version}\n\n" + "".join(traceback.format_exception(exc_type, exc, tb))
    )


class CrashDialog(QDialog):
    """Shown for an unhandled exception: what happened, where the log is, and the report to send."""

    def __init__(self, parent: QWidget | None, report: str) -> None:
        super().__init__(parent)
        self.setWindowTitle("The workbench hit an unexpected error")
        self.resize(640, 420)
        label = QLabel(
            "Something went wrong that the workbench did not expect. Unsaved edits are kept as drafts and "
            f"are offered again when you reopen the case. The log is in {log_dir()}.\n\n"
            "Please send the report below to your administrator."
        )
        label.setWordWrap(True)
        details = QPlainTextEdit(report)
        details.setReadOnly(True)
        buttons = QDialogButtonBox()
        buttons.addButton("Keep working", QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton("Quit", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(label)
        layout.addWidget(details)
        layout.addWidget(buttons)


def _excepthook(exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    if issubclass(exc_type, KeyboardInterrupt):
        sys.__excepthook__(exc_type, exc, tb)
        return
    logger.critical("unhandled exception", exc_info=(exc_type, exc, tb))
    report = crash_report(exc_type, exc, tb)
    if isinstance(_sink, DialogSink):
        app = QApplication.instance()
        if app is not None and CrashDialog(QApplication.activeWindow(), report).exec() == QDialog.DialogCode.Accepted:
            QApplication.closeAllWindows()
            QApplication.quit()
        return
    _sink.show(None, Message(Level.CRASH, "Unexpected error", str(exc), report))


def install_excepthook() -> None:
    """Send unhandled exceptions to the crash dialog instead of a console nobody sees."""
    sys.excepthook = _excepthook
