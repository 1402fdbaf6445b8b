"""Typed declarations of every UI setting, and a thin adapter over QSettings.

User choices live in the ``settings`` section; window and table layout in
``persist`` (Picard's split). Each declaration names its default and type once.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Generic, TypeVar

from PySide6.QtCore import QByteArray, QSettings

from workbench.config import DEFAULT_LIST_MAX_AGE_DAYS, data_dir
from workbench.services.screening import DEFAULT_THRESHOLD

T = TypeVar("T", int, bool, str, bytes)

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Setting(Generic[T]):
    section: str
    key: str
    default: T
    title: str = ""
    minimum: int = 0
    maximum: int = 0

    @property
    def path(self) -> str:
        return f"{self.section}/{self.key}"


# User settings (Preferences dialog).
AUTOSAVE_SECONDS = Setting("settings", "autosave_seconds", 60, "Autosave drafts every (seconds)", 5, 3600)
LIST_AGE_WARN_DAYS = Setting(  # the CLI's default too (WORKBENCH_LIST_MAX_AGE_DAYS)
    "settings", "list_age_warn_days", DEFAULT_LIST_MAX_AGE_DAYS, "Warn when screening lists are older than (days)",
    1, 365,
)
BACKUP_REMINDER_DAYS = Setting("settings", "backup_reminder_days", 7, "Offer a backup on quit after (days)", 1, 365)
SCREENING_THRESHOLD = Setting(
    "settings", "screening_threshold", round(DEFAULT_THRESHOLD * 100), "Screening hit threshold (score %)", 50, 100
)
EXPIRY_WARN_DAYS = Setting("settings", "expiry_warn_days", 30, "Warn of documents expiring within (days)", 1, 365)
USER_SETTINGS: tuple[Setting[int], ...] = (
    AUTOSAVE_SECONDS,
    LIST_AGE_WARN_DAYS,
    BACKUP_REMINDER_DAYS,
    SCREENING_THRESHOLD,
    EXPIRY_WARN_DAYS,
)

# Free-text user settings (Preferences dialog, one line edit each); empty means "not set".
OFFICER_NAME = Setting("settings", "officer_name", "", "Officer name")
OFFICER_TITLE = Setting("settings", "officer_title", "", "Officer title")
DEFAULT_KEY_PATH = Setting("settings", "default_key_path", "", "Default signing key file")
DATABASE_URL = Setting("settings", "database_url", "", "Database URL")
TEXT_SETTINGS: tuple[Setting[str], ...] = (OFFICER_NAME, OFFICER_TITLE, DEFAULT_KEY_PATH, DATABASE_URL)

# Persisted window state.
CASELIST_HEADER = Setting("persist", "caselist_header", b"")
WINDOW_GEOMETRY = Setting("persist", "window_geometry", b"")
SPLITTER_STATE = Setting("persist", "splitter_state", b"")  # before 2026-12: sizes even with no case open (unused)
EDITOR_SPLIT = Setting("persist", "editor_split", "")
"""Case list and editor heights ("list,editors") while cases are open; with none open the list takes the room."""
LAST_CASEFILE_DIR = Setting("persist", "last_casefile_dir", "")
LAST_BACKUP_DIR = Setting("persist", "last_backup_dir", "")


def open_settings(path: Path | None = None) -> QSettings:
    """The settings file: ``data_dir()/ui-settings.ini`` unless ``path`` is given."""
    settings = QSettings(str(path or data_dir() / "ui-settings.ini"), QSettings.Format.IniFormat)
    if settings.value("meta/schema") is None:
        settings.setValue("meta/schema", SCHEMA_VERSION)
    return settings


class UiSettings:
    """Reads and writes declared settings with their types; bad stored values fall back to the default."""

    def __init__(self, store: QSettings) -> None:
        self.store = store

    def get(self, setting: Setting[T]) -> T:
        raw = self.store.value(setting.path)
        if raw is None:
            return setting.default
        default = setting.default
        try:
            if isinstance(default, bool):
                value: object = raw if isinstance(raw, bool) else str(raw).lower() in {"1", "true", "yes"}
            elif isinstance(default, int):
                value = int(raw)
                if setting.maximum and not setting.minimum <= int(value) <= setting.maximum:
                    return default
            elif isinstance(default, bytes):
                value = bytes(raw.data()) if isinstance(raw, QByteArray) else bytes(raw)
            else:
                value = str(raw)
        except (TypeError, ValueError):
            return default
        return value  # type: ignore[return-value]

    def set(self, setting: Setting[T], value: T) -> None:
        self.store.setValue(setting.path, QByteArray(value) if isinstance(value, bytes) else value)
