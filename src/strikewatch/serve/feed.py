"""The Atom feed of newly verified events (RFC 4287), newest verification first.

Its links start with the configured base URL (`Settings.base_url`, else
$STRIKEWATCH_BASE_URL, else http://127.0.0.1:8000/), never with the request's Host header,
which any client can forge (and a cache would then serve the forged links to everyone)."""
from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from fastapi import Request
from fastapi.responses import Response
from strikewatch import settings
from strikewatch.store.models import EventRow
from strikewatch.store.visibility import Visibility

ATOM = "http://www.w3.org/2005/Atom"
ENTRIES = 50


def _stamp(when: datetime | None) -> str:
    when = when or datetime(1970, 1, 1)
    return when.replace(tzinfo=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def title(ev: EventRow) -> str:
    what = ev.workplace_name or ", ".join(ev.actors or []) or "event"
    where = f" in {ev.place_name}" if ev.place_name else ""
    when = f" on {ev.date_start.isoformat()}" if ev.date_start else ""
    return f"{ev.type.capitalize()}: {what}{where}{when}"


def atom(base: str, events: list[EventRow]) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}title").text = "strikewatch: newly verified events"
    ET.SubElement(root, f"{{{ATOM}}}id").text = f"{base}/api/feed.atom"
    ET.SubElement(root, f"{{{ATOM}}}updated").text = _stamp(
        max((e.verified_at for e in events if e.verified_at), default=None))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", href=f"{base}/api/feed.atom")
    author = ET.SubElement(root, f"{{{ATOM}}}author")
    ET.SubElement(author, f"{{{ATOM}}}name").text = "strikewatch reviewers"
    for ev in events:
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        ET.SubElement(entry, f"{{{ATOM}}}id").text = f"urn:strikewatch:event:{ev.id}"
        ET.SubElement(entry, f"{{{ATOM}}}title").text = title(ev)
        ET.SubElement(entry, f"{{{ATOM}}}updated").text = _stamp(ev.verified_at)
        ET.SubElement(entry, f"{{{ATOM}}}link", href=f"{base}/events/{ev.id}")
        parts = [f"{ev.independent_sources} independent source(s)"]
        if ev.participants_high is not None:
            parts.append(f"participants {ev.participants_low}–{ev.participants_high}")
        if ev.arrests_high is not None:
            parts.append(f"arrests {ev.arrests_low}–{ev.arrests_high}")
        ET.SubElement(entry, f"{{{ATOM}}}summary").text = "; ".join(parts)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def atom_response(request: Request) -> Response:
    """The feed as a logged-out reader may see it, whoever asks (feed readers share it)."""
    app_settings = request.app.state.settings
    shown = Visibility.reader(logged_in=False, public=app_settings.public)
    with request.app.state.store.session() as s:
        events = shown.feed_events(s, ENTRIES)
    base = settings.base_url(app_settings.base_url).rstrip("/")
    return Response(atom(base, events), media_type="application/atom+xml")
