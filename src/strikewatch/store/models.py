"""SQLAlchemy models: documents, event mentions, events, claims, entities, aliases, sources.

The schema is created and changed only through the Alembic migrations beside this module.
"""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


class Source(Base):
    """An outlet that publishes reports."""

    __tablename__ = "sources"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(300), unique=True)


class DocumentRow(Base):
    __tablename__ = "documents"
    id: Mapped[str] = mapped_column(String(200), primary_key=True)
    source_id: Mapped[int | None] = mapped_column(ForeignKey("sources.id"))
    origin: Mapped[str] = mapped_column(Text, default="")
    title: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)
    publisher: Mapped[str | None] = mapped_column(Text)
    published: Mapped[date | None] = mapped_column(Date)
    language: Mapped[str] = mapped_column(String(16), default="en")
    content_hash: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(Text)
    copy_of: Mapped[str | None] = mapped_column(String(200), index=True)
    signature: Mapped[dict | None] = mapped_column(JSON)
    ingested_at: Mapped[datetime] = mapped_column(DateTime)


class EventRow(Base):
    __tablename__ = "events"
    __table_args__ = (Index("ix_events_status_date", "review_status", "sort_date", "id"),
                      Index("ix_events_sort_date", "sort_date", "id"))
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    workplace_name: Mapped[str | None] = mapped_column(Text)
    workplace_entity: Mapped[str | None] = mapped_column(String(64), index=True)
    actors: Mapped[list] = mapped_column(JSON, default=list)
    place_name: Mapped[str | None] = mapped_column(Text)
    admin1: Mapped[str | None] = mapped_column(Text)
    country: Mapped[str | None] = mapped_column(String(2), index=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    place_precision: Mapped[str | None] = mapped_column(String(16))
    block_key: Mapped[str | None] = mapped_column(String(400), index=True)
    date_start: Mapped[date | None] = mapped_column(Date, index=True)
    date_end: Mapped[date | None] = mapped_column(Date)
    date_precision: Mapped[str] = mapped_column(String(16), default="unknown")
    date_text: Mapped[str] = mapped_column(Text, default="")
    participants_low: Mapped[int | None] = mapped_column(Integer)
    participants_high: Mapped[int | None] = mapped_column(Integer)
    arrests_low: Mapped[int | None] = mapped_column(Integer)
    arrests_high: Mapped[int | None] = mapped_column(Integer)
    injuries_low: Mapped[int | None] = mapped_column(Integer)
    injuries_high: Mapped[int | None] = mapped_column(Integer)
    deaths_low: Mapped[int | None] = mapped_column(Integer)
    deaths_high: Mapped[int | None] = mapped_column(Integer)
    demands: Mapped[list] = mapped_column(JSON, default=list)
    independent_sources: Mapped[int] = mapped_column(Integer, default=1)
    review_status: Mapped[str] = mapped_column(String(16), default="unreviewed")
    verified_at: Mapped[datetime | None] = mapped_column(DateTime)
    # date_start, or 0001-01-01 when unknown: an indexed sort key without NULLs
    sort_date: Mapped[date | None] = mapped_column(Date)
    search_text: Mapped[str | None] = mapped_column(Text)
    mentions: Mapped[list["MentionRow"]] = relationship(back_populates="event")


class MentionRow(Base):
    """An event as one document tells it."""

    __tablename__ = "event_mentions"
    __table_args__ = (Index("ix_event_mentions_block_dates", "block_key", "wide", "date_lo"),)
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    document_id: Mapped[str] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), index=True)
    event_id: Mapped[str] = mapped_column(ForeignKey("events.id"), index=True)
    ordinal: Mapped[int] = mapped_column(Integer)
    type: Mapped[str] = mapped_column(String(16))
    workplace: Mapped[dict | None] = mapped_column(JSON)
    actors: Mapped[list] = mapped_column(JSON, default=list)
    location: Mapped[dict | None] = mapped_column(JSON)
    date: Mapped[dict] = mapped_column(JSON)
    demands: Mapped[list] = mapped_column(JSON, default=list)
    evidence: Mapped[list] = mapped_column(JSON, default=list)
    # What grouping needs (merge/cluster.py), so candidates come from an index.
    block_key: Mapped[str | None] = mapped_column(String(400))
    date_lo: Mapped[date | None] = mapped_column(Date)
    date_hi: Mapped[date | None] = mapped_column(Date)
    anchored: Mapped[bool] = mapped_column(Boolean, default=False)
    wide: Mapped[bool] = mapped_column(Boolean, default=False)
    event: Mapped[EventRow] = relationship(back_populates="mentions")
    claims: Mapped[list["ClaimRow"]] = relationship(
        back_populates="mention", cascade="all, delete-orphan", order_by="ClaimRow.id")


class ClaimRow(Base):
    """One figure for one count, as one source claims it."""

    __tablename__ = "claims"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mention_id: Mapped[str] = mapped_column(
        ForeignKey("event_mentions.id", ondelete="CASCADE"), index=True)
    document_id: Mapped[str] = mapped_column(String(200), index=True)
    field: Mapped[str] = mapped_column(String(16))
    low: Mapped[int] = mapped_column(Integer)
    high: Mapped[int] = mapped_column(Integer)
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    attributed_to: Mapped[str | None] = mapped_column(Text)
    sentence_start: Mapped[int | None] = mapped_column(Integer)
    sentence_end: Mapped[int | None] = mapped_column(Integer)
    mention: Mapped[MentionRow] = relationship(back_populates="claims")


class EntityRow(Base):
    __tablename__ = "entities"
    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    type: Mapped[str] = mapped_column(String(16), index=True)
    name: Mapped[str] = mapped_column(Text)
    key: Mapped[str] = mapped_column(String(300), unique=True)
    aliases: Mapped[list["AliasRow"]] = relationship(
        back_populates="entity", cascade="all, delete-orphan", order_by="AliasRow.alias")


class AliasRow(Base):
    __tablename__ = "aliases"
    __table_args__ = (UniqueConstraint("entity_id", "alias"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id", ondelete="CASCADE"))
    alias: Mapped[str] = mapped_column(String(300))
    entity: Mapped[EntityRow] = relationship(back_populates="aliases")


class EntityMentionRow(Base):
    __tablename__ = "entity_mentions"
    __table_args__ = (Index("ix_entity_mentions_doc", "document_id"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    entity_id: Mapped[str] = mapped_column(ForeignKey("entities.id"), index=True)
    document_id: Mapped[str] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    # as extracted, before a surname joins a full name and before reviewers' overrides
    key: Mapped[str | None] = mapped_column(String(300), index=True)
    name: Mapped[str | None] = mapped_column(Text)
    surname: Mapped[str | None] = mapped_column(String(200), index=True)  # of a person's key


class AuditRow(Base):
    """Every correction a person made: who, when, what, before and after."""

    __tablename__ = "audit_log"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    at: Mapped[datetime] = mapped_column(DateTime)
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(32))
    target: Mapped[str] = mapped_column(String(300))
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)


class LinkRow(Base):
    """A reviewer's decision that two event mentions are (must) or are not (cannot) one event.
    Mention ids are stable across re-ingest, so decisions outlive re-extraction."""

    __tablename__ = "mention_links"
    __table_args__ = (UniqueConstraint("kind", "mention_a", "mention_b"),)
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    kind: Mapped[str] = mapped_column(String(8))  # must | cannot
    mention_a: Mapped[str] = mapped_column(String(64), index=True)
    mention_b: Mapped[str] = mapped_column(String(64), index=True)


class EntityOverrideRow(Base):
    """A reviewer's decision about entity keys: `source` (an entity key, or an entity key and a
    surface form as "key|surface") resolves to the entity key `target`."""

    __tablename__ = "entity_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    source: Mapped[str] = mapped_column(String(600), unique=True)
    target: Mapped[str] = mapped_column(String(300))


class EventOverrideRow(Base):
    """A reviewer's value for one field of the event that holds `mention_id` (a stable mention
    id, so the decision outlives re-extraction and regrouping). The latest per field wins."""

    __tablename__ = "event_overrides"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    mention_id: Mapped[str] = mapped_column(String(64), index=True)
    field: Mapped[str] = mapped_column(String(32))
    value: Mapped[object] = mapped_column(JSON, nullable=True)
    actor: Mapped[str] = mapped_column(String(200))
    at: Mapped[datetime] = mapped_column(DateTime)


class UserRow(Base):
    """An account of the web app: viewer, reviewer or admin. Only an argon2 hash is kept."""

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime)


class SessionRow(Base):
    """A logged-in browser: the cookie holds a random token, the store only its SHA-256."""

    __tablename__ = "sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    csrf: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
