"""Links to documents keep a sender's id whole: "#", "?" and "%" in it are escaped in the path."""
from __future__ import annotations

import json
import re

REPORT = ("Workers at the Minsk Tractor Works went on strike on 17 August 2020, demanding new "
          "elections, the strike committee said.\n")


def test_a_document_id_with_url_characters_links_to_its_page(tmp_path, extractor):
    from fastapi.testclient import TestClient

    from strikewatch.pipeline import ingest
    from strikewatch.serve.app import Settings, create_app
    from strikewatch.store.repository import Store
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "r.txt").write_text(REPORT, encoding="utf-8")
    ident = "desk/a#b?c=100%"
    (inbox / "r.meta.json").write_text(json.dumps({"id": ident, "published": "2020-08-17"}),
                                       encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'sw.db'}"
    store = Store.open(db)
    ingest([inbox], store, extractor=extractor)
    app = create_app(Settings(db=db, public="all"), store=store)
    try:
        with TestClient(app, base_url="https://testserver") as client:
            event = client.get("/api/events").json()["items"][0]["id"]
            page = client.get(f"/events/{event}").text
            links = set(re.findall(r'href="(/documents/[^"]+)"', page))
            assert links == {"/documents/desk/a%23b%3Fc%3D100%25"}, links
            document = client.get(links.pop())
            assert document.status_code == 200 and "Minsk Tractor Works" in document.text
    finally:
        store.close()
