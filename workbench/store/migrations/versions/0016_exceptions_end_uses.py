"""part 744 end uses on cases; encryption class, ENC filing date and DRAM bandwidth on items (issue #17)

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-03 14:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0016'
down_revision: str | None = '0014'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_END_USES = ('nuclear', 'missile', 'chem_bio', 'supercomputer', 'advanced_ic', 'sme', 'us_person_support')


def upgrade() -> None:
    # Cases stored before recorded none of these end uses: false keeps them exactly as they were.
    # Plain ADD COLUMN, not a batch copy: on SQLite a batch rebuilds the table and drops the triggers
    # that keep the case search index (0006) in step.
    for name in _END_USES:
        op.add_column('cases', sa.Column(f'end_use_{name}', sa.Boolean(), nullable=False, server_default=sa.false()))
    # Items stored before have no encryption class, filing date or DRAM bandwidth recorded: NULL. Plain ADD
    # COLUMN again: a batch copy would also rewrite the table's constraints in an order that varies by run.
    op.add_column('items', sa.Column('dram_bandwidth', sa.Float(), nullable=True))
    op.add_column('items', sa.Column('encryption', sa.String(length=20), nullable=True))
    op.add_column('items', sa.Column('encryption_filed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    for name in ('encryption_filed_on', 'encryption', 'dram_bandwidth'):
        op.drop_column('items', name)
    for name in reversed(_END_USES):
        op.drop_column('cases', f'end_use_{name}')
