// HTTP side taps at 10,000 instruments (issue 11): GET /metrics, GET /api/quotes, one SSE flush of every
// instrument, one run of the seven built-in health checks, and the frame-to-signal cost the metrics add.
import { ManualClock } from "../core/clock.ts";
import { loadConfigSource } from "../core/config/load.ts";
import { startHealthRunner } from "../core/health/runner.ts";
import { createHttpApp } from "../core/http/app.ts";
import { botSources } from "../core/http/bot-sources.ts";
import { silentLogger } from "../core/log.ts";
import { Runtime } from "../core/runtime.ts";
import { createRegistry } from "../core/registry.ts";
import { builtinRegistry } from "../plugins/builtins.ts";
import { tickFeed } from "../test/http/fixtures/tick-feed.ts";
import { median, table } from "./stats.ts";

const N = 10_000;
const ids = Array.from({ length: N }, (_, i) => `I${i}`);
const registry = createRegistry([tickFeed, ...builtinRegistry.all().filter((p) => p.kind === "health" || p.name === "console")]);
const toml = `[bot]\ndata_dir = "/tmp/edgewatch-http-bench"\n[alerts]\noutbox_path = ":memory:"\n[feeds.wide]\nplugin = "tick"\ninterval_ms = 1000\ninstruments = [${ids.map((i) => `"${i}"`).join(",")}]\n`;
const config = await loadConfigSource(toml, "/tmp/edgewatch-http-bench.toml", { registry, env: {} });
const clock = new ManualClock(1_800_000_000_000);
const runtime = new Runtime(config, { clock, log: silentLogger, schedules: false });
await runtime.start();
const h = config.core.health;
const health = await startHealthRunner({
  bus: runtime.bus, clock, log: silentLogger, store: runtime.store, view: runtime.view, botName: "bench", configDir: "/tmp",
  settings: { heartbeatTimeoutMs: h.heartbeat_timeout_ms, maxQuoteAgeMs: h.max_quote_age_ms, maxLatencyMs: h.max_latency_ms, minUpdatesPerS: h.min_updates_per_s },
  intervalMs: 60_000, checks: config.instances.filter((i) => i.kind === "health"),
});
const sources = botSources(runtime, health, async () => ({ ok: true, started: [], stopped: [], kept: [] }));
const app = createHttpApp(sources);
clock.advance(1000);

async function time(runs: number, fn: () => Promise<unknown>): Promise<number[]> {
  await fn();
  const out: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t0 = Bun.nanoseconds();
    await fn();
    out.push((Bun.nanoseconds() - t0) / 1e6);
  }
  return out;
}

const rows: string[][] = [];
const add = (what: string, ms: number[], extra = "") => rows.push([what, median(ms).toFixed(2), Math.min(...ms).toFixed(2), Math.max(...ms).toFixed(2), extra]);

let bytes = 0;
add("GET /metrics", await time(15, async () => void (bytes = (await (await app.handle(new Request("http://localhost/metrics"))).text()).length)), `${(bytes / 1024).toFixed(1)} KiB`);
add("GET /api/quotes", await time(15, async () => void (bytes = (await (await app.handle(new Request("http://localhost/api/quotes"))).text()).length)), `${(bytes / 1024 / 1024).toFixed(2)} MiB`);
add("7 built-in health checks, one run", await time(15, () => health.runOnce()));

// SSE: a feed tick that moves every book, without and with a batch stream open (the difference is the
// stream's cost: 10,000 quote events coalesced, one row each, one JSON batch)
const tick: number[] = [];
for (let r = 0; r < 9; r++) {
  const t0 = Bun.nanoseconds();
  clock.advance(1000);
  tick.push((Bun.nanoseconds() - t0) / 1e6);
}
add("feed tick moving 10,000 books, no stream", tick.slice(1));
const res = await app.handle(new Request("http://localhost/api/stream?batch=1&throttle_ms=1000"));
const reader = res.body!.getReader();
await reader.read();
const withStream: number[] = [];
for (let r = 0; r < 9; r++) {
  const t0 = Bun.nanoseconds();
  clock.advance(1000); // the feed ticks, then the flush timer fires
  withStream.push((Bun.nanoseconds() - t0) / 1e6);
  for (;;) {
    const { value } = await reader.read();
    if (value !== undefined && new TextDecoder().decode(value).includes("event: quotes")) break;
  }
}
add("same tick + SSE flush of 10,000 quotes (batch)", withStream.slice(1), `stream cost ≈ ${(median(withStream.slice(1)) - median(tick.slice(1))).toFixed(1)} ms`);
await reader.cancel();

console.log(`### HTTP at ${N.toLocaleString("en-US")} instruments (ms)\n`);
console.log(table(["what", "median", "min", "max", "size"], rows));
await health.stop();
await runtime.stop();
