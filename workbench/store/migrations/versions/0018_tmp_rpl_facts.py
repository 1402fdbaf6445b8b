"""cases record the TMP and RPL transaction facts: temporary export purpose, return date, servicing (issue #17)

Revision ID: 0018
Revises: 0015
Create Date: 2026-12-04 10:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0018'
down_revision: str | None = '0015'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Cases stored before recorded none of these facts: NULL (and an empty authorisation) reads back as
    # "not recorded", so they judge as they did. Plain ADD COLUMN, not a batch copy: on SQLite a batch
    # rebuilds the table and drops the triggers that keep the case search index (0006) in step.
    op.add_column('cases', sa.Column('temporary_purpose', sa.String(length=30), nullable=True))
    op.add_column('cases', sa.Column('return_by', sa.Date(), nullable=True))
    op.add_column('cases', sa.Column('servicing', sa.String(length=30), nullable=True))
    op.add_column('cases', sa.Column('improves_equipment', sa.Boolean(), nullable=True))
    op.add_column(
        'cases', sa.Column('original_authorisation', sa.String(length=200), nullable=False, server_default='')
    )


def downgrade() -> None:
    for name in ('original_authorisation', 'improves_equipment', 'servicing', 'return_by', 'temporary_purpose'):
        op.drop_column('cases', name)
