"""Typed records to rows, and rows back to the plain values the exports write."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from strikewatch.ids import fold, mention_id
from strikewatch.merge.cluster import blocking_key, is_wide, node_dates
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


@dataclass(slots=True)
class ClaimValues:
    """A claims row to insert."""

    document_id: str
    field: str
    low: int
    high: int
    start: int
    end: int
    text: str
    attributed_to: str | None
    sentence_start: int | None
    sentence_end: int | None


@dataclass(slots=True)
class MentionValues:
    """An event_mentions row to insert, with its claims (plain values: building ORM objects
    for bulk inserts costs more than the inserts)."""

    id: str
    document_id: str
    ordinal: int
    type: str
    workplace: dict | None
    actors: list
    location: dict | None
    date: dict
    demands: list
    evidence: list
    block_key: str | None = None
    date_lo: date | None = None
    date_hi: date | None = None
    anchored: bool = False
    wide: bool = False
    event_id: str | None = None
    claims: list[ClaimValues] = field(default_factory=list)

    def row(self) -> dict:
        return {name: getattr(self, name) for name in MENTION_COLUMNS}


MENTION_COLUMNS = ("id", "document_id", "ordinal", "type", "workplace", "actors", "location",
                   "date", "demands", "evidence", "block_key", "date_lo", "date_hi", "anchored", "wide",
                   "event_id")


def mention_row(ev: EventMention, *, ordinal: int) -> MentionValues:
    mid = mention_id(ev.document, mention_key(ev))
    workplace = None
    if ev.workplace is not None:
        wp = ev.workplace
        workplace = {"name": wp.name, "key": wp.enterprise.key if wp.enterprise else None,
                     **span_dict(wp.span)}
    row = MentionValues(
        id=mid, document_id=ev.document, ordinal=ordinal, type=ev.type, workplace=workplace,
        actors=list(ev.actors),
        location=place_dict(ev.location, ev.location_span) if ev.location else None,
        date=date_dict(ev.date),
        demands=[{"label": d.label, **span_dict(d.span)} for d in ev.demands],
        evidence=[span_dict(s) for s in ev.evidence],
    )
    row.block_key = blocking_key(type=row.type, workplace=row.workplace, location=row.location)
    row.date_lo, row.date_hi, row.anchored = node_dates(row.date)
    row.wide = is_wide(row.date_lo, row.date_hi)
    for fld in COUNT_FIELDS:
        count = ev.count(fld)
        if count is None:
            continue
        for c in count.claims:
            row.claims.append(ClaimValues(
                document_id=ev.document, field=fld, low=c.low, high=c.high,
                start=c.span.start, end=c.span.end, text=c.span.text,
                attributed_to=c.attributed_to,
                sentence_start=c.sentence.start if c.sentence else None,
                sentence_end=c.sentence.end if c.sentence else None))
    return row
