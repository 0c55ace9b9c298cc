import { describe, expect, it } from "bun:test";
import { testStrategy } from "edgewatch/testing";
import { example } from "./index.ts";

const config = {
  buy: { feed: "a", instrument: "X", taker_fee_bps: 5 },
  sell: { feed: "b", instrument: "X", taker_fee_bps: 5 },
  min_edge_bps: 10,
  min_duration_ms: 500,
};

describe("example", () => {
  it("does open after min_duration_ms with the edge after fees, and close when it is gone", async () => {
    const h = await testStrategy(example, config, { live: ["a", "b"] });
    h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(500);
    expect(h.opened).toHaveLength(1);
    // buy 1 at 100, sell 1 at 101, fees 0.05 % of each notional: (101 − 100 − 0.1005) / 100.
    expect(h.opened[0]!.edgeBps).toBeCloseTo(89.95, 9);
    expect(h.opened[0]!.sizeUsd).toBe(100);
    expect(h.alerts).toHaveLength(1);
    h.advance(1500);
    h.book("b", "X", { bids: [[100.1, 2]], asks: [[102, 1]] });
    expect(h.closed.map((c) => [c.reason, c.durationMs])).toEqual([["edge_gone", 1500]]);
    await h.stop();
  });

  it("does not open while a leg's feed is down", async () => {
    const h = await testStrategy(example, config, { live: ["a"] });
    h.book("a", "X", { bids: [[99, 1]], asks: [[100, 1]] });
    h.book("b", "X", { bids: [[101, 2]], asks: [[102, 1]] });
    h.advance(1000);
    expect(h.opened).toHaveLength(0);
    expect(h.emitted("signal.suppressed").map((s) => s.reason)).toEqual(["feed_down"]);
    await h.stop();
  });
});
