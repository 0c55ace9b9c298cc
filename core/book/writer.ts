import type { ScopedBus } from "../bus.ts";
import type { Clock } from "../clock.ts";
import type { BookDelta, BookSnapshot, EventMap, EventName, Quote, Trade } from "../events.ts";
import type { BookView } from "../market.ts";
import { TradeRing } from "../quotes.ts";
import type { ApplyResult, ChecksumHook, ResyncReason, TopOfBook } from "./book.ts";
import { type FeedRecord, MarketEntry } from "./records.ts";

/** Options of a feed's writer. */
export interface WriterOptions {
  /** The venue's checksum check, run by `delta(d, checksum)` when the venue sent a checksum. */
  readonly checksum?: ChecksumHook;
  /**
   * Called when the store itself sends a book to `resyncing` (`gap`, `checksum`, `crossed`): the feed
   * resubscribes or fetches a snapshot. Not called for the feed's own `resync()` calls.
   */
  readonly onResync?: (instrument: string, reason: ResyncReason) => void;
  /** Trades kept per instrument for `store.trades()` (default 100). */
  readonly tradeBuffer?: number;
}

/** What the writer needs from the store. */
export interface WriterHost {
  readonly bus: ScopedBus;
  readonly clock: Clock;
  /** (Re)indexes an entry under its current key. */
  index(entry: MarketEntry): void;
}

/**
 * The one way a feed changes the market store. Every venue frame is applied with the calls below and
 * closed by `endFrame`, which publishes the frame at once: `book.snapshot` / `book.delta` / `trade`
 * pass-through events (only built when something listens), a `quote` per changed top of book, and one
 * `frame.end` listing the changed instruments. Strategies evaluate on `frame.end`, so they never see a
 * frame half applied. Until `endFrame`, `store.quote()` still returns the previous frame's quotes.
 *
 * Call `endFrame` after every venue frame, heartbeat replies included: it also proves the feed alive
 * for the `heartbeat_timeout_ms` health check, and costs nothing when the frame changed nothing.
 *
 * @example
 * const w = store.writer(ctx.id, { checksum: verifyTop25, onResync: (inst) => resubscribe(inst) });
 * // inside the connection's onMessage:
 * for (const ev of parseFrame(raw, tsRecv)) {
 *   if (ev.kind === "snapshot") w.snapshot(ev.book);
 *   else if (ev.kind === "delta") w.delta(ev.book, ev.checksum); // "gap" → onResync already called
 *   else if (ev.kind === "trade") w.trade(ev.trade);
 * }
 * w.endFrame(tsRecv);
 * // on reconnect: w.resyncAll("reconnect"); w.endFrame(clock.now());
 */
export class FeedWriter {
  readonly feed: string;
  readonly #rec: FeedRecord;
  readonly #host: WriterHost;
  #hook: ChecksumHook | undefined;
  #onResync: ((instrument: string, reason: ResyncReason) => void) | undefined;
  #tradeBuffer = 100;
  #frame = 1;
  readonly #touched: MarketEntry[] = [];
  readonly #pendingNames: EventName[] = [];
  readonly #pendingPayloads: unknown[] = [];

  constructor(rec: FeedRecord, host: WriterHost, options: WriterOptions = {}) {
    this.feed = rec.id;
    this.#rec = rec;
    this.#host = host;
    this.configure(options);
  }

  /** Replaces the options (a restarted feed instance brings its own hooks; omitted ones are cleared). */
  configure(options: WriterOptions = {}): void {
    this.#hook = options.checksum;
    this.#onResync = options.onResync;
    this.#tradeBuffer = options.tradeBuffer ?? 100;
  }

  /** The feed's book of `instrument` (also between frames: the feed's own view, possibly mid-frame). */
  book(instrument: string): BookView | undefined {
    return this.#rec.entries.get(instrument)?.book;
  }

  /**
   * Replaces a whole book; it becomes `live`. Levels may come in any order; size 0 levels are skipped.
   * With `checksum` (the venue's value) the writer's hook verifies the new book: a mismatch returns
   * `checksum` and leaves the book `resyncing`.
   */
  snapshot(s: BookSnapshot, checksum?: number | string): "ok" | "checksum" {
    const entry = this.#entry(s.instrument, s.key, Math.max(s.bids.length, s.asks.length));
    entry.book.applySnapshot(s);
    if (entry.indexedKey !== entry.book.key) this.#host.index(entry);
    this.#rec.metrics.record(this.#host.clock.now(), s.source === "rest" ? Number.NaN : s.tsRecv - s.tsEvent);
    this.#touch(entry);
    if (this.#hook !== undefined && checksum !== undefined && !this.#hook(entry.book, checksum)) {
      this.#detected(entry, "checksum");
      return "checksum";
    }
    this.#pass("book.snapshot", s);
    return "ok";
  }

  /**
   * Applies changed levels (size 0 removes). Returns what happened (`ApplyResult`); on `gap` or
   * `checksum` the book is `resyncing`, counted, and `onResync` was called. `checksum` is the value the
   * venue sent with this update, verified with the writer's checksum hook after the levels are applied.
   */
  delta(d: BookDelta, checksum?: number | string): ApplyResult {
    const entry = this.#rec.entries.get(d.instrument);
    if (entry === undefined) return "no_book";
    const r = entry.book.applyDelta(d, this.#hook, checksum);
    if (r === "ok") {
      this.#rec.metrics.record(this.#host.clock.now(), d.tsRecv - d.tsEvent);
      this.#touch(entry);
      this.#pass("book.delta", d);
    } else if (r === "gap" || r === "checksum") {
      this.#detected(entry, r);
    }
    return r;
  }

  /** Sets the top of book of a quote-only instrument (best bid/offer, ticker): a one-level book per side. */
  quote(q: TopOfBook): void {
    const entry = this.#entry(q.instrument, q.key, 1);
    entry.book.applyTop(q);
    if (entry.indexedKey !== entry.book.key) this.#host.index(entry);
    this.#rec.metrics.record(this.#host.clock.now(), q.tsRecv - q.tsEvent);
    this.#touch(entry);
  }

  /** Records a trade in the instrument's bounded buffer; emitted as `trade` at `endFrame`. */
  trade(t: Trade): void {
    let ring = this.#rec.trades.get(t.instrument);
    if (ring === undefined) {
      ring = new TradeRing(this.#tradeBuffer);
      this.#rec.trades.set(t.instrument, ring);
    }
    ring.push(t);
    this.#rec.metrics.record(this.#host.clock.now(), t.tsRecv - t.tsEvent);
    this.#pass("trade", t);
  }

  /** Changes an instrument's tick size; the levels are kept. */
  tickSize(instrument: string, tickSize: number): void {
    const entry = this.#rec.entries.get(instrument);
    if (entry !== undefined) entry.book.setTickSize(tickSize);
  }

  /**
   * Marks books `resyncing` (the feed resubscribes; a reconnect does this for every book it resubscribes):
   * deltas are refused until the next snapshot. Counted per reason when a book that held data was not
   * already resyncing; a book still waiting for its first snapshot (a first subscription) is not a resync
   * and is not counted. An instrument without a book yet gets an empty one, so `fresh()` reports it as
   * resyncing.
   */
  resync(instruments: string | readonly string[], reason: ResyncReason): void {
    if (typeof instruments === "string") this.#resync(this.#entry(instruments, instruments, 8), reason);
    else for (const instrument of instruments) this.#resync(this.#entry(instrument, instrument, 8), reason);
  }

  /** `resync` for every book of the feed. */
  resyncAll(reason: ResyncReason): void {
    for (const entry of this.#rec.entries.values()) this.#resync(entry, reason);
  }

  /**
   * Marks live books stale: a subscription missed its promised cadence, or its connection went down.
   * No argument = every book of the feed. The next accepted update or snapshot makes a book live again.
   */
  markStale(instruments?: string | readonly string[]): void {
    if (instruments === undefined) {
      for (const entry of this.#rec.entries.values()) this.#stale(entry);
    } else if (typeof instruments === "string") {
      const entry = this.#rec.entries.get(instruments);
      if (entry !== undefined) this.#stale(entry);
    } else {
      for (const instrument of instruments) {
        const entry = this.#rec.entries.get(instrument);
        if (entry !== undefined) this.#stale(entry);
      }
    }
  }

  /**
   * Ends the venue frame: checks the changed books for crossing (crossed → `resyncing`, counted,
   * `onResync`), then emits the frame's pass-through events, one `quote` per changed top (when
   * listened to), and one `frame.end` listing the changed instruments (none when nothing changed).
   */
  endFrame(tsRecv: number): void {
    const rec = this.#rec;
    const bus = this.#host.bus;
    rec.lastFrameAt = this.#host.clock.now();
    const touched = this.#touched;
    const names = this.#pendingNames;
    if (touched.length === 0 && names.length === 0) return;
    const wantQuotes = bus.listenerCount("quote") > 0;
    const instruments: string[] = new Array<string>(touched.length);
    let quotes: Quote[] | undefined;
    for (let i = 0; i < touched.length; i++) {
      const entry = touched[i]!;
      const book = entry.book;
      instruments[i] = book.instrument;
      if (book.state === "live" && book.crossed()) this.#detected(entry, "crossed");
      // Only a live book publishes its top: a crossed or refused book keeps its last good quote
      // (shown with `stale: true`) rather than spreading bad prices.
      if (book.state === "live" && entry.slot.updateFrom(book) && wantQuotes) {
        (quotes ??= []).push(entry.slot.quote(rec.id, book.instrument, book.key)!);
      }
    }
    touched.length = 0;
    this.#frame++;
    if (names.length > 0) {
      const payloads = this.#pendingPayloads;
      const n = names.length;
      const outNames = names.slice();
      const outPayloads = payloads.slice();
      names.length = 0;
      payloads.length = 0;
      for (let i = 0; i < n; i++) {
        bus.emit(outNames[i]!, outPayloads[i] as EventMap[EventName]);
      }
    }
    if (quotes !== undefined) for (const q of quotes) bus.emit("quote", q);
    if (instruments.length > 0) bus.emit("frame.end", { feed: rec.id, instruments, tsRecv });
  }

  #entry(instrument: string, key: string, capacity: number): MarketEntry {
    let entry = this.#rec.entries.get(instrument);
    if (entry === undefined) {
      entry = new MarketEntry(this.#rec.id, instrument, key === "" ? instrument : key, Math.max(8, capacity));
      this.#rec.entries.set(instrument, entry);
      this.#host.index(entry);
    }
    return entry;
  }

  #touch(entry: MarketEntry): void {
    if (entry.frame === this.#frame) return;
    entry.frame = this.#frame;
    this.#touched.push(entry);
  }

  #pass(name: EventName, payload: unknown): void {
    if (this.#host.bus.listenerCount(name) === 0) return;
    this.#pendingNames.push(name);
    this.#pendingPayloads.push(payload);
  }

  #resync(entry: MarketEntry, reason: ResyncReason): void {
    this.#touch(entry);
    const book = entry.book;
    if (book.state === "resyncing" && (book.synced || book.resyncReason !== undefined)) return;
    book.markResyncing(reason);
    // a book that never had data waits for its first snapshot: not a resync (same rule for every feed)
    if (book.synced) this.#rec.countResync(reason);
  }

  #stale(entry: MarketEntry): void {
    if (entry.book.state !== "live") return;
    entry.book.markStale();
    this.#touch(entry);
  }

  #detected(entry: MarketEntry, reason: ResyncReason): void {
    if (entry.book.state !== "resyncing") entry.book.markResyncing(reason);
    this.#rec.countResync(reason);
    this.#touch(entry);
    this.#onResync?.(entry.book.instrument, reason);
  }
}
