"""The Atom feed of newly verified events (RFC 4287), newest verification first."""
from __future__ import annotations

from datetime import datetime, timezone
from xml.etree import ElementTree as ET

from fastapi import Request
from fastapi.responses import Response
from sqlalchemy import select

from strikewatch.store.models import EventRow

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
    with request.app.state.store.session() as s:
        events = list(s.scalars(select(EventRow).where(EventRow.review_status == "verified")
                                .order_by(EventRow.verified_at.desc(), EventRow.id)
                                .limit(ENTRIES)))
    base = str(request.base_url).rstrip("/")
    return Response(atom(base, events), media_type="application/atom+xml")
