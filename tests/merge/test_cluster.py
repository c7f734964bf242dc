"""Grouping mentions into events: the rules, and that the result ignores input order."""
from __future__ import annotations

import random
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from strikewatch.merge.cluster import Node, groups, node_dates

D = date(2020, 8, 17)


def told(i: str, doc: str, day: int, last: int | None = None, block: str = "kb:mtz") -> Node:
    return Node(i, doc, block, D + timedelta(days=day), D + timedelta(days=last or day), True)


def assumed(i: str, doc: str, published: int, block: str = "kb:mtz") -> Node:
    lo, hi, anchored = node_dates({"start": (D + timedelta(days=published)).isoformat(),
                                   "precision": "day", "text": ""})
    assert not anchored and hi - lo == timedelta(days=7)
    return Node(i, doc, block, lo, hi, anchored)


def test_same_workplace_same_day_is_one_event_and_other_days_stay_apart():
    nodes = [told("a", "d1", 0), told("b", "d2", 0), told("c", "d3", 60)]
    assert groups(nodes) == [["a", "b"], ["c"]]


def test_a_range_bridges_the_days_it_covers():
    nodes = [told("a", "d1", 0), told("b", "d2", 2), told("c", "d3", 0, 2)]
    assert groups(nodes) == [["a", "b", "c"]]


def test_different_blocks_never_merge():
    assert groups([told("a", "d1", 0), told("b", "d2", 0, block="kb:belaz")]) == [["a"], ["b"]]


def test_one_document_never_tells_one_event_twice():
    assert groups([told("a", "d1", 0), told("b", "d1", 0)]) == [["a"], ["b"]]


def test_floating_mention_joins_the_latest_group_in_its_week_and_never_bridges():
    nodes = [told("a", "d1", 0), told("b", "d2", 5), assumed("f", "d3", 6)]
    assert groups(nodes) == [["a"], ["b", "f"]]


def test_floating_mentions_alone_group_within_a_week_without_chaining():
    nodes = [assumed(f"f{i}", f"d{i}", 3 * i) for i in range(6)]  # published every 3 days
    got = groups(nodes)
    assert len(got) > 1  # a chain of weekly overlaps is not one event
    assert sorted(x for g in got for x in g) == sorted(n.id for n in nodes)


def test_undated_mentions_stay_alone_unless_a_reviewer_links_them():
    nodes = [Node("a", "d1", "kb:mtz"), Node("b", "d2", "kb:mtz"), told("c", "d3", 0)]
    assert groups(nodes) == [["a"], ["b"], ["c"]]
    assert groups(nodes, must=[("a", "c")]) == [["a", "c"], ["b"]]


def test_mentions_without_a_key_stay_alone():
    assert groups([Node("a", "d1", None), Node("b", "d2", None)]) == [["a"], ["b"]]


def test_reviewer_links_win():
    nodes = [told("a", "d1", 0), told("b", "d2", 0), told("c", "d3", 40, block="kb:belaz")]
    assert groups(nodes, cannot=[("a", "b")]) == [["a"], ["b"], ["c"]]
    assert groups(nodes, must=[("c", "a")]) == [["a", "b", "c"]]


def _nodes(draw_ids: list[tuple[int, int, int, int, bool]]) -> list[Node]:
    out = []
    for i, (doc, block, day, length, anchored) in enumerate(draw_ids):
        lo = D + timedelta(days=day)
        if anchored:
            out.append(Node(f"m{i:03d}", f"d{doc}", f"k{block}", lo, lo + timedelta(days=length), True))
        elif length == 3:
            out.append(Node(f"m{i:03d}", f"d{doc}", f"k{block}"))
        else:
            out.append(Node(f"m{i:03d}", f"d{doc}", f"k{block}", lo - timedelta(days=7), lo))
    return out


_specs = st.lists(st.tuples(st.integers(0, 12), st.integers(0, 2), st.integers(0, 30),
                            st.integers(0, 3), st.booleans()), max_size=40)


@settings(max_examples=150, deadline=None)
@given(_specs, st.randoms(use_true_random=False))
def test_order_never_changes_the_result(specs, rnd: random.Random):
    nodes = _nodes(specs)
    cannot = [(nodes[i].id, nodes[j].id) for i, j in zip(range(0, len(nodes), 3),
                                                         range(1, len(nodes), 3))]
    want = groups(nodes, cannot=cannot)
    shuffled = list(nodes)
    rnd.shuffle(shuffled)
    assert groups(shuffled, cannot=[(b, a) for a, b in reversed(cannot)]) == want


@settings(max_examples=150, deadline=None)
@given(_specs)
def test_groups_partition_and_respect_documents_and_keys(specs):
    nodes = _nodes(specs)
    by_id = {n.id: n for n in nodes}
    got = groups(nodes)
    assert sorted(x for g in got for x in g) == sorted(by_id)
    for g in got:
        members = [by_id[x] for x in g]
        assert len({m.document for m in members}) == len(members)
        assert len({m.block for m in members}) == 1
