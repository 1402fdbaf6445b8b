"""register search: a (name, search text) index for words too short for the trigram index (SQLite)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 14:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from workbench.store.register_search import PARTY_NAME_SEARCH_INDEX, create_party_name_index


revision: str = '0014'
down_revision: str | None = '0013'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Outside the ORM metadata like the trigram index (workbench.store.register_search); SQLite only.
    create_party_name_index(op.get_bind())


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"DROP INDEX IF EXISTS {PARTY_NAME_SEARCH_INDEX}")
