/**
 * A fixed `BookView` over arrays of levels: for pure tests of signal math, replay reports and docs,
 * where no live store is involved.
 */
import type { Level } from "../events.ts";
import type { BookSide, BookState, BookView } from "../market.ts";

/** Identity and state of a fixed book; every field optional. */
export interface LevelBookOptions {
  readonly feed?: string;
  readonly instrument?: string;
  readonly key?: string;
  readonly state?: BookState;
  readonly tsEvent?: number;
  readonly tsRecv?: number;
  readonly tickSize?: number;
}

/**
 * A read-only book from levels, best first.
 *
 * @example
 * const book = levelBook({ bids: [[0.48, 100]], asks: [[0.5, 100], [0.51, 200]] }, { feed: "pm", instrument: "yes" });
 */
export function levelBook(
  levels: { readonly bids: readonly Level[]; readonly asks: readonly Level[] },
  options: LevelBookOptions = {},
): BookView {
  const bids = levels.bids;
  const asks = levels.asks;
  const sideOf = (side: BookSide): readonly Level[] => (side === "bid" ? bids : asks);
  return {
    feed: options.feed ?? "test",
    instrument: options.instrument ?? "test",
    key: options.key ?? options.instrument ?? "test",
    state: options.state ?? "live",
    seq: undefined,
    tsEvent: options.tsEvent ?? 0,
    tsRecv: options.tsRecv ?? 0,
    tickSize: options.tickSize,
    levels: (side) => sideOf(side).length,
    price: (side, i) => sideOf(side)[i]![0],
    size: (side, i) => sideOf(side)[i]![1],
    depth: (n) => ({ bids: bids.slice(0, n).map((l) => [l[0], l[1]] as const), asks: asks.slice(0, n).map((l) => [l[0], l[1]] as const) }),
    crossed: () => bids.length > 0 && asks.length > 0 && bids[0]![0] >= asks[0]![0],
  };
}
