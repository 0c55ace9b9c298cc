import { describe, expect, it } from "bun:test";
import { bpsFee, curveFee, noFee } from "./fees.ts";
import { solveBuyAll, solveSplitSell, solveTwoVenue } from "./kinds.ts";
import { levelBook } from "./level-book.ts";
import { walkLeg } from "./walk.ts";

const near = (got: number, want: number) => expect(Math.abs(got - want)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(want)));

const yes = levelBook({ bids: [], asks: [[0.4, 100], [0.45, 100]] }, { feed: "pm", instrument: "yes" });
const no = levelBook({ bids: [], asks: [[0.5, 50], [0.52, 200]] }, { feed: "pm", instrument: "no" });
const pair = [
  { book: yes, side: "buy" as const, fee: noFee },
  { book: no, side: "buy" as const, fee: noFee },
];

describe("walkLeg", () => {
  it("does walk levels with VWAP, worst price and per-level fees", () => {
    const f = walkLeg({ book: yes, side: "buy", fee: curveFee(0.1, 1) }, 150);
    near(f.notionalUsd, 0.4 * 100 + 0.45 * 50);
    near(f.vwap, (0.4 * 100 + 0.45 * 50) / 150);
    expect(f.worstPrice).toBe(0.45);
    near(f.feeUsd, 100 * 0.1 * 0.4 * 0.6 + 50 * 0.1 * 0.45 * 0.55);
  });
  it("does ignore zero-size levels and take only what the book has", () => {
    const b = levelBook({ bids: [[10, 0], [9, 2]], asks: [] });
    const f = walkLeg({ book: b, side: "sell", fee: bpsFee(10) }, 5);
    expect(f.size).toBe(2);
    expect(f.worstPrice).toBe(9);
    near(f.feeUsd, 18 * 0.001);
  });
  it("does not count the next level as touched when the size ends on a boundary", () => {
    expect(walkLeg({ book: yes, side: "buy", fee: noFee }, 100).worstPrice).toBe(0.4);
  });
});

describe("solveBuyAll", () => {
  it("does take the whole thinnest leg when every level qualifies", () => {
    const r = solveBuyAll(pair, { minEdgeBps: 0 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.signal.size).toBe(200);
    expect(r.signal.binding).toBe("depth");
    near(r.signal.sizeUsd, 188);
    near(r.signal.edgeBps, (1e4 * 12) / 188);
    near(r.signal.profitUsd, 12);
    expect(r.signal.legs.map((l) => l.worstPrice)).toEqual([0.45, 0.52]);
  });
  it("does solve q* exactly inside the level where the threshold binds", () => {
    // On [100, 200]: C(q) = 0.97q − 6, so q − 1.07·C(q) = 0 at q = 6.42 / 0.0379.
    const r = solveBuyAll(pair, { minEdgeBps: 700 });
    if (!r.ok) throw new Error(r.reason);
    near(r.signal.size, 6.42 / 0.0379);
    near(r.signal.edgeBps, 700);
    expect(r.signal.binding).toBe("threshold");
  });
  it("does cap the capital at size_usd inside a level", () => {
    const r = solveBuyAll(pair, { minEdgeBps: 0, sizeUsd: 100 });
    if (!r.ok) throw new Error(r.reason);
    near(r.signal.size, 106 / 0.97);
    near(r.signal.sizeUsd, 100);
    expect(r.signal.binding).toBe("size_usd");
  });
  it("does count equality as meeting the threshold", () => {
    const a = levelBook({ bids: [], asks: [[0.5, 10], [0.6, 10]] });
    const r = solveBuyAll([{ book: a, side: "buy", fee: noFee }, { book: a, side: "buy", fee: noFee }], { minEdgeBps: 0 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.signal.size).toBe(10);
    expect(r.signal.edgeBps).toBe(0);
  });
  it("does find no edge when fees turn a gross edge negative", () => {
    const fee = curveFee(0.25, 1);
    const r = solveBuyAll(pair.map((l) => ({ ...l, fee })), { minEdgeBps: 0 });
    expect(r).toEqual({ ok: false, reason: "no_edge" });
  });
  it("does refuse sizes below min_size_usd and below a leg's min order size", () => {
    expect(solveBuyAll(pair, { minEdgeBps: 0, minSizeUsd: 189 })).toEqual({ ok: false, reason: "below_min_size" });
    expect(solveBuyAll([pair[0]!, { ...pair[1]!, minOrderSize: 201 }], { minEdgeBps: 0 })).toEqual({
      ok: false,
      reason: "below_min_order",
    });
  });
  it("does report no depth when a leg's side is empty", () => {
    const empty = levelBook({ bids: [], asks: [] });
    expect(solveBuyAll([pair[0]!, { book: empty, side: "buy", fee: noFee }], { minEdgeBps: 0 })).toEqual({ ok: false, reason: "no_depth" });
  });
});

describe("solveSplitSell", () => {
  it("does sell into both bids until the average edge reaches the threshold", () => {
    const y = levelBook({ bids: [[0.55, 10], [0.5, 100]], asks: [] });
    const n = levelBook({ bids: [[0.5, 20], [0.48, 100]], asks: [] });
    const r = solveSplitSell([{ book: y, side: "sell", fee: noFee }, { book: n, side: "sell", fee: noFee }], { minEdgeBps: 0 });
    if (!r.ok) throw new Error(r.reason);
    near(r.signal.size, 45);
    near(r.signal.sizeUsd, 45);
    near(r.signal.edgeBps, 0);
  });
});

describe("solveTwoVenue", () => {
  const a = levelBook({ bids: [], asks: [[100, 1], [101, 2]] }, { feed: "a", instrument: "X" });
  const b = levelBook({ bids: [[102, 1.5], [101.5, 1]], asks: [] }, { feed: "b", instrument: "X" });
  it("does size to the thinner leg with both legs' taker fees", () => {
    const r = solveTwoVenue({ book: a, side: "buy", fee: bpsFee(5) }, { book: b, side: "sell", fee: bpsFee(5) }, { minEdgeBps: 10 });
    if (!r.ok) throw new Error(r.reason);
    expect(r.signal.size).toBe(2.5);
    near(r.signal.sizeUsd, 251.5);
    near(r.signal.feesUsd, 0.0005 * (251.5 + 254.5));
    near(r.signal.edgeBps, (1e4 * (3 - 0.253)) / 251.5);
    near(r.signal.grossBps, (1e4 * 3) / 251.5);
  });
  it("does solve the threshold inside the binding level", () => {
    const r = solveTwoVenue({ book: a, side: "buy", fee: bpsFee(5) }, { book: b, side: "sell", fee: bpsFee(5) }, { minEdgeBps: 150 });
    if (!r.ok) throw new Error(r.reason);
    near(r.signal.size, 1.5 + 0.09075 / 1.11625);
    near(r.signal.edgeBps, 150);
  });
  it("does convert the sell leg's quote currency through its rate", () => {
    const half = levelBook({ bids: [[51, 1.5], [50.75, 1]], asks: [] });
    const plain = solveTwoVenue({ book: a, side: "buy", fee: bpsFee(5) }, { book: b, side: "sell", fee: bpsFee(5) }, { minEdgeBps: 10 });
    const conv = solveTwoVenue({ book: a, side: "buy", fee: bpsFee(5) }, { book: half, side: "sell", fee: bpsFee(5), rate: 2 }, { minEdgeBps: 10 });
    if (!plain.ok || !conv.ok) throw new Error("no signal");
    near(conv.signal.edgeBps, plain.signal.edgeBps);
    near(conv.signal.legs[1]!.notionalUsd, plain.signal.legs[1]!.notionalUsd);
    expect(conv.signal.legs[1]!.vwap).toBeCloseTo(plain.signal.legs[1]!.vwap / 2, 12);
  });
});
