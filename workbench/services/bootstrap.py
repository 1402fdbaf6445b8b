"""Composition root: open the database and hand out the services bound to it."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from workbench.config import default_database_url, officer_name
from workbench.domain.errors import ValidationError, WorkbenchError
from workbench.domain.ports import UnitOfWork
from workbench.rules.data import activate_rule_data
from workbench.screening.matcher import DEFAULT_THRESHOLD
from workbench.store import Database, open_database

logger = logging.getLogger(__name__)


@dataclass
class Workbench:
    """A session of work on one database; every use case takes it as its first argument."""

    database: Database
    officer: str
    # The cut-off for a screening hit when this session screens cases (Preferences in the app).
    screening_threshold: float = DEFAULT_THRESHOLD
    # Set when the database's rule pack or amendments could not be applied at open.
    rules_problem: str | None = None
    # The officer's title (Preferences): signs the BIS-748P drafts (Block 25) with the name.
    officer_title: str = ""

    def set_screening_threshold(self, value: float) -> None:
        """Lower finds more variants and raises more false alarms; below 0.5 every name would alert."""
        if not 0.5 <= value <= 1:
            raise ValidationError("screening threshold", f"must be between 0.50 and 1.00 (got {value:.2f})")
        self.screening_threshold = value

    def uow(self) -> UnitOfWork:
        return self.database.uow(self.officer)

    @property
    def database_label(self) -> str:
        return self.database.display_url

    def close(self) -> None:
        activate_rule_data(None)  # the next database opened brings its own rule data
        self.database.dispose()


def open_workbench(url: str | None = None, officer: str | None = None) -> Workbench:
    """Open the workbench on ``url`` (default: ``WORKBENCH_DB`` or SQLite in the data directory).

    ``officer`` names who makes the changes recorded in the audit log.
    """
    url = url or default_database_url()
    database = open_database(url)
    logger.info("opened database %s", database.display_url)  # never the password
    workbench = Workbench(database=database, officer=(officer or officer_name()).strip()[:200])
    from workbench.services.rules import apply_active_rules  # the rules service builds on this module

    try:
        apply_active_rules(workbench)
    except WorkbenchError as exc:
        # A stored pack or amendment that no longer applies must not lock the officer out: the
        # shipped data stays in force, and every check says so until it is put right.
        logger.error("the database's rule data could not be applied: %s", exc)
        workbench.rules_problem = f"The active rule data could not be applied ({exc}); the shipped pack 1 is used."
    return workbench
