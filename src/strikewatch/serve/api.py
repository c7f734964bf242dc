"""The JSON API (OpenAPI at /openapi.json). Every error answers one shape:
``{"error": {"status", "code", "message"}}``. What a reader may see is decided by
`strikewatch.store.visibility`; every route here asks it."""
from __future__ import annotations

import io
from datetime import date
from typing import Annotated, Literal

from fastapi import APIRouter, Body, Depends, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from sqlalchemy.orm import Session

from strikewatch.export.writers import WRITERS
from strikewatch.serve import feed, security
from strikewatch.serve.app import ApiError, Viewer, viewer
from strikewatch.serve.views import event_detail, event_summary, spans_of
from strikewatch.store import corrections, queries, review
from strikewatch.store.models import EventRow
from strikewatch.store.visibility import STATUSES, DocumentView, EntityView, Visibility
from strikewatch.types import EVENT_TYPES

router = APIRouter(prefix="/api")
ViewerDep = Annotated[Viewer, Depends(viewer)]


def visibility(request: Request, v: Viewer) -> Visibility:
    """What this reader may see: everything when logged in, else the public view."""
    return Visibility.reader(logged_in=v.role is not None,
                             public=request.app.state.settings.public)


def event_filter(
    request: Request,
    v: ViewerDep,
    from_: Annotated[date | None, Query(alias="from", description="first day (YYYY-MM-DD)")] = None,
    to: Annotated[date | None, Query(description="last day (YYYY-MM-DD)")] = None,
    type: Annotated[str | None, Query(description="event types, comma-separated",
                                      max_length=200)] = None,
    place: Annotated[str | None, Query(max_length=200)] = None,
    region: Annotated[str | None, Query(max_length=200)] = None,
    country: Annotated[str | None, Query(max_length=2)] = None,
    workplace: Annotated[str | None, Query(description="entity id or words of the name",
                                           max_length=200)] = None,
    entity: Annotated[str | None, Query(description="entity id", max_length=100)] = None,
    status: Annotated[str | None, Query(description="review statuses, comma-separated",
                                        max_length=100)] = None,
    min_sources: Annotated[int | None, Query(ge=1, le=1000)] = None,
    q: Annotated[str | None, Query(description="full-text search", max_length=200)] = None,
) -> queries.EventFilter:
    types = queries.split_types([type or ""])
    if bad := [t for t in types if t not in EVENT_TYPES]:
        raise ApiError(400, "bad_request", f"unknown type {bad[0]!r}: use {', '.join(EVENT_TYPES)}")
    statuses = queries.split_types([status or ""])
    if bad := [t for t in statuses if t not in STATUSES]:
        raise ApiError(400, "bad_request", f"unknown status {bad[0]!r}: use {', '.join(STATUSES)}")
    return queries.EventFilter(
        date_from=from_, date_to=to, types=types, place=place, region=region, country=country,
        workplace=workplace, entity=entity, statuses=statuses, min_sources=min_sources, q=q,
        visible=visibility(request, v).event_statuses)


FilterDep = Annotated[queries.EventFilter, Depends(event_filter)]


def require(role: str):
    def check(request: Request, v: ViewerDep) -> Viewer:
        if v.role is None:
            raise ApiError(401, "unauthorized", "log in first")
        if not v.can(role):
            raise ApiError(403, "forbidden", f"this needs the {role} role")
        if request.method not in ("GET", "HEAD", "OPTIONS") and not security.same(
                request.headers.get("x-csrf-token"), v.csrf):
            raise ApiError(403, "csrf", "missing or wrong X-CSRF-Token header")
        return v
    return check


Reviewer = Annotated[Viewer, Depends(require("reviewer"))]


def _session(request: Request):
    return request.app.state.store.session()


# What a reader may open, for the API and the pages alike; anything else is a 404 (whose
# message does not repeat the id: the error page must not show a hidden name either).


def visible_event(request: Request, v: Viewer, s: Session, event_id: str):
    view = visibility(request, v).event(s, event_id)
    if view is None:
        raise ApiError(404, "not_found", "no such event")
    return view


def visible_document(request: Request, v: Viewer, s: Session, document_id: str) -> DocumentView:
    view = visibility(request, v).document(s, document_id)
    if view is None:
        raise ApiError(404, "not_found", "no such document")
    return view


def visible_entity(request: Request, v: Viewer, s: Session, entity_id: str) -> EntityView:
    view = visibility(request, v).entity(s, entity_id)
    if view is None:
        raise ApiError(404, "not_found", "no such entity")
    return view


@router.get("/events", summary="Events, filtered and sorted, one page at a time")
def list_events(
    request: Request, flt: FilterDep,
    sort: Literal["date", "-date", "sources", "-sources", "participants", "-participants"] = "-date",
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    cursor: Annotated[str | None, Query(max_length=400)] = None,
    count: bool = False,
):
    with _session(request) as s:
        page = queries.list_events(s, flt, sort=sort, limit=limit, cursor=cursor, count=count)
        return {"items": [event_summary(e) for e in page.items], "next": page.next,
                "total": page.total}


@router.get("/points", summary="Located events for the map: [id, lat, lon, type, "
                               "participants, first day]")
def points(request: Request, flt: FilterDep):
    with _session(request) as s:
        return {"points": queries.points(s, flt)}


@router.get("/timeline", summary="Events per first day and type")
def timeline(request: Request, flt: FilterDep):
    with _session(request) as s:
        return {"days": queries.timeline(s, flt)}


@router.get("/events/{event_id}", summary="One event with its claims, evidence and sources")
def get_event(request: Request, v: ViewerDep, event_id: str):
    with _session(request) as s:
        return event_detail(visible_event(request, v, s, event_id), visibility(request, v))


@router.get("/documents/{document_id:path}", summary="A document's text and extracted spans")
def get_document(request: Request, v: ViewerDep, document_id: str):
    with _session(request) as s:
        view = visible_document(request, v, s, document_id)
        doc = view.doc
        return {
            "id": doc.id, "title": doc.title, "publisher": doc.publisher, "url": doc.url,
            "published": doc.published.isoformat() if doc.published else None,
            "copy_of": view.copy_of, "text": doc.text, "events": view.events,
            "spans": spans_of(view),
        }


@router.get("/entities", summary="Entities: people, organisations, workplaces, places")
def list_entities(request: Request, v: ViewerDep,
                  type: Literal["person", "organization", "workplace", "place"] | None = None,
                  q: Annotated[str | None, Query(max_length=200)] = None,
                  limit: Annotated[int, Query(ge=1, le=500)] = 50,
                  after: Annotated[str | None, Query(max_length=100)] = None):
    with _session(request) as s:
        rows = visibility(request, v).entities(s, type=type, q=q, limit=limit + 1, after=after)
        more = len(rows) > limit
        rows = rows[:limit]
        return {"items": [{"id": e.id, "type": e.type, "name": e.name, "aliases": e.aliases}
                          for e in rows],
                "next": rows[-1].id if more and rows else None}


@router.get("/entities/{entity_id}", summary="An entity with its events over time")
def get_entity(request: Request, v: ViewerDep, entity_id: str):
    with _session(request) as s:
        ent = visible_entity(request, v, s, entity_id)
        return {"id": ent.id, "type": ent.type, "name": ent.name, "aliases": ent.aliases,
                "documents": ent.documents, "events": [event_summary(e) for e in ent.events]}


MEDIA = {"jsonl": "application/x-ndjson", "csv": "text/csv; charset=utf-8",
         "geojson": "application/geo+json"}


@router.get("/export/{kind}.{fmt}", summary="Every visible event or entity, in an export format")
def export(request: Request, v: ViewerDep, kind: Literal["events", "entities"],
           fmt: Literal["jsonl", "csv", "geojson"]):
    rows = visibility(request, v).export(request.app.state.store, kind)
    buf = io.StringIO()
    WRITERS[fmt](rows, buf, kind)
    return Response(buf.getvalue(), media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="strikewatch-{kind}.{fmt}"'})


@router.get("/feed.atom", summary="Atom feed of newly verified events",
            response_class=Response)
def atom(request: Request):
    return feed.atom_response(request)


@router.get("/me", summary="Who is logged in")
def me(v: ViewerDep):
    return {"name": v.name, "role": v.role}


# --- review -------------------------------------------------------------------------------


class ReviewBody(BaseModel):
    status: Literal["unreviewed", "verified", "rejected"]


class EditBody(BaseModel):
    changes: dict[str, str | int | None] = Field(max_length=20)


class MergeBody(BaseModel):
    a: str = Field(max_length=100)
    b: str = Field(max_length=100)


class SplitEventBody(BaseModel):
    documents: list[str] = Field(min_length=1, max_length=100)


class SplitEntityBody(BaseModel):
    alias: str = Field(min_length=1, max_length=300)


def _exists(request: Request, event_id: str) -> None:
    with _session(request) as s:
        if s.get(EventRow, event_id) is None:
            raise ApiError(404, "not_found", "no such event")


@router.post("/events/{event_id}/review", summary="Mark an event verified, rejected or unreviewed")
def set_review(request: Request, v: Reviewer, event_id: str, body: ReviewBody):
    _exists(request, event_id)
    eid = review.review_event(request.app.state.store, event_id, status=body.status,
                              actor=v.name)
    return {"id": eid, "review_status": body.status}


@router.patch("/events/{event_id}", summary="Edit an event's fields (kept across re-ingest)")
def edit_event(request: Request, v: Reviewer, event_id: str, body: EditBody):
    _exists(request, event_id)
    eid = review.review_event(request.app.state.store, event_id, changes=body.changes,
                              actor=v.name)
    return {"id": eid}


@router.post("/events/merge", summary="Make two events one")
def merge_events(request: Request, v: Reviewer, body: MergeBody):
    return {"id": corrections.merge_events(request.app.state.store, body.a, body.b, actor=v.name)}


@router.post("/events/{event_id}/split", summary="Move documents' mentions into an event of "
                                                 "their own")
def split_event(request: Request, v: Reviewer, event_id: str, body: SplitEventBody):
    ids = corrections.split_event(request.app.state.store, event_id, documents=body.documents,
                                  actor=v.name)
    return {"ids": ids}


@router.post("/entities/merge", summary="Make entity b part of entity a")
def merge_entities(request: Request, v: Reviewer, body: MergeBody):
    return {"id": corrections.merge_entities(request.app.state.store, body.a, body.b,
                                             actor=v.name)}


@router.post("/entities/{entity_id}/split", summary="Split a surface form off an entity")
def split_entity(request: Request, v: Reviewer, entity_id: str,
                 body: Annotated[SplitEntityBody, Body()]):
    return {"id": corrections.split_entity(request.app.state.store, entity_id, alias=body.alias,
                                           actor=v.name)}

