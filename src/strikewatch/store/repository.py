"""Reads and writes of the store. Every write is one transaction per document."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from strikewatch.errors import StoreError
from strikewatch.ids import entity_id, entity_key, mention_id
from strikewatch.store import clustering
from strikewatch.store.corrections import resolve_entity
from strikewatch.store.db import make_engine, migrate
from strikewatch.store.models import (
    AliasRow,
    ClaimRow,
    DocumentRow,
    EntityMentionRow,
    EntityRow,
    EventRow,
    MentionRow,
    Source,
)
from strikewatch.store.serialize import mention_row
from strikewatch.types import COUNT_FIELDS, Document, Extraction


class Store:
    """The event store behind one database URL."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    @classmethod
    def open(cls, url: str | None = None) -> "Store":
        engine = make_engine(url)
        migrate(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    def session(self) -> Session:
        return Session(self.engine, expire_on_commit=False)

    # -- documents ---------------------------------------------------------------------------

    def content_hash(self, document_id: str) -> str | None:
        with self.session() as s:
            return s.scalar(select(DocumentRow.content_hash).where(DocumentRow.id == document_id))

    def save(self, extraction: Extraction, *, copy_of: str | None = None,
             signature: dict | None = None) -> None:
        """Store one document's extraction, replacing whatever it replaced, and merge its
        event mentions into the stored events. One transaction."""
        try:
            self._save(extraction, copy_of=copy_of, signature=signature)
        except SQLAlchemyError as err:
            raise StoreError(
                f"cannot store document {extraction.document.id!r}: "
                f"{err.__class__.__name__}: {str(err).splitlines()[0]}",
                source=extraction.document.source,
                fix="check that the database is reachable and not locked by another writer") from err

    def _save(self, extraction: Extraction, *, copy_of: str | None,
              signature: dict | None) -> None:
        doc = extraction.document
        with self.session() as s, s.begin():
            stale = self._forget(s, doc.id)
            row = self._document_row(s, doc)
            row.copy_of, row.signature = copy_of, signature
            s.add(row)
            s.flush()
            mentions = []
            seen: set[str] = set()
            for ordinal, ev in enumerate(extraction.events):
                row = mention_row(ev, ordinal=ordinal)
                while row.id in seen:  # two mentions alike in every key field
                    row.id = mention_id(doc.id, row.id)
                seen.add(row.id)
                mentions.append(row)
            events = set(stale)
            for row in mentions:
                events.add(clustering.place(s, row))
            for eid in sorted(events):
                clustering.settle(s, eid)
            touched = set()
            for ent in extraction.entities:
                key = self._person_key(s, entity_key(ent.type, ent.key or ent.name))
                key, name = resolve_entity(s, key, ent.span.text, ent.name)
                eid = entity_id(key)
                row = s.get(EntityRow, eid)
                if row is None:
                    row = EntityRow(id=eid, type=ent.type, name=name, key=key)
                    s.add(row)
                    s.flush()
                touched.add(eid)
                s.add(EntityMentionRow(entity_id=eid, document_id=doc.id, start=ent.span.start,
                                       end=ent.span.end, text=ent.span.text))
            s.flush()
            self._refresh_aliases(s, touched)

    @staticmethod
    def _person_key(s: Session, key: str) -> str:
        """A person named by surname alone is the one person of that surname named in full,
        when there is exactly one ("Lukashenko" / "Alexander Lukashenko")."""
        prefix = "person:name:"
        if not key.startswith(prefix) or " " in key[len(prefix):] or "#" in key:
            return key
        surname = key[len(prefix):]
        full = list(s.scalars(select(EntityRow.key).where(
            EntityRow.key.like(f"{prefix}% {surname}")).limit(2)))
        return full[0] if len(full) == 1 else key

    def _document_row(self, s: Session, doc: Document) -> DocumentRow:
        source_id = None
        if doc.publisher:
            source_id = s.scalar(select(Source.id).where(Source.name == doc.publisher))
            if source_id is None:
                src = Source(name=doc.publisher)
                s.add(src)
                s.flush()
                source_id = src.id
        return DocumentRow(
            id=doc.id, source_id=source_id, origin=doc.source, title=doc.title, url=doc.url,
            publisher=doc.publisher, published=doc.published, language=doc.language,
            content_hash=doc.content_hash, text=doc.text,
            ingested_at=datetime.now(timezone.utc).replace(tzinfo=None))

    def _forget(self, s: Session, document_id: str) -> set[str]:
        """Remove a document and everything extracted from it (before it is stored anew).
        Returns the events that lost mentions and must be settled again."""
        if s.get(DocumentRow, document_id) is None:
            return set()  # a new document: nothing to forget
        old_events = set(s.scalars(
            select(MentionRow.event_id).where(MentionRow.document_id == document_id)))
        old_entities = set(s.scalars(
            select(EntityMentionRow.entity_id).where(EntityMentionRow.document_id == document_id)))
        mention_ids = select(MentionRow.id).where(MentionRow.document_id == document_id)
        s.execute(delete(ClaimRow).where(ClaimRow.mention_id.in_(mention_ids)))
        s.execute(delete(MentionRow).where(MentionRow.document_id == document_id))
        s.execute(delete(EntityMentionRow).where(EntityMentionRow.document_id == document_id))
        s.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
        s.flush()
        for eid in old_entities:
            if not s.scalar(select(func.count()).where(EntityMentionRow.entity_id == eid)):
                s.execute(delete(AliasRow).where(AliasRow.entity_id == eid))
                s.execute(delete(EntityRow).where(EntityRow.id == eid))
        self._refresh_aliases(s, old_entities)
        return old_events

    def _refresh_aliases(self, s: Session, entity_ids: set[str]) -> None:
        for eid in sorted(entity_ids):
            ent = s.get(EntityRow, eid)
            if ent is None:
                continue
            surfaces = set(s.scalars(
                select(EntityMentionRow.text).where(EntityMentionRow.entity_id == eid)))
            want = {a for a in surfaces if a != ent.name}
            have = {a.alias for a in ent.aliases}
            for row in list(ent.aliases):
                if row.alias not in want:
                    ent.aliases.remove(row)
            for alias in sorted(want - have):
                ent.aliases.append(AliasRow(alias=alias))
        s.flush()

    # -- reads -------------------------------------------------------------------------------

    def signatures(self) -> list[dict]:
        """The copy-detection signatures of every stored document."""
        with self.session() as s:
            return [sig for sig in s.scalars(select(DocumentRow.signature)
                                             .where(DocumentRow.signature.is_not(None))
                                             .order_by(DocumentRow.id))]

    def signature_ids(self) -> list[str]:
        with self.session() as s:
            return list(s.scalars(select(DocumentRow.id).where(DocumentRow.signature.is_not(None))
                                  .order_by(DocumentRow.id)))

    def set_copies(self, originals: dict[str, str]) -> int:
        """Record which document each document copies (itself: none) and settle the events
        whose independent sources change. Returns how many documents changed."""
        changed = 0
        with self.session() as s, s.begin():
            events: set[str] = set()
            for doc, original in sorted(originals.items()):
                row = s.get(DocumentRow, doc)
                want = None if original == doc else original
                if row is None or row.copy_of == want:
                    continue
                row.copy_of = want
                changed += 1
                events.update(s.scalars(select(MentionRow.event_id)
                                        .where(MentionRow.document_id == doc)))
            s.flush()
            for eid in sorted(events):
                clustering.settle(s, eid)
        return changed

    def documents(self) -> list[DocumentRow]:
        with self.session() as s:
            return list(s.scalars(select(DocumentRow).order_by(DocumentRow.id)))

    def iter_events(self) -> Iterator[EventRow]:
        with self.session() as s:
            stmt = (select(EventRow)
                    .options(selectinload(EventRow.mentions).selectinload(MentionRow.claims))
                    .order_by(EventRow.date_start.is_(None), EventRow.date_start, EventRow.id))
            yield from s.scalars(stmt)

    def event(self, event_id: str) -> EventRow | None:
        with self.session() as s:
            stmt = (select(EventRow).where(EventRow.id.startswith(event_id))
                    .options(selectinload(EventRow.mentions).selectinload(MentionRow.claims)))
            rows = list(s.scalars(stmt).all())
            return rows[0] if len(rows) == 1 else None

    def iter_entities(self) -> Iterator[tuple[EntityRow, list[str]]]:
        """Each entity with the documents it is named in."""
        with self.session() as s:
            docs: dict[str, set[str]] = {}
            for eid, did in s.execute(select(EntityMentionRow.entity_id,
                                             EntityMentionRow.document_id)):
                docs.setdefault(eid, set()).add(did)
            stmt = select(EntityRow).options(selectinload(EntityRow.aliases)).order_by(EntityRow.id)
            for ent in s.scalars(stmt):
                yield ent, sorted(docs.get(ent.id, ()))

    def stats(self) -> dict[str, int]:
        with self.session() as s:
            return {name: s.scalar(select(func.count()).select_from(model)) or 0
                    for name, model in (("documents", DocumentRow), ("events", EventRow),
                                        ("mentions", MentionRow), ("claims", ClaimRow),
                                        ("entities", EntityRow))}


__all__ = ["Store", "COUNT_FIELDS"]
