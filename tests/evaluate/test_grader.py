"""The grader: every matching and field rule on hand-built records, then agreement with the
shared reference grader (../shared/eval/score.py) on synthetic exports built at test time."""
from __future__ import annotations

import copy
import json
import random
import subprocess
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from strikewatch.errors import Code, InputError
from strikewatch.evaluate import Report, Score, document_texts, evaluate_paths, grade, load_gold, read_jsonl
from strikewatch.evaluate.grader import key_words, names_agree, normalize

SHARED = Path(__file__).resolve().parents[3] / "shared"
SCORE = SHARED / "eval" / "score.py"
REPORTS = Path(__file__).resolve().parents[1] / "data" / "reports"

TEXT = "Acme Steel workers in Springfield stopped work on 4 March; about 500 joined the picket."


# --- builders -------------------------------------------------------------------------------------


def event(**kw) -> dict:
    base = {
        "id": "evt-1", "type": "strike", "workplace": {"name": "Acme Steel", "entity": "ent-1"},
        "actors": ["workers"], "location": {"name": "Springfield", "admin1": "Shelby County"},
        "date": {"start": "2021-03-04", "end": "2021-03-04"}, "participants": None, "arrests": None,
        "demands": [], "sources": [{"document": "d1", "evidence": [{"start": 0, "end": 10, "text": "Acme Steel"}]}],
    }
    return base | kw


def gold_event(**kw) -> dict:
    base = {"key": "acme", "required": True, "type": ["strike", "protest"],
            "workplace": ["Acme Steel", "Acme"], "city": ["Springfield"]}
    return base | kw


def gold(*events: dict, document: str = "d1", **kw) -> dict:
    return {"document": document, "events": list(events), **kw}


def count(low, high=None, claims=()) -> dict:
    return {"low": low, "high": low if high is None else high, "claims": list(claims)}


def claim(low, high=None, who=None) -> dict:
    return {"low": low, "high": low if high is None else high, "text": str(low), "attributed_to": who,
            "document": "d1", "start": 0, "end": 4}


def run(events, golds, cross=(), entities=(), texts=None) -> Report:
    golds = golds if isinstance(golds, list) else [golds]
    return grade(list(events), list(entities), golds, list(cross), texts=texts)


def fields(report: Report) -> dict[str, tuple[int, int]]:
    return {name: (s.correct, s.total) for name, s in report.fields}


def field(report: Report, name: str) -> tuple[int, int]:
    return fields(report)[name]


# --- names ----------------------------------------------------------------------------------------


def test_normalisation_strips_diacritics_case_punctuation_and_generic_words():
    assert normalize("  Žilina—Steel, JSC ") == "zilina steel jsc"
    assert key_words("The Žilina Steel Works JSC") == "zilina steel"
    assert key_words("the plant") == ""


@pytest.mark.parametrize("alias, name, ok", [
    ("Acme Steel", "ACME steel plant", True),       # generic words dropped, case folded
    ("Acme", "Acme Steel", True),                    # the export's name contains the alias
    ("Acme Steel", "Acme", True),                    # the alias contains a name of 4+ characters
    ("Big Ox Mill", "ox", False),                    # ... but not a short one
    ("Belmont Foundry", "Belmond Foundry", True),    # difflib ratio >= 0.88
    ("Belmont Foundry", "Vermont Dairy", False),
    ("Acme", "Acmeville", False),                    # containment is by whole words
    ("the plant", "plant", False),                   # nothing left after generic words
])
def test_name_matching(alias, name, ok):
    assert names_agree(alias, name) is ok


def test_reverse_containment_is_forbidden_for_city_names():
    assert names_agree("Springfield Acme", "Springfield")
    assert not names_agree("Springfield Acme", "Springfield", frozenset({"springfield"}))


# --- matching events ------------------------------------------------------------------------------


def test_a_faithful_event_is_found_and_matches():
    r = run([event()], gold(gold_event()))
    assert (r.tally.found, r.tally.required, r.tally.exported_matched, r.tally.exported) == (1, 1, 1, 1)
    assert (r.recall, r.precision, r.f1) == (1.0, 1.0, 1.0)
    assert field(r, "city") == (1, 1) and field(r, "evidence") == (1, 1)


def test_only_events_of_the_document_are_graded():
    other = event(sources=[{"document": "d2", "evidence": [{"start": 0, "end": 3}]}])
    r = run([other], gold(gold_event()))
    assert r.tally.exported == 0 and r.recall == 0.0 and r.precision is None and r.f1 == 0.0


@pytest.mark.parametrize("change", [
    {"type": "riot"},                                                   # type not allowed
    {"workplace": {"name": "Globex Chemicals"}, "actors": ["workers"]},  # another workplace
    {"workplace": None, "actors": []},                                   # no name at all
])
def test_no_match(change):
    r = run([event(**change)], gold(gold_event(date={"from": "2021-03-04", "to": "2021-03-04"})))
    assert r.tally.found == 0 and r.tally.exported_matched == 0 and r.precision == 0.0
    assert r.documents[0].missed == ("acme",)


def test_an_actor_or_workplace_alias_matches_and_a_wrong_city_only_costs_the_city_field():
    r = run([event(workplace=None, actors=["the Acme steelworkers", "Acme"])], gold(gold_event()))
    assert r.tally.found == 1
    r = run([event(location={"name": "Shelbyville"})], gold(gold_event()))
    assert r.tally.found == 1 and field(r, "city") == (0, 1)


def test_city_matches_on_admin1_too():
    r = run([event(location={"name": None, "admin1": "Springfield"})], gold(gold_event()))
    assert field(r, "city") == (1, 1)


ANON = dict(workplace=None, actors=[])


@pytest.mark.parametrize("change, gold_change, found", [
    ({}, {}, True),                                               # city + date
    ({"date": {"start": "2021-03-05"}}, {}, False),               # city, wrong date
    ({"location": {"name": "Shelbyville"}}, {}, False),           # date, wrong city
    ({"date": None, "participants": count(500)}, {"participants": {"value": 500}}, True),  # city + count
    ({"workplace": {"name": "Globex"}}, {}, False),               # the export names a workplace
    ({}, {"workplace": ["Acme Steel"]}, False),                   # the gold names a workplace
])
def test_anchored_match_without_a_workplace(change, gold_change, found):
    g = gold_event(workplace=None, actor=["marchers"], type=["protest"],
                   date={"from": "2021-03-04", "to": "2021-03-04"}) | gold_change
    r = run([event(type="protest", **(ANON | change))], gold(g))
    assert (r.tally.found == 1) is found


def test_one_export_per_gold_event_and_required_gold_first():
    optional = gold_event(key="maybe", required=False)
    required = gold_event(key="must")
    r = run([event()], gold(optional, required))
    assert (r.tally.found, r.tally.required, r.tally.exported_matched) == (1, 1, 1)
    r = run([event(), event(id="evt-2")], gold(optional, required))
    assert r.tally.exported_matched == 2 and r.precision == 1.0


def test_the_export_in_the_right_city_wins_then_the_one_agreeing_on_a_workplace():
    elsewhere = event(id="evt-x", location={"name": "Shelbyville"}, date={"start": "2020-01-01"})
    r = run([elsewhere, event()], gold(gold_event(date={"from": "2021-03-04", "to": "2021-03-04"})))
    assert field(r, "city") == (1, 1) and field(r, "date") == (1, 1)
    g = gold_event(workplace=None, actor=["workers"], date={"from": "2021-03-04", "to": "2021-03-04"})
    with_workplace = event(id="evt-w", date={"start": "2020-01-01"})
    r = run([with_workplace, event(workplace=None)], gold(g))
    assert field(r, "date") == (1, 1)
    r = run([event(id="evt-a"), event(id="evt-b", date={"start": "2020-01-01"})], gold(gold_event(
        date={"from": "2021-03-04", "to": "2021-03-04"})))
    assert field(r, "date") == (1, 1)  # a tie goes to the earlier export


# --- field rules ----------------------------------------------------------------------------------


@pytest.mark.parametrize("start, ok", [
    ("2021-03-04", True), ("2021-03-06T10:00:00", True), ("2021-03-07", False), ("2021-03-03", False),
    (None, False), ("last week", False),
])
def test_date_start_within_the_window(start, ok):
    r = run([event(date={"start": start})], gold(gold_event(date={"from": "2021-03-04", "to": "2021-03-06"})))
    assert field(r, "date") == (int(ok), 1)


@pytest.mark.parametrize("value, ok", [
    (count(500), True), (count(450), True), (count(550), True), (count(449), False), (count(551), False),
    (count(300, 460), True), (count(560, 900), False), ({"low": None, "high": 520, "claims": []}, True),
    ({"low": 540, "high": None}, True), ({"low": None, "high": None, "claims": [claim(500)]}, True),
    (count(9000, claims=[claim(480, 520)]), True), (None, False), ({}, False),
])
def test_count_within_tolerance_from_the_range_or_a_claim(value, ok):
    r = run([event(participants=value)], gold(gold_event(participants={"value": 500, "tolerance": 0.1})))
    assert field(r, "count") == (int(ok), 1)
    assert field(r, "attribution") == (0, 0)  # not asked


def test_a_not_value_inside_a_range_rules_it_out():
    spec = {"value": 500, "tolerance": 0.0, "not": [5000]}
    assert field(run([event(participants=count(500, 5000))], gold(gold_event(participants=spec))), "count") == (0, 1)
    assert field(run([event(participants=count(500, 4999))], gold(gold_event(participants=spec))), "count") == (1, 1)
    with_claim = count(500, 5000, claims=[claim(500)])
    assert field(run([event(participants=with_claim)], gold(gold_event(participants=spec))), "count") == (1, 1)


@pytest.mark.parametrize("claims, count_ok, attribution_ok", [
    ([claim(32, who="the regional authorities")], True, True),     # fuzzy: alias contained
    ([claim(32, who="Autorities")], True, True),                    # fuzzy: difflib
    ([claim(32, who="strike committee")], True, False),
    ([claim(32)], True, False),                                     # no attribution
    ([claim(30, who="authorities")], True, False),                  # the attributed claim is off
])
def test_attribution(claims, count_ok, attribution_ok):
    spec = {"value": 32, "tolerance": 0.0, "attributed_to": ["authorities"]}
    r = run([event(arrests=count(32, claims=claims))], gold(gold_event(arrests=spec)))
    assert field(r, "count") == (int(count_ok), 1)
    assert field(r, "attribution") == (int(attribution_ok), 1)


def test_a_missing_count_fails_count_and_attribution():
    spec = {"value": 32, "attributed_to": ["police"]}
    r = run([event(arrests=None)], gold(gold_event(arrests=spec)))
    assert field(r, "count") == (0, 1) and field(r, "attribution") == (0, 1)


def test_demands_are_substrings_after_normalisation():
    g = gold(gold_event(demands=["resign", "wage rise"]))
    r = run([event(demands=["The director must RESIGN now", "back pay"])], g)
    assert field(r, "demand") == (1, 2)
    assert field(run([event(demands=[])], g), "demand") == (0, 2)


def test_city_optional_is_only_graded_when_the_export_has_a_location():
    g = gold(gold_event(city_optional=True))
    assert field(run([event(location=None)], g), "city") == (0, 0)
    assert field(run([event(location={"name": "Shelbyville"})], g), "city") == (0, 1)


def spans(*items, document="d1") -> list[dict]:
    return [{"document": document, "evidence": list(items)}]


@pytest.mark.parametrize("sources, text, ok", [
    (spans({"start": 0, "end": 10, "text": "Acme Steel"}), TEXT, True),
    (spans({"start": 0, "end": 10}), TEXT, True),                             # no text to compare
    (spans({"start": 1, "end": 11, "text": "Acme Steel"}), TEXT, False),      # shifted span
    (spans({"start": 1, "end": 11, "text": "Acme Steel"}), None, True),       # text unknown: shape only
    (spans({"start": 10, "end": 10, "text": ""}), TEXT, False),               # empty
    (spans({"start": "0", "end": 10, "text": "Acme Steel"}), None, False),     # not an int
    (spans({"start": 0, "end": 10, "text": "Acme Steel"}, {"start": 5, "end": 2}), TEXT, False),  # every span
    (spans(), TEXT, False),                                                    # no span
    (spans({"start": 0, "end": 10}) + spans({"start": 0, "end": 1}, document="d2"), TEXT, True),
])
def test_evidence(sources, text, ok):
    r = run([event(sources=sources)], gold(gold_event()), texts={"d1": text} if text else None)
    assert field(r, "evidence") == (int(ok), 1)


# --- cross-document and entities --------------------------------------------------------------------


def test_same_and_different_event_pairs():
    golds = [gold(gold_event(key="a")), gold(gold_event(key="b"), document="d2")]
    one = [event(id="evt-1"), event(id="evt-1", sources=spans({"start": 0, "end": 3}, document="d2"))]
    two = [event(id="evt-1"), event(id="evt-2", sources=spans({"start": 0, "end": 3}, document="d2"))]
    same = [{"same_event": [["d1:a", "d2:b"]]}]
    different = [{"different_event": [["d1:a", "d2:b"]]}]
    assert str(run(one, golds, same).same_event) == "1/1"
    assert str(run(two, golds, same).same_event) == "0/1"
    assert str(run(one, golds, different).different_event) == "0/1"
    assert str(run(two, golds, different).different_event) == "1/1"
    missing = run(two[:1], golds, different)
    assert str(missing.different_event) == "0/1"
    assert missing.notes == ("  different_event d1:a ~ d2:b: not both found",)


def test_entity_groups_and_keep_apart():
    g = gold(entities=[{"type": "person", "names": ["Jana Novakova", "Jana Nováková", "Janka Novak"]},
                       {"type": ["workplace", "organization"], "names": ["Acme Steel"]}],
             keep_apart=[["Acme Steel", "Acme Steel Tube"]])
    person = {"id": "ent-1", "type": "person", "name": "Jana Novakova", "aliases": ["Janka Novak"]}
    works = {"id": "ent-2", "type": "organization", "name": "Acme Steel", "aliases": []}
    r = run([], g, entities=[person, works])
    assert (str(r.entity_groups), str(r.keep_apart)) == ("2/2", "1/1")
    fuzzy = person | {"name": "Jana Novakowa"}  # ratio 0.923 against "jana novakova"
    assert str(run([], g, entities=[fuzzy, works]).entity_groups) == "2/2"
    assert str(run([], g, entities=[person | {"aliases": ["Janka Nowak"]}, works]).entity_groups) == "1/2"  # 0.909
    split = [person | {"aliases": []}, {"id": "ent-3", "type": "person", "name": "Janka Novak"}, works]
    assert str(run([], g, entities=split).entity_groups) == "1/2"
    assert str(run([], g, entities=[person, works | {"type": "place"}]).entity_groups) == "1/2"
    merged = works | {"aliases": ["Acme Steel Tube"]}
    assert str(run([], g, entities=[person, merged]).keep_apart) == "0/1"


def test_cross_files_add_entity_groups_and_keep_apart():
    cross = [{"documents": ["d1"], "entities": [{"type": "person", "names": ["Jana Novakova"]}],
              "keep_apart": [["A One", "B Two"]]}]
    r = run([], gold(), cross, entities=[{"type": "person", "name": "Jana Novakova"}])
    assert (str(r.entity_groups), str(r.keep_apart)) == ("1/1", "1/1")


# --- the report -------------------------------------------------------------------------------------


def test_report_lines_and_dict():
    golds = gold(gold_event(), gold_event(key="other", workplace=["Globex"]),
                 gold_event(key="spare", required=False, workplace=["Initech"]))
    junk = event(id="evt-9", workplace={"name": "Umbrella"}, location={"name": "Raccoon City"})
    r = run([event(), junk], golds)
    assert (r.recall, r.precision, r.f1) == (0.5, 0.5, 0.5)
    assert r.lines() == [
        "d1: found 1/2 required events; 1/2 exported events match gold",
        "fields: city=1/1 date=0/0 count=0/0 attribution=0/0 demand=0/0 evidence=1/1",
        "recall=0.5 precision=0.5 f1=0.5 same_event=0/0 different_event=0/0 entity_groups=0/0 keep_apart=0/0",
    ]
    assert r.lines(verbose=True)[:2] == ["  d1: missed other",
                                         "  d1: unmatched export strike ['Umbrella', 'workers'] @ ['Raccoon City']"]
    d = r.to_dict()
    assert d["counts"] == {"required": 2, "found": 1, "exported": 2, "exported_matched": 1,
                           "fields": {"city": [1, 1], "date": [0, 0], "count": [0, 0], "attribution": [0, 0],
                                      "demand": [0, 0], "evidence": [1, 1]}}
    assert d["city"] == 1.0 and d["date"] is None and d["per_document"]["d1"]["tally"]["found"] == 1
    assert Score(2, 3).rate == 0.667 and str(Score(2, 3)) == "2/3"


# --- reading files ----------------------------------------------------------------------------------


def test_evaluate_paths_reads_jsonl_gold_and_documents(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "story-a.txt").write_text(TEXT, encoding="utf-8")
    (docs / "story-a.meta.json").write_text(json.dumps({"id": "d1"}), encoding="utf-8")
    (docs / "d2_copy.txt").write_text("x" + TEXT, encoding="utf-8")
    events = tmp_path / "events.jsonl"
    events.write_text(json.dumps(event()) + "\n\n" + json.dumps(event(id="evt-2", sources=spans(
        {"start": 0, "end": 10, "text": "Acme Steel"}, document="d2"))) + "\n", encoding="utf-8")
    gold_paths = []
    for name, g in (("g1.json", gold(gold_event())), ("g2.json", gold(gold_event(), document="d2"))):
        gold_paths.append(tmp_path / name)
        gold_paths[-1].write_text(json.dumps(g), encoding="utf-8")
    assert document_texts(docs, ["d1", "d2", "d3"]) == {"d1": TEXT, "d2": "x" + TEXT}
    r = evaluate_paths(events, tmp_path / "no-entities.jsonl", gold_paths, [], docs)
    assert r.tally.found == 2 and field(r, "evidence") == (1, 2)  # d2's text is shifted by one
    assert field(evaluate_paths(events, None, gold_paths, [], None), "evidence") == (2, 2)


def test_bad_files_raise_input_errors(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": 1}\n{oops\n', encoding="utf-8")
    with pytest.raises(InputError) as err:
        read_jsonl(bad)
    assert err.value.code == Code.BAD_JSON and err.value.source == f"{bad}:2"
    with pytest.raises(InputError) as err:
        load_gold([tmp_path / "missing.json"])
    assert err.value.code == Code.NOT_FOUND
    (tmp_path / "list.json").write_text("[]", encoding="utf-8")
    with pytest.raises(InputError):
        load_gold([tmp_path / "list.json"])


# --- agreement with the shared reference grader -----------------------------------------------------

COUNTS = ("participants", "arrests", "injuries", "deaths")


def _span(text: str, names: list[str]) -> tuple[int, int]:
    low = text.lower()
    for name in names:
        at = low.find(name.lower())
        if at >= 0:
            return at, at + len(name)
    return 0, min(30, len(text))


def _faithful(doc: str, g: dict, text: str) -> dict:
    """An exported event that says what the gold event says, with a real evidence span."""
    names = [*(g.get("workplace") or []), *(g.get("actor") or [])]
    start, end = _span(text, names + g.get("city", []))
    ev = {"id": f"evt-{doc}-{g['key']}", "type": g["type"][0],
          "workplace": {"name": g["workplace"][0], "entity": "ent-w"} if g.get("workplace") else None,
          "actors": list((g.get("actor") or [])[:1]),
          "location": {"name": g["city"][0], "admin1": None, "country": "BY"} if g.get("city") else None,
          "date": {"start": g["date"]["from"], "end": g["date"]["to"]} if "date" in g else None,
          "demands": list(g.get("demands", [])),
          "sources": [{"document": doc, "evidence": [{"start": start, "end": end, "text": text[start:end]}]}]}
    for f in COUNTS:
        spec = g.get(f)
        who = (spec.get("attributed_to") or [None])[0] if spec else None
        ev[f] = count(spec["value"], claims=[claim(spec["value"], who=who) | {"document": doc}]) if spec else None
    return ev


def _perturb_count(ev: dict, rng: random.Random) -> None:
    present = [f for f in COUNTS if ev.get(f)]
    if not present:
        ev["participants"] = count(rng.choice([1, 50, 800, 11000]))
        return
    c = ev[rng.choice(present)]
    v = c["low"]
    how = rng.randrange(6)
    if how == 0:
        c["low"] = c["high"] = round(v * rng.choice([0.5, 0.8, 0.95, 1.05, 1.2, 1.21, 3]))
    elif how == 1:
        c["low"], c["high"] = v - rng.randint(0, 50), v + rng.choice([0, 11000, 70000])  # may hold a `not`
    elif how == 2:
        c["low"] = c["high"] = None
    elif how == 3:
        c["low"] = c["high"] = v * 10
    elif how == 4:
        for cl in c["claims"]:
            cl["attributed_to"] = rng.choice([None, "nobody in particular", "authoritie", "the police"])
    else:
        c["claims"] = [claim(v * 2, who="x")]


def _perturb_span(ev: dict, rng: random.Random, text: str) -> None:
    spans_ = ev["sources"][0]["evidence"]
    sp = spans_[0]
    how = rng.randrange(6)
    if how == 0:
        sp["start"] += 1
        sp["end"] += 1
    elif how == 1:
        sp["text"] = sp["text"].upper() + "!"
    elif how == 2:
        sp["end"] = sp["start"]
    elif how == 3:
        del sp["text"]
    elif how == 4:
        spans_.append({"start": 5, "end": 25, "text": text[5:25]})
    else:
        spans_.clear()


def _perturb_event(ev: dict, rng: random.Random, text: str, docs: list[str]) -> list[dict]:
    how = rng.randrange(12)
    if how == 0:
        return []
    if how == 1:
        ev["location"] = rng.choice([None, {"name": "Atlantis"}, {"name": None, "admin1": (ev.get("location") or {}).get("name")}])
    elif how == 2:
        _perturb_count(ev, rng)
    elif how == 3:
        start = (ev.get("date") or {}).get("start") or "2020-08-14"
        shifted = (date.fromisoformat(start) + timedelta(days=rng.choice([-8, -1, 1, 3, 30]))).isoformat()
        ev["date"] = rng.choice([None, {"start": shifted}, {"start": "sometime"}, {"start": start + "T08:00"}])
    elif how == 4:
        ev["type"] = rng.choice(["riot", "other", "protest", "strike", "blockade"])
    elif how == 5:
        ev["workplace"], ev["actors"] = None, rng.choice([[], ["people"], ["workers"]])
    elif how == 6 and ev.get("workplace"):
        name = ev["workplace"]["name"]
        ev["workplace"]["name"] = rng.choice([name[:-1], name + " plant", name.split()[-1], name[:3], "Globex"])
    elif how == 7:
        _perturb_span(ev, rng, text)
    elif how == 8:
        ev["demands"] = rng.choice([[], ["pay"], ["RESIGNATION now"]])
    elif how == 9:
        return [ev, copy.deepcopy(ev) | {"id": ev["id"] + "-copy"}]
    elif how == 10:
        ev["sources"] = [dict(s, document=rng.choice(docs)) for s in ev["sources"]]
    return [ev]


def _entities(groups: list[dict], apart: list[list[str]], rng: random.Random) -> list[dict]:
    out = []
    for i, grp in enumerate(groups):
        types = grp["type"] if isinstance(grp["type"], list) else [grp["type"]]
        ent = {"id": f"ent-{i}", "type": rng.choice(types), "name": grp["names"][0], "aliases": grp["names"][1:]}
        how = rng.randrange(5)
        if how == 0:
            ent["aliases"] = []
        elif how == 1:
            ent["type"] = "place"
        elif how == 2:
            ent["name"] = ent["name"][:-1]
        out.append(ent)
    for a, b in apart:
        if rng.random() < 0.5:
            out.append({"id": "ent-merged", "type": "organization", "name": a, "aliases": [b + rng.choice(["", "s"])]})
    return out


def _export(golds: list[dict], texts: dict[str, str], rng: random.Random | None, variant: str = "") -> list[dict]:
    """Faithful events for every gold event, then a named perturbation or random ones."""
    docs = [str(g["document"]) for g in golds]
    events: list[dict] = []
    for g in golds:
        doc = str(g["document"])
        mine = [_faithful(doc, ge, texts[doc]) for ge in g["events"]]
        first = next(i for i, ge in enumerate(g["events"]) if ge.get("required"))
        if variant == "drop":
            del mine[first]
        elif variant == "city":
            mine[first]["location"] = {"name": "Atlantis", "admin1": None}
        elif variant == "count":
            target = next((ev for ev in mine if any(ev.get(f) for f in COUNTS)), mine[first])
            f = next((f for f in COUNTS if target.get(f)), "participants")
            target[f] = count(3 * (target[f] or {"low": 1000})["low"])
        elif variant == "span":
            sp = mine[first]["sources"][0]["evidence"][0]
            sp["start"], sp["end"] = sp["start"] + 2, sp["end"] + 2
        if rng is not None:
            mine = [out for ev in mine for out in (_perturb_event(ev, rng, texts[doc], docs) if rng.random() < 0.5 else [ev])]
            if rng.random() < 0.3:
                mine.append(_faithful(doc, {"key": "junk", "type": ["protest"], "actor": ["bystanders"],
                                            "city": ["Atlantis"]}, texts[doc]))
            rng.shuffle(mine)
        events += mine
    if rng is not None and len(events) > 1 and rng.random() < 0.5:  # merge two events into one id
        a, b = rng.sample(range(len(events)), 2)
        events[b]["id"] = events[a]["id"]
    return events


def _gold_sets() -> list[tuple[str, list[Path], list[Path], Path]]:
    sets = []
    if SCORE.exists():
        g = SHARED / "eval" / "gold"
        sets.append(("shared", [g / "000.json", g / "001.json"], [g / "cross-000-001.json"], SHARED / "corpora" / "seeds"))
        repo = []
        gold_dirs = [d for d in (REPORTS.parent / "gold", REPORTS / "gold") if d.is_dir()]
        for path in sorted(gold_dirs[0].glob("*.json")) if gold_dirs else []:
            try:
                doc = json.loads(path.read_text(encoding="utf-8"))["document"]
            except (ValueError, KeyError):
                continue
            if (REPORTS / f"{doc}.txt").exists():
                repo.append(path)
        if repo:
            sets.append(("reports", repo, [], REPORTS))
    return sets


CASES = [(name, variant) for name in ("shared", "reports")
         for variant in ("faithful", "drop", "city", "count", "span", *(f"random-{i}" for i in range(20)))]


@pytest.fixture(scope="module")
def gold_sets() -> dict:
    if not SCORE.exists():
        pytest.skip("../shared (the reference grader) is not beside the repository")
    return {name: (g, c, d) for name, g, c, d in _gold_sets()}


@pytest.mark.parametrize("name, variant", CASES)
def test_agrees_with_the_reference_grader(gold_sets, tmp_path, name, variant):
    if name not in gold_sets:
        pytest.skip(f"no {name} gold")
    gold_paths, cross_paths, docs_dir = gold_sets[name]
    cross_paths = [*cross_paths, _extra_cross(tmp_path, load_gold(gold_paths))]
    golds, cross = load_gold(gold_paths), load_gold(cross_paths)
    texts = document_texts(docs_dir, [str(g["document"]) for g in golds])
    seed = int(variant.split("-")[1]) if variant.startswith("random") else None
    rng = random.Random(seed) if seed is not None else None
    events = _export(golds, texts, rng, variant)
    if rng is not None and rng.random() < 0.6:  # export the first same_event pair as one event
        first, last = (f"evt-{ref.replace(':', '-', 1)}" for ref in cross[-1]["same_event"][0])
        for ev in events:
            ev["id"] = first if ev["id"] == last else ev["id"]
    groups = [grp for f in golds + cross for grp in f.get("entities", [])]
    apart = [pair for f in golds + cross for pair in f.get("keep_apart", [])]
    entities = _entities(groups, apart, rng or random.Random(99))
    events_path, entities_path, out = tmp_path / "events.jsonl", tmp_path / "entities.jsonl", tmp_path / "ref.json"
    events_path.write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    entities_path.write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    cmd = [sys.executable, str(SCORE), "--events", str(events_path), "--entities", str(entities_path),
           "--gold", *map(str, gold_paths), "--docs", str(docs_dir), "--json", str(out), "--verbose"]
    cmd += ["--cross", *map(str, cross_paths)]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True, timeout=120)
    ref = json.loads(out.read_text(encoding="utf-8"))

    ours = evaluate_paths(events_path, entities_path, gold_paths, cross_paths, docs_dir)
    assert (ours.recall, ours.precision, ours.f1) == (ref["recall"], ref["precision"], ref["f1"])
    assert {k: list(v) for k, v in fields(ours).items()} == ref["counts"]["fields"]
    assert ours.to_dict() == ref
    assert ours.lines(verbose=True) == done.stdout.splitlines()
    if variant == "faithful":
        assert ours.recall == 1.0
    elif variant in ("drop", "city", "count", "span"):
        assert ours.to_dict() != evaluate_paths(*_faithful_paths(tmp_path, golds, texts, entities),
                                                gold_paths, cross_paths, docs_dir).to_dict()


def _extra_cross(tmp_path: Path, golds: list[dict]) -> Path:
    """A second cross-document file, made here: same_event pairs (the reference gold has none),
    a pair naming an unknown key, and an entity group and a keep-apart pair spanning documents."""
    refs = [f"{g['document']}:{e['key']}" for g in golds[:2] for e in g["events"]][:6]
    names = [e["workplace"][0] for g in golds[:2] for e in g["events"] if e.get("workplace")][:2]
    cross = {"documents": [g["document"] for g in golds[:2]],
             "same_event": [[refs[0], refs[-1]], [refs[1], refs[-2]], [refs[0], "nowhere:nothing"]],
             "different_event": [[refs[2], refs[3]]],
             "entities": [{"type": ["workplace", "organization"], "names": names[:1]}],
             "keep_apart": [names] if len(names) == 2 else []}
    path = tmp_path / "cross-extra.json"
    path.write_text(json.dumps(cross), encoding="utf-8")
    return path


def _faithful_paths(tmp_path: Path, golds: list[dict], texts: dict[str, str], entities: list[dict]) -> tuple[Path, Path]:
    events = _export(golds, texts, None)
    paths = tmp_path / "faithful-events.jsonl", tmp_path / "faithful-entities.jsonl"
    paths[0].write_text("".join(json.dumps(e) + "\n" for e in events), encoding="utf-8")
    paths[1].write_text("".join(json.dumps(e) + "\n" for e in entities), encoding="utf-8")
    return paths
