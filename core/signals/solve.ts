/**
 * Executable size q* (SIGNALS.md): the largest size whose average edge still meets `min_edge_bps`,
 * capped by the capital limit and by the depth of the thinnest leg.
 *
 * Every kind reduces to one concave, piecewise linear function of the size q,
 * `g(q) = capital(q) × (edge(q) − min_edge)`, with g(0) = 0: the sizes that qualify are those with
 * g ≥ 0. The solver walks all legs' levels together; between two level boundaries every leg is linear,
 * so g and capital are linear and q* is solved exactly inside the segment where the threshold or the
 * cap binds (no stepping). Equality meets the threshold within 1e-9 bps.
 */
import { feePerUnit } from "./fees.ts";
import { type LegInput, bookSideOf, usableLevel } from "./walk.ts";

/** What stopped the size from growing. */
export type Binding = "threshold" | "size_usd" | "depth";

/**
 * The linear objective of one kind: per unit of q, at each leg's current level price p,
 * `g' = gConst + Σ (netCoef_i × net_i(p) + notionalCoef_i × notional_i(p))` and likewise for capital,
 * where `net` is the fee-inclusive price (plus fee for a buy, minus fee for a sell) and `notional` the
 * bare price, both multiplied by the leg's rate.
 */
export interface Objective {
  readonly gConst: number;
  readonly gNet: readonly number[];
  readonly gNotional: readonly number[];
  readonly capConst: number;
  readonly capNet: readonly number[];
  readonly capNotional: readonly number[];
}

/** The solved size and which limit bound it. */
export interface SolvedSize {
  readonly size: number;
  readonly binding: Binding;
}

interface Cursor {
  readonly leg: LegInput;
  readonly side: "bid" | "ask";
  readonly n: number;
  readonly sign: number;
  readonly rate: number;
  i: number;
  left: number;
  price: number;
}

/** Relative tolerance of the threshold in edge terms: 1e-9 bps = 1e-13 as a fraction. */
const EDGE_TOL = 1e-13;

function nextLevel(c: Cursor): boolean {
  for (c.i++; c.i < c.n; c.i++) {
    const p = c.leg.book.price(c.side, c.i);
    const s = c.leg.book.size(c.side, c.i);
    if (usableLevel(p, s)) {
      c.price = p;
      c.left = s;
      return true;
    }
  }
  return false;
}

/**
 * Solves q* for an objective over the legs (each leg trades the same base size q). Returns size 0
 * when no positive size qualifies (including a leg with no depth).
 */
export function solveSize(legs: readonly LegInput[], obj: Objective, capUsd: number): SolvedSize {
  const cursors: Cursor[] = [];
  for (const leg of legs) {
    const side = bookSideOf(leg.side);
    const c: Cursor = {
      leg,
      side,
      n: leg.book.levels(side),
      sign: leg.side === "buy" ? 1 : -1,
      rate: leg.rate ?? 1,
      i: -1,
      left: 0,
      price: 0,
    };
    if (!nextLevel(c)) return { size: 0, binding: "depth" };
    cursors.push(c);
  }
  if (!(capUsd > 0) || cursors.length === 0) return { size: 0, binding: "size_usd" };
  let q = 0;
  let g = 0;
  let cap = 0;
  for (;;) {
    let len = Infinity;
    let gs = obj.gConst;
    let cs = obj.capConst;
    for (let k = 0; k < cursors.length; k++) {
      const c = cursors[k]!;
      if (c.left < len) len = c.left;
      const notional = c.rate * c.price;
      const net = notional + c.sign * c.rate * feePerUnit(c.leg.fee, c.price);
      gs += obj.gNet[k]! * net + obj.gNotional[k]! * notional;
      cs += obj.capNet[k]! * net + obj.capNotional[k]! * notional;
    }
    let x = len;
    let binding: Binding | undefined;
    if (cs > 0 && cap + cs * len > capUsd) {
      x = Math.max(0, (capUsd - cap) / cs);
      binding = "size_usd";
    }
    const gEnd = g + gs * x;
    if (gEnd < -EDGE_TOL * Math.abs(cap + cs * x)) {
      const xt = gs < 0 ? Math.max(0, g / -gs) : 0;
      if (xt <= x) {
        x = xt;
        binding = "threshold";
      }
    }
    q += x;
    g += gs * x;
    cap += cs * x;
    if (binding !== undefined) return { size: q, binding };
    for (const c of cursors) {
      c.left = c.left === len ? 0 : c.left - len;
      if (c.left === 0 && !nextLevel(c)) return { size: q, binding: "depth" };
    }
  }
}

function fill(n: number, v: number): number[] {
  return new Array<number>(n).fill(v);
}

/** Buy every leg, each unit of the set pays `payout`: `g' = payout − (1 + m) × Σ net`, capital = Σ net. */
export function buyAllObjective(legCount: number, minEdgeBps: number, payout = 1): Objective {
  const m = minEdgeBps / 1e4;
  return {
    gConst: payout,
    gNet: fill(legCount, -(1 + m)),
    gNotional: fill(legCount, 0),
    capConst: 0,
    capNet: fill(legCount, 1),
    capNotional: fill(legCount, 0),
  };
}

/** Mint sets for `payout` each and sell every leg: `g' = Σ net − (1 + m) × payout`, capital = payout × q. */
export function splitSellObjective(legCount: number, minEdgeBps: number, payout = 1): Objective {
  const m = minEdgeBps / 1e4;
  return {
    gConst: -(1 + m) * payout,
    gNet: fill(legCount, 1),
    gNotional: fill(legCount, 0),
    capConst: payout,
    capNet: fill(legCount, 0),
    capNotional: fill(legCount, 0),
  };
}

/** Legs `[buy, sell]`: `g' = net_sell − net_buy − m × notional_buy`, capital = buy notional without fees. */
export function twoVenueObjective(minEdgeBps: number): Objective {
  const m = minEdgeBps / 1e4;
  return {
    gConst: 0,
    gNet: [-1, 1],
    gNotional: [-m, 0],
    capConst: 0,
    capNet: [0, 0],
    capNotional: [1, 0],
  };
}
