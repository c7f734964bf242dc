"""Document ids with "/" (files in subfolders of an ingested folder) work in the web app's routes."""
from __future__ import annotations

import pytest

STORY = ("Workers at BelAZ in Zhodino went on strike on 17 August 2020. About 300 people gathered at "
         "the gates, organisers said.\n")


@pytest.fixture
def nested_client(tmp_path, extractor):
    from fastapi.testclient import TestClient

    from strikewatch.pipeline import ingest
    from strikewatch.serve.app import Settings, create_app
    from strikewatch.store.repository import Store
    (tmp_path / "inbox" / "belarus").mkdir(parents=True)
    (tmp_path / "inbox" / "belarus" / "001.txt").write_text(STORY, encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'nested.db'}"
    store = Store.open(db)
    report = ingest([tmp_path / "inbox"], store, extractor=extractor)
    assert report.ok, [f.line() for f in report.failures]
    store.close()
    app = create_app(Settings(db=db, public="all"))
    with TestClient(app, base_url="https://testserver") as c:
        yield c
    app.state.store.close()


def test_document_ids_with_a_slash_route_in_api_and_pages(nested_client):
    body = nested_client.get("/api/documents/belarus/001").json()
    assert body["id"] == "belarus/001" and body["events"] and body["spans"]
    assert nested_client.get("/api/documents/belarus%2F001").json()["id"] == "belarus/001"
    page = nested_client.get("/documents/belarus/001")
    assert page.status_code == 200 and "Zhodino" in page.text
    event = nested_client.get(f"/events/{body['events'][0]}").text
    assert 'href="/documents/belarus/001"' in event
    for missing in ("/api/documents/belarus", "/api/documents/belarus/001/x", "/documents/belarus/"):
        assert nested_client.get(missing).status_code == 404, missing
