"""Reviewers' decisions about one event: its status (verified, rejected) and edited fields.

Each decision is an ``event_overrides`` row on the event's smallest mention (a stable id), so
it holds when documents are ingested again or the event is regrouped; settling applies it
(`merge.events.apply_review`). Every decision is one transaction with one audit row.
"""
from __future__ import annotations

from datetime import date

from sqlalchemy import select

from strikewatch.merge.events import EDITABLE, REVIEW_STATUSES
from strikewatch.store import clustering
from strikewatch.store.corrections import (
    CorrectionError,
    _audit,
    _check_actor,
    _db_errors,
    _find_event,
    _now,
)
from strikewatch.store.models import EventOverrideRow, EventRow, MentionRow
from strikewatch.store.repository import Store
from strikewatch.types import EVENT_TYPES


def _check(field: str, value: object) -> object:
    kind = EDITABLE.get(field)
    if kind is None or field == "review_status":
        fields = ", ".join(f for f in EDITABLE if f != "review_status")
        raise CorrectionError(f"field {field!r} cannot be edited", fix=f"edit one of {fields}")
    if value is None or value == "":
        return None
    try:
        if kind is int:
            number = int(value)
            if number < 0 or number > 100_000_000:
                raise ValueError(value)
            return number
        if kind is date:
            return date.fromisoformat(str(value)).isoformat()
    except (TypeError, ValueError):
        raise CorrectionError(f"{field}: {value!r} is not a valid {kind.__name__}",
                              fix="a whole number from 0" if kind is int
                              else "a date as YYYY-MM-DD") from None
    text = " ".join(str(value).split())[:300]
    if field == "type" and text not in EVENT_TYPES:
        raise CorrectionError(f"type: {text!r} is not an event type",
                              fix=f"use one of {', '.join(EVENT_TYPES)}")
    return text


def _snapshot(ev: EventRow, fields) -> dict:
    out = {}
    for f in fields:
        v = getattr(ev, f)
        out[f] = v.isoformat() if hasattr(v, "isoformat") else v
    return out


@_db_errors
def review_event(store: Store, event: str, *, status: str | None = None,
                 changes: dict[str, object] | None = None, actor: str) -> str:
    """Set an event's review status and/or edit its fields, for good. Returns its id."""
    actor = _check_actor(actor)
    changes = dict(changes or {})
    if status is not None and status not in REVIEW_STATUSES:
        raise CorrectionError(f"unknown review status {status!r}",
                              fix=f"use one of {', '.join(REVIEW_STATUSES)}")
    values = {f: _check(f, v) for f, v in changes.items()}
    if status is not None:
        values["review_status"] = status
    if not values:
        raise CorrectionError("nothing to change", fix="give a status or a field to edit")
    with store.writing() as s:
        ev = _find_event(s, event)
        anchor = s.scalar(select(MentionRow.id).where(MentionRow.event_id == ev.id)
                          .order_by(MentionRow.id).limit(1))
        if anchor is None:
            raise CorrectionError(f"event {ev.id!r} has no mentions", fix="reload the page")
        before = _snapshot(ev, values)
        at = _now()
        for field, value in values.items():
            s.add(EventOverrideRow(mention_id=anchor, field=field, value=value, actor=actor,
                                   at=at))
        s.flush()
        eid = clustering.settle(s, ev.id)
        after = _snapshot(s.get(EventRow, eid), values)
        action = "events.review" if list(values) == ["review_status"] else "events.edit"
        _audit(s, actor=actor, action=action, target=eid, before=before, after=after)
        return eid
