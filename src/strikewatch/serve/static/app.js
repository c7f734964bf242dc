// strikewatch: the map, the timeline and the table, all driven by the filters in the URL.
// No inline script, no HTML strings built from data: every text goes in through textContent.
"use strict";

(function () {
  const TYPES = ["strike", "protest", "blockade", "riot", "other"];
  const form = document.getElementById("filters");
  const tbody = document.querySelector("#events tbody");
  const more = document.getElementById("more");
  const summary = document.getElementById("summary");
  const svg = document.getElementById("timeline");
  const SVGNS = "http://www.w3.org/2000/svg";
  let sort = new URLSearchParams(location.search).get("sort") || "-date";
  let next = null;

  // --- filters <-> URL --------------------------------------------------------------------
  function filters() {
    const p = new URLSearchParams();
    for (const el of form.elements) {
      if (el.name && el.value) p.set(el.name, el.value);
    }
    return p;
  }
  function fillForm() {
    const p = new URLSearchParams(location.search);
    for (const el of form.elements) {
      if (el.name) el.value = p.get(el.name) || "";
    }
  }
  function pushUrl() {
    const p = filters();
    if (sort !== "-date") p.set("sort", sort);
    const qs = p.toString();
    history.replaceState(null, "", qs ? "?" + qs : location.pathname);
  }
  async function getJson(url) {
    const r = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    if (!r.ok) throw new Error(url + ": " + r.status);
    return r.json();
  }
  function el(tag, text, cls) {
    const e = document.createElement(tag);
    if (text !== undefined && text !== null) e.textContent = String(text);
    if (cls) e.className = cls;
    return e;
  }

  // --- map --------------------------------------------------------------------------------
  let map = null, cluster = null;
  function initMap() {
    if (!window.L) return;
    map = L.map("map", { preferCanvas: true, worldCopyJump: true, attributionControl: false, minZoom: 2, maxZoom: 16 })
      .setView([53.7, 27.9], 6);
    getJson("/vendor/world/countries-50m.json").then((topo) => {
      const land = topojson.feature(topo, topo.objects.countries);
      L.geoJSON(land, { interactive: false, style: { color: "#7a8793", weight: 0.8, fillColor: "#eef1f3", fillOpacity: 1 } }).addTo(map).bringToBack();
    }).catch(() => {});
    cluster = L.markerClusterGroup({ chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40,
      iconCreateFunction: clusterIcon });
    map.addLayer(cluster);
  }
  // a cluster: sized by the participants of its events, coloured by its most common type
  function clusterIcon(c) {
    const counts = {};
    let people = 0;
    for (const m of c.getAllChildMarkers()) {
      counts[m.options.kind] = (counts[m.options.kind] || 0) + 1;
      people += m.options.participants || 0;
    }
    const top = TYPES.reduce((a, b) => ((counts[b] || 0) > (counts[a] || 0) ? b : a), TYPES[0]);
    const s = Math.max(22, Math.min(70, size(people) + 8));
    const label = el("span", c.getChildCount());
    return L.divIcon({ html: label, className: "cl pt pt-" + top, iconSize: [s, s] });
  }
  function size(participants) {
    if (!participants) return 10;
    return Math.round(10 + 6 * Math.log10(participants));
  }
  function popup(pt) {
    const box = el("div");
    const a = el("a", pt[3] + (pt[5] ? " · " + pt[5] : ""));
    a.href = "/events/" + encodeURIComponent(pt[0]);
    box.appendChild(a);
    if (pt[4]) box.appendChild(el("div", "participants: up to " + pt[4]));
    return box;
  }
  async function loadMap() {
    if (!cluster) return;
    const data = await getJson("/api/points?" + filters().toString());
    cluster.clearLayers();
    const markers = data.points.map((pt) => {
      const s = size(pt[4]);
      const icon = L.divIcon({ className: "pt pt-" + (TYPES.includes(pt[3]) ? pt[3] : "other"), iconSize: [s, s] });
      const m = L.marker([pt[1], pt[2]], { icon: icon, title: pt[3] + " " + (pt[5] || ""),
        kind: TYPES.includes(pt[3]) ? pt[3] : "other", participants: pt[4] || 0 });
      m.bindPopup(() => popup(pt));
      return m;
    });
    cluster.addLayers(markers);
    summary.dataset.points = String(data.points.length);
  }

  // --- timeline ---------------------------------------------------------------------------
  let days = [], x0 = 0, dayWidth = 1, first = null;
  const DAY = 86400000;
  function dayIndex(iso) { return Math.round((Date.parse(iso) - first) / DAY); }
  function isoOf(index) { return new Date(first + index * DAY).toISOString().slice(0, 10); }
  async function loadTimeline() {
    const p = filters();
    p.delete("from"); p.delete("to");
    const data = await getJson("/api/timeline?" + p.toString());
    days = data.days;
    drawTimeline();
  }
  function drawTimeline() {
    while (svg.firstChild) svg.removeChild(svg.firstChild);
    const W = svg.clientWidth || 800, H = svg.clientHeight || 120;
    svg.setAttribute("viewBox", "0 0 " + W + " " + H);
    if (!days.length) { const t = document.createElementNS(SVGNS, "text"); t.setAttribute("x", 10); t.setAttribute("y", 20); t.textContent = "No dated events"; svg.appendChild(t); return; }
    first = Date.parse(days[0].date);
    const span = dayIndex(days[days.length - 1].date) + 1;
    x0 = 30; dayWidth = (W - x0 - 5) / span;
    const peak = Math.max(...days.map((d) => Object.values(d.counts).reduce((a, b) => a + b, 0)));
    const scale = (H - 25) / peak;
    for (const d of days) {
      let y = H - 20;
      const i = dayIndex(d.date);
      for (const t of TYPES) {
        const n = d.counts[t] || 0;
        if (!n) continue;
        const r = document.createElementNS(SVGNS, "rect");
        r.setAttribute("x", x0 + i * dayWidth); r.setAttribute("width", Math.max(1, dayWidth - 0.5));
        r.setAttribute("y", y - n * scale); r.setAttribute("height", n * scale);
        r.setAttribute("class", "bar t-" + t);
        const title = document.createElementNS(SVGNS, "title");
        title.textContent = d.date + ": " + n + " " + t;
        r.appendChild(title);
        svg.appendChild(r);
        y -= n * scale;
      }
    }
    for (const [label, idx] of [[days[0].date, 0], [days[days.length - 1].date, span - 1]]) {
      const t = document.createElementNS(SVGNS, "text");
      t.setAttribute("x", x0 + idx * dayWidth); t.setAttribute("y", H - 5);
      t.setAttribute("class", "axis" + (idx ? " end" : ""));
      t.textContent = label;
      svg.appendChild(t);
    }
    const brush = document.createElementNS(SVGNS, "rect");
    brush.setAttribute("id", "brush"); brush.setAttribute("y", 0); brush.setAttribute("height", H - 20);
    brush.setAttribute("x", 0); brush.setAttribute("width", 0);
    svg.appendChild(brush);
    showBrush();
  }
  function showBrush() {
    const brush = document.getElementById("brush");
    if (!brush || first === null) return;
    const f = form.elements.from.value, t = form.elements.to.value;
    if (!f && !t) { brush.setAttribute("width", 0); return; }
    const a = f ? dayIndex(f) : 0, b = t ? dayIndex(t) + 1 : dayIndex(days[days.length - 1].date) + 1;
    brush.setAttribute("x", x0 + a * dayWidth); brush.setAttribute("width", Math.max(1, (b - a) * dayWidth));
  }
  function dayAt(evt) {
    const box = svg.getBoundingClientRect();
    const vx = (evt.clientX - box.left) * (svg.viewBox.baseVal.width / box.width);
    return Math.max(0, Math.floor((vx - x0) / dayWidth));
  }
  let dragStart = null;
  svg.addEventListener("mousedown", (e) => { if (first !== null) { dragStart = dayAt(e); e.preventDefault(); } });
  svg.addEventListener("mousemove", (e) => {
    if (dragStart === null) return;
    const a = Math.min(dragStart, dayAt(e)), b = Math.max(dragStart, dayAt(e));
    form.elements.from.value = isoOf(a); form.elements.to.value = isoOf(b);
    showBrush();
  });
  window.addEventListener("mouseup", (e) => {
    if (dragStart === null) return;
    const a = Math.min(dragStart, dayAt(e)), b = Math.max(dragStart, dayAt(e));
    dragStart = null;
    form.elements.from.value = isoOf(a); form.elements.to.value = isoOf(b);
    refresh(false);
  });
  svg.addEventListener("dblclick", () => { form.elements.from.value = ""; form.elements.to.value = ""; refresh(false); });

  function legend() {
    const box = document.getElementById("legend");
    for (const t of TYPES) {
      const s = el("span", t, "key t-" + t);
      box.appendChild(s);
    }
  }

  // --- table ------------------------------------------------------------------------------
  function range(pair) {
    if (!pair) return "";
    return pair[0] === pair[1] ? String(pair[1]) : pair[0] + "–" + pair[1];
  }
  function row(ev) {
    const tr = document.createElement("tr");
    tr.dataset.id = ev.id;
    const date = el("td");
    const a = el("a", ev.date_start ? ev.date_start + (ev.date_end && ev.date_end !== ev.date_start ? " – " + ev.date_end : "") : "undated");
    a.href = "/events/" + encodeURIComponent(ev.id);
    date.appendChild(a);
    tr.appendChild(date);
    tr.appendChild(el("td", ev.type, "t-" + ev.type));
    tr.appendChild(el("td", ev.workplace || ""));
    tr.appendChild(el("td", [ev.place, ev.region].filter(Boolean).join(", ")));
    tr.appendChild(el("td", range(ev.participants)));
    tr.appendChild(el("td", range(ev.arrests)));
    tr.appendChild(el("td", ev.independent_sources));
    tr.appendChild(el("td", ev.review_status, "status-" + ev.review_status));
    return tr;
  }
  async function loadTable(append) {
    const p = filters();
    p.set("sort", sort); p.set("limit", "50");
    if (append && next) p.set("cursor", next); else p.set("count", "1");
    const data = await getJson("/api/events?" + p.toString());
    if (!append) {
      while (tbody.firstChild) tbody.removeChild(tbody.firstChild);
      summary.textContent = data.total + " events";
    }
    for (const ev of data.items) tbody.appendChild(row(ev));
    next = data.next;
    more.hidden = !next;
  }
  document.querySelectorAll("#events th button[data-sort]").forEach((b) => {
    b.addEventListener("click", () => {
      const k = b.dataset.sort;
      sort = sort === "-" + k ? k : "-" + k;
      pushUrl();
      loadTable(false);
    });
  });
  more.addEventListener("click", () => loadTable(true));

  // --- wiring -----------------------------------------------------------------------------
  async function refresh(withTimeline) {
    pushUrl();
    document.body.dataset.loading = "1";
    const jobs = [loadMap(), loadTable(false)];
    if (withTimeline) jobs.push(loadTimeline()); else showBrush();
    try { await Promise.all(jobs); } finally { document.body.dataset.loading = "0"; }
  }
  form.addEventListener("submit", (e) => { e.preventDefault(); refresh(true); });
  document.getElementById("clear").addEventListener("click", () => {
    for (const f of form.elements) if (f.name) f.value = "";
    refresh(true);
  });
  window.addEventListener("resize", drawTimeline);
  fillForm();
  legend();
  initMap();
  refresh(true);
})();
