"""entity mention keys

Each entity mention keeps the key and name it was extracted with, so that which entity it
belongs to (a surname joins the one full name of that surname; reviewers' overrides) is
settled again from the stored mentions whenever they change, in any order of ingest.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 22:40:00
"""
from alembic import op
import sqlalchemy as sa


revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('entity_mentions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('key', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('name', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('surname', sa.String(length=200), nullable=True))
        batch_op.create_index('ix_entity_mentions_key', ['key'])
        batch_op.create_index('ix_entity_mentions_surname', ['surname'])
    # Mentions stored before: the best that is known is their entity's key and name. Their
    # documents are extracted again on the next ingest (the fingerprint changed with this).
    mentions = sa.table('entity_mentions', sa.column('entity_id', sa.String),
                        sa.column('key', sa.String), sa.column('name', sa.Text))
    entities = sa.table('entities', sa.column('id', sa.String), sa.column('key', sa.String),
                        sa.column('name', sa.Text))
    conn = op.get_bind()
    for eid, key, name in conn.execute(sa.select(entities.c.id, entities.c.key, entities.c.name)).all():
        conn.execute(mentions.update().where(mentions.c.entity_id == eid).values(key=key, name=name))


def downgrade() -> None:
    with op.batch_alter_table('entity_mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_entity_mentions_surname')
        batch_op.drop_index('ix_entity_mentions_key')
        batch_op.drop_column('surname')
        batch_op.drop_column('name')
        batch_op.drop_column('key')
