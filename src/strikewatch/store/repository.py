"""Reads and writes of the store. Every write is one transaction: a batch of documents."""
from __future__ import annotations

from collections import Counter
from contextlib import contextmanager
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import Engine, delete, func, insert, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, selectinload

from strikewatch.errors import StoreError
from strikewatch.ids import entity_id, entity_key, mention_id
from strikewatch.store import clustering
from strikewatch.resolve.overrides import walk
from strikewatch.store.db import lock_for_writing, make_engine, migrate
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
PERSON = "person:name:"


def _surname(key: str) -> str | None:
    """The surname of a person's name key ("person:name:pavel kuznetsov": "kuznetsov"); None
    for other entities and for names kept within one document ("...#maksim")."""
    if not key.startswith(PERSON) or "#" in key:
        return None
    return key[len(PERSON):].rsplit(" ", 1)[-1] or None


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

    @contextmanager
    def writing(self) -> Iterator[Session]:
        """A session in one transaction that holds the store's write lock (db.lock_for_writing):
        every write that reads what it then changes goes through here."""
        with self.session() as s, s.begin():
            lock_for_writing(s)
            yield s

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
        with self.writing() as s:
            stale: set[str] = set()
            touched: set[str] = set()
            surnames: set[str] = set()
            ids = [item.extraction.document.id for item in items]
            for doc_id in sorted(self._stored(s, ids)):
                stale |= self._forget(s, doc_id, touched, surnames)
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
            self._save_entities(s, [item.extraction for item in items], touched, surnames)

    @staticmethod
    def _stored(s: Session, ids: Sequence[str]) -> set[str]:
        out: set[str] = set()
        for i in range(0, len(ids), 400):
            out.update(s.scalars(select(DocumentRow.id).where(DocumentRow.id.in_(ids[i:i + 400]))))
        return out

    def _save_entities(self, s: Session, extractions: Sequence[Extraction],
                       touched: set[str], surnames: set[str]) -> None:
        """Store the entity mentions of `extractions`, then settle every entity they, and the
        mentions forgotten before them (`touched` entities, `surnames`), belong to."""
        overrides = dict(s.execute(select(EntityOverrideRow.source,
                                          EntityOverrideRow.target)).all())
        rows: list[dict] = []
        for x in extractions:
            for ent in x.entities:
                raw = entity_key(ent.type, ent.key or ent.name)
                key, by_surface = walk(overrides, raw, ent.span.text)
                eid = self._ensure_entity(s, key, ent.type,
                                          ent.span.text if by_surface else ent.name)
                surname = _surname(raw)
                if surname:
                    surnames.add(surname)
                touched.add(eid)
                rows.append({"entity_id": eid, "document_id": x.document.id,
                             "start": ent.span.start, "end": ent.span.end,
                             "text": ent.span.text, "key": raw, "name": ent.name,
                             "surname": surname})
        if rows:
            s.execute(insert(EntityMentionRow), rows)
        touched |= self._settle_people(s, surnames, overrides)
        self._settle_entities(s, touched)

    @staticmethod
    def _ensure_entity(s: Session, key: str, type_: str, name: str) -> str:
        eid = entity_id(key)
        if s.get(EntityRow, eid) is None:
            s.add(EntityRow(id=eid, type=type_, key=key, name=name))
            s.flush()
        return eid

    def _settle_people(self, s: Session, surnames: set[str],
                       overrides: Mapping[str, str]) -> set[str]:
        """A person named by surname alone is the one person of that surname named in full in
        the stored mentions, when there is exactly one ("Lukashenko" / "Alexander
        Lukashenko"); else a person of their own. Settled from every stored mention of the
        surname, so the answer depends on the set of documents, not on their order. Returns
        the entities that gained or lost mentions."""
        moved: set[str] = set()
        for surname in sorted(surnames):
            alone = f"{PERSON}{surname}"
            full = set(s.scalars(select(EntityMentionRow.key).distinct().where(
                EntityMentionRow.surname == surname, EntityMentionRow.key != alone)))
            target = full.pop() if len(full) == 1 else alone
            for mid, text, name, old in s.execute(
                    select(EntityMentionRow.id, EntityMentionRow.text, EntityMentionRow.name,
                           EntityMentionRow.entity_id).where(EntityMentionRow.key == alone)).all():
                key, by_surface = walk(overrides, target, text)
                eid = self._ensure_entity(s, key, "person", text if by_surface else name or text)
                if eid != old:
                    s.execute(update(EntityMentionRow).where(EntityMentionRow.id == mid)
                              .values(entity_id=eid))
                    moved |= {eid, old}
        return moved

    def _settle_entities(self, s: Session, entity_ids: set[str]) -> None:
        """Drop the entities left without mentions; name the others after what their own
        mentions (those extracted with the entity's key) call them most often, so that the
        name too depends only on the stored documents; refresh their aliases."""
        ids = sorted(entity_ids)
        for i in range(0, len(ids), 400):
            chunk = ids[i:i + 400]
            counts: dict[str, Counter] = {}
            for eid, name, n in s.execute(
                    select(EntityMentionRow.entity_id, EntityMentionRow.name, func.count())
                    .join(EntityRow, EntityRow.id == EntityMentionRow.entity_id)
                    .where(EntityMentionRow.entity_id.in_(chunk),
                           EntityMentionRow.key == EntityRow.key,
                           EntityMentionRow.name.is_not(None))
                    .group_by(EntityMentionRow.entity_id, EntityMentionRow.name)):
                counts.setdefault(eid, Counter())[name] = n
            used = set(s.scalars(select(EntityMentionRow.entity_id).distinct()
                                 .where(EntityMentionRow.entity_id.in_(chunk))))
            for ent in s.scalars(select(EntityRow).where(EntityRow.id.in_(chunk))):
                if ent.id not in used:
                    s.execute(delete(AliasRow).where(AliasRow.entity_id == ent.id))
                    s.delete(ent)
                elif ent.id in counts:
                    ent.name = min(counts[ent.id].items(), key=lambda kv: (-kv[1], kv[0]))[0]
            s.flush()
        self._refresh_aliases(s, entity_ids)

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

    def _forget(self, s: Session, document_id: str, touched: set[str],
                surnames: set[str]) -> set[str]:
        """Remove a document and everything extracted from it (before it is stored anew).
        Returns the events that lost mentions and must be settled again; adds the entities
        that lost mentions to `touched` and the persons' surnames to `surnames`."""
        if s.get(DocumentRow, document_id) is None:
            return set()  # a new document: nothing to forget
        old_events = set(s.scalars(
            select(MentionRow.event_id).where(MentionRow.document_id == document_id)))
        old_entities = set(s.scalars(
            select(EntityMentionRow.entity_id).where(EntityMentionRow.document_id == document_id)))
        surnames.update(n for n in s.scalars(select(EntityMentionRow.surname).where(
            EntityMentionRow.document_id == document_id)) if n)
        touched |= old_entities
        mention_ids = select(MentionRow.id).where(MentionRow.document_id == document_id)
        s.execute(delete(ClaimRow).where(ClaimRow.mention_id.in_(mention_ids)))
        s.execute(delete(MentionRow).where(MentionRow.document_id == document_id))
        s.execute(delete(EntityMentionRow).where(EntityMentionRow.document_id == document_id))
        s.execute(delete(DocumentRow).where(DocumentRow.id == document_id))
        s.flush()
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

    def set_copies(self, originals: dict[str, str]) -> int:
        """Record which document each document copies (itself: none) and settle the events
        whose independent sources change. Returns how many documents changed."""
        changed = 0
        with self.writing() as s:
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
