"""Store rows to the records of the export contract (see the README's export section)."""
from __future__ import annotations

from strikewatch.store.models import EntityRow, EventRow, MentionRow
from strikewatch.types import COUNT_FIELDS


def _count(row: EventRow, mentions: list[MentionRow], field: str) -> dict | None:
    claims = [c for m in mentions for c in m.claims if c.field == field]
    if not claims:
        return None
    return {
        "low": getattr(row, f"{field}_low"),
        "high": getattr(row, f"{field}_high"),
        "claims": [{"low": c.low, "high": c.high, "text": c.text,
                    "attributed_to": c.attributed_to, "document": c.document_id,
                    "start": c.start, "end": c.end}
                   for c in sorted(claims, key=lambda c: (c.document_id, c.start))],
    }


def _workplace_aliases(name: str, mentions: list[MentionRow]) -> list[str]:
    """The workplace's names as the sources wrote them."""
    out: list[str] = []
    for m in mentions:
        text = (m.workplace or {}).get("text")
        if text and text != name and text not in out:
            out.append(text)
    return out


def event_record(row: EventRow) -> dict:
    mentions = sorted(row.mentions, key=lambda m: (m.document_id, m.ordinal))
    location = None
    if row.place_name:
        location = {"name": row.place_name, "admin1": row.admin1, "country": row.country,
                    "lat": row.lat, "lon": row.lon, "precision": row.place_precision}
    sources: dict[str, list[dict]] = {}
    for m in mentions:
        spans = sources.setdefault(m.document_id, [])
        spans.extend(e for e in m.evidence if e not in spans)
    return {
        "id": row.id,
        "type": row.type,
        "workplace": ({"name": row.workplace_name, "entity": row.workplace_entity,
                       "aliases": _workplace_aliases(row.workplace_name, mentions)}
                      if row.workplace_name else None),
        "actors": list(row.actors or []),
        "location": location,
        "date": {"start": row.date_start.isoformat() if row.date_start else None,
                 "end": row.date_end.isoformat() if row.date_end else None,
                 "precision": row.date_precision, "text": row.date_text},
        **{field: _count(row, mentions, field) for field in COUNT_FIELDS},
        "demands": list(row.demands or []),
        "sources": [{"document": doc, "evidence": spans} for doc, spans in sources.items()],
        "independent_sources": row.independent_sources,
        "review_status": row.review_status,
    }


def entity_record(row: EntityRow, documents: list[str]) -> dict:
    return {"id": row.id, "type": row.type, "name": row.name,
            "aliases": [a.alias for a in row.aliases], "documents": documents}
