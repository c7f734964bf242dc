"""The classification stage: which candidate sentences report an event that happened, and of
which type. :class:`SentenceClassifier` is the trained component."""
from strikewatch.classify.model import SentenceClassifier, Verdict

__all__ = ["SentenceClassifier", "Verdict"]
