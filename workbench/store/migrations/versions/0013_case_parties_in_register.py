"""every case party becomes a register party; case parties record which register address applies

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 14:00:00.000000

Identical case parties (normalised name, country, address, and the same kind, headquarters and
lists) merge into one register party; nothing that differs merges. The report is in the audit
chain (entity ``upgrade``, key ``0013``): ``workbench-cli maintenance upgrade-report``.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workbench.store.register_upgrade import upgrade_case_parties

revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('parties') as batch:
        batch.add_column(sa.Column('register_address', sa.Integer(), nullable=True))
    upgrade_case_parties(op.get_bind())


def downgrade() -> None:
    # The register parties made from case parties stay, and so do the links (revision 0012 has
    # the register_id column): upgrading again does not create them twice.
    with op.batch_alter_table('parties') as batch:
        batch.drop_column('register_address')
