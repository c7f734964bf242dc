"""Typed records to rows, and rows back to the plain values the exports write."""
from __future__ import annotations

from strikewatch.ids import fold, mention_id
from strikewatch.merge.cluster import blocking_key, node_dates
from strikewatch.store.models import ClaimRow, MentionRow
from strikewatch.types import COUNT_FIELDS, DateValue, EventMention, Place, Span


def span_dict(span: Span) -> dict:
    return {"start": span.start, "end": span.end, "text": span.text}


def place_dict(place: Place, span: Span | None = None) -> dict:
    out = {"name": place.name, "admin1": place.admin1, "country": place.country,
           "lat": place.lat, "lon": place.lon, "precision": place.precision,
           "geonameid": place.geonameid}
    if span is not None:
        out["span"] = span_dict(span)
    return out


def date_dict(value: DateValue) -> dict:
    out = {"start": value.start.isoformat() if value.start else None,
           "end": value.end.isoformat() if value.end else None,
           "precision": value.precision, "text": value.text}
    if value.span is not None:
        out["span"] = span_dict(value.span)
    return out


def mention_key(ev: EventMention) -> str:
    """What distinguishes one event of a document from another, independent of order."""
    who = (ev.workplace.enterprise.key if ev.workplace and ev.workplace.enterprise
           else fold(ev.workplace.name) if ev.workplace else ",".join(sorted(ev.actors)))
    where = ev.location.geonameid or ev.location.name if ev.location else ""
    when = ev.date.start.isoformat() if ev.date.start else ""
    return f"{ev.type}|{who}|{where}|{when}|{ev.evidence[0].start if ev.evidence else 0}"


def mention_row(ev: EventMention, *, ordinal: int) -> MentionRow:
    mid = mention_id(ev.document, mention_key(ev))
    workplace = None
    if ev.workplace is not None:
        wp = ev.workplace
        workplace = {"name": wp.name, "key": wp.enterprise.key if wp.enterprise else None,
                     **span_dict(wp.span)}
    row = MentionRow(
        id=mid, document_id=ev.document, ordinal=ordinal, type=ev.type, workplace=workplace,
        actors=list(ev.actors),
        location=place_dict(ev.location, ev.location_span) if ev.location else None,
        date=date_dict(ev.date),
        demands=[{"label": d.label, **span_dict(d.span)} for d in ev.demands],
        evidence=[span_dict(s) for s in ev.evidence],
    )
    row.block_key = blocking_key(type=row.type, workplace=row.workplace, location=row.location)
    row.date_lo, row.date_hi, row.anchored = node_dates(row.date)
    for field in COUNT_FIELDS:
        count = ev.count(field)
        if count is None:
            continue
        for c in count.claims:
            row.claims.append(ClaimRow(
                document_id=ev.document, field=field, low=c.low, high=c.high,
                start=c.span.start, end=c.span.end, text=c.span.text,
                attributed_to=c.attributed_to,
                sentence_start=c.sentence.start if c.sentence else None,
                sentence_end=c.sentence.end if c.sentence else None))
    return row
