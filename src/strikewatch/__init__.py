"""strikewatch: strike and protest reports to evidence-backed events.

    import strikewatch
    events = strikewatch.extract(text, published="2020-08-17", language="en")
    [e.to_dict() for e in events]
"""
from __future__ import annotations

__version__ = "0.1.0"


def extract(text: str, *, published=None, language: str = "en", id: str = "document",
            title: str | None = None, url: str | None = None) -> list:
    """The events one text tells, as typed :class:`strikewatch.types.EventMention` records
    (``to_dict()`` gives plain data), every value with the character span of its evidence.
    ``published`` (a date or ``YYYY-MM-DD``) anchors relative dates ("on Monday"). The spaCy
    pipeline loads on the first call and is kept for the next ones."""
    from strikewatch.pipeline import extract_text
    return extract_text(text, published=published, language=language, id=id, title=title,
                        url=url)


__all__ = ["__version__", "extract"]
