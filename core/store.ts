/**
 * The market store: every feed's books and quotes, their freshness, feed health against `[health]`, and
 * the rows the HTTP API and metrics read. Feeds write through `store.writer(feedId)` (core/book/writer.ts);
 * plugins read through `MarketStore` (core/market.ts).
 */
import type { ScopedBus, Unsubscribe } from "./bus.ts";
import type { Clock, TimerHandle } from "./clock.ts";
import type { FeedState, FeedStatus, Quote, Trade } from "./events.ts";
import type { Logger } from "./log.ts";
import type { BookView, Freshness, SuppressionReason } from "./market.ts";
import type { HealthSettings } from "./plugin.ts";
import type { BestBidAsk } from "./quotes.ts";
import { feedHealthReasons } from "./book/feed-health.ts";
import { FeedRecord, type MarketEntry } from "./book/records.ts";
import { FeedWriter, type WriterOptions } from "./book/writer.ts";
import type { BookRow, FeedMarketStats, MarketStoreOptions, MarketStoreService, QuoteRow } from "./store-types.ts";

export type { BookRow, FeedMarketStats, MarketStoreOptions, MarketStoreService, QuoteRow } from "./store-types.ts";

/** `[health]` defaults (SURFACE.md; PerpBot seed). */
export const defaultHealthSettings: HealthSettings = Object.freeze({
  heartbeatTimeoutMs: 30_000,
  maxQuoteAgeMs: 10_000,
  maxLatencyMs: 200,
  minUpdatesPerS: 0.1,
});

const OK_REASONS: readonly SuppressionReason[] = Object.freeze([]);

/**
 * Creates the market store. It listens to `feed.status` (the connection layer's states) and, on a clock
 * interval, raises `feed.status` `degraded` with reasons for a live feed that crosses a `[health]`
 * threshold, and `live` again when they clear.
 *
 * @example
 * const store = createMarketStore({ bus, clock: systemClock, health: defaultHealthSettings, log });
 * const w = store.writer("venue_a");
 * w.snapshot(snap); w.endFrame(Date.now());
 * store.fresh("venue_a", "BTC-USDT-SWAP"); // { ok, reasons, ageMs }
 */
export function createMarketStore(options: MarketStoreOptions): MarketStoreService {
  return new MarketStoreImpl(options);
}

class MarketStoreImpl implements MarketStoreService {
  readonly #bus: ScopedBus;
  readonly #clock: Clock;
  #health: HealthSettings;
  readonly #log: Logger;
  readonly #feeds = new Map<string, FeedRecord>();
  readonly #writers = new Map<string, FeedWriter>();
  /** The feed instance that last asked for each writer (see `writer`'s `owner`). */
  readonly #owners = new Map<string, object>();
  readonly #byKey = new Map<string, MarketEntry[]>();
  readonly #off: Unsubscribe;
  readonly #timer: TimerHandle;
  #publishing = false;

  constructor(o: MarketStoreOptions) {
    this.#bus = o.bus;
    this.#clock = o.clock;
    this.#health = o.health;
    this.#log = o.log;
    this.#off = o.bus.on("feed.status", (s) => this.#onStatus(s));
    this.#timer = o.clock.setInterval(() => this.evaluateHealth(), o.healthIntervalMs ?? 1000);
  }

  writer(feed: string, options?: WriterOptions, owner?: object): FeedWriter {
    let w = this.#writers.get(feed);
    if (w === undefined) {
      const host = { bus: this.#bus, clock: this.#clock, index: (e: MarketEntry) => this.#index(e) };
      w = new FeedWriter(this.#record(feed), host, options);
      this.#writers.set(feed, w);
      if (owner !== undefined) this.#owners.set(feed, owner);
      return w;
    }
    w.configure(options);
    if (owner !== undefined && this.#owners.get(feed) !== owner) {
      // A restarted feed instance: the books it inherits were written by the old one and nothing proves
      // them current until the new one's snapshots arrive, so none may pass `fresh()` meanwhile.
      this.#owners.set(feed, owner);
      w.resyncAll("restart");
      w.endFrame(this.#clock.now());
    }
    return w;
  }

  book(feed: string, instrument: string): BookView | undefined {
    const entry = this.#feeds.get(feed)?.entries.get(instrument);
    return entry !== undefined && entry.book.synced ? entry.book : undefined;
  }

  quote(feed: string, instrument: string): Quote | undefined {
    const entry = this.#feeds.get(feed)?.entries.get(instrument);
    return entry?.slot.quote(feed, instrument, entry.book.key);
  }

  *books(): Iterable<BookView> {
    for (const rec of this.#feeds.values()) for (const e of rec.entries.values()) if (e.book.synced) yield e.book;
  }

  *quotes(): Iterable<Quote> {
    for (const rec of this.#feeds.values()) {
      for (const e of rec.entries.values()) {
        const q = e.slot.quote(rec.id, e.book.instrument, e.book.key);
        if (q !== undefined) yield q;
      }
    }
  }

  fresh(feed: string, instrument: string): Freshness {
    const rec = this.#feeds.get(feed);
    const entry = rec?.entries.get(instrument);
    const now = this.#clock.now();
    if (rec === undefined || entry === undefined || !entry.book.synced) {
      const reasons: SuppressionReason[] = entry !== undefined && entry.book.state === "resyncing" ? ["resyncing"] : ["no_book"];
      if (rec === undefined || !rec.usable()) reasons.push("feed_down");
      return { ok: false, reasons, ageMs: Number.NaN };
    }
    const book = entry.book;
    const ageMs = now - book.tsRecv;
    let reasons: SuppressionReason[] | undefined;
    if (book.state === "resyncing") (reasons ??= []).push("resyncing");
    else if (book.state === "stale") (reasons ??= []).push("stale");
    if (book.crossed()) (reasons ??= []).push("crossed");
    if (!rec.usable()) (reasons ??= []).push("feed_down");
    if (book.tsRecv - book.tsEvent > this.#health.maxLatencyMs) (reasons ??= []).push("late");
    return reasons === undefined ? { ok: true, reasons: OK_REASONS, ageMs } : { ok: false, reasons, ageMs };
  }

  feedState(feed: string): FeedState | undefined {
    return this.#feeds.get(feed)?.state;
  }

  trades(feed: string, instrument: string): Trade[] {
    return this.#feeds.get(feed)?.trades.get(instrument)?.toArray() ?? [];
  }

  bestBidAsk(key: string): BestBidAsk | undefined {
    const list = this.#byKey.get(key);
    if (list === undefined) return undefined;
    let bid: number | null = null;
    let ask: number | null = null;
    let bidSize = 0;
    let askSize = 0;
    let bidEntry: MarketEntry | undefined;
    let askEntry: MarketEntry | undefined;
    for (const e of list) {
      if (!this.fresh(e.book.feed, e.book.instrument).ok) continue;
      const s = e.slot;
      if (!Number.isNaN(s.bid) && (bid === null || s.bid > bid)) {
        bid = s.bid;
        bidSize = s.bidSize;
        bidEntry = e;
      }
      if (!Number.isNaN(s.ask) && (ask === null || s.ask < ask)) {
        ask = s.ask;
        askSize = s.askSize;
        askEntry = e;
      }
    }
    return {
      key,
      bid,
      bidSize,
      bidFeed: bidEntry?.book.feed,
      bidInstrument: bidEntry?.book.instrument,
      ask,
      askSize,
      askFeed: askEntry?.book.feed,
      askInstrument: askEntry?.book.instrument,
    };
  }

  isHealthy(feed: string): boolean {
    return this.#feeds.get(feed)?.state === "live";
  }

  feedReasons(feed: string): readonly string[] {
    return this.#feeds.get(feed)?.reasons ?? [];
  }

  feedStats(feed: string): FeedMarketStats | undefined {
    const rec = this.#feeds.get(feed);
    if (rec === undefined) return undefined;
    const now = this.#clock.now();
    return {
      ...rec.metrics.read(now),
      feed,
      state: rec.state,
      reasons: rec.reasons,
      books: rec.entries.size,
      resyncs: Object.fromEntries(rec.resyncs),
      lastFrameAgeMs: Number.isNaN(rec.lastFrameAt) ? null : now - rec.lastFrameAt,
    };
  }

  feedIds(): string[] {
    return [...this.#feeds.keys()];
  }

  quoteRows(): QuoteRow[] {
    const rows: QuoteRow[] = [];
    for (const rec of this.#feeds.values()) {
      for (const e of rec.entries.values()) {
        const row = this.#quoteRow(rec, e);
        if (row !== undefined) rows.push(row);
      }
    }
    return rows;
  }

  quoteRow(feed: string, instrument: string): QuoteRow | undefined {
    const rec = this.#feeds.get(feed);
    const e = rec?.entries.get(instrument);
    return rec === undefined || e === undefined ? undefined : this.#quoteRow(rec, e);
  }

  bookRow(feed: string, instrument: string, depth = 25): BookRow | undefined {
    const book = this.book(feed, instrument);
    if (book === undefined) return undefined;
    const { bids, asks } = book.depth(Math.max(0, depth));
    return {
      feed,
      instrument,
      state: book.state,
      bids,
      asks,
      seq: book.seq ?? null,
      tsEvent: book.tsEvent,
      tsRecv: book.tsRecv,
      ageMs: this.#clock.now() - book.tsRecv,
      stale: book.state !== "live",
    };
  }

  evaluateHealth(): void {
    const now = this.#clock.now();
    for (const rec of this.#feeds.values()) this.#evaluate(rec, now);
  }

  setHealth(settings: HealthSettings): void {
    this.#health = settings;
  }

  stop(): void {
    this.#off();
    this.#clock.clearInterval(this.#timer);
    for (const rec of this.#feeds.values()) {
      this.#clock.clearTimeout(rec.healthTimer);
      rec.healthTimer = undefined;
    }
  }

  #record(feed: string): FeedRecord {
    let rec = this.#feeds.get(feed);
    if (rec === undefined) {
      rec = new FeedRecord(feed);
      this.#feeds.set(feed, rec);
    }
    return rec;
  }

  #index(entry: MarketEntry): void {
    if (entry.indexedKey !== undefined) {
      const old = this.#byKey.get(entry.indexedKey);
      if (old !== undefined) {
        const i = old.indexOf(entry);
        if (i >= 0) old.splice(i, 1);
        if (old.length === 0) this.#byKey.delete(entry.indexedKey);
      }
    }
    const key = entry.book.key;
    entry.indexedKey = key;
    const list = this.#byKey.get(key);
    if (list === undefined) this.#byKey.set(key, [entry]);
    else list.push(entry);
  }

  #quoteRow(rec: FeedRecord, e: MarketEntry): QuoteRow | undefined {
    const q = e.slot.quote(rec.id, e.book.instrument, e.book.key);
    if (q === undefined) return undefined;
    return {
      feed: q.feed,
      instrument: q.instrument,
      key: q.key,
      bid: q.bid,
      ask: q.ask,
      bidSize: q.bidSize,
      askSize: q.askSize,
      mid: q.mid,
      spreadBps: q.spreadBps,
      tsEvent: q.tsEvent,
      tsRecv: q.tsRecv,
      ageMs: this.#clock.now() - e.book.tsRecv,
      latencyMs: q.latencyMs,
      stale: e.book.state !== "live" || !rec.usable(),
    };
  }

  /**
   * Publishes `degraded` when the set of crossed thresholds changes (not when only a figure in a reason
   * moves: no event per second while a feed stays degraded), and `live` when none is crossed any more.
   */
  #evaluate(rec: FeedRecord, now: number): void {
    if (rec.connState !== "live") return;
    const found = feedHealthReasons(rec, this.#health, now);
    const checks = found.map((r) => r.check).join(",");
    if (found.length > 0) {
      const texts = found.map((r) => r.text);
      if (rec.state !== "degraded" || checks !== rec.healthChecks) {
        rec.healthChecks = checks;
        this.#publish(rec, "degraded", texts);
      } else {
        rec.reasons = texts;
      }
    } else if (rec.state === "degraded") {
      rec.healthChecks = "";
      this.#publish(rec, "live", []);
    }
  }

  #onStatus(s: FeedStatus): void {
    if (this.#publishing) return;
    const rec = this.#record(s.feed);
    const wasUsable = rec.usable();
    if (s.state === "live" && rec.connState !== "live") rec.liveSince = this.#clock.now();
    if (s.state !== "live" && s.state !== "degraded") rec.liveSince = Number.NaN;
    rec.connState = s.state;
    rec.state = s.state;
    rec.reasons = s.reasons;
    rec.healthChecks = "";
    if (wasUsable !== rec.usable()) this.#announce(rec);
    // The connection layer says live: if a threshold still stands, say so right after this event has
    // reached every listener (a nested emit here would reach later listeners before the "live").
    if (s.state === "live" && rec.healthTimer === undefined) {
      rec.healthTimer = this.#clock.setTimeout(() => {
        rec.healthTimer = undefined;
        this.#evaluate(rec, this.#clock.now());
      }, 0);
    }
  }

  #publish(rec: FeedRecord, state: FeedState, reasons: readonly string[]): void {
    const prev = rec.state;
    rec.state = state;
    rec.reasons = reasons;
    if (state === "degraded") this.#log.warn("feed degraded", { feed: rec.id, reasons });
    else this.#log.info("feed healthy again", { feed: rec.id });
    const status: FeedStatus = { feed: rec.id, state, reasons, ts: this.#clock.now(), ...(prev === undefined ? {} : { prev }) };
    this.#publishing = true;
    try {
      this.#bus.emit("feed.status", status);
    } finally {
      this.#publishing = false;
    }
  }

  /** A feed became usable or unusable: every strategy reading its books re-evaluates (or closes). */
  #announce(rec: FeedRecord): void {
    if (rec.entries.size === 0) return;
    this.#bus.emit("frame.end", { feed: rec.id, instruments: [...rec.entries.keys()], tsRecv: this.#clock.now() });
  }
}
