"""Which clause a phrase belongs to: a date inside a clause that describes some other noun
("a strike committee formed on Thursday night", "the plant, founded in 1946") dates that noun,
not the event the sentence reports."""
from __future__ import annotations

from collections.abc import Collection

DESCRIBING = frozenset({"acl", "relcl"})


def describes_other(sent, start: int, end: int, anchors: Collection[int]) -> bool:
    """Whether the characters [start, end) of the spaCy sentence ``sent`` sit in a clause that
    describes a noun which is not one of the ``anchors`` (token indices of the sentence's event
    words) and holds none of them. "The march, held on Sunday" and "workers who struck on
    Monday" keep their dates; "a committee formed on Thursday" does not give its date away."""
    span = sent.doc.char_span(start, end, alignment_mode="expand")
    if span is None or not len(span):
        return False
    node = span.root
    for _ in range(32):  # a parse is a tree; the bound only guards a malformed one
        if node.i in anchors:
            return False
        if node.dep_ in DESCRIBING and node.head.pos_ in ("NOUN", "PROPN", "PRON"):
            inside = range(node.left_edge.i, node.right_edge.i + 1)
            return node.head.i not in anchors and not any(a in inside for a in anchors)
        if node.head.i == node.i:
            return False
        node = node.head
    return False


__all__ = ["describes_other"]
