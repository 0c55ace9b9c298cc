/**
 * Applies CLOB market-channel frames to the store, atomically per frame, and keeps every book honest:
 * - a `price_change` frame carries the mirrored entries of both tokens; all are applied, then `endFrame`;
 * - each token's `best_bid`/`best_ask` from the venue is compared with the reconstructed top; a mismatch
 *   resyncs that token (counted `top_mismatch`);
 * - a `book` hash is verified where the market's `min_order_size`/`neg_risk` are known; a mismatch
 *   resyncs that token (counted `hash`);
 * - while a token waits for a REST snapshot, its changes are buffered and replayed on the snapshot
 *   (sizes are absolute, so replaying every change since the request was sent gives the exact book).
 */
import type { ScopedBus } from "../../../core/bus.ts";
import type { Clock } from "../../../core/clock.ts";
import type { MarketNew, MarketResolved, TickSizeChange } from "../../../core/events.ts";
import type { FeedWriter } from "../../../core/book/writer.ts";
import type { ResyncReason } from "../../../core/book/book.ts";
import type { PolymarketCatalog } from "./catalog.ts";
import { verifyBookHash } from "./hash.ts";
import { type PolyChangeEvent, type PolyEvent, parseClobFrame } from "./parse.ts";
import type { PolyRestBookResult } from "./parse-rest.ts";

/** Counters of the checks (tests, stats, logs). */
export interface BookCounters {
  frames: number;
  books: number;
  changes: number;
  hashVerified: number;
  hashUnverifiable: number;
  hashMismatches: number;
  topChecks: number;
  topMismatches: number;
  restSnapshots: number;
  restIgnored: number;
  replayed: number;
  bufferOverflows: number;
  problems: number;
}

interface TokenSync {
  /** A snapshot is awaited (subscribe, reconnect, resync). */
  awaiting: boolean;
  /** Clock time the wait began. */
  since: number;
  /** Bumped each time a wait begins: a REST answer to an older request is not the awaited snapshot. */
  epoch: number;
  /** Changes received while waiting, replayed onto a REST snapshot. */
  buffer: PolyChangeEvent[] | undefined;
}

export interface MarketBooksOptions {
  readonly feed: string;
  readonly writer: FeedWriter;
  readonly catalog: PolymarketCatalog;
  readonly bus: ScopedBus;
  readonly clock: Clock;
  readonly verifyHash: boolean;
  readonly checkTop: boolean;
  /** A token needs a fresh book now (REST): mismatch, crossed book, buffer overflow. */
  readonly requestSnapshot: (tokens: readonly string[]) => void;
  /** The venue resolved a market: its tokens can be dropped. */
  readonly onResolved?: (r: MarketResolved) => void;
  /** An element could not be parsed (count and log once per shape). */
  readonly onProblem: (shape: string) => void;
  /** The feed started a resync itself (counted by the connection layer too). */
  readonly onResyncStarted?: () => void;
  /** Buffered changes per token while waiting for a snapshot (default 5000). */
  readonly maxBuffer?: number;
}

const EPS = 1e-9;

function same(a: number | null, b: number | null): boolean {
  if (a === null || b === null) return a === b;
  return Math.abs(a - b) <= EPS;
}

export class MarketBooks {
  readonly counters: BookCounters = {
    frames: 0,
    books: 0,
    changes: 0,
    hashVerified: 0,
    hashUnverifiable: 0,
    hashMismatches: 0,
    topChecks: 0,
    topMismatches: 0,
    restSnapshots: 0,
    restIgnored: 0,
    replayed: 0,
    bufferOverflows: 0,
    problems: 0,
  };
  #o: MarketBooksOptions;
  #sync = new Map<string, TokenSync>();
  #after: (() => void)[] = [];

  constructor(options: MarketBooksOptions) {
    this.#o = options;
  }

  /** One socket frame: parse, apply every event, end the frame once, then publish market events. */
  onFrame(text: string, tsRecv: number): void {
    const o = this.#o;
    this.counters.frames++;
    const { events, problems } = parseClobFrame(text, tsRecv, o.feed);
    for (const p of problems) {
      this.counters.problems++;
      o.onProblem(p);
    }
    for (const ev of events) this.#apply(ev);
    o.writer.endFrame(tsRecv);
    this.#flushAfter();
  }

  /**
   * Tokens whose subscribe frames go out now: changes are buffered until their fresh snapshot (the
   * books themselves are sent to resyncing by the feed's `bookHooks`).
   */
  awaitSnapshots(tokens: readonly string[]): void {
    for (const t of tokens) this.#await(t);
  }

  /** Standalone use without a feed (benches, fuzz tests): resyncs the books and awaits their snapshots. */
  subscribed(tokens: readonly string[], reason: ResyncReason): void {
    this.#o.writer.resync(tokens, reason);
    this.awaitSnapshots(tokens);
    this.#o.writer.endFrame(this.#o.clock.now());
  }

  /**
   * Forgets tokens (unsubscribed). Their books stay in the store for display but are marked stale: no
   * update will reach them, so no strategy may trade on them.
   */
  forget(tokens: readonly string[]): void {
    for (const t of tokens) this.#sync.delete(t);
    this.#o.writer.markStale(tokens);
    this.#o.writer.endFrame(this.#o.clock.now());
  }

  /** Tokens that have waited for a snapshot since before `before` (clock ms). */
  waitingSince(before: number): string[] {
    const out: string[] = [];
    for (const [t, s] of this.#sync) if (s.awaiting && s.since <= before) out.push(t);
    return out;
  }

  /** True while `token` waits for a snapshot. */
  awaiting(token: string): boolean {
    return this.#sync.get(token)?.awaiting === true;
  }

  /** The wait generation of a token (captured when a REST request is sent). */
  epoch(token: string): number {
    return this.#sync.get(token)?.epoch ?? 0;
  }

  /**
   * A REST book arrived for a request sent at wait generation `epoch`. Applied when it is the awaited
   * snapshot of that wait (then the buffered changes are replayed), or when the book is not being
   * streamed (its connection is down: polling). Ignored when a newer book is already applied. Call
   * `endRest` after the batch.
   */
  applyRest(r: PolyRestBookResult, epoch: number): boolean {
    const o = this.#o;
    const token = r.book.instrument;
    o.catalog.setBookFacts(token, r.minOrderSize, r.negRisk);
    const s = this.#sync.get(token);
    const book = o.writer.book(token);
    if (s?.awaiting === true && s.epoch !== epoch) {
      this.counters.restIgnored++;
      return false;
    }
    if (s?.awaiting !== true && book !== undefined && book.state === "live" && book.tsEvent > r.book.tsEvent) {
      this.counters.restIgnored++;
      return false;
    }
    if (o.verifyHash && verifyBookHash(r.wire, undefined) === "mismatch") {
      // A REST book that fails its own hash is not trusted; the wait goes on and the sweep asks again.
      this.counters.hashMismatches++;
      return false;
    }
    o.writer.snapshot(r.book);
    this.counters.restSnapshots++;
    const buffered = s?.buffer;
    if (s !== undefined) {
      s.awaiting = false;
      s.buffer = undefined;
    }
    let last: PolyChangeEvent | undefined;
    for (const ch of buffered ?? []) {
      if (o.writer.delta(ch.delta) === "ok") {
        this.counters.replayed++;
        last = ch;
      }
    }
    if (last !== undefined) this.#checkTop(last);
    return true;
  }

  /** Ends the frame of REST books applied together (one `frame.end` for a whole batch). */
  endRest(tsRecv: number): void {
    this.#o.writer.endFrame(tsRecv);
    this.#flushAfter();
  }

  #await(token: string): void {
    let s = this.#sync.get(token);
    if (s === undefined) this.#sync.set(token, (s = { awaiting: true, since: 0, epoch: 0, buffer: undefined }));
    s.awaiting = true;
    s.since = this.#o.clock.now();
    s.epoch++;
    s.buffer = [];
  }

  /** Resyncs a token found wrong: book refused until a fresh snapshot, which REST fetches now. */
  #resync(token: string, reason: ResyncReason): void {
    this.#o.writer.resync(token, reason);
    this.#await(token);
    this.#o.onResyncStarted?.();
    this.#after.push(() => this.#o.requestSnapshot([token]));
  }

  /** Called by the writer when the store itself sent a book to resyncing (crossed). */
  onStoreResync(token: string): void {
    this.#await(token);
    this.#o.onResyncStarted?.();
    this.#o.requestSnapshot([token]);
  }

  #apply(ev: PolyEvent): void {
    const o = this.#o;
    switch (ev.kind) {
      case "book": {
        this.counters.books++;
        const token = ev.book.instrument;
        // a token this feed does not subscribe (the venue sends a market's frames to either token's
        // subscribers): ignored, never turned into a book
        if (!this.#sync.has(token)) return;
        if (o.verifyHash) {
          const v = verifyBookHash(ev.wire, o.catalog.hashMeta(token));
          if (v === "mismatch") {
            this.counters.hashMismatches++;
            this.#resync(token, "hash");
            return;
          }
          if (v === "ok") this.counters.hashVerified++;
          else this.counters.hashUnverifiable++;
        }
        o.writer.snapshot(ev.book);
        const s = this.#sync.get(token);
        if (s !== undefined) {
          s.awaiting = false;
          s.buffer = undefined;
        }
        return;
      }
      case "change": {
        this.counters.changes++;
        const token = ev.delta.instrument;
        const s = this.#sync.get(token);
        if (s === undefined) return;
        if (s.awaiting) {
          const buf = (s.buffer ??= []);
          if (buf.length >= (o.maxBuffer ?? 5000)) {
            // too long without a snapshot: start over with a new request
            this.counters.bufferOverflows++;
            this.#resync(token, "buffer_overflow");
            return;
          }
          buf.push(ev);
          return;
        }
        const r = o.writer.delta(ev.delta);
        if (r === "ok") this.#checkTop(ev);
        else if (r === "no_book") this.#resync(token, "no_book");
        return;
      }
      case "tick_size":
        o.writer.tickSize(ev.change.instrument, ev.change.newTickSize);
        this.#later("market.tick_size", ev.change);
        return;
      case "trade":
        o.writer.trade(ev.trade);
        return;
      case "top":
        // best_bid_ask is informational: its ordering against price_change frames is not documented, so
        // it never triggers a resync (the per-entry tops of price_change do).
        return;
      case "market_new":
        this.#later("market.new", ev.market);
        return;
      case "market_resolved":
        this.#later("market.resolved", ev.resolved);
        if (o.onResolved !== undefined) {
          const r = ev.resolved;
          this.#after.push(() => o.onResolved!(r));
        }
        return;
      case "user_order":
      case "user_trade":
        o.onProblem(`event:${ev.kind} on the market channel`);
        return;
    }
  }

  #checkTop(ev: PolyChangeEvent): void {
    if (!this.#o.checkTop || (ev.bestBid === undefined && ev.bestAsk === undefined)) return;
    const book = this.#o.writer.book(ev.delta.instrument);
    if (book === undefined) return;
    this.counters.topChecks++;
    const bid = book.levels("bid") > 0 ? book.price("bid", 0) : null;
    const ask = book.levels("ask") > 0 ? book.price("ask", 0) : null;
    const okBid = ev.bestBid === undefined || same(bid, ev.bestBid);
    const okAsk = ev.bestAsk === undefined || same(ask, ev.bestAsk);
    if (okBid && okAsk) return;
    this.counters.topMismatches++;
    this.#resync(ev.delta.instrument, "top_mismatch");
  }

  #later(name: "market.tick_size" | "market.new" | "market.resolved", payload: TickSizeChange | MarketNew | MarketResolved): void {
    const bus = this.#o.bus;
    this.#after.push(() => bus.emit(name, payload as never));
  }

  #flushAfter(): void {
    if (this.#after.length === 0) return;
    const fns = this.#after;
    this.#after = [];
    for (const fn of fns) fn();
  }
}
