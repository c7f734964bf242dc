"""``strikewatch.extract`` and ``strikewatch extract``: events from a text with no store."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

import strikewatch
from strikewatch import cli
from strikewatch.errors import StrikewatchError
from strikewatch.types import EventMention

TEXT = ("About 300 workers of the Kazan Helicopter Plant walked out on Monday, demanding "
        "unpaid wages, the plant's union said.\n\nPolice detained 12 of them near the gate.")


@pytest.fixture
def session_extractor(extractor, monkeypatch):
    monkeypatch.setattr("strikewatch.pipeline.Extractor", lambda *a, **k: extractor)
    monkeypatch.setattr("strikewatch.pipeline._DEFAULT", [extractor])
    return extractor


@pytest.mark.slow
def test_extract_api(session_extractor):
    events = strikewatch.extract(TEXT, published="2021-03-10", language="en")
    assert events and all(isinstance(e, EventMention) for e in events)
    d = events[0].to_dict()
    assert d["type"] == "strike"
    for span in d["evidence"]:
        assert TEXT[span["start"]:span["end"]] == span["text"]
    claims = [c for f in ("participants", "arrests") if d[f] for c in d[f]["claims"]]
    assert claims and all(TEXT[c["start"]:c["end"]] == c["text"] for c in claims)
    json.dumps(d)  # plain data


def test_extract_api_refuses_unknown_language():
    with pytest.raises(StrikewatchError):
        strikewatch.extract("Текст", language="xx")


@pytest.mark.slow
def test_extract_cli(tmp_path, session_extractor):
    (tmp_path / "a.txt").write_text(TEXT, encoding="utf-8")
    (tmp_path / "a.meta.json").write_text(json.dumps({"id": "a", "published": "2021-03-10"}))
    (tmp_path / "bad.txt").write_bytes(b"\xff\xfe\x00bad")
    result = CliRunner().invoke(cli.app, ["extract", str(tmp_path)], catch_exceptions=False)
    assert result.exit_code == 1  # the bad file
    assert "bad.txt" in result.stderr and "[SW" in result.stderr
    (line,) = result.stdout.strip().splitlines()
    record = json.loads(line)
    assert record["document"] == "a" and record["events"]
