import { describe, expect, it } from "bun:test";
import type { Level } from "../events.ts";
import { type FeeModel, bpsFee, curveFee } from "./fees.ts";
import { type SizedSignal, type SolveResult, solveBuyAll, solveSplitSell, solveTwoVenue } from "./kinds.ts";
import { levelBook } from "./level-book.ts";
import { type RefLeg, type RefSignal, refBuyAll, refSplitSell, refTwoVenue } from "./reference.ts";
import type { LegInput } from "./walk.ts";

/** Seeded PRNG (mulberry32): the same books on every run. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A ladder best first: `dir` +1 for asks (rising), −1 for bids (falling); some levels empty. */
function ladder(r: () => number, start: number, dir: 1 | -1, step: number, lo: number, hi: number): Level[] {
  const out: Level[] = [];
  let p = start;
  const n = 1 + Math.floor(r() * 6);
  for (let i = 0; i < n && p > lo && p < hi; i++) {
    out.push([p, r() < 0.1 ? 0 : 1 + r() * 200]);
    p += dir * step * (0.2 + r());
  }
  return out;
}

function refFee(fee: FeeModel): (p: number) => number {
  if (fee.kind === "bps") return (p) => (p * fee.bps) / 10000;
  if (fee.kind === "min_side") return (p) => fee.rate * Math.min(p, 1 - p);
  return (p) => fee.rate * (p * (1 - p)) ** fee.exponent;
}

function toRef(levels: Level[], fee: FeeModel, rate = 1): RefLeg {
  return { levels, feeAt: refFee(fee), rate };
}

const close = (got: number, want: number) => Math.abs(got - want) <= 1e-9 * Math.max(1, Math.abs(want));

function depthOf(levels: Level[]): number {
  return levels.reduce((s, l) => s + l[1], 0);
}

/** Checks a solver result against the reference and the invariants; returns whether a signal exists. */
function compare(got: SolveResult, want: RefSignal | null, minEdgeBps: number, sizeUsd: number | undefined, depths: number[]): boolean {
  if (want === null) {
    expect(got.ok).toBe(false);
    return false;
  }
  if (!got.ok) throw new Error(`solver found no signal (${got.reason}) where the reference has ${JSON.stringify(want)}`);
  const s: SizedSignal = got.signal;
  const ok =
    close(s.size, want.size) &&
    close(s.sizeUsd, want.sizeUsd) &&
    close(s.edgeBps, want.edgeBps) &&
    close(s.profitUsd, want.profitUsd) &&
    s.legs.every((l, i) => close(l.vwap, want.legs[i]!.vwap) && l.worstPrice === want.legs[i]!.worstPrice);
  if (!ok) throw new Error(`mismatch: got ${JSON.stringify(s)} want ${JSON.stringify(want)}`);
  expect(s.edgeBps).toBeGreaterThanOrEqual(minEdgeBps - 1e-9);
  expect(s.size).toBeLessThanOrEqual(Math.min(...depths) * (1 + 1e-12));
  if (sizeUsd !== undefined) expect(s.sizeUsd).toBeLessThanOrEqual(sizeUsd * (1 + 1e-12));
  return true;
}

const TRIALS = 1500;

describe("buy-all against the reference", () => {
  it("does agree on random binary and negRisk books", () => {
    const r = rng(1);
    let signals = 0;
    for (let t = 0; t < TRIALS; t++) {
      const n = r() < 0.5 ? 2 : 2 + Math.floor(r() * 5);
      const books: Level[][] = [];
      for (let i = 0; i < n; i++) books.push(ladder(r, (1 / n) * (0.85 + r() * 0.2), 1, 0.01, 0, 1));
      const fee = r() < 0.4 ? curveFee(0, 1) : curveFee(r() * 0.1, r() < 0.5 ? 1 : 2);
      const minEdgeBps = r() * 400;
      const sizeUsd = r() < 0.5 ? 20 + r() * 300 : undefined;
      const legs: LegInput[] = books.map((asks) => ({ book: levelBook({ bids: [], asks }), side: "buy", fee }));
      const got = solveBuyAll(legs, { minEdgeBps, sizeUsd });
      const want = refBuyAll(books.map((b) => toRef(b, fee)), { minEdgeBps, sizeUsd });
      if (compare(got, want, minEdgeBps, sizeUsd, books.map(depthOf))) signals++;
    }
    // The generator must exercise both outcomes, or the comparison proves little.
    expect(signals).toBeGreaterThan(TRIALS / 10);
    expect(signals).toBeLessThan(TRIALS * 0.9);
  });
});

describe("split-and-sell against the reference", () => {
  it("does agree on random bid books", () => {
    const r = rng(2);
    let signals = 0;
    for (let t = 0; t < TRIALS; t++) {
      const books = [0, 1].map(() => ladder(r, 0.5 * (0.95 + r() * 0.15), -1, 0.01, 0, 1));
      const fee = r() < 0.4 ? curveFee(0, 1) : curveFee(r() * 0.05, 1);
      const minEdgeBps = r() * 300;
      const sizeUsd = r() < 0.5 ? 10 + r() * 200 : undefined;
      const legs: LegInput[] = books.map((bids) => ({ book: levelBook({ bids, asks: [] }), side: "sell", fee }));
      const got = solveSplitSell(legs, { minEdgeBps, sizeUsd });
      const want = refSplitSell(books.map((b) => toRef(b, fee)), { minEdgeBps, sizeUsd });
      if (compare(got, want, minEdgeBps, sizeUsd, books.map(depthOf))) signals++;
    }
    expect(signals).toBeGreaterThan(TRIALS / 10);
    expect(signals).toBeLessThan(TRIALS * 0.9);
  });
});

describe("two-venue against the reference", () => {
  it("does agree on random perp books, with quote conversion", () => {
    const r = rng(3);
    let signals = 0;
    for (let t = 0; t < TRIALS; t++) {
      const rate = r() < 0.7 ? 1 : 0.9 + r() * 0.2;
      const asks = ladder(r, 100 * (1 + (r() - 0.5) * 0.01), 1, 0.05, 0, 1e9);
      const bids = ladder(r, (100 * (1 + (r() - 0.3) * 0.01)) / rate, -1, 0.05, 0, 1e9);
      const feeA = bpsFee(r() * 10);
      const feeB = bpsFee(r() * 10);
      const minEdgeBps = r() * 40;
      const sizeUsd = r() < 0.5 ? 500 + r() * 20000 : undefined;
      const got = solveTwoVenue(
        { book: levelBook({ bids: [], asks }), side: "buy", fee: feeA },
        { book: levelBook({ bids, asks: [] }), side: "sell", fee: feeB, rate },
        { minEdgeBps, sizeUsd },
      );
      const want = refTwoVenue(toRef(asks, feeA), toRef(bids, feeB, rate), { minEdgeBps, sizeUsd });
      if (compare(got, want, minEdgeBps, sizeUsd, [depthOf(asks), depthOf(bids)])) signals++;
    }
    expect(signals).toBeGreaterThan(TRIALS / 10);
    expect(signals).toBeLessThan(TRIALS * 0.9);
  });
});
