/**
 * Walking a book side (SIGNALS.md): levels best first, any fraction of a level may be taken, levels of
 * size 0 are ignored. A buy walks the asks (cost), a sell walks the bids (proceeds). VWAP excludes fees;
 * the worst price is the deepest level from which a positive amount is taken.
 */
import type { OpportunityLeg } from "../events.ts";
import type { BookSide, BookView } from "../market.ts";
import { type FeeModel, feePerUnit } from "./fees.ts";

/** Buy takes the asks, sell hits the bids. */
export type TradeSide = "buy" | "sell";

/** What the solvers and walkers read: a book and how to trade it. */
export interface LegInput {
  readonly book: BookView;
  readonly side: TradeSide;
  readonly fee: FeeModel;
  /**
   * Multiplies this leg's prices (and so its notional and fee) into the signal's currency: the quote
   * conversion hook for pairs quoted in different currencies. Default 1.
   */
  readonly rate?: number;
  /** Least base size the venue accepts for this leg; a smaller executable size is no signal. */
  readonly minOrderSize?: number;
}

/** The book side a trade side walks. */
export function bookSideOf(side: TradeSide): BookSide {
  return side === "buy" ? "ask" : "bid";
}

/** True when a level can be filled: positive finite size and a finite price. */
export function usableLevel(price: number, size: number): boolean {
  return size > 0 && Number.isFinite(size) && Number.isFinite(price);
}

/** Total usable size on the side a leg walks (its depth), in base units. */
export function legDepth(leg: LegInput): number {
  const side = bookSideOf(leg.side);
  const n = leg.book.levels(side);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const p = leg.book.price(side, i);
    const s = leg.book.size(side, i);
    if (usableLevel(p, s)) total += s;
  }
  return total;
}

/**
 * Fills `qty` base units on a leg, best level first. Returns the leg of an execution plan: notional
 * and fee converted by `rate`, VWAP and worst price in the venue's own prices. Takes what the book has
 * when `qty` exceeds its depth (`size` says how much).
 *
 * @example
 * const fill = walkLeg({ book, side: "buy", fee: bpsFee(5) }, 2.5);
 * fill.vwap; fill.worstPrice; fill.notionalUsd + fill.feeUsd; // the cost
 */
export function walkLeg(leg: LegInput, qty: number): OpportunityLeg {
  const side = bookSideOf(leg.side);
  const rate = leg.rate ?? 1;
  const n = leg.book.levels(side);
  // A remainder this small is rounding from the solver's sums, not a real take from the next level.
  const eps = qty * 1e-12;
  let left = qty;
  let filled = 0;
  let notional = 0;
  let fee = 0;
  let worst = Number.NaN;
  for (let i = 0; i < n && left > eps; i++) {
    const p = leg.book.price(side, i);
    const s = leg.book.size(side, i);
    if (!usableLevel(p, s)) continue;
    const take = s < left ? s : left;
    filled += take;
    notional += take * p;
    fee += take * feePerUnit(leg.fee, p);
    worst = p;
    left -= take;
  }
  return {
    feed: leg.book.feed,
    instrument: leg.book.instrument,
    key: leg.book.key,
    side: leg.side,
    size: filled,
    vwap: filled > 0 ? notional / filled : Number.NaN,
    worstPrice: worst,
    feeUsd: fee * rate,
    notionalUsd: notional * rate,
  };
}
