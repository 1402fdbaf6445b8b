"""items: advanced ICs per unit

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-28 18:15:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing items were recorded one IC per unit: the server default keeps them exactly as they were.
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('ics_per_unit', sa.Integer(), nullable=False, server_default='1'))


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_column('ics_per_unit')
