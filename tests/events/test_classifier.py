"""The shipped sentence classifier: it loads from the package once, scores any text in [0, 1]
the same way every time, and its settings say what trained it."""
from __future__ import annotations

from datetime import date

from hypothesis import given, settings, strategies as st

from strikewatch.classify import SentenceClassifier


def test_loads_from_package():
    clf = SentenceClassifier.load()
    assert clf.types and set(clf.types) <= {"strike", "protest", "riot", "blockade"}
    assert clf.meta["trained_on"]
    assert SentenceClassifier.load() is clf  # read once per process


def test_empty_batch():
    assert SentenceClassifier.load().classify([]) == []


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=300), min_size=1, max_size=8))
def test_scores_are_probabilities_and_deterministic(texts):
    clf = SentenceClassifier.load()
    first, second = clf.classify(texts), clf.classify(list(texts))
    assert first == second and len(first) == len(texts)
    for v in first:
        assert 0.0 <= v.p_event <= 1.0 and 0.0 <= v.p_type <= 1.0 and v.type in clf.types


def test_batch_equals_one_by_one():
    clf = SentenceClassifier.load()
    texts = ["Workers at the mine walked out on Monday.", "Shares rallied in Tokyo.", ""]
    assert clf.classify(texts) == [clf.classify([t])[0] for t in texts]


def test_a_documents_first_event_needs_no_anchor_when_the_classifier_is_sure():
    from strikewatch.pipeline import Extractor
    from strikewatch.types import Document

    text = "The strike began on Monday. It was the first in years."
    doc = Document(id="d", text=text, published=date(2021, 3, 3))
    with_model = Extractor(classifier=True).extract(doc).events
    assert [e.type for e in with_model] == ["strike"]
    assert with_model[0].date.start == date(2021, 3, 1) and with_model[0].location is None
    assert not Extractor(classifier=False).extract(doc).events  # the rules need an anchor
    # not for a sentence it is unsure of ("Hundreds protested against the new law." is 0.70)
    unsure = Document(id="u", text="They protested against it.", published=date(2021, 3, 3))
    assert not Extractor(classifier=True).extract(unsure).events
