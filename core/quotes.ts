/**
 * The quote engine's parts: normalized top of book per (feed, instrument) derived from books or direct
 * quotes, a bounded recent-trades buffer, and per-feed statistics (updates/s, latency avg/p50/p95/max
 * over a sliding window) kept in ring buffers so recording a sample allocates nothing.
 * The store (core/store.ts) composes them; plugins read them through `MarketStore` and the store's
 * `bestBidAsk`, `feedStats`, `trades` and `quoteRows`.
 */
import type { Quote, Trade } from "./events.ts";
import type { L2Book } from "./book/book.ts";

/** Sliding window of the per-feed statistics, ms. */
export const STATS_WINDOW_MS = 60_000;

/**
 * Top of book of one (feed, instrument), remembered as numbers; the `Quote` object is built lazily
 * (only when a quote listener exists or someone reads it), so an unchanged or unread top costs nothing.
 */
export class QuoteSlot {
  bid = Number.NaN;
  ask = Number.NaN;
  bidSize = 0;
  askSize = 0;
  tsEvent = 0;
  tsRecv = 0;
  latencyMs = 0;
  /** Whether the slot has ever been set. */
  set = false;
  #quote: Quote | undefined;

  /** Copies the top of `book`; returns true when price or size at the top changed. */
  updateFrom(book: L2Book): boolean {
    const bid = book.bids.price(0);
    const ask = book.asks.price(0);
    const bidSize = book.bids.size(0);
    const askSize = book.asks.size(0);
    const changed =
      !this.set || !same(bid, this.bid) || !same(ask, this.ask) || bidSize !== this.bidSize || askSize !== this.askSize;
    if (!changed) return false;
    this.bid = bid;
    this.ask = ask;
    this.bidSize = bidSize;
    this.askSize = askSize;
    this.tsEvent = book.tsEvent;
    this.tsRecv = book.tsRecv;
    this.latencyMs = book.tsRecv - book.tsEvent;
    this.set = true;
    this.#quote = undefined;
    return true;
  }

  /** The normalized quote (SURFACE.md): built once per top change, then shared. */
  quote(feed: string, instrument: string, key: string): Quote | undefined {
    if (!this.set) return undefined;
    if (this.#quote !== undefined) return this.#quote;
    const bid = Number.isNaN(this.bid) ? null : this.bid;
    const ask = Number.isNaN(this.ask) ? null : this.ask;
    const mid = bid !== null && ask !== null ? (bid + ask) / 2 : null;
    const spreadBps = bid !== null && ask !== null && mid !== null && mid > 0 ? ((ask - bid) / mid) * 10_000 : null;
    this.#quote = Object.freeze({
      feed,
      instrument,
      key,
      tsEvent: this.tsEvent,
      tsRecv: this.tsRecv,
      bid,
      ask,
      bidSize: bid === null ? 0 : this.bidSize,
      askSize: ask === null ? 0 : this.askSize,
      mid,
      spreadBps,
      latencyMs: this.latencyMs,
    });
    return this.#quote;
  }
}

function same(a: number, b: number): boolean {
  return a === b || (Number.isNaN(a) && Number.isNaN(b));
}

/** A bounded buffer of the most recent trades of one instrument (oldest dropped first). */
export class TradeRing {
  readonly #items: (Trade | undefined)[];
  #next = 0;
  #count = 0;

  constructor(capacity = 100) {
    this.#items = new Array<Trade | undefined>(Math.max(1, capacity)).fill(undefined);
  }

  /** Adds a trade, dropping the oldest when full. */
  push(t: Trade): void {
    this.#items[this.#next] = t;
    this.#next = (this.#next + 1) % this.#items.length;
    if (this.#count < this.#items.length) this.#count++;
  }

  /** Trades oldest first (allocates: for display). */
  toArray(): Trade[] {
    const out: Trade[] = [];
    const cap = this.#items.length;
    const start = (this.#next - this.#count + cap) % cap;
    for (let i = 0; i < this.#count; i++) out.push(this.#items[(start + i) % cap]!);
    return out;
  }

  get size(): number {
    return this.#count;
  }
}

/** Per-feed figures over the sliding window (`STATS_WINDOW_MS`). Latency figures are NaN without samples. */
export interface FeedQuoteStats {
  readonly updatesPerS: number;
  readonly updates: number;
  readonly latencyAvgMs: number;
  readonly latencyP50Ms: number;
  readonly latencyP95Ms: number;
  readonly latencyMaxMs: number;
  readonly latencySamples: number;
}

const BUCKETS = 60;
const BUCKET_MS = STATS_WINDOW_MS / BUCKETS;
const SAMPLES = 2048;

/**
 * Update counts in one-second buckets and the last 2048 latency samples with their times, both rings:
 * `record` is O(1) and allocation-free; `read` sorts a scratch copy (display and health checks only).
 */
export class FeedMetrics {
  readonly #counts = new Float64Array(BUCKETS);
  readonly #bucketAt = new Float64Array(BUCKETS).fill(-1);
  readonly #lat = new Float64Array(SAMPLES);
  readonly #latAt = new Float64Array(SAMPLES);
  readonly #scratch = new Float64Array(SAMPLES);
  #latNext = 0;
  #latCount = 0;
  /** Total updates ever recorded. */
  total = 0;

  /** Counts one update received at `now`; `latencyMs` is `tsRecv − tsEvent`, NaN to skip the sample. */
  record(now: number, latencyMs: number): void {
    const b = Math.floor(now / BUCKET_MS);
    const i = b % BUCKETS;
    if (this.#bucketAt[i] !== b) {
      this.#bucketAt[i] = b;
      this.#counts[i] = 0;
    }
    this.#counts[i]!++;
    this.total++;
    if (latencyMs === latencyMs) {
      this.#lat[this.#latNext] = latencyMs;
      this.#latAt[this.#latNext] = now;
      this.#latNext = (this.#latNext + 1) % SAMPLES;
      if (this.#latCount < SAMPLES) this.#latCount++;
    }
  }

  /** Figures over the window ending at `now`. */
  read(now: number): FeedQuoteStats {
    const b = Math.floor(now / BUCKET_MS);
    let updates = 0;
    for (let i = 0; i < BUCKETS; i++) {
      const at = this.#bucketAt[i]!;
      if (at >= 0 && at > b - BUCKETS && at <= b) updates += this.#counts[i]!;
    }
    const from = now - STATS_WINDOW_MS;
    let n = 0;
    let sum = 0;
    let max = Number.NaN;
    for (let i = 0; i < this.#latCount; i++) {
      if (this.#latAt[i]! <= from) continue;
      const v = this.#lat[i]!;
      this.#scratch[n++] = v;
      sum += v;
      if (!(v <= max)) max = v;
    }
    const sorted = this.#scratch.subarray(0, n).sort();
    return {
      updatesPerS: updates / (STATS_WINDOW_MS / 1000),
      updates,
      latencyAvgMs: n > 0 ? sum / n : Number.NaN,
      latencyP50Ms: quantile(sorted, 0.5),
      latencyP95Ms: quantile(sorted, 0.95),
      latencyMaxMs: max,
      latencySamples: n,
    };
  }
}

/** Nearest-rank quantile of a sorted array; NaN when empty. */
function quantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil(q * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))]!;
}

/** The best bid and best ask for one instrument key across feeds (each with the feed that has it). */
export interface BestBidAsk {
  readonly key: string;
  readonly bid: number | null;
  readonly bidSize: number;
  readonly bidFeed: string | undefined;
  readonly bidInstrument: string | undefined;
  readonly ask: number | null;
  readonly askSize: number;
  readonly askFeed: string | undefined;
  readonly askInstrument: string | undefined;
}
