"""Errors: one catalogue of codes and one exception tree.

Error codes
-----------

Every user-facing problem carries a code from :class:`Code`. A code is a ``str`` (``"SW107"``)
with a one-line ``summary`` and a default ``fix``; the message that goes with it names the bad
value and where it is. Codes are grouped by hundreds:

* ``SW1xx`` input: paths, files, encodings, JSON records, sidecars (``strikewatch.ingest``)
* ``SW2xx`` configuration and shipped data (reserved)
* ``SW3xx`` store (reserved)
* ``SW4xx`` processing of a read document (reserved)

Add a code by appending a member in its group. Never renumber or reuse a code: they appear in
logs, failure reports and tests.

Exception tree
--------------

::

    StrikewatchError          root: catch this to catch everything strikewatch raises
     ├── InputError           an input path, file or document cannot be read
     ├── ConfigError          a setting, option or shipped data file is wrong
     └── StoreError           the database cannot be opened, migrated, read or written

Each exception has ``message``, an optional ``code`` and ``fix``, and an optional ``source``
(a path, ``path:line``, a database URL ...). ``err.line()`` renders them as one line, in the same
shape as :meth:`strikewatch.types.Failure.line`. Lower-level errors (``OSError``,
``json.JSONDecodeError``, SQLAlchemy errors) are translated once, at the boundary, with
``raise ... from``.

Batch readers do not raise for a bad document: ``strikewatch.ingest.read_documents`` yields a
:class:`~strikewatch.types.Failure` (one per bad document, built by :meth:`StrikewatchError.failure`)
and goes on with the next document.
"""
from __future__ import annotations

from enum import StrEnum

from strikewatch.printable import printable
from strikewatch.types import Failure

__all__ = ["Code", "ConfigError", "InputError", "StoreError", "StrikewatchError"]


class Code(StrEnum):
    """The catalogue of error codes: ``Code.EMPTY == "SW107"``, with ``.summary`` and ``.fix``."""

    summary: str
    fix: str

    def __new__(cls, code: str, summary: str, fix: str) -> Code:
        member = str.__new__(cls, code)
        member._value_ = code
        member.summary = summary
        member.fix = fix
        return member

    # --- SW1xx: input -------------------------------------------------------------------------
    NOT_FOUND = "SW101", "no such file or folder", "check the path"
    UNREADABLE = "SW102", "file cannot be read", "check the file's permissions and that it is a regular file"
    UNSUPPORTED = "SW103", "unsupported file type", "use .txt, .html, .htm, .json or .jsonl"
    TOO_LARGE = "SW104", "input too large", "split the input or raise the limit (setting max_document_bytes)"
    BINARY = "SW105", "binary file", "convert it to text first"
    ENCODING = "SW106", "not valid UTF-8", "re-save the file as UTF-8"
    EMPTY = "SW107", "empty document", "add the text or remove the document"
    BAD_JSON = "SW108", "invalid JSON", "fix the JSON syntax"
    NO_TEXT = "SW109", "record has no text", 'give the record a "text" or an "html" field'
    BAD_FIELD = "SW110", "wrong field type or value", "fix the field's value"
    NO_MAIN_TEXT = "SW111", "no main text in HTML", "save the article page itself, or supply its text"
    DUPLICATE_ID = "SW112", "duplicate document id", 'give each document its own "id"'

    def __str__(self) -> str:
        return self.value

    def describe(self) -> str:
        """``"SW107 empty document"``."""
        return f"{self.value} {self.summary}"


class StrikewatchError(Exception):
    """Root of every error strikewatch raises on purpose."""

    def __init__(
        self,
        message: str,
        *,
        code: Code | None = None,
        fix: str | None = None,
        source: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.code = code
        self.fix = fix if fix is not None else (code.fix if code is not None else None)
        self.source = source

    def line(self) -> str:
        """One line for a log or a terminal: ``source: [code] message (fix)``."""
        text = self.message
        if self.code is not None:
            text = f"[{self.code}] {text}"
        if self.source:
            text = f"{self.source}: {text}"
        if self.fix:
            text = f"{text} ({self.fix})"
        return printable(text)

    def failure(self, source: str = "") -> Failure:
        """This error as a batch :class:`Failure` record.

        ``self.source`` wins over ``source``; an error without a code gets ``"SW000"``.
        """
        code = self.code.value if self.code is not None else "SW000"
        return Failure(
            source=self.source or source,
            code=code,
            message=self.message,
            fix=self.fix or "",
        )


class InputError(StrikewatchError):
    """An input path, file or document cannot be read."""


class ConfigError(StrikewatchError):
    """A setting, option or shipped data file is wrong."""


class StoreError(StrikewatchError):
    """The database cannot be opened, migrated, read or written."""
