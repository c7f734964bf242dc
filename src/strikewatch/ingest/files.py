"""Finding input files and reading their bytes safely.

Walking (:func:`iter_inputs`):

* A named file is read whatever it is; an unsupported type is a failure (``SW103``), and so is a
  ``NAME.meta.json`` sidecar named on its own (sidecars belong to ``NAME.txt``/``NAME.html``).
* A named folder is walked recursively in sorted order (by name, code point order, files and
  folders interleaved), so runs are deterministic. Files of other types, sidecars, and hidden
  entries (``.git``, ``.DS_Store``) are skipped silently. Symlinks are followed; a folder reached
  twice (a symlink loop) is walked once.
* A file reached twice (named twice, or named and inside a named folder) is read once, with the
  default id of its first reach.

Default ids (:func:`default_id`; a sidecar's or a record's ``id`` wins): a named file, or a file
directly inside a named folder, is its stem (``001``); a file in a subfolder of a named folder is
its path relative to that folder, without the suffix, with ``/`` separators (``sport/001``), so
``sport/001.txt`` and ``tech/001.txt`` do not collide. Hidden entries are never walked, so a part
is never ``.`` or ``..`` (a named ``...txt`` gets ``__``), and a backslash in a name becomes
``_``: an id never climbs out of its folder or holds a backslash.

Reading (:func:`read_capped`, :func:`open_regular`): the size is checked with ``fstat`` before any
byte is read, reads never take more than the cap, and only regular files are opened (a FIFO or a
device named on the command line is refused instead of blocking or reading forever).

Decoding (:func:`decode_utf8`): input must be UTF-8 (a BOM is allowed). Invalid UTF-8 is a failure
naming the byte offset and line, with an ``iconv`` command as the fix; we never guess an encoding,
because a wrong guess silently garbles names and places. Files with NUL bytes, a known binary
signature (PDF, ZIP/DOCX, gzip, images) or mostly control bytes are refused as binary; UTF-16 and
UTF-32 (recognised by their BOM) are refused with the conversion command.
"""
from __future__ import annotations

import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO, Literal

from strikewatch.errors import Code, InputError
from strikewatch.settings import MAX_DOCUMENT_BYTES
from strikewatch.types import Failure

__all__ = [
    "DEFAULT_MAX_BYTES",
    "SIDECAR_SUFFIX",
    "SUFFIXES",
    "Kind",
    "check_not_binary",
    "decode_utf8",
    "default_id",
    "iter_inputs",
    "open_regular",
    "read_capped",
    "sidecar_path",
]

Kind = Literal["text", "html", "json", "jsonl"]

SUFFIXES: dict[str, Kind] = {
    ".txt": "text",
    ".html": "html",
    ".htm": "html",
    ".json": "json",
    ".jsonl": "jsonl",
}
SIDECAR_SUFFIX = ".meta.json"
DEFAULT_MAX_BYTES = MAX_DOCUMENT_BYTES

SNIFF_BYTES = 8192
# Share of control bytes (other than tab, newlines, form feed, escape) above which a file is
# "mostly non-text". Real text has next to none; random bytes have about 10%.
CONTROL_SHARE = 0.05

_TEXT_CONTROLS = frozenset(b"\t\n\r\x0b\x0c\x1b")
_CONTROL_BYTES = frozenset(range(0x20)) - _TEXT_CONTROLS | {0x7F}

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "a PDF file", "extract its text first, e.g. pdftotext FILE.pdf FILE.txt"),
    (b"PK\x03\x04", "a ZIP archive (or .docx/.odt/.xlsx)", "unpack it or export the text as .txt"),
    (b"\x1f\x8b", "gzip-compressed", "decompress it first, e.g. gunzip FILE.gz"),
    (b"\x89PNG", "a PNG image", "it has no text to read; remove it"),
    (b"\xff\xd8\xff", "a JPEG image", "it has no text to read; remove it"),
    (b"GIF8", "a GIF image", "it has no text to read; remove it"),
    (b"\xd0\xcf\x11\xe0", "an old Microsoft Office file", "export the text as .txt"),
)
_UNICODE_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xff\xfe\x00\x00", "utf-32le"),
    (b"\x00\x00\xfe\xff", "utf-32be"),
    (b"\xff\xfe", "utf-16le"),
    (b"\xfe\xff", "utf-16be"),
)


def kind_of(path: Path) -> Kind | Literal["sidecar"] | None:
    """What a file name says it holds: a document kind, a sidecar, or None (unsupported)."""
    name = path.name.lower()
    if name.endswith(SIDECAR_SUFFIX):
        return "sidecar"
    return SUFFIXES.get(path.suffix.lower())


def sidecar_path(path: Path) -> Path:
    """``dir/NAME.txt`` -> ``dir/NAME.meta.json``."""
    return path.with_name(path.name[: len(path.name) - len(path.suffix)] + SIDECAR_SUFFIX)


def default_id(path: Path, root: Path | None = None) -> str:
    """The id of a document file without one of its own: ``root/sport/001.txt`` -> ``sport/001``,
    ``root/001.txt`` -> ``001``; without ``root`` (a file named directly), its stem."""
    rel = path.relative_to(root) if root is not None else Path(path.name)
    return "/".join(_id_part(part) for part in (*rel.parent.parts, rel.stem))


def _id_part(part: str) -> str:
    """No backslash, and no ``.`` or ``..`` part (a named ``...txt`` has the stem ``..``)."""
    part = part.replace("\\", "_")
    return part if part.strip(".") else part.replace(".", "_")


def iter_inputs(paths: Iterable[Path]) -> Iterator[tuple[Path, Kind, str] | Failure]:
    """Each document file under ``paths`` with its kind and default id (:func:`default_id`),
    or a Failure for a bad path."""
    seen_files: set[str] = set()
    seen_dirs: set[tuple[int, int]] = set()
    for given in paths:
        path = Path(given)
        try:
            st = path.stat()
        except FileNotFoundError:
            yield InputError("no such file or folder", code=Code.NOT_FOUND).failure(str(path))
            continue
        except OSError as err:
            yield _os_failure(path, err)
            continue
        if stat.S_ISDIR(st.st_mode):
            for item in _walk(path, seen_dirs):
                if isinstance(item, Failure):
                    yield item
                    continue
                kind = kind_of(item)
                if kind is None or kind == "sidecar":
                    continue
                if _first_time(item, seen_files):
                    yield item, kind, default_id(item, path)
            continue
        kind = kind_of(path)
        if kind == "sidecar":
            yield InputError(
                "a .meta.json sidecar is not a document",
                code=Code.UNSUPPORTED,
                fix=f"name the document it describes ({path.name[: -len(SIDECAR_SUFFIX)]}.txt) instead",
            ).failure(str(path))
        elif kind is None:
            suffix = path.suffix or "(no extension)"
            yield InputError(f"unsupported file type {suffix}", code=Code.UNSUPPORTED).failure(str(path))
        elif _first_time(path, seen_files):
            yield path, kind, default_id(path)


def _first_time(path: Path, seen: set[str]) -> bool:
    key = os.path.realpath(path)
    if key in seen:
        return False
    seen.add(key)
    return True


def _walk(root: Path, seen_dirs: set[tuple[int, int]]) -> Iterator[Path | Failure]:
    """Files under ``root`` in sorted order, depth first, without recursion (deep trees are fine)."""
    stack: list[Iterator[os.DirEntry[str]]] = []

    def enter(folder: Path) -> Failure | None:
        try:
            st = folder.stat()
            if (st.st_dev, st.st_ino) in seen_dirs:
                return None
            seen_dirs.add((st.st_dev, st.st_ino))
            with os.scandir(folder) as it:
                entries = sorted(it, key=lambda e: e.name)
        except OSError as err:
            return _os_failure(folder, err, what="folder")
        stack.append(iter(entries))
        return None

    failed = enter(root)
    if failed:
        yield failed
    while stack:
        entry = next(stack[-1], None)
        if entry is None:
            stack.pop()
            continue
        if entry.name.startswith("."):
            continue
        try:
            is_dir = entry.is_dir()
            is_file = not is_dir and entry.is_file()
            dangling = not is_dir and not is_file and entry.is_symlink()
        except OSError:
            continue
        if is_dir:
            failed = enter(Path(entry.path))
            if failed:
                yield failed
        elif is_file:
            yield Path(entry.path)
        elif dangling and kind_of(Path(entry.name)) not in (None, "sidecar"):
            yield InputError("broken symbolic link", code=Code.NOT_FOUND, fix="fix or remove the link").failure(
                entry.path
            )


def _os_failure(path: Path, err: OSError, *, what: str = "file") -> Failure:
    reason = err.strerror or type(err).__name__
    return InputError(f"cannot read {what}: {reason}", code=Code.UNREADABLE).failure(str(path))


def open_regular(path: Path, *, what: str = "file") -> tuple[BinaryIO, int]:
    """Open a regular file for binary reading, and return it with its size.

    Non-blocking open, so a FIFO is refused rather than waited on. Raises :class:`InputError`.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError as err:
        raise InputError(f"no such {what}", code=Code.NOT_FOUND) from err
    except OSError as err:
        raise InputError(f"cannot read {what}: {err.strerror or err}", code=Code.UNREADABLE) from err
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise InputError(f"cannot read {what}: not a regular file", code=Code.UNREADABLE)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), st.st_size
    except BaseException:
        os.close(fd)
        raise


def read_capped(path: Path, max_bytes: int, *, what: str = "file") -> bytes:
    """The bytes of a regular file of at most ``max_bytes``, checked before reading.

    Raises :class:`InputError` (unreadable, too large, empty).
    """
    fh, size = open_regular(path, what=what)
    with fh:
        if size > max_bytes:
            raise too_large(size, max_bytes, what=what)
        try:
            data = fh.read(max_bytes + 1)
        except OSError as err:
            raise InputError(f"cannot read {what}: {err.strerror or err}", code=Code.UNREADABLE) from err
    if len(data) > max_bytes:  # it grew between fstat and read
        raise too_large(len(data), max_bytes, what=what)
    if not data:
        raise InputError(f"{what} is empty (0 bytes)", code=Code.EMPTY)
    return data


def too_large(size: int | None, max_bytes: int, *, what: str = "file") -> InputError:
    got = f"{size:,} bytes" if size is not None else "more bytes"
    return InputError(f"{what} is {got}, over the limit of {max_bytes:,}", code=Code.TOO_LARGE)


def check_not_binary(data: bytes, *, what: str = "file") -> None:
    """Raise :class:`InputError` if ``data`` does not look like text (see the module docstring)."""
    head = data[:SNIFF_BYTES]
    for bom, name in _UNICODE_BOMS:
        if head.startswith(bom):
            raise InputError(
                f"{what} is {name.upper()} text, not UTF-8",
                code=Code.ENCODING,
                fix=f"re-save it as UTF-8, e.g. iconv -f {name[:6]} -t utf-8 FILE > FILE.utf8",
            )
    for magic, name, fix in _SIGNATURES:
        if head.startswith(magic):
            raise InputError(f"{what} is binary: {name}", code=Code.BINARY, fix=fix)
    nul = data.find(b"\x00")
    if nul >= 0:
        raise InputError(
            f"{what} is binary: NUL byte at offset {nul}",
            code=Code.BINARY,
            fix="convert it to UTF-8 text first (if it is UTF-16 text: iconv -f utf-16 -t utf-8)",
        )
    controls = sum(1 for b in head if b in _CONTROL_BYTES)
    if head and controls / len(head) > CONTROL_SHARE:
        raise InputError(
            f"{what} is binary: {controls} of its first {len(head)} bytes are control bytes",
            code=Code.BINARY,
        )


def decode_utf8(data: bytes, *, what: str = "file", offset: int = 0) -> str:
    """Decode strict UTF-8 (a leading BOM is kept; text normalisation drops it).

    ``offset`` is where ``data`` starts in its file, so the error names the file's byte.
    Raises :class:`InputError` naming the first bad byte, its line and an ``iconv`` fix.
    """
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as err:
        bad = data[err.start]
        line = data.count(b"\n", 0, err.start) + 1
        where = f"at byte offset {offset + err.start} (0x{bad:02x})"
        if offset == 0:
            where += f", line {line}"
        raise InputError(
            f"{what} is not valid UTF-8 {where}",
            code=Code.ENCODING,
            fix=_encoding_fix(data),
        ) from err


def _encoding_fix(data: bytes) -> str:
    """Suggest the likely source encoding, as advice only: nothing is decoded with a guess."""
    sample = data[:65536]
    high = [b for b in sample if b >= 0x80]
    letters = sum(1 for b in sample if 0x41 <= (b | 0x20) <= 0x7A) + len(high)
    # Windows-1251 Cyrillic text: most letters are high bytes, nearly all of them 0xC0-0xFF
    # (the Cyrillic alphabet). Western European text has a few accented letters among ASCII ones.
    if len(high) >= 8 and len(high) > 0.3 * letters and sum(b >= 0xC0 for b in high) > 0.9 * len(high):
        return "it looks like Windows-1251: iconv -f cp1251 -t utf-8 FILE > FILE.utf8"
    return "re-save it as UTF-8, e.g. iconv -f cp1252 -t utf-8 FILE > FILE.utf8 (for Western European text)"
