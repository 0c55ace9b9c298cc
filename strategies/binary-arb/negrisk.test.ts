import { describe, expect, it } from "bun:test";
import type { Level, MarketNew } from "../../core/events.ts";
import { testStrategy, type StrategyHarness } from "../../core/testing.ts";
import { binaryArb } from "./index.ts";
import { feeFromMeta, marketFromNew } from "./meta.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

function asks(h: StrategyHarness, books: Record<string, readonly Level[]>) {
  h.frame("pm", (w) => {
    const t = h.clock.now();
    for (const [token, a] of Object.entries(books)) w.snapshot({ feed: "pm", instrument: token, key: token, tsEvent: t, tsRecv: t, bids: [], asks: a });
  });
}

function marketNew(id: string, yes: string, meta: Record<string, unknown>): MarketNew {
  return { feed: "pm", instrument: id, key: id, tsEvent: 0, tsRecv: 0, question: `${id}?`, outcomes: ["Yes", "No"], instruments: [yes, `${yes}-no`], meta };
}

const EVENT = { A: [[0.3, 100]], B: [[0.3, 100]], C: [[0.3, 50], [0.35, 100]] } as const;
const suppressed = (h: StrategyHarness) => h.emitted("signal.suppressed").map((s) => s.reason);

describe("binary-arb negRisk events", () => {
  it("does buy every YES of a complete static event", async () => {
    const h = await testStrategy(binaryArb, { feeds: ["pm"], fee_rate: 0, events: [{ name: "e", yes: ["A", "B", "C"] }] }, { live: ["pm"] });
    asks(h, EVENT as unknown as Record<string, Level[]>);
    const o = h.opened[0]!;
    expect(o.kind).toBe("negrisk");
    expect(o.legs).toHaveLength(3);
    near(o.sizeUsd, 92.5);
    near(o.edgeBps, (1e4 * 7.5) / 92.5);
    await h.stop();
  });

  it("does suppress an incomplete discovered event until its last outcome arrives", async () => {
    const h = await testStrategy(binaryArb, { feeds: ["pm"] }, { live: ["pm"] });
    const meta = { negRisk: true, negRiskMarketID: "ev", eventMarketCount: 3, feesEnabled: false };
    h.emit("market.new", marketNew("mA", "A", meta));
    h.emit("market.new", marketNew("mB", "B", meta));
    asks(h, { A: [[0.3, 100]], B: [[0.3, 100]] });
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual(["incomplete_event"]);
    h.emit("market.new", marketNew("mC", "C", meta));
    asks(h, { C: EVENT.C });
    expect(h.opened.map((o) => o.kind)).toEqual(["negrisk"]);
    await h.stop();
  });

  it("does skip an augmented event and say why once", async () => {
    const h = await testStrategy(binaryArb, { feeds: ["pm"] }, { live: ["pm"] });
    const meta = { negRisk: true, negRiskMarketID: "ev", eventMarketCount: 3, feesEnabled: false };
    h.emit("market.new", marketNew("mA", "A", meta));
    h.emit("market.new", marketNew("mB", "B", meta));
    h.emit("market.new", marketNew("mC", "C", { ...meta, negRiskOther: true }));
    asks(h, EVENT as unknown as Record<string, Level[]>);
    asks(h, EVENT as unknown as Record<string, Level[]>);
    expect(h.opened).toHaveLength(0);
    expect(h.logs.filter((l) => l.includes("augmented"))).toHaveLength(1);
    await h.stop();
  });

  it("does count fee_unknown when fees are on and no rate is known", async () => {
    const h = await testStrategy(binaryArb, { feeds: ["pm"] }, { live: ["pm"] });
    h.emit("market.new", marketNew("m", "Y", { feesEnabled: true, feeType: "brand_new_fees" }));
    asks(h, { Y: [[0.4, 10]], "Y-no": [[0.5, 10]] });
    expect(h.opened).toHaveLength(0);
    expect(suppressed(h)).toEqual(["fee_unknown"]);
    await h.stop();
  });

  it("does size with the market's fee schedule from its metadata", async () => {
    const h = await testStrategy(binaryArb, { feeds: ["pm"], split_and_sell: false }, { live: ["pm"] });
    h.emit("market.new", marketNew("m", "Y", { feesEnabled: true, feeSchedule: { rate: 0.04, exponent: 1 }, orderMinSize: "5" }));
    asks(h, { Y: [[0.4, 10]], "Y-no": [[0.5, 10]] });
    const cost = 10 * (0.4 + 0.04 * 0.4 * 0.6) + 10 * (0.5 + 0.04 * 0.5 * 0.5);
    near(h.opened[0]!.sizeUsd, cost);
    near(h.opened[0]!.edgeBps, (1e4 * (10 - cost)) / cost);
    await h.stop();
  });
});

describe("feeFromMeta", () => {
  it("does read disabled fees, schedules, documented fee types and unknowns", () => {
    expect(feeFromMeta({ feesEnabled: false }, undefined)).toEqual({ kind: "curve", rate: 0, exponent: 1 });
    expect(feeFromMeta({ feesEnabled: true, feeSchedule: { rate: "0.04", exponent: "1" } }, undefined)).toEqual({ kind: "curve", rate: 0.04, exponent: 1 });
    expect(feeFromMeta({ feesEnabled: true, feeType: "crypto_fees", feeSchedule: null }, undefined)).toEqual({ kind: "curve", rate: 0.07, exponent: 1 });
    expect(feeFromMeta({ feesEnabled: true, feeType: "new_fees" }, undefined)).toBeUndefined();
    expect(feeFromMeta({}, { kind: "curve", rate: 0.01, exponent: 2 })).toEqual({ kind: "curve", rate: 0.01, exponent: 2 });
  });
  it("does read negRisk membership and skip non-binary markets", () => {
    const m = marketFromNew(marketNew("m", "Y", { negRisk: true, negRiskMarketID: "ev", eventMarketCount: "4", negRiskAugmented: true }), undefined)!;
    expect(m.event).toEqual({ id: "ev", size: 4, augmented: true, other: false });
    expect(marketFromNew({ ...marketNew("m", "Y", {}), instruments: ["a", "b", "c"] }, undefined)).toBeUndefined();
  });
});

describe("binary-arb config", () => {
  it("does reject a market on a feed it does not read", async () => {
    await expect(testStrategy(binaryArb, { feeds: ["pm"], markets: [{ yes: "Y", no: "N", feed: "other" }] })).rejects.toThrow('feed "other" of a market or event is not in feeds');
  });
});
