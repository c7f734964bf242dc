"""Export writers, registered by format name: jsonl, csv, geojson."""
from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterable
from typing import IO

from strikewatch.types import COUNT_FIELDS

Writer = Callable[[Iterable[dict], IO[str], str], int]
WRITERS: dict[str, Writer] = {}
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def register(name: str) -> Callable[[Writer], Writer]:
    def deco(fn: Writer) -> Writer:
        WRITERS[name] = fn
        return fn
    return deco


def safe_cell(value: object) -> object:
    """Neutralise a CSV cell that a spreadsheet would run as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


@register("jsonl")
def write_jsonl(records: Iterable[dict], out: IO[str], kind: str) -> int:
    n = 0
    for rec in records:
        out.write(json.dumps(rec, ensure_ascii=False, sort_keys=False) + "\n")
        n += 1
    return n


def _claims_text(count: dict | None) -> str:
    if not count:
        return ""
    return "; ".join(f"{c['text']} ({c['attributed_to'] or 'unattributed'}, {c['document']})"
                     for c in count["claims"])


def flat_event(rec: dict) -> dict:
    loc = rec.get("location") or {}
    row = {
        "id": rec["id"], "type": rec["type"],
        "workplace": (rec.get("workplace") or {}).get("name"),
        "workplace_entity": (rec.get("workplace") or {}).get("entity"),
        "actors": "; ".join(rec.get("actors") or []),
        "place": loc.get("name"), "admin1": loc.get("admin1"), "country": loc.get("country"),
        "lat": loc.get("lat"), "lon": loc.get("lon"), "place_precision": loc.get("precision"),
        "date_start": rec["date"]["start"], "date_end": rec["date"]["end"],
        "date_precision": rec["date"]["precision"], "date_text": rec["date"]["text"],
    }
    for field in COUNT_FIELDS:
        count = rec.get(field)
        row[f"{field}_low"] = count["low"] if count else None
        row[f"{field}_high"] = count["high"] if count else None
        row[f"{field}_claims"] = _claims_text(count)
    row["demands"] = "; ".join(rec.get("demands") or [])
    row["documents"] = "; ".join(s["document"] for s in rec.get("sources") or [])
    row["independent_sources"] = rec.get("independent_sources")
    row["review_status"] = rec.get("review_status")
    return row


def flat_entity(rec: dict) -> dict:
    return {"id": rec["id"], "type": rec["type"], "name": rec["name"],
            "aliases": "; ".join(rec["aliases"]), "documents": "; ".join(rec["documents"])}


_BLANK_EVENT = {"id": "", "type": "", "date": {"start": None, "end": None, "precision": "",
                                              "text": ""}}
_BLANK_ENTITY = {"id": "", "type": "", "name": "", "aliases": [], "documents": []}


@register("csv")
def write_csv(records: Iterable[dict], out: IO[str], kind: str) -> int:
    """RFC 4180 CSV (CRLF rows), header first even when there are no records."""
    flatten = flat_event if kind == "events" else flat_entity
    blank = _BLANK_EVENT if kind == "events" else _BLANK_ENTITY
    writer = csv.DictWriter(out, fieldnames=list(flatten(blank)), lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for rec in records:
        writer.writerow({k: safe_cell(v) for k, v in flatten(rec).items()})
        n += 1
    return n


@register("geojson")
def write_geojson(records: Iterable[dict], out: IO[str], kind: str) -> int:
    """Events with coordinates as Point features (entities have none: an empty collection)."""
    out.write('{"type": "FeatureCollection", "features": [')
    n = 0
    for rec in records:
        loc = rec.get("location") or {}
        if kind != "events" or loc.get("lat") is None or loc.get("lon") is None:
            continue
        feature = {"type": "Feature", "id": rec["id"],
                   "geometry": {"type": "Point", "coordinates": [loc["lon"], loc["lat"]]},
                   "properties": flat_event(rec)}
        out.write(("\n" if n == 0 else ",\n") + json.dumps(feature, ensure_ascii=False))
        n += 1
    out.write("\n]}\n")
    return n
