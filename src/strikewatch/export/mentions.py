"""One document's event mentions as plain records, in the shape of the export contract's events
(no store: no event id, one source), with every value's evidence span."""
from __future__ import annotations

from strikewatch.types import COUNT_FIELDS, EventMention, Span


def _span(span: Span | None) -> dict | None:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def mention_record(m: EventMention) -> dict:
    place = m.location
    return {
        "document": m.document,
        "type": m.type,
        "workplace": (None if m.workplace is None else {
            "name": m.workplace.name, "span": _span(m.workplace.span),
            "entity": m.workplace.enterprise.key if m.workplace.enterprise else None}),
        "actors": list(m.actors),
        "location": (None if place is None else {
            "name": place.name, "admin1": place.admin1, "country": place.country,
            "lat": place.lat, "lon": place.lon, "precision": place.precision,
            "span": _span(m.location_span)}),
        "date": {"start": m.date.start.isoformat() if m.date.start else None,
                 "end": m.date.end.isoformat() if m.date.end else None,
                 "precision": m.date.precision, "text": m.date.text, "span": _span(m.date.span)},
        **{f: (None if (c := m.count(f)) is None else {
            "low": c.low, "high": c.high,
            "claims": [{"low": x.low, "high": x.high, "text": x.span.text,
                        "start": x.span.start, "end": x.span.end,
                        "attributed_to": x.attributed_to} for x in c.claims]})
           for f in COUNT_FIELDS},
        "demands": [{"label": d.label, "span": _span(d.span)} for d in m.demands],
        "evidence": [_span(s) for s in m.evidence],
    }
