import { describe, expect, it } from "bun:test";
import type { Level } from "../../core/events.ts";
import { type RefLeg, refBuyAll, testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { binaryArb } from "./index.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

const base = { feeds: ["pm"], markets: [{ yes: "Y", no: "N", name: "m1" }], fee_rate: 0, split_and_sell: false };
const YES: Level[] = [[0.4, 100], [0.45, 100]];
const NO: Level[] = [[0.5, 50], [0.52, 200]];

async function start(extra: Record<string, unknown> = {}) {
  return testStrategy(binaryArb, { ...base, ...extra }, { live: ["pm"] });
}

/** Both books in one frame (a prediction venue publishes both tokens' books together). */
function books(h: StrategyHarness, yesAsks: readonly Level[], noAsks: readonly Level[], yesBids: readonly Level[] = [], noBids: readonly Level[] = []) {
  h.frame("pm", (w) => {
    const t = h.clock.now();
    w.snapshot({ feed: "pm", instrument: "Y", key: "Y", tsEvent: t, tsRecv: t, bids: yesBids, asks: yesAsks });
    w.snapshot({ feed: "pm", instrument: "N", key: "N", tsEvent: t, tsRecv: t, bids: noBids, asks: noAsks });
  });
}

const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("binary-arb buy YES + NO", () => {
  it("does open with the exact edge and size when size_usd binds", async () => {
    const h = await start({ size_usd: 100 });
    books(h, YES, NO);
    expect(h.opened).toHaveLength(1);
    const o = h.opened[0]!;
    // Third segment: C(q) = 0.97q − 6 = 100.
    const q = 106 / 0.97;
    near(o.sizeUsd, 100);
    near(o.edgeBps, (1e4 * (q - 100)) / 100);
    near(o.profitUsd, q - 100);
    near(o.details!.shares as number, q);
    expect(o.kind).toBe("buy_both");
    expect(o.legs.map((l) => [l.instrument, l.side, l.worstPrice])).toEqual([["Y", "buy", 0.45], ["N", "buy", 0.52]]);
    expect(h.alerts).toHaveLength(1);
    await h.stop();
  });

  it("does solve the threshold inside a level and limit the size by depth", async () => {
    const h = await start({ min_edge_bps: 700 });
    books(h, YES, NO);
    near(h.opened[0]!.details!.shares as number, 6.42 / 0.0379);
    near(h.opened[0]!.edgeBps, 700);
    await h.stop();
    const d = await start();
    books(d, YES, NO);
    expect(d.opened[0]!.details!.shares).toBe(200);
    expect(d.opened[0]!.details!.binding).toBe("depth");
    near(d.opened[0]!.sizeUsd, 188);
    await d.stop();
  });

  it("does not open just below the threshold, and does at it", async () => {
    const best = (1e4 * 0.1) / 0.9;
    const below = await start({ min_edge_bps: best + 1e-6 });
    books(below, YES, NO);
    expect(below.opened).toHaveLength(0);
    expect(suppressed(below)).toEqual([]);
    await below.stop();
    const at = await start({ min_edge_bps: best });
    books(at, YES, NO);
    expect(at.opened).toHaveLength(1);
    near(at.opened[0]!.details!.shares as number, 50);
    await at.stop();
  });

  it("does find nothing when fees turn the gross edge negative", async () => {
    const h = await start({ fee_rate: 0.25 });
    books(h, YES, NO);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual([]);
    await h.stop();
  });

  it("does suppress a stale leg and close what was open", async () => {
    const h = await start();
    books(h, YES, NO);
    h.frame("pm", (w) => w.markStale("N"));
    expect(h.closed.map((c) => c.reason)).toEqual(["stale"]);
    h.book("pm", "N", { bids: [], asks: NO }); // fresh again
    expect(h.opened).toHaveLength(2);
    expect(suppressed(h)).toEqual(["stale"]);
    await h.stop();
  });

  it("does suppress a resyncing leg", async () => {
    const h = await start();
    books(h, YES, NO);
    h.resync("pm", "Y");
    h.delta("pm", "N", { asks: [[0.5, 60]] });
    expect(h.closed.map((c) => c.reason)).toEqual(["resyncing"]);
    expect(h.opened).toHaveLength(1);
    await h.stop();
  });

  it("does suppress a crossed book", async () => {
    const h = await start();
    books(h, YES, NO, [[0.41, 10]]);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toContain("crossed");
    await h.stop();
  });

  it("does open, update and close with its duration", async () => {
    const h = await start({ min_duration_ms: 200 });
    books(h, YES, NO);
    h.advance(200);
    expect(h.opened).toHaveLength(1);
    h.advance(300);
    h.book("pm", "N", { bids: [], asks: [[0.45, 50], [0.52, 200]] });
    expect(h.updated).toHaveLength(1);
    expect(h.updated[0]!.peakEdgeBps).toBeGreaterThan(h.opened[0]!.edgeBps);
    h.advance(500);
    h.book("pm", "N", { bids: [], asks: [[0.61, 500]] });
    expect(h.closed).toHaveLength(1);
    expect(h.closed[0]!.durationMs).toBe(800);
    expect(h.closed[0]!.reason).toBe("edge_gone");
    await h.stop();
  });

  it("does refuse a size below the market's min order size", async () => {
    const h = await start({ markets: [{ yes: "Y", no: "N", min_order_size: 250 }] });
    books(h, YES, NO);
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual(["below_min_order"]);
    await h.stop();
  });
});

describe("binary-arb split and sell", () => {
  it("does mint and sell when the bids sum above 1", async () => {
    const h = await start({ split_and_sell: true });
    books(h, [[0.6, 100]], [[0.55, 100]], [[0.55, 10], [0.5, 100]], [[0.5, 20], [0.48, 100]]);
    const o = h.opened.find((x) => x.kind === "split_sell")!;
    near(o.details!.shares as number, 45);
    near(o.sizeUsd, 45);
    near(o.edgeBps, 0);
    expect(o.legs.every((l) => l.side === "sell")).toBe(true);
    await h.stop();
  });
});

describe("binary-arb against the reference", () => {
  it("does agree with refBuyAll on random books, fees included", async () => {
    let r = 7;
    const rnd = () => ((r = (r * 16807) % 2147483647) - 1) / 2147483646;
    let signals = 0;
    for (let t = 0; t < 60; t++) {
      const ladder = (start: number): Level[] => {
        let p = start;
        return Array.from({ length: 4 }, () => [(p += 0.01 * (0.5 + rnd())), 10 + rnd() * 100] as const);
      };
      const yes = ladder(0.3 + rnd() * 0.2);
      const no = ladder(0.45 + rnd() * 0.1);
      const fee = { rate: rnd() * 0.05, exponent: 1 };
      const limits = { min_edge_bps: rnd() * 300, size_usd: 20 + rnd() * 100 };
      const h = await start({ fee_rate: fee.rate, ...limits });
      books(h, yes, no);
      const feeAt = (p: number) => fee.rate * p * (1 - p);
      const refLegs: RefLeg[] = [yes, no].map((levels) => ({ levels, feeAt }));
      const want = refBuyAll(refLegs, { minEdgeBps: limits.min_edge_bps, sizeUsd: limits.size_usd });
      if (want === null) expect(h.opened).toHaveLength(0);
      else {
        signals++;
        const o = h.opened[0]!;
        near(o.edgeBps, want.edgeBps);
        near(o.sizeUsd, want.sizeUsd);
        near(o.details!.shares as number, want.size);
        expect(o.edgeBps).toBeGreaterThanOrEqual(limits.min_edge_bps - 1e-9);
        expect(o.sizeUsd).toBeLessThanOrEqual(limits.size_usd * (1 + 1e-12));
      }
      await h.stop();
    }
    expect(signals).toBeGreaterThan(5);
    expect(signals).toBeLessThan(55);
  });
});
