"""Sentence features shared by training and prediction: hashed word 1-2-grams of the lower-cased
text with digits folded, L2-normalised. Hashing keeps no vocabulary, so the shipped model is the
weight vector alone and a sentence is featurised the same way in any process."""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

FEATURES = {"kind": "hashed word n-grams", "n_features": 2 ** 18, "ngram_range": [1, 2],
            "lowercase": True, "digits": "0", "norm": "l2"}

_DIGITS = re.compile(r"\d")
_QUOTES = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'})


def _prepare(text: str) -> str:
    return _DIGITS.sub("0", text.translate(_QUOTES).lower())


@lru_cache(maxsize=1)
def _vectorizer():
    from sklearn.feature_extraction.text import HashingVectorizer
    return HashingVectorizer(n_features=FEATURES["n_features"], ngram_range=(1, 2),
                             alternate_sign=False, norm="l2", preprocessor=_prepare,
                             token_pattern=r"(?u)\b\w+\b")


def featurize(texts: Sequence[str]):
    """A sparse matrix, one row per text."""
    return _vectorizer().transform(texts)
