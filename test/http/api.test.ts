import { afterEach, describe, expect, it } from "bun:test";
import type { Opportunity } from "../../core/events.ts";
import { streamStats } from "../../core/http/stream.ts";
import { startTestBot, settle, type TestBot } from "./kit.ts";

const token = "test-token-0123456789";
const auth = { authorization: `Bearer ${token}` };
const toml = `
[health]
heartbeat_timeout_ms = 1000
[feeds.venue_a]
plugin = "tick"
instruments = ["BTC-PERP", "ETH/USD"]
[feeds.venue_b]
plugin = "tick"
instruments = ["BTC-PERP"]
price = 101
[notifiers.inbox]
plugin = "collect"
[[alerts.routes]]
notifiers = ["inbox"]
cooldown_ms = 0
[alerts]
outbox_path = ":memory:"
`;

let bot: TestBot | undefined;
afterEach(async () => {
  await bot?.stop();
  bot = undefined;
});

const get = (app: ReturnType<TestBot["app"]>, path: string, headers: Record<string, string> = {}) => app.handle(new Request(`http://localhost${path}`, { headers }));
const post = (app: ReturnType<TestBot["app"]>, path: string, body?: unknown, headers: Record<string, string> = {}) =>
  app.handle(
    new Request(`http://localhost${path}`, {
      method: "POST",
      headers: { ...headers, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }),
    }),
  );

function opportunity(now: number): Opportunity {
  const leg = (feed: string, side: "buy" | "sell") => ({ feed, instrument: "BTC-PERP", key: "BTC-PERP", side, size: 1, vwap: 100, worstPrice: 100, feeUsd: 0.05, notionalUsd: 100 });
  return { id: "s1:x", strategy: "s1", kind: "two_venue", legs: [leg("venue_a", "buy"), leg("venue_b", "sell")], edgeBps: 12.5, sizeUsd: 100, profitUsd: 0.12, peakEdgeBps: 14, openedAt: now, updatedAt: now, severity: "info" };
}

describe("HTTP API", () => {
  it("does /health and /ready: 200 while every feed is live and fresh, /ready 503 once one goes quiet", async () => {
    bot = await startTestBot(toml);
    const app = bot.app();
    await bot.advance(500);
    let res = await get(app, "/health");
    expect(res.status).toBe(200);
    const body = (await res.json()) as { status: string; feeds: Record<string, { state: string }> };
    expect(body.feeds.venue_a!.state).toBe("live");
    expect(body.status).toBe("ok");
    expect((await get(app, "/ready")).status).toBe(200);
    const { tickControls } = await import("./fixtures/tick-feed.ts");
    tickControls.get("venue_b")!.stall();
    await bot.advance(1500);
    res = await get(app, "/ready");
    expect(res.status).toBe(503);
    const ready = (await res.json()) as { status: string; feeds: Record<string, { reasons: string[] }> };
    expect(ready.status).toBe("degraded");
    expect(ready.feeds.venue_b!.reasons.join(" ")).toContain("heartbeat: no message for");
    expect((await get(app, "/health")).status).toBe(200);
  });

  it("does /api/feeds with the SURFACE fields and latency figures", async () => {
    bot = await startTestBot(toml);
    await bot.advance(300);
    const rows = (await (await get(bot.app(), "/api/feeds")).json()) as Record<string, unknown>[];
    expect(rows.map((r) => r.id)).toEqual(["venue_a", "venue_b"]);
    for (const k of ["id", "plugin", "state", "connections", "messages", "errors", "reconnects", "lastMessageAgeMs", "reasons", "latencyP50Ms", "latencyP95Ms", "latencyMaxMs"]) expect(rows[0]).toHaveProperty(k);
    expect(rows[0]!.plugin).toBe("tick");
    expect(rows[0]!.messages as number).toBeGreaterThan(1);
  });

  it("does /api/quotes, one quote by URL-encoded instrument, and 404 for an unknown instrument or feed", async () => {
    bot = await startTestBot(toml);
    await bot.advance(200);
    const app = bot.app();
    const all = (await (await get(app, "/api/quotes")).json()) as { feed: string; instrument: string; bid: number; ageMs: number; stale: boolean }[];
    expect(all.map((q) => `${q.feed}:${q.instrument}`).sort()).toEqual(["venue_a:BTC-PERP", "venue_a:ETH/USD", "venue_b:BTC-PERP"]);
    const one = await get(app, `/api/quotes/venue_a/${encodeURIComponent("ETH/USD")}`);
    expect(one.status).toBe(200);
    const q = (await one.json()) as Record<string, unknown>;
    for (const k of ["feed", "instrument", "key", "bid", "ask", "bidSize", "askSize", "mid", "spreadBps", "tsEvent", "tsRecv", "ageMs", "latencyMs", "stale"]) expect(q).toHaveProperty(k);
    expect(q.instrument).toBe("ETH/USD");
    expect((await get(app, `/api/quotes/venue_a/${encodeURIComponent("ETH%2FUSD")}`)).status).toBe(404); // decoded once, not twice
    expect((await get(app, "/api/quotes/venue_a/%01")).status).toBe(400);
    for (const path of ["/api/quotes/venue_a/NOPE-PERP", "/api/quotes/nofeed/BTC-PERP"]) {
      const res = await get(app, path);
      expect(res.status).toBe(404);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
    }
  });

  it("does /api/books with depth validated", async () => {
    bot = await startTestBot(toml);
    await bot.advance(200);
    const app = bot.app();
    const res = await get(app, "/api/books/venue_b/BTC-PERP?depth=1");
    expect(res.status).toBe(200);
    const b = (await res.json()) as { state: string; bids: number[][]; asks: number[][]; stale: boolean; seq: number | null };
    expect(b.state).toBe("live");
    expect(b.stale).toBe(false);
    expect(b.bids.length).toBe(1);
    expect(b.bids[0]![0]).toBeGreaterThan(100);
    for (const bad of ["0", "-1", "abc", "1001", "1.5"]) {
      const r = await get(app, `/api/books/venue_b/BTC-PERP?depth=${bad}`);
      expect(r.status).toBe(400);
      expect(((await r.json()) as { error: { code: string; message: string } }).error.message).toContain("depth");
    }
    expect((await get(app, "/api/books/venue_b/NOPE")).status).toBe(404);
  });

  it("does /api/opportunities and /api/alerts with delivery state per notifier, limit validated", async () => {
    bot = await startTestBot(toml);
    const now = bot.clock.now();
    bot.runtime.bus.emit("opportunity.open", opportunity(now));
    bot.runtime.bus.emit("alert", { id: "a1", key: "k1", source: "s1", kind: "info", severity: "info", title: "first", text: "one", ts: now });
    bot.runtime.bus.emit("alert", { id: "a2", key: "k2", source: "s1", kind: "info", severity: "warning", title: "second", text: "two", ts: now });
    await settle(10);
    const app = bot.app();
    const opps = (await (await get(app, "/api/opportunities")).json()) as Record<string, unknown>[];
    expect(opps.length).toBe(1);
    for (const k of ["id", "strategy", "kind", "legs", "edgeBps", "sizeUsd", "openedAt", "updatedAt", "peakEdgeBps"]) expect(opps[0]).toHaveProperty(k);
    const alerts = (await (await get(app, "/api/alerts?limit=1")).json()) as { id: string; deliveries: Record<string, { state: string }> }[];
    expect(alerts.length).toBe(1);
    expect(alerts[0]!.id).toBe("a2");
    expect(alerts[0]!.deliveries.inbox!.state).toBe("delivered");
    expect((await get(app, "/api/alerts?limit=0")).status).toBe(400);
    expect((await get(app, "/api/alerts?limit=x")).status).toBe(400);
  });

  it("does /metrics in Prometheus text that promtool accepts", async () => {
    bot = await startTestBot(toml);
    await bot.advance(300);
    bot.runtime.bus.emit("opportunity.open", opportunity(bot.clock.now()));
    const res = await get(bot.app(), "/metrics");
    expect(res.headers.get("content-type")).toContain("text/plain; version=0.0.4");
    const text = await res.text();
    for (const name of [
      "edgewatch_feed_up",
      "edgewatch_feed_messages_total",
      "edgewatch_feed_errors_total",
      "edgewatch_feed_reconnects_total",
      "edgewatch_feed_resyncs_total",
      "edgewatch_feed_last_message_age_seconds",
      "edgewatch_quote_age_seconds",
      "edgewatch_frame_to_signal_seconds",
      "edgewatch_opportunities_open",
      "edgewatch_alerts_total",
      "edgewatch_alert_outbox_pending",
      "edgewatch_signals_suppressed_total",
      "edgewatch_plugin_errors_total",
    ]) {
      expect(text).toContain(`# TYPE ${name} `);
    }
    expect(text).toContain('edgewatch_feed_up{feed="venue_a"} 1');
    expect(text).toContain('edgewatch_frame_to_signal_seconds_count 1');
    const promtool = Bun.spawnSync(["promtool", "check", "metrics"], { stdin: new TextEncoder().encode(text) });
    expect({ code: promtool.exitCode, out: promtool.stdout.toString() + promtool.stderr.toString() }).toEqual({ code: 0, out: "" });
  });

  it("streams SSE: hello, quotes coalesced per instrument per period, opportunities, and cleans up on cancel", async () => {
    bot = await startTestBot(toml.replace('instruments = ["BTC-PERP"]\nprice = 101', 'instruments = ["BTC-PERP"]\nprice = 101\ninterval_ms = 50'));
    const openBefore = streamStats.open;
    const quoteListeners = bot.runtime.bus.listenerCount("quote");
    const res = await get(bot.app({ streamThrottleMs: 250 }), "/api/stream?batch=1");
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    expect(streamStats.open).toBe(openBefore + 1);
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    let text = "";
    bot.runtime.bus.emit("opportunity.open", opportunity(bot.clock.now()));
    await bot.advance(250, 50);
    while (!text.includes("event: quotes")) text += (await reader.read()).value ?? "";
    expect(text).toContain("event: hello");
    expect(text).toContain("event: opportunity.open");
    const batch = text.split("event: quotes\ndata: ")[1]!.split("\n\n")[0]!;
    const rows = JSON.parse(batch) as { feed: string; instrument: string }[];
    const keys = rows.map((r) => `${r.feed}:${r.instrument}`);
    expect(new Set(keys).size).toBe(keys.length); // five venue_b ticks in the period, one row
    expect(keys).toContain("venue_b:BTC-PERP");
    await reader.cancel();
    expect(streamStats.open).toBe(openBefore);
    expect(bot.runtime.bus.listenerCount("quote")).toBe(quoteListeners);

    const single = await get(bot.app({ streamThrottleMs: 250 }), "/api/stream");
    const r2 = single.body!.pipeThrough(new TextDecoderStream()).getReader();
    await bot.advance(250, 50);
    let t2 = "";
    while (!t2.includes("event: quote\n")) t2 += (await r2.read()).value ?? "";
    expect(t2).not.toContain("event: quotes");
    await r2.cancel();
    expect((await get(bot.app(), "/api/stream?throttle_ms=10")).status).toBe(400);
  });

  it("guards control routes with the bearer token: 401 without or with a wrong one, mute/unmute/reload with it", async () => {
    let reloads = 0;
    bot = await startTestBot(toml, async () => (reloads++ === 0 ? { ok: true, started: ["x"], stopped: [], kept: ["venue_a"] } : { ok: false, problems: ["bot.toml:3:1: feeds.x: expected a table"] }));
    const app = bot.app({ token });
    for (const path of ["/api/control/mute", "/api/control/unmute", "/api/control/reload"]) {
      const r = await post(app, path);
      expect(r.status).toBe(401);
      expect(r.headers.get("www-authenticate")).toBe("Bearer");
      expect((await post(app, path, undefined, { authorization: "Bearer wrong-token-0000000000" })).status).toBe(401);
    }
    expect(reloads).toBe(0);
    const muted = await post(app, "/api/control/mute", { minutes: 5 }, auth);
    expect(muted.status).toBe(200);
    await settle();
    expect(bot.runtime.view.mutedUntil()).toBe(bot.clock.now() + 5 * 60_000);
    expect((await post(app, "/api/control/mute", { minutes: "lots" }, auth)).status).toBe(400);
    expect((await post(app, "/api/control/mute", "{not json", auth)).status).toBe(400);
    expect((await post(app, "/api/control/unmute", undefined, auth)).status).toBe(200);
    expect(bot.runtime.view.mutedUntil()).toBe(0);
    const ok = await post(app, "/api/control/reload", undefined, auth);
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, started: ["x"], stopped: [], kept: ["venue_a"] });
    const bad = await post(app, "/api/control/reload", undefined, auth);
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { error: { code: string; problems: string[] } }).error).toMatchObject({ code: "CONFIG_INVALID", problems: ["bot.toml:3:1: feeds.x: expected a table"] });
  });

  it("turns control routes off without a token, and requires the token everywhere but the page off loopback", async () => {
    bot = await startTestBot(toml);
    const open = bot.app();
    const r = await post(open, "/api/control/mute", undefined, auth);
    expect(r.status).toBe(401);
    expect(((await r.json()) as { error: { message: string } }).error.message).toContain("set [http] token");
    const guarded = bot.app({ token, tokenEverywhere: true });
    expect((await get(guarded, "/api/feeds")).status).toBe(401);
    expect((await get(guarded, "/metrics")).status).toBe(401);
    expect((await get(guarded, "/api/feeds", auth)).status).toBe(200);
    expect((await get(guarded, "/")).status).toBe(200);
  });

  it("answers 500 with a fixed sentence that leaks no message, stack or secret, and 404 JSON for unknown routes", async () => {
    bot = await startTestBot(toml);
    const app = bot.app({}, {
      view: {
        ...bot.runtime.view,
        feeds() {
          throw new Error("db password hunter2-SECRET at /home/bot/core/x.ts:12:3");
        },
      },
    });
    const res = await get(app, "/api/feeds");
    expect(res.status).toBe(500);
    const text = await res.text();
    expect(JSON.parse(text)).toEqual({ error: { code: "INTERNAL", message: "internal error; the bot's log has the details" } });
    for (const leak of ["hunter2", "SECRET", ".ts", "Error", "at "]) expect(text).not.toContain(leak);
    const missing = await get(app, "/api/nothing");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe("NOT_FOUND");
  });

  it("serves the dashboard page and its scripts", async () => {
    bot = await startTestBot(toml);
    const app = bot.app();
    const page = await get(app, "/");
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(await page.text()).toContain('src="/dashboard/app.js"');
    for (const f of ["app.js", "table.js", "style.css"]) expect((await get(app, `/dashboard/${f}`)).status).toBe(200);
    expect((await get(app, "/dashboard/../../etc/passwd")).status).toBe(404);
  });
});
