"""Build the event record that one or more mentions of the same event settle on."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime

from strikewatch.ids import entity_id, entity_key, event_id, fold
from strikewatch.events.triggers import TYPE_RANK
from strikewatch.merge.cluster import blocking_key
from strikewatch.store.models import MentionRow
from strikewatch.types import COUNT_FIELDS

NO_DATE = date(1, 1, 1)  # the sort key of an undated event
_PRECISION_RANK = {"site": 0, "city": 1, "region": 2, "country": 3}
_DATE_RANK = {"day": 0, "week": 1, "month": 2, "year": 3, "unknown": 4}


def workplace_key(workplace: dict) -> str:
    """The entity key of a mention's workplace, before reviewers' overrides."""
    return entity_key("workplace", workplace.get("key") and f"kb:{workplace['key']}"
                      or workplace["name"])


def workplace_entity(workplace: dict | None,
                     resolve: Callable[[str, str | None], str] | None = None) -> str | None:
    """The entity id of a mention's workplace; `resolve(key, surface)` applies overrides."""
    if not workplace:
        return None
    key = workplace_key(workplace)
    return entity_id(resolve(key, workplace.get("text")) if resolve else key)


def _settle_date(mentions: list[MentionRow]) -> dict | None:
    """The most precise date told; dates told by the text beat dates assumed from publication;
    several days told at that precision become one range (a strike over several days)."""
    dates = [m.date for m in mentions if m.date and m.date.get("start")]
    if not dates:
        return None
    told = [d for d in dates if d.get("text")] or dates
    best = min(_DATE_RANK.get(d["precision"], 9) for d in told)
    same = [d for d in told if _DATE_RANK.get(d["precision"], 9) == best]
    first = min(same, key=lambda d: (d["start"], d.get("text", "")))
    end = max(d.get("end") or d["start"] for d in same)
    return {**first, "end": end}


def event_values(mentions: list[MentionRow],
                 originals: Mapping[str, str] | None = None,
                 resolve: Callable[[str, str | None], str] | None = None) -> dict:
    """The id and SETTLED columns of the event that `mentions` (rows, or anything with the
    same attributes) tell: the most precise place and date, the most common type, every demand and actor, count ranges spanning every claim, and the
    number of independent sources (documents that are not copies of one another).
    `resolve(entity key, surface)` applies reviewers' entity overrides to the workplace."""
    originals = originals or {}
    types = Counter(m.type for m in mentions)
    wp = next((m.workplace for m in sorted(mentions, key=lambda m: m.id) if m.workplace), None)
    places = [m.location for m in mentions if m.location]
    place = min(places, key=lambda p: _PRECISION_RANK.get(p["precision"], 9)) if places else None
    when = _settle_date(mentions)
    actors: list[str] = []
    demands: list[str] = []
    for m in sorted(mentions, key=lambda m: m.id):
        actors += [a for a in m.actors if a not in actors]
        demands += [d["label"] for d in m.demands if d["label"] not in demands]
    etype = sorted(types.items(), key=lambda kv: (-kv[1], TYPE_RANK.get(kv[0], 9)))[0][0]
    row = dict(
        id=event_id(*(m.id for m in mentions)),
        type=etype,
        workplace_name=wp["name"] if wp else None,
        workplace_entity=workplace_entity(wp, resolve),
        actors=actors,
        place_name=place["name"] if place else None,
        admin1=place.get("admin1") if place else None,
        country=place.get("country") if place else None,
        lat=place.get("lat") if place else None,
        lon=place.get("lon") if place else None,
        place_precision=place.get("precision") if place else None,
        block_key=blocking_key(type=etype, workplace=wp, location=place),
        date_start=date.fromisoformat(when["start"]) if when else None,
        date_end=date.fromisoformat(when["end"]) if when and when.get("end") else None,
        date_precision=when["precision"] if when else "unknown",
        date_text=when.get("text", "") if when else "",
        demands=demands,
        independent_sources=len({originals.get(m.document_id, m.document_id) for m in mentions}),
    )
    for field in COUNT_FIELDS:
        claims = [c for m in mentions for c in m.claims if c.field == field]
        row[f"{field}_low"] = min(c.low for c in claims) if claims else None
        row[f"{field}_high"] = max(c.high for c in claims) if claims else None
    row["review_status"], row["verified_at"] = "unreviewed", None
    row["search_text"] = search_text(row)
    row["sort_date"] = row["date_start"] or NO_DATE
    return row


# Fields a reviewer may set (event_overrides), with the type of value each takes.
EDITABLE: dict[str, type] = {
    "type": str, "workplace_name": str, "place_name": str, "date_start": date,
    "date_end": date, **{f"{f}_{b}": int for f in COUNT_FIELDS for b in ("low", "high")},
    "review_status": str,
}
REVIEW_STATUSES = ("unreviewed", "verified", "rejected")


def apply_review(values: dict, overrides: Sequence[tuple[str, object, datetime]]) -> dict:
    """Reviewers' values (field, JSON value, when; oldest first) over the settled ones: the
    latest per field wins. Verification also sets `verified_at`."""
    for field, value, at in overrides:
        if field not in EDITABLE:
            continue
        if EDITABLE[field] is date and value is not None:
            value = date.fromisoformat(value)
        values[field] = value
        if field == "date_start":
            values["sort_date"] = value or NO_DATE
        if field == "review_status":
            values["verified_at"] = at if value == "verified" else None
    values["search_text"] = search_text(values)
    return values


def search_text(values: Mapping) -> str:
    """What full-text search matches an event on, folded (case and transliteration)."""
    parts = [values.get("type"), values.get("workplace_name"), values.get("place_name"),
             values.get("admin1"), *(values.get("actors") or []), *(values.get("demands") or [])]
    return " " + " ".join(fold(p) for p in parts if p) + " "


SETTLED = ("type", "workplace_name", "workplace_entity", "actors", "place_name", "admin1",
           "country", "lat", "lon", "place_precision", "block_key", "date_start", "date_end",
           "date_precision", "date_text", "demands", "independent_sources",
           *(f"{f}_{b}" for f in COUNT_FIELDS for b in ("low", "high")),
           "review_status", "verified_at", "search_text", "sort_date")
