/**
 * Kalshi's bid-only book turned into two ordinary books (pure; no I/O). Kalshi keeps only bids: YES bids
 * and NO bids. A NO bid at p is an offer to sell YES at 1 − p, so the YES book is the YES bids plus
 * asks at 1 − p from the NO bids, and the NO book mirrors it. Counts are kept here because Kalshi's
 * deltas are signed changes, not absolute sizes; the store receives absolute levels.
 */
import type { BookDelta, BookSnapshot, Level } from "../../../core/events.ts";
import { KALSHI_COUNT_UNITS, KALSHI_PRICE_UNITS, type KalshiBid } from "./parse.ts";

/** The two book instruments of a market: `<ticker>:yes` and `<ticker>:no`. */
export function kalshiInstruments(ticker: string): { yes: string; no: string } {
  return { yes: `${ticker}:yes`, no: `${ticker}:no` };
}

const price = (units: number): number => units / KALSHI_PRICE_UNITS;
const size = (micro: number): number => micro / KALSHI_COUNT_UNITS;

/** What the feed writes for one market after a change. */
export interface KalshiBooks {
  readonly yes: { readonly bids: Level[]; readonly asks: Level[] };
  readonly no: { readonly bids: Level[]; readonly asks: Level[] };
}

/** One market's YES and NO bids, in integer units. */
export class KalshiBookState {
  readonly #yes = new Map<number, number>();
  readonly #no = new Map<number, number>();

  /** Replaces both sides (levels with count 0 are dropped). */
  snapshot(yes: readonly KalshiBid[], no: readonly KalshiBid[]): KalshiBooks {
    this.#yes.clear();
    this.#no.clear();
    for (const b of yes) if (b.count > 0) this.#yes.set(b.price, b.count);
    for (const b of no) if (b.count > 0) this.#no.set(b.price, b.count);
    const yesBids = levels(this.#yes, false);
    const noBids = levels(this.#no, false);
    return {
      yes: { bids: yesBids, asks: levels(this.#no, true) },
      no: { bids: noBids, asks: levels(this.#yes, true) },
    };
  }

  /**
   * Applies a signed change to one bid level. Returns the changed level of each book (absolute size,
   * 0 = removed), or `negative` when the change would leave fewer than 0 contracts (a missed update).
   */
  apply(side: "yes" | "no", units: number, delta: number): KalshiBooks | "negative" {
    const map = side === "yes" ? this.#yes : this.#no;
    const next = (map.get(units) ?? 0) + delta;
    if (next < 0) return "negative";
    if (next === 0) map.delete(units);
    else map.set(units, next);
    const bid: Level = [price(units), size(next)];
    const ask: Level = [price(KALSHI_PRICE_UNITS - units), size(next)];
    return side === "yes"
      ? { yes: { bids: [bid], asks: [] }, no: { bids: [], asks: [ask] } }
      : { yes: { bids: [], asks: [ask] }, no: { bids: [bid], asks: [] } };
  }

  /** The bid count (micro-contracts) at a price on one side. */
  count(side: "yes" | "no", units: number): number {
    return (side === "yes" ? this.#yes : this.#no).get(units) ?? 0;
  }
}

/** Bids best (highest) first; as complement asks, best (lowest 1 − p) first. */
function levels(map: ReadonlyMap<number, number>, complement: boolean): Level[] {
  const out: Level[] = [];
  const keys = [...map.keys()].sort((a, b) => b - a);
  for (const k of keys) out.push([price(complement ? KALSHI_PRICE_UNITS - k : k), size(map.get(k)!)]);
  return out;
}

/** Domain snapshots of both books. */
export function kalshiSnapshots(ref: { feed: string; ticker: string; tsEvent: number; tsRecv: number; seq: number }, books: KalshiBooks): [BookSnapshot, BookSnapshot] {
  const ids = kalshiInstruments(ref.ticker);
  const base = { feed: ref.feed, tsEvent: ref.tsEvent, tsRecv: ref.tsRecv, seq: ref.seq, tickSize: 1 / KALSHI_PRICE_UNITS, source: "ws" as const };
  return [
    { ...base, instrument: ids.yes, key: ids.yes, bids: books.yes.bids, asks: books.yes.asks },
    { ...base, instrument: ids.no, key: ids.no, bids: books.no.bids, asks: books.no.asks },
  ];
}

/** Domain deltas of both books (the same `seq`: one Kalshi delta changes both). */
export function kalshiDeltas(ref: { feed: string; ticker: string; tsEvent: number; tsRecv: number; seq: number }, books: KalshiBooks): [BookDelta, BookDelta] {
  const ids = kalshiInstruments(ref.ticker);
  const base = { feed: ref.feed, tsEvent: ref.tsEvent, tsRecv: ref.tsRecv, seq: ref.seq };
  return [
    { ...base, instrument: ids.yes, key: ids.yes, bids: books.yes.bids, asks: books.yes.asks },
    { ...base, instrument: ids.no, key: ids.no, bids: books.no.bids, asks: books.no.asks },
  ];
}
