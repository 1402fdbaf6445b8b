"""Autogenerate an Alembic migration against a scratch SQLite database at the current head.

Usage: python tools/new_migration.py "message"
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from alembic import command

from workbench.store.db import alembic_config, create_database_engine, upgrade_schema


def main() -> None:
    message = sys.argv[1] if len(sys.argv) > 1 else "schema change"
    with tempfile.TemporaryDirectory() as tmp:
        engine = create_database_engine(f"sqlite:///{Path(tmp) / 'scratch.sqlite3'}")
        upgrade_schema(engine)
        command.revision(alembic_config(engine), message=message, autogenerate=True)
        engine.dispose()


if __name__ == "__main__":
    main()
