"""The trained sentence classifier: does a sentence report a strike, protest, riot or blockade
that happened or is going on, and of which type.

Weights ship in ``strikewatch/data/models/event_sentences.npz`` (written by
``training/train_classifier.py``; its ``.json`` says what trained it). Two linear models over the
hashed n-grams of :mod:`strikewatch.classify.features`: event against none, and the type of an
event. Loading reads two small arrays; prediction is one sparse product per batch.
"""
from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from strikewatch.classify.features import FEATURES, featurize
from strikewatch.errors import ConfigError

MODEL = "event_sentences"


@dataclass(frozen=True, slots=True)
class Verdict:
    """What the classifier says of one sentence."""

    p_event: float   # probability that the sentence reports an event that happened
    type: str        # the most likely type if it does: strike, protest, riot or blockade
    p_type: float


class SentenceClassifier:
    """A trained sentence classifier (see the module docstring); ``load()`` reads the shipped
    weights once per process."""

    def __init__(self, event_coef, event_intercept, type_coef, type_intercept,
                 types: Sequence[str], meta: dict) -> None:
        self.event_coef = np.asarray(event_coef, dtype=np.float32)
        self.event_intercept = float(np.asarray(event_intercept).ravel()[0])
        self.type_coef = np.asarray(type_coef, dtype=np.float32)
        self.type_intercept = np.asarray(type_intercept, dtype=np.float32)
        self.types = tuple(types)
        self.meta = meta

    @classmethod
    def load(cls) -> "SentenceClassifier":
        return _load()

    def classify(self, texts: Sequence[str]) -> list[Verdict]:
        if not texts:
            return []
        X = featurize(texts)
        z = X @ self.event_coef + self.event_intercept
        p_event = 1.0 / (1.0 + np.exp(-z))
        t = X @ self.type_coef.T + self.type_intercept
        if len(self.types) == 2:  # a binary type model keeps one row of weights
            t = np.column_stack([-t[:, 0], t[:, 0]])
        t = np.exp(t - t.max(axis=1, keepdims=True))
        t /= t.sum(axis=1, keepdims=True)
        best = t.argmax(axis=1)
        return [Verdict(float(p), self.types[b], float(t[i, b]))
                for i, (p, b) in enumerate(zip(p_event, best))]


@lru_cache(maxsize=1)
def _load() -> SentenceClassifier:
    base = resources.files("strikewatch") / "data" / "models"
    try:
        meta = json.loads((base / f"{MODEL}.json").read_text(encoding="utf-8"))
        with (base / f"{MODEL}.npz").open("rb") as fh:
            arrays = dict(np.load(fh, allow_pickle=False))
    except (OSError, ValueError) as err:
        raise ConfigError(f"the sentence classifier {MODEL!r} is missing or unreadable ({err}): "
                          "reinstall strikewatch, or run training/train_classifier.py") from err
    if meta.get("features") != FEATURES:
        raise ConfigError("the sentence classifier was trained with other features: "
                          "run training/train_classifier.py again")
    return SentenceClassifier(arrays["event_coef"], arrays["event_intercept"],
                              arrays["type_coef"], arrays["type_intercept"], meta["types"], meta)
