"""Where the workbench keeps its data, resolved once and overridable for tests and teams."""

from __future__ import annotations

import getpass
import os
from pathlib import Path

import platformdirs

APP_NAME = "export-compliance-workbench"
ENV_DB = "WORKBENCH_DB"
ENV_DATA_DIR = "WORKBENCH_DATA_DIR"
ENV_OFFICER = "WORKBENCH_OFFICER"
ENV_LIST_MAX_AGE = "WORKBENCH_LIST_MAX_AGE_DAYS"
DEFAULT_LIST_MAX_AGE_DAYS = 30


def data_dir() -> Path:
    """The per-user data directory (``WORKBENCH_DATA_DIR`` overrides it)."""
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    return path


def default_database_url() -> str:
    """SQLite in the data directory unless ``WORKBENCH_DB`` names another SQLAlchemy URL."""
    url = os.environ.get(ENV_DB)
    if url:
        return url
    return f"sqlite:///{data_dir() / 'workbench.sqlite3'}"


def log_dir() -> Path:
    return data_dir() / "logs"


def officer_name() -> str:
    """Who is working: ``WORKBENCH_OFFICER``, else the operating-system account name."""
    name = os.environ.get(ENV_OFFICER, "").strip()
    if name:
        return name
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "unknown officer"


def list_max_age_days() -> int:
    """Warn when the active restricted-party list is older than this (``WORKBENCH_LIST_MAX_AGE_DAYS``)."""
    try:
        return max(1, int(os.environ.get(ENV_LIST_MAX_AGE, DEFAULT_LIST_MAX_AGE_DAYS)))
    except ValueError:
        return DEFAULT_LIST_MAX_AGE_DAYS
