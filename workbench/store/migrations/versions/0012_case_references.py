"""case parties reference register parties, items reference products; region, origin, US content

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 13:50:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Every new column is NULL for rows stored before: not referenced, region and origin not recorded.
    with op.batch_alter_table('parties') as batch:
        batch.add_column(sa.Column('region', sa.String(length=6), nullable=True))
        batch.add_column(sa.Column('register_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f('fk_parties_register_id_register_parties'), 'register_parties', ['register_id'], ['id'],
            ondelete='RESTRICT',
        )
        batch.create_index(batch.f('ix_parties_register_id'), ['register_id'], unique=False)
    with op.batch_alter_table('items') as batch:
        batch.add_column(sa.Column('country_of_origin', sa.String(length=2), nullable=True))
        batch.add_column(sa.Column('us_content_percent', sa.String(length=40), nullable=True))
        batch.add_column(sa.Column('product_id', sa.Integer(), nullable=True))
        batch.create_foreign_key(
            batch.f('fk_items_product_id_products'), 'products', ['product_id'], ['id'], ondelete='RESTRICT'
        )
        batch.create_index(batch.f('ix_items_product_id'), ['product_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('items') as batch:
        batch.drop_index(batch.f('ix_items_product_id'))
        batch.drop_constraint(batch.f('fk_items_product_id_products'), type_='foreignkey')
        batch.drop_column('product_id')
        batch.drop_column('us_content_percent')
        batch.drop_column('country_of_origin')
    with op.batch_alter_table('parties') as batch:
        batch.drop_index(batch.f('ix_parties_register_id'))
        batch.drop_constraint(batch.f('fk_parties_register_id_register_parties'), type_='foreignkey')
        batch.drop_column('register_id')
        batch.drop_column('region')
