"""A store with the cross-document reports and a hostile one, an app on it, and accounts."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CROSSDOC = REPO / "tests" / "data" / "crossdoc"
HOSTILE = ("<script>window.__pwned = 1; alert('pwned')</script> "
           "<img src=x onerror=\"window.__pwned = 2\"> Workers at BelAZ in Zhodino went on strike "
           "on 17 August 2020. About 300 people gathered at the gates, organisers said.\n")
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session")
def served_db(tmp_path_factory, extractor) -> str:
    """An ingested SQLite store (built once; tests copy it)."""
    from strikewatch.pipeline import ingest
    from strikewatch.store import accounts
    from strikewatch.store.repository import Store
    folder = tmp_path_factory.mktemp("inbox")
    for p in sorted(CROSSDOC.glob("x0*")) + sorted(CROSSDOC.glob("x1*")):
        shutil.copy(p, folder / p.name)
    (folder / "hostile.txt").write_text(HOSTILE, encoding="utf-8")
    (folder / "hostile.meta.json").write_text(
        '{"title": "<b onmouseover=alert(1)>Title</b>", "published": "2020-08-18", '
        '"publisher": "Hostile \\"Outlet\\" <script>"}', encoding="utf-8")
    path = tmp_path_factory.mktemp("db") / "served.db"
    store = Store.open(f"sqlite:///{path}")
    report = ingest([folder], store, extractor=extractor)
    assert report.ok, [f.line() for f in report.failures]
    accounts.add_user(store, "rita", "reviewer", PASSWORD)
    accounts.add_user(store, "vic", "viewer", PASSWORD)
    store.close()
    return str(path)


@pytest.fixture
def db_copy(served_db, tmp_path) -> str:
    target = tmp_path / "served.db"
    shutil.copy(served_db, target)
    return f"sqlite:///{target}"


@pytest.fixture
def app(db_copy):
    from strikewatch.serve.app import Settings, create_app
    application = create_app(Settings(db=db_copy))
    yield application
    application.state.store.close()


@pytest.fixture
def client(app):
    from fastapi.testclient import TestClient
    with TestClient(app, base_url="https://testserver") as c:
        yield c


def login(client, name: str = "rita", password: str = PASSWORD):
    """Log in through the form, as a browser does; returns the session's CSRF token."""
    import re
    page = client.get("/login")
    token = re.search(r'name="csrf-token" content="([^"]+)"', page.text).group(1)
    r = client.post("/login", data={"name": name, "password": password, "csrf_token": token,
                                    "next": "/"}, follow_redirects=False)
    assert r.status_code == 303, r.text
    home = client.get("/")
    return re.search(r'name="csrf-token" content="([^"]+)"', home.text).group(1)
