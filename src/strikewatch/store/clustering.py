"""Incremental event grouping inside a store transaction.

New mentions are grouped with the stored ones near them by :func:`strikewatch.merge.cluster.groups`:
the *region* of a change is every stored mention under the same blocking keys whose days
overlap the new ones, then every one whose days overlap a dated mention of the region, each
with its whole event. Grouping the region gives what grouping the whole store would, except
where a floating mention's candidates reach beyond it (benchmarks/bench_merge.py counts such
differences against grouping everything at once), and only the region is read. Events whose members changed are
settled again and written in bulk. Reviewers' decisions (mention_links: must / cannot) win over
the rules. An event is named after the smallest id of its mentions.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import Boolean, Date, bindparam, delete, exists, or_, select, text, update
from sqlalchemy.orm import Session, selectinload

from strikewatch.ids import event_id
from strikewatch.merge.cluster import MAX_SPAN_DAYS, SHORT_SPAN_DAYS, Node, groups
from strikewatch.merge.events import SETTLED, apply_review, event_values
from strikewatch.resolve.overrides import apply_overrides
from strikewatch.store.serialize import MentionValues
from strikewatch.store.models import (
    ClaimRow,
    DocumentRow,
    EntityOverrideRow,
    EventOverrideRow,
    EventRow,
    LinkRow,
    MentionRow,
)

_CHUNK = 400  # ids per IN (...) list
_NODE = (MentionRow.id, MentionRow.document_id, MentionRow.event_id, MentionRow.block_key,
         MentionRow.date_lo, MentionRow.date_hi, MentionRow.anchored)
_CLAIM_COLUMNS = [c.key for c in ClaimRow.__table__.columns if c.key not in ("id", "mention_id")]


def _chunks(ids: Iterable[str]) -> Iterable[list[str]]:
    ids = sorted(set(ids))
    for i in range(0, len(ids), _CHUNK):
        yield ids[i:i + _CHUNK]


def originals(s: Session, document_ids: Iterable[str]) -> dict[str, str]:
    out: dict[str, str] = {}
    for chunk in _chunks(document_ids):
        rows = s.execute(select(DocumentRow.id, DocumentRow.copy_of)
                         .where(DocumentRow.id.in_(chunk)))
        out.update({d: (c or d) for d, c in rows})
    return out


def workplace_resolver(s: Session) -> Callable[[str, str | None], str] | None:
    """Reviewers' entity overrides as a function (None when there are none)."""
    table = dict(s.execute(select(EntityOverrideRow.source, EntityOverrideRow.target)).all())
    if not table:
        return None
    return lambda key, surface: apply_overrides(table, key, surface)


def overrides(s: Session, mention_ids: Iterable[str]) -> dict[str, list[tuple]]:
    """Reviewers' field values per mention: (field, value, when), oldest first."""
    out: dict[str, list[tuple]] = {}
    if not s.scalar(select(exists().where(EventOverrideRow.id.is_not(None)))):
        return out
    for chunk in _chunks(mention_ids):
        for mid, fld, value, at in s.execute(
                select(EventOverrideRow.mention_id, EventOverrideRow.field,
                       EventOverrideRow.value, EventOverrideRow.at)
                .where(EventOverrideRow.mention_id.in_(chunk)).order_by(EventOverrideRow.id)):
            out.setdefault(mid, []).append((fld, value, at))
    return out


def _settled(mentions, docs, resolve, by_mention: dict[str, list[tuple]]) -> dict:
    values = event_values(mentions, docs, resolve)
    mine = sorted((o for m in mentions for o in by_mention.get(m.id, ())), key=lambda o: o[2])
    return apply_review(values, mine) if mine else values


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
    fresh = EventRow(**_settled(mentions, originals(s, (m.document_id for m in mentions)),
                                workplace_resolver(s), overrides(s, (m.id for m in mentions))))
    if fresh.id == ev.id:
        for name in SETTLED:
            setattr(ev, name, getattr(fresh, name))
        s.flush()
        return ev.id
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


@dataclass
class _Region:
    nodes: dict[str, Node] = field(default_factory=dict)
    event_of: dict[str, str] = field(default_factory=dict)  # stored mention -> its event
    covered: dict[str, tuple[date, date]] = field(default_factory=dict)
    events: set[str] = field(default_factory=set)  # events loaded whole

    def add(self, rows) -> bool:
        grew = False
        for mid, doc, eid, block, lo, hi, anchored in rows:
            if mid not in self.nodes:
                self.nodes[mid] = Node(mid, doc, block, lo, hi, bool(anchored))
                self.event_of[mid] = eid
                grew = True
        return grew

    def wanted(self, anchored_only: bool = False) -> dict[str, tuple[date, date]]:
        """Per blocking key, the days the region's (anchored) mentions cover; undated mentions
        are grouped with nothing, so they need no neighbours."""
        out: dict[str, tuple[date, date]] = {}
        for n in self.nodes.values():
            if n.block is None or n.lo is None or (anchored_only and not n.anchored):
                continue
            lo, hi = out.get(n.block, (n.lo, n.hi))
            out[n.block] = (min(lo, n.lo), max(hi, n.hi))
        return out


_WINDOWS = 150  # (key, days) windows per query
_T = MentionRow.__table__


def _overlapping(windows: Sequence[tuple[str, date, date]]):
    """One statement (and its parameters) for the mentions under each key whose days meet the
    window's: an OR of index range scans on (block_key, wide, date_lo), each bounded below
    because no date is longer than SHORT_SPAN_DAYS, or MAX_SPAN_DAYS when wide. Written as text because building the
    expression costs more than running it."""
    terms, params, binds = [], {}, []
    for j, (block, lo, hi) in enumerate(windows):
        terms.append(f"(block_key = :b{j} AND wide = :n AND date_lo BETWEEN :s{j} AND :h{j} "
                     f"AND date_hi >= :l{j})")
        terms.append(f"(block_key = :b{j} AND wide = :w AND date_lo BETWEEN :f{j} AND :h{j} "
                     f"AND date_hi >= :l{j})")
        params.update({f"b{j}": block, f"l{j}": lo, f"h{j}": hi,
                       f"s{j}": lo - timedelta(days=SHORT_SPAN_DAYS),
                       f"f{j}": lo - timedelta(days=MAX_SPAN_DAYS)})
        binds += [bindparam(f"{k}{j}", type_=Date) for k in "lhsf"]
    params.update(n=False, w=True)
    binds += [bindparam("n", type_=Boolean), bindparam("w", type_=Boolean)]
    stmt = text("SELECT id, document_id, event_id, block_key, date_lo, date_hi, anchored "
                "FROM event_mentions WHERE " + " OR ".join(terms))
    stmt = stmt.bindparams(*binds).columns(_T.c.id, _T.c.document_id, _T.c.event_id,
                                           _T.c.block_key, _T.c.date_lo, _T.c.date_hi,
                                           _T.c.anchored)
    return stmt, params


def _grow(s: Session, region: _Region, with_links: bool) -> None:
    """Add the stored mentions a change can regroup: those under the same keys whose days meet
    the new mentions' (round 1), then those whose days meet any dated mention gathered so far
    (round 2: a floating mention whose candidate groups changed), each with its whole event
    and the mentions reviewers linked to it."""
    for anchored_only in (False, True):
        windows = [(block, lo, hi) for block, (lo, hi)
                   in sorted(region.wanted(anchored_only).items())
                   if region.covered.get(block) != (lo, hi)]
        for i in range(0, len(windows), _WINDOWS):
            region.add(s.execute(*_overlapping(windows[i:i + _WINDOWS])))
        region.covered.update((block, (lo, hi)) for block, lo, hi in windows)
        while True:  # whole events, and reviewers' links: a closed set, usually one step
            grew = False
            todo = {e for e in region.event_of.values() if e} - region.events
            for chunk in _chunks(todo):
                grew |= region.add(s.execute(select(*_NODE)
                                             .where(MentionRow.event_id.in_(chunk))))
            region.events |= todo
            if with_links:
                linked = {m for pair in _pairs(s, list(region.nodes), "must") for m in pair}
                partners = linked - region.nodes.keys()
                for chunk in _chunks(partners):
                    grew |= region.add(s.execute(select(*_NODE).where(MentionRow.id.in_(chunk))))
            if not grew:
                break


def _pairs(s: Session, ids: Sequence[str], kind: str) -> list[tuple[str, str]]:
    out = []
    for chunk in _chunks(ids):
        out += s.execute(select(LinkRow.mention_a, LinkRow.mention_b).where(
            LinkRow.kind == kind,
            or_(LinkRow.mention_a.in_(chunk), LinkRow.mention_b.in_(chunk)))).all()
    return [(a, b) for a, b in out]


def regroup(s: Session, new: Sequence[MentionValues], stale: Iterable[str] = ()) -> set[str]:
    """Store the new mentions (with their claims) in their events and
    regroup every event they, or the `stale` events (which lost mentions), touch. Returns the
    ids of the events written."""
    region = _Region()
    fresh = {m.id: m for m in new}
    for m in new:
        region.nodes[m.id] = Node(m.id, m.document_id, m.block_key, m.date_lo, m.date_hi,
                                  bool(m.anchored))
    stale = set(stale)
    for chunk in _chunks(stale):
        region.add(s.execute(select(*_NODE).where(MentionRow.event_id.in_(chunk))))
    region.events |= stale
    with_links = bool(s.scalar(select(exists().where(LinkRow.id.is_not(None)))))
    _grow(s, region, with_links)
    ids = sorted(region.nodes)
    must = _pairs(s, ids, "must") if with_links else []
    cannot = _pairs(s, ids, "cannot") if with_links else []
    parts = groups(list(region.nodes.values()), must=must, cannot=cannot)
    size: dict[str, int] = {}
    for e in region.event_of.values():
        size[e] = size.get(e, 0) + 1
    changed: dict[str, list[str]] = {}
    for part in parts:
        eid = event_id(*part)
        if eid not in stale and size.get(eid) == len(part) and all(
                region.event_of.get(m) == eid for m in part):
            continue  # the same event as before (one that lost a mention is settled again)
        changed[eid] = part
    old_events = set(region.event_of.values()) | stale
    _write(s, changed, fresh, region, old_events - {event_id(*p) for p in parts})
    return set(changed)


@dataclass(slots=True)
class _Claim:
    field: str
    low: int
    high: int


@dataclass(slots=True)
class _Stored:
    """What settling an event reads of a stored mention (plain values: loading ORM objects
    costs more than the settling)."""

    id: str
    document_id: str
    type: str
    workplace: dict | None
    actors: list
    location: dict | None
    date: dict
    demands: list
    claims: list[_Claim] = field(default_factory=list)


def _stored(s: Session, ids: Sequence[str]) -> dict[str, _Stored]:
    out: dict[str, _Stored] = {}
    for chunk in _chunks(ids):
        for r in s.execute(select(MentionRow.id, MentionRow.document_id, MentionRow.type,
                                  MentionRow.workplace, MentionRow.actors, MentionRow.location,
                                  MentionRow.date, MentionRow.demands)
                           .where(MentionRow.id.in_(chunk))):
            out[r[0]] = _Stored(*r)
        for mid, fld, low, high in s.execute(
                select(ClaimRow.mention_id, ClaimRow.field, ClaimRow.low, ClaimRow.high)
                .where(ClaimRow.mention_id.in_(chunk)).order_by(ClaimRow.id)):
            out[mid].claims.append(_Claim(fld, low, high))
    return out


def _write(s: Session, changed: dict[str, list[str]], fresh: dict[str, MentionValues],
           region: _Region, gone: set[str]) -> None:
    rows: dict[str, MentionValues | _Stored] = dict(fresh)
    rows.update(_stored(s, [m for part in changed.values() for m in part if m not in fresh]))
    docs = originals(s, (rows[m].document_id for part in changed.values() for m in part))
    resolve = workplace_resolver(s)
    by_mention = overrides(s, rows)
    stored: set[str] = set()
    for chunk in _chunks(changed):
        stored.update(s.scalars(select(EventRow.id).where(EventRow.id.in_(chunk))))
    inserts, updates = [], []
    for eid, part in sorted(changed.items()):
        values = _settled([rows[m] for m in part], docs, resolve, by_mention)
        (updates if eid in stored else inserts).append(values)
    events = EventRow.__table__
    if inserts:
        s.execute(events.insert(), inserts)
    if updates:
        for u in updates:
            u["b_id"] = u.pop("id")
        s.execute(events.update().where(events.c.id == bindparam("b_id")), updates)
    new_mentions, moved = [], []
    for eid, part in changed.items():
        for m in part:
            if m in fresh:
                fresh[m].event_id = eid
                new_mentions.append(m)
            elif region.event_of[m] != eid:
                moved.append({"b_id": m, "event_id": eid})
    if new_mentions:
        s.execute(_T.insert(), [fresh[m].row() for m in sorted(new_mentions)])
        claims = [{"mention_id": m, **{c: getattr(claim, c) for c in _CLAIM_COLUMNS}}
                  for m in sorted(new_mentions) for claim in fresh[m].claims]
        if claims:
            s.execute(ClaimRow.__table__.insert(), claims)
    if moved:
        s.execute(_T.update().where(_T.c.id == bindparam("b_id")), moved)
    for chunk in _chunks(gone - set(changed)):
        s.execute(delete(EventRow).where(EventRow.id.in_(chunk)))
