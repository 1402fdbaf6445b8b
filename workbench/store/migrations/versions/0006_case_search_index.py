"""case search index (SQLite FTS5 trigram, PostgreSQL pg_trgm)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-28 18:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

from alembic import op

from workbench.store.search import create_search_index, drop_search_index

revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_search_index(op.get_bind())


def downgrade() -> None:
    drop_search_index(op.get_bind())
