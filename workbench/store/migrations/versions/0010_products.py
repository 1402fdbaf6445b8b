"""product library: products, their documents, and the product search index

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-03 08:00:00.000000
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workbench.store.product_search import create_product_search_index, drop_product_search_index

revision: str = '0010'
# Written beside 0008 (screening) and 0009 (register): the integrator re-points this one line at merge.
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('products',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('part_number', sa.String(length=100), nullable=False),
    sa.Column('part_key', sa.String(length=100), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('manufacturer', sa.String(length=500), nullable=False),
    sa.Column('model', sa.String(length=500), nullable=False),
    sa.Column('eccn', sa.String(length=40), nullable=True),
    sa.Column('paragraph', sa.Text(), nullable=False),
    sa.Column('reasoning', sa.Text(), nullable=False),
    sa.Column('tpp', sa.Float(), nullable=True),
    sa.Column('performance_density', sa.Float(), nullable=True),
    sa.Column('ics_per_unit', sa.Integer(), nullable=False),
    sa.Column('datacenter', sa.Boolean(), nullable=False),
    sa.Column('prc_advanced_ic', sa.Boolean(), nullable=False),
    sa.Column('dram_bandwidth', sa.Float(), nullable=True),
    sa.Column('memory_bandwidth_density', sa.Float(), nullable=True),
    sa.Column('country_of_origin', sa.String(length=2), nullable=True),
    sa.Column('ccats_number', sa.String(length=20), nullable=False),
    sa.Column('ccats_date', sa.Date(), nullable=True),
    sa.Column('status', sa.String(length=20), nullable=False),
    sa.Column('approved_by', sa.String(length=200), nullable=False),
    sa.Column('approved_on', sa.Date(), nullable=True),
    sa.Column('proposed_eccn', sa.String(length=40), nullable=True),
    sa.Column('conflict', sa.Text(), nullable=True),
    sa.Column('has_conflict', sa.Boolean(), nullable=False),
    sa.Column('review_explanation', sa.Text(), nullable=False),
    sa.Column('review_digest', sa.String(length=64), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_products')),
    sa.UniqueConstraint('part_key', name=op.f('uq_products_part_key'))
    )
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_products_eccn'), ['eccn'], unique=False)
        batch_op.create_index('ix_products_conflict_part', ['has_conflict', 'part_key'], unique=False)
        batch_op.create_index('ix_products_status_part', ['status', 'part_key'], unique=False)
        batch_op.create_index('ix_products_manufacturer_model', ['manufacturer', 'model'], unique=False)

    op.create_table('product_documents',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('product_id', sa.Integer(), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('filename', sa.String(length=255), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('added_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('added_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['product_id'], ['products.id'], name=op.f('fk_product_documents_product_id_products'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_product_documents')),
    sa.UniqueConstraint('product_id', 'sha256', name=op.f('uq_product_documents_product_id'))
    )
    with op.batch_alter_table('product_documents', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_product_documents_product_id'), ['product_id'], unique=False)

    create_product_search_index(op.get_bind())


def downgrade() -> None:
    drop_product_search_index(op.get_bind())
    with op.batch_alter_table('product_documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_product_documents_product_id'))

    op.drop_table('product_documents')
    with op.batch_alter_table('products', schema=None) as batch_op:
        batch_op.drop_index('ix_products_manufacturer_model')
        batch_op.drop_index('ix_products_status_part')
        batch_op.drop_index('ix_products_conflict_part')
        batch_op.drop_index(batch_op.f('ix_products_eccn'))

    op.drop_table('products')
