"""Read queries behind the API and the pages: filtered, sorted, keyset-paginated event lists,
map points, the per-day timeline, and one event, document or entity with what it links to."""
from __future__ import annotations

import base64
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import func, or_, select, tuple_
from sqlalchemy.orm import Session, selectinload

from strikewatch.ids import fold
from strikewatch.merge.events import NO_DATE
from strikewatch.store.models import (
    AuditRow,
    DocumentRow,
    EntityMentionRow,
    EntityRow,
    EventRow,
    MentionRow,
)

SORTS = {
    "date": lambda: EventRow.sort_date,  # date_start, undated first (ascending)
    "sources": lambda: EventRow.independent_sources,
    "participants": lambda: func.coalesce(EventRow.participants_high, -1),
}


class QueryError(ValueError):
    """A filter, sort or cursor that makes no sense; the API answers 400."""


@dataclass(frozen=True)
class EventFilter:
    date_from: date | None = None
    date_to: date | None = None
    types: tuple[str, ...] = ()
    place: str | None = None
    region: str | None = None
    workplace: str | None = None  # an entity id, or words of the workplace's name
    entity: str | None = None  # an entity id: events told by documents that name it
    statuses: tuple[str, ...] = ()  # the statuses asked for (none: any)
    min_sources: int | None = None
    q: str | None = None
    country: str | None = None
    # the statuses the reader may see at all (store/visibility.py); None: every status
    visible: tuple[str, ...] | None = None

    def conditions(self) -> list:
        c = []
        if self.date_from:
            c.append(func.coalesce(EventRow.date_end, EventRow.date_start) >= self.date_from)
        if self.date_to:
            c.append(EventRow.date_start <= self.date_to)
            c.append(EventRow.sort_date <= self.date_to)  # lets the sort index start there
        if self.types:
            c.append(EventRow.type.in_(self.types))
        if self.place:
            c.append(func.lower(EventRow.place_name) == self.place.strip().lower())
        if self.region:
            c.append(func.lower(EventRow.admin1) == self.region.strip().lower())
        if self.country:
            c.append(EventRow.country == self.country.strip().upper())
        if self.workplace:
            w = self.workplace.strip()
            if w.startswith("ent-"):
                c.append(EventRow.workplace_entity == w)
            else:
                c.append(func.lower(EventRow.workplace_name).contains(w.lower(), autoescape=True))
        if self.entity:
            docs = select(EntityMentionRow.document_id).where(
                EntityMentionRow.entity_id == self.entity.strip())
            c.append(EventRow.id.in_(select(MentionRow.event_id).where(
                MentionRow.document_id.in_(docs))))
        if self.statuses:
            c.append(EventRow.review_status.in_(self.statuses))
        if self.visible is not None:
            c.append(EventRow.review_status.in_(self.visible))
        if self.min_sources:
            c.append(EventRow.independent_sources >= self.min_sources)
        if self.q and fold(self.q):
            for word in fold(self.q).split()[:8]:
                c.append(EventRow.search_text.contains(f" {word}", autoescape=True))
        return c


@dataclass
class Page:
    items: list[EventRow]
    next: str | None
    total: int | None = None


def _encode(value, eid: str) -> str:
    if isinstance(value, date):
        value = {"d": value.isoformat()}
    raw = json.dumps([value, eid], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


INT64 = (-(2 ** 63), 2 ** 63 - 1)  # what a database integer column can compare against


def _decode(cursor: str, key_name: str):
    """The (sort value, event id) a cursor of `key_name` order holds; QueryError when it holds
    anything else (a value of the wrong kind, an integer no database column can hold)."""
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, eid = json.loads(raw)
        if key_name == "date":
            value = date.fromisoformat(value["d"])
        elif type(value) is not int or not INT64[0] <= value <= INT64[1]:
            raise ValueError(cursor)
        if not isinstance(eid, str):
            raise ValueError(cursor)
        return value, eid
    except (ValueError, TypeError, KeyError, IndexError, RecursionError):
        raise QueryError("bad cursor: pass back the `next` value of the previous page") from None


def list_events(s: Session, flt: EventFilter, *, sort: str = "-date", limit: int = 50,
                cursor: str | None = None, count: bool = False) -> Page:
    """One page of events, sorted by `sort` (date, sources or participants; a leading "-" for
    descending) then id; `cursor` continues after the previous page (keyset, so a deep page
    costs what the first does)."""
    desc = sort.startswith("-")
    key_name = sort.lstrip("-")
    if key_name not in SORTS:
        raise QueryError(f"unknown sort {sort!r}: use date, sources or participants, "
                         "with - for descending")
    key = SORTS[key_name]()
    conds = flt.conditions()
    stmt = select(EventRow).where(*conds)
    if cursor:
        value, eid = _decode(cursor, key_name)
        row, at = tuple_(key, EventRow.id), tuple_(value, eid)
        stmt = stmt.where(row < at if desc else row > at)
    order = (key.desc(), EventRow.id.desc()) if desc else (key.asc(), EventRow.id.asc())
    rows = list(s.scalars(stmt.order_by(*order).limit(limit + 1)))
    more = len(rows) > limit
    rows = rows[:limit]
    nxt = None
    if more and rows:
        last = rows[-1]
        value = {"date": last.sort_date or NO_DATE, "sources": last.independent_sources,
                 "participants": last.participants_high if last.participants_high is not None
                 else -1}[key_name]
        nxt = _encode(value, last.id)
    total = s.scalar(select(func.count()).select_from(EventRow).where(*conds)) if count else None
    return Page(rows, nxt, total)


def points(s: Session, flt: EventFilter, *, limit: int = 50_000) -> list[list]:
    """[id, lat, lon, type, participants (high) or None, first day or None] per located event."""
    stmt = (select(EventRow.id, EventRow.lat, EventRow.lon, EventRow.type,
                   EventRow.participants_high, EventRow.date_start)
            .where(*flt.conditions(), EventRow.lat.is_not(None))
            .order_by(EventRow.id).limit(limit))
    return [[i, round(la, 4), round(lo, 4), t, p, d.isoformat() if d else None]
            for i, la, lo, t, p, d in s.execute(stmt)]


def timeline(s: Session, flt: EventFilter) -> list[dict]:
    """Events per first day and type."""
    stmt = (select(EventRow.date_start, EventRow.type, func.count())
            .where(*flt.conditions(), EventRow.date_start.is_not(None))
            .group_by(EventRow.date_start, EventRow.type).order_by(EventRow.date_start))
    days: dict[date, dict[str, int]] = {}
    for day, etype, n in s.execute(stmt):
        days.setdefault(day, {})[etype] = n
    return [{"date": d.isoformat(), "counts": c} for d, c in days.items()]


@dataclass
class EventView:
    event: EventRow
    documents: dict[str, DocumentRow]
    audit: list[AuditRow] = field(default_factory=list)


def event_view(s: Session, event_id: str) -> EventView | None:
    ev = s.scalars(select(EventRow).where(EventRow.id == event_id).options(
        selectinload(EventRow.mentions).selectinload(MentionRow.claims))).one_or_none()
    if ev is None:
        return None
    doc_ids = {m.document_id for m in ev.mentions}
    docs = {d.id: d for d in s.scalars(select(DocumentRow).where(DocumentRow.id.in_(doc_ids)))}
    # targets are the event ("evt-…") or a merge of two ("evt-…+evt-…")
    audit = list(s.scalars(select(AuditRow).where(AuditRow.target.contains(event_id))
                           .order_by(AuditRow.id)))
    return EventView(ev, docs, audit)


def document_view(s: Session, document_id: str):
    doc = s.get(DocumentRow, document_id)
    if doc is None:
        return None
    mentions = list(s.scalars(select(MentionRow).where(MentionRow.document_id == document_id)
                              .options(selectinload(MentionRow.claims))
                              .order_by(MentionRow.ordinal)))
    entities = s.execute(select(EntityMentionRow.start, EntityMentionRow.end,
                                EntityMentionRow.entity_id, EntityRow.type)
                         .join(EntityRow, EntityRow.id == EntityMentionRow.entity_id)
                         .where(EntityMentionRow.document_id == document_id)).all()
    return doc, mentions, entities


def entity_view(s: Session, entity_id: str):
    ent = s.scalars(select(EntityRow).where(EntityRow.id == entity_id)
                    .options(selectinload(EntityRow.aliases))).one_or_none()
    if ent is None:
        return None
    docs = select(EntityMentionRow.document_id).where(EntityMentionRow.entity_id == entity_id)
    events = list(s.scalars(select(EventRow).where(or_(
        EventRow.workplace_entity == entity_id,
        EventRow.id.in_(select(MentionRow.event_id).where(MentionRow.document_id.in_(docs)))))
        .order_by(EventRow.date_start, EventRow.id).limit(2000)))
    documents = sorted(set(s.scalars(docs)))
    return ent, events, documents


def split_types(values: Sequence[str]) -> tuple[str, ...]:
    return tuple(sorted({v.strip() for raw in values for v in raw.split(",") if v.strip()}))
