"""Text made safe to print on a terminal or a one-line log: control characters shown as
escapes.

A file name, a sidecar value or a report's text is the sender's choice: ``ESC]0;…`` in one
would retitle the operator's terminal, a newline would split a one-line failure in two, and
a bidirectional override (U+202E) would show its letters in another order. Every path and
value strikewatch prints goes through :func:`printable`.
"""
from __future__ import annotations

import re

# C0 and C1 controls, DEL, and the invisible marks that reorder or split what is shown:
# bidirectional marks, embeddings, overrides and isolates, and the line and paragraph
# separators
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069"
                     "\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(m: re.Match) -> str:
    c = m.group()
    if c in _NAMED:
        return _NAMED[c]
    return f"\\x{ord(c):02x}" if ord(c) < 0x100 else f"\\u{ord(c):04x}"


def printable(text: object, *, newlines: bool = False) -> str:
    """`text` with every control character written as an escape (``\\x1b``, ``\\n``,
    ``\\u202e``); with `newlines`, line breaks are kept (for text of several lines)."""
    s = str(text)
    if newlines:
        return "\n".join(_UNSAFE.sub(_escape, part) for part in s.split("\n"))
    return _UNSAFE.sub(_escape, s)
