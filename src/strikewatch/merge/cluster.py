"""Which event mentions, across documents, are one event.

Mentions from different documents are one event when they share a workplace (the same
knowledge-base enterprise, or the same unnamed workplace in the same town), or, without a
workplace, the same town and the same kind of action, and their dates are compatible. The same
workplace on dates that do not overlap stays two events. Only mentions under one blocking key
are ever compared, and within a key a sweep over dates finds the overlaps, so grouping costs
O(n log n), not a comparison of every pair.

:func:`groups` decides from the set of mentions alone, never from the order they arrived in:

* mentions whose days the text tells (*anchored*) join every anchored mention whose days
  overlap theirs, transitively (a strike told day by day with ranges is one event);
* a mention whose date is vaguer (a week, a month) or assumed from publication (*floating*)
  joins at most one group, the anchored one latest within its days; it never bridges two.
  Floating mentions with no such group are grouped by the calendar week of their last day
  (a fixed week, so that one mention more or less never regroups its neighbours);
* a mention with no date at all (none told, none published) stays alone: nothing says which
  of a workplace's events it tells;
* two mentions of one document, or two a reviewer kept apart (``cannot``), are never grouped,
  and two a reviewer linked (``must``) always are.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from strikewatch.ids import fold

# A date assumed from publication (no date phrase) may lie up to a week before it.
ASSUMED_DATE_DAYS = 7
# The longest date (a month and a week of assumed slack, or a range) that groups at all.
MAX_SPAN_DAYS = 45
# Dates longer than this (a month, a long range) are "wide": few, and indexed apart, so that
# finding the neighbours of a day scans a week of mentions, not MAX_SPAN_DAYS of them.
SHORT_SPAN_DAYS = 8


def is_wide(lo: date | None, hi: date | None) -> bool:
    return lo is not None and hi is not None and (hi - lo).days > SHORT_SPAN_DAYS
_FAMILY = {"strike": "action", "protest": "action", "blockade": "action", "riot": "riot",
           "other": "other"}


@dataclass(frozen=True, slots=True)
class Interval:
    start: date
    end: date


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


@dataclass(frozen=True, slots=True)
class Node:
    """What grouping needs of one mention: its key, its document and its days."""

    id: str
    document: str
    block: str | None
    lo: date | None = None
    hi: date | None = None
    anchored: bool = False


def node_dates(when: dict | None) -> tuple[date | None, date | None, bool]:
    """(first day, last day, anchored) of a mention's date, as :class:`Node` holds them.

    Only days the text tells are anchored; a week, a month or a date assumed from
    publication floats. A date longer than MAX_SPAN_DAYS ("in 2020") is treated as none, which
    also bounds the index scan that finds a mention's neighbours."""
    span = interval(when)
    if span is None or (span.end - span.start).days > MAX_SPAN_DAYS:
        return None, None, False
    return span.start, span.end, bool(when.get("text")) and when.get("precision") == "day"


class _Groups:
    """Union-find whose sets remember their documents and the mentions kept apart from them."""

    def __init__(self, nodes: Sequence[Node], cannot: Iterable[tuple[str, str]]) -> None:
        self.parent = {n.id: n.id for n in nodes}
        self.docs = {n.id: {n.document} for n in nodes}
        self.members = {n.id: {n.id} for n in nodes}
        self.first = {n.id: n.id for n in nodes}
        self.apart: dict[str, set[str]] = {n.id: set() for n in nodes}
        for a, b in cannot:
            if a in self.parent and b in self.parent:
                self.apart[a].add(b)
                self.apart[b].add(a)

    def find(self, x: str) -> str:
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def conflict(self, a: str, b: str) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        return bool(self.docs[ra] & self.docs[rb]) or bool(self.apart[ra] & self.members[rb])

    def union(self, a: str, b: str) -> str:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return ra
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.docs[ra] |= self.docs.pop(rb)
        self.members[ra] |= self.members.pop(rb)
        self.first[ra] = min(self.first[ra], self.first.pop(rb))
        self.apart[ra] |= self.apart.pop(rb)
        return ra


def groups(nodes: Sequence[Node], *, must: Iterable[tuple[str, str]] = (),
           cannot: Iterable[tuple[str, str]] = ()) -> list[list[str]]:
    """Partition mentions into events (each a sorted list of ids; the list sorted by first id).
    The result depends only on the nodes and links given, not on their order."""
    nodes = sorted(nodes, key=lambda n: n.id)
    g = _Groups(nodes, cannot)
    for a, b in sorted(tuple(sorted(p)) for p in must):
        if a in g.parent and b in g.parent:
            g.union(a, b)
    by_block: dict[str | None, list[Node]] = {}
    for n in nodes:
        by_block.setdefault(n.block, []).append(n)
    for block, members in by_block.items():
        if block is not None:
            _group_block(g, members)
    out: dict[str, list[str]] = {}
    for n in nodes:
        out.setdefault(g.find(n.id), []).append(n.id)
    return sorted(out.values(), key=lambda ids: ids[0])


def _group_block(g: _Groups, nodes: list[Node]) -> None:
    anchored = sorted((n for n in nodes if n.anchored and n.lo is not None),
                      key=lambda n: (n.lo, n.hi, n.id))
    active: dict[str, date] = {}  # group -> last day, of groups still open
    for n in anchored:
        open_ = {}
        for r, end in active.items():
            if end >= n.lo:
                r = g.find(r)
                open_[r] = max(end, open_.get(r, end))
        for r in sorted(open_, key=lambda r: g.first[g.find(r)]):
            if not g.conflict(n.id, r):
                g.union(n.id, r)
        active = {}
        for r, end in [*open_.items(), (n.id, n.hi)]:
            r = g.find(r)
            active[r] = max(end, active.get(r, end))
    spans: dict[str, list] = {}  # group -> [first day, last day, smallest id] of its anchored days
    for n in anchored:
        r = g.find(n.id)
        s = spans.setdefault(r, [n.lo, n.hi, n.id])
        s[0], s[1], s[2] = min(s[0], n.lo), max(s[1], n.hi), min(s[2], n.id)
    hulls = sorted(spans.values(), key=lambda s: (s[1], s[0], s[2]))
    floating = sorted((n for n in nodes if not n.anchored and n.lo is not None),
                      key=lambda n: (n.hi, n.lo, n.id))
    loose: list[Node] = []
    for n in floating:
        if len(g.members[g.find(n.id)]) > 1:
            continue  # a reviewer placed it
        near = [h for h in hulls if h[0] <= n.hi and h[1] >= n.lo]
        near.sort(key=lambda h: (-min(h[1], n.hi).toordinal(), h[2]))
        home = next((h for h in near if not g.conflict(n.id, h[2])), None)
        if home is not None:
            g.union(n.id, home[2])
        else:
            loose.append(n)
    weeks: dict[int, str] = {}  # a calendar week of last days -> the first member's id
    for n in loose:
        week = n.hi.toordinal() // 7
        head = weeks.get(week)
        if head is None or g.conflict(n.id, head):
            weeks.setdefault(week, n.id)
        else:
            g.union(n.id, head)
