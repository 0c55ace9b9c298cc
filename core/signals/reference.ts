/**
 * Reference computations, written separately from the solvers and straight from SIGNALS.md: plain
 * arrays, fees re-derived from the formulas, and q* found by bisection on the average edge (slow,
 * obviously right). Property tests compare every solver and built-in strategy against these.
 */

/** Levels of the side a leg walks (asks for a buy, bids for a sell), best first. */
export type RefLevels = readonly (readonly [number, number])[];

/** A leg for the reference: its walked side, a fee formula per unit at a price, a currency rate. */
export interface RefLeg {
  readonly levels: RefLevels;
  /** USD fee per base unit filled at price p (perp: `p × bps / 10⁴`; prediction: `rate × (p(1−p))^e`). */
  readonly feeAt: (p: number) => number;
  readonly rate?: number;
  readonly minOrderSize?: number;
}

/** Limits, as in SIGNALS.md. */
export interface RefLimits {
  readonly minEdgeBps: number;
  readonly sizeUsd?: number;
  readonly minSizeUsd?: number;
}

/** The reported figures. */
export interface RefSignal {
  readonly size: number;
  readonly sizeUsd: number;
  readonly edgeBps: number;
  readonly profitUsd: number;
  /** Per leg: VWAP (fees excluded) and the deepest price touched. */
  readonly legs: readonly { vwap: number; worstPrice: number }[];
}

/** Cost or proceeds of taking `q` from levels: notional, fees, VWAP, worst price. */
export function refWalk(leg: RefLeg, q: number): { notional: number; fees: number; vwap: number; worstPrice: number } {
  const rate = leg.rate ?? 1;
  let remaining = q;
  let notional = 0;
  let fees = 0;
  let got = 0;
  let worst = NaN;
  for (const [price, size] of leg.levels) {
    if (remaining <= q * 1e-12) break;
    if (!(size > 0)) continue;
    const take = Math.min(size, remaining);
    notional += price * take;
    fees += leg.feeAt(price) * take;
    got += take;
    worst = price;
    remaining -= take;
  }
  return { notional: notional * rate, fees: fees * rate, vwap: notional / got, worstPrice: worst };
}

function depthOf(legs: readonly RefLeg[]): number {
  let min = Infinity;
  for (const leg of legs) {
    let d = 0;
    for (const [, size] of leg.levels) if (size > 0) d += size;
    min = Math.min(min, d);
  }
  return min;
}

/** Largest q in (0, hi] with `ok(q)`, assuming ok holds on an interval starting at 0; 0 when none. */
function bisectLargest(hi: number, ok: (q: number) => boolean): number {
  if (!(hi > 0)) return 0;
  if (ok(hi)) return hi;
  let lo = 0;
  let up = hi;
  for (let i = 0; i < 200 && up - lo > 0; i++) {
    const mid = (lo + up) / 2;
    if (mid === lo || mid === up) break;
    if (ok(mid)) lo = mid;
    else up = mid;
  }
  return lo;
}

const meets = (edgeBps: number, min: number): boolean => edgeBps >= min - 1e-9;

interface Figures {
  edgeBps: number;
  capital: number;
  profit: number;
}

function refSolve(legs: readonly RefLeg[], limits: RefLimits, figures: (q: number) => Figures): RefSignal | null {
  const depth = depthOf(legs);
  if (!(depth > 0)) return null;
  // Below a millionth of the thinnest level the bisection would only be measuring rounding noise.
  const tiny = depth * 1e-12;
  if (!meets(figures(tiny).edgeBps, limits.minEdgeBps)) return null;
  // Inside the book the comparison is exact: where the average edge is nearly flat, a tolerance in bps
  // would move the crossing by far more than the 1e-9 relative agreement asked of the figures.
  const qEdge = bisectLargest(depth, (q) => figures(q).edgeBps >= limits.minEdgeBps);
  const cap = limits.sizeUsd ?? Infinity;
  const qCap = bisectLargest(depth, (q) => figures(q).capital <= cap);
  const q = Math.min(qEdge, qCap);
  if (!(q > 0)) return null;
  for (const leg of legs) if (q < (leg.minOrderSize ?? 0)) return null;
  const f = figures(q);
  if (f.capital < (limits.minSizeUsd ?? 0)) return null;
  const legFigs = legs.map((leg) => {
    const w = refWalk(leg, q);
    return { vwap: w.vwap, worstPrice: w.worstPrice };
  });
  return { size: q, sizeUsd: f.capital, edgeBps: f.edgeBps, profitUsd: f.profit, legs: legFigs };
}

/** Reference buy-all: `C(q)` with fees, `edge = 10⁴ (payout·q − C)/C`, capital `C`. */
export function refBuyAll(legs: readonly RefLeg[], limits: RefLimits, payout = 1): RefSignal | null {
  return refSolve(legs, limits, (q) => {
    let cost = 0;
    for (const leg of legs) {
      const w = refWalk(leg, q);
      cost += w.notional + w.fees;
    }
    return { edgeBps: (1e4 * (payout * q - cost)) / cost, capital: cost, profit: payout * q - cost };
  });
}

/** Reference split-and-sell: `P(q)` net of fees, `edge = 10⁴ (P − q)/q`, capital `q`. */
export function refSplitSell(legs: readonly RefLeg[], limits: RefLimits, payout = 1): RefSignal | null {
  return refSolve(legs, limits, (q) => {
    let proceeds = 0;
    for (const leg of legs) {
      const w = refWalk(leg, q);
      proceeds += w.notional - w.fees;
    }
    const minted = payout * q;
    return { edgeBps: (1e4 * (proceeds - minted)) / minted, capital: minted, profit: proceeds - minted };
  });
}

/** Reference two-venue: `edge = 10⁴ (sell − buy − fees)/buy`, capital = buy notional without fees. */
export function refTwoVenue(buy: RefLeg, sell: RefLeg, limits: RefLimits): RefSignal | null {
  return refSolve([buy, sell], limits, (q) => {
    const b = refWalk(buy, q);
    const s = refWalk(sell, q);
    const profit = s.notional - b.notional - b.fees - s.fees;
    return { edgeBps: (1e4 * profit) / b.notional, capital: b.notional, profit };
  });
}
