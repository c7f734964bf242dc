"""Build the event record that one or more mentions of the same event settle on."""
from __future__ import annotations

from collections import Counter
from datetime import date

from strikewatch.ids import entity_id, entity_key, event_id
from strikewatch.store.models import EventRow, MentionRow
from strikewatch.types import COUNT_FIELDS

_PRECISION_RANK = {"site": 0, "city": 1, "region": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def workplace_entity(workplace: dict | None) -> str | None:
    if not workplace:
        return None
    return entity_id(entity_key("workplace", workplace.get("key") and f"kb:{workplace['key']}"
                                or workplace["name"]))


def event_row_from_mentions(mentions: list[MentionRow]) -> EventRow:
    """Settle the fields of one event from its mentions: the most precise place and date, the
    most common type, every demand and actor, and count ranges spanning every claim."""
    types = Counter(m.type for m in mentions)
    wp = next((m.workplace for m in mentions if m.workplace), None)
    places = [m.location for m in mentions if m.location]
    place = min(places, key=lambda p: _PRECISION_RANK.get(p["precision"], 9)) if places else None
    dates = [m.date for m in mentions if m.date and m.date.get("start")]
    when = min(dates, key=lambda d: _DATE_RANK.get(d["precision"], 9)) if dates else None
    actors: list[str] = []
    demands: list[str] = []
    for m in sorted(mentions, key=lambda m: m.id):
        actors += [a for a in m.actors if a not in actors]
        demands += [d["label"] for d in m.demands if d["label"] not in demands]
    row = EventRow(
        id=event_id(*(m.id for m in mentions)),
        type=sorted(types.items(), key=lambda kv: (-kv[1], kv[0]))[0][0],
        workplace_name=wp["name"] if wp else None,
        workplace_entity=workplace_entity(wp),
        actors=actors,
        place_name=place["name"] if place else None,
        admin1=place.get("admin1") if place else None,
        country=place.get("country") if place else None,
        lat=place.get("lat") if place else None,
        lon=place.get("lon") if place else None,
        place_precision=place.get("precision") if place else None,
        date_start=date.fromisoformat(when["start"]) if when else None,
        date_end=date.fromisoformat(when["end"]) if when and when.get("end") else None,
        date_precision=when["precision"] if when else "unknown",
        date_text=when.get("text", "") if when else "",
        demands=demands,
        independent_sources=len({m.document_id for m in mentions}),
    )
    for field in COUNT_FIELDS:
        claims = [c for m in mentions for c in m.claims if c.field == field]
        if claims:
            setattr(row, f"{field}_low", min(c.low for c in claims))
            setattr(row, f"{field}_high", max(c.high for c in claims))
    return row
