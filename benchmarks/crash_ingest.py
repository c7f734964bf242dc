"""Crash consistency of ingest, measured: SIGKILL at random moments, then check the store.

    uv run --frozen python benchmarks/crash_ingest.py --kills 1000             # SQLite
    uv run --frozen python benchmarks/crash_ingest.py --kills 1000 --db postgresql://...
    uv run --frozen python benchmarks/crash_ingest.py --kills 20 --check-every 10   # quick

A corpus of generated reports grows by a few documents before every run and a few stored ones
are edited (text, publication date, title or publisher), so runs store new documents, replace
changed ones and re-link copies. Each run is ``strikewatch.pipeline.ingest`` in a forked child
(the extractor is loaded once, in the parent), killed with SIGKILL after a random delay drawn
from the time a whole run takes. After every kill the store is checked:

* SQLite ``PRAGMA integrity_check`` and ``foreign_key_check`` (PostgreSQL enforces its keys);
* no orphans: mentions without their event or document, events without mentions, claims
  without their mention, entity mentions without their entity, entities without mentions,
  aliases without their entity, copy links to documents that are not stored;
* no lost document: every document stored before the kill is still stored.

Every tenth run is left to finish, which keeps the delay's range the length of a whole run as
the corpus grows.

Every ``--check-every`` kills and at the end, one run goes to completion and the store's export
(events and entities) must equal that of a fresh SQLite store given the same corpus in one
clean run. The script prints one line per check and a summary; it exits 1 when any check
failed (this is a test regime, not a timing: nothing here asserts a duration).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import text

PLANTS = [("BelAZ", "Zhodino"), ("Minsk Tractor Works", "Minsk"), ("Grodno Azot", "Grodno"),
          ("Naftan", "Novopolotsk"), ("Belaruskali", "Salihorsk"), ("Belshina", "Babruysk")]
PEOPLE = ["Pavel Kuznetsov", "Olga Ivanova", "Sergei Dylevsky", "Anatoly Bokun",
          "Igor Kuznetsov", "Maria Kolesnikova"]
OPENINGS = ["Workers at {plant} in {town} went on strike on {day} August 2020.",
            "Hundreds of employees of {plant} in {town} walked out on {day} August 2020.",
            "Staff at {plant} in {town} stopped work on {day} August 2020 and gathered at the gates."]
MIDDLES = ["About {n} people gathered at the gates, organisers said.",
           "Police detained {k} workers near the plant, according to the interior ministry.",
           "The strike committee said {n} workers took part."]
QUOTES = ["Strike committee chairman {who} said the workers demanded new elections.",
          "{surname} told reporters the workers wanted the release of those detained.",
          "{who} said the strike would go on until the demands were met."]


@dataclass
class Corpus:
    """Reports on disk, each a .txt with a sidecar, grown and edited deterministically."""

    folder: Path
    rnd: random.Random
    docs: dict[str, dict] = field(default_factory=dict)

    def _text(self) -> str:
        plant, town = self.rnd.choice(PLANTS)
        who = self.rnd.choice(PEOPLE)
        values = dict(plant=plant, town=town, day=self.rnd.randint(10, 28),
                      n=self.rnd.choice([50, 120, 300, 1000]), k=self.rnd.randint(2, 40),
                      who=who, surname=who.split()[-1])
        parts = [self.rnd.choice(OPENINGS), self.rnd.choice(MIDDLES), self.rnd.choice(QUOTES)]
        return " ".join(p.format(**values) for p in parts) + "\n"

    def _meta(self) -> dict:
        day = date(2020, 8, 10) + timedelta(days=self.rnd.randint(0, 20))
        return {"published": day.isoformat(), "title": f"Report {self.rnd.randint(1, 999)}",
                "publisher": self.rnd.choice(["Paper A", "Paper B", "Wire C"])}

    def grow(self, new: int, edits: int) -> None:
        for _ in range(new):
            doc_id = f"r{len(self.docs):05d}"
            if self.docs and self.rnd.random() < 0.25:  # a copy of an earlier report
                original = self.docs[self.rnd.choice(sorted(self.docs))]
                body = original["text"].replace(" said", " stated", 1)
            else:
                body = self._text()
            self.docs[doc_id] = {"text": body, "meta": self._meta()}
            self._write(doc_id)
        for doc_id in self.rnd.sample(sorted(self.docs), min(edits, len(self.docs))):
            doc = self.docs[doc_id]
            kind = self.rnd.choice(["text", "published", "title", "publisher"])
            if kind == "text":
                doc["text"] = self._text()
            else:
                doc["meta"] = {**doc["meta"], kind: self._meta()[kind]}
            self._write(doc_id)

    def _write(self, doc_id: str) -> None:
        doc = self.docs[doc_id]
        (self.folder / f"{doc_id}.txt").write_text(doc["text"], encoding="utf-8")
        (self.folder / f"{doc_id}.meta.json").write_text(json.dumps(doc["meta"]), encoding="utf-8")


ORPHANS = {
    "mentions without event": "SELECT count(*) FROM event_mentions m LEFT JOIN events e "
                              "ON e.id = m.event_id WHERE e.id IS NULL",
    "mentions without document": "SELECT count(*) FROM event_mentions m LEFT JOIN documents d "
                                 "ON d.id = m.document_id WHERE d.id IS NULL",
    "events without mentions": "SELECT count(*) FROM events e WHERE NOT EXISTS "
                               "(SELECT 1 FROM event_mentions m WHERE m.event_id = e.id)",
    "claims without mention": "SELECT count(*) FROM claims c LEFT JOIN event_mentions m "
                              "ON m.id = c.mention_id WHERE m.id IS NULL",
    "entity mentions without entity": "SELECT count(*) FROM entity_mentions m LEFT JOIN "
                                      "entities e ON e.id = m.entity_id WHERE e.id IS NULL",
    "entities without mentions": "SELECT count(*) FROM entities e WHERE NOT EXISTS "
                                 "(SELECT 1 FROM entity_mentions m WHERE m.entity_id = e.id)",
    "aliases without entity": "SELECT count(*) FROM aliases a LEFT JOIN entities e "
                              "ON e.id = a.entity_id WHERE e.id IS NULL",
    "copy links to missing documents": "SELECT count(*) FROM documents d WHERE d.copy_of IS "
                                       "NOT NULL AND NOT EXISTS (SELECT 1 FROM documents o "
                                       "WHERE o.id = d.copy_of)",
}


def check_store(url: str, before: set[str]) -> tuple[list[str], set[str]]:
    """The problems found in the store at `url`, and the ids of its documents."""
    from strikewatch.store.repository import Store

    store = Store.open(url)
    problems: list[str] = []
    try:
        with store.engine.connect() as conn:
            if url.startswith("sqlite"):
                result = conn.execute(text("PRAGMA integrity_check")).scalar()
                if result != "ok":
                    problems.append(f"integrity_check: {result}")
                bad = conn.execute(text("PRAGMA foreign_key_check")).all()
                if bad:
                    problems.append(f"foreign_key_check: {len(bad)} rows, first {bad[0]}")
            for name, sql in ORPHANS.items():
                n = conn.execute(text(sql)).scalar()
                if n:
                    problems.append(f"{n} {name}")
            ids = set(conn.execute(text("SELECT id FROM documents")).scalars())
    finally:
        store.close()
    lost = before - ids
    if lost:
        problems.append(f"{len(lost)} documents lost: {sorted(lost)[:5]}")
    return problems, ids


def export(url: str) -> tuple[list[dict], list[dict]]:
    from strikewatch.export.records import entity_record, event_record
    from strikewatch.store.repository import Store

    store = Store.open(url)
    try:
        return ([event_record(row) for row in store.iter_events()],
                [entity_record(row, docs) for row, docs in store.iter_entities()])
    finally:
        store.close()


def diff(a: list[dict], b: list[dict], key: str = "id") -> str:
    da, db = {x[key]: x for x in a}, {x[key]: x for x in b}
    missing, extra = sorted(set(db) - set(da)), sorted(set(da) - set(db))
    changed = sorted(k for k in set(da) & set(db) if da[k] != db[k])
    first = ""
    if changed:
        fields = sorted(f for f in set(da[changed[0]]) | set(db[changed[0]])
                        if da[changed[0]].get(f) != db[changed[0]].get(f))
        first = f" (first: {changed[0]}, in {', '.join(fields)}: " + "; ".join(
            f"{da[changed[0]].get(f)!r} instead of {db[changed[0]].get(f)!r}" for f in fields)[:600] + ")"
    elif missing or extra:
        first = f" (first: {(missing + extra)[0]})"
    return f"{len(missing)} missing, {len(extra)} extra, {len(changed)} different{first}"


def run_child(extractor, folder: Path, url: str) -> int:
    """Fork an ingest; return its pid."""
    pid = os.fork()
    if pid == 0:  # the child: its own engine, its own store
        code = 0
        try:
            from strikewatch.pipeline import ingest
            from strikewatch.store.repository import Store

            store = Store.open(url)
            ingest([folder], store, extractor=extractor, batch_size=4)
            store.close()
        except BaseException:  # noqa: BLE001 - the parent reads the exit status
            import traceback
            traceback.print_exc()
            code = 3
        os._exit(code)
    return pid


def reset_postgres(url: str) -> None:
    from sqlalchemy import create_engine
    from strikewatch.store.db import database_url

    engine = create_engine(database_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--kills", type=int, default=100)
    ap.add_argument("--check-every", type=int, default=100,
                    help="runs to completion and compares with a fresh store every N kills")
    ap.add_argument("--db", default=None, help="a PostgreSQL URL (default: a temporary SQLite)")
    ap.add_argument("--new", type=int, default=2, help="new documents before each run")
    ap.add_argument("--edits", type=int, default=1, help="edited documents before each run")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)

    from strikewatch.pipeline import Extractor, ingest
    from strikewatch.store.repository import Store

    work = Path(tempfile.mkdtemp(prefix="sw-crash-"))
    folder = work / "corpus"
    folder.mkdir()
    url = args.db or f"sqlite:///{work / 'crashed.db'}"
    if url.startswith("postgres"):
        reset_postgres(url)
    rnd = random.Random(args.seed)
    corpus = Corpus(folder, rnd)
    extractor = Extractor()
    stored: set[str] = set()
    failures: list[str] = []
    landed = finished = checks = 0
    full_run = 2.0  # seconds a whole run takes, re-measured as runs finish
    started = time.monotonic()

    def complete(label: str) -> None:
        nonlocal checks, stored
        pid = run_child(extractor, folder, url)
        _, status = os.waitpid(pid, 0)
        if os.waitstatus_to_exitcode(status) != 0:
            failures.append(f"{label}: the clean run exited {os.waitstatus_to_exitcode(status)}")
        problems, stored = check_store(url, stored)
        ref = f"sqlite:///{work / f'fresh-{checks}.db'}"
        fresh = Store.open(ref)
        ingest([folder], fresh, extractor=extractor)
        fresh.close()
        (ev_a, en_a), (ev_b, en_b) = export(url), export(ref)
        os.unlink(ref.split("sqlite:///", 1)[1])
        if ev_a != ev_b:
            problems.append(f"events differ from a fresh store: {diff(ev_a, ev_b)}")
        if en_a != en_b:
            problems.append(f"entities differ from a fresh store: {diff(en_a, en_b)}")
        checks += 1
        failures.extend(f"{label}: {p}" for p in problems)
        print(f"{label}: clean run, {len(corpus.docs)} documents, {len(ev_a)} events, "
              f"{len(en_a)} entities: {'; '.join(problems) or 'same as a fresh store'}",
              flush=True)

    for kill in range(1, args.kills + 1):
        corpus.grow(args.new, args.edits if kill > 1 else 0)
        pid = run_child(extractor, folder, url)
        # every tenth run goes to its end, to keep measuring how long a whole run takes
        delay = 3600.0 if kill % 10 == 0 else rnd.uniform(0.0, full_run * 1.2)
        t0 = time.monotonic()
        while time.monotonic() - t0 < delay:
            done, status = os.waitpid(pid, os.WNOHANG)
            if done:
                break
            time.sleep(0.005)
        else:
            done, status = 0, 0
        if done:
            finished += 1
            full_run = 0.5 * full_run + 0.5 * (time.monotonic() - t0)
            code = os.waitstatus_to_exitcode(status)
            if code != 0:
                failures.append(f"kill {kill}: a run exited {code} before the kill")
        else:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            landed += 1
        problems, stored = check_store(url, stored)
        failures.extend(f"kill {kill}: {p}" for p in problems)
        if problems:
            print(f"kill {kill}: {'; '.join(problems)}", flush=True)
        if kill % args.check_every == 0 and kill != args.kills:
            complete(f"after kill {kill}")
    complete("end")
    backend = "PostgreSQL" if url.startswith("postgres") else "SQLite"
    print(f"{backend}: {args.kills} runs, {landed} killed mid-run, {finished} finished first, "
          f"{checks} clean-run comparisons, {len(corpus.docs)} documents, "
          f"{len(failures)} failures, {time.monotonic() - started:.0f} s")
    for line in failures[:20]:
        print("FAIL", line)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
