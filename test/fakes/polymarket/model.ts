/**
 * The fake venue's markets: one order book per binary market, published mirrored into both tokens the
 * way Polymarket does (a YES bid at p is a NO ask at 1 − p, in the same frame). Wire shapes follow the
 * shared protocol notes: strings everywhere, levels in wire order (bids ascending, asks descending: best
 * last), `price_change` entries with `best_bid`/`best_ask` after the change, books with a real SHA-1 hash.
 */
import { bookHash } from "../../../plugins/feeds/polymarket/hash.ts";
import type { PolyBookMsg, PolyLevel, PolyPriceChangeEntry, PolyRestBook } from "../../../plugins/feeds/polymarket/messages.ts";

/** Prices are kept in integer units of 1e-4 (the finest tick) so mirroring is exact. */
const UNIT = 10_000;
const px = (u: number): string => String(u / UNIT);

/** One side of the YES book: price units → size. */
type Side = Map<number, number>;

export interface FakeMarketInit {
  readonly index: number;
  readonly conditionId: string;
  readonly yes: string;
  readonly no: string;
  readonly tickSize?: string;
  readonly minOrderSize?: string;
  readonly negRisk?: boolean;
}

export class FakeMarket {
  readonly index: number;
  readonly conditionId: string;
  readonly yes: string;
  readonly no: string;
  tickSize: string;
  readonly minOrderSize: string;
  readonly negRisk: boolean;
  lastTradePrice = "";
  /** YES bids and asks; the NO book is derived. */
  readonly bids: Side = new Map();
  readonly asks: Side = new Map();
  #orderSeq = 0;

  constructor(init: FakeMarketInit) {
    this.index = init.index;
    this.conditionId = init.conditionId;
    this.yes = init.yes;
    this.no = init.no;
    this.tickSize = init.tickSize ?? "0.01";
    this.minOrderSize = init.minOrderSize ?? "5";
    this.negRisk = init.negRisk ?? false;
  }

  /** Fills a simple book around `mid` (YES): `levels` per side, one tick apart. */
  seed(mid: number, levels: number, size = 100): void {
    const tick = Math.round(Number(this.tickSize) * UNIT);
    const m = Math.round(mid * UNIT);
    for (let i = 1; i <= levels; i++) {
      if (m - i * tick > 0) this.bids.set(m - i * tick, size + i);
      if (m + i * tick < UNIT) this.asks.set(m + i * tick, size + 2 * i);
    }
  }

  /** The levels of one token's book, best first, as numbers (for comparing with the feed's books). */
  levels(token: string): { bids: [number, number][]; asks: [number, number][] } {
    const b = this.#sides(token);
    const sorted = (s: Side, desc: boolean) =>
      [...s.entries()].filter(([, q]) => q > 0).sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).map(([p, q]) => [p / UNIT, q] as [number, number]);
    return { bids: sorted(b.bids, true), asks: sorted(b.asks, false) };
  }

  /** Sets a YES level (size 0 removes) and returns the two mirrored `price_change` entries. */
  set(side: "bid" | "ask", price: number, size: number): PolyPriceChangeEntry[] {
    const u = Math.round(price * UNIT);
    const book = side === "bid" ? this.bids : this.asks;
    if (size <= 0) book.delete(u);
    else book.set(u, size);
    const hash = () => (++this.#orderSeq).toString(16).padStart(40, "0");
    const sz = size <= 0 ? "0" : String(size);
    return [
      { asset_id: this.yes, price: px(u), size: sz, side: side === "bid" ? "BUY" : "SELL", hash: hash(), ...this.#best(this.yes) },
      { asset_id: this.no, price: px(UNIT - u), size: sz, side: side === "bid" ? "SELL" : "BUY", hash: hash(), ...this.#best(this.no) },
    ];
  }

  /** The current shape of a `price_change` frame for some entries. */
  priceChange(entries: readonly PolyPriceChangeEntry[], ts: number): string {
    return JSON.stringify({ market: this.conditionId, price_changes: entries, timestamp: String(ts), event_type: "price_change" });
  }

  /** A `book` message of one token (WS shape as captured live: with tick_size and last_trade_price). */
  book(token: string, ts: number): PolyBookMsg {
    const s = this.#wire(token);
    const summary = { market: this.conditionId, asset_id: token, timestamp: String(ts), ...s };
    const hash = bookHash({ ...summary, min_order_size: this.minOrderSize, tick_size: this.tickSize, neg_risk: this.negRisk, last_trade_price: this.lastTradePrice });
    return { event_type: "book", ...summary, hash, tick_size: this.tickSize, last_trade_price: this.lastTradePrice };
  }

  /** A REST `OrderBookSummary` of one token. */
  restBook(token: string, ts: number): PolyRestBook {
    const s = this.#wire(token);
    const body = {
      market: this.conditionId,
      asset_id: token,
      timestamp: String(ts),
      hash: "",
      ...s,
      min_order_size: this.minOrderSize,
      tick_size: this.tickSize,
      neg_risk: this.negRisk,
      last_trade_price: this.lastTradePrice,
    };
    return { ...body, hash: bookHash(body) };
  }

  /** Changes the tick size (levels stay) and returns the `tick_size_change` messages of both tokens. */
  changeTick(next: string, ts: number): string {
    const old = this.tickSize;
    this.tickSize = next;
    const msg = (asset: string) => ({ event_type: "tick_size_change", asset_id: asset, market: this.conditionId, old_tick_size: old, new_tick_size: next, timestamp: String(ts) });
    return JSON.stringify([msg(this.yes), msg(this.no)]);
  }

  #sides(token: string): { bids: Side; asks: Side } {
    if (token === this.yes) return { bids: this.bids, asks: this.asks };
    const mirror = (s: Side): Side => new Map([...s].map(([p, q]) => [UNIT - p, q]));
    return { bids: mirror(this.asks), asks: mirror(this.bids) };
  }

  /** Wire order: bids ascending and asks descending, so the best level is last. */
  #wire(token: string): { bids: PolyLevel[]; asks: PolyLevel[] } {
    const b = this.#sides(token);
    const lv = (s: Side, desc: boolean) =>
      [...s.entries()].filter(([, q]) => q > 0).sort((x, y) => (desc ? y[0] - x[0] : x[0] - y[0])).map(([p, q]) => ({ price: px(p), size: String(q) }));
    return { bids: lv(b.bids, false), asks: lv(b.asks, true) };
  }

  #best(token: string): { best_bid: string; best_ask: string } {
    const b = this.#sides(token);
    let bid = -1;
    let ask = UNIT + 1;
    for (const [p, q] of b.bids) if (q > 0 && p > bid) bid = p;
    for (const [p, q] of b.asks) if (q > 0 && p < ask) ask = p;
    return { best_bid: bid < 0 ? "0" : px(bid), best_ask: ask > UNIT ? "1" : px(ask) };
  }
}

/** A deterministic 77-digit token id and a 0x…64-hex condition id for market `i`. */
export function fakeIds(i: number): { conditionId: string; yes: string; no: string } {
  const base = 10n ** 76n;
  return {
    conditionId: `0x${i.toString(16).padStart(64, "0")}`,
    yes: String(base + BigInt(2 * i)),
    no: String(base + BigInt(2 * i + 1)),
  };
}
