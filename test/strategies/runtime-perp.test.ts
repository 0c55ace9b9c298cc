import { afterAll, describe, expect, it } from "bun:test";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ManualClock } from "../../core/clock.ts";
import { loadConfigSource } from "../../core/config/load.ts";
import type { Level, Opportunity, OpportunityClosed } from "../../core/events.ts";
import { createLogger, MemorySink } from "../../core/log.ts";
import type { BookView } from "../../core/market.ts";
import { Runtime } from "../../core/runtime.ts";
import { refTwoVenue } from "../../core/testing.ts";
import { builtinRegistry } from "../../plugins/builtins.ts";

const file = join(import.meta.dir, "runtime-perp.toml");
// a fresh data dir per run: with a fixed clock start, alert ids repeat across runs, and a reused outbox
// would suppress them as duplicates
const dataDir = mkdtempSync(join(tmpdir(), "edgewatch-runtime-perp-"));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const source = `[bot]
data_dir = "${dataDir.replaceAll("\\", "/")}"

[feeds.venue_a]
plugin = "demo"
seed = 11
interval_ms = 200
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[feeds.venue_b]
plugin = "demo"
seed = 23
interval_ms = 250
dislocation_every_ms = 3000
dislocation_bps = -30
instruments = [{ id = "BTC-PERP", key = "BTC-USD-PERP", start_price = 60000, tick = 0.5 }]

[strategies.perp]
plugin = "perp-spread"
feeds = ["venue_a", "venue_b"]
taker_fee_bps = { venue_a = 5, venue_b = 4.5 }
min_edge_bps = 2
size_usd = 10000
min_duration_ms = 200
`;

function levels(book: BookView, side: "bid" | "ask"): Level[] {
  return Array.from({ length: book.levels(side) }, (_, i) => [book.price(side, i), book.size(side, i)] as const);
}

const near = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

describe("perp-spread in the runtime (demo venues, manual clock)", () => {
  it("does open only figures the reference confirms on the books of that moment, and close them with a duration", async () => {
    const clock = new ManualClock(1_700_000_000_000);
    const rt = new Runtime(await loadConfigSource(source, file, { registry: builtinRegistry, env: {} }), {
      clock,
      log: createLogger({ sink: new MemorySink() }),
      schedules: false,
    });
    const fee: Record<string, number> = { venue_a: 5, venue_b: 4.5 };
    const opened: Opportunity[] = [];
    const closed: OpportunityClosed[] = [];
    const mismatches: string[] = [];
    rt.bus.on("opportunity.open", (o) => {
      opened.push(o);
      const [buy, sell] = o.legs;
      const bb = rt.store.book(buy!.feed, buy!.instrument)!;
      const sb = rt.store.book(sell!.feed, sell!.instrument)!;
      const want = refTwoVenue(
        { levels: levels(bb, "ask"), feeAt: (p) => (p * fee[buy!.feed]!) / 1e4 },
        { levels: levels(sb, "bid"), feeAt: (p) => (p * fee[sell!.feed]!) / 1e4 },
        { minEdgeBps: 2, sizeUsd: 10000 },
      );
      if (want === null || !near(o.edgeBps, want.edgeBps) || !near(o.sizeUsd, want.sizeUsd)) mismatches.push(`${o.id}: ${o.edgeBps} vs ${want?.edgeBps}`);
    });
    rt.bus.on("opportunity.close", (o) => closed.push(o));
    rt.bus.emit("feed.status", { feed: "venue_a", state: "live", reasons: [], ts: clock.now() });
    rt.bus.emit("feed.status", { feed: "venue_b", state: "live", reasons: [], ts: clock.now() });
    await rt.start();
    for (let i = 0; i < 300; i++) clock.advance(100);
    expect(opened.length).toBeGreaterThan(0);
    expect(mismatches).toEqual([]);
    expect(opened.every((o) => o.edgeBps >= 2 - 1e-9 && o.sizeUsd <= 10000 * (1 + 1e-12))).toBe(true);
    expect(closed.length).toBeGreaterThan(0);
    expect(closed.every((c) => c.durationMs === c.closedAt - c.openedAt && c.durationMs >= 0)).toBe(true);
    // A feed going down closes what it carries at once, and the runtime's view follows the bus.
    for (let i = 0; i < 300 && rt.view.opportunities().length === 0; i++) clock.advance(50);
    expect(rt.view.opportunities()).toHaveLength(1);
    rt.bus.emit("feed.status", { feed: "venue_b", state: "reconnecting", reasons: ["test"], ts: clock.now() });
    expect(rt.view.opportunities()).toEqual([]);
    expect(closed.at(-1)!.reason).toBe("feed_down");
    await rt.stop();
  });
});
