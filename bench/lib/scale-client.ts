/**
 * One scale trial against clob-server.ts, in its own process: `bun bench/lib/scale-client.ts <wsUrl>
 * <httpUrl> <stagger ms>`. The real polymarket feed discovers every market on the fake Gamma, subscribes
 * 10,000 assets over 50 connections and waits until every book in the store is live. Prints the time
 * from start to all-live and this process's RSS then (and after a full GC), as one JSON line.
 */
import { loadConfigSource } from "../../core/config/load.ts";
import { silentLogger } from "../../core/log.ts";
import { createRegistry } from "../../core/registry.ts";
import { Runtime } from "../../core/runtime.ts";
import { type PolymarketFeedHandle, polymarketFeed } from "../../plugins/feeds/polymarket/index.ts";

/** What one scale trial reports. */
export interface ScaleResult {
  readonly assets: number;
  readonly connections: number;
  readonly ms: number;
  readonly rssMb: number;
  readonly rssAfterGcMb: number;
  readonly rssBeforeMb: number;
}

const [wsUrl = "", httpUrl = "", stagger = "20"] = process.argv.slice(2);
const ASSETS = 10_000;
const source = `[feeds.pm]
plugin = "polymarket"
ws_url = "${wsUrl}"
rest_url = "${httpUrl}"
gamma_url = "${httpUrl}"
connect_stagger_ms = ${stagger}
snapshot_timeout_ms = 0
rest_poll_ms = 0
[feeds.pm.discovery]
min_liquidity_usd = 0
page_size = 500`;
const cfg = await loadConfigSource(source, "scale.toml", { registry: createRegistry([polymarketFeed]), env: {} });
Bun.gc(true);
const rssBeforeMb = process.memoryUsage().rss / 2 ** 20;
const rt = new Runtime(cfg, { log: silentLogger, schedules: false });
const t0 = performance.now();
await rt.start();
const feed = rt.instances().get("pm")!.handle as PolymarketFeedHandle;
for (;;) {
  await Bun.sleep(5);
  let live = 0;
  for (const b of rt.store.books()) if (b.feed === "pm" && b.state === "live") live++;
  if (live === ASSETS) break;
  if (performance.now() - t0 > 120_000) throw new Error(`not all live within 120 s: ${live} live books`);
}
const ms = performance.now() - t0;
const rssMb = process.memoryUsage().rss / 2 ** 20;
Bun.gc(true);
const rssAfterGcMb = process.memoryUsage().rss / 2 ** 20;
const connections = feed.ws.connections().filter((c) => c.state === "live").length;
await rt.stop();
const result: ScaleResult = { assets: ASSETS, connections, ms, rssMb, rssAfterGcMb, rssBeforeMb };
console.log(JSON.stringify(result));
process.exit(0);
