"""Records passed between pipeline stages.

Every value extracted from a text carries the :class:`Span` of its evidence: character offsets
into the document text as read, so ``document.text[span.start:span.end] == span.text``.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

from strikewatch.printable import printable

EventType = Literal["strike", "protest", "blockade", "riot", "other"]
EVENT_TYPES: tuple[str, ...] = ("strike", "protest", "blockade", "riot", "other")
PlacePrecision = Literal["site", "city", "region", "country"]
DatePrecision = Literal["day", "week", "month", "year", "unknown"]
CountField = Literal["participants", "arrests", "injuries", "deaths"]
COUNT_FIELDS: tuple[str, ...] = ("participants", "arrests", "injuries", "deaths")
EntityType = Literal["person", "organization", "workplace", "place"]


@dataclass(frozen=True, slots=True)
class Span:
    """Character offsets into a document's text, with the text they cover."""

    start: int
    end: int
    text: str

    def __post_init__(self) -> None:
        if not 0 <= self.start <= self.end:
            raise ValueError(f"bad span offsets {self.start}..{self.end}")
        if len(self.text) != self.end - self.start:
            raise ValueError(f"span text length {len(self.text)} != {self.end - self.start}")

    @classmethod
    def of(cls, text: str, start: int, end: int) -> "Span":
        return cls(start, end, text[start:end])


@dataclass(frozen=True, slots=True)
class Document:
    """One report as read, before extraction."""

    id: str
    text: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    published: date | None = None
    language: str = "en"
    source: str = ""  # where it was read from (path, path:line)
    content_hash: str = ""


@dataclass(frozen=True, slots=True)
class Place:
    """A resolved place: canonical name with its region, country and coordinates."""

    name: str
    country: str  # ISO 3166-1 alpha-2
    precision: PlacePrecision
    admin1: str | None = None
    lat: float | None = None
    lon: float | None = None
    geonameid: int | None = None


@dataclass(frozen=True, slots=True)
class PlaceMention:
    place: Place
    span: Span


@dataclass(frozen=True, slots=True)
class Enterprise:
    """A knowledge-base entry: an enterprise with its home town."""

    key: str  # stable id in the knowledge base, e.g. "belaz"
    name: str
    aliases: tuple[str, ...]
    town: str
    country: str
    sector: str | None = None
    owner: str | None = None


@dataclass(frozen=True, slots=True)
class EnterpriseMention:
    enterprise: Enterprise
    span: Span


@dataclass(frozen=True, slots=True)
class DateValue:
    """A resolved date or date range with its precision and the words it came from."""

    start: date | None
    end: date | None
    precision: DatePrecision
    text: str = ""
    span: Span | None = None

    @classmethod
    def unknown(cls) -> "DateValue":
        return cls(None, None, "unknown")


@dataclass(frozen=True, slots=True)
class Claim:
    """One source's figure for one count, with who claims it."""

    low: int
    high: int
    span: Span  # the words of the figure itself
    attributed_to: str | None = None
    document: str = ""
    sentence: Span | None = None  # the sentence the claim stands in

    def __post_init__(self) -> None:
        if self.low > self.high:
            raise ValueError(f"claim low {self.low} > high {self.high}")


@dataclass(frozen=True, slots=True)
class CountMention:
    """A number in a text that counts participants, arrests, injuries or deaths."""

    field: CountField
    low: int
    high: int
    span: Span


@dataclass(frozen=True, slots=True)
class Count:
    """The range an event settles on for one count, spanning all its claims."""

    low: int
    high: int
    claims: tuple[Claim, ...]

    @classmethod
    def from_claims(cls, claims: tuple[Claim, ...]) -> "Count":
        return cls(min(c.low for c in claims), max(c.high for c in claims), claims)


@dataclass(frozen=True, slots=True)
class Workplace:
    name: str
    span: Span
    enterprise: Enterprise | None = None  # None for generic workplaces


@dataclass(frozen=True, slots=True)
class Demand:
    label: str  # normalised: "resignation", "new elections", ...
    span: Span
    category: str | None = None  # "political", "pay", ... (docs/demands.md); None: not given


@dataclass(frozen=True, slots=True)
class EntityMention:
    """A person, organisation, workplace or place named in a document."""

    type: EntityType
    name: str  # canonical surface (knowledge-base name for known enterprises)
    span: Span
    key: str | None = None  # knowledge-base or gazetteer key when resolved


@dataclass(frozen=True, slots=True)
class EventMention:
    """An event as told by one document: every field with its evidence."""

    document: str
    type: EventType
    evidence: tuple[Span, ...]  # the sentences that tell it
    workplace: Workplace | None = None
    actors: tuple[str, ...] = ()
    location: Place | None = None
    location_span: Span | None = None
    date: DateValue = field(default_factory=DateValue.unknown)
    participants: Count | None = None
    arrests: Count | None = None
    injuries: Count | None = None
    deaths: Count | None = None
    demands: tuple[Demand, ...] = ()

    def count(self, name: str) -> Count | None:
        return getattr(self, name)

    def to_dict(self) -> dict:
        """Plain data in the shape of the export's events, every value with its span."""
        from strikewatch.export.mentions import mention_record
        return mention_record(self)


@dataclass(frozen=True, slots=True)
class Extraction:
    """All that one document yields."""

    document: Document
    events: tuple[EventMention, ...]
    entities: tuple[EntityMention, ...]


@dataclass(frozen=True, slots=True)
class Failure:
    """A document that could not be read or processed: what, where, how to fix."""

    source: str
    code: str
    message: str
    fix: str

    def line(self) -> str:
        """One line, its control characters escaped (a file name can hold any of them)."""
        return printable(f"{self.source}: [{self.code}] {self.message} ({self.fix})")
