"""parties: kind (organisation, individual, vessel, aircraft)

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-03 08:30:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Parties stored before the kind was recorded keep it unknown (NULL): screening by name only.
    with op.batch_alter_table('parties') as batch:
        batch.add_column(sa.Column('kind', sa.String(length=20), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('parties') as batch:
        batch.drop_column('kind')
