"""Exports: events and entities as JSON Lines, CSV or GeoJSON."""
from __future__ import annotations

import sys
from pathlib import Path

from strikewatch.errors import ConfigError
from strikewatch.export.records import entity_record, event_record
from strikewatch.export.writers import WRITERS
from strikewatch.store.repository import Store

KINDS = ("events", "entities")


def records(store: Store, kind: str):
    if kind == "events":
        return (event_record(row) for row in store.iter_events())
    if kind == "entities":
        return (entity_record(row, docs) for row, docs in store.iter_entities())
    raise ConfigError(f"unknown export kind {kind!r}: use one of {', '.join(KINDS)}")


def export(store: Store, kind: str, *, format: str = "jsonl", output: Path | None = None) -> int:
    """Write every event or entity of the store; returns how many were written."""
    writer = WRITERS.get(format)
    if writer is None:
        raise ConfigError(f"unknown export format {format!r}: use one of {', '.join(WRITERS)}")
    rows = records(store, kind)
    if output is None:
        return writer(rows, sys.stdout, kind)
    output.parent.mkdir(parents=True, exist_ok=True)
    tmp = output.with_name(output.name + ".part")
    try:
        with tmp.open("w", encoding="utf-8", newline="") as fh:
            n = writer(rows, fh, kind)
        tmp.replace(output)
    finally:
        tmp.unlink(missing_ok=True)
    return n
