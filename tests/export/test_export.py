"""Exports of a store built from hand-built extractions (no spaCy): golden files, the FORMAT
fields, CSV formula neutralisation, GeoJSON, and bad options.

Golden files live in tests/golden/; regenerate them with ``UPDATE_GOLDEN=1 uv run pytest
tests/export`` after a deliberate change of the export, and review the diff."""
from __future__ import annotations

import csv
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest

from strikewatch.errors import ConfigError
from strikewatch.export import export
from strikewatch.export.writers import WRITERS, safe_cell
from strikewatch.store.repository import Store
from strikewatch.types import (
    COUNT_FIELDS,
    Claim,
    Count,
    DateValue,
    Demand,
    Document,
    Enterprise,
    EntityMention,
    EventMention,
    Extraction,
    Place,
    Span,
    Workplace,
)

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

BELAZ = Enterprise("belaz", "BelAZ", ("Belaz", "БелАЗ"), "Zhodino", "BY", "mining trucks", "state")
ZHODINO = Place("Zhodino", "BY", "city", "Minsk Region", 54.0985, 28.3331, 620127)
MINSK = Place("Minsk", "BY", "city", "Minsk", 53.9, 27.56667, 625144)


def span(text: str, needle: str) -> Span:
    i = text.index(needle)
    return Span.of(text, i, i + len(needle))


def sentence(text: str, first_words: str) -> Span:
    i = text.index(first_words)
    return Span.of(text, i, text.index(".", i) + 1)


def document(doc_id: str, text: str, publisher: str | None = "Example Wire") -> Document:
    return Document(doc_id, text, title=f"Report {doc_id}", publisher=publisher,
                    published=date(2020, 8, 30), source=f"reports/{doc_id}.txt",
                    content_hash=f"hash-{doc_id}")


def claim(text: str, doc: str, words: str, low: int, high: int | None = None,
          who: str | None = None) -> Claim:
    return Claim(low, low if high is None else high, span(text, words), who, doc)


def golden_extractions() -> list[Extraction]:
    a = ("✊ Workers at BelAZ in Zhodino walked out on 17 August 2020. "
         "About 800 people gathered at the Belaz gate, organisers said. "
         "Police said 300 took part and 12 were detained.\n")
    b = ("Staff of БелАЗ in Zhodino held a rally on 17 August 2020. "
         "Nearly 1,000 came, the union said, and demanded new elections.\n")
    c = ("Two people were injured and one died when riot police broke up a march of pensioners "
         "in Minsk in the week of 23 August 2020, Viasna said. Students and pensioners demanded "
         "the release of political prisoners.\n")
    ev_a = EventMention(
        "a1", "strike", (sentence(a, "Workers"), sentence(a, "About"), sentence(a, "Police")),
        workplace=Workplace("BelAZ", span(a, "BelAZ"), BELAZ), actors=("workers",),
        location=ZHODINO, location_span=span(a, "Zhodino"),
        date=DateValue(date(2020, 8, 17), date(2020, 8, 17), "day", "17 August 2020",
                       span(a, "17 August 2020")),
        participants=Count.from_claims((claim(a, "a1", "About 800", 800, who="organisers"),
                                        claim(a, "a1", "300", 300, who="Police"))),
        arrests=Count.from_claims((claim(a, "a1", "12", 12, who="Police"),)))
    ev_b = EventMention(
        "b1", "protest", (sentence(b, "Staff"), sentence(b, "Nearly")),
        workplace=Workplace("BelAZ", span(b, "БелАЗ"), BELAZ), actors=("staff",),
        location=ZHODINO, location_span=span(b, "Zhodino"),
        date=DateValue(date(2020, 8, 17), date(2020, 8, 17), "day", "17 August 2020",
                       span(b, "17 August 2020")),
        participants=Count.from_claims((claim(b, "b1", "Nearly 1,000", 900, 1000, "the union"),)),
        demands=(Demand("new elections", span(b, "new elections")),))
    ev_c = EventMention(
        "c1", "riot", (sentence(c, "Two people"),), actors=("pensioners",),
        location=MINSK, location_span=span(c, "Minsk"),
        date=DateValue(date(2020, 8, 23), date(2020, 8, 29), "week", "the week of 23 August 2020",
                       span(c, "the week of 23 August 2020")),
        injuries=Count.from_claims((claim(c, "c1", "Two", 2, who="Viasna"),)),
        deaths=Count.from_claims((claim(c, "c1", "one", 1, who="Viasna"),)))
    ev_c2 = EventMention(  # no place, no date: not a GeoJSON feature, sorted last
        "c1", "protest", (sentence(c, "Students"),), actors=("students", "pensioners"),
        demands=(Demand("release of political prisoners",
                        span(c, "release of political prisoners")),))
    return [
        Extraction(document("a1", a), (ev_a,), (
            EntityMention("workplace", "BelAZ", span(a, "BelAZ"), "kb:belaz"),
            EntityMention("place", "Zhodino", span(a, "Zhodino"), "geo:620127"),
            EntityMention("workplace", "BelAZ", span(a, "Belaz"), "kb:belaz"))),
        Extraction(document("b1", b, publisher="Другой"), (ev_b,), (
            EntityMention("workplace", "BelAZ", span(b, "БелАЗ"), "kb:belaz"),
            EntityMention("place", "Zhodino", span(b, "Zhodino"), "geo:620127"))),
        Extraction(document("c1", c, publisher=None), (ev_c, ev_c2), (
            EntityMention("organization", "Viasna", span(c, "Viasna")),
            EntityMention("place", "Minsk", span(c, "Minsk"), "geo:625144"))),
    ]


TEXTS = {x.document.id: x.document.text for x in golden_extractions()}


@pytest.fixture
def store(db_url):
    s = Store.open(db_url)
    for x in golden_extractions():
        s.save(x)
    yield s
    s.close()


def exported(store: Store, kind: str, fmt: str, tmp_path: Path) -> str:
    out = tmp_path / f"{kind}.{fmt}"
    export(store, kind, format=fmt, output=out)
    return out.read_bytes().decode("utf-8")


# --- golden files ---------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, fmt, name", [
    ("events", "jsonl", "events.jsonl"),
    ("events", "csv", "events.csv"),
    ("events", "geojson", "events.geojson"),
    ("entities", "jsonl", "entities.jsonl"),
])
def test_golden(store, tmp_path, kind, fmt, name, db_url):
    got = exported(store, kind, fmt, tmp_path)
    path = GOLDEN / name
    if UPDATE and db_url.startswith("sqlite"):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(got.encode("utf-8"))
    if not path.exists():
        pytest.fail(f"{path} is missing: run UPDATE_GOLDEN=1 uv run pytest tests/export")
    want = path.read_bytes().decode("utf-8")
    assert got == want, (f"{name} differs from the golden file; if the change is deliberate, "
                         "regenerate with UPDATE_GOLDEN=1 and review the diff")


def test_export_is_the_same_on_stdout_and_stable(store, tmp_path, capsys):
    for fmt in WRITERS:
        first = exported(store, "events", fmt, tmp_path)
        capsys.readouterr()
        n = export(store, "events", format=fmt)
        assert capsys.readouterr().out == first
        assert n == (2 if fmt == "geojson" else 3)
        assert exported(store, "events", fmt, tmp_path) == first
    assert not list(tmp_path.glob("*.part"))


# --- the FORMAT fields ----------------------------------------------------------------------------


def check_event_format(rec: dict, texts: dict[str, str]) -> None:
    """The fields of shared/eval/FORMAT.md, with their types; spans checked against `texts`."""
    for key in ("id", "type", "workplace", "actors", "location", "date", *COUNT_FIELDS,
                "demands", "sources", "independent_sources"):
        assert key in rec, key
    assert rec["id"].startswith("evt-")
    assert rec["type"] in ("strike", "protest", "blockade", "riot", "other")
    if rec["workplace"] is not None:
        assert isinstance(rec["workplace"]["name"], str)
        assert rec["workplace"]["entity"] is None or rec["workplace"]["entity"].startswith("ent-")
    assert isinstance(rec["actors"], list) and all(isinstance(a, str) for a in rec["actors"])
    if rec["location"] is not None:
        assert {"name", "admin1", "country", "lat", "lon", "precision"} <= set(rec["location"])
        assert rec["location"]["precision"] in ("site", "city", "region", "country")
    d = rec["date"]
    assert {"start", "end", "precision", "text"} <= set(d)
    assert d["precision"] in ("day", "week", "month", "year", "unknown")
    if d["start"]:
        assert date.fromisoformat(d["start"]) <= date.fromisoformat(d["end"] or d["start"])
    for field in COUNT_FIELDS:
        count = rec[field]
        if count is None:
            continue
        assert {"low", "high", "claims"} <= set(count) and count["claims"]
        assert count["low"] <= count["high"]
        assert count["low"] == min(c["low"] for c in count["claims"])
        assert count["high"] == max(c["high"] for c in count["claims"])
        for c in count["claims"]:
            assert {"low", "high", "text", "attributed_to", "document", "start", "end"} <= set(c)
            assert texts[c["document"]][c["start"]:c["end"]] == c["text"]
    assert isinstance(rec["demands"], list) and all(isinstance(x, str) for x in rec["demands"])
    assert rec["sources"]
    for src in rec["sources"]:
        assert set(src) >= {"document", "evidence"} and src["evidence"]
        for ev in src["evidence"]:
            assert {"start", "end", "text"} <= set(ev)
            assert texts[src["document"]][ev["start"]:ev["end"]] == ev["text"]
    assert isinstance(rec["independent_sources"], int) and rec["independent_sources"] >= 1


def test_every_event_has_the_format_fields(store, tmp_path):
    lines = exported(store, "events", "jsonl", tmp_path).splitlines()
    recs = [json.loads(line) for line in lines]
    # the BelAZ strike of a1 and the BelAZ protest of b1 (same plant, same day) are one event
    assert len(recs) == 3 and len({r["id"] for r in recs}) == 3
    for rec in recs:
        check_event_format(rec, TEXTS)
    by_doc = {r["sources"][0]["document"] + ":" + r["type"]: r for r in recs}
    strike = by_doc["a1:strike"]
    assert [s["document"] for s in strike["sources"]] == ["a1", "b1"]
    assert strike["independent_sources"] == 2
    assert strike["participants"]["low"] == 300 and strike["participants"]["high"] == 1000
    assert [c["attributed_to"] for c in strike["participants"]["claims"]] == \
        ["organisers", "Police", "the union"]
    riot = by_doc["c1:riot"]
    assert (riot["injuries"]["low"], riot["deaths"]["high"]) == (2, 1)
    assert riot["date"] == {"start": "2020-08-23", "end": "2020-08-29", "precision": "week",
                            "text": "the week of 23 August 2020"}
    assert recs[-1]["location"] is None and recs[-1]["date"]["start"] is None  # undated last
    # both BelAZ events name the one BelAZ entity, which entities.jsonl lists
    ents = [json.loads(line) for line in exported(store, "entities", "jsonl", tmp_path)
            .splitlines()]
    belaz = [e for e in ents if e["name"] == "BelAZ"]
    assert len(belaz) == 1 and belaz[0]["aliases"] == ["Belaz", "БелАЗ"]
    assert belaz[0]["documents"] == ["a1", "b1"]
    assert {r["workplace"]["entity"] for r in recs if r["workplace"]} == {belaz[0]["id"]}
    for e in ents:
        assert {"id", "type", "name", "aliases", "documents"} <= set(e)
        assert e["type"] in ("person", "organization", "workplace", "place")


def test_csv_has_one_row_per_event_matching_the_jsonl(store, tmp_path):
    recs = [json.loads(x) for x in exported(store, "events", "jsonl", tmp_path).splitlines()]
    rows = list(csv.DictReader(io.StringIO(exported(store, "events", "csv", tmp_path))))
    assert [r["id"] for r in rows] == [r["id"] for r in recs]
    for row, rec in zip(rows, recs):
        assert row["type"] == rec["type"]
        assert row["date_start"] == (rec["date"]["start"] or "")
        for field in COUNT_FIELDS:
            want = "" if rec[field] is None else str(rec[field]["low"])
            assert row[f"{field}_low"] == want
        assert row["documents"] == "; ".join(s["document"] for s in rec["sources"])
    ents = list(csv.DictReader(io.StringIO(exported(store, "entities", "csv", tmp_path))))
    assert {"id", "type", "name", "aliases", "documents"} <= set(ents[0])


def test_geojson_is_a_feature_collection_of_located_events(store, tmp_path):
    recs = [json.loads(x) for x in exported(store, "events", "jsonl", tmp_path).splitlines()]
    gj = json.loads(exported(store, "events", "geojson", tmp_path))
    assert gj["type"] == "FeatureCollection"
    located = [r for r in recs if r["location"] and r["location"]["lat"] is not None]
    assert [f["id"] for f in gj["features"]] == [r["id"] for r in located]
    for f, rec in zip(gj["features"], located):
        assert f["type"] == "Feature" and f["geometry"]["type"] == "Point"
        assert f["geometry"]["coordinates"] == [rec["location"]["lon"], rec["location"]["lat"]]
        assert f["properties"]["id"] == rec["id"]
    # entities have no geometry: an empty, valid collection
    assert json.loads(exported(store, "entities", "geojson", tmp_path)) == \
        {"type": "FeatureCollection", "features": []}


def test_an_empty_store_exports_valid_empty_files(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        assert exported(store, "events", "jsonl", tmp_path) == ""
        assert json.loads(exported(store, "events", "geojson", tmp_path)) == \
            {"type": "FeatureCollection", "features": []}
        assert export(store, "entities", format="jsonl", output=tmp_path / "e.jsonl") == 0
    finally:
        store.close()


# --- CSV formula neutralisation -------------------------------------------------------------------


@pytest.mark.parametrize("value", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx",
                                   '=HYPERLINK("x")'])
def test_safe_cell_neutralises_formulas(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["BelAZ", "a=1", "", "'=1", " x", None, 5, -5, 1.5, -1.5])
def test_safe_cell_leaves_other_values(value):
    assert safe_cell(value) == value


def hostile_extraction(date_text: str = "-17 August 2020") -> Extraction:
    t = ('Workers at =HYPERLINK("x") walked out on 17 August 2020, @SUM(A1) said. '
         "+1000 took part.\n")
    ev = EventMention(
        "evil", "strike", (sentence(t, "Workers"), sentence(t, "+1000")),
        workplace=Workplace('=HYPERLINK("x")', span(t, '=HYPERLINK("x")')),
        actors=("@SUM(A1)", "workers"),
        location=Place("-cmd|' /C calc'!A0", "BY", "city", "\tRegion", -33.9, -70.6),
        date=DateValue(date(2020, 8, 17), None, "day", date_text),
        participants=Count.from_claims((claim(t, "evil", "+1000", 1000, who="=evil()"),)),
        demands=(Demand("=cmd", span(t, "walked out")),))
    return Extraction(document("evil", t), (ev,), (
        EntityMention("workplace", '=HYPERLINK("x")', span(t, '=HYPERLINK("x")')),
        EntityMention("person", "@SUM(A1)", span(t, "@SUM(A1)"))))


def test_csv_neutralises_formula_cells(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'evil.db'}")
    try:
        store.save(hostile_extraction())
        events = list(csv.DictReader(io.StringIO(exported(store, "events", "csv", tmp_path))))
        entities = list(csv.DictReader(io.StringIO(exported(store, "entities", "csv",
                                                            tmp_path))))
        jsonl = json.loads(exported(store, "events", "jsonl", tmp_path))
    finally:
        store.close()
    [row] = events
    assert row["workplace"] == '\'=HYPERLINK("x")'
    assert row["actors"] == "'@SUM(A1); workers"
    assert row["place"] == "'-cmd|' /C calc'!A0"
    assert row["admin1"] == "'\tRegion"
    assert row["date_text"] == "'-17 August 2020"
    assert row["participants_claims"] == "'+1000 (=evil(), evil)"
    assert row["demands"] == "'=cmd"
    assert (row["lat"], row["lon"]) == ("-33.9", "-70.6")  # numbers stay numbers
    names = {e["name"] for e in entities}
    assert names == {'\'=HYPERLINK("x")', "'@SUM(A1)"}
    for r in events + entities:
        for key, cell in r.items():
            if cell.startswith(FORMULA_START):
                float(cell)  # only numbers may start with a formula character
    # JSON is not a spreadsheet: the values stay as they are
    assert jsonl["workplace"]["name"] == '=HYPERLINK("x")'
    assert jsonl["actors"] == ["@SUM(A1)", "workers"]


def test_csv_cells_with_a_carriage_return_stay_in_their_row(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'cr.db'}")
    try:
        store.save(hostile_extraction(date_text="\r17 August 2020"))
        out = tmp_path / "e.csv"
        export(store, "events", format="csv", output=out)
    finally:
        store.close()
    with out.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == 2 and len(rows[1]) == len(rows[0])
    assert "'\r17 August 2020" in rows[1]


# --- bad options ----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind, fmt", [("events", "xml"), ("people", "jsonl"), ("", "csv"),
                                       ("events", "JSONL")])
def test_unknown_format_or_kind_is_a_config_error(store, tmp_path, kind, fmt, capsys):
    with pytest.raises(ConfigError) as info:
        export(store, kind, format=fmt)
    assert repr(fmt if kind == "events" else kind) in str(info.value)
    with pytest.raises(ConfigError):
        export(store, kind, format=fmt, output=tmp_path / "out" / "x")
    assert not (tmp_path / "out" / "x").exists()
    assert capsys.readouterr().out == ""


def test_a_failed_export_leaves_no_part_file(store, tmp_path):
    with pytest.raises(ConfigError):
        export(store, "people", format="jsonl", output=tmp_path / "x.jsonl")
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("x.jsonl")]


def test_an_empty_store_exports_a_csv_header(tmp_path):
    store = Store.open(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        text = exported(store, "events", "csv", tmp_path)
    finally:
        store.close()
    assert text.splitlines()[0].startswith("id,type,")
