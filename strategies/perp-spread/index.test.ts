import { describe, expect, it } from "bun:test";
import { parse as parseToml } from "smol-toml";
import * as v from "valibot";
import type { Level } from "../../core/events.ts";
import { refTwoVenue, testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { perpSpreadConfig } from "./config.ts";
import { annualize, marketOf, perpSpread } from "./index.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

const base = { feeds: ["a", "b"], taker_fee_bps: { a: 5, b: 5 }, min_edge_bps: 10 };
const A = { bids: [[99, 1]] as Level[], asks: [[100, 1], [101, 2]] as Level[] };
const B = { bids: [[102, 1.5], [101.5, 1]] as Level[], asks: [[103, 1]] as Level[] };

async function start(extra: Record<string, unknown> = {}) {
  const h = await testStrategy(perpSpread, { ...base, ...extra }, { live: ["a", "b"] });
  return h;
}
function both(h: StrategyHarness, a = A, b = B, keyB = "BTC-USDT-PERP") {
  h.book("a", "BTC-USDT-SWAP", a, { key: "BTC-USDT-PERP" });
  h.book("b", "BTCUSDT", b, { key: keyB });
}
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("perp-spread", () => {
  it("does open buy-on-a / sell-on-b with the exact edge, size and execution plan", async () => {
    const h = await start();
    both(h);
    expect(h.opened).toHaveLength(1);
    const o = h.opened[0]!;
    near(o.sizeUsd, 251.5);
    near(o.edgeBps, (1e4 * (3 - 0.253)) / 251.5);
    near(o.profitUsd, 3 - 0.253);
    near(o.details!.grossBps as number, (1e4 * 3) / 251.5);
    expect(o.legs.map((l) => [l.feed, l.instrument, l.side, l.size, l.worstPrice])).toEqual([
      ["a", "BTC-USDT-SWAP", "buy", 2.5, 101],
      ["b", "BTCUSDT", "sell", 2.5, 101.5],
    ]);
    near(o.legs[0]!.vwap, 251.5 / 2.5);
    await h.stop();
  });

  it("does evaluate the other direction as its own opportunity", async () => {
    const h = await start();
    both(h, { bids: [[102, 1]], asks: [[103, 1]] }, { bids: [[99, 1]], asks: [[100, 1]] });
    expect(h.opened).toHaveLength(1);
    expect(h.opened[0]!.legs.map((l) => `${l.side}@${l.feed}`)).toEqual(["buy@b", "sell@a"]);
    await h.stop();
  });

  it("does solve the threshold inside a level, and not open just below the best level's edge", async () => {
    const h = await start({ min_edge_bps: 150 });
    both(h);
    near(h.opened[0]!.details!.baseSize as number, 1.5 + 0.09075 / 1.11625);
    near(h.opened[0]!.edgeBps, 150);
    await h.stop();
    const best = (1e4 * (102 * 0.9995 - 100 * 1.0005)) / 100;
    const below = await start({ min_edge_bps: best + 1e-6 });
    both(below);
    expect(below.opened).toHaveLength(0);
    await below.stop();
  });

  it("does find nothing when taker fees eat the gross edge", async () => {
    const h = await start({ taker_fee_bps: { a: 100, b: 100 }, min_edge_bps: 0 });
    both(h);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual([]);
    await h.stop();
  });

  it("does limit the size to the thinner book and to size_usd", async () => {
    const h = await start({ size_usd: 150 });
    both(h);
    near(h.opened[0]!.sizeUsd, 150);
    near(h.opened[0]!.details!.baseSize as number, 1 + 50 / 101);
    await h.stop();
  });

  it("does suppress a stale, a resyncing and a crossed leg", async () => {
    const h = await start();
    both(h);
    h.frame("b", (w) => w.markStale("BTCUSDT"));
    h.book("a", "BTC-USDT-SWAP", A, { key: "BTC-USDT-PERP" });
    h.resync("a", "BTC-USDT-SWAP");
    h.book("b", "BTCUSDT", B, { key: "BTC-USDT-PERP" });
    h.book("a", "BTC-USDT-SWAP", { bids: [[100.5, 1]], asks: A.asks }, { key: "BTC-USDT-PERP" });
    expect(h.opened).toHaveLength(1);
    expect(h.closed.map((c) => c.reason)).toEqual(["stale"]);
    expect(suppressed(h)).toEqual(["stale", "resyncing", "crossed"]);
    await h.stop();
  });

  it("does open, update and close with its duration", async () => {
    const h = await start();
    both(h);
    h.advance(1000);
    h.book("b", "BTCUSDT", { bids: [[103, 1.5], [101.5, 1]], asks: [[104, 1]] }, { key: "BTC-USDT-PERP" });
    expect(h.updated).toHaveLength(1);
    h.advance(1000);
    h.book("b", "BTCUSDT", { bids: [[100, 1.5]], asks: [[104, 1]] }, { key: "BTC-USDT-PERP" });
    expect(h.closed.map((c) => [c.reason, c.durationMs])).toEqual([["edge_gone", 2000]]);
    await h.stop();
  });

  it("does pair different quote currencies only through quote_rates", async () => {
    const none = await start();
    both(none, A, B, "BTC-USDC-PERP");
    expect(none.opened).toHaveLength(0);
    await none.stop();
    const half = { bids: B.bids.map(([p, s]) => [p / 2, s] as const), asks: B.asks.map(([p, s]) => [p / 2, s] as const) };
    const h = await start({ quote_rates: { USDC_USDT: 2 } });
    both(h, A, half, "BTC-USDC-PERP");
    near(h.opened[0]!.edgeBps, (1e4 * (3 - 0.253)) / 251.5);
    expect(h.opened[0]!.details!.quoteRate).toBe(2);
    await h.stop();
  });

  it("does show funding beside the edge without folding it in", async () => {
    const h = await start();
    const fund = (feed: string, instrument: string, rate: number) =>
      h.emit("funding", { feed, instrument, key: "BTC-USDT-PERP", tsEvent: 0, tsRecv: 0, rate, intervalMs: 3_600_000 });
    fund("a", "BTC-USDT-SWAP", 0.0001);
    fund("b", "BTCUSDT", 0.0003);
    both(h);
    const d = h.opened[0]!.details!;
    expect(d.fundingBuy).toBe(0.0001);
    near(d.fundingAnnualizedDiff as number, annualize(0.0002, 3_600_000));
    near(h.opened[0]!.edgeBps, (1e4 * (3 - 0.253)) / 251.5);
    await h.stop();
  });

  it("does agree with refTwoVenue on random books", async () => {
    let r = 11;
    const rnd = () => ((r = (r * 16807) % 2147483647) - 1) / 2147483646;
    let signals = 0;
    for (let t = 0; t < 60; t++) {
      const ladder = (start: number, dir: number): Level[] => {
        let p = start;
        return Array.from({ length: 4 }, () => [(p += dir * (0.01 + rnd() * 0.1)), 0.1 + rnd() * 2] as const);
      };
      const asks = ladder(99.9 + rnd() * 0.2, 1);
      const bids = ladder(100.05 + rnd() * 0.3, -1);
      const fees = { a: rnd() * 5, b: rnd() * 5 };
      const limits = { min_edge_bps: rnd() * 20, size_usd: 50 + rnd() * 300 };
      const h = await start({ taker_fee_bps: fees, ...limits });
      both(h, { bids: [[asks[0]![0] - 1, 1]], asks }, { bids, asks: [[bids[0]![0] + 1, 1]] });
      const want = refTwoVenue(
        { levels: asks, feeAt: (p) => (p * fees.a) / 1e4 },
        { levels: bids, feeAt: (p) => (p * fees.b) / 1e4 },
        { minEdgeBps: limits.min_edge_bps, sizeUsd: limits.size_usd },
      );
      const o = h.opened.find((x) => x.legs[0]!.feed === "a");
      if (want === null) expect(o).toBeUndefined();
      else {
        signals++;
        near(o!.edgeBps, want.edgeBps);
        near(o!.sizeUsd, want.sizeUsd);
        expect(o!.sizeUsd).toBeLessThanOrEqual(limits.size_usd * (1 + 1e-12));
      }
      await h.stop();
    }
    expect(signals).toBeGreaterThan(5);
    expect(signals).toBeLessThan(55);
  });

  it("does take a feed's fee from the feed's own taker_fee_bps when the strategy has no entry", async () => {
    const h = await testStrategy(perpSpread, { feeds: ["a", "b"], min_edge_bps: 10 }, { live: ["a", "b"], feeds: { a: { plugin: "x", takerFeeBps: 5 }, b: { plugin: "y", takerFeeBps: 5 } } });
    both(h);
    expect(h.opened).toHaveLength(1);
    near(h.opened[0]!.profitUsd, 3 - 0.253);
    near(h.opened[0]!.details!.feesUsd as number, 0.253);
    await h.stop();
  });

  it("does let the strategy's taker_fee_bps entry win over the feed's", async () => {
    const feeds = { a: { plugin: "x", takerFeeBps: 50 }, b: { plugin: "y", takerFeeBps: 50 } };
    const h = await testStrategy(perpSpread, { ...base, taker_fee_bps: { a: 5 } }, { live: ["a", "b"], feeds });
    both(h);
    expect(h.opened).toHaveLength(1);
    // a at 5 bps (its strategy entry, not the feed's 50), b at 50 bps (the feed's, no entry)
    const [buy, sell] = h.opened[0]!.legs;
    near(buy!.feeUsd, buy!.notionalUsd * 5e-4);
    near(sell!.feeUsd, sell!.notionalUsd * 5e-3);
    await h.stop();
  });

  it("does give no signal for a pair whose fee is unknown, counted as fee_unknown and logged once", async () => {
    const h = await testStrategy(perpSpread, { feeds: ["a", "b"], min_edge_bps: 10 }, { live: ["a", "b"], feeds: { a: { plugin: "x", takerFeeBps: 5 } } });
    both(h);
    both(h);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual(["fee_unknown", "fee_unknown"]);
    expect(h.logs.filter((l) => l.includes("no taker fee known")).length).toBe(1);
    await h.stop();
  });

  it("does accept the example table of SURFACE.md (no taker_fee_bps)", () => {
    const table = parseToml(`
[strategies.perp_spread]
plugin = "perp-spread"
feeds = ["okx", "hyperliquid"]
quote_rates = { USDC_USDT = 1.0 }
min_edge_bps = 5
size_usd = 10000
`) as { strategies: { perp_spread: Record<string, unknown> } };
    const { plugin, ...rest } = table.strategies.perp_spread;
    expect(plugin).toBe(perpSpread.name);
    const parsed = v.safeParse(perpSpreadConfig, rest);
    expect(parsed.issues).toBeUndefined();
    expect(parsed.success && parsed.output.taker_fee_bps).toEqual({});
  });
});

describe("marketOf", () => {
  it("does group keys by market apart from the quote", () => {
    expect(marketOf("BTC-USDT-PERP")).toEqual({ group: "BTC-PERP", quote: "USDT" });
    expect(marketOf("weird")).toEqual({ group: "weird", quote: undefined });
  });
});
