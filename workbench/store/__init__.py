"""SQLAlchemy persistence: tables, repositories, unit of work, migrations."""

from workbench.store.db import Database, open_database

__all__ = ["Database", "open_database"]
