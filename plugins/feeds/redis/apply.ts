/**
 * Applies the bridge's wire frames to the local store through the feed's writer: in-sequence changes
 * are applied, duplicates (a retried write) skipped, and a `seq` gap sends the book to resyncing until the
 * latest-book cache has caught up with what the stream showed.
 */
import type { FeedWriter } from "../../../core/book/writer.ts";
import type { WireCachedBook, WireFrame, WireItem } from "../../sinks/redis/wire.ts";

/** What the applier asks of its owner. */
export interface ApplierHost {
  readonly feed: string;
  readonly writer: FeedWriter;
  /** A book needs the cache (gap, or a delta for a book never seen). */
  requestResync(instrument: string): void;
}

/** Per-feed bridge state on the consumer side. */
export class FrameApplier {
  readonly #h: ApplierHost;
  #run: string | undefined;
  #lastN = 0;
  readonly #seqs = new Map<string, number>();
  /** Books waiting for the cache, with the highest seq the stream showed meanwhile. */
  readonly resyncing = new Map<string, number>();
  duplicates = 0;
  gaps = 0;

  constructor(host: ApplierHost) {
    this.#h = host;
  }

  /** The collector run the state belongs to. */
  get run(): string | undefined {
    return this.#run;
  }

  /** Applies one frame and ends it. */
  apply(f: WireFrame): void {
    if (f.run !== this.#run) {
      // the collector restarted: its numbering starts again, and every book starts with a snapshot
      this.#run = f.run;
      this.#lastN = 0;
      this.#seqs.clear();
    }
    if (f.n <= this.#lastN) {
      this.duplicates++;
      return;
    }
    this.#lastN = f.n;
    for (const item of f.items) this.#item(item);
    this.#h.writer.endFrame(f.tsRecv);
  }

  /** Applies a cache entry when it is at least as new as the stream showed; true when the book is back. */
  applyCached(entry: WireCachedBook, now: number): boolean {
    const seen = this.resyncing.get(entry.instrument);
    if (seen === undefined) return true;
    if (entry.run !== this.#run || entry.seq < seen) return false;
    this.#h.writer.snapshot({
      feed: this.#h.feed,
      instrument: entry.instrument,
      key: entry.key,
      bids: entry.bids,
      asks: entry.asks,
      seq: entry.seq,
      tsEvent: entry.tsEvent,
      tsRecv: entry.tsRecv,
      tickSize: entry.tickSize,
      source: "rest",
    });
    this.#seqs.set(entry.instrument, entry.seq);
    this.resyncing.delete(entry.instrument);
    this.#h.writer.endFrame(now);
    return true;
  }

  /** The local store sent a book to resyncing (crossed, refused delta): take it from the cache. */
  storeResynced(instrument: string): void {
    if (this.resyncing.has(instrument)) return;
    this.resyncing.set(instrument, this.#seqs.get(instrument) ?? 0);
    this.#h.requestResync(instrument);
  }

  #item(item: WireItem): void {
    const w = this.#h.writer;
    const feed = this.#h.feed;
    switch (item.type) {
      case "snapshot":
        w.snapshot({ feed, instrument: item.instrument, key: item.key, bids: item.bids, asks: item.asks, seq: item.seq, tsEvent: item.tsEvent, tsRecv: item.tsRecv, tickSize: item.tickSize, source: "ws" });
        this.#seqs.set(item.instrument, item.seq);
        this.resyncing.delete(item.instrument);
        return;
      case "delta": {
        const waiting = this.resyncing.get(item.instrument);
        if (waiting !== undefined) {
          this.resyncing.set(item.instrument, Math.max(waiting, item.seq));
          return;
        }
        const have = this.#seqs.get(item.instrument);
        if (have !== undefined && item.seq <= have) {
          this.duplicates++;
          return;
        }
        if (have === undefined || item.seq !== have + 1) {
          this.gaps++;
          this.resyncing.set(item.instrument, item.seq);
          w.resync(item.instrument, "gap");
          this.#h.requestResync(item.instrument);
          return;
        }
        const r = w.delta({ feed, instrument: item.instrument, key: item.key, bids: item.bids, asks: item.asks, seq: item.seq, tsEvent: item.tsEvent, tsRecv: item.tsRecv });
        this.#seqs.set(item.instrument, item.seq);
        if (r !== "ok" && r !== "duplicate") this.storeResynced(item.instrument);
        return;
      }
      case "top":
        w.quote({ feed, instrument: item.instrument, key: item.key, bid: item.bid, ask: item.ask, bidSize: item.bidSize, askSize: item.askSize, tsEvent: item.tsEvent, tsRecv: item.tsRecv });
        return;
      case "resync":
        this.#seqs.delete(item.instrument);
        w.resync(item.instrument, "upstream");
        return;
      case "stale":
        w.markStale(item.instrument);
        return;
      case "trade":
        w.trade({ feed, instrument: item.instrument, key: item.key, price: item.price, size: item.size, side: item.side, tradeId: item.tradeId, tsEvent: item.tsEvent, tsRecv: item.tsRecv });
        return;
    }
  }
}
