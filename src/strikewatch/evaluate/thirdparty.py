"""Measure extraction on data nobody on the project wrote, beside a keyword baseline.

:func:`measure` runs the extractor over each set found under a ``shared`` folder (the layout of
``shared/datasets`` and ``shared/corpora``) and returns :class:`Figure` rows: strikewatch's figure
and, computed in the same run on the same texts, a keyword regex's. A document "reports an event"
when strikewatch extracts at least one event from it; the baseline says so when the regex matches.

Sets and figures (names are what ``--floor`` takes):

- ``glocon.doc``: GLOCON Gold documents, protest-scope positives only (``scope.tsv``).
- ``glocon.sent``: its sentences, each extracted on its own.
- ``case.protest``: CASE 2021 task 2 snippets, the five protest classes against the rest;
  ``case.riot_typing``: of the VIOL_DEMONSTR and MOB_VIOL snippets found, the share typed riot.
- ``bbc``: false-positive documents over all 2,225 (``bbc.fp_rate``) and recall over the
  hand-labelled genuine stories.
- ``ipe.arrest`` / ``ipe.kill``: IndiaPoliceEvents sentences labelled ARREST / KILL; a sentence is
  found when an extracted event's arrests / deaths claim lies in it.
- ``realnews.<stratum>``: real reports graded with the built-in grader per id prefix
  (w worldwide, b Belarus, c Russian/Belarusian, n decoys: ``realnews.n.clean`` is the share of
  decoys with no event).
"""
from __future__ import annotations

import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from strikewatch.evaluate import datasets as ds
from strikewatch.types import Document, EventMention

KEYWORDS = re.compile(r"strike|protest|rally|demonstrat|riot|walkout|picket", re.I)
RIOT_WORDS = re.compile(r"riot|clash|loot|violen|stone|torch|set fire|vandal", re.I)
ARREST_WORDS = re.compile(r"arrest|detain|detention|custody|held", re.I)
KILL_WORDS = re.compile(r"\bkill|shot dead|died|death|firing", re.I)

Extract = Callable[[Sequence[Document]], list[tuple[EventMention, ...]]]


@dataclass(frozen=True, slots=True)
class Figure:
    name: str           # e.g. "glocon.doc.f1"
    strikewatch: float | None
    baseline: float | None
    support: str = ""   # what it is measured over, e.g. "71 of 1,050"

    def row(self) -> tuple[str, str, str, str]:
        def fmt(v: float | None) -> str:
            return "—" if v is None else f"{v:.3f}"
        return self.name, fmt(self.strikewatch), fmt(self.baseline), self.support


def _ratio(a: int, b: int) -> float | None:
    return round(a / b, 3) if b else None


def binary(pred: Sequence[bool], gold: Sequence[bool]) -> dict[str, float | None]:
    """Precision, recall and F1 of the positive class, and macro-F1 over both classes."""
    tp = sum(p and g for p, g in zip(pred, gold))
    fp = sum(p and not g for p, g in zip(pred, gold))
    fn = sum(g and not p for p, g in zip(pred, gold))
    tn = len(gold) - tp - fp - fn

    def f1(t: int, f_p: int, f_n: int) -> float:
        return 2 * t / (2 * t + f_p + f_n) if t else 0.0
    return {"precision": _ratio(tp, tp + fp), "recall": _ratio(tp, tp + fn),
            "f1": round(f1(tp, fp, fn), 3),
            "macro_f1": round((f1(tp, fp, fn) + f1(tn, fn, fp)) / 2, 3)}


def _binary_figures(name: str, pred, base, gold, measures=("precision", "recall", "f1",
                                                           "macro_f1")) -> list[Figure]:
    ours, theirs = binary(pred, gold), binary(base, gold)
    support = f"{sum(gold)} of {len(gold)}"
    return [Figure(f"{name}.{m}", ours[m], theirs[m], support) for m in measures]


def _documents(items: Sequence[ds.Labelled]) -> list[Document]:
    return [Document(id=i.id, text=i.text, published=i.published, source=i.id) for i in items]


def _detect(items: Sequence[ds.Labelled], extract: Extract) -> list[tuple[EventMention, ...]]:
    return extract(_documents(items))


def glocon(root: Path, extract: Extract) -> list[Figure]:
    out: list[Figure] = []
    for name, items in (("glocon.doc", ds.glocon_documents(root)),
                        ("glocon.sent", ds.glocon_sentences(root))):
        if not items:
            continue
        events = _detect(items, extract)
        out += _binary_figures(name, [bool(e) for e in events],
                               [bool(KEYWORDS.search(i.text)) for i in items],
                               [i.positive for i in items])
    return out


def case(root: Path, extract: Extract) -> list[Figure]:
    items = ds.case2021(root)
    if not items:
        return []
    events = _detect(items, extract)
    out = _binary_figures("case.protest", [bool(e) for e in events],
                          [bool(KEYWORDS.search(i.text)) for i in items],
                          [i.positive for i in items], ("precision", "recall", "f1"))
    riots = [(i, e) for i, e in zip(items, events) if i.label in ds.CASE_RIOT]
    found = [(i, e) for i, e in riots if e]
    typed = sum(any(m.type == "riot" for m in e) for _, e in found)
    base_found = [i for i, _ in riots if KEYWORDS.search(i.text)]
    base_typed = sum(bool(RIOT_WORDS.search(i.text)) for i in base_found)
    out.append(Figure("case.riot_typing", _ratio(typed, len(found)),
                      _ratio(base_typed, len(base_found)),
                      f"{typed} of {len(found)} found ({len(riots)} riot snippets)"))
    return out


def bbc(root: Path, extract: Extract) -> list[Figure]:
    items = ds.bbc(root)
    if not items:
        return []
    events = _detect(items, extract)
    pred = [bool(e) for e in events]
    base = [bool(KEYWORDS.search(i.text)) for i in items]
    genuine = [i.positive for i in items]

    def fp(p):
        return sum(x and not g for x, g in zip(p, genuine))
    def found(p):
        return sum(x and g for x, g in zip(p, genuine))
    n, pos = len(items), sum(genuine)
    return [Figure("bbc.fp_rate", _ratio(fp(pred), n), _ratio(fp(base), n),
                   f"{fp(pred)} of {n} documents"),
            Figure("bbc.recall", _ratio(found(pred), pos), _ratio(found(base), pos),
                   f"{found(pred)} of {pos}")]


def _claim_in(events: Iterable[EventMention], field: str, lo: int, hi: int) -> bool:
    for e in events:
        count = e.count(field)
        if count and any(lo <= c.span.start < hi for c in count.claims):
            return True
    return False


def india(root: Path, extract: Extract) -> list[Figure]:
    items = ds.india_police_events(root)
    if not items:
        return []
    events = _detect(items, extract)
    out: list[Figure] = []
    for label, field, words in (("ARREST", "arrests", ARREST_WORDS),
                                ("KILL", "deaths", KILL_WORDS)):
        pred, base, gold = [], [], []
        for item, evs in zip(items, events):
            for (lo, hi), labels in zip(item.spans, item.labels):
                gold.append(label in labels)
                pred.append(_claim_in(evs, field, lo, hi))
                base.append(bool(words.search(item.text, lo, hi)))
        out += _binary_figures(f"ipe.{label.lower()}", pred, base, gold,
                               ("precision", "recall", "f1"))
    return out


def realnews(root: Path, extractor) -> list[Figure]:
    """Ingest the real reports into a throw-away store, export, grade per stratum."""
    from strikewatch.evaluate import document_texts, grade, load_gold
    from strikewatch.export import records
    from strikewatch.pipeline import ingest
    from strikewatch.store.repository import Store

    docs, gold_dir = root / "docs", root / "gold"
    if not docs.exists() or not gold_dir.exists():
        return []
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(f"sqlite:///{tmp}/realnews.db")
        ingest([docs], store, extractor=extractor)
        events = list(records(store, "events"))
        entities = list(records(store, "entities"))
        store.close()
    gold_files = sorted(p for p in gold_dir.glob("*.json") if not p.name.startswith("cross"))
    gold = load_gold(gold_files)
    texts = document_texts(docs, [str(g["document"]) for g in gold])
    out: list[Figure] = []
    for stratum in sorted({str(g["document"])[0] for g in gold}):
        part = [g for g in gold if str(g["document"]).startswith(stratum)]
        report = grade(events, entities, part, [], texts=texts)
        keyword = [bool(KEYWORDS.search(texts.get(str(g["document"]), ""))) for g in part]
        told = {s["document"] for e in events for s in e["sources"]}
        with_event = [g["document"] in told for g in part]
        name = f"realnews.{stratum}"
        n = len(part)
        if stratum == "n":
            clean = sum(not x for x in with_event)
            out.append(Figure(f"{name}.clean", _ratio(clean, n),
                              _ratio(sum(not k for k in keyword), n),
                              f"{clean} of {n} decoys with no event"))
            continue
        t = report.tally
        out += [Figure(f"{name}.recall", report.recall, None,
                       f"{t.found} of {t.required} required events"),
                Figure(f"{name}.precision", report.precision, None,
                       f"{t.exported_matched} of {t.exported} exported"),
                Figure(f"{name}.documents", _ratio(sum(with_event), n),
                       _ratio(sum(keyword), n), f"documents with an event, of {n}")]
    return out


SETS = ("realnews", "glocon", "case", "bbc", "ipe")


def measure(shared: Path, extractor, *, sets: Sequence[str] = SETS,
            on_set: Callable[[str], None] | None = None,
            parse_cache: Path | None = None) -> list[Figure]:
    """Every figure of the sets found under ``shared``, in the order of ``sets``."""
    extract = batch_extract(extractor)
    cache = None
    if parse_cache is not None:
        cache = extractor.parser = ParseCache(parse_cache, extractor.nlp)
    base = shared / "datasets"
    runs = {"realnews": lambda: realnews(shared / "corpora" / "realnews", extractor),
            "glocon": lambda: glocon(base / "glocon-gold-sample", extract),
            "case": lambda: case(base / "case2021-task2", extract),
            "bbc": lambda: bbc(base / "bbc-fulltext", extract),
            "ipe": lambda: india(base / "india-police-events", extract)}
    out: list[Figure] = []
    for name in sets:
        if on_set:
            on_set(name)
        out += runs[name]()
        if cache is not None:
            cache.save()
    return out


def batch_extract(extractor) -> Extract:
    from strikewatch.types import Failure

    def run(documents: Sequence[Document]) -> list[tuple[EventMention, ...]]:
        return [() if isinstance(r, Failure) else r.events
                for r in extractor.extract_many(documents)]
    return run


_FLOOR = re.compile(r"^\s*([\w.]+)\s*(>=|<=|=)\s*([0-9.]+)\s*$")


def parse_floor(text: str) -> tuple[str, str, float]:
    """``glocon.doc.f1>=0.85`` (``=`` means ``>=``); ``bbc.fp_rate<=0.005`` is a ceiling."""
    m = _FLOOR.match(text)
    if not m:
        raise ValueError(f"bad floor {text!r}: write NAME>=VALUE or NAME<=VALUE")
    op = ">=" if m.group(2) == "=" else m.group(2)
    return m.group(1), op, float(m.group(3))


def failed_floors(figures: Sequence[Figure], floors: Sequence[tuple[str, str, float]]) -> list[str]:
    """One line per floor not met (a figure that was not measured fails its floor)."""
    by_name = {f.name: f.strikewatch for f in figures}
    out = []
    for name, op, value in floors:
        got = by_name.get(name)
        if got is None or (got < value if op == ">=" else got > value):
            out.append(f"{name} = {got} is not {op} {value}")
    return out


__all__ = ["Figure", "SETS", "batch_extract", "binary", "failed_floors", "measure",
           "parse_floor"]


class ParseCache:
    """spaCy parses kept on disk between runs, keyed by the text's digest: measuring again after
    a change to the rules or the classifier then costs the extraction alone. For development
    (``evaluate --parse-cache DIR``); the figures are the same with or without it."""

    def __init__(self, folder: Path, nlp) -> None:
        import hashlib
        self._digest = lambda t: hashlib.sha1(t.encode("utf-8", "surrogatepass")).hexdigest()
        self.folder, self.nlp = Path(folder), nlp
        self.folder.mkdir(parents=True, exist_ok=True)
        self._docs: dict[str, object] = {}
        self._new: dict[str, object] = {}
        from spacy.tokens import DocBin
        for path in sorted(self.folder.glob("*.spacy")):
            keys = (path.with_suffix(".keys")).read_text().split()
            docs = DocBin().from_disk(path).get_docs(nlp.nlp.vocab)
            self._docs.update(zip(keys, docs))

    def pipe(self, texts):
        texts = list(texts)
        keys = [self._digest(t) for t in texts]
        todo = [(k, t) for k, t in zip(keys, texts) if k not in self._docs]
        for (k, _), doc in zip(todo, self.nlp.pipe(t for _, t in todo)):
            self._docs[k] = self._new[k] = doc
        return [self._docs[k] for k in keys]

    def save(self) -> None:
        from spacy.tokens import DocBin
        if not self._new:
            return
        name = self._digest("".join(sorted(self._new)))
        DocBin(docs=list(self._new.values()), store_user_data=False).to_disk(
            self.folder / f"{name}.spacy")
        (self.folder / f"{name}.keys").write_text("\n".join(self._new))
        self._new = {}
