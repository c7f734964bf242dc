"""What a reader may see, decided here once for the API, the pages, the exports and the feed.

A logged-in reader (any role) sees everything. A logged-out reader sees:

* events: the verified ones, or, when the operator serves with ``--public all``
  (``public == "all"``), the verified and unreviewed ones; a rejected event never;
* documents: those that tell a public event; in them, the spans of public events only, and a
  copy link only to another public document;
* entities: those named in a public document, under a name and aliases written in one (or
  the name extracted there, such as a knowledge-base workplace's), with their public
  documents and events;
* audit entries: when and what was done to a public event, never who did it nor the
  before/after snapshots (a split's snapshots name the part split out and its documents).

Anything else is not found, exactly as if it did not exist.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, selectinload

from strikewatch.merge.events import REVIEW_STATUSES
from strikewatch.store import queries
from strikewatch.store.models import (
    AuditRow,
    DocumentRow,
    EntityMentionRow,
    EntityRow,
    EventRow,
    MentionRow,
)

STATUSES = REVIEW_STATUSES  # every status; a logged-in reader sees them all
PUBLIC = {"verified": ("verified",), "all": ("verified", "unreviewed")}  # never "rejected"


def public_statuses(public: str) -> tuple[str, ...]:
    """The statuses a logged-out reader sees under the operator's `public` choice
    ("verified" or "all"; anything else counts as "verified")."""
    return PUBLIC.get(public, PUBLIC["verified"])


@dataclass
class DocumentView:
    doc: DocumentRow
    copy_of: str | None
    mentions: list[MentionRow]  # of the events the reader may see
    entities: list  # (start, end, entity id, entity type)
    events: list[str]  # the ids of the events the reader may see


@dataclass
class EntityView:
    id: str
    type: str
    name: str
    aliases: list[str]
    documents: list[str]
    events: list[EventRow] = field(default_factory=list)


@dataclass(frozen=True)
class Visibility:
    """One reader's view: `everything` for a logged-in reader, else the public statuses."""

    statuses: tuple[str, ...] = STATUSES
    everything: bool = True

    @classmethod
    def reader(cls, *, logged_in: bool, public: str) -> Visibility:
        return cls() if logged_in else cls(public_statuses(public), everything=False)

    # --- events ---------------------------------------------------------------------------

    @property
    def event_statuses(self) -> tuple[str, ...] | None:
        """The statuses every event query is held to (None: no limit)."""
        return None if self.everything else self.statuses

    def event(self, s: Session, event_id: str) -> queries.EventView | None:
        view = queries.event_view(s, event_id)
        if view is None or view.event.review_status not in self.statuses:
            return None
        return view

    def audit(self, rows: Iterable[AuditRow], event_id: str) -> list[dict]:
        """The audit entries of event `event_id` as this reader may see them."""
        out = []
        for a in rows:
            entry = {"at": a.at.isoformat(timespec="seconds"), "action": a.action,
                     "target": a.target, "actor": a.actor, "before": a.before, "after": a.after}
            if not self.everything:
                entry.update(target=event_id if a.target == event_id else None, actor=None,
                             before=None, after=None)
            out.append(entry)
        return out

    def feed_events(self, s: Session, limit: int) -> list[EventRow]:
        """Verified events the reader may see, the most recently verified first."""
        shown = [st for st in self.statuses if st == "verified"]
        return list(s.scalars(select(EventRow).where(EventRow.review_status.in_(shown))
                              .order_by(EventRow.verified_at.desc(), EventRow.id).limit(limit)))

    # --- documents ------------------------------------------------------------------------

    def _documents(self):
        """The ids of the documents that tell an event the reader may see (a subquery)."""
        stmt = select(MentionRow.document_id).join(EventRow, EventRow.id == MentionRow.event_id)
        return stmt.where(EventRow.review_status.in_(self.statuses))

    def document(self, s: Session, document_id: str) -> DocumentView | None:
        found = queries.document_view(s, document_id)
        if found is None:
            return None
        doc, mentions, entities = found
        shown = set(s.scalars(select(EventRow.id).where(
            EventRow.id.in_({m.event_id for m in mentions}),
            EventRow.review_status.in_(self.statuses))))
        if not shown:
            return None
        copy_of = doc.copy_of
        if copy_of and not self.everything and s.scalar(
                self._documents().where(MentionRow.document_id == copy_of).limit(1)) is None:
            copy_of = None
        return DocumentView(doc, copy_of, [m for m in mentions if m.event_id in shown],
                            list(entities), sorted(shown))

    # --- entities -------------------------------------------------------------------------

    def _entity_views(self, s: Session, rows: list[EntityRow]) -> list[EntityView]:
        """Entities with the name, aliases and documents the reader may see (an entity no
        document the reader may open names is left out)."""
        ids = [e.id for e in rows]
        stmt = select(EntityMentionRow.entity_id, EntityMentionRow.document_id,
                      EntityMentionRow.text, EntityMentionRow.name)
        if not self.everything:
            stmt = stmt.where(EntityMentionRow.document_id.in_(self._documents()))
        found: dict[str, list[tuple]] = {}
        for i in range(0, len(ids), 400):
            for eid, *rest in s.execute(stmt.where(EntityMentionRow.entity_id.in_(ids[i:i + 400]))):
                found.setdefault(eid, []).append(tuple(rest))
        out = []
        for ent in rows:
            mine = found.get(ent.id, [])
            documents = sorted({d for d, _, _ in mine})
            if self.everything:
                out.append(EntityView(ent.id, ent.type, ent.name,
                                      [a.alias for a in ent.aliases], documents))
                continue
            if not mine:
                continue
            texts = Counter(t for _, t, _ in mine)
            name = ent.name
            if name not in texts and name not in {n for _, _, n in mine}:
                name = min(texts.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            out.append(EntityView(ent.id, ent.type, name, sorted(set(texts) - {name}),
                                  documents))
        return out

    def entity(self, s: Session, entity_id: str) -> EntityView | None:
        found = queries.entity_view(s, entity_id)
        if found is None:
            return None
        ent, events, _documents = found
        views = self._entity_views(s, [ent])
        if not views:
            return None
        views[0].events = [e for e in events if e.review_status in self.statuses]
        return views[0]

    def entities(self, s: Session, *, type: str | None = None, q: str | None = None,
                 limit: int | None = 50, after: str | None = None) -> list[EntityView]:
        """Entities in id order; `q` matches words of a name the reader may see."""
        stmt = select(EntityRow).options(selectinload(EntityRow.aliases))
        if not self.everything:
            stmt = stmt.where(EntityRow.id.in_(select(EntityMentionRow.entity_id).where(
                EntityMentionRow.document_id.in_(self._documents()))))
        if type:
            stmt = stmt.where(EntityRow.type == type)
        if q and q.strip():
            words = q.strip().lower()
            if self.everything:
                stmt = stmt.where(func.lower(EntityRow.name).contains(words, autoescape=True))
            else:
                stmt = stmt.where(EntityRow.id.in_(select(EntityMentionRow.entity_id).where(
                    EntityMentionRow.document_id.in_(self._documents()),
                    or_(func.lower(EntityMentionRow.text).contains(words, autoescape=True),
                        func.lower(EntityMentionRow.name).contains(words, autoescape=True)))))
        if after:
            stmt = stmt.where(EntityRow.id > after)
        stmt = stmt.order_by(EntityRow.id)
        if limit is not None:
            stmt = stmt.limit(limit)
        return self._entity_views(s, list(s.scalars(stmt)))

    # --- exports --------------------------------------------------------------------------

    def export(self, store, kind: str) -> Iterator[dict]:
        """The export records of every event or entity the reader may see."""
        from strikewatch.export import records  # export imports the store: import late
        if kind == "events":
            return (r for r in records(store, kind) if r["review_status"] in self.statuses)
        if self.everything:
            return records(store, kind)
        with store.session() as s:
            views = self.entities(s, limit=None)
        return ({"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases,
                 "documents": e.documents} for e in views)
