"""Incremental event clustering inside a store transaction.

A new mention joins the stored event it is compatible with (see merge/cluster.py), or founds
one; every event touched is settled again from all its mentions. Reviewers' decisions
(mention_links: must / cannot) win over the rules. An event is named after the smallest id of
its mentions, so the same documents give the same event ids whatever the order of ingest.
"""
from __future__ import annotations

from collections.abc import Iterable

from datetime import timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session, selectinload

from strikewatch.merge.cluster import ASSUMED_DATE_DAYS, blocking_key, compatible, interval
from strikewatch.merge.events import SETTLED, event_row_from_mentions
from strikewatch.store.models import DocumentRow, EventRow, LinkRow, MentionRow


def _links(s: Session, mention_ids: Iterable[str], kind: str) -> set[str]:
    ids = list(mention_ids)
    if not ids:
        return set()
    rows = s.execute(select(LinkRow.mention_a, LinkRow.mention_b).where(
        LinkRow.kind == kind, or_(LinkRow.mention_a.in_(ids), LinkRow.mention_b.in_(ids))))
    return {b if a in ids else a for a, b in rows}


def _forced(s: Session, row: MentionRow) -> EventRow | None:
    linked = _links(s, [row.id], "must")
    if not linked:
        return None
    eid = s.scalar(select(MentionRow.event_id).where(MentionRow.id.in_(linked))
                   .order_by(MentionRow.event_id).limit(1))
    return s.get(EventRow, eid) if eid else None


def matches(s: Session, row: MentionRow) -> list[EventRow]:
    """The stored events this mention belongs with: those a reviewer linked it to, and those
    with a member it is compatible with (single link, so the result does not depend on the
    order documents arrive in). Events holding a mention of the same document, or one a
    reviewer kept apart from it, are never among them."""
    forced = _forced(s, row)
    found = [forced] if forced is not None else []
    key = blocking_key(type=row.type, workplace=row.workplace, location=row.location)
    if key is None:
        return found
    cannot = _links(s, [row.id], "cannot")
    mine = interval(row.date)
    stmt = select(EventRow).where(EventRow.block_key == key)
    if mine is not None:  # only events whose settled dates come near: bounded candidates
        pad = timedelta(days=ASSUMED_DATE_DAYS + 1)
        stmt = stmt.where(or_(EventRow.date_start.is_(None),
                              (EventRow.date_start <= mine.end + pad)
                              & (func.coalesce(EventRow.date_end, EventRow.date_start)
                                 >= mine.start - pad)))
    stmt = stmt.options(selectinload(EventRow.mentions)).order_by(EventRow.id)
    for ev in s.scalars(stmt):
        members = ev.mentions
        if ev in found or any(m.document_id == row.document_id or m.id in cannot
                              for m in members):
            continue
        if members and any(compatible(mine, interval(m.date), workplace=bool(row.workplace))
                           for m in members):
            found.append(ev)
    return sorted(found, key=lambda e: e.id)


def match(s: Session, row: MentionRow) -> EventRow | None:
    """The stored event this mention joins (the first of :func:`matches`), if any."""
    found = matches(s, row)
    return found[0] if found else None


def _conflict(s: Session, a: EventRow, b: EventRow) -> bool:
    docs = {m.document_id for m in a.mentions}
    if any(m.document_id in docs for m in b.mentions):
        return True
    return bool(_links(s, [m.id for m in a.mentions], "cannot") & {m.id for m in b.mentions})


def originals(s: Session, document_ids: Iterable[str]) -> dict[str, str]:
    ids = list(set(document_ids))
    rows = s.execute(select(DocumentRow.id, DocumentRow.copy_of).where(DocumentRow.id.in_(ids)))
    return {d: (c or d) for d, c in rows}


def settle(s: Session, event_id: str) -> str | None:
    """Recompute an event from its mentions (renaming it if its smallest mention changed);
    delete it when no mention is left. Returns the event's id after settling."""
    ev = s.scalars(select(EventRow).where(EventRow.id == event_id)
                   .options(selectinload(EventRow.mentions).selectinload(MentionRow.claims))
                   .execution_options(populate_existing=True)).one_or_none()
    if ev is None:
        return None
    mentions = list(ev.mentions)
    if not mentions:
        s.delete(ev)
        s.flush()
        return None
    fresh = event_row_from_mentions(mentions, originals(s, (m.document_id for m in mentions)))
    if fresh.id == ev.id:
        for name in SETTLED:
            setattr(ev, name, getattr(fresh, name))
        s.flush()
        return ev.id
    fresh.review_status = ev.review_status
    existing = s.get(EventRow, fresh.id)
    if existing is None:
        s.add(fresh)
        s.flush()
    s.execute(update(MentionRow).where(MentionRow.event_id == ev.id)
              .values(event_id=fresh.id))
    s.flush()
    s.expire_all()
    s.delete(s.get(EventRow, ev.id))
    s.flush()
    return settle(s, fresh.id) if existing is not None else fresh.id


def place(s: Session, row: MentionRow) -> str:
    """Attach a new mention (not yet added) to its event, founding one if none matches; the
    events it is compatible with become one."""
    found = matches(s, row)
    ev = found[0] if found else None
    for other in found[1:]:  # the new mention bridges events: they are one
        if _conflict(s, ev, other):
            continue
        s.execute(update(MentionRow).where(MentionRow.event_id == other.id)
                  .values(event_id=ev.id))
        s.expunge(other)
        s.execute(delete(EventRow).where(EventRow.id == other.id))
        s.expire(ev, ["mentions"])
    if ev is None:
        fresh = event_row_from_mentions([row], {})
        ev = s.get(EventRow, fresh.id)  # left empty by the document's earlier extraction
        if ev is None:
            ev = fresh
            ev.mentions = []
            s.add(ev)
    row.event_id = ev.id
    s.add(row)
    return ev.id
