"""Reading documents: good inputs, every kind of bad input, order, streaming, and properties."""
from __future__ import annotations

import json
import os
import re
import tempfile
import tracemalloc
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import strikewatch.ingest as ingest
from strikewatch.errors import Code, ConfigError, InputError, StoreError, StrikewatchError
from strikewatch.ingest import count_inputs, read_documents
from strikewatch.ingest import files as ingest_files
from strikewatch.ingest.jsonl import read_jsonl_file
from strikewatch.ingest.text import normalise_text, parse_published
from strikewatch.types import Document, Failure

STORY = "Workers at BelAZ in Zhodino walked out on Friday. About 800 people gathered at the gate.\n"
CODES = {c.value for c in Code}


def read(*paths: Path, **kw) -> list[Document | Failure]:
    return list(read_documents(list(paths), **kw))


def docs(items):
    return [i for i in items if isinstance(i, Document)]


def fails(items):
    return [i for i in items if isinstance(i, Failure)]


def only_failure(items) -> Failure:
    assert len(items) == 1 and isinstance(items[0], Failure), items
    failure = items[0]
    assert failure.code in CODES and failure.message and failure.fix
    return failure


def write(path: Path, content: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8", newline="")
    else:
        path.write_bytes(content)
    return path


def meta(path: Path, **fields) -> Path:
    return write(path.with_name(path.stem + ".meta.json"), json.dumps(fields))


# --- plain text and sidecars ----------------------------------------------------------------------


def test_txt_with_sidecar(tmp_path):
    txt = write(tmp_path / "001_abc.txt", STORY)
    meta(txt, id="001", title="Strike at BelAZ", url="https://example.org/a", publisher="Nasha Niva",
         published="2020-08-23", language="en", note="ignored field")
    [doc] = read(txt)
    assert doc == Document(
        id="001", text=STORY, title="Strike at BelAZ", url="https://example.org/a",
        publisher="Nasha Niva", published=date(2020, 8, 23), language="en", source=str(txt),
        content_hash=doc.content_hash,
    )
    assert re.fullmatch(r"[0-9a-f]{64}", doc.content_hash)


def test_txt_without_sidecar_defaults(tmp_path):
    [doc] = read(write(tmp_path / "report.txt", STORY))
    assert (doc.id, doc.title, doc.published, doc.language) == ("report", None, None, "en")


def test_text_normalisation_is_what_offsets_index(tmp_path):
    raw = "\ufeffLine one\r\nLine two\rCafe\u0301 \x1b[31mred\x0cpage\x85end\tTab\n"
    [doc] = read(write(tmp_path / "a.txt", raw))
    # offsets are those of Path.read_text: BOM and decomposed accents stay as they are
    assert doc.text == "\ufeffLine one\nLine two\nCafe\u0301  [31mred\npage\nend\tTab\n"
    assert normalise_text(doc.text) == doc.text


def test_content_hash_tracks_text_date_and_language(tmp_path):
    a = write(tmp_path / "a" / "x.txt", STORY)
    b = write(tmp_path / "b" / "y.txt", STORY.replace("\n", "\r\n"))
    meta(b, id="other")
    [da], [db] = read(a), read(b)
    assert da.content_hash == db.content_hash  # same normalised text, same metadata
    assert read(a)[0].content_hash == da.content_hash  # re-ingest: unchanged
    meta(b, id="other", published="2020-08-23")
    assert read(b)[0].content_hash != da.content_hash
    meta(b, id="other", language="ru")
    assert read(b)[0].content_hash != da.content_hash


def test_sidecar_not_json_fails_the_document(tmp_path):
    txt = write(tmp_path / "a.txt", STORY)
    side = write(tmp_path / "a.meta.json", '{"id": "001", "published": ')
    failure = only_failure(read(txt))
    assert failure.code == Code.BAD_JSON
    assert failure.source == str(side)
    assert "not valid JSON" in failure.message and "a.txt skipped" in failure.message


@pytest.mark.parametrize(
    "content, words",
    [
        ({"published": 20200823}, 'field "published" is a number'),
        ({"id": ["001"]}, 'field "id" is a list'),
        ({"title": {"en": "x"}}, 'field "title" is an object'),
        ({"id": True}, 'field "id" is a boolean'),
        ({"id": "   "}, 'field "id" must have'),
        ({"language": "English"}, 'field "language" is "English"'),
        ({"language": 7}, 'field "language" is a number'),
    ],
)
def test_sidecar_wrong_field(tmp_path, content, words):
    txt = write(tmp_path / "a.txt", STORY)
    meta(txt, **content)
    failure = only_failure(read(txt))
    assert failure.code == Code.BAD_FIELD
    assert words in failure.message


def test_sidecar_not_an_object(tmp_path):
    txt = write(tmp_path / "a.txt", STORY)
    write(tmp_path / "a.meta.json", '["2020-08-23"]')
    failure = only_failure(read(txt))
    assert (failure.code, failure.source) == (Code.BAD_FIELD, str(tmp_path / "a.meta.json"))


def test_sidecar_bad_date_is_none_not_failure(tmp_path, caplog):
    txt = write(tmp_path / "a.txt", STORY)
    meta(txt, id="001", published="the day after the elections", url="javascript:alert(1)")
    [doc] = read(txt)
    assert (doc.id, doc.published, doc.url) == ("001", None, None)
    assert f"{txt}: sidecar a.meta.json published date" in caplog.text
    assert "not an http(s) URL" in caplog.text
    meta(txt, url="http://[::1")
    assert read(txt)[0].url is None


def test_metadata_is_cleaned(tmp_path):
    txt = write(tmp_path / "a.txt", STORY)
    meta(txt, id=42, title="\x1b[2J Strike\n at\u202e BelAZ\x00 ", publisher="x" * 5000, language="EN-gb")
    [doc] = read(txt)
    assert doc.id == "42"
    assert doc.title == "[2J Strike at BelAZ"
    assert len(doc.publisher) == 1000 and doc.publisher.endswith("…")
    assert doc.language == "en"


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-08-23", date(2020, 8, 23)),
        ("2020-08-23T23:30:00+03:00", date(2020, 8, 23)),  # the date as written
        ("2020-08-23T10:00:00Z", date(2020, 8, 23)),
        ("2020-08-23 10:00", date(2020, 8, 23)),
        ("23 August 2020", date(2020, 8, 23)),
        ("Sun, 23 Aug 2020 10:00:00 GMT", date(2020, 8, 23)),
        ("23 августа 2020", date(2020, 8, 23)),
        ("August 2020", None),  # not a day
        ("yesterday", None),  # relative to what?
        ("not a date", None),
        ("2020-13-45", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_published(value, expected):
    assert parse_published(value) == expected


# --- bad files ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, code, words",
    [
        ("empty.txt", b"", Code.EMPTY, "empty (0 bytes)"),
        ("blank.txt", b" \n\t\r\n  ", Code.EMPTY, "whitespace only"),
        ("bom-only.txt", b"\xef\xbb\xbf", Code.EMPTY, "text is empty"),
        ("nul.txt", b"Strike\x00\x01\x02 at the plant", Code.BINARY, "NUL byte at offset 6"),
        ("ctrl.txt", bytes(range(1, 9)) * 20 + b"text", Code.BINARY, "control bytes"),
        ("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n", Code.BINARY, "a PDF file"),
        ("wide.txt", "Strike".encode("utf-16"), Code.ENCODING, "UTF-16LE text"),
        ("latin.txt", "Grève".encode("latin-1"), Code.ENCODING, "not valid UTF-8 at byte offset 2 (0xe8), line 1"),
        ("empty.html", b"", Code.EMPTY, "empty"),
        ("nul.html", b"<html>\x00</html>", Code.BINARY, "NUL"),
        ("empty.json", b"", Code.EMPTY, "empty"),
        ("broken.json", b'{"text": "a",}', Code.BAD_JSON, "line 1 column"),
        ("list.json", b"[]", Code.EMPTY, "empty list"),
        ("scalar.json", b'"just a string"', Code.BAD_FIELD, "a string, expected an object"),
        ("deep.json", b"[" * 100_000 + b"]" * 100_000, Code.BAD_JSON, "nested too deeply"),
        ("empty.jsonl", b"\n\n  \n", Code.EMPTY, "no records"),
        ("zip.jsonl", b"PK\x03\x04" + bytes(100), Code.BINARY, "ZIP"),
    ],
)
def test_bad_file_gives_one_failure(tmp_path, name, content, code, words):
    path = write(tmp_path / name, content)
    failure = only_failure(read(path))
    assert failure.code == code
    assert failure.source == str(path)
    assert words in failure.message
    assert f"[{code}]" in failure.line()


def test_invalid_utf8_suggests_cp1251_for_cyrillic(tmp_path):
    path = write(tmp_path / "ru.txt", "Забастовка на БелАЗе, рабочие вышли к проходной.".encode("cp1251"))
    failure = only_failure(read(path))
    assert failure.code == Code.ENCODING
    assert "iconv -f cp1251 -t utf-8" in failure.fix


def test_too_large_is_refused_before_reading(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:
        fh.truncate(50_000_000)  # sparse: 50 MB on paper
    tracemalloc.start()
    try:
        items = read(path)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    failure = only_failure(items)
    assert failure.code == Code.TOO_LARGE
    assert "50,000,000 bytes, over the limit of 20,000,000" in failure.message
    assert peak < 1_000_000


def test_max_bytes_is_configurable(tmp_path):
    path = write(tmp_path / "a.txt", STORY)
    assert only_failure(read(path, max_bytes=10)).code == Code.TOO_LARGE
    with pytest.raises(ValueError):
        read(path, max_bytes=0)


def test_unreadable_file(tmp_path, monkeypatch):
    bad = write(tmp_path / "locked.txt", STORY)
    good = write(tmp_path / "open.txt", STORY)
    real_open = os.open

    def deny(path, *args, **kwargs):
        if Path(path) == bad:
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(ingest_files.os, "open", deny)
    items = read(tmp_path)
    assert [type(i) for i in items] == [Failure, Document]
    assert items[0].code == Code.UNREADABLE and "Permission denied" in items[0].message
    assert items[1].source == str(good)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads anything")
def test_unreadable_file_by_permissions(tmp_path):
    path = write(tmp_path / "locked.txt", STORY)
    path.chmod(0)
    try:
        assert only_failure(read(path)).code == Code.UNREADABLE
    finally:
        path.chmod(0o644)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_fifo_is_refused_not_waited_on(tmp_path):
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    failure = only_failure(read(fifo))
    assert failure.code == Code.UNREADABLE and "not a regular file" in failure.message


def test_unlistable_folder_and_broken_link(tmp_path, monkeypatch):
    write(tmp_path / "a" / "1.txt", STORY)
    write(tmp_path / "b" / "2.txt", STORY)
    (tmp_path / "c.txt").symlink_to(tmp_path / "gone.txt")
    real_scandir = os.scandir

    def deny(path):
        if Path(path) == tmp_path / "a":
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(ingest_files.os, "scandir", deny)
    items = read(tmp_path)
    assert [(type(i), i.source) for i in items] == [
        (Failure, str(tmp_path / "a")), (Document, str(tmp_path / "b" / "2.txt")), (Failure, str(tmp_path / "c.txt")),
    ]
    assert (items[0].code, items[2].code) == (Code.UNREADABLE, Code.NOT_FOUND)
    assert "cannot read folder: Permission denied" in items[0].message


def test_missing_path(tmp_path):
    failure = only_failure(read(tmp_path / "nowhere"))
    assert failure.code == Code.NOT_FOUND


def test_unknown_extension_named_vs_in_folder(tmp_path):
    pdf = write(tmp_path / "report.pdf", b"%PDF-1.4")
    write(tmp_path / "notes.md", "# notes")
    write(tmp_path / "a.txt", STORY)
    assert [d.id for d in read(tmp_path)] == ["a"]  # others silently ignored
    failure = only_failure(read(pdf))
    assert failure.code == Code.UNSUPPORTED and ".pdf" in failure.message


def test_sidecars_are_never_documents(tmp_path):
    txt = write(tmp_path / "a.txt", STORY)
    side = meta(txt, id="001")
    write(tmp_path / "orphan.meta.json", '{"id": "x", "text": "not a document"}')
    assert [d.id for d in read(tmp_path)] == ["001"]
    failure = only_failure(read(side))
    assert failure.code == Code.UNSUPPORTED and "a.txt" in failure.fix


def test_duplicate_ids_and_repeated_paths(tmp_path):
    a = write(tmp_path / "2020" / "01.txt", STORY)
    b = write(tmp_path / "2021" / "01.txt", STORY + "More.")
    items = read(tmp_path / "2020", tmp_path / "2021", a)  # a is reached twice: read once
    assert [type(i) for i in items] == [Document, Failure]
    assert items[1].code == Code.DUPLICATE_ID and items[1].source == str(b)
    assert str(a) in items[1].message


# --- HTML ----------------------------------------------------------------------------------------

PAGE = """<!DOCTYPE html>
<html lang="ru-RU"><head>
<title>Strike at BelAZ | Nasha Niva</title>
<meta property="og:title" content="Strike at BelAZ">
<meta property="og:site_name" content="Nasha Niva">
<meta property="article:published_time" content="2020-08-14T09:30:00+03:00">
<link rel="canonical" href="https://nn.by/articles/255000/">
<script>var tracker = "SCRIPT-IN-HEAD";</script>
<style>body { font-family: STYLE-TEXT; }</style>
</head><body>
<nav><a href="/">Home</a> <a href="/news">News</a></nav>
<script>document.write("SCRIPT-IN-BODY")</script>
<article>
<h1>Strike at BelAZ</h1>
<p>Workers at BelAZ in Zhodino walked out on Friday morning, demanding new elections and the
release of everyone detained since Sunday. <script>alert("SCRIPT-IN-PARAGRAPH")</script></p>
<p>About 800 people gathered in front of the plant's administration building, a union
spokesman said. The director came out to talk to them.</p>
<noscript>NOSCRIPT-TEXT</noscript>
<p>Police did not intervene. The strike committee said it would meet again on Monday 17 August.</p>
</article>
<script type="text/javascript">/* <![CDATA[ */ var x = "SCRIPT-AT-END"; /* ]]> */</script>
</body></html>
"""


def test_html_main_text_and_metadata(tmp_path):
    [doc] = read(write(tmp_path / "belaz.html", PAGE))
    assert "Workers at BelAZ in Zhodino walked out" in doc.text
    assert "About 800 people" in doc.text
    for junk in ("SCRIPT-", "STYLE-TEXT", "NOSCRIPT-TEXT", "tracker", "alert("):
        assert junk not in doc.text
    assert doc.id == "belaz"
    assert doc.title == "Strike at BelAZ"
    assert doc.publisher == "Nasha Niva"
    assert doc.url == "https://nn.by/articles/255000/"
    assert doc.published == date(2020, 8, 14)
    assert doc.language == "ru"


def test_html_sidecar_overrides_page(tmp_path):
    page = write(tmp_path / "belaz.htm", PAGE)
    meta(page, id="007", published="2020-08-15", language="en")
    [doc] = read(page)
    assert (doc.id, doc.published, doc.language, doc.publisher) == ("007", date(2020, 8, 15), "en", "Nasha Niva")


def test_html_date_comes_from_metadata_not_body(tmp_path):
    page = PAGE.replace('<meta property="article:published_time" content="2020-08-14T09:30:00+03:00">', "")
    [doc] = read(write(tmp_path / "a.html", page))
    assert doc.published is None  # "Monday 17 August" in the body is not the publication date


def test_script_laden_html_without_main_text(tmp_path):
    page = "<html><head><script>" + "var a = 'x';" * 500 + "</script></head><body>" \
        + "<script>document.write('SCRIPT ' + 'TEXT ' * 100)</script>" * 20 + "</body></html>"
    failure = only_failure(read(write(tmp_path / "app.html", page)))
    assert failure.code == Code.NO_MAIN_TEXT


def test_html_declared_charset(tmp_path):
    body = "<p>" + "Рабочие БелАЗа вышли на забастовку в пятницу утром. " * 5 + "</p>"
    declared = f'<html><head><meta charset="windows-1251"></head><body>{body}</body></html>'
    [doc] = read(write(tmp_path / "declared.html", declared.encode("cp1251")))
    assert "Рабочие БелАЗа" in doc.text
    undeclared = f"<html><body>{body}</body></html>"
    failure = only_failure(read(write(tmp_path / "undeclared.html", undeclared.encode("cp1251"))))
    assert failure.code == Code.ENCODING and "cp1251" in failure.fix


# --- JSON and JSON Lines ---------------------------------------------------------------------------


def jsonl(path: Path, *lines: object) -> Path:
    return write(path, "".join((x if isinstance(x, str) else json.dumps(x)) + "\n" for x in lines))


def test_jsonl_good_lines(tmp_path):
    path = jsonl(
        tmp_path / "feed.jsonl",
        {"id": "n1", "text": STORY, "title": "One", "url": "https://example.org/1", "publisher": "RFE/RL",
         "published": "2020-08-14T10:00:00Z", "language": "en"},
        {"text": "Second story about the strike."},
        "",
        {"id": 3, "html": "<p>Miners at Belaruskali stopped work in Soligorsk on Monday.</p>", "title": "Three"},
    )
    items = read(path)
    assert [(d.id, d.source) for d in items] == [
        ("n1", f"{path}:1"), ("feed-2", f"{path}:2"), ("3", f"{path}:4"),
    ]
    one, two, three = items
    assert (one.title, one.publisher, one.published, one.url) == (
        "One", "RFE/RL", date(2020, 8, 14), "https://example.org/1")
    assert two.text == "Second story about the strike."
    assert "Miners at Belaruskali" in three.text and three.title == "Three"


def test_jsonl_three_good_two_bad(tmp_path):
    path = jsonl(
        tmp_path / "mixed.jsonl",
        {"text": "good one"},
        '{"text": "broken',
        {"text": "good two"},
        {"title": "no text at all"},
        {"text": "good three"},
    )
    items = read(path)
    assert len(docs(items)) == 3 and len(fails(items)) == 2
    assert [(f.source, f.code) for f in fails(items)] == [(f"{path}:2", Code.BAD_JSON), (f"{path}:4", Code.NO_TEXT)]
    assert [type(i) for i in items] == [Document, Failure, Document, Failure, Document]


@pytest.mark.parametrize(
    "line, code, words",
    [
        ("not json at all", Code.BAD_JSON, "line is not valid JSON"),
        ('{"text": 123}', Code.BAD_FIELD, 'field "text" is a number'),
        ('{"html": ["<p>x</p>"]}', Code.BAD_FIELD, 'field "html" is a list'),
        ('{"text": "ok", "published": {"y": 2020}}', Code.BAD_FIELD, 'field "published" is an object'),
        ('["a", "list"]', Code.BAD_FIELD, "record is a list"),
        ('{"id": "x"}', Code.NO_TEXT, 'neither "text" nor "html"'),
        ('{"text": null, "html": null}', Code.NO_TEXT, 'neither "text" nor "html"'),
        ('{"text": "   "}', Code.EMPTY, "whitespace only"),
        ('{"html": "<script>alert(1)</script>"}', Code.NO_MAIN_TEXT, "no main text"),
        ('{"text": "half a \\ud800 pair"}', Code.BAD_FIELD, "unpaired surrogate"),
        ("[" * 50_000, Code.BAD_JSON, "not valid JSON"),
    ],
)
def test_jsonl_bad_line(tmp_path, line, code, words):
    path = jsonl(tmp_path / "feed.jsonl", {"text": "before"}, line, {"text": "after"})
    items = read(path)
    assert [type(i) for i in items] == [Document, Failure, Document]
    failure = items[1]
    assert (failure.code, failure.source) == (code, f"{path}:2")
    assert words in failure.message and failure.fix


def test_jsonl_invalid_utf8_line_names_the_byte(tmp_path):
    path = write(tmp_path / "feed.jsonl", b'{"text": "ok"}\n{"text": "gr\xe8ve"}\n{"text": "ok too"}\n')
    items = read(path)
    assert [type(i) for i in items] == [Document, Failure, Document]
    assert items[1].code == Code.ENCODING and "at byte offset 27 (0xe8)" in items[1].message


def test_jsonl_overlong_line_is_skipped(tmp_path):
    path = jsonl(tmp_path / "feed.jsonl", {"text": "short"}, {"text": "x" * 5000}, {"text": "after"})
    items = read(path, max_bytes=1000)
    assert [type(i) for i in items] == [Document, Failure, Document]
    assert items[1].code == Code.TOO_LARGE and items[1].source == f"{path}:2"
    assert items[2].text == "after"


def test_jsonl_crlf_and_bom(tmp_path):
    path = write(tmp_path / "win.jsonl", b'\xef\xbb\xbf{"text": "one"}\r\n{"text": "two\\r\\nlines"}\r\n')
    assert [d.text for d in read(path)] == ["one", "two\nlines"]


def test_jsonl_streams(tmp_path):
    path = tmp_path / "big.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        for n in range(10_000):
            fh.write(json.dumps({"id": f"d{n}", "text": f"Report {n}. " + "Workers struck. " * 60}) + "\n")
    assert path.stat().st_size > 9_000_000
    tracemalloc.start()
    try:
        count = sum(1 for item in read_jsonl_file(path, max_bytes=1_000_000) if isinstance(item, Document))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert count == 10_000
    assert peak < 3_000_000
    assert count_inputs([path]) == 10_000


def test_json_single_and_list(tmp_path):
    single = write(tmp_path / "one.json", json.dumps({"text": STORY, "published": "2020-08-23"}))
    many = write(tmp_path / "many.json", json.dumps([
        {"id": "a", "text": "first"}, {"text": 5}, "not a record", {"text": "fourth"},
    ]))
    [doc] = read(single)
    assert (doc.id, doc.source, doc.published) == ("one", str(single), date(2020, 8, 23))
    items = read(many)
    assert [(type(i), i.source) for i in items] == [
        (Document, f"{many}#1"), (Failure, f"{many}#2"), (Failure, f"{many}#3"), (Document, f"{many}#4"),
    ]
    assert [d.id for d in docs(items)] == ["a", "many-4"]


# --- order, counting, API ------------------------------------------------------------------------


def test_folders_walk_in_sorted_order(tmp_path):
    for rel in ["b/2.txt", "b/10.txt", "a.txt", "c.html", "b/a/z.txt", ".hidden/x.txt", ".dot.txt", "B.txt"]:
        write(tmp_path / rel, PAGE if rel.endswith(".html") else STORY + rel)
    jsonl(tmp_path / "d.jsonl", {"id": "d1", "text": "x"})
    expected = ["B", "a", "b/10", "b/2", "b/a/z", "c", "d1"]
    first = [d.id for d in read(tmp_path)]
    assert first == expected
    assert [d.id for d in read(tmp_path)] == first


def test_count_inputs(tmp_path):
    write(tmp_path / "a.txt", STORY)
    write(tmp_path / "b.html", PAGE)
    write(tmp_path / "skip.md", "x")
    jsonl(tmp_path / "c.jsonl", *({"text": str(n)} for n in range(5)))
    write(tmp_path / "d.jsonl", '{"text": "no final newline"}')
    assert count_inputs([tmp_path, tmp_path / "missing.txt"]) == 1 + 1 + 5 + 1 + 1
    assert count_inputs(tmp_path) == len(read(tmp_path))


def test_accepts_one_path_or_strings(tmp_path):
    write(tmp_path / "a.txt", STORY)
    assert [d.id for d in read_documents(tmp_path)] == [d.id for d in read_documents([str(tmp_path)])] == ["a"]


def test_all_is_the_public_api():
    assert sorted(ingest.__all__) == ["DEFAULT_MAX_BYTES", "SUFFIXES", "count_inputs", "read_documents"]
    assert all(hasattr(ingest, name) for name in ingest.__all__)


def test_error_catalogue():
    assert all(re.fullmatch(r"SW\d{3}", c.value) for c in Code)
    assert len(CODES) == len(Code)
    assert all(c.summary and c.fix for c in Code)
    assert Code("SW107") is Code.EMPTY and Code.EMPTY.describe() == "SW107 empty document"
    for cls in (InputError, ConfigError, StoreError):
        assert issubclass(cls, StrikewatchError)
    err = InputError("file is empty", code=Code.EMPTY, source="a.txt")
    assert err.line() == "a.txt: [SW107] file is empty (add the text or remove the document)"
    assert err.failure().line() == err.line()
    assert ConfigError("plain").line() == "plain"


# --- properties ----------------------------------------------------------------------------------

SUFFIX_LIST = [".txt", ".html", ".json", ".jsonl"]
CONTENT = st.one_of(
    st.binary(max_size=600),
    st.text(max_size=300).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.lists(st.dictionaries(st.sampled_from(["id", "text", "html", "published", "language", "title", "url"]),
                             st.one_of(st.none(), st.integers(), st.text(max_size=40)), max_size=4),
             max_size=4).map(lambda rows: "\n".join(json.dumps(r) for r in rows).encode()),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(content=CONTENT, suffix=st.sampled_from(SUFFIX_LIST), sidecar=st.one_of(st.none(), CONTENT))
def test_any_bytes_give_documents_or_failures(content, suffix, sidecar):
    with tempfile.TemporaryDirectory() as tmp:
        path = write(Path(tmp) / f"doc{suffix}", content)
        if sidecar is not None:
            write(Path(tmp) / "doc.meta.json", sidecar)
        items = read(path)
        items_via_folder = read(Path(tmp))
    assert items == items_via_folder
    assert items, "every file yields at least one item"
    for item in items:
        assert isinstance(item, (Document, Failure))
        if isinstance(item, Document):
            assert item.text.strip() and item.id
            assert re.fullmatch(r"[0-9a-f]{64}", item.content_hash)
            assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]", item.text)
            item.text.encode("utf-8")  # storable
        else:
            assert item.code in CODES and item.message and item.fix


@given(st.text())
def test_normalise_text_is_idempotent(raw):
    once = normalise_text(raw)
    assert normalise_text(once) == once
    assert "\r" not in once and not once.startswith("\ufeff")

