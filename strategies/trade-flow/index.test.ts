import { describe, expect, it } from "bun:test";
import { testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { FlowWindow } from "./flow.ts";
import { tradeFlow } from "./index.ts";

const start = (extra: Record<string, unknown> = {}) =>
  testStrategy(tradeFlow, { feeds: ["a"], imbalance: 0.5, window_ms: 10_000, min_volume_usd: 1000, ...extra }, { live: ["a"] });
const buy = (h: StrategyHarness, usd: number) => h.trade("a", "X", { price: 100, size: usd / 100, side: "buy" });
const sell = (h: StrategyHarness, usd: number) => h.trade("a", "X", { price: 100, size: usd / 100, side: "sell" });
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("trade-flow", () => {
  it("does alert on an imbalance at the threshold with the exact volumes", async () => {
    const h = await start();
    buy(h, 750);
    sell(h, 250);
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]!.data).toMatchObject({ buyUsd: 750, sellUsd: 250, imbalance: 0.5 });
    await h.stop();
  });

  it("does not alert just below the imbalance or the volume", async () => {
    const h = await start();
    buy(h, 749.99);
    sell(h, 250.01);
    expect(h.alerts).toHaveLength(0);
    await h.stop();
    const thin = await start();
    buy(thin, 999);
    expect(thin.alerts).toHaveLength(0);
    await thin.stop();
  });

  it("does forget trades older than the window, even with no new trade", async () => {
    const h = await start();
    sell(h, 2000);
    expect(h.alerts).toHaveLength(1);
    h.advance(9_000);
    buy(h, 1500);
    expect(h.alerts).toHaveLength(1);
    h.advance(1_001);
    buy(h, 100);
    expect(h.alerts.map((a) => a.data!.imbalance)).toEqual([-1, 1]);
    await h.stop();
  });

  it("does hold the alert for min_duration_ms", async () => {
    const h = await start({ min_duration_ms: 2_000 });
    buy(h, 2000);
    h.advance(1_999);
    expect(h.alerts).toHaveLength(0);
    h.advance(1);
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]!.data!.heldMs).toBe(2_000);
    await h.stop();
  });

  it("does suppress while the feed is down, and while the instrument's book is resyncing", async () => {
    const h = await start();
    h.status("a", "reconnecting");
    buy(h, 2000);
    expect(h.alerts).toHaveLength(0);
    h.status("a", "live");
    h.book("a", "X", { bids: [[99, 1]], asks: [[101, 1]] });
    h.resync("a", "X");
    buy(h, 10);
    expect(h.alerts).toHaveLength(0);
    expect(suppressed(h)).toEqual(["feed_down", "resyncing"]);
    await h.stop();
  });
});

describe("trade-flow gating on the instrument's book", () => {
  it("does suppress a stale and a crossed book", async () => {
    const h = await start();
    h.frame("a", (w) => {
      w.snapshot({ feed: "a", instrument: "X", key: "X", tsEvent: h.clock.now(), tsRecv: h.clock.now(), bids: [[99, 1]], asks: [[101, 1]] });
      w.markStale("X");
    });
    buy(h, 2000);
    h.book("a", "X", { bids: [[102, 1]], asks: [[101, 1]] });
    buy(h, 10);
    expect(h.alerts).toHaveLength(0);
    expect(suppressed(h)).toEqual(["stale", "resyncing", "crossed"]);
    h.book("a", "X", { bids: [[99, 1]], asks: [[101, 1]] });
    buy(h, 10);
    expect(h.alerts).toHaveLength(1);
    await h.stop();
  });
});

describe("FlowWindow", () => {
  it("does keep running sums and reset exactly when empty", () => {
    const w = new FlowWindow();
    w.push(0, 0.1, 1);
    w.push(1, 0.2, -1);
    w.push(2, 0.3, 1);
    w.evict(1);
    expect(w.buy).toBeCloseTo(0.3, 15);
    expect(w.imbalance()).toBeCloseTo(0.2, 12);
    w.evict(3);
    expect([w.buy, w.sell, w.imbalance()]).toEqual([0, 0, 0]);
  });
});
