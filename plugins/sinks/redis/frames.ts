/**
 * Turns a feed's bus events into one wire frame per `frame.end`: the pass-through book and trade events
 * of the frame (with the bridge's per-book `seq`), the tops of quote-only instruments, and the books the
 * frame sent to resyncing or stale.
 */
import type { BookDelta, BookSnapshot, FrameEnd, Quote, Trade } from "../../../core/events.ts";
import type { BookView, MarketStore } from "../../../core/market.ts";
import type { WireCachedBook, WireFrame, WireItem, WireSnapshot } from "./wire.ts";

/** The bridge state of one feed. */
export class FeedFrames {
  readonly feed: string;
  readonly #run: string;
  readonly #store: MarketStore;
  #n = 0;
  readonly #seqs = new Map<string, number>();
  /** Books whose snapshot went out in this run (their next change may be a delta). */
  readonly #announced = new Set<string>();
  #items: WireItem[] = [];
  #touched = new Set<string>();
  #quotes: Quote[] = [];
  /** Books changed since the last cache write. */
  readonly dirty = new Set<string>();

  constructor(feed: string, run: string, store: MarketStore) {
    this.feed = feed;
    this.#run = run;
    this.#store = store;
  }

  onSnapshot(s: BookSnapshot): void {
    this.#items.push(this.#snapshotItem(s.instrument, s.key, s.bids, s.asks, s.tsEvent, s.tsRecv, s.tickSize));
  }

  onDelta(d: BookDelta): void {
    if (!this.#announced.has(d.instrument)) {
      // first change of this book in this run: send the whole book (the store has the frame applied)
      const book = this.#store.book(this.feed, d.instrument);
      if (book === undefined) return;
      const { bids, asks } = fullDepth(book);
      this.#items.push(this.#snapshotItem(d.instrument, d.key, bids, asks, d.tsEvent, d.tsRecv, book.tickSize));
      return;
    }
    this.#items.push({ type: "delta", instrument: d.instrument, key: d.key, seq: this.#next(d.instrument), bids: d.bids, asks: d.asks, tsEvent: d.tsEvent, tsRecv: d.tsRecv });
    this.#touched.add(d.instrument);
    this.dirty.add(d.instrument);
  }

  onTrade(t: Trade): void {
    this.#items.push({ type: "trade", instrument: t.instrument, key: t.key, price: t.price, size: t.size, side: t.side, tradeId: t.tradeId, tsEvent: t.tsEvent, tsRecv: t.tsRecv });
  }

  onQuote(q: Quote): void {
    this.#quotes.push(q);
  }

  /** Ends the frame: the wire frame, or undefined when it changed nothing to send. Also returns the frame's quotes. */
  onFrameEnd(f: FrameEnd): { frame: WireFrame | undefined; quotes: Quote[] } {
    const quotes = this.#quotes;
    this.#quotes = [];
    for (const q of quotes) {
      if (this.#touched.has(q.instrument) || this.#announced.has(q.instrument)) continue;
      this.#items.push({ type: "top", instrument: q.instrument, key: q.key, bid: q.bid, ask: q.ask, bidSize: q.bidSize, askSize: q.askSize, tsEvent: q.tsEvent, tsRecv: q.tsRecv });
      this.#touched.add(q.instrument);
    }
    for (const instrument of f.instruments) {
      if (this.#touched.has(instrument)) continue;
      const book = this.#store.book(this.feed, instrument);
      if (book === undefined) {
        if (this.#store.fresh(this.feed, instrument).reasons.includes("resyncing") && this.#announced.delete(instrument)) {
          this.#items.push({ type: "resync", instrument });
        }
      } else if (book.state === "stale") this.#items.push({ type: "stale", instrument });
    }
    const items = this.#items;
    this.#items = [];
    this.#touched = new Set();
    if (items.length === 0) return { frame: undefined, quotes };
    return { frame: { run: this.#run, n: ++this.#n, feed: this.feed, tsRecv: f.tsRecv, items }, quotes };
  }

  /** The cache entry of a book as it is now, with the seq of the last change sent. */
  cached(instrument: string): WireCachedBook | undefined {
    const seq = this.#seqs.get(instrument);
    const book = this.#store.book(this.feed, instrument);
    if (seq === undefined || book === undefined || !this.#announced.has(instrument) || book.state !== "live") return undefined;
    const { bids, asks } = fullDepth(book);
    return { run: this.#run, instrument, key: book.key, seq, bids, asks, tsEvent: book.tsEvent, tsRecv: book.tsRecv, tickSize: book.tickSize };
  }

  /** Books announced in this run (the cache keeps them warm). */
  books(): Iterable<string> {
    return this.#announced;
  }

  #snapshotItem(instrument: string, key: string, bids: WireSnapshot["bids"], asks: WireSnapshot["asks"], tsEvent: number, tsRecv: number, tickSize: number | undefined): WireSnapshot {
    this.#announced.add(instrument);
    this.#touched.add(instrument);
    this.dirty.add(instrument);
    return { type: "snapshot", instrument, key, seq: this.#next(instrument), bids, asks, tsEvent, tsRecv, tickSize };
  }

  #next(instrument: string): number {
    const seq = (this.#seqs.get(instrument) ?? 0) + 1;
    this.#seqs.set(instrument, seq);
    return seq;
  }
}

function fullDepth(book: BookView): { bids: [number, number][]; asks: [number, number][] } {
  const { bids, asks } = book.depth(Math.max(book.levels("bid"), book.levels("ask")));
  return { bids: bids as [number, number][], asks: asks as [number, number][] };
}
