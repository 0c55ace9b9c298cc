import { describe, expect, it } from "bun:test";
import * as v from "valibot";
import { createOpportunityTracker, onInstruments, opportunityId, subjectOf, type TrackerOptions } from "./opportunities.ts";
import { defineStrategy } from "./plugin.ts";
import { bpsFee } from "./signals/fees.ts";
import { solveTwoVenue } from "./signals/kinds.ts";
import { testStrategy } from "./testing.ts";

/** Buys X on feed a, sells on feed b; the tracker does the rest. */
function pairStrategy(options: TrackerOptions) {
  return defineStrategy({
    name: "pair",
    description: "test pair",
    config: v.strictObject({ min_edge_bps: v.number() }),
    setup(ctx) {
      const opps = createOpportunityTracker(ctx, options);
      ctx.bus.on("frame.end", () => {
        const a = ctx.store.book("a", "X");
        const b = ctx.store.book("b", "X");
        if (a === undefined || b === undefined) return;
        const buy = { book: a, side: "buy" as const, fee: bpsFee(0) };
        const sell = { book: b, side: "sell" as const, fee: bpsFee(0) };
        opps.evaluate(subjectOf("pair", [buy, sell]), solveTwoVenue(buy, sell, { minEdgeBps: ctx.config.min_edge_bps }));
      });
      return { stop: () => {} };
    },
  });
}

async function start(options: TrackerOptions = {}) {
  const h = await testStrategy(pairStrategy(options), { min_edge_bps: 10 }, { live: ["a", "b"] });
  h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
  return h;
}

describe("createOpportunityTracker", () => {
  it("does open at once, alert with a stable key and the data age", async () => {
    const h = await start();
    h.advance(250);
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    expect(h.opened).toHaveLength(1);
    const o = h.opened[0]!;
    expect(o.id).toBe("pair:pair:buy:a:X|sell:b:X");
    expect(o.edgeBps).toBeCloseTo(100, 9);
    expect(o.sizeUsd).toBe(100);
    expect(h.alerts).toHaveLength(1);
    expect(h.alerts[0]!.key).toBe(`opportunity:${o.id}`);
    expect(h.alerts[0]!.kind).toBe("opportunity");
    expect(h.alerts[0]!.dataAgeMs).toBe(250);
    await h.stop();
  });

  it("does open only after the edge held for min_duration_ms", async () => {
    const h = await start({ minDurationMs: 1000 });
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(500);
    h.book("b", "X", { bids: [[100, 2]], asks: [[102, 1]] }); // edge gone: debounce restarts
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(999);
    expect(h.opened).toHaveLength(0);
    h.advance(1);
    expect(h.opened).toHaveLength(1);
    expect(h.opened[0]!.openedAt).toBe(h.clock.now());
    await h.stop();
  });

  it("does update only on a meaningful change, keep the peak, and close with its duration", async () => {
    const h = await start();
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(100);
    h.book("b", "X", { bids: [[101.005, 2]], asks: [[102, 1]] }); // +0.5 bps: no update
    expect(h.updated).toHaveLength(0);
    h.book("b", "X", { bids: [[102, 2]], asks: [[103, 1]] });
    expect(h.updated).toHaveLength(1);
    expect(h.updated[0]!.peakEdgeBps).toBeCloseTo(200, 9);
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    expect(h.updated.at(-1)!.peakEdgeBps).toBeCloseTo(200, 9);
    h.advance(400);
    h.book("b", "X", { bids: [[100.05, 2]], asks: [[102, 1]] });
    expect(h.closed).toHaveLength(1);
    expect(h.closed[0]!.reason).toBe("edge_gone");
    expect(h.closed[0]!.durationMs).toBe(500);
    expect(h.store).toBeDefined();
    await h.stop();
  });

  it("does close when a leg's feed goes stale without a new evaluation, and count it once", async () => {
    const h = await start();
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(50);
    h.status("b", "stale", ["no message in 30 s"]);
    expect(h.closed.map((c) => c.reason)).toEqual(["feed_down"]);
    h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
    h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
    expect(h.emitted("signal.suppressed").map((s) => s.reason)).toEqual(["feed_down"]);
    h.status("b", "live");
    expect(h.opened).toHaveLength(2);
    await h.stop();
  });

  it("does close on a resyncing leg and not reopen until it is live again", async () => {
    const h = await start();
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.resync("b", "X");
    expect(h.closed.map((c) => c.reason)).toEqual(["resyncing"]);
    h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
    expect(h.opened).toHaveLength(1);
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    expect(h.opened).toHaveLength(2);
    await h.stop();
  });

  it("does not alert again within cooldown_ms, and alerts on close when asked", async () => {
    const h = await start({ cooldownMs: 10_000, alertOnClose: true });
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.book("b", "X", { bids: [[100, 2]], asks: [[102, 1]] });
    h.advance(5_000);
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    expect(h.opened).toHaveLength(2);
    expect(h.alerts.map((a) => a.title.startsWith("closed"))).toEqual([false, true]);
    h.book("b", "X", { bids: [[100, 2]], asks: [[102, 1]] });
    h.advance(5_000);
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    expect(h.alerts.filter((a) => !a.title.startsWith("closed"))).toHaveLength(2);
    await h.stop();
  });

  it("does alert again when the edge improves by alertOnImproveBps since the last alert", async () => {
    const h = await start({ alertOnImproveBps: 50 });
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.book("b", "X", { bids: [[101.2, 2]], asks: [[102, 1]] });
    h.book("b", "X", { bids: [[101.5, 2]], asks: [[102, 1]] });
    h.book("b", "X", { bids: [[101.9, 2]], asks: [[102, 1]] });
    expect(h.updated).toHaveLength(3);
    expect(h.alerts.map((a) => a.title.split(":")[0])).toEqual(["pair X", "improved"]);
    expect(h.alerts[1]!.opportunity!.edgeBps).toBeCloseTo(150, 9);
    await h.stop();
  });

  it("does close everything when the strategy stops", async () => {
    const h = await start();
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    await h.stop();
    expect(h.closed.map((c) => c.reason)).toEqual(["stopped"]);
  });
});

describe("opportunityId", () => {
  it("does hash long identities and keep them stable", () => {
    const legs = Array.from({ length: 20 }, (_, i) => ({ feed: "pm", instrument: `${"9".repeat(70)}${i}`, side: "buy" as const }));
    const id = opportunityId("s", { kind: "negrisk", legs });
    expect(id.length).toBeLessThan(60);
    expect(opportunityId("s", { kind: "negrisk", legs: [...legs] })).toBe(id);
    expect(opportunityId("s", { kind: "negrisk", legs: legs.slice(1) })).not.toBe(id);
  });
});

describe("tracker.open", () => {
  it("does list open opportunities most profitable first", async () => {
    let tracker: ReturnType<typeof createOpportunityTracker> | undefined;
    const plugin = defineStrategy({
      name: "rank",
      description: "ranks",
      config: v.strictObject({}),
      setup(ctx) {
        tracker = createOpportunityTracker(ctx);
        ctx.bus.on("frame.end", () => {
          for (const inst of ["X", "Y"]) {
            const a = ctx.store.book("a", inst);
            const b = ctx.store.book("b", inst);
            if (a === undefined || b === undefined) continue;
            const buy = { book: a, side: "buy" as const, fee: bpsFee(0) };
            const sell = { book: b, side: "sell" as const, fee: bpsFee(0) };
            tracker!.evaluate(subjectOf("pair", [buy, sell]), solveTwoVenue(buy, sell, { minEdgeBps: 0 }));
          }
        });
        return {};
      },
    });
    const h = await testStrategy(plugin, {}, { live: ["a", "b"] });
    h.book("a", "X", { bids: [], asks: [[100, 1]] });
    h.book("b", "X", { bids: [[101, 1]], asks: [] });
    h.book("a", "Y", { bids: [], asks: [[100, 1]] });
    h.book("b", "Y", { bids: [[103, 1]], asks: [] });
    expect(tracker!.open().map((o) => o.legs[0]!.instrument)).toEqual(["Y", "X"]);
    expect(tracker!.stats()).toMatchObject({ open: 2, opened: 2, alerts: 2 });
    await h.stop();
  });
});

describe("onInstruments", () => {
  it("does call once per frame that changed one of its instruments, and never for others", async () => {
    const seen: string[][] = [];
    const plugin = defineStrategy({
      name: "watch",
      description: "watch",
      config: v.strictObject({}),
      setup(ctx) {
        onInstruments(ctx, [{ feed: "a", instrument: "X" }, { feed: "b", instrument: "X" }], (f) => seen.push([f.feed, ...f.instruments]));
        return {};
      },
    });
    const h = await testStrategy(plugin, {}, { live: ["a", "b"] });
    h.book("a", "Y", { bids: [[1, 1]], asks: [[2, 1]] });
    h.book("b", "Y", { bids: [[1, 1]], asks: [[2, 1]] });
    h.frame("a", (w) => {
      w.snapshot({ feed: "a", instrument: "X", key: "X", tsEvent: 0, tsRecv: 0, bids: [[1, 1]], asks: [[2, 1]] });
      w.snapshot({ feed: "a", instrument: "Y", key: "Y", tsEvent: 0, tsRecv: 0, bids: [[1, 1]], asks: [[2, 1]] });
    });
    h.book("b", "X", { bids: [[1, 1]], asks: [[2, 1]] });
    expect(seen).toEqual([["a", "X", "Y"], ["b", "X"]]);
    await h.stop();
  });
});
