"""every case party becomes a register party; case parties record which register address applies; party documents

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
    # A plain ADD COLUMN (no table rebuild): the column is nullable and has no constraint.
    op.add_column('parties', sa.Column('register_address', sa.Integer(), nullable=True))
    op.create_table('party_documents',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('party_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('filename', sa.String(length=255), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('issuer', sa.String(length=500), nullable=False),
        sa.Column('signatory_name', sa.String(length=500), nullable=False),
        sa.Column('signatory_title', sa.String(length=500), nullable=False),
        sa.Column('signed_date', sa.Date(), nullable=True),
        sa.Column('valid_from', sa.Date(), nullable=True),
        sa.Column('valid_until', sa.Date(), nullable=True),
        sa.Column('assurances', sa.JSON(), nullable=False),
        sa.Column('note', sa.Text(), nullable=False),
        sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
        sa.Column('added_by', sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(['party_id'], ['register_parties.id'], name=op.f('fk_party_documents_party_id_register_parties'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_party_documents')),
        sa.UniqueConstraint('party_id', 'sha256', name=op.f('uq_party_documents_party_id')),
    )
    op.create_index(op.f('ix_party_documents_party_id'), 'party_documents', ['party_id'], unique=False)
    upgrade_case_parties(op.get_bind())


def downgrade() -> None:
    op.drop_index(op.f('ix_party_documents_party_id'), table_name='party_documents')
    op.drop_table('party_documents')
    # The register parties made from case parties stay, and so do the links (revision 0012 has
    # the register_id column): upgrading again does not create them twice.
    with op.batch_alter_table('parties') as batch:
        batch.drop_column('register_address')
