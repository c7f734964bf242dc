"""mention grouping index

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 04:40:00
"""
from alembic import op
import sqlalchemy as sa

from strikewatch.merge.cluster import blocking_key, is_wide, node_dates


revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('event_mentions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('block_key', sa.String(length=400), nullable=True))
        batch_op.add_column(sa.Column('date_lo', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('date_hi', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('anchored', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.add_column(sa.Column('wide', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))
        batch_op.create_index('ix_event_mentions_block_dates', ['block_key', 'wide', 'date_lo'],
                              unique=False)
    mentions = sa.table('event_mentions', sa.column('id', sa.String), sa.column('type', sa.String),
                        sa.column('workplace', sa.JSON), sa.column('location', sa.JSON),
                        sa.column('date', sa.JSON), sa.column('block_key', sa.String),
                        sa.column('date_lo', sa.Date), sa.column('date_hi', sa.Date),
                        sa.column('anchored', sa.Boolean), sa.column('wide', sa.Boolean))
    conn = op.get_bind()
    rows = conn.execute(sa.select(mentions.c.id, mentions.c.type, mentions.c.workplace,
                                  mentions.c.location, mentions.c.date)).all()
    values = []
    for mid, type_, workplace, location, when in rows:
        lo, hi, anchored = node_dates(when)
        values.append({"mid": mid, "block_key": blocking_key(type=type_, workplace=workplace,
                                                            location=location),
                       "date_lo": lo, "date_hi": hi, "anchored": anchored,
                       "wide": is_wide(lo, hi)})
    if values:
        conn.execute(mentions.update().where(mentions.c.id == sa.bindparam("mid"))
                     .values(block_key=sa.bindparam("block_key"), date_lo=sa.bindparam("date_lo"),
                             date_hi=sa.bindparam("date_hi"), anchored=sa.bindparam("anchored"),
                             wide=sa.bindparam("wide")),
                     values)


def downgrade() -> None:
    with op.batch_alter_table('event_mentions', schema=None) as batch_op:
        batch_op.drop_index('ix_event_mentions_block_dates')
        batch_op.drop_column('wide')
        batch_op.drop_column('anchored')
        batch_op.drop_column('date_hi')
        batch_op.drop_column('date_lo')
        batch_op.drop_column('block_key')
