// Polymarket feed: parse and parse+apply rates for price_change and book frames (through the real store
// writer, with the top cross-check and hash verification the feed runs), and time to all-live and RSS for
// 10,000 assets on loopback against the fake CLOB (50 connections of 200).
import { Bus, scopeBus } from "../core/bus.ts";
import { ManualClock, systemClock } from "../core/clock.ts";
import { loadConfigSource } from "../core/config/load.ts";
import { createLogger, MemorySink, silentLogger } from "../core/log.ts";
import { createRegistry } from "../core/registry.ts";
import { Runtime } from "../core/runtime.ts";
import { createMarketStore, defaultHealthSettings } from "../core/store.ts";
import { MarketBooks } from "../plugins/feeds/polymarket/books.ts";
import { PolymarketCatalog } from "../plugins/feeds/polymarket/catalog.ts";
import { type PolymarketFeedHandle, polymarketFeed } from "../plugins/feeds/polymarket/index.ts";
import { parseClobFrame } from "../plugins/feeds/polymarket/parse.ts";
import { FakeClob } from "../test/fakes/polymarket/clob.ts";
import { FakeGamma } from "../test/fakes/polymarket/gamma.ts";
import { FakeMarket, fakeIds } from "../test/fakes/polymarket/model.ts";
import { fmtRate, median, opsPerSecond, table } from "./stats.ts";

const RUNS = 7;
const FRAMES = 200_000;

// ---- frames: 100 markets, mirrored price_changes and 20-level books
const markets = Array.from({ length: 100 }, (_, i) => {
  const m = new FakeMarket({ index: i, ...fakeIds(i) });
  m.seed(0.5, 20);
  return m;
});
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
// books of the seeded state (what the feed starts from), then the changes
const bookFrames = markets.flatMap((m) => [JSON.stringify(m.book(m.yes, 1)), JSON.stringify(m.book(m.no, 1))]);
const changeFrames: string[] = [];
for (let i = 0; i < 50_000; i++) {
  const m = markets[i % markets.length]!;
  const side = rnd() < 0.5 ? "bid" : "ask";
  const price = side === "bid" ? 0.3 + Math.floor(rnd() * 19) / 100 : 0.51 + Math.floor(rnd() * 19) / 100;
  changeFrames.push(m.priceChange(m.set(side, Math.round(price * 100) / 100, rnd() < 0.2 ? 0 : 1 + Math.floor(rnd() * 900)), 1_700_000_000_000 + i));
}

function setupBooks() {
  const clock = new ManualClock(1_700_000_000_000);
  const bus = new Bus();
  const store = createMarketStore({ bus: scopeBus(bus, "store"), clock, health: defaultHealthSettings, log: silentLogger });
  bus.on("frame.end", () => {}, "strategy"); // a strategy listening, as in production
  const catalog = new PolymarketCatalog();
  const writer = store.writer("pm");
  const books = new MarketBooks({ feed: "pm", writer, catalog, bus: scopeBus(bus, "pm"), clock, verifyHash: true, checkTop: true, requestSnapshot: () => {}, onProblem: () => {} });
  const tokens = markets.flatMap((m) => [m.yes, m.no]);
  for (const m of markets) {
    catalog.upsert({ id: String(m.index), conditionId: m.conditionId, question: "", outcomes: ["Yes", "No"], clobTokenIds: [m.yes, m.no], negRisk: false, negRiskAugmented: false, negRiskOther: false, orderMinSize: 5, source: "static" });
  }
  books.subscribed(tokens, "subscribe");
  for (const f of bookFrames) books.onFrame(f, 1);
  return { books, store };
}

// ---- 10,000 assets on loopback
const baselineRss = (Bun.gc(true), process.memoryUsage().rss);

async function allLive(staggerMs: number): Promise<{ ms: number; conns: number; assets: number; rssMb: number; rssDeltaMb: number }> {
  Bun.gc(true);
  const clob = new FakeClob({ clock: systemClock, burstLimit: 1_000 });
  const gamma = new FakeGamma(clob.venue, () => Date.now());
  for (let i = 0; i < 5_000; i++) {
    const market = clob.addMarket();
    market.seed(0.5, 5);
    gamma.add({ id: String(i), markets: [{ market }] });
  }
  const source = `[feeds.pm]
plugin = "polymarket"
ws_url = "${clob.wsUrl}"
rest_url = "${clob.httpUrl}"
gamma_url = "${clob.httpUrl}"
connect_stagger_ms = ${staggerMs}
snapshot_timeout_ms = 0
rest_poll_ms = 0
[feeds.pm.discovery]
min_liquidity_usd = 0
page_size = 500`;
  const cfg = await loadConfigSource(source, "bench.toml", { registry: createRegistry([polymarketFeed]), env: {} });
  const rt = new Runtime(cfg, { log: createLogger({ sink: new MemorySink(), level: "error" }), schedules: false });
  const t0 = performance.now();
  await rt.start();
  const feed = rt.instances().get("pm")!.handle as PolymarketFeedHandle;
  for (;;) {
    await Bun.sleep(5);
    const subs = feed.tokens();
    if (subs.length === 10_000 && feed.books.counters.books >= 10_000 && subs.every((t) => rt.store.book("pm", t)?.state === "live")) break;
    if (performance.now() - t0 > 120_000) throw new Error("not all live within 120 s");
  }
  const ms = performance.now() - t0;
  const rss = process.memoryUsage().rss;
  const conns = feed.ws.connections().filter((c) => c.state === "live").length;
  await rt.stop();
  clob.stop();
  return { ms, conns, assets: 10_000, rssMb: rss / 2 ** 20, rssDeltaMb: (rss - baselineRss) / 2 ** 20 };
}

const live: string[][] = [];
for (const stagger of [300, 20]) {
  const runs = stagger === 300 ? 1 : 3;
  const results: Awaited<ReturnType<typeof allLive>>[] = [];
  for (let r = 0; r < runs; r++) results.push(await allLive(stagger));
  const m = (f: (x: (typeof results)[number]) => number) => median(results.map(f));
  live.push([
    `${stagger} ms${stagger === 300 ? " (default)" : ""}`,
    String(results[0]!.conns),
    "10,000",
    `${(m((x) => x.ms) / 1000).toFixed(2)} s`,
    `${m((x) => x.rssMb).toFixed(0)} MB`,
    `${m((x) => x.rssDeltaMb).toFixed(0)} MB`,
    String(runs),
  ]);
}
console.log("\n10,000 assets on loopback, fake CLOB in the same process (discovery → all books live)\n");
console.log(table(["connect_stagger_ms", "connections", "assets", "time to all-live", "RSS", "RSS over the bench's start", "runs (median)"], live));
console.log("");
const rows: string[][] = [];
const parseChange = opsPerSecond(RUNS, FRAMES, () => {
  for (let i = 0; i < FRAMES; i++) parseClobFrame(changeFrames[i % changeFrames.length]!, 1, "pm");
});
const parseBook = opsPerSecond(RUNS, FRAMES / 10, () => {
  for (let i = 0; i < FRAMES / 10; i++) parseClobFrame(bookFrames[i % bookFrames.length]!, 1, "pm");
});
// apply: one pass over the change sequence from freshly seeded books (every venue top must agree)
const applyChange = opsPerSecond(RUNS, changeFrames.length, () => {
  const { books } = setupBooks();
  for (const f of changeFrames) books.onFrame(f, 1);
  if (books.counters.topMismatches !== 0) throw new Error("bench books diverged from the venue's tops");
});
const applyBook = opsPerSecond(RUNS, FRAMES / 10, () => {
  const { books } = setupBooks();
  for (let i = 0; i < FRAMES / 10; i++) books.onFrame(bookFrames[i % bookFrames.length]!, 1);
  if (books.counters.hashMismatches !== 0) throw new Error("hash mismatch in bench");
});
rows.push(["parse price_change (2 entries)", fmtRate(median(parseChange))]);
rows.push(["parse + apply price_change (top checked, frame.end)", fmtRate(median(applyChange))]);
rows.push(["parse book (20 levels/side)", fmtRate(median(parseBook))]);
rows.push(["parse + apply book (SHA-1 hash verified)", fmtRate(median(applyBook))]);
console.log("Polymarket frames (msgs/s, median of 7)\n");
console.log(table(["frame", "rate"], rows));


