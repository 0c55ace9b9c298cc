import type { BookView } from "../market.ts";

/** Taker direction: `buy` walks the asks, `sell` walks the bids. */
export type TakerSide = "buy" | "sell";

/** What `amount` counts: base units (coins, shares) or quote currency (USD notional). */
export type SizeUnit = "base" | "quote";

/**
 * The result of walking a book (SIGNALS.md: best first, any fraction of a level, zero-size levels ignored).
 * Reusable: pass the same object to `walkBook` on hot paths to avoid an allocation per walk.
 */
export class Fill {
  /** Base units filled. */
  filled = 0;
  /** Quote-currency notional of the fill (Σ price × size), fees excluded. */
  notional = 0;
  /** Volume-weighted average price (`notional / filled`), NaN when nothing filled. */
  vwap = Number.NaN;
  /** Deepest level price from which a positive amount was taken, NaN when nothing filled. */
  worstPrice = Number.NaN;
  /** Number of levels touched. */
  levels = 0;
  /** True when the whole requested amount was filled (the side was deep enough). */
  complete = false;
}

/**
 * Walks one side of a book for a taker order of `amount` (base units or quote notional) and reports the
 * filled size, notional, VWAP and worst price touched. Allocation-free when `out` is given.
 *
 * @example
 * const f = walkBook(book, "buy", 10_000, "quote"); // cost of buying $10k
 * f.filled; f.vwap; f.worstPrice; f.complete;
 */
export function walkBook(book: BookView, side: TakerSide, amount: number, unit: SizeUnit, out: Fill = new Fill()): Fill {
  const bookSide = side === "buy" ? "ask" : "bid";
  const n = book.levels(bookSide);
  let remaining = amount > 0 ? amount : 0;
  let filled = 0;
  let notional = 0;
  let worst = Number.NaN;
  let touched = 0;
  for (let i = 0; i < n && remaining > 0; i++) {
    const size = book.size(bookSide, i);
    if (!(size > 0)) continue;
    const price = book.price(bookSide, i);
    let base: number;
    let cost: number;
    if (unit === "base") {
      base = size < remaining ? size : remaining;
      cost = base * price;
      remaining -= base;
    } else {
      const levelNotional = size * price;
      if (levelNotional <= remaining) {
        base = size;
        cost = levelNotional;
        remaining -= levelNotional;
      } else {
        base = remaining / price;
        cost = remaining;
        remaining = 0;
      }
    }
    if (base <= 0) continue;
    filled += base;
    notional += cost;
    worst = price;
    touched++;
  }
  out.filled = filled;
  out.notional = notional;
  out.vwap = filled > 0 ? notional / filled : Number.NaN;
  out.worstPrice = worst;
  out.levels = touched;
  out.complete = remaining <= 0;
  return out;
}
