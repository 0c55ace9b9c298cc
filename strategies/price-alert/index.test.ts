import { describe, expect, it } from "bun:test";
import { testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { priceAlert } from "./index.ts";
import { MinMaxWindow } from "./window.ts";

const start = (extra: Record<string, unknown>) => testStrategy(priceAlert, { feeds: ["a"], ...extra }, { live: ["a"] });
/** A book whose mid is `mid` with a 0.02 spread. */
const at = (h: StrategyHarness, mid: number) => h.book("a", "X", { bids: [[mid - 0.01, 1]], asks: [[mid + 0.01, 1]] });
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("price-alert levels", () => {
  it("does alert when the mid reaches a level, once while it stays there", async () => {
    const h = await start({ levels: [{ instrument: "X", above: 100 }] });
    at(h, 99.99);
    expect(h.alerts).toHaveLength(0);
    at(h, 100);
    at(h, 100.5);
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]!.data).toEqual({ price: 100, level: 100, heldMs: 0 });
    at(h, 99);
    at(h, 101);
    expect(h.alerts).toHaveLength(2);
    await h.stop();
  });

  it("does not alert just short of a level", async () => {
    const h = await start({ levels: [{ instrument: "X", below: 50 }] });
    at(h, 50.000001);
    expect(h.alerts).toHaveLength(0);
    await h.stop();
  });

  it("does suppress a stale, a resyncing and a crossed book", async () => {
    const h = await start({ levels: [{ instrument: "X", above: 100 }] });
    h.frame("a", (w) => {
      w.snapshot({ feed: "a", instrument: "X", key: "X", tsEvent: 0, tsRecv: 0, bids: [[100, 1]], asks: [[100.02, 1]] });
      w.markStale("X");
    });
    h.book("a", "X", { bids: [[99, 1]], asks: [[99.02, 1]] });
    h.resync("a", "X");
    h.delta("a", "X", { bids: [[101, 1]] });
    h.book("a", "X", { bids: [[101, 1]], asks: [[100.5, 1]] });
    expect(h.alerts).toHaveLength(0);
    expect(suppressed(h)).toEqual(["stale", "resyncing", "crossed"]);
    await h.stop();
  });

  it("does use trade prices when asked, gated on the feed", async () => {
    const h = await start({ levels: [{ instrument: "X", above: 100 }], price: "trade" });
    h.trade("a", "X", { price: 100, size: 1, side: "buy" });
    h.status("a", "stale");
    h.trade("a", "X", { price: 99, size: 1, side: "buy" });
    h.trade("a", "X", { price: 101, size: 1, side: "buy" });
    expect(h.alerts).toHaveLength(1);
    // Once when the feed went down under an active alert, once for the new crossing at 101.
    expect(suppressed(h)).toEqual(["feed_down", "feed_down"]);
    await h.stop();
  });
});

describe("price-alert moves", () => {
  it("does alert on a move of move_pct within the window and not beyond it", async () => {
    const h = await start({ move_pct: 2, window_ms: 60_000 });
    at(h, 100);
    h.advance(30_000);
    at(h, 101.99);
    expect(h.alerts).toHaveLength(0);
    at(h, 102);
    expect(h.alerts.map((a) => a.key)).toEqual(["price-alert:a:X:up"]);
    expect(h.alerts[0]!.data!.movePct).toBeCloseTo(2, 12);
    await h.stop();
    const slow = await start({ move_pct: 2, window_ms: 60_000 });
    at(slow, 100);
    slow.advance(60_001);
    at(slow, 102);
    expect(slow.alerts).toHaveLength(0);
    await slow.stop();
  });

  it("does alert on a drop from the window's high", async () => {
    const h = await start({ move_pct: 1.5, window_ms: 10_000 });
    at(h, 100);
    at(h, 101);
    h.advance(1_000);
    at(h, 99.4);
    expect(h.alerts.map((a) => a.key)).toEqual(["price-alert:a:X:down"]);
    await h.stop();
  });
});

describe("MinMaxWindow", () => {
  it("does keep the min and max of the samples still in the window", () => {
    const w = new MinMaxWindow();
    const samples = [5, 3, 8, 1, 9, 2, 7];
    samples.forEach((v, t) => w.push(t, v));
    w.evict(4);
    expect([w.min(), w.max()]).toEqual([2, 9]);
    w.evict(5);
    expect([w.min(), w.max()]).toEqual([2, 7]);
    w.evict(7);
    expect(Number.isNaN(w.min())).toBe(true);
  });
});

describe("price-alert config", () => {
  it("does reject a level on a feed it does not read", async () => {
    await expect(start({ levels: [{ instrument: "X", feed: "b", above: 1 }] })).rejects.toThrow('feed "b" of level X is not in feeds');
  });
});
