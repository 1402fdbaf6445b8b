"""licences

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-28 14:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('licences',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('number', sa.String(length=40), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('exception_symbol', sa.String(length=3), nullable=True),
    sa.Column('valid_from', sa.Date(), nullable=False),
    sa.Column('valid_until', sa.Date(), nullable=True),
    sa.Column('destination', sa.String(length=2), nullable=False),
    sa.Column('conditions', sa.Text(), nullable=False),
    sa.Column('application_reference', sa.String(length=500), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licences')),
    sa.UniqueConstraint('number', name=op.f('uq_licences_number'))
    )
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licences_destination'), ['destination'], unique=False)

    op.create_table('licence_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('eccn', sa.String(length=40), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('unit_basis', sa.String(length=20), nullable=False),
    sa.Column('quantity_limit', sa.String(length=40), nullable=True),
    sa.Column('value_limit', sa.String(length=40), nullable=True),
    sa.Column('currency', sa.String(length=3), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_items_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_items')),
    sa.UniqueConstraint('licence_id', 'line', name=op.f('uq_licence_items_licence_id'))
    )
    with op.batch_alter_table('licence_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_items_licence_id'), ['licence_id'], unique=False)

    op.create_table('licence_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=30), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_parties_licence_id_licences'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_parties')),
    sa.UniqueConstraint('licence_id', 'position', name=op.f('uq_licence_parties_licence_id'))
    )
    with op.batch_alter_table('licence_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_parties_licence_id'), ['licence_id'], unique=False)

    op.create_table('licence_shipments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('licence_id', sa.Integer(), nullable=False),
    sa.Column('line', sa.Integer(), nullable=False),
    sa.Column('case_reference', sa.String(length=64), nullable=False),
    sa.Column('quantity', sa.String(length=40), nullable=False),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('shipped_on', sa.Date(), nullable=False),
    sa.Column('officer', sa.String(length=200), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['licence_id'], ['licences.id'], name=op.f('fk_licence_shipments_licence_id_licences')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_licence_shipments'))
    )
    with op.batch_alter_table('licence_shipments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_licence_shipments_case_reference'), ['case_reference'], unique=False)
        batch_op.create_index(batch_op.f('ix_licence_shipments_licence_id'), ['licence_id'], unique=False)
        batch_op.create_index('ix_licence_shipments_line', ['licence_id', 'line'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('licence_shipments', schema=None) as batch_op:
        batch_op.drop_index('ix_licence_shipments_line')
        batch_op.drop_index(batch_op.f('ix_licence_shipments_licence_id'))
        batch_op.drop_index(batch_op.f('ix_licence_shipments_case_reference'))

    op.drop_table('licence_shipments')
    with op.batch_alter_table('licence_parties', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_parties_licence_id'))

    op.drop_table('licence_parties')
    with op.batch_alter_table('licence_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licence_items_licence_id'))

    op.drop_table('licence_items')
    with op.batch_alter_table('licences', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_licences_destination'))

    op.drop_table('licences')
