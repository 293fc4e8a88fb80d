/* corridor web map: draws the network and the alternatives the REST API returns.
 *
 * Nothing here computes a model figure: every number shown comes from /v1/routes and
 * /v1/flows, only formatted (hours as days, money and CO2e rounded, t/yr as Mt/yr). No request leaves the service:
 * Leaflet is vendored, the base layer is /v1/outlines, there are no tiles.
 */
"use strict";

(function () {
  const MODE_COLORS = {
    rail_1520: "#9d0208",
    rail_1435: "#6a4c93",
    road: "#e76f51",
    ferry: "#0077b6",
    sea: "#023e8a",
  };
  const SPARE_COLORS = ["#2a9d8f", "#8d6e63", "#606c38", "#bc6c25"];
  const RANK_COLORS = ["#d00000", "#1d7874", "#f4a261", "#7209b7", "#3a86ff",
                       "#8ac926", "#ff006e", "#6d597a", "#b5838d", "#264653"];
  const MARKS = {
    gauge_break: { text: "G", title: "gauge break" },
    port: { text: "⚓", title: "port" },
    border: { text: "▮", title: "border crossing" },
    transhipment: { text: "T", title: "transhipment" },
    mode_change: { text: "M", title: "mode change" },
  };

  const state = {
    places: {}, routes: [], selected: 1, routeLayer: null, markLayer: null, simulated: new Set(),
  };
  const $ = (id) => document.getElementById(id);

  // ------------------------------------------------------------------ formatting
  const num = (v) => typeof v === "number" && isFinite(v);
  const fmtDays = (h) => (num(h) ? (h / 24).toFixed(1) : "unknown");
  const fmtInt = (v) => (num(v) ? Math.round(v).toLocaleString("en-US") : "unknown");
  const fmtH = (h) => (num(h) ? h.toFixed(1) : "unknown");
  const placeName = (id) => (state.places[id] ? state.places[id].name : id);

  function modeColor(mode) {
    if (MODE_COLORS[mode]) return MODE_COLORS[mode];
    let h = 0;
    for (const c of String(mode)) h = (h * 31 + c.charCodeAt(0)) >>> 0;
    return SPARE_COLORS[h % SPARE_COLORS.length];
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-") || k === "title" || k === "role") node.setAttribute(k, v);
      else node[k] = v;
    }
    for (const c of children) if (c != null) node.append(c);
    return node;
  }

  // ------------------------------------------------------------------ requests
  async function getJSON(url, options) {
    const r = await fetch(url, options);
    let body = null;
    try { body = await r.json(); } catch (e) { body = null; }
    if (!r.ok) {
      const err = new Error((body && body.detail) || `HTTP ${r.status}`);
      err.status = r.status;
      err.problem = body;
      throw err;
    }
    return body;
  }

  function say(text, kind) {
    const box = $("message");
    box.replaceChildren();
    box.className = kind || "";
    if (text instanceof Node) box.append(text); else box.textContent = text || "";
  }

  // ------------------------------------------------------------------ the map
  const map = L.map("map", { zoomSnap: 0.25, worldCopyJump: false, preferCanvas: false });
  map.setView([40, 60], 4);
  for (const [name, z] of [["outlines", 200], ["network", 350], ["flows", 400], ["routes", 450],
                           ["marks", 620]]) {
    map.createPane(name).style.zIndex = z;
  }
  map.getPane("outlines").style.pointerEvents = "none";

  function drawOutlines(data) {
    L.geoJSON(data, {
      pane: "outlines",
      interactive: false,
      style: { color: "#8a9299", weight: 0.8, fillColor: "#f3efe6", fillOpacity: 1 },
    }).addTo(map);
    map.attributionControl.addAttribution("Outlines: Natural Earth");
  }

  function drawNetwork(fc) {
    const links = [];
    for (const f of fc.features) {
      const p = f.properties || {};
      if (p.layer === "places" && f.geometry) {
        const [lon, lat] = f.geometry.coordinates;
        state.places[p.place_id] = { name: p.name, lon, lat, kind: p.kind, country: p.country };
      } else if (p.layer === "links" && f.geometry) {
        links.push(f);
      }
    }
    L.geoJSON({ type: "FeatureCollection", features: links }, {
      pane: "network",
      style: (f) => ({
        color: modeColor(f.properties.mode),
        weight: 1.3,
        opacity: 0.4,
        dashArray: f.properties.status === "planned" ? "5 5" : null,
        className: `net-link mode-${f.properties.mode} status-${f.properties.status}`,
      }),
      onEachFeature: (f, layer) => layer.bindTooltip(
        `${f.properties.link_id}: ${placeName(f.properties.from_id)} → ` +
        `${placeName(f.properties.to_id)} (${f.properties.mode}, ${f.properties.status})`,
        { sticky: true }),
    }).addTo(map);
    for (const [id, p] of Object.entries(state.places)) {
      L.circleMarker([p.lat, p.lon], {
        pane: "network", radius: p.kind === "city" ? 3 : 2.2, weight: 1,
        color: "#39424e", fillColor: "#ffffff", fillOpacity: 1, className: "net-place",
      }).bindTooltip(`${p.name} (${id})`).addTo(map);
    }
    const pts = Object.values(state.places).map((p) => [p.lat, p.lon]);
    if (pts.length) map.fitBounds(L.latLngBounds(pts).pad(0.05));
  }

  function addLegend(modes) {
    const legend = L.control({ position: "bottomright" });
    legend.onAdd = () => {
      const box = L.DomUtil.create("div", "legend");
      const rows = modes.map((m) =>
        `<div><span class="swatch" style="background:${modeColor(m.name)}"></span>` +
        `${m.name}</div>`);
      rows.push('<div><span class="swatch dashed"></span>planned</div>');
      for (const mark of Object.values(MARKS)) {
        rows.push(`<div><span class="mark-key">${mark.text}</span>${mark.title}</div>`);
      }
      box.innerHTML = rows.join("");
      return box;
    };
    legend.addTo(map);
  }

  function xy(id) {
    const p = state.places[id];
    return p ? [p.lat, p.lon] : null;
  }

  function markIcon(kind) {
    const mark = MARKS[kind] || { text: "•", title: kind };
    return L.divIcon({ className: `mark mark-${kind}`, html: mark.text, iconSize: [18, 18] });
  }

  function drawRoutes() {
    if (state.routeLayer) state.routeLayer.remove();
    if (state.markLayer) state.markLayer.remove();
    state.routeLayer = L.layerGroup().addTo(map);
    state.markLayer = L.layerGroup().addTo(map);
    const bounds = [];
    const order = [...state.routes].sort((a, b) =>
      (a.rank === state.selected) - (b.rank === state.selected) || b.rank - a.rank);
    for (const r of order) {
      const chosen = r.rank === state.selected;
      for (const leg of r.legs) {
        if (leg.kind !== "run") continue;
        const a = xy(leg.from), b = xy(leg.to);
        if (!a || !b) continue;
        bounds.push(a, b);
        if (chosen) {
          L.polyline([a, b], { pane: "routes", color: "#ffffff", weight: 9, opacity: 0.9,
                               interactive: false }).addTo(state.routeLayer);
        }
        L.polyline([a, b], {
          pane: "routes",
          color: modeColor(leg.mode),
          weight: chosen ? 5 : 3.5,
          opacity: chosen ? 1 : 0.6,
          className: `route-leg rank-${r.rank} mode-${leg.mode}`,
        }).bindTooltip(`alternative ${r.rank}: ${placeName(leg.from)} → ${placeName(leg.to)}, ` +
                       `${leg.mode}, ${fmtInt(leg.length_km)} km, ${fmtH(leg.time_h)} h`,
                       { sticky: true })
          .on("click", () => select(r.rank))
          .addTo(state.routeLayer);
      }
      if (!chosen) continue;
      for (const leg of r.legs) {
        if (leg.kind === "run") continue;
        let at = xy(leg.place_id || leg.from);
        if (leg.kind === "border") {
          const a = xy(leg.from), b = xy(leg.to);
          if (a && b) at = [(a[0] + b[0]) / 2, (a[1] + b[1]) / 2];
        }
        if (!at) continue;
        L.marker(at, { pane: "marks", icon: markIcon(leg.kind), keyboard: false })
          .bindTooltip(`${(MARKS[leg.kind] || { title: leg.kind }).title}: ` +
                       `${placeName(leg.place_id || leg.from)}` +
                       (leg.kind === "border" ? ` → ${placeName(leg.to)}` : "") +
                       ` (${leg.mode}), ${fmtH(leg.time_h)} h, $${fmtInt(leg.cost_usd)}`)
          .addTo(state.markLayer);
      }
      const first = r.legs[0], last = r.legs[r.legs.length - 1];
      for (const [id, label] of [[first && first.from, "origin"], [last && last.to, "destination"]]) {
        const at = xy(id);
        if (!at) continue;
        L.circleMarker(at, { pane: "marks", radius: 7, weight: 3, color: "#111",
                             fillColor: label === "origin" ? "#2dc653" : "#d00000",
                             fillOpacity: 1, className: `end-${label}` })
          .bindTooltip(`${label}: ${placeName(id)}`).addTo(state.markLayer);
      }
    }
    return bounds;
  }

  // ------------------------------------------------------------------ side panel
  function panel(r) {
    const rel = r.reliability;
    const t = r.totals || {};
    const color = RANK_COLORS[(r.rank - 1) % RANK_COLORS.length];
    const facts = [
      ["days", fmtDays(t.time_h), "alt-days"],
      ["USD", fmtInt(t.cost_usd), "alt-usd"],
      ["kg CO2e", fmtInt(t.co2e_kg), "alt-co2e"],
      ["km", fmtInt(t.length_km), "alt-km"],
      ["borders", r.borders.map((b) => b.countries).join(", ") || "none", "alt-borders"],
      ["gauge changes", String(r.gauge_changes.length), "alt-gauge"],
      ["ferries / sea", String(r.ferries.length), "alt-ferries"],
    ];
    if (rel) {
      facts.push(["P50 days", fmtDays(rel.p50_h), "alt-p50"]);
      facts.push(["P90 days", fmtDays(rel.p90_h), "alt-p90"]);
      if (rel.on_time_probability != null) {
        facts.push(["on time", `${Math.round(rel.on_time_probability * 100)} %`, "alt-ontime"]);
      }
    }
    const dl = el("dl", {});
    for (const [k, v, id] of facts) {
      dl.append(el("dt", { text: k }), el("dd", { text: v, "data-testid": id }));
    }
    const rows = r.legs.map((leg) => el("tr", { class: `leg leg-${leg.kind}` },
      el("td", { text: leg.kind }),
      el("td", {}, el("span", { class: "swatch", style: `background:${modeColor(leg.mode)}` }),
         leg.mode),
      el("td", { text: leg.from === leg.to ? placeName(leg.from)
                                           : `${placeName(leg.from)} → ${placeName(leg.to)}` }),
      el("td", { class: "n", text: fmtInt(leg.length_km) }),
      el("td", { class: "n", text: fmtH(leg.time_h) }),
      el("td", { class: "n", text: fmtInt(leg.cost_usd) })));
    const legs = el("details", { class: "legs" },
      el("summary", { text: `${r.legs.length} legs` }),
      el("table", {},
        el("thead", {}, el("tr", {}, ...["kind", "mode", "places", "km", "h", "USD"].map(
          (h) => el("th", { text: h })))),
        el("tbody", {}, ...rows)));
    const unknown = (r.unknown || []).length
      ? el("p", { class: "unknown", text: `unknown (not counted as zero): ${r.unknown.join("; ")}` })
      : null;
    const card = el("article", {
      class: `alt${r.rank === state.selected ? " selected" : ""}`,
      "data-rank": String(r.rank),
      "data-time-h": String(t.time_h),
      "data-cost-usd": String(t.cost_usd),
      "data-co2e-kg": String(t.co2e_kg),
      title: "show on the map",
    },
    el("h2", {}, el("span", { class: "rank", style: `background:${color}`, text: String(r.rank) }),
       `${fmtDays(t.time_h)} days · $${fmtInt(t.cost_usd)}`),
    el("p", { class: "countries", text: (r.countries || []).join(" → ") }),
    dl, legs, unknown);
    card.addEventListener("click", (ev) => {
      if (ev.target.closest("details")) return;
      select(r.rank);
    });
    return card;
  }

  function cdfChart(routes) {
    const box = $("cdf");
    const withRel = routes.filter((r) => r.reliability && r.reliability.cdf);
    box.replaceChildren();
    box.hidden = withRel.length === 0;
    if (!withRel.length) return;
    const W = 340, H = 190, L0 = 38, R0 = 10, T0 = 10, B0 = 30;
    // the range ends at the 97.5th percentile: the last draws are a long thin tail
    let lo = Infinity, hi = -Infinity;
    for (const r of withRel) {
      const c = r.reliability.cdf;
      c.time_h.forEach((h, i) => {
        lo = Math.min(lo, h);
        if (c.probability[i] <= 0.975) hi = Math.max(hi, h);
      });
    }
    const deadline = withRel[0].reliability.deadline_h;
    if (num(deadline)) { lo = Math.min(lo, deadline); hi = Math.max(hi, deadline); }
    lo = Math.floor(lo / 24); hi = Math.ceil(hi / 24);
    if (hi <= lo) hi = lo + 1;
    const x = (h) => L0 + Math.min(1, (h / 24 - lo) / (hi - lo)) * (W - L0 - R0);
    const y = (p) => T0 + (1 - p) * (H - T0 - B0);
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", `0 0 ${W} ${H}`);
    svg.setAttribute("role", "img");
    svg.setAttribute("aria-label", "cumulative distribution of the transit time");
    const add = (tag, attrs, text) => {
      const n = document.createElementNS(ns, tag);
      for (const [k, v] of Object.entries(attrs)) n.setAttribute(k, v);
      if (text != null) n.textContent = text;
      svg.append(n);
      return n;
    };
    const step = Math.max(1, Math.ceil((hi - lo) / 8));
    for (let d = lo; d <= hi; d += step) {
      add("line", { x1: x(d * 24), x2: x(d * 24), y1: y(0), y2: y(1), class: "grid" });
      add("text", { x: x(d * 24), y: H - 14, "text-anchor": "middle", class: "tick" }, String(d));
    }
    for (const p of [0, 0.5, 0.9, 1]) {
      add("line", { x1: L0, x2: W - R0, y1: y(p), y2: y(p), class: "grid" });
      add("text", { x: L0 - 4, y: y(p) + 3, "text-anchor": "end", class: "tick" }, String(p));
    }
    add("text", { x: (L0 + W - R0) / 2, y: H - 2, "text-anchor": "middle", class: "axis" },
        "days after departure");
    if (num(deadline)) {
      add("line", { x1: x(deadline), x2: x(deadline), y1: y(0), y2: y(1), class: "deadline" });
    }
    for (const r of withRel) {
      const c = r.reliability.cdf;
      const color = RANK_COLORS[(r.rank - 1) % RANK_COLORS.length];
      const pts = c.time_h.map((h, i) => `${x(h).toFixed(1)},${y(c.probability[i]).toFixed(1)}`);
      add("polyline", { points: pts.join(" "), fill: "none", stroke: color,
                        "stroke-width": r.rank === state.selected ? 2.6 : 1.4,
                        class: `cdf-line rank-${r.rank}` });
      for (const [key, p] of [["p50_h", 0.5], ["p90_h", 0.9]]) {
        if (num(r.reliability[key])) {
          add("circle", { cx: x(r.reliability[key]), cy: y(p), r: 3, fill: color });
        }
      }
    }
    box.append(el("h3", { text: "Transit time (simulated CDF, dots at P50 and P90)" }), svg);
  }

  function showResults() {
    const list = $("results");
    list.replaceChildren(...state.routes.map(panel));
    cdfChart(state.routes);
    return drawRoutes();
  }

  function select(rank) {
    state.selected = rank;
    showResults();
  }

  // ------------------------------------------------------------------ the form
  function fillForm(info) {
    const cargo = $("cargo");
    for (const c of info.cargo_classes) {
      cargo.append(el("option", { value: c.cargo, text: `${c.cargo} (${c.unit})` }));
    }
    cargo.value = info.cargo_classes.some((c) => c.cargo === "container_40ft")
      ? "container_40ft" : (info.cargo_classes[0] || {}).cargo;
    const objective = $("objective");
    for (const o of info.objectives) {
      if (o.name === "length") continue;
      objective.append(el("option", { value: o.name, text: `${o.name}: ${o.description}` }));
    }
    objective.value = info.default_objective;
    const crew = $("crew");
    for (const n of info.crews) {
      crew.append(el("option", { value: String(n), text: n === 1 ? "1 driver" : `${n} drivers` }));
    }
    crew.value = String(info.crews[0]);
    if (info.default_max_ratio != null) $("max_ratio").value = String(info.default_max_ratio);
    state.simulated = new Set(info.objectives.filter((o) => o.kind === "simulated").map((o) => o.name));
    const avoid = $("avoid");
    for (const c of info.countries) {
      avoid.append(el("label", { class: "country" },
        el("input", { type: "checkbox", value: c, name: "avoid" }), c));
    }
  }

  function complete(input, list) {
    let timer = null;
    let last = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      timer = setTimeout(async () => {
        const words = input.value.split(",");
        const q = words[words.length - 1].trim();
        if (!q || q === last) return;
        last = q;
        try {
          const res = await getJSON(`/v1/places?${new URLSearchParams({ q, limit: "12" })}`);
          const head = words.slice(0, -1).map((w) => w.trim()).filter(Boolean);
          list.replaceChildren(...res.places.map((p) => el("option", {
            value: [...head, p.name].join(", "),
            label: `${p.place_id} · ${p.country} · ${p.kind}`,
          })));
        } catch (e) { /* autocomplete is a help only */ }
      }, 120);
    });
  }

  function params() {
    const p = new URLSearchParams();
    p.set("origin", $("origin").value.trim());
    p.set("destination", $("destination").value.trim());
    p.set("cargo", $("cargo").value);
    p.set("units", $("units").value || "1");
    p.set("objective", $("objective").value);
    p.set("k", $("k").value || "3");
    p.set("crew", $("crew").value || "1");
    if ($("max_ratio").value !== "") p.set("max_ratio", $("max_ratio").value);
    for (const box of document.querySelectorAll("#avoid input:checked")) p.append("avoid", box.value);
    for (const v of $("via").value.split(",").map((s) => s.trim()).filter(Boolean)) {
      p.append("via", v);
    }
    if ($("include_planned").checked) p.set("include_planned", "true");
    const simulated = state.simulated.has($("objective").value);
    const deadline = $("deadline").value.trim();
    if ($("reliability").checked || simulated || deadline) {
      if ($("depart").value) p.set("depart", $("depart").value);
      if ($("reliability").checked) p.set("reliability", "true");
      if (deadline) p.set("deadline", deadline);
      p.set("samples", $("samples").value || "2000");
      if ($("seed").value !== "") p.set("seed", $("seed").value);
    }
    return p;
  }

  function showProblem(err) {
    const prob = err.problem || {};
    const box = el("div", {}, el("strong", { text: `${prob.title || "Error"}: ` }),
                   prob.detail || err.message);
    const target = { origin: "origin", destination: "destination", via: "via" }[prob.argument];
    if (prob.suggestions && prob.suggestions.length && target) {
      const ul = el("ul", { class: "suggestions" });
      for (const s of prob.suggestions) {
        const b = el("button", { type: "button", text: `${s.name} (${s.place_id})` });
        b.addEventListener("click", () => { $(target).value = s.name; $("query").requestSubmit(); });
        ul.append(el("li", {}, b));
      }
      box.append(el("p", { text: "Did you mean:" }), ul);
    }
    say(box, "error");
  }

  async function search(ev) {
    ev.preventDefault();
    const p = params();
    say("Searching…", "busy");
    $("go").disabled = true;
    try {
      const res = await getJSON(`/v1/routes?${p}`, { headers: { Accept: "application/json" } });
      state.routes = res.routes;
      state.selected = res.routes.length ? res.routes[0].rank : 1;
      const first = res.routes[0];
      say(first
        ? `${res.routes.length} alternative(s) ${placeName(first.legs[0].from)} → ` +
          `${placeName(first.legs[first.legs.length - 1].to)}, ${first.units} × ${first.cargo}, ` +
          `by ${first.objective}`
        : "no routes", "ok");
      const bounds = showResults();
      if (bounds.length) map.fitBounds(L.latLngBounds(bounds).pad(0.15));
      document.body.dataset.routes = String(res.routes.length);
    } catch (err) {
      state.routes = [];
      showResults();
      showProblem(err);
      document.body.dataset.routes = "0";
    } finally {
      $("go").disabled = false;
    }
  }

  // ------------------------------------------------------------------ the flow layer
  // Width by t/yr (square root, so that a 100 kt link still shows beside a 5 Mt one),
  // colour by the highest use of a capacity on the link; both from /v1/flows.
  const USE_CLASSES = [
    { upto: 0.5, color: "#2a9d8f", text: "under 50 %" },
    { upto: 0.8, color: "#e9c46a", text: "50–80 %" },
    { upto: 1.0, color: "#f4a261", text: "80–100 %" },
    { upto: Infinity, color: "#d00000", text: "over capacity" },
  ];
  const fmtMt = (t) => (num(t) ? (t / 1e6).toFixed(2) : "unknown");
  const useColor = (u) => USE_CLASSES.find((c) => (num(u) ? u : 0) < c.upto).color;
  const flowState = { layer: null, legend: null, seq: 0 };

  function flowWidth(t, most) {
    return num(t) && most > 0 ? 1.5 + 12 * Math.sqrt(Math.max(t, 0) / most) : 1.5;
  }

  function flowLegend(most) {
    const legend = L.control({ position: "bottomleft" });
    legend.onAdd = () => {
      const box = L.DomUtil.create("div", "legend flow-legend");
      box.append(el("strong", { text: "Freight flows, Mt/yr" }), el("br"));
      for (const share of [1, 0.25, 0.04]) {
        const svg = `<svg class="flow-key" width="22" height="14"><line x1="0" y1="7" x2="22" ` +
          `y2="7" stroke="#555" stroke-width="${flowWidth(share * most, most)}"/></svg>`;
        const row = el("span", {});
        row.innerHTML = svg;
        row.append(fmtMt(share * most));
        box.append(row, el("br"));
      }
      box.append(el("strong", { text: "Use of capacity" }), el("br"));
      for (const c of USE_CLASSES) {
        box.append(el("span", { class: "swatch", style: `background:${c.color}` }), c.text,
                   el("br"));
      }
      return box;
    };
    return legend;
  }

  function clearFlows() {
    if (flowState.layer) map.removeLayer(flowState.layer);
    if (flowState.legend) flowState.legend.remove();
    flowState.layer = flowState.legend = null;
    $("bottlenecks").replaceChildren();
    document.body.dataset.flows = "0";
  }

  function showBottlenecks(list) {
    const ol = $("bottlenecks");
    ol.replaceChildren();
    for (const b of list || []) {
      ol.append(el("li", { "data-id": b.id },
        el("span", { class: "use", text: `${num(b.use_ratio) ? (100 * b.use_ratio).toFixed(0) : "?"} %` }),
        ` ${b.label || b.id} (${b.kind}): ${fmtMt(b.t_per_yr)} of ${fmtMt(b.capacity)} Mt/yr`,
        el("span", { class: "src", text: `capacity: ${b.capacity_source}` })));
    }
  }

  async function loadFlows() {
    const seq = ++flowState.seq;
    clearFlows();
    if (!$("flows-toggle").checked) { $("flows-message").textContent = ""; return; }
    const q = new URLSearchParams();
    for (const g of $("flows-growth").value.split(",")) if (g.trim()) q.append("growth", g.trim());
    const box = $("flows-message");
    box.className = "";
    box.textContent = "Assigning the flows…";
    try {
      const fc = await getJSON(`/v1/flows?${q}`, { headers: { Accept: "application/geo+json" } });
      if (seq !== flowState.seq || !$("flows-toggle").checked) return;
      const drawn = fc.features.filter((f) => f.geometry);
      const most = Math.max(0, ...drawn.map((f) => f.properties.t_per_yr || 0));
      // the busiest use last (on top): a link over capacity is never hidden by its twin
      const order = drawn.slice().sort((a, b) =>
        (a.properties.use_ratio || 0) - (b.properties.use_ratio || 0) ||
        (b.properties.t_per_yr || 0) - (a.properties.t_per_yr || 0));
      flowState.layer = L.geoJSON({ type: "FeatureCollection", features: order }, {
        pane: "flows",
        style: (f) => ({
          color: useColor(f.properties.use_ratio),
          weight: flowWidth(f.properties.t_per_yr, most),
          opacity: 0.85,
          lineCap: "butt",
          className: `flow-link mode-${f.properties.mode}`,
        }),
        onEachFeature: (f, layer) => {
          const p = f.properties;
          layer.bindTooltip(
            `${p.link_id}: ${placeName(p.from)} → ${placeName(p.to)} (${p.mode}), ` +
            `${fmtMt(p.t_per_yr)} Mt/yr, use ${num(p.use_ratio) ? (100 * p.use_ratio).toFixed(0) : "?"} %` +
            (num(p.delay_h) && p.delay_h > 0.05 ? `, queue ${fmtH(p.delay_h)} h` : ""),
            { sticky: true });
        },
      }).addTo(map);
      flowState.legend = flowLegend(most).addTo(map);
      showBottlenecks(fc.bottlenecks);
      const t = fc.totals || {};
      const sc = fc.scenario || {};
      box.textContent = `${drawn.length} loaded links; ${fmtMt(t.assigned_t)} Mt/yr assigned` +
        ` (growth ${sc.growth || "none"}). Bottlenecks by use of capacity:`;
      document.body.dataset.flows = String(drawn.length);
    } catch (err) {
      if (seq !== flowState.seq) return;
      box.className = "error";
      box.textContent = `flows: ${err.message}`;
      document.body.dataset.flows = "error";
    }
  }

  async function init() {
    const [info, net] = await Promise.all([
      getJSON("/v1/network"),
      getJSON("/v1/network?format=geojson"),
    ]);
    try {
      drawOutlines(await getJSON("/v1/outlines"));
    } catch (e) { /* no outlines shipped: the network alone */ }
    drawNetwork(net);
    addLegend(info.modes);
    fillForm(info);
    complete($("origin"), $("origin-list"));
    complete($("destination"), $("destination-list"));
    complete($("via"), $("via-list"));
    $("query").addEventListener("submit", search);
    $("flows-toggle").addEventListener("change", loadFlows);
    $("flows-growth").addEventListener("change", () => { if ($("flows-toggle").checked) loadFlows(); });
    document.body.dataset.ready = "true";
  }

  init().catch((err) => say(`cannot load the network: ${err.message}`, "error"));
})();
