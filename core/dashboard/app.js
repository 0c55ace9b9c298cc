// The live dashboard: initial state from the JSON API, then Server-Sent Events (read with fetch so the
// bearer token can travel in a header). Feeds and health are polled once a second for their counters.
import { PagedTable, cells } from "./table.js";

const $ = (id) => document.getElementById(id);
const badStates = new Set(["stale", "reconnecting", "faulted", "stopped"]);
const warnStates = new Set(["degraded", "connecting"]);
const palette = ["#58a6ff", "#3fb950", "#d29922", "#bc8cff", "#f778ba", "#39c5cf", "#ff7b72", "#a5d6ff"];
let token = sessionStorage.getItem("edgewatch-token") ?? "";
let settings = { heartbeatTimeoutMs: 30000, maxQuoteAgeMs: 10000 };
const feeds = new Map(); // id → row + { polledAt, rate }
const series = new Map(); // id → msg/s samples
const opps = new Map();
let alertsDirty = true;
let streaming = false;

const fmt = (x, d = 2) => (x === null || x === undefined || Number.isNaN(x) ? "–" : Number(x).toFixed(d));
const price = (x) => (x === null || x === undefined ? "–" : String(Number(Number(x).toPrecision(8))));
const age = (ms) => (ms === null || ms === undefined ? "–" : ms < 1000 ? `${Math.max(0, Math.round(ms))} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60000)} min`);

async function api(path, init = {}) {
  const headers = { ...(init.headers ?? {}), ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const res = await fetch(path, { ...init, headers });
  if (res.status === 401) {
    $("auth").hidden = false;
    throw new Error("unauthorized");
  }
  if (!res.ok && res.status !== 503) throw new Error(`${path}: ${res.status}`);
  return res.json();
}

$("auth").addEventListener("submit", (e) => {
  e.preventDefault();
  token = $("token").value.trim();
  sessionStorage.setItem("edgewatch-token", token);
  $("auth").hidden = true;
  if (!streaming) void start();
});

// ---- feeds -------------------------------------------------------------------------------------------
function feedAge(f) {
  return f.lastMessageAgeMs === null ? null : f.lastMessageAgeMs + (Date.now() - f.polledAt);
}

function renderFeeds() {
  const tbody = $("feeds").tBodies[0];
  const list = [...feeds.values()].sort((a, b) => a.id.localeCompare(b.id));
  while (tbody.rows.length > list.length) tbody.deleteRow(-1);
  while (tbody.rows.length < list.length) tbody.insertRow();
  list.forEach((f, i) => {
    const tr = tbody.rows[i];
    const a = feedAge(f);
    const stale = badStates.has(f.state) || (a !== null && a > settings.heartbeatTimeoutMs);
    const ageCls = a === null ? "n" : a > settings.heartbeatTimeoutMs ? "n bad" : a > settings.heartbeatTimeoutMs / 3 ? "n warn" : "n ok";
    tr.dataset.feed = f.id;
    tr.dataset.state = f.state;
    tr.className = stale ? "bad" : "";
    cells(
      tr,
      [f.id, f.plugin, f.state, fmt(f.rate, 1), fmt(f.updatesPerS, 1), String(f.reconnects), String(f.errors), age(f.latencyP50Ms), age(f.latencyP95Ms), age(f.latencyMaxMs), age(a), (f.reasons ?? []).join("; ")],
      ["", "", badStates.has(f.state) ? "bad state" : warnStates.has(f.state) ? "warn state" : "ok state", "n", "n", "n", "n", "n", "n", "n", ageCls, "wrap"],
    );
  });
}

async function pollFeeds() {
  const rows = await api("/api/feeds");
  const t = Date.now();
  const seen = new Set();
  for (const r of rows) {
    seen.add(r.id);
    const prev = feeds.get(r.id);
    const rate = prev === undefined ? 0 : ((r.messages - prev.messages) * 1000) / Math.max(1, t - prev.polledAt);
    feeds.set(r.id, { ...r, polledAt: t, rate: Math.max(0, rate) });
    const s = series.get(r.id) ?? [];
    s.push(Math.max(0, rate));
    if (s.length > 120) s.shift();
    series.set(r.id, s);
  }
  for (const id of [...feeds.keys()]) if (!seen.has(id)) (feeds.delete(id), series.delete(id));
  renderFeeds();
  drawChart();
}

function drawChart() {
  const canvas = $("chart");
  const ctx = canvas.getContext("2d");
  const w = canvas.width;
  const h = canvas.height;
  ctx.clearRect(0, 0, w, h);
  let max = 1;
  for (const s of series.values()) for (const v of s) max = Math.max(max, v);
  const legend = [];
  [...series.keys()].sort().forEach((id, i) => {
    const s = series.get(id);
    const color = palette[i % palette.length];
    ctx.strokeStyle = color;
    ctx.beginPath();
    s.forEach((v, j) => {
      const x = w - (s.length - 1 - j) * (w / 119);
      const y = h - 4 - (v / max) * (h - 8);
      j === 0 ? ctx.moveTo(x, y) : ctx.lineTo(x, y);
    });
    ctx.stroke();
    legend.push(`<span style="color:${color}">■ ${id.replace(/[<&]/g, "")} ${fmt(s[s.length - 1] ?? 0, 1)}</span>`);
  });
  ctx.fillStyle = "#7d8590";
  ctx.fillText(`${fmt(max, 1)}/s`, 4, 12);
  $("legend").innerHTML = legend.join("");
}

// ---- health ------------------------------------------------------------------------------------------
async function pollHealth() {
  const h = await api("/health");
  $("bot").textContent = h.bot;
  const badge = $("status");
  badge.textContent = h.status;
  badge.className = `badge ${h.status === "ok" ? "ok" : h.status === "degraded" ? "warn" : "bad"}`;
  const muted = h.mutedUntil > 0;
  $("muted").hidden = !muted;
  $("muted").textContent = muted ? `muted until ${new Date(h.mutedUntil).toISOString().slice(11, 16)} UTC` : "muted";
  $("mute").hidden = muted;
  $("unmute").hidden = !muted;
  const failing = h.checks.filter((c) => c.status !== "ok");
  const tbody = $("checks").tBodies[0];
  while (tbody.rows.length > failing.length) tbody.deleteRow(-1);
  while (tbody.rows.length < failing.length) tbody.insertRow();
  failing.forEach((c, i) => cells(tbody.rows[i], [c.check, c.subject, c.status, c.severity, c.reason, age(c.sinceMs)], ["", "", c.status === "down" ? "bad" : "warn", "", "wrap", "n"]));
}

async function control(path, body) {
  if (!token) {
    $("auth").hidden = false;
    return;
  }
  await api(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body ?? {}) }).catch(() => {});
  await pollHealth().catch(() => {});
}
$("mute").addEventListener("click", () => void control("/api/control/mute", { minutes: 30 }));
$("unmute").addEventListener("click", () => void control("/api/control/unmute"));

// ---- opportunities -----------------------------------------------------------------------------------
function renderOpps() {
  const list = [...opps.values()].sort((a, b) => (b.profitUsd ?? 0) - (a.profitUsd ?? 0));
  $("opp-count").textContent = String(list.length);
  const tbody = $("opps").tBodies[0];
  while (tbody.rows.length > list.length) tbody.deleteRow(-1);
  while (tbody.rows.length < list.length) tbody.insertRow();
  const t = Date.now();
  list.forEach((o, i) => {
    const legs = o.legs.map((l) => `${l.side} ${price(l.size)} ${l.instrument}@${l.feed} ${price(l.vwap)}`).join(" / ");
    tbody.rows[i].dataset.id = o.id;
    cells(tbody.rows[i], [o.strategy, o.kind, legs, fmt(o.edgeBps, 1), fmt(o.peakEdgeBps, 1), fmt(o.sizeUsd, 0), fmt(o.profitUsd, 2), age(t - o._seenAt + (o._ageAtSeen ?? 0))], ["", "", "wrap", "n ok", "n", "n", "n", "n"]);
  });
}

function putOpp(o, serverNow) {
  const prev = opps.get(o.id);
  opps.set(o.id, { ...o, _seenAt: prev?._seenAt ?? Date.now(), _ageAtSeen: prev?._ageAtSeen ?? Math.max(0, serverNow - o.openedAt) });
}

// ---- quotes ------------------------------------------------------------------------------------------
const quotes = new PagedTable({
  tbody: $("quotes").tBodies[0],
  pageSize: 50,
  match: (r, q) => r.feed.toLowerCase().includes(q) || r.instrument.toLowerCase().includes(q) || r.key.toLowerCase().includes(q),
  render(tr, r) {
    const a = r.ageMs + (Date.now() - r._at);
    const f = feeds.get(r.feed);
    const stale = r.stale || (f !== undefined && badStates.has(f.state)) || a > settings.maxQuoteAgeMs;
    tr.className = stale ? "stale" : "";
    cells(tr, [r.feed, r.instrument, r.key, price(r.bidSize), price(r.bid), price(r.ask), price(r.askSize), fmt(r.spreadBps, 1), age(r.latencyMs), age(a)], ["", "", "", "n", "n", "n", "n", "n", "n", stale ? "n bad" : "n"]);
  },
  onPage(page, pages, total) {
    $("page").textContent = `${page + 1} / ${pages}`;
    $("quote-count").textContent = String(quotes.rows.size);
    $("quotes").dataset.matches = String(total);
  },
});
const putQuote = (r) => quotes.set(`${r.feed}\u0000${r.instrument}`, { ...r, _at: Date.now() });
$("filter").addEventListener("input", () => quotes.setFilter($("filter").value));
$("stale-only").addEventListener("change", () => {
  const only = $("stale-only").checked;
  quotes.extraDynamic = only;
  quotes.setFilter($("filter").value, only ? (r) => r.stale || r.ageMs + (Date.now() - r._at) > settings.maxQuoteAgeMs : () => true);
});
$("prev").addEventListener("click", () => quotes.move(-1));
$("next").addEventListener("click", () => quotes.move(1));

// ---- alerts ------------------------------------------------------------------------------------------
async function refreshAlerts() {
  if (!alertsDirty) return;
  alertsDirty = false;
  const rows = await api("/api/alerts?limit=50");
  const tbody = $("alerts").tBodies[0];
  while (tbody.rows.length > rows.length) tbody.deleteRow(-1);
  while (tbody.rows.length < rows.length) tbody.insertRow();
  rows.forEach((a, i) => {
    const d = Object.entries(a.deliveries ?? {}).map(([n, s]) => `${n}: ${s.state}${s.attempts > 1 ? ` ×${s.attempts}` : ""}`).join(", ") || "no route";
    const sev = a.severity === "critical" ? "bad" : a.severity === "warning" ? "warn" : "";
    cells(tbody.rows[i], [new Date(a.ts).toISOString().slice(11, 19), a.severity, a.kind, a.title, a.text, d], ["", sev, "", "wrap", "wrap", "wrap"]);
  });
}

// ---- stream ------------------------------------------------------------------------------------------
const handlers = {
  hello(d) {
    $("bot").textContent = d.bot;
    if (d.health) settings = d.health;
  },
  quotes(rows) {
    for (const r of rows) putQuote(r);
  },
  quote: putQuote,
  "opportunity.open": (o) => putOpp(o, o.updatedAt),
  "opportunity.update": (o) => putOpp(o, o.updatedAt),
  "opportunity.close": (o) => opps.delete(o.id),
  "feed.status"(s) {
    const f = feeds.get(s.feed);
    if (f !== undefined) (f.state = s.state), (f.reasons = s.reasons), renderFeeds();
  },
  alert: () => (alertsDirty = true),
  "alert.delivered": () => (alertsDirty = true),
  "alert.failed": () => (alertsDirty = true),
  "health.status": () => void pollHealth().catch(() => {}),
};

async function stream() {
  for (;;) {
    try {
      const res = await fetch("/api/stream?batch=1", { headers: token ? { authorization: `Bearer ${token}` } : {} });
      if (res.status === 401) return void ((streaming = false), ($("auth").hidden = false));
      $("stream").textContent = "live";
      $("stream").className = "badge ok";
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = "";
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        let cut;
        while ((cut = buf.indexOf("\n\n")) >= 0) {
          const block = buf.slice(0, cut);
          buf = buf.slice(cut + 2);
          let event = "message";
          let data = "";
          for (const line of block.split("\n")) {
            if (line.startsWith("event: ")) event = line.slice(7);
            else if (line.startsWith("data: ")) data += line.slice(6);
          }
          if (data !== "" && handlers[event]) handlers[event](JSON.parse(data));
        }
      }
    } catch {
      // reconnect below
    }
    $("stream").textContent = "reconnecting";
    $("stream").className = "badge bad";
    await new Promise((r) => setTimeout(r, 2000));
  }
}

let painting = false;
function paint() {
  painting = false;
  quotes.paint(Date.now());
  renderOpps();
}
setInterval(() => {
  if (!painting) (painting = true), requestAnimationFrame(paint);
}, 250);

async function start() {
  try {
    const [q, o] = await Promise.all([api("/api/quotes"), api("/api/opportunities"), pollFeeds(), pollHealth()]);
    for (const r of q) putQuote(r);
    for (const x of o) putOpp(x, x.updatedAt);
  } catch {
    return;
  }
  streaming = true;
  void stream();
}
setInterval(() => void pollFeeds().catch(() => {}), 1000);
setInterval(() => void pollHealth().catch(() => {}), 2000);
setInterval(() => void refreshAlerts().catch(() => {}), 1000);
void start();
