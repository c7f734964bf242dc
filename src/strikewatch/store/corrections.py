"""Corrections that stick: a reviewer merges or splits events and entities, and the decision
outlives re-ingest.

* Events. A merge records ``must`` links and a split records ``cannot`` links between event
  mentions (table ``mention_links``). Mention ids are stable across re-extraction of an
  unchanged text, and :func:`strikewatch.store.clustering.match` consults the links whenever a
  mention is placed, so a re-ingested document lands where the reviewer put it.

  A merge links *every* mention of A with *every* mention of B (not a star from A's smallest
  mention). It costs ``len(A) * len(B)`` rows, but no single mention is a point of failure: if a
  document changes and one mention id disappears, each of the other mentions is still tied to
  the other side, and any one mention re-ingested alone is forced back into the merged event
  even when the merged event's blocking key no longer matches it by the rules.

* Entities. An entity key can be redirected (table ``entity_overrides``): ``B.key -> A.key``
  after a merge, ``"E.key|surface" -> new key`` after a split. :func:`resolve_entity_key` applies
  them; the store calls it when it resolves the key of an extracted entity mention.

Every correction is one transaction and appends one row to the audit log (who, when, what, and
before/after snapshots of the events or entities it touched).
"""
from __future__ import annotations

import functools
import hashlib
from collections import Counter
from collections.abc import Callable, Iterable
from datetime import datetime, timezone
from typing import TYPE_CHECKING, ParamSpec, TypeVar

from sqlalchemy import and_, delete, or_, select, update
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from strikewatch.errors import ConfigError, StoreError
from strikewatch.ids import entity_id, event_id, fold
from strikewatch.resolve.overrides import apply_overrides
from strikewatch.resolve.overrides import walk as _walk
from strikewatch.store import clustering
from strikewatch.store.models import (
    AuditRow,
    EntityMentionRow,
    EntityOverrideRow,
    EntityRow,
    EventOverrideRow,
    EventRow,
    LinkRow,
    MentionRow,
)

if TYPE_CHECKING:
    from strikewatch.store.repository import Store

__all__ = [
    "CorrectionError",
    "apply_overrides",
    "audit_log",
    "merge_entities",
    "merge_events",
    "resolve_entity",
    "resolve_entity_key",
    "split_entity",
    "split_event",
]

MUST, CANNOT = "must", "cannot"


class CorrectionError(ConfigError):
    """A correction names something that does not exist, is ambiguous, or makes no sense."""


P = ParamSpec("P")
R = TypeVar("R")


def _db_errors(fn: Callable[P, R]) -> Callable[P, R]:
    """Database errors become one-line StoreErrors, as in Store.save."""
    @functools.wraps(fn)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return fn(*args, **kwargs)
        except SQLAlchemyError as err:
            raise StoreError(
                f"cannot apply the correction ({fn.__name__}): "
                f"{err.__class__.__name__}: {str(err).splitlines()[0]}",
                fix="check that the database is reachable and not locked by another writer",
            ) from err
    return wrapper


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)  # naive UTC, as ingested_at


def _audit(s: Session, *, actor: str, action: str, target: str, before: dict,
           after: dict) -> None:
    s.add(AuditRow(at=_now(), actor=actor, action=action, target=target[:300],
                   before=before, after=after))
    s.flush()


def _check_actor(actor: str) -> str:
    actor = (actor or "").strip()
    if not actor:
        raise CorrectionError("a correction needs an actor (who made it)",
                              fix="pass --actor NAME or set STRIKEWATCH_ACTOR")
    return actor[:200]


# --- looking things up ----------------------------------------------------------------------------


def _one(kind: str, value: str, rows: list[str], *, listing: str) -> str:
    if len(rows) == 1:
        return rows[0]
    if not rows:
        raise CorrectionError(f"no {kind} with id {value!r}",
                              fix=f"use an id (or the start of one) from `{listing}`")
    shown = ", ".join(rows[:5]) + (", ..." if len(rows) > 5 else "")
    plural = {"entity": "entities"}.get(kind, kind + "s")
    raise CorrectionError(f"{kind} id prefix {value!r} matches {len(rows)} {plural} ({shown})",
                          fix="give more characters of the id")


def _find_event(s: Session, value: str) -> EventRow:
    value = (value or "").strip()
    if not value:
        raise CorrectionError("empty event id", fix="use an id from `strikewatch events list`")
    if s.get(EventRow, value) is not None:
        eid = value
    else:
        eid = _one("event", value, list(s.scalars(
            select(EventRow.id).where(EventRow.id.startswith(value, autoescape=True))
            .order_by(EventRow.id).limit(6))), listing="strikewatch events list")
    return s.get(EventRow, eid)  # type: ignore[return-value]


def _find_entity(s: Session, value: str) -> EntityRow:
    """By id, by key (``workplace:kb:belaz``), or by a unique start of the id."""
    value = (value or "").strip()
    if not value:
        raise CorrectionError("empty entity id", fix="use an id from `strikewatch entities list`")
    row = s.get(EntityRow, value) or s.scalar(select(EntityRow).where(EntityRow.key == value))
    if row is not None:
        return row
    eid = _one("entity", value, list(s.scalars(
        select(EntityRow.id).where(EntityRow.id.startswith(value, autoescape=True))
        .order_by(EntityRow.id).limit(6))), listing="strikewatch entities list")
    return s.get(EntityRow, eid)  # type: ignore[return-value]


def _mentions_of(s: Session, eid: str) -> list[MentionRow]:
    return list(s.scalars(select(MentionRow).where(MentionRow.event_id == eid)
                          .order_by(MentionRow.id)))


# --- snapshots for the audit log ------------------------------------------------------------------


def _event_snapshot(s: Session, eid: str) -> dict:
    ev = s.get(EventRow, eid)
    mentions = s.execute(select(MentionRow.id, MentionRow.document_id)
                         .where(MentionRow.event_id == eid).order_by(MentionRow.id)).all()
    return {
        "id": eid,
        "type": ev.type if ev else None,
        "name": (ev.workplace_name or ev.place_name or ", ".join(ev.actors or [])) if ev else None,
        "date": ev.date_start.isoformat() if ev and ev.date_start else None,
        "review_status": ev.review_status if ev else None,
        "mentions": [m for m, _ in mentions],
        "documents": sorted({d for _, d in mentions}),
    }


def _entity_snapshot(s: Session, eid: str) -> dict:
    ent = s.get(EntityRow, eid)
    rows = s.execute(select(EntityMentionRow.document_id, EntityMentionRow.text)
                     .where(EntityMentionRow.entity_id == eid)).all()
    return {
        "id": eid,
        "key": ent.key if ent else None,
        "type": ent.type if ent else None,
        "name": ent.name if ent else None,
        "aliases": sorted(a.alias for a in ent.aliases) if ent else [],
        "documents": sorted({d for d, _ in rows}),
        "mentions": len(rows),
    }


# --- mention links --------------------------------------------------------------------------------


def _pairs(kind: str, left: Iterable[str], right: Iterable[str]):
    """The links of `kind` between any of `left` and any of `right`, either way round."""
    left, right = list(left), list(right)
    return and_(LinkRow.kind == kind, or_(
        and_(LinkRow.mention_a.in_(left), LinkRow.mention_b.in_(right)),
        and_(LinkRow.mention_a.in_(right), LinkRow.mention_b.in_(left))))


def _unlink(s: Session, kind: str, left: list[str], right: list[str]) -> list[list[str]]:
    if not left or not right:
        return []
    gone = [[kind, a, b] for a, b in s.execute(
        select(LinkRow.mention_a, LinkRow.mention_b).where(_pairs(kind, left, right))
        .order_by(LinkRow.mention_a, LinkRow.mention_b))]
    s.execute(delete(LinkRow).where(_pairs(kind, left, right)))
    return gone


def _link(s: Session, kind: str, left: list[str], right: list[str]) -> list[list[str]]:
    """Link every mention of `left` with every mention of `right` (stored smaller id first)."""
    if not left or not right:
        return []
    have = {tuple(sorted(p)) for p in s.execute(
        select(LinkRow.mention_a, LinkRow.mention_b).where(_pairs(kind, left, right)))}
    added = []
    for a in left:
        for b in right:
            pair = (min(a, b), max(a, b))
            if a == b or pair in have:
                continue
            have.add(pair)
            s.add(LinkRow(kind=kind, mention_a=pair[0], mention_b=pair[1]))
            added.append([kind, *pair])
    s.flush()
    return added


# --- events ---------------------------------------------------------------------------------------


@_db_errors
def merge_events(store: Store, a: str, b: str, *, actor: str) -> str:
    """Make events `a` and `b` (ids or unique starts of ids) one event, for good.

    Records a ``must`` link between every mention of A and every mention of B, removes any
    ``cannot`` link between them, moves B's mentions into A and settles the event (it is named
    after its smallest mention id, so it may take B's id). Returns the merged event's id."""
    actor = _check_actor(actor)
    with store.writing() as s:
        ev_a, ev_b = _find_event(s, a), _find_event(s, b)
        if ev_a.id == ev_b.id:
            raise CorrectionError(f"cannot merge event {ev_a.id!r} with itself ({a!r} and {b!r} "
                                  "name the same event)", fix="name two different events")
        before = [_event_snapshot(s, ev_a.id), _event_snapshot(s, ev_b.id)]
        ma, mb = before[0]["mentions"], before[1]["mentions"]
        removed = _unlink(s, CANNOT, ma, mb)
        added = _link(s, MUST, ma, mb)
        s.execute(update(MentionRow).where(MentionRow.event_id == ev_b.id)
                  .values(event_id=ev_a.id))
        s.flush()
        s.expire_all()
        clustering.settle(s, ev_b.id)  # now empty: deleted
        merged = clustering.settle(s, ev_a.id)
        assert merged is not None
        after = {**_event_snapshot(s, merged), "links_added": added, "links_removed": removed}
        _audit(s, actor=actor, action="events.merge", target=f"{ev_a.id}+{ev_b.id}",
               before={"events": before}, after={"events": [after]})
        return merged


@_db_errors
def split_event(store: Store, event: str, *, documents: list[str] | None = None,
                mentions: list[str] | None = None, actor: str) -> list[str]:
    """Move the mentions of `event` told by `documents` (document ids) and/or named by
    `mentions` (mention ids or unique starts of them) out into an event of their own, for good.

    Records a ``cannot`` link between each moved and each remaining mention and removes the
    ``must`` links between them. Both events are settled (each is named after its smallest
    mention id, so the moved mentions may keep the old id and the others take a new one).
    The remaining mentions keep the event's review status; the moved ones are unreviewed
    (rejected, if the event was), since nobody has reviewed them as an event of their own.
    Returns ``[event of the remaining mentions, event of the moved mentions]``."""
    actor = _check_actor(actor)
    documents, mentions = list(documents or []), list(mentions or [])
    if not documents and not mentions:
        raise CorrectionError("a split needs the documents or mentions to move out",
                              fix="pass --document DOC (or --mention MENTION) at least once")
    with store.writing() as s:
        ev = _find_event(s, event)
        members = _mentions_of(s, ev.id)
        docs = sorted({m.document_id for m in members})
        moved: set[str] = set()
        for doc in documents:
            found = {m.id for m in members if m.document_id == doc}
            if not found:
                raise CorrectionError(
                    f"document {doc!r} tells no mention of event {ev.id!r} "
                    f"(its documents: {', '.join(docs)})",
                    fix="name one of its documents (`strikewatch events show` lists them)")
            moved |= found
        for value in mentions:
            found = [m.id for m in members if m.id == value] or \
                [m.id for m in members if m.id.startswith(value)]
            if len(found) != 1:
                what = "no mention" if not found else f"{len(found)} mentions"
                raise CorrectionError(
                    f"{what} of event {ev.id!r} with id starting {value!r} "
                    f"(its mentions: {', '.join(m.id for m in members)})",
                    fix="name one of the event's mentions by its id or a unique start of it")
            moved |= set(found)
        rest = [m.id for m in members if m.id not in moved]
        if not rest:
            raise CorrectionError(
                f"splitting out every mention of event {ev.id!r} leaves nothing behind "
                f"(its documents: {', '.join(docs)})",
                fix="move out only some of its documents or mentions")
        out = sorted(moved)
        status, verified_at = ev.review_status, ev.verified_at
        before = _event_snapshot(s, ev.id)
        removed = _unlink(s, MUST, out, rest)
        added = _link(s, CANNOT, out, rest)
        # The group holding the smallest mention keeps the row; the other gets a new one.
        leaving = out if min(members, key=lambda m: m.id).id in rest else rest
        new_id = event_id(*leaving)
        if s.get(EventRow, new_id) is None:
            s.add(EventRow(id=new_id, type=ev.type, actors=[], demands=[],
                           review_status=ev.review_status))
            s.flush()
        s.execute(update(MentionRow).where(MentionRow.id.in_(leaving))
                  .values(event_id=new_id))
        s.flush()
        s.expire_all()
        first = clustering.settle(s, ev.id)
        second = clustering.settle(s, new_id)
        assert first is not None and second is not None
        rest_id, out_id = (first, second) if leaving is out else (second, first)
        # The decision was about the event as it stood: the rest keeps its status, the part
        # split out is to be reviewed again (a part of a rejected event stays rejected).
        at = _now()
        _restatus(s, rest_id, status, verified_at if status == "verified" and verified_at
                  else at, actor)
        _restatus(s, out_id, "unreviewed" if status == "verified" else status, at, actor)
        after = [_event_snapshot(s, rest_id), _event_snapshot(s, out_id)]
        after[0].update(links_added=added, links_removed=removed)
        _audit(s, actor=actor, action="events.split", target=ev.id,
               before={"events": [before]}, after={"events": after})
        return [rest_id, out_id]


def _restatus(s: Session, eid: str, status: str, at: datetime, actor: str) -> None:
    """Give event `eid` review status `status` (an override on its smallest mention, as a
    reviewer's decision is) unless it has it already."""
    ev = s.get(EventRow, eid)
    if ev is None or ev.review_status == status:
        return
    anchor = min(m.id for m in _mentions_of(s, eid))
    s.add(EventOverrideRow(mention_id=anchor, field="review_status", value=status,
                           actor=actor, at=at))
    s.flush()
    clustering.settle(s, eid)


# --- entities -------------------------------------------------------------------------------------


class _StoredOverrides(dict):
    """The overrides table as a mapping, read one source at a time as the walk needs it."""

    def __init__(self, session: Session) -> None:
        super().__init__()
        self.session = session

    def get(self, source, default=None):  # type: ignore[override]
        if source not in self:
            self[source] = self.session.scalar(
                select(EntityOverrideRow.target).where(EntityOverrideRow.source == source))
        value = self[source]
        return default if value is None else value


def resolve_entity_key(session: Session, key: str, surface: str | None = None) -> str:
    """The entity key an extracted entity mention belongs to, reviewers' overrides applied.

    `key` is ``entity_key(ent.type, ent.key or ent.name)`` and `surface` the mention's text
    (``ent.span.text``). Reads only the overrides on the way (one query per source tried)."""
    return _walk(_StoredOverrides(session), key, surface)[0]


def resolve_entity(session: Session, key: str, surface: str | None,
                   name: str) -> tuple[str, str]:
    """Like :func:`resolve_entity_key`, and also the name to give the entity row if it has to
    be created: the surface when a split (``key|surface`` override) decided the key, since a
    split-off entity is named after the surface form split out; else `name`."""
    resolved, by_surface = _walk(_StoredOverrides(session), key, surface)
    return resolved, (surface if by_surface and surface else name)


def _override(s: Session, source: str, target: str) -> dict:
    row = s.scalar(select(EntityOverrideRow).where(EntityOverrideRow.source == source))
    old = row.target if row else None
    if row is None:
        s.add(EntityOverrideRow(source=source, target=target))
    else:
        row.target = target
    s.flush()
    return {"source": source, "target": target, "was": old}


def _refresh_aliases(store: Store, s: Session, ids: set[str]) -> None:
    store._refresh_aliases(s, ids)  # the store's own rule: aliases are the other surfaces


@_db_errors
def merge_entities(store: Store, a: str, b: str, *, actor: str) -> str:
    """Make entity `b` part of entity `a` (ids, keys or unique starts of ids), for good:
    B's key resolves to A's key from now on; B's entity mentions (and so its surfaces, which
    become A's aliases) move to A, events naming B as workplace name A, and B is deleted.
    Returns A's id."""
    actor = _check_actor(actor)
    with store.writing() as s:
        ea, eb = _find_entity(s, a), _find_entity(s, b)
        if ea.id == eb.id:
            raise CorrectionError(f"cannot merge entity {ea.id!r} ({ea.name}) with itself "
                                  f"({a!r} and {b!r} name the same entity)",
                                  fix="name two different entities")
        if ea.type != eb.type:
            raise CorrectionError(f"cannot merge {eb.type} entity {eb.id!r} ({eb.name}) into "
                                  f"{ea.type} entity {ea.id!r} ({ea.name})",
                                  fix="merge entities of the same type")
        before = [_entity_snapshot(s, ea.id), _entity_snapshot(s, eb.id)]
        overrides = [_override(s, eb.key, ea.key)]
        # Flatten: whatever resolved to B now resolves to A; A itself is canonical again.
        for row in list(s.scalars(select(EntityOverrideRow).where(
                EntityOverrideRow.target == eb.key, EntityOverrideRow.source != eb.key))):
            overrides.append({"source": row.source, "target": ea.key, "was": row.target})
            row.target = ea.key
        s.execute(delete(EntityOverrideRow).where(EntityOverrideRow.source == ea.key))
        s.execute(update(EntityMentionRow).where(EntityMentionRow.entity_id == eb.id)
                  .values(entity_id=ea.id))
        s.execute(update(EventRow).where(EventRow.workplace_entity == eb.id)
                  .values(workplace_entity=ea.id))
        s.flush()
        s.expire_all()
        s.delete(s.get(EntityRow, eb.id))  # its aliases go with it (cascade)
        s.flush()
        _refresh_aliases(store, s, {ea.id})
        after = {**_entity_snapshot(s, ea.id), "overrides": overrides}
        _audit(s, actor=actor, action="entities.merge", target=f"{ea.id}+{eb.id}",
               before={"entities": before}, after={"entities": [after]})
        return ea.id


def _split_key(s: Session, ent: EntityRow, alias: str) -> str:
    base = f"{ent.type}:split:{fold(alias) or hashlib.sha1(alias.encode()).hexdigest()[:12]}"
    source = f"{ent.key}|{alias}"
    taken = s.scalar(select(EntityRow.id).where(EntityRow.key == base)) is not None or \
        s.scalar(select(EntityOverrideRow.id).where(EntityOverrideRow.target == base,
                                                    EntityOverrideRow.source != source)) is not None
    if not taken:
        return base
    return f"{base}~{hashlib.sha1(ent.key.encode()).hexdigest()[:8]}"


@_db_errors
def split_entity(store: Store, entity: str, *, alias: str, actor: str) -> str:
    """Give the surface form `alias` of `entity` (id, key or unique start of an id) an entity of
    its own, for good: ``"E.key|alias"`` resolves to a new key (``type:split:folded alias``)
    from now on, and the entity mentions with exactly that text move to the new entity, named
    `alias`. Returns the new entity's id."""
    actor = _check_actor(actor)
    with store.writing() as s:
        ent = _find_entity(s, entity)
        surfaces = Counter(s.scalars(select(EntityMentionRow.text)
                                     .where(EntityMentionRow.entity_id == ent.id)))
        if alias not in surfaces:
            raise CorrectionError(
                f"entity {ent.id!r} ({ent.name}) is never named {alias!r} "
                f"(it is named: {', '.join(repr(x) for x in sorted(surfaces)) or 'nothing'})",
                fix="pass --alias with one of those surface forms, exactly")
        if len(surfaces) == 1:
            raise CorrectionError(
                f"{alias!r} is the only name of entity {ent.id!r}: splitting it out would move "
                "every mention", fix="split out an alias that is not the entity's only name")
        before = [_entity_snapshot(s, ent.id)]
        key = _split_key(s, ent, alias)
        new_id = entity_id(key)
        if s.get(EntityRow, new_id) is None:
            s.add(EntityRow(id=new_id, type=ent.type, name=alias, key=key))
            s.flush()
        overrides = [_override(s, f"{ent.key}|{alias}", key)]
        s.execute(update(EntityMentionRow).where(EntityMentionRow.entity_id == ent.id,
                                                 EntityMentionRow.text == alias)
                  .values(entity_id=new_id))
        if ent.name == alias:  # the entity keeps the name it is now most often called
            del surfaces[alias]
            ent.name = sorted(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0][0]
        s.flush()
        s.expire_all()
        _refresh_aliases(store, s, {ent.id, new_id})
        after = [_entity_snapshot(s, ent.id), {**_entity_snapshot(s, new_id),
                                               "overrides": overrides}]
        _audit(s, actor=actor, action="entities.split", target=f"{ent.id}|{alias}",
               before={"entities": before}, after={"entities": after})
        return new_id


# --- the log --------------------------------------------------------------------------------------


@_db_errors
def audit_log(store: Store) -> list[AuditRow]:
    """Every correction, oldest first."""
    with store.session() as s:
        return list(s.scalars(select(AuditRow).order_by(AuditRow.id)))
