import type { BookDelta, BookSnapshot, Level, MarketRef } from "../events.ts";
import type { BookSide, BookState, BookView } from "../market.ts";
import { BookSideLevels } from "./side.ts";

/**
 * A venue's checksum over the book after an update: returns true when the book matches `expected`
 * (the value the venue sent). Feeds supply it; core never knows the algorithm.
 *
 * @example
 * const hook: ChecksumHook = (book, expected) => crc32Top25(book) === expected;
 */
export type ChecksumHook = (book: BookView, expected: number | string) => boolean;

/** A venue's best bid and offer without depth (quote-only channels). `null` = that side is empty. */
export interface TopOfBook extends MarketRef {
  readonly bid: number | null;
  readonly ask: number | null;
  readonly bidSize: number;
  readonly askSize: number;
}

/**
 * What applying an update did.
 * - `ok`: applied.
 * - `duplicate`: an update the book already has (same or older sequence); ignored, the book stays live.
 * - `gap`: a sequence gap; the book is now `resyncing`.
 * - `checksum`: the venue checksum did not match; the book is now `resyncing`.
 * - `resyncing`: refused because the book waits for a fresh snapshot.
 * - `no_book`: refused because no snapshot was ever applied.
 */
export type ApplyResult = "ok" | "duplicate" | "gap" | "checksum" | "resyncing" | "no_book";

/** Why a book went to `resyncing` (counted per reason, `edgewatch_feed_resyncs_total{reason}`). */
export type ResyncReason = "gap" | "checksum" | "crossed" | "reconnect" | "manual" | (string & {});

/**
 * An L2 order book kept as two sorted Float64Arrays (see side.ts). Implements `BookView`.
 *
 * Sequencing (`book.seq` is the last applied sequence number):
 * - a delta with `prevSeq` must have `prevSeq === book.seq` (a later `seq` below it is a venue's
 *   sequence reset and is accepted); a delta with only `seq` must have `seq === book.seq + 1`;
 * - `seq === book.seq` is a `duplicate` (the same update delivered twice): ignored, the book stays live;
 * - right after a snapshot with a `seq` (buffered stream + REST snapshot sync), deltas with
 *   `seq < book.seq` are `duplicate`s to drop and the first delta may bridge it
 *   (`prevSeq < book.seq < seq`);
 * - anything else is a `gap`: the book goes `resyncing` (never silently ignored, so a missed sequence
 *   reset cannot freeze the book);
 * - a delta with neither field is applied unchecked (venues without sequence numbers).
 *
 * @example
 * const book = new L2Book("venue_a", "BTC-USDT-SWAP", "BTC-USDT-PERP");
 * book.applySnapshot(snapshot);
 * if (book.applyDelta(delta) !== "ok") resubscribe();
 * book.price("ask", 0); // best ask
 */
export class L2Book implements BookView {
  readonly feed: string;
  readonly instrument: string;
  key: string;
  state: BookState = "resyncing";
  seq: number | undefined = undefined;
  tsEvent = 0;
  tsRecv = 0;
  tickSize: number | undefined = undefined;
  /** Whether a snapshot was ever applied. */
  synced = false;
  /** Why the book last went to `resyncing`, or undefined. */
  resyncReason: ResyncReason | undefined = undefined;
  readonly bids: BookSideLevels;
  readonly asks: BookSideLevels;
  /** No delta applied since the last snapshot: the bridging rules of snapshot sync apply. */
  #afterSnapshot = false;

  constructor(feed: string, instrument: string, key: string, capacity = 8) {
    this.feed = feed;
    this.instrument = instrument;
    this.key = key;
    this.bids = new BookSideLevels(1, capacity);
    this.asks = new BookSideLevels(-1, capacity);
  }

  levels(side: BookSide): number {
    return side === "bid" ? this.bids.count : this.asks.count;
  }

  price(side: BookSide, i: number): number {
    return side === "bid" ? this.bids.price(i) : this.asks.price(i);
  }

  size(side: BookSide, i: number): number {
    return side === "bid" ? this.bids.size(i) : this.asks.size(i);
  }

  /** Best bid price, or NaN when the side is empty. */
  bestBid(): number {
    return this.bids.price(0);
  }

  /** Best ask price, or NaN when the side is empty. */
  bestAsk(): number {
    return this.asks.price(0);
  }

  depth(n: number): { bids: Level[]; asks: Level[] } {
    const bids: Level[] = [];
    const asks: Level[] = [];
    const nb = Math.min(n, this.bids.count);
    const na = Math.min(n, this.asks.count);
    for (let i = 0; i < nb; i++) bids.push([this.bids.price(i), this.bids.size(i)]);
    for (let i = 0; i < na; i++) asks.push([this.asks.price(i), this.asks.size(i)]);
    return { bids, asks };
  }

  crossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bids.price(0) >= this.asks.price(0);
  }

  /** Replaces the book; it becomes `live` (crossing is checked by the caller at the frame's end). */
  applySnapshot(s: BookSnapshot): void {
    this.bids.load(s.bids);
    this.asks.load(s.asks);
    this.seq = s.seq;
    if (s.tickSize !== undefined) this.tickSize = s.tickSize;
    if (s.key !== "") this.key = s.key;
    this.tsEvent = s.tsEvent;
    this.tsRecv = s.tsRecv;
    this.synced = true;
    this.state = "live";
    this.resyncReason = undefined;
    this.#afterSnapshot = s.seq !== undefined;
  }

  /**
   * Applies a delta after the sequence check. On `gap` or `checksum` the book goes to `resyncing`.
   * `checksum`, when given with `hook`, is verified after the levels are applied.
   */
  applyDelta(d: BookDelta, hook?: ChecksumHook, checksum?: number | string): ApplyResult {
    if (!this.synced) return "no_book";
    if (this.state === "resyncing") return "resyncing";
    const check = this.#checkSeq(d);
    if (check !== "ok") {
      if (check === "gap") this.markResyncing("gap");
      return check;
    }
    const bids = d.bids;
    const asks = d.asks;
    for (let i = 0; i < bids.length; i++) {
      const l = bids[i]!;
      this.bids.set(l[0], l[1]);
    }
    for (let i = 0; i < asks.length; i++) {
      const l = asks[i]!;
      this.asks.set(l[0], l[1]);
    }
    if (d.seq !== undefined) this.seq = d.seq;
    this.#afterSnapshot = false;
    this.tsEvent = d.tsEvent;
    this.tsRecv = d.tsRecv;
    // A verified, in-sequence update brings a watchdog-stale book back.
    this.state = "live";
    if (hook !== undefined && checksum !== undefined && !hook(this, checksum)) {
      this.markResyncing("checksum");
      return "checksum";
    }
    return "ok";
  }

  /**
   * Replaces the book with one level per side (quote-only venues: best bid/offer, tickers). A `null`
   * price empties that side. Like a snapshot, it makes the book `live`.
   */
  applyTop(q: TopOfBook): void {
    this.bids.clear();
    this.asks.clear();
    if (q.bid !== null && q.bidSize > 0) this.bids.set(q.bid, q.bidSize);
    if (q.ask !== null && q.askSize > 0) this.asks.set(q.ask, q.askSize);
    if (q.key !== "") this.key = q.key;
    this.seq = undefined;
    this.tsEvent = q.tsEvent;
    this.tsRecv = q.tsRecv;
    this.synced = true;
    this.state = "live";
    this.resyncReason = undefined;
  }

  /** Sets one level directly (tests, tools). Size 0 removes. */
  setLevel(side: BookSide, price: number, size: number): void {
    if (side === "bid") this.bids.set(price, size);
    else this.asks.set(price, size);
  }

  /** Marks the book as waiting for a fresh snapshot; deltas are refused until then. */
  markResyncing(reason: ResyncReason): void {
    this.state = "resyncing";
    this.resyncReason = reason;
  }

  /** Marks the book stale (watchdog). Levels are kept for display; freshness reports `stale`. */
  markStale(): void {
    if (this.state === "live") this.state = "stale";
  }

  /** Changes the tick size and keeps the levels (prices already on the book stay valid quotes). */
  setTickSize(tickSize: number): void {
    this.tickSize = tickSize;
  }

  #checkSeq(d: BookDelta): "ok" | "gap" | "duplicate" {
    const have = this.seq;
    if (have === undefined) return "ok";
    const seq = d.seq;
    if (d.prevSeq !== undefined) {
      if (d.prevSeq === have) return "ok";
      if (seq === have) return "duplicate";
      if (this.#afterSnapshot && seq !== undefined) {
        if (seq < have) return "duplicate";
        if (d.prevSeq < have) return "ok";
      }
      return "gap";
    }
    if (seq !== undefined) {
      if (seq === have + 1) return "ok";
      if (seq === have || (this.#afterSnapshot && seq < have)) return "duplicate";
      return "gap";
    }
    return "ok";
  }
}
