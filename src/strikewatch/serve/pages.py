"""HTML pages (Jinja2, autoescaped; no inline script or style) and the forms behind them.
Every form carries the CSRF token; every POST checks it."""
from __future__ import annotations

from importlib import resources
from urllib.parse import quote
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from strikewatch.serve import feed, security
from strikewatch.serve.api import visibility, visible_document, visible_entity, visible_event
from strikewatch.serve.app import ApiError, Viewer, assets_missing, viewer
from strikewatch.serve.views import event_detail, spans_of
from strikewatch.store import accounts, corrections, queries, review
from strikewatch.store.visibility import STATUSES, public_statuses
from strikewatch.types import COUNT_FIELDS, EVENT_TYPES

router = APIRouter(include_in_schema=False)
templates = Jinja2Templates(directory=str(resources.files("strikewatch.serve") / "templates"))
# an id in a link's path: a document id is the sender's ("a#b", "x?y", "100%" stay one path)
templates.env.filters["path"] = lambda value: quote(str(value), safe="/")
ViewerDep = Annotated[Viewer, Depends(viewer)]


def page(request: Request, name: str, status: int = 200, headers: dict | None = None, **ctx):
    v = viewer(request)
    settings = request.app.state.settings
    return templates.TemplateResponse(request, name, {
        "viewer": v, "public": public_statuses(settings.public),
        "missing": assets_missing(settings),
        "event_types": EVENT_TYPES, **ctx}, status_code=status, headers=headers)


def render_error(request: Request, status: int, message: str, headers: dict | None = None):
    return page(request, "error.html", status=status, headers=headers, status_code=status,
                message=message)


def _form_csrf(v: Viewer, token: str | None) -> None:
    if not security.same(token, v.csrf):
        raise ApiError(403, "csrf", "the form is stale or was not sent by this site: reload "
                                    "the page and try again")


def _reviewer(v: Viewer, token: str | None) -> Viewer:
    if v.role is None:
        raise ApiError(401, "unauthorized", "log in as a reviewer first")
    if not v.can("reviewer"):
        raise ApiError(403, "forbidden", "this needs the reviewer role")
    _form_csrf(v, token)
    return v


def _back(url: str) -> RedirectResponse:
    return RedirectResponse(url, status_code=303)


@router.get("/", response_class=HTMLResponse)
def index(request: Request):
    return page(request, "index.html")


@router.get("/events/{event_id}", response_class=HTMLResponse)
def event_page(request: Request, v: ViewerDep, event_id: str):
    with request.app.state.store.session() as s:
        rec = event_detail(visible_event(request, v, s, event_id), visibility(request, v))
    return page(request, "event.html", ev=rec, count_fields=COUNT_FIELDS,
                statuses=STATUSES, editable=_editable(rec))


def _editable(rec: dict) -> list[tuple[str, object]]:
    fields = [("type", rec["type"]), ("workplace_name", (rec["workplace"] or {}).get("name")),
              ("place_name", (rec["location"] or {}).get("name")),
              ("date_start", rec["date"]["start"]), ("date_end", rec["date"]["end"])]
    for f in COUNT_FIELDS:
        c = rec[f] or {}
        fields += [(f"{f}_low", c.get("low")), (f"{f}_high", c.get("high"))]
    return fields


@router.get("/documents/{document_id:path}", response_class=HTMLResponse)  # ids may hold "/"
def document_page(request: Request, v: ViewerDep, document_id: str):
    with request.app.state.store.session() as s:
        view = visible_document(request, v, s, document_id)
        segments = highlight(view.doc.text, spans_of(view))
        return page(request, "document.html", doc=view.doc, copy_of=view.copy_of,
                    segments=segments, events=view.events)


def highlight(text: str, spans: list[dict]) -> list[tuple[str, list[str]]]:
    """The text cut at every span boundary: (piece, kinds of the spans covering it)."""
    cuts = sorted({0, len(text), *(s["start"] for s in spans), *(s["end"] for s in spans)})
    out = []
    for a, b in zip(cuts, cuts[1:]):
        if a >= b or a < 0 or b > len(text):
            continue
        kinds = sorted({s["kind"] for s in spans if s["start"] <= a and b <= s["end"]})
        out.append((text[a:b], kinds))
    return out


@router.get("/entities/{entity_id}", response_class=HTMLResponse)
def entity_page(request: Request, v: ViewerDep, entity_id: str):
    with request.app.state.store.session() as s:
        ent = visible_entity(request, v, s, entity_id)
        months: dict[str, int] = {}
        for e in ent.events:
            if e.date_start:
                key = e.date_start.strftime("%Y-%m")
                months[key] = months.get(key, 0) + 1
        return page(request, "entity.html", ent=ent, aliases=ent.aliases, events=ent.events,
                    months=sorted(months.items()), peak=max(months.values(), default=1),
                    documents=ent.documents)


@router.get("/review", response_class=HTMLResponse)
def review_queue(request: Request, v: ViewerDep):
    if not v.can("reviewer"):
        return _back("/login?next=/review")
    with request.app.state.store.session() as s:
        todo = queries.list_events(s, queries.EventFilter(statuses=("unreviewed",)),
                                   sort="-sources", limit=100, count=True)
        return page(request, "review.html", events=todo.items, total=todo.total)


@router.post("/events/{event_id}/review")
def review_form(request: Request, v: ViewerDep, event_id: str,
                status: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = "",
                next: Annotated[str, Form()] = ""):
    _reviewer(v, csrf_token)
    eid = review.review_event(request.app.state.store, event_id, status=status, actor=v.name)
    return _back(next if next.startswith("/") and not next.startswith("//") else f"/events/{eid}")


@router.post("/events/{event_id}/edit")
async def edit_form(request: Request, v: ViewerDep, event_id: str):
    form = await request.form()
    _reviewer(v, form.get("csrf_token"))
    with request.app.state.store.session() as s:
        current = visible_event(request, v, s, event_id)
        before = dict(_editable(event_detail(current, visibility(request, v))))
    changes = {k: form.get(k) for k in before if k in form
               and (form.get(k) or None) != (None if before[k] is None else str(before[k]))}
    if not changes:
        return _back(f"/events/{event_id}")
    eid = review.review_event(request.app.state.store, event_id, changes=changes, actor=v.name)
    return _back(f"/events/{eid}")


@router.post("/events/merge")
def merge_form(request: Request, v: ViewerDep, a: Annotated[str, Form()],
               b: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = ""):
    _reviewer(v, csrf_token)
    return _back(f"/events/{corrections.merge_events(request.app.state.store, a, b, actor=v.name)}")


@router.post("/events/{event_id}/split")
def split_form(request: Request, v: ViewerDep, event_id: str,
               document: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = ""):
    _reviewer(v, csrf_token)
    rest, _out = corrections.split_event(request.app.state.store, event_id,
                                         documents=[document], actor=v.name)
    return _back(f"/events/{rest}")


@router.post("/entities/merge")
def entity_merge_form(request: Request, v: ViewerDep, a: Annotated[str, Form()],
                      b: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = ""):
    _reviewer(v, csrf_token)
    kept = corrections.merge_entities(request.app.state.store, a, b, actor=v.name)
    return _back(f"/entities/{kept}")


@router.post("/entities/{entity_id}/split")
def entity_split_form(request: Request, v: ViewerDep, entity_id: str,
                      alias: Annotated[str, Form()], csrf_token: Annotated[str, Form()] = ""):
    _reviewer(v, csrf_token)
    new = corrections.split_entity(request.app.state.store, entity_id, alias=alias,
                                   actor=v.name)
    return _back(f"/entities/{new}")


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, next: str = "/"):
    return page(request, "login.html", next=next, error=None)


@router.post("/login")
def login(request: Request, v: ViewerDep, name: Annotated[str, Form(max_length=100)],
          password: Annotated[str, Form(max_length=1000)],
          csrf_token: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    _form_csrf(v, csrf_token)
    limiter: security.LoginLimiter = request.app.state.limiter
    client = f"ip:{request.client.host if request.client else '?'}"
    wait = limiter.retry_after(client, f"user:{name}")
    if wait:
        raise ApiError(429, "too_many_requests",
                       f"too many failed logins: try again in {wait} s")
    user = accounts.authenticate(request.app.state.store, name, password)
    if user is None:
        limiter.failed(client, f"user:{name}")
        return page(request, "login.html", status=401, next=next,
                    error="Wrong name or password.")
    limiter.succeeded(f"user:{name}")
    token, _csrf = accounts.open_session(request.app.state.store, user)
    target = next if next.startswith("/") and not next.startswith("//") else "/"
    response = _back(target)
    response.set_cookie(security.SESSION_COOKIE, token, httponly=True, samesite="lax",
                        secure=request.app.state.settings.secure_cookies,
                        max_age=accounts.SESSION_HOURS * 3600)
    return response


@router.post("/logout")
def logout(request: Request, v: ViewerDep, csrf_token: Annotated[str, Form()] = ""):
    _form_csrf(v, csrf_token)
    accounts.close_session(request.app.state.store, request.cookies.get(security.SESSION_COOKIE))
    response = _back("/")
    response.delete_cookie(security.SESSION_COOKIE)
    return response


@router.get("/favicon.ico")
def favicon() -> Response:
    return Response(status_code=204)


@router.get("/feed.atom")
def atom(request: Request) -> Response:
    return feed.atom_response(request)
