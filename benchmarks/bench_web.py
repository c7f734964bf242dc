"""Benchmark of the web app: the list API over 100,000 events in SQLite, and the map page with
10,000 events on screen in headless Chromium.

    uv run python benchmarks/bench_web.py                 # 100,000 events, map with 10,000
    uv run python benchmarks/bench_web.py --events 20000 --map 2000 --no-browser

API: every request goes through the whole app in process (routing, filters, the query, JSON),
20 times per filter set after a warm-up; the baseline is the same first-page SQL run directly
on the same database (sqlite3, no app), so the ratio shows what the app adds. Deep pages follow
the `next` cursor 200 pages in. Map: the time from navigation until the markers are drawn, a
zoom, and a filter round trip, against the same page with 100 events. Nothing is asserted; the
script always exits 0.
"""
from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO / "src") not in sys.path:
    sys.path.insert(0, str(REPO / "src"))

from strikewatch.merge.events import search_text  # noqa: E402
from strikewatch.store.models import EventRow  # noqa: E402
from strikewatch.store.repository import Store  # noqa: E402

TOWNS = [("Minsk", "Minsk City", 53.9, 27.567), ("Hrodna", "Grodno Region", 53.684, 23.834),
         ("Homyel", "Gomel Region", 52.434, 30.975), ("Zhodzina", "Minsk Region", 54.099, 28.333),
         ("Soligorsk", "Minsk Region", 52.789, 27.542), ("Brest", "Brest Region", 52.098, 23.686),
         ("Vitebsk", "Vitebsk Region", 55.19, 30.205), ("Mahilyow", "Mogilev Region", 53.914,
                                                         30.347)]
PLANTS = ["BelAZ", "Grodno Azot", "Minsk Tractor Works", "Belaruskali", "Naftan", "MAZ",
          "the bus depot", "the meat processing plant", None, None]
TYPES = ["strike"] * 4 + ["protest"] * 4 + ["blockade", "riot", "other"]


def fill(url: str, n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    store = Store.open(url)
    rows = []
    start = date(2020, 8, 9)
    for i in range(n):
        town = rng.choice(TOWNS)
        plant = rng.choice(PLANTS)
        day = start + timedelta(days=rng.randrange(120))
        people = rng.choice([None, rng.randrange(20, 5000)])
        v = dict(id=f"evt-{i:016x}", type=rng.choice(TYPES), workplace_name=plant,
                 workplace_entity=f"ent-{abs(hash(plant)) % 10**12:016x}" if plant else None,
                 actors=["workers"], place_name=town[0], admin1=town[1], country="BY",
                 lat=town[2] + rng.uniform(-.2, .2), lon=town[3] + rng.uniform(-.3, .3),
                 place_precision="city", date_start=day,
                 date_end=day + timedelta(days=rng.choice([0, 0, 0, 1, 2])),
                 date_precision="day", date_text="", demands=["new elections"],
                 independent_sources=rng.choice([1, 1, 1, 2, 2, 3, 4, 6]),
                 participants_low=people, participants_high=people,
                 review_status=rng.choice(["unreviewed", "unreviewed", "verified", "rejected"]))
        v["search_text"] = search_text(v)
        v["sort_date"] = day
        rows.append(v)
    with store.session() as s, s.begin():
        for i in range(0, len(rows), 5000):
            s.execute(EventRow.__table__.insert(), rows[i:i + 5000])
    store.close()


def p95(xs: list[float]) -> float:
    return statistics.quantiles(xs, n=20)[-1] if len(xs) >= 2 else xs[0]


def bench_api(url: str, path: Path, out) -> None:
    from fastapi.testclient import TestClient

    from strikewatch.serve.app import Settings, create_app
    app = create_app(Settings(db=url, public="all"))
    client = TestClient(app, base_url="https://testserver")
    cases = {
        "first page (newest)": {},
        "type=strike": {"type": "strike"},
        "one month": {"from": "2020-09-01", "to": "2020-09-30"},
        "place=Minsk": {"place": "Minsk"},
        "region + type": {"region": "Minsk Region", "type": "protest"},
        "workplace words": {"workplace": "azot"},
        "min_sources=3": {"min_sources": "3"},
        "full text q=belaz": {"q": "belaz"},
        "verified only": {"status": "verified"},
        "sort=-participants": {"sort": "-participants"},
        "all filters": {"type": "strike", "from": "2020-08-15", "to": "2020-10-15",
                        "region": "Minsk Region", "min_sources": "2", "q": "workers"},
    }
    out(f"{'list API case':<24} {'p50 ms':>8} {'p95 ms':>8} {'items':>6}")
    worst = 0.0
    for name, params in cases.items():
        client.get("/api/events", params=params)
        times = []
        for _ in range(20):
            t0 = time.perf_counter()
            r = client.get("/api/events", params={**params, "limit": 50})
            times.append((time.perf_counter() - t0) * 1000)
        worst = max(worst, p95(times))
        out(f"{name:<24} {statistics.median(times):>8.1f} {p95(times):>8.1f} "
            f"{len(r.json()['items']):>6}")
    cursor, deep = None, []
    for _ in range(200):
        t0 = time.perf_counter()
        page = client.get("/api/events", params={"limit": 50, **({"cursor": cursor} if cursor
                                                                  else {})}).json()
        deep.append((time.perf_counter() - t0) * 1000)
        cursor = page["next"]
    out(f"{'pages 1-200 by cursor':<24} {statistics.median(deep):>8.1f} {p95(deep):>8.1f} "
        f"{'50':>6}")
    out(f"{'pages 181-200':<24} {statistics.median(deep[-20:]):>8.1f} {p95(deep[-20:]):>8.1f}")
    conn = sqlite3.connect(path)
    raw = []
    for _ in range(20):
        t0 = time.perf_counter()
        conn.execute("SELECT * FROM events ORDER BY sort_date DESC, id DESC LIMIT 51").fetchall()
        raw.append((time.perf_counter() - t0) * 1000)
    conn.close()
    out(f"baseline: the first page's SQL alone (sqlite3): p95 {p95(raw):.2f} ms")
    app_first = None
    for _ in range(20):
        t0 = time.perf_counter()
        client.get("/api/events", params={"limit": 50})
        t = (time.perf_counter() - t0) * 1000
        app_first = t if app_first is None else min(app_first, t)
    out(f"ratio app/SQL on the first page (best of 20 each): "
        f"{app_first / min(raw):.1f}x ({app_first:.1f} ms vs {min(raw):.2f} ms)")
    out(f"worst p95 over the filter cases: {worst:.1f} ms (target: under 100 ms)")
    app.state.store.close()


def serve(url: str):
    import socket

    import uvicorn

    from strikewatch.serve.app import Settings, create_app
    app = create_app(Settings(db=url, public="all"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    threading.Thread(target=srv.run, daemon=True).start()
    while not srv.started:
        time.sleep(0.05)
    return srv, f"http://localhost:{port}"


def bench_map(urls: dict[str, str], out) -> None:
    from playwright.sync_api import sync_playwright
    flags = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
    out(f"{'map page':<12} {'events':>7} {'load ms':>8} {'zoom ms':>8} {'filter ms':>10}")
    results = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                    args=flags)
        for label, url in urls.items():
            srv, base = serve(url)
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            t0 = time.perf_counter()
            page.goto(base + "/")
            page.wait_for_selector(".leaflet-marker-icon")
            page.wait_for_selector("body[data-loading='0']", state="attached")
            load = (time.perf_counter() - t0) * 1000
            n = page.locator("#summary").inner_text()
            t0 = time.perf_counter()
            page.click(".leaflet-control-zoom-in")
            page.wait_for_selector(".leaflet-zoom-anim", state="detached")
            page.wait_for_timeout(50)
            zoom = (time.perf_counter() - t0) * 1000
            t0 = time.perf_counter()
            page.select_option("select[name=type]", "strike")
            page.click("#filters button[type=submit]")
            page.wait_for_selector("body[data-loading='1']", state="attached")
            page.wait_for_selector("body[data-loading='0']", state="attached")
            flt = (time.perf_counter() - t0) * 1000
            results[label] = (load, zoom, flt)
            out(f"{label:<12} {n.split()[0]:>7} {load:>8.0f} {zoom:>8.0f} {flt:>10.0f}")
            page.close()
            srv.should_exit = True
        browser.close()
    big, small = results["many"], results["baseline"]
    out(f"ratio many/baseline: load {big[0] / small[0]:.1f}x, zoom {big[1] / small[1]:.1f}x, "
        f"filter {big[2] / small[2]:.1f}x")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--events", type=int, default=100_000)
    ap.add_argument("--map", type=int, default=10_000, help="events on the map page")
    ap.add_argument("--no-browser", action="store_true")
    args = ap.parse_args(argv)

    def out(line: str = "") -> None:
        print(line, flush=True)

    tmp = Path(tempfile.mkdtemp(prefix="sw-bench-web-"))
    try:
        path = tmp / "api.db"
        t0 = time.perf_counter()
        fill(f"sqlite:///{path}", args.events)
        out(f"{args.events:,} events in SQLite in {time.perf_counter() - t0:.1f} s")
        bench_api(f"sqlite:///{path}", path, out)
        if not args.no_browser and Path("/usr/bin/chromium").exists():
            fill(f"sqlite:///{tmp / 'map.db'}", args.map)
            fill(f"sqlite:///{tmp / 'small.db'}", 100)
            bench_map({"baseline": f"sqlite:///{tmp / 'small.db'}",
                       "many": f"sqlite:///{tmp / 'map.db'}"}, out)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
