"""Which stored event a new event mention belongs to, across documents.

Mentions from different documents are one event when they share a workplace (the same
knowledge-base enterprise, or the same unnamed workplace in the same town), or, without a
workplace, the same town and the same kind of action, and their dates are compatible. The same
workplace on dates that do not overlap stays two events. Candidates come from a blocking key, so
matching a mention costs a look-up, not a pass over the store.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from strikewatch.ids import fold

# A date assumed from publication (no date phrase) may lie up to a week before it.
ASSUMED_DATE_DAYS = 7
# Reports of one workplace on different days are different events unless a report says the
# action went on (its date is then a range); no slack (tests/data/reports t09 vs t12).
WORKPLACE_SLACK_DAYS = 0
_FAMILY = {"strike": "action", "protest": "action", "blockade": "action", "riot": "riot",
           "other": "other"}


@dataclass(frozen=True, slots=True)
class Interval:
    start: date
    end: date

    def meets(self, other: "Interval", slack: int = 0) -> bool:
        pad = timedelta(days=slack)
        return self.start - pad <= other.end and other.start - pad <= self.end

    def union(self, other: "Interval") -> "Interval":
        return Interval(min(self.start, other.start), max(self.end, other.end))


def interval(when: dict | None) -> Interval | None:
    """The days a mention's date may cover; None when unknown."""
    if not when or not when.get("start"):
        return None
    start = date.fromisoformat(when["start"])
    end = date.fromisoformat(when["end"]) if when.get("end") else start
    if not when.get("text"):  # assumed from the publication date
        start -= timedelta(days=ASSUMED_DATE_DAYS)
    return Interval(start, end)


def place_key(location: dict | None) -> str | None:
    if not location:
        return None
    if location.get("geonameid"):
        return f"geo:{location['geonameid']}"
    return f"name:{fold(location.get('name') or '')}:{location.get('country') or ''}"


def workplace_key(workplace: dict | None, location: dict | None) -> str | None:
    """Named enterprises are one workplace everywhere; an unnamed one only within its town."""
    if not workplace:
        return None
    if workplace.get("key"):
        return f"kb:{workplace['key']}"
    return f"wp:{fold(workplace['name'])}@{place_key(location) or '?'}"


def blocking_key(*, type: str, workplace: dict | None, location: dict | None) -> str | None:
    """The key under which a mention's candidate events are found (None: never merged)."""
    wk = workplace_key(workplace, location)
    if wk:
        return wk
    pk = place_key(location)
    if pk is None or (location or {}).get("precision") == "country":
        return None
    return f"at:{pk}:{_FAMILY.get(type, 'other')}"


def compatible(a: Interval | None, b: Interval | None, *, workplace: bool) -> bool:
    if a is None or b is None:
        return True
    return a.meets(b, WORKPLACE_SLACK_DAYS if workplace else 0)
