"""items record the foreign direct product facts: US-technology direct product, US-technology plant

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-03 14:10:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0017'
down_revision: str | None = '0016'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # NULL for items stored before: the facts are not known (the engine asks when a rule would reach the item).
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('us_technology_product', sa.Boolean(), nullable=True))
        batch.add_column(sa.Column('us_technology_plant', sa.Boolean(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_column('us_technology_plant')
        batch.drop_column('us_technology_product')
