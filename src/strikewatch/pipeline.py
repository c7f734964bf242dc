"""Run the per-document stages over a batch and store what they find.

Error policy: a document that cannot be read or processed becomes one :class:`Failure` line
(what, where, how to fix) and the batch goes on; every good document is stored in its own
transaction, so a failure never loses another document's data. Re-ingesting a document whose
content hash is unchanged does nothing; a changed one replaces its earlier extraction.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from strikewatch import __version__
from strikewatch.classify import SentenceClassifier
from strikewatch.errors import Code, StrikewatchError
from strikewatch.events.assemble import assemble
from strikewatch.events.context import DocContext
from strikewatch.geo.gazetteer import Gazetteer
from strikewatch.geo.knowledge import KnowledgeBase
from strikewatch.ingest import read_documents
from strikewatch.merge.copies import CopyDetector
from strikewatch.merge.signatures import DocumentSignature, signature
from strikewatch.nlp.english import EnglishNLP
from strikewatch.resolve.mentions import entity_mentions
from strikewatch.store.repository import BATCH_DOCUMENTS, Pending, Store
from strikewatch.types import Document, Extraction, Failure

SUPPORTED_LANGUAGES = ("en",)
# Bump when extraction changes what it finds: stored documents are then extracted again.
EXTRACTION_VERSION = f"{__version__}+2"


def unsupported_language(document: Document) -> Failure | None:
    """The failure line for a document in a language with no pipeline, else None."""
    if document.language in SUPPORTED_LANGUAGES:
        return None
    return Failure(document.source, "SW402",
                   f"language {document.language!r} has no extraction pipeline yet",
                   f"supported: {', '.join(SUPPORTED_LANGUAGES)}; "
                   "set the sidecar's \"language\" if it is wrong")


def fingerprint(document: Document) -> str:
    """What decides whether a stored document must be stored again: its text, every field of
    its metadata (a corrected title, url or publisher is a change too) and the extraction
    version."""
    meta = "\x1f".join(str(v) if v is not None else "\x00" for v in (
        document.title, document.url, document.publisher, document.published, document.language))
    payload = f"{document.content_hash}|{meta}|{EXTRACTION_VERSION}"
    return hashlib.sha256(payload.encode("utf-8", "surrogatepass")).hexdigest()


class Extractor:
    """Heavy resources (spaCy, gazetteer, knowledge base), loaded once, and the per-document
    extraction that uses them. Organised per language: English is the one pipeline so far."""

    def __init__(self, *, kb_paths: Sequence[Path] = (), classifier: bool = True) -> None:
        self.nlp = EnglishNLP()
        self.classifier = SentenceClassifier.load() if classifier else None
        self.parser = self.nlp  # anything with .pipe(texts) giving spaCy Docs
        self.kb = KnowledgeBase.load(kb_paths)
        self.gazetteer = Gazetteer.load()
        self.vocabulary = self.nlp.vocabulary - self.nlp.given_names  # for copy signatures

    def extract_parsed(self, document: Document, doc) -> Extraction:
        ctx = DocContext(document_id=document.id, text=document.text,
                         published=document.published, doc=doc, kb=self.kb,
                         gazetteer=self.gazetteer, given_names=self.nlp.given_names,
                         classifier=self.classifier)
        events = assemble(ctx)
        return Extraction(document, tuple(events), tuple(entity_mentions(ctx, events)))

    def extract(self, document: Document) -> Extraction:
        return self.extract_parsed(document, self.nlp(document.text))

    def extract_many(self, documents: Iterable[Document]) -> Iterable[Extraction | Failure]:
        """Extract a stream of documents, parsing them in batches."""
        batch: list[Document] = []
        for doc in documents:
            batch.append(doc)
            if len(batch) >= 32:
                yield from self._batch(batch)
                batch = []
        if batch:
            yield from self._batch(batch)

    def _batch(self, batch: list[Document]) -> Iterable[Extraction | Failure]:
        try:
            parsed: list = list(self.parser.pipe(d.text for d in batch))
        except Exception:  # noqa: BLE001 - find the document at fault, one by one
            parsed = [self._parse_alone(d) for d in batch]
        for document, doc in zip(batch, parsed):
            if isinstance(doc, Failure):
                yield doc
                continue
            try:
                yield self.extract_parsed(document, doc)
            except Exception as err:  # noqa: BLE001 - one bad document must not stop a batch
                yield _failed(document, "extraction", err)

    def _parse_alone(self, document: Document):
        try:
            return next(iter(self.parser.pipe([document.text])))
        except Exception as err:  # noqa: BLE001
            return _failed(document, "parsing", err)


def _failed(document: Document, stage: str, err: BaseException) -> Failure:
    return Failure(document.source or document.id, "SW401",
                   f"{stage} failed on document {document.id!r} ({len(document.text):,} "
                   f"characters): {err.__class__.__name__}: {str(err)[:300]}",
                   "report this as a bug with the document attached; the other documents "
                   "of the run are stored")


@dataclass
class IngestReport:
    read: int = 0
    stored: int = 0
    unchanged: int = 0
    events: int = 0
    failures: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


def ingest(paths: Sequence[Path], store: Store, *, extractor: Extractor | None = None,
           on_document: Callable[[str], None] | None = None,
           on_failure: Callable[[Failure], None] | None = None,
           batch_size: int = BATCH_DOCUMENTS) -> IngestReport:
    """Read, extract and store every document under `paths`, `batch_size` documents per
    transaction."""
    report = IngestReport()
    seen: dict[str, str] = {}

    def fail(f: Failure) -> None:
        report.failures.append(f)
        if on_failure:
            on_failure(f)

    def todo() -> Iterable[Document]:
        for item in read_documents(paths):
            if isinstance(item, Failure):
                fail(item)
                if on_document:
                    on_document(item.source)
                continue
            report.read += 1
            if item.id in seen and seen[item.id] != item.source:
                fail(Failure(item.source, Code.DUPLICATE_ID.value,
                             f"document id {item.id!r} was already read from {seen[item.id]}",
                             Code.DUPLICATE_ID.fix))
                continue
            seen[item.id] = item.source
            unsupported = unsupported_language(item)
            if unsupported is not None:
                fail(unsupported)
                continue
            item = replace(item, content_hash=fingerprint(item))
            if store.content_hash(item.id) == item.content_hash:
                report.unchanged += 1
                if on_document:
                    on_document(item.source)
                continue
            yield item

    extractor = extractor or Extractor()
    copies = CopyDetector()
    copies.extend(DocumentSignature.from_dict(d) for d in store.signatures())
    batch: list[Pending] = []

    def flush() -> None:
        """Save the batch in one transaction; after an error, one by one, so that only the
        document at fault fails."""
        try:
            store.save_many(batch)
            saved = list(batch)
        except StrikewatchError:
            saved = []
            for item in batch:
                try:
                    store.save_many([item])
                except StrikewatchError as err:
                    fail(err.failure(item.extraction.document.source))
                    continue
                saved.append(item)
        report.stored += len(saved)
        report.events += sum(len(item.extraction.events) for item in saved)
        batch.clear()

    for result in extractor.extract_many(todo()):
        if isinstance(result, Failure):
            fail(result)
        else:
            sig = signature(result.document, vocabulary=extractor.vocabulary)
            copies.add(sig)
            original = copies.original_of(result.document.id)
            if any(item.extraction.document.id == result.document.id for item in batch):
                flush()  # one document twice: the later reading wins, as one by one
            batch.append(Pending(result, None if original == result.document.id else original,
                                 sig.to_dict()))
            if len(batch) >= batch_size:
                flush()
        if on_document:
            on_document(result.source if isinstance(result, Failure) else result.document.source)
    flush()
    # Copy links are a function of the stored signatures: a document read later may be the
    # original of copies stored before it, and another ingest may have stored documents
    # meanwhile. Re-read them all, so that a run that only finds unchanged documents repairs
    # the links an interrupted run left.
    stored = [DocumentSignature.from_dict(d) for d in store.signatures()]
    copies.sync(stored)
    store.set_copies({sig.id: copies.original_of(sig.id) for sig in stored})
    return report


_DEFAULT: list[Extractor] = []


def default_extractor() -> Extractor:
    """One extractor per process for :func:`strikewatch.extract` (spaCy loads once)."""
    if not _DEFAULT:
        _DEFAULT.append(Extractor(classifier=True))
    return _DEFAULT[0]


def extract_text(text: str, *, published=None, language: str = "en", id: str = "document",
                 title: str | None = None, url: str | None = None,
                 extractor: Extractor | None = None) -> list:
    """The event mentions of one text, with no store: see :func:`strikewatch.extract`."""
    from datetime import date

    if language not in SUPPORTED_LANGUAGES:
        raise StrikewatchError(f"language {language!r} has no extraction pipeline yet "
                               f"(supported: {', '.join(SUPPORTED_LANGUAGES)})")
    if isinstance(published, str):
        published = date.fromisoformat(published)
    document = Document(id=id, text=text, title=title, url=url, published=published,
                        language=language, source=id)
    return list((extractor or default_extractor()).extract(document).events)
