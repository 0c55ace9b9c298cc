/**
 * The arbitrage kinds of SIGNALS.md, sized and reported: buy-all (binary YES + NO, negRisk events,
 * cross-platform pairs), split-and-sell, and two-venue (perp) spreads. Each returns the figures an
 * opportunity reports, or why there is no signal.
 */
import type { OpportunityLeg } from "../events.ts";
import {
  type Binding,
  buyAllObjective,
  type Objective,
  solveSize,
  splitSellObjective,
  twoVenueObjective,
} from "./solve.ts";
import { type LegInput, walkLeg } from "./walk.ts";

/** Limits every kind takes (SURFACE.md knob names, camelCase). */
export interface SizeLimits {
  /** Net of fees; equality meets it (1e-9 tolerance). */
  readonly minEdgeBps: number;
  /** Most capital a signal may use; omitted = no cap but depth. */
  readonly sizeUsd?: number;
  /** Least capital worth a signal; default 0. */
  readonly minSizeUsd?: number;
}

/** A sized signal, in the terms of SIGNALS.md. */
export interface SizedSignal {
  readonly kind: "buy_all" | "split_sell" | "two_venue";
  /** q*: base units traded on every leg. */
  readonly size: number;
  /** The capital (SIGNALS.md): cost with fees (buy-all), minted amount (split), buy notional (two-venue). */
  readonly sizeUsd: number;
  /** Net of fees. */
  readonly edgeBps: number;
  /** Before fees. */
  readonly grossBps: number;
  readonly profitUsd: number;
  readonly feesUsd: number;
  /** Execution plan, one per leg in input order. */
  readonly legs: readonly OpportunityLeg[];
  readonly binding: Binding;
}

/** Why there is no signal. Only `below_min_order` is a suppression (a tradable edge the venue refuses). */
export type NoSignalReason = "no_depth" | "no_edge" | "below_min_size" | "below_min_order";

/** A signal, or why not. */
export type SolveResult =
  | { readonly ok: true; readonly signal: SizedSignal }
  | { readonly ok: false; readonly reason: NoSignalReason };

function solveWith(
  legs: readonly LegInput[],
  objective: Objective,
  limits: SizeLimits,
  report: (q: number, fills: OpportunityLeg[], binding: Binding) => SizedSignal,
): SolveResult {
  const { size, binding } = solveSize(legs, objective, limits.sizeUsd ?? Infinity);
  if (!(size > 0)) return { ok: false, reason: binding === "depth" && size === 0 ? "no_depth" : "no_edge" };
  for (const leg of legs) if (size < (leg.minOrderSize ?? 0)) return { ok: false, reason: "below_min_order" };
  const fills = legs.map((leg) => walkLeg(leg, size));
  const signal = report(size, fills, binding);
  if (signal.sizeUsd < (limits.minSizeUsd ?? 0)) return { ok: false, reason: "below_min_size" };
  return { ok: true, signal };
}

function sums(fills: readonly OpportunityLeg[]): { notional: number; fees: number } {
  let notional = 0;
  let fees = 0;
  for (const f of fills) {
    notional += f.notionalUsd;
    fees += f.feeUsd;
  }
  return { notional, fees };
}

/**
 * Buy q of every leg (all `side: "buy"`); the set pays `payout` per unit (1 for binary and negRisk).
 * `C(q)` = Σ cost with fees, `edgeBps = 10⁴ × (payout·q − C) / C`, `sizeUsd = C(q*)`.
 *
 * @example
 * const r = solveBuyAll([{ book: yes, side: "buy", fee }, { book: no, side: "buy", fee }], { minEdgeBps: 10, sizeUsd: 500 });
 * if (r.ok) console.log(r.signal.edgeBps, r.signal.sizeUsd);
 */
export function solveBuyAll(legs: readonly LegInput[], limits: SizeLimits, payout = 1): SolveResult {
  return solveWith(legs, buyAllObjective(legs.length, limits.minEdgeBps, payout), limits, (q, fills, binding) => {
    const { notional, fees } = sums(fills);
    const cost = notional + fees;
    const value = payout * q;
    return {
      kind: "buy_all",
      size: q,
      sizeUsd: cost,
      edgeBps: (1e4 * (value - cost)) / cost,
      grossBps: (1e4 * (value - notional)) / notional,
      profitUsd: value - cost,
      feesUsd: fees,
      legs: fills,
      binding,
    };
  });
}

/**
 * Mint q sets for `payout × q` and sell every leg (all `side: "sell"`) into the bids.
 * `P(q)` = Σ proceeds − fees, `edgeBps = 10⁴ × (P − q) / q`, `sizeUsd = q*` (the minted amount).
 */
export function solveSplitSell(legs: readonly LegInput[], limits: SizeLimits, payout = 1): SolveResult {
  return solveWith(legs, splitSellObjective(legs.length, limits.minEdgeBps, payout), limits, (q, fills, binding) => {
    const { notional, fees } = sums(fills);
    const minted = payout * q;
    const proceeds = notional - fees;
    return {
      kind: "split_sell",
      size: q,
      sizeUsd: minted,
      edgeBps: (1e4 * (proceeds - minted)) / minted,
      grossBps: (1e4 * (notional - minted)) / minted,
      profitUsd: proceeds - minted,
      feesUsd: fees,
      legs: fills,
      binding,
    };
  });
}

/**
 * Buy x on `buy`'s asks and sell x on `sell`'s bids (perps across venues). With both legs' `rate`
 * converting into one quote currency: `edgeBps = 10⁴ × (sell − buy − fees) / buy`, `sizeUsd = buy(x*)`
 * (notional without fees).
 */
export function solveTwoVenue(buy: LegInput, sell: LegInput, limits: SizeLimits): SolveResult {
  const legs = [
    { ...buy, side: "buy" as const },
    { ...sell, side: "sell" as const },
  ];
  return solveWith(legs, twoVenueObjective(limits.minEdgeBps), limits, (x, fills, binding) => {
    const b = fills[0]!;
    const s = fills[1]!;
    const fees = b.feeUsd + s.feeUsd;
    const profit = s.notionalUsd - b.notionalUsd - fees;
    return {
      kind: "two_venue",
      size: x,
      sizeUsd: b.notionalUsd,
      edgeBps: (1e4 * profit) / b.notionalUsd,
      grossBps: (1e4 * (s.notionalUsd - b.notionalUsd)) / b.notionalUsd,
      profitUsd: profit,
      feesUsd: fees,
      legs: fills,
      binding,
    };
  });
}
