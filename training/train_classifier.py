"""Train the sentence classifier that ships in the package.

    uv run --frozen python training/train_classifier.py [--shared ../shared] [--report]

Reads only data whose terms allow training, and writes
``src/strikewatch/data/models/event_sentences.npz`` (weights) and ``.json`` (settings):

- ``training/sentences.en*.tsv``: sentences written for the project (events that happened and
  hard negatives: sport, business, military, figurative, planned, balloted, historical uses;
  one file per theme: labour, protests, riots and blockades, the news around events);
- ``shared/datasets/ngec-plover`` (MIT-declared): the 351 VOA protest quotes (positives, typed by
  their modes) and the GPT-2 synthetic stories, split into sentences (protest-word sentences of
  PROTEST stories are positives of the story's mode; sentences of the other event types are
  negatives);
- ``shared/datasets/ecbplus`` (annotations CC BY 3.0): sentences of news on shootings, quakes,
  arrests, launches and the like, as background negatives (sentences with protest words left out).

GLOCON, CASE 2021, IndiaPoliceEvents, BBC and realnews are never read here: they are the held-out
evaluation sets (``strikewatch evaluate --shared``). ``--report`` prints 5-fold cross-validated
figures on the training data, and leave-one-source-out figures (train on the other sources, test
on one).
"""
from __future__ import annotations

import argparse
import csv
import glob
import json
import random
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
from scipy import sparse
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
from strikewatch.classify.features import FEATURES, featurize  # noqa: E402

OWN = sorted((ROOT / "training").glob("sentences.en*.tsv"))
OUT = ROOT / "src" / "strikewatch" / "data" / "models" / "event_sentences"
PROTEST_WORDS = re.compile(r"strik|protest|rall|demonstrat|riot|walk(?:ed)?[ -]?out|picket|march|"
                           r"boycott|hunger|block|barricad|sit-in|occup|loot|unrest|clash", re.I)
MODE_TYPE = {"demo": "protest", "riot": "riot", "obstruct": "blockade", "strike": "strike",
             "boycott": "protest", "hunger": "protest"}
TYPES = ("strike", "protest", "riot", "blockade")
_SPLIT = re.compile(r"(?<=[.!?])\s+(?=[A-Z\"“])")

csv.field_size_limit(1 << 30)


def own_sentences() -> list[tuple[str, str, str]]:
    out: list[tuple[str, str, str]] = []
    for path in OWN:
        with path.open(encoding="utf-8") as fh:
            for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
                label = r["type"] if r["label"] == "event" else "none"
                out.append((r["sentence"], label, "own"))
    return out


def voa(shared: Path) -> list[tuple[str, str, str]]:
    path = shared / "datasets" / "ngec-plover" / "voa_protest_verify_judgments.tsv"
    out = []
    with path.open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            if r["label"] != "1" or not r["quote"]:
                continue
            modes = [m for m in r["modes"].split(",") if m]
            kinds = [MODE_TYPE[m] for m in modes if m in MODE_TYPE]
            kind = min(kinds, key=TYPES.index) if kinds else "protest"
            out.append((r["quote"], kind, "voa"))
    return out


def synthetic(shared: Path, rng: random.Random) -> list[tuple[str, str, str]]:
    base = shared / "datasets" / "ngec-plover"
    stories: list[tuple[str, str, str]] = []
    with (base / "gpt_synthetic_events_2023-10-19_19.csv").open(encoding="utf-8") as fh:
        for r in csv.DictReader(fh):
            stories.append((r["text"], r["label"], (r.get("mode") or "").lower()))
    with (base / "gpt_synthetic_events_2023-04-06.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            r = json.loads(line)
            stories.append((r["text"], r["event"], str(r.get("mode") or "").lower()))
    out = []
    for text, label, mode in stories:
        text = re.sub(r"^### THIS IS A SYNTHETIC STORY.*?###", "", text, flags=re.S).strip()
        sentences = [s.strip() for s in _SPLIT.split(text) if 30 <= len(s.strip()) <= 400][:6]
        if label == "PROTEST":
            kind = MODE_TYPE.get(mode, "protest")
            out += [(s, kind, "synthetic") for s in sentences if PROTEST_WORDS.search(s)]
        elif label != "MOBILIZE":  # a call to mobilise is neither an event nor a clean negative
            out += [(s, "none", "synthetic") for s in rng.sample(sentences, min(2, len(sentences)))]
    return out


def ecb(shared: Path, rng: random.Random) -> list[tuple[str, str, str]]:
    out = []
    for path in sorted(glob.glob(str(shared / "datasets" / "ecbplus" / "ECB+" / "*" / "*.xml"))):
        root = ET.parse(path).getroot()
        sents: dict[str, list[str]] = {}
        for t in root.findall("token"):
            sents.setdefault(t.get("sentence"), []).append(t.text or "")
        skip0 = "ecbplus" in Path(path).name
        for number, words in sents.items():
            if skip0 and number == "0":
                continue
            s = re.sub(r" ([,.;:!?'’)])", r"\1", " ".join(words)).replace("( ", "(")
            if 30 <= len(s) <= 400 and not PROTEST_WORDS.search(s):
                out.append((s, "none", "ecb"))
    return rng.sample(out, min(len(out), 4000))


def load(shared: Path) -> list[tuple[str, str, str]]:
    rng = random.Random(13)
    return own_sentences() + voa(shared) + synthetic(shared, rng) + ecb(shared, rng)


# how much one sentence of each source weighs: the project's own sentences are few but carry
# the hard negatives; GPT-2's stories are many and noisy (chosen by cross-validation, --report)
WEIGHTS = {"own": 1.0, "voa": 2.0, "synthetic": 0.5, "ecb": 1.0}


def fit(texts: list[str], labels: list[str], sources: list[str]):
    X = featurize(texts)
    w = np.array([WEIGHTS[s] for s in sources])
    y_event = np.array([lab != "none" for lab in labels])
    event = LogisticRegression(C=4.0, solver="liblinear", class_weight="balanced")
    event.fit(X, y_event, sample_weight=w)
    pos = np.flatnonzero(y_event)
    kinds = np.array([labels[i] for i in pos])
    typer = LogisticRegression(C=4.0, max_iter=1000, class_weight="balanced")
    typer.fit(X[pos], kinds, sample_weight=w[pos])
    return event, typer


def predict(models, texts: list[str]) -> tuple[np.ndarray, list[str]]:
    event, typer = models
    X = featurize(texts)
    return event.predict_proba(X)[:, 1], list(typer.predict(X))


def save(models) -> None:
    event, typer = models
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT.with_suffix(".npz"),
        event_coef=sparse.csr_matrix(event.coef_.astype(np.float32)).toarray()[0],
        event_intercept=event.intercept_.astype(np.float32),
        type_coef=typer.coef_.astype(np.float32), type_intercept=typer.intercept_.astype(np.float32))
    OUT.with_suffix(".json").write_text(json.dumps({
        "features": FEATURES, "types": [str(c) for c in typer.classes_],
        "trained_on": [f"training/{p.name}" for p in OWN] + ["ngec-plover VOA quotes",
                       "ngec-plover synthetic stories", "ecbplus sentences (negatives)"],
    }, indent=1) + "\n", encoding="utf-8")


def _scores(p: np.ndarray, gold: np.ndarray, threshold: float = 0.5) -> str:
    pred = p >= threshold
    tp, fp, fn = int((pred & gold).sum()), int((pred & ~gold).sum()), int((~pred & gold).sum())
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return f"P {prec:.3f} R {rec:.3f} F1 {f1:.3f} (n={len(gold)}, positives {int(gold.sum())})"


def report(data) -> None:
    texts = [t for t, _, _ in data]
    labels = [lab for _, lab, _ in data]
    sources = [s for _, _, s in data]
    gold = np.array([lab != "none" for lab in labels])
    probs = np.zeros(len(data))
    kinds = np.array(["none"] * len(data), dtype=object)
    folds = StratifiedKFold(5, shuffle=True, random_state=0)
    for train, test in folds.split(texts, gold):
        models = fit([texts[i] for i in train], [labels[i] for i in train],
                     [sources[i] for i in train])
        probs[test], kinds[test] = predict(models, [texts[i] for i in test])
    print("5-fold cross-validation, event vs none:", _scores(probs, gold))
    for source in sorted(set(sources)):
        idx = np.array([s == source for s in sources])
        print(f"  of which {source}:", _scores(probs[idx], gold[idx]))
        events = [i for i in np.flatnonzero(idx) if gold[i]]
        if events:
            typed = sum(kinds[i] == labels[i] for i in events)
            print(f"    type right on {typed} of {len(events)} events")
    for source in sorted(set(sources)):
        train = [i for i, s in enumerate(sources) if s != source]
        test = [i for i, s in enumerate(sources) if s == source]
        models = fit([texts[i] for i in train], [labels[i] for i in train],
                     [sources[i] for i in train])
        p = predict(models, [texts[i] for i in test])[0]
        print(f"held out {source} (trained on the others):", _scores(p, gold[test]))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--report", action="store_true", help="print cross-validated figures")
    ap.add_argument("--own-weight", type=float, default=WEIGHTS["own"],
                    help="weight of one of the project's own sentences (default %(default)s)")
    ap.add_argument("--dry-run", action="store_true", help="report only; write no model")
    args = ap.parse_args()
    WEIGHTS["own"] = args.own_weight
    data = load(args.shared)
    counts: dict[str, int] = {}
    for _, lab, src in data:
        counts[f"{src}:{lab}"] = counts.get(f"{src}:{lab}", 0) + 1
    print("training sentences:", json.dumps(counts, sort_keys=True))
    if args.report:
        report(data)
    if args.dry_run:
        return
    save(fit([t for t, _, _ in data], [lab for _, lab, _ in data], [s for _, _, s in data]))
    print(f"wrote {OUT.with_suffix('.npz')}")


if __name__ == "__main__":
    main()
