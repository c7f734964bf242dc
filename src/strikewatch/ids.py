"""Stable identifiers: the same input gives the same ids, whatever the order of ingest."""
from __future__ import annotations

import hashlib
import re

from anyascii import anyascii


def _digest(*parts: str) -> str:
    return hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()[:16]


def fold(name: str) -> str:
    """Lower-case ASCII letters and digits, single spaces: the key of a surface form."""
    return " ".join(re.sub(r"[^0-9a-z]+", " ", anyascii(name).lower()).split())


def entity_key(entity_type: str, name_or_key: str) -> str:
    return f"{entity_type}:{fold(name_or_key) if ':' not in name_or_key else name_or_key}"


def entity_id(key: str) -> str:
    return "ent-" + _digest(key)


def mention_id(document: str, key: str) -> str:
    return "men-" + _digest(document, key)


def event_id(*mention_ids: str) -> str:
    """An event is named after the mention that founds it (the smallest id)."""
    return "evt-" + _digest(min(mention_ids))
