"""counterparty register: parties, identifiers, ownership stakes, party screening, search index

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 08:00:00.000000

New tables only; nothing existing is changed, so the revision this one follows can be
re-pointed (down_revision) without touching anything else.
"""
from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from workbench.store.register_search import create_party_search_index, drop_party_search_index

revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('register_parties',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.String(length=20), nullable=False),
    sa.Column('name', sa.String(length=500), nullable=False),
    sa.Column('name_key', sa.String(length=500), nullable=False),
    sa.Column('country', sa.String(length=2), nullable=False),
    sa.Column('headquarters_country', sa.String(length=2), nullable=True),
    sa.Column('other_names', sa.JSON(), nullable=False),
    sa.Column('addresses', sa.JSON(), nullable=False),
    sa.Column('website', sa.String(length=300), nullable=False),
    sa.Column('notes', sa.Text(), nullable=False),
    sa.Column('kyc_status', sa.String(length=20), nullable=False),
    sa.Column('kyc_date', sa.Date(), nullable=True),
    sa.Column('kyc_officer', sa.String(length=200), nullable=False),
    sa.Column('kyc_note', sa.Text(), nullable=False),
    sa.Column('listed_on', sa.JSON(), nullable=False),
    sa.Column('fingerprint', sa.String(length=64), nullable=False),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('version', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_parties'))
    )
    with op.batch_alter_table('register_parties', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_parties_name_key'), ['name_key'], unique=False)
        batch_op.create_index(batch_op.f('ix_register_parties_kyc_status'), ['kyc_status'], unique=False)
        batch_op.create_index('ix_register_parties_country_name', ['country', 'name_key'], unique=False)

    op.create_table('register_identifiers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('position', sa.Integer(), nullable=False),
    sa.Column('scheme', sa.String(length=20), nullable=False),
    sa.Column('label', sa.String(length=60), nullable=False),
    sa.Column('value', sa.String(length=100), nullable=False),
    sa.Column('value_key', sa.String(length=100), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['register_parties.id'], name=op.f('fk_register_identifiers_party_id_register_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_register_identifiers')),
    sa.UniqueConstraint('party_id', 'position', name=op.f('uq_register_identifiers_party_id'))
    )
    with op.batch_alter_table('register_identifiers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_register_identifiers_party_id'), ['party_id'], unique=False)
        batch_op.create_index('ix_register_identifiers_lookup', ['scheme', 'value_key'], unique=False)

    op.create_table('ownership_stakes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('owned_id', sa.Integer(), nullable=False),
    sa.Column('percent', sa.String(length=40), nullable=True),
    sa.Column('as_of', sa.Date(), nullable=False),
    sa.Column('document_sha256', sa.String(length=64), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('recorded_by', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['owned_id'], ['register_parties.id'], name=op.f('fk_ownership_stakes_owned_id_register_parties')),
    sa.ForeignKeyConstraint(['owner_id'], ['register_parties.id'], name=op.f('fk_ownership_stakes_owner_id_register_parties')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ownership_stakes')),
    sa.UniqueConstraint('owner_id', 'owned_id', name=op.f('uq_ownership_stakes_owner_id'))
    )
    with op.batch_alter_table('ownership_stakes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ownership_stakes_owned_id'), ['owned_id'], unique=False)

    op.create_table('party_screening_runs',
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('list_version_id', sa.Integer(), nullable=False),
    sa.Column('party_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('officer', sa.String(length=200), nullable=False),
    sa.ForeignKeyConstraint(['list_version_id'], ['list_versions.id'], name=op.f('fk_party_screening_runs_list_version_id_list_versions')),
    sa.ForeignKeyConstraint(['party_id'], ['register_parties.id'], name=op.f('fk_party_screening_runs_party_id_register_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('party_id', name=op.f('pk_party_screening_runs'))
    )

    op.create_table('party_screening_hits',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('list_version_id', sa.Integer(), nullable=False),
    sa.Column('entry_id', sa.String(length=100), nullable=False),
    sa.Column('source_code', sa.String(length=40), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('entry_name', sa.Text(), nullable=False),
    sa.Column('matched_name', sa.Text(), nullable=False),
    sa.Column('score', sa.Float(), nullable=False),
    sa.Column('party_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('explanation', sa.JSON(), nullable=False),
    sa.Column('screened_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['list_version_id'], ['list_versions.id'], name=op.f('fk_party_screening_hits_list_version_id_list_versions')),
    sa.ForeignKeyConstraint(['party_id'], ['register_parties.id'], name=op.f('fk_party_screening_hits_party_id_register_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_screening_hits'))
    )
    with op.batch_alter_table('party_screening_hits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_party_screening_hits_party_id'), ['party_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_party_screening_hits_score'), ['score'], unique=False)

    op.create_table('party_dispositions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('party_id', sa.Integer(), nullable=False),
    sa.Column('source_code', sa.String(length=40), nullable=False),
    sa.Column('entry_id', sa.String(length=100), nullable=False),
    sa.Column('content_hash', sa.String(length=64), nullable=False),
    sa.Column('party_fingerprint', sa.String(length=64), nullable=False),
    sa.Column('decision', sa.String(length=20), nullable=False),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('officer', sa.String(length=200), nullable=False),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['party_id'], ['register_parties.id'], name=op.f('fk_party_dispositions_party_id_register_parties'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_party_dispositions')),
    sa.UniqueConstraint('party_id', 'source_code', 'entry_id', 'content_hash', 'party_fingerprint', name=op.f('uq_party_dispositions_party_id'))
    )

    create_party_search_index(op.get_bind())


def downgrade() -> None:
    drop_party_search_index(op.get_bind())
    op.drop_table('party_dispositions')
    with op.batch_alter_table('party_screening_hits', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_party_screening_hits_score'))
        batch_op.drop_index(batch_op.f('ix_party_screening_hits_party_id'))
    op.drop_table('party_screening_hits')
    op.drop_table('party_screening_runs')
    with op.batch_alter_table('ownership_stakes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ownership_stakes_owned_id'))
    op.drop_table('ownership_stakes')
    with op.batch_alter_table('register_identifiers', schema=None) as batch_op:
        batch_op.drop_index('ix_register_identifiers_lookup')
        batch_op.drop_index(batch_op.f('ix_register_identifiers_party_id'))
    op.drop_table('register_identifiers')
    with op.batch_alter_table('register_parties', schema=None) as batch_op:
        batch_op.drop_index('ix_register_parties_country_name')
        batch_op.drop_index(batch_op.f('ix_register_parties_kyc_status'))
        batch_op.drop_index(batch_op.f('ix_register_parties_name_key'))
    op.drop_table('register_parties')
