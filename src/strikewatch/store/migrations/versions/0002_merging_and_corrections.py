"""merging and corrections

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 01:14:22.912864
"""
from alembic import op
import sqlalchemy as sa


revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('audit_log',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('action', sa.String(length=32), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.Column('before', sa.JSON(), nullable=True),
    sa.Column('after', sa.JSON(), nullable=True),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_table('entity_overrides',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('source', sa.String(length=600), nullable=False),
    sa.Column('target', sa.String(length=300), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('source')
    )
    op.create_table('mention_links',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('kind', sa.String(length=8), nullable=False),
    sa.Column('mention_a', sa.String(length=64), nullable=False),
    sa.Column('mention_b', sa.String(length=64), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('kind', 'mention_a', 'mention_b')
    )
    with op.batch_alter_table('mention_links', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_mention_links_mention_a'), ['mention_a'], unique=False)
        batch_op.create_index(batch_op.f('ix_mention_links_mention_b'), ['mention_b'], unique=False)

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.add_column(sa.Column('copy_of', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('signature', sa.JSON(), nullable=True))
        batch_op.create_index(batch_op.f('ix_documents_copy_of'), ['copy_of'], unique=False)

    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('block_key', sa.String(length=400), nullable=True))
        batch_op.create_index(batch_op.f('ix_events_block_key'), ['block_key'], unique=False)



def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_events_block_key'))
        batch_op.drop_column('block_key')

    with op.batch_alter_table('documents', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_documents_copy_of'))
        batch_op.drop_column('signature')
        batch_op.drop_column('copy_of')

    with op.batch_alter_table('mention_links', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_mention_links_mention_b'))
        batch_op.drop_index(batch_op.f('ix_mention_links_mention_a'))

    op.drop_table('mention_links')
    op.drop_table('entity_overrides')
    op.drop_table('audit_log')
