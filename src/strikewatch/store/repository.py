"""Reads and writes of the store. Every write is one transaction: a batch of documents."""
from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, delete, func, insert, select
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from strikewatch.errors import StoreError
from strikewatch.ids import entity_id, entity_key, mention_id
from strikewatch.store import clustering
from strikewatch.resolve.overrides import walk
from strikewatch.store.db import make_engine, migrate
from strikewatch.store.models import (
    AliasRow,
    ClaimRow,
    DocumentRow,
    EntityMentionRow,
    EntityOverrideRow,
    EntityRow,
    EventRow,
    MentionRow,
    Source,
)
from strikewatch.store.serialize import mention_row
from strikewatch.types import COUNT_FIELDS, Document, Extraction


# Documents per transaction when ingesting: larger batches share the reading of their region
# and the commit (benchmarks/bench_merge.py: 256 saves 40% faster than 64).
BATCH_DOCUMENTS = 256


@dataclass(frozen=True, slots=True)
class Pending:
    """A document's extraction waiting to be saved, with what copy detection found."""

    extraction: Extraction
    copy_of: str | None = None
    signature: dict | None = None


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
        self.save_many([Pending(extraction, copy_of, signature)])

    def save_many(self, items: Sequence[Pending]) -> None:
        """Store several documents' extractions in one transaction: all or none of them.
        Much faster than one by one; a caller that must know which document failed saves
        them one by one after an error."""
        ids = [item.extraction.document.id for item in items]
        if len(set(ids)) != len(ids):
            raise ValueError("a batch holds one document twice; save them in separate batches")
        if not items:
            return
        try:
            self._save(items)
        except SQLAlchemyError as err:
            first = items[0].extraction.document
            what = f"document {first.id!r}" if len(items) == 1 else \
                f"{len(items)} documents ({first.id!r} to {ids[-1]!r})"
            raise StoreError(
                f"cannot store {what}: {err.__class__.__name__}: {str(err).splitlines()[0]}",
                source=first.source,
                fix="check that the database is reachable and not locked by another writer") from err

    def _save(self, items: Sequence[Pending]) -> None:
        with self.session() as s, s.begin():
            stale: set[str] = set()
            ids = [item.extraction.document.id for item in items]
            for doc_id in sorted(self._stored(s, ids)):
                stale |= self._forget(s, doc_id)
            sources: dict[str, int] = {}
            s.execute(DocumentRow.__table__.insert(), [
                {**self._document_row(s, item.extraction.document, sources),
                 "copy_of": item.copy_of, "signature": item.signature} for item in items])
            mentions = []
            for item in items:
                seen: set[str] = set()
                for ordinal, ev in enumerate(item.extraction.events):
                    row = mention_row(ev, ordinal=ordinal)
                    while row.id in seen:  # two mentions alike in every key field
                        row.id = mention_id(row.document_id, row.id)
                    seen.add(row.id)
                    mentions.append(row)
            clustering.regroup(s, mentions, stale)
            self._save_entities(s, [item.extraction for item in items])

    @staticmethod
    def _stored(s: Session, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for i in range(0, len(ids), 400):
            out.update(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids[i:i + 400]))))
        return out

    def _save_entities(self, s: Session, extractions: Sequence[Extraction]) -> None:
        overrides = dict(s.execute(select(EntityOverrideRow.source,
                                          EntityOverrideRow.target)).all())
        pending: dict[str, EntityRow] = {}
        people: dict[str, str] = {}
        mentions = []
        for x in extractions:
            for ent in x.entities:
                key = entity_key(ent.type, ent.key or ent.name)
                if key not in people:
                    people[key] = self._person_key(s, key, pending)
                key, by_surface = walk(overrides, people[key], ent.span.text)
                eid = entity_id(key)
                if eid not in pending:
                    pending[eid] = EntityRow(id=eid, type=ent.type, key=key,
                                             name=ent.span.text if by_surface else ent.name)
                mentions.append({"entity_id": eid, "document_id": x.document.id,
                                 "start": ent.span.start, "end": ent.span.end,
                                 "text": ent.span.text})
        stored: set[str] = set()
        for i in range(0, len(ids := sorted(pending)), 400):
            stored.update(s.scalars(select(EntityRow.id).where(EntityRow.id.in_(ids[i:i + 400]))))
        new = [pending[e] for e in ids if e not in stored]
        if new:
            s.execute(insert(EntityRow), [{"id": e.id, "type": e.type, "name": e.name,
                                           "key": e.key} for e in new])
        if mentions:
            s.execute(insert(EntityMentionRow), mentions)
        self._refresh_aliases(s, set(pending))

    @staticmethod
    def _person_key(s: Session, key: str, pending: Mapping[str, EntityRow]) -> str:
        """A person named by surname alone is the one person of that surname named in full,
        when there is exactly one ("Lukashenko" / "Alexander Lukashenko")."""
        prefix = "person:name:"
        if not key.startswith(prefix) or " " in key[len(prefix):] or "#" in key:
            return key
        surname = key[len(prefix):]
        full = set(s.scalars(select(EntityRow.key).where(
            EntityRow.key.like(f"{prefix}% {surname}")).limit(2)))
        full |= {e.key for e in pending.values()
                 if e.key.startswith(prefix) and e.key.endswith(f" {surname}")}
        return full.pop() if len(full) == 1 else key

    def _document_row(self, s: Session, doc: Document, sources: dict[str, int]) -> dict:
        source_id = None
        if doc.publisher:
            source_id = sources.get(doc.publisher)
            if source_id is None:
                source_id = s.scalar(select(Source.id).where(Source.name == doc.publisher))
            if source_id is None:
                src = Source(name=doc.publisher)
                s.add(src)
                s.flush()
                source_id = src.id
            sources[doc.publisher] = source_id
        return dict(
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
        """An entity's aliases are the surfaces of its mentions other than its name."""
        ids = sorted(entity_ids)
        for i in range(0, len(ids), 400):
            chunk = ids[i:i + 400]
            names = dict(s.execute(select(EntityRow.id, EntityRow.name)
                                   .where(EntityRow.id.in_(chunk))).all())
            want = {(e, t) for e, t in s.execute(
                select(EntityMentionRow.entity_id, EntityMentionRow.text).distinct()
                .where(EntityMentionRow.entity_id.in_(chunk))) if e in names and t != names[e]}
            have = {(e, a): rid for rid, e, a in s.execute(
                select(AliasRow.id, AliasRow.entity_id, AliasRow.alias)
                .where(AliasRow.entity_id.in_(chunk)))}
            drop = [rid for pair, rid in have.items() if pair not in want]
            if drop:
                s.execute(delete(AliasRow).where(AliasRow.id.in_(drop)))
            add = sorted(want - have.keys())
            if add:
                s.execute(insert(AliasRow), [{"entity_id": e, "alias": a} for e, a in add])
        s.flush()
        s.expire_all()  # entities loaded earlier must show their new aliases

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
