"""Store rows to what the API returns and the pages show: an event with its claims in context,
its sources grouped as independent outlets and their copies, and its audit history; a
document's extracted spans. What is shown was decided by `strikewatch.store.visibility`."""
from __future__ import annotations

from strikewatch.export.records import event_record
from strikewatch.store.models import DocumentRow
from strikewatch.store.queries import EventView
from strikewatch.store.visibility import DocumentView, Visibility
from strikewatch.types import COUNT_FIELDS

CONTEXT = 160  # characters shown around a span when no sentence is known


def in_context(text: str, start: int, end: int, sent_start: int | None = None,
               sent_end: int | None = None) -> dict:
    """A span with the text around it: the sentence when known, else some characters."""
    lo = sent_start if sent_start is not None and sent_start <= start else max(0, start - CONTEXT)
    hi = sent_end if sent_end is not None and sent_end >= end else min(len(text), end + CONTEXT)
    return {"before": text[lo:start], "span": text[start:end], "after": text[end:hi],
            "start": start, "end": end}


def _source(doc: DocumentRow | None, doc_id: str) -> dict:
    if doc is None:
        return {"document": doc_id}
    return {"document": doc_id, "title": doc.title, "publisher": doc.publisher, "url": doc.url,
            "published": doc.published.isoformat() if doc.published else None}


def grouped_sources(view: EventView) -> list[dict]:
    """Independent outlets, each with the copies of it among the event's documents."""
    ids = sorted({m.document_id for m in view.event.mentions})
    originals: dict[str, dict] = {}
    copies: list[tuple[str, str]] = []
    for d in ids:
        doc = view.documents.get(d)
        orig = doc.copy_of if doc is not None and doc.copy_of in ids else None
        if orig:
            copies.append((orig, d))
        else:
            originals[d] = {**_source(doc, d), "copies": []}
    for orig, d in copies:
        originals[orig]["copies"].append(_source(view.documents.get(d), d))
    return list(originals.values())


def event_detail(view: EventView, visibility: Visibility) -> dict:
    """The export record of the event, plus every claim and evidence sentence in context,
    grouped sources and the audit history as `visibility` shows it."""
    ev = view.event
    rec = event_record(ev)
    texts = {d: doc.text for d, doc in view.documents.items()}
    for field in COUNT_FIELDS:
        if rec[field] is None:
            continue
        sentences = {(c.document_id, c.start): (c.sentence_start, c.sentence_end)
                     for m in ev.mentions for c in m.claims if c.field == field}
        for claim in rec[field]["claims"]:
            text = texts.get(claim["document"], "")
            ss, se = sentences.get((claim["document"], claim["start"]), (None, None))
            claim["context"] = in_context(text, claim["start"], claim["end"], ss, se)
    for src in rec["sources"]:
        text = texts.get(src["document"], "")
        src["evidence"] = [in_context(text, e["start"], e["end"]) for e in src["evidence"]]
    rec["source_groups"] = grouped_sources(view)
    rec["verified_at"] = ev.verified_at.isoformat(timespec="seconds") if ev.verified_at else None
    rec["audit"] = visibility.audit(view.audit, ev.id)
    return rec


def event_summary(ev) -> dict:
    return {
        "id": ev.id, "type": ev.type, "workplace": ev.workplace_name,
        "workplace_entity": ev.workplace_entity, "place": ev.place_name, "region": ev.admin1,
        "country": ev.country, "lat": ev.lat, "lon": ev.lon,
        "date_start": ev.date_start.isoformat() if ev.date_start else None,
        "date_end": ev.date_end.isoformat() if ev.date_end else None,
        "participants": [ev.participants_low, ev.participants_high]
        if ev.participants_high is not None else None,
        "arrests": [ev.arrests_low, ev.arrests_high] if ev.arrests_high is not None else None,
        "independent_sources": ev.independent_sources, "review_status": ev.review_status,
    }


def spans_of(view: DocumentView) -> list[dict]:
    """Every extracted span of a document the reader may see: evidence, workplace, place, date,
    claims (of the events shown) and entities."""
    out = []
    for m in view.mentions:
        for e in m.evidence:
            out.append({"kind": "evidence", "start": e["start"], "end": e["end"], "event": m.event_id})
        if m.workplace:
            out.append({"kind": "workplace", "start": m.workplace["start"],
                        "end": m.workplace["end"], "event": m.event_id})
        if m.location and m.location.get("span"):
            sp = m.location["span"]
            out.append({"kind": "place", "start": sp["start"], "end": sp["end"], "event": m.event_id})
        if m.date and m.date.get("span"):
            sp = m.date["span"]
            out.append({"kind": "date", "start": sp["start"], "end": sp["end"], "event": m.event_id})
        for c in m.claims:
            out.append({"kind": c.field, "start": c.start, "end": c.end, "event": m.event_id})
    for start, end, eid, etype in view.entities:
        out.append({"kind": f"entity-{etype}", "start": start, "end": end, "entity": eid})
    return sorted(out, key=lambda x: (x["start"], -x["end"]))
