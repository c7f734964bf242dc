"""HTML that hits libxml2's limits gives its text or one clear failure line, never a silent
loss: a script, style or comment over 10 MB, 100,000 nested elements, a billion-laughs
DOCTYPE; the good documents beside them are read."""
from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from strikewatch.errors import Code
from strikewatch.ingest import read_documents
from strikewatch.ingest.html import defuse, extract_html
from strikewatch.types import Document, Failure

ARTICLE = ("<article><h1>Strike at BelAZ</h1><p>Workers at BelAZ in Zhodino went on strike on "
           "17 August 2020, demanding a new election.</p><p>About 2,000 workers gathered at the "
           "plant gate, the strike committee said.</p></article>")
BIG = "x" * (11 * 1024 * 1024)  # over libxml2's 10 MB text limit
LAUGHS = ('<!DOCTYPE html [\n<!ENTITY lol "lol">\n'
          + "".join(f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">\n'
                    for i in range(1, 10)) + "]>\n")


def _page(body: str, head: str = "") -> str:
    return f"{head}<html><head><title>t</title></head><body>{body}</body></html>"


def test_a_huge_script_style_or_comment_does_not_hide_the_article():
    for body in (f"<script>var a='{BIG}';</script>{ARTICLE}",
                 f"<STYLE type=text/css>.a{{{BIG}}}</STYLE >{ARTICLE}",
                 f"<!-- {BIG} -->{ARTICLE}",
                 f"<noscript>{BIG}</noscript>{ARTICLE}"):
        text, _ = extract_html(_page(body))
        assert "went on strike" in text and "plant gate" in text and "xxxx" not in text


def test_billion_laughs_keeps_the_real_paragraphs_and_expands_nothing():
    text, meta = extract_html(_page(f"<p>&lol9;</p>{ARTICLE}", head=LAUGHS))
    assert "went on strike" in text and "plant gate" in text
    assert "lollol" not in text and len(text) < 1000
    assert meta.title  # the page's metadata is still read


def test_nesting_past_the_parser_limit_is_one_clear_failure(tmp_path):
    deep = "<div>" * 100_000 + "<p>Miners at Belaruskali joined the strike.</p>" + "</div>" * 100_000
    (tmp_path / "deep.html").write_text(_page(ARTICLE + deep), encoding="utf-8")
    (tmp_path / "script.html").write_text(_page(f"<script>{BIG}</script>{ARTICLE}"),
                                          encoding="utf-8")
    (tmp_path / "laughs.html").write_text(_page(ARTICLE, head=LAUGHS), encoding="utf-8")
    (tmp_path / "good.txt").write_text("Workers at Grodno Azot went on strike.\n", encoding="utf-8")
    read = {(x.source if isinstance(x, Failure) else x.id): x for x in read_documents([tmp_path])}
    failure = read[str(tmp_path / "deep.html")]
    assert isinstance(failure, Failure) and failure.code == Code.NO_MAIN_TEXT
    assert "nested deeper than the parser's limit of 256" in failure.message
    assert "\n" not in failure.line()
    assert all(isinstance(read[k], Document) for k in ("script", "laughs", "good"))


def test_a_single_text_over_ten_megabytes_is_one_clear_failure():
    try:
        extract_html(_page(f"<pre>{BIG}</pre>{ARTICLE}"))
    except Exception as err:  # noqa: BLE001 - the message is what is checked
        assert "parser limit" in str(err) and "10 MB" in str(err)
    else:
        raise AssertionError("a 11 MB text node was read without a word")


def test_defuse_keeps_small_json_ld_and_cuts_unclosed_things():
    ld = '<script type="application/ld+json">{"headline": "Strike"}</script>'
    assert defuse(f"<p>a</p>{ld}<script>evil()</script><p>b") == \
        f'<p>a</p>{ld}<script></script><p>b'
    assert defuse("<p>a</p><!-- never closed <p>b</p>") == "<p>a</p>"
    assert defuse("<p>a</p><script>never closed") == "<p>a</p><script>"
    assert defuse(LAUGHS + "<p>x</p>") == "<!DOCTYPE html>\n<p>x</p>"


@given(st.text(alphabet=st.sampled_from(list("<>!-/ab pscriptyle[]DOCTYPE"))))
def test_defuse_never_grows_and_leaves_no_comment(markup):
    out = defuse(markup)
    assert len(out) <= len(markup) + len("<!DOCTYPE html>")
    assert "<!--" not in out or "<!--" in markup and out.count("<!--") <= markup.count("<!--")


@given(st.text(alphabet=st.characters(exclude_characters="<")))
def test_defuse_is_the_identity_on_text_without_markup(text):
    assert defuse(text) == text
