"""review and accounts

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22 05:20:00
"""
from alembic import op
import sqlalchemy as sa

from strikewatch.merge.events import NO_DATE, search_text


revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table('event_overrides',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('mention_id', sa.String(length=64), nullable=False),
    sa.Column('field', sa.String(length=32), nullable=False),
    sa.Column('value', sa.JSON(), nullable=True),
    sa.Column('actor', sa.String(length=200), nullable=False),
    sa.Column('at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id')
    )
    op.create_index('ix_event_overrides_mention_id', 'event_overrides', ['mention_id'])
    op.create_table('users',
    sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
    sa.Column('name', sa.String(length=100), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.PrimaryKeyConstraint('id'),
    sa.UniqueConstraint('name')
    )
    op.create_table('sessions',
    sa.Column('token_hash', sa.String(length=64), nullable=False),
    sa.Column('user_id', sa.Integer(), nullable=False),
    sa.Column('csrf', sa.String(length=64), nullable=False),
    sa.Column('expires_at', sa.DateTime(), nullable=False),
    sa.ForeignKeyConstraint(['user_id'], ['users.id'], ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('token_hash')
    )
    op.create_index('ix_sessions_user_id', 'sessions', ['user_id'])
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.add_column(sa.Column('verified_at', sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column('search_text', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('sort_date', sa.Date(), nullable=True))
        batch_op.create_index('ix_events_status_date', ['review_status', 'sort_date', 'id'])
        batch_op.create_index('ix_events_sort_date', ['sort_date', 'id'])
    events = sa.table('events', sa.column('id', sa.String), sa.column('type', sa.String),
                      sa.column('workplace_name', sa.Text), sa.column('place_name', sa.Text),
                      sa.column('admin1', sa.Text), sa.column('actors', sa.JSON),
                      sa.column('demands', sa.JSON), sa.column('search_text', sa.Text),
                      sa.column('date_start', sa.Date), sa.column('sort_date', sa.Date))
    conn = op.get_bind()
    rows = conn.execute(sa.select(events.c.id, events.c.type, events.c.workplace_name,
                                  events.c.place_name, events.c.admin1, events.c.actors,
                                  events.c.demands, events.c.date_start)).all()
    values = [{"eid": r[0], "sort": r[7] or NO_DATE, "search_text": search_text(dict(
        type=r[1], workplace_name=r[2], place_name=r[3], admin1=r[4], actors=r[5] or [],
        demands=r[6] or []))} for r in rows]
    if values:
        conn.execute(events.update().where(events.c.id == sa.bindparam("eid"))
                     .values(search_text=sa.bindparam("search_text"),
                             sort_date=sa.bindparam("sort")), values)


def downgrade() -> None:
    with op.batch_alter_table('events', schema=None) as batch_op:
        batch_op.drop_index('ix_events_sort_date')
        batch_op.drop_index('ix_events_status_date')
        batch_op.drop_column('sort_date')
        batch_op.drop_column('search_text')
        batch_op.drop_column('verified_at')
    op.drop_index('ix_sessions_user_id', table_name='sessions')
    op.drop_table('sessions')
    op.drop_table('users')
    op.drop_index('ix_event_overrides_mention_id', table_name='event_overrides')
    op.drop_table('event_overrides')
